#!/bin/sh
# Regenerate plan.json of each hub-and-spoke* configuration with real
# terraform, offline: the hashicorp/aws provider comes from a filesystem
# mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins) and the provider blocks
# skip every credential check, so no AWS account is needed for a plan of
# creates. Work happens in a temporary copy: no .terraform folder is left.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mirror=${TF_PLUGIN_MIRROR:-/opt/tf-plugins}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/cli.tfrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$tmp/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
for dir in "$here"/hub-and-spoke*/; do
  name=$(basename "$dir")
  mkdir -p "$tmp/$name" && cp -R "$dir"/. "$tmp/$name"/ && rm -f "$tmp/$name/plan.json"
  (cd "$tmp/$name" && terraform init -input=false >/dev/null && terraform plan -input=false -refresh=false -out=p >/dev/null &&
    terraform show -json p | python3 -m json.tool --indent 1 > "${dir%/}/plan.json")
  echo "wrote ${dir%/}/plan.json"
done
