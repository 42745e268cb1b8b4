#!/usr/bin/env bash
# Save one region of an AWS account as a vpcpath snapshot folder, with the
# AWS CLI only (read-only describe/get calls). vpcpath collect does the same
# from Go with pagination, retries and several regions or accounts at once.
#
#   scripts/aws-cli-snapshot.sh us-east-1 ./snap
#   vpcpath trace --snapshot ./snap --from ... --to ... --port 443
set -euo pipefail
region=${1:?usage: aws-cli-snapshot.sh REGION DIR}
out=${2:?usage: aws-cli-snapshot.sh REGION DIR}/$region
mkdir -p "$out"
ec2() { aws ec2 --region "$region" --output json "$@"; }

for call in vpcs subnets route-tables security-groups network-acls network-interfaces \
            instances vpc-endpoints nat-gateways internet-gateways prefix-lists \
            managed-prefix-lists vpc-peering-connections transit-gateways \
            transit-gateway-attachments availability-zones dhcp-options; do
  ec2 "describe-$call" > "$out/ec2-describe-$call.json"
done
for vpc in $(ec2 describe-vpcs --query 'Vpcs[].VpcId' --output text); do
  ec2 describe-vpc-attribute --vpc-id "$vpc" --attribute enableDnsSupport > "$out/ec2-describe-vpc-attribute-$vpc-enable-dns-support.json"
  ec2 describe-vpc-attribute --vpc-id "$vpc" --attribute enableDnsHostnames > "$out/ec2-describe-vpc-attribute-$vpc-enable-dns-hostnames.json"
done
# Customer-managed prefix lists: the entries file names its list in its name.
for pl in $(ec2 describe-managed-prefix-lists --query 'PrefixLists[?OwnerId!=`AWS`].PrefixListId' --output text); do
  ec2 get-managed-prefix-list-entries --prefix-list-id "$pl" > "$out/ec2-get-managed-prefix-list-entries-$pl.json"
done
ec2 describe-vpc-endpoint-services > "$out/ec2-describe-vpc-endpoint-services.json"
# DNS: private hosted zones with their VPCs and records (the record file
# names its zone in its name), and Resolver rules with their associations.
aws route53 list-hosted-zones --output json > "$out/route53-list-hosted-zones.json"
for z in $(aws route53 list-hosted-zones --query 'HostedZones[?Config.PrivateZone].Id' --output text); do
  id=${z##*/}
  aws route53 get-hosted-zone --id "$id" --output json > "$out/route53-get-hosted-zone-$id.json"
  aws route53 list-resource-record-sets --hosted-zone-id "$id" --output json > "$out/route53-list-resource-record-sets-$id.json"
done
aws route53resolver list-resolver-rules --region "$region" --output json > "$out/route53resolver-list-resolver-rules.json"
aws route53resolver list-resolver-rule-associations --region "$region" --output json > "$out/route53resolver-list-resolver-rule-associations.json"
echo "wrote $out" >&2
