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
            transit-gateway-attachments transit-gateway-vpc-attachments \
            transit-gateway-peering-attachments transit-gateway-route-tables \
            vpn-gateways customer-gateways availability-zones dhcp-options; do
  ec2 "describe-$call" > "$out/ec2-describe-$call.json"
done
# VPN connections without the tunnels' pre-shared keys (in the customer
# gateway configuration and the tunnel options): a snapshot is for sharing.
ec2 describe-vpn-connections --query '{VpnConnections: VpnConnections[].merge(@, {CustomerGatewayConfiguration: `null`, Options: Options && merge(Options, {TunnelOptions: Options.TunnelOptions[].merge(@, {PreSharedKey: `null`})})})}' > "$out/ec2-describe-vpn-connections.json"
# Transit gateway route tables: each table's routes, associations and
# propagations (the files name their table in their name).
for rtb in $(ec2 describe-transit-gateway-route-tables --query 'TransitGatewayRouteTables[?State!=`deleted`].TransitGatewayRouteTableId' --output text); do
  ec2 search-transit-gateway-routes --transit-gateway-route-table-id "$rtb" --filters Name=state,Values=active,blackhole > "$out/ec2-search-transit-gateway-routes-$rtb.json"
  ec2 get-transit-gateway-route-table-associations --transit-gateway-route-table-id "$rtb" > "$out/ec2-get-transit-gateway-route-table-associations-$rtb.json"
  ec2 get-transit-gateway-route-table-propagations --transit-gateway-route-table-id "$rtb" > "$out/ec2-get-transit-gateway-route-table-propagations-$rtb.json"
done
# Direct Connect: virtual interfaces, gateways and their associations.
dx() { aws directconnect --region "$region" --output json "$@"; }
dx describe-virtual-interfaces > "$out/directconnect-describe-virtual-interfaces.json"
dx describe-direct-connect-gateways > "$out/directconnect-describe-direct-connect-gateways.json"
for gw in $(dx describe-direct-connect-gateways --query 'directConnectGateways[].directConnectGatewayId' --output text); do
  dx describe-direct-connect-gateway-associations --direct-connect-gateway-id "$gw" > "$out/directconnect-describe-direct-connect-gateway-associations-$gw.json"
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
