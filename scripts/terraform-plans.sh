#!/bin/sh
# Regenerate testdata/terraform/<name>/plan.json from <name>/main.tf with
# the real terraform CLI, offline: the hashicorp/aws provider comes from a
# filesystem mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins) and the
# HCL's provider block skips every credential and metadata call, so a plan
# of pure creates needs no AWS account.
#
#   scripts/terraform-plans.sh                 # every folder
#   scripts/terraform-plans.sh refused-overlap # some of them
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/testdata/terraform"
mirror=${TF_PLUGIN_MIRROR:-/opt/tf-plugins}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/cli.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
CFG
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
if [ $# -eq 0 ]; then
  set -- $(cd "$dir" && ls -d */ | tr -d /)
fi
for name in "$@"; do
  src="$dir/$name"
  [ -f "$src/main.tf" ] || { echo "$src/main.tf: missing" >&2; exit 2; }
  rm -rf "$work/tf" && mkdir "$work/tf"
  cp "$src"/*.tf "$work/tf/"
  [ -d "$src/modules" ] && cp -r "$src/modules" "$work/tf/"
  (cd "$work/tf" && terraform init -input=false -no-color >/dev/null &&
    terraform plan -input=false -no-color -refresh=false -out=p >/dev/null &&
    terraform show -json p) > "$work/plan.json"
  # One line per file is what terraform writes; keep it byte for byte.
  mv "$work/plan.json" "$src/plan.json"
  echo "$name: plan.json written" >&2
done
