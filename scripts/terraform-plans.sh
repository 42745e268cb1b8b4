#!/usr/bin/env bash
# Writes testdata/terraform/<name>/plan.json for every network of the HCL
# corpus with real Terraform, offline: the hashicorp/aws provider comes from
# a filesystem mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins), the
# provider skips every validation call, and `terraform plan -refresh=false`
# of pure creates needs no AWS. The generated JSON is committed so that the
# golden tests never need Terraform.
#
# The provider block is written here, not in the corpus: the same main.tf
# is applied to moto_server by model/tfplan's apply test with endpoints.
#
#   scripts/terraform-plans.sh              every network
#   scripts/terraform-plans.sh NAME...      some of them
#
# Afterwards it derives testdata/terraform/format-0.1/plan.json from
# route-inline-blocks: the shape Terraform 0.12-0.13 wrote (format_version
# 0.1, no nested blocks in configuration).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
corpus=$root/testdata/terraform
mirror=${TF_PLUGIN_MIRROR:-/opt/tf-plugins}
command -v terraform >/dev/null || { echo "terraform-plans: terraform is not installed" >&2; exit 2; }
[ -d "$mirror" ] || { echo "terraform-plans: no provider mirror at $mirror" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/cache"
cat >"$work/cli.tfrc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
plugin_cache_dir = "$work/cache"
EOF
export TF_CLI_CONFIG_FILE=$work/cli.tfrc TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for d in "$corpus"/*/main.tf; do names+=("$(basename "$(dirname "$d")")"); done
fi
for name in "${names[@]}"; do
  src=$corpus/$name
  [ -f "$src/main.tf" ] || continue
  dir=$work/$name
  mkdir -p "$dir"
  cp -r "$src"/. "$dir"/
  rm -f "$dir/plan.json"
  cat >"$dir/provider.tf" <<'EOF'
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
EOF
  (
    cd "$dir"
    terraform init -input=false -no-color >init.log 2>&1 || { cat init.log >&2; exit 1; }
    terraform plan -refresh=false -input=false -no-color -out=plan.out >plan.log 2>&1 || { cat plan.log >&2; exit 1; }
    terraform show -json plan.out | python3 -m json.tool --indent 1 >"$src/plan.json"
  ) || { echo "terraform-plans: $name failed" >&2; exit 1; }
  echo "$name"
done

# format_version 0.1: Terraform 0.12-0.13 left nested blocks out of the
# configuration's expressions, and with them the aws provider's route,
# ingress and egress written as blocks (see the shared fixtures'
# terraform 0.12 plans).
base=$corpus/route-inline-blocks/plan.json
if [ -f "$base" ]; then
  mkdir -p "$corpus/format-0.1"
  python3 - "$base" "$corpus/format-0.1/plan.json" <<'EOF'
import json, sys
plan = json.load(open(sys.argv[1]))
plan["format_version"] = "0.1"
plan.pop("relevant_attributes", None)
plan.pop("checks", None)
plan.pop("timestamp", None)
plan.pop("applyable", None)
plan.pop("complete", None)
plan.pop("errored", None)
def strip(mod):
    for r in mod.get("resources", []):
        for k, v in list(r.get("expressions", {}).items()):
            if isinstance(v, list) or k in ("route", "ingress", "egress"):  # a nested block
                del r["expressions"][k]
    for call in mod.get("module_calls", {}).values():
        strip(call.get("module", {}))
strip(plan["configuration"]["root_module"])
json.dump(plan, open(sys.argv[2], "w"), indent=1)
EOF
  echo "format-0.1 (from route-inline-blocks)"
fi
