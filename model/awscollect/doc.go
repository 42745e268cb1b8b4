// Package awscollect reads the network of live AWS accounts through
// aws-sdk-go-v2 and writes it as a snapshot: the same JSON files the AWS CLI
// prints, one file per call, so that a collected snapshot and one written by
// hand with the CLI load through the same code.
//
// The collector only reads: it makes Describe, Get, List and Search calls
// (plus sts:GetCallerIdentity, and sts:AssumeRole for each --role-arn), and a
// guard on its EC2, Route 53 and Route 53 Resolver clients refuses any other
// operation before it is sent. The minimal IAM policy is iam-policy.json in
// this directory (also [IAMPolicy]).
//
// Credentials and endpoints come from config.LoadDefaultConfig (environment,
// shared config and SSO profiles, instance role; AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_<SERVICE>), the region must be known before any call is
// made, and every call follows all its pages. Calls of all accounts and
// regions run in parallel, with at most [Options.Concurrency] requests in
// flight, the SDK's adaptive retry mode (which backs off and slows down on
// throttling) and a time limit per request ([Options.CallTimeout]).
//
// # Snapshot layout
//
//	<out>/manifest.json
//	<out>/<account-id>/<region>/<file>.json
//
// Each <file>.json is the output of one call with all its pages merged, in the
// shape `aws <service> <operation> --output json` prints: the top-level keys
// are the API's member names (for example {"Vpcs": [...]}); members the API
// did not return are left out. Files per account and region:
//
//	ec2-describe-vpcs.json                     {"Vpcs": [...]}
//	ec2-describe-vpc-attribute-<vpc-id>-enable-dns-support.json
//	                                           {"VpcId": "vpc-...", "EnableDnsSupport": {"Value": true}}
//	ec2-describe-vpc-attribute-<vpc-id>-enable-dns-hostnames.json
//	                                           {"VpcId": "vpc-...", "EnableDnsHostnames": {"Value": true}}
//	ec2-describe-availability-zones.json       {"AvailabilityZones": [...]}
//	ec2-describe-subnets.json                  {"Subnets": [...]}
//	ec2-describe-route-tables.json             {"RouteTables": [...]}
//	ec2-describe-security-groups.json          {"SecurityGroups": [...]}
//	ec2-describe-network-acls.json             {"NetworkAcls": [...]}
//	ec2-describe-network-interfaces.json       {"NetworkInterfaces": [...]}
//	ec2-describe-instances.json                {"Reservations": [...]}
//	ec2-describe-vpc-endpoints.json            {"VpcEndpoints": [...]}
//	ec2-describe-vpc-endpoint-services.json    {"ServiceDetails": [...], "ServiceNames": [...]}
//	ec2-describe-nat-gateways.json             {"NatGateways": [...]}
//	ec2-describe-internet-gateways.json        {"InternetGateways": [...]}
//	ec2-describe-dhcp-options.json             {"DhcpOptions": [...]}
//	ec2-describe-managed-prefix-lists.json     {"PrefixLists": [...]}
//	ec2-get-managed-prefix-list-entries-<pl-id>.json
//	                                           {"PrefixListId": "pl-...", "Entries": [...]}
//	ec2-describe-prefix-lists.json             {"PrefixLists": [{"PrefixListId", "PrefixListName", "Cidrs"}]}
//	ec2-describe-vpc-peering-connections.json  {"VpcPeeringConnections": [...]}
//	ec2-describe-transit-gateways.json         {"TransitGateways": [...]}
//	ec2-describe-transit-gateway-attachments.json
//	                                           {"TransitGatewayAttachments": [...]}
//	ec2-describe-transit-gateway-vpc-attachments.json
//	                                           {"TransitGatewayVpcAttachments": [...]}
//	ec2-describe-transit-gateway-route-tables.json
//	                                           {"TransitGatewayRouteTables": [...]}
//	ec2-search-transit-gateway-routes-<tgw-rtb-id>.json
//	                                           {"TransitGatewayRouteTableId": "tgw-rtb-...", "Routes": [...]}
//	ec2-get-transit-gateway-route-table-associations-<tgw-rtb-id>.json
//	                                           {"TransitGatewayRouteTableId": "tgw-rtb-...", "Associations": [...]}
//	ec2-get-transit-gateway-route-table-propagations-<tgw-rtb-id>.json
//	                                           {"TransitGatewayRouteTableId": "tgw-rtb-...", "TransitGatewayRouteTablePropagations": [...]}
//	ec2-describe-transit-gateway-peering-attachments.json
//	                                           {"TransitGatewayPeeringAttachments": [...]}
//	ec2-describe-vpn-gateways.json             {"VpnGateways": [...]}
//	ec2-describe-vpn-connections.json          {"VpnConnections": [...]}  (VgwTelemetry: tunnel status;
//	                                           no CustomerGatewayConfiguration or tunnel PreSharedKey:
//	                                           the tunnels' keys never reach a snapshot)
//	ec2-describe-customer-gateways.json        {"CustomerGateways": [...]}
//	directconnect-describe-virtual-interfaces.json
//	                                           {"virtualInterfaces": [...]}
//	route53resolver-list-resolver-rules.json   {"ResolverRules": [...]}
//	route53resolver-list-resolver-rule-associations.json
//	                                           {"ResolverRuleAssociations": [...]}
//
// A "get entries" file is written for every list in
// ec2-describe-managed-prefix-lists.json (the AWS-managed ones included)
// except those being deleted; a "search routes", an "associations" and a
// "propagations" file for every transit gateway route table except deleted
// ones, the routes being its active and blackhole ones. The extra key (PrefixListId, TransitGatewayRouteTableId, VpcId,
// HostedZoneId) ties a per-resource file to its resource; it is the request
// parameter of the call, as the CLI user would know it.
//
// Route 53 is a global service: its files are written once per account, in
// the folder of the first region collected for that account (regions sorted
// by name):
//
//	route53-list-hosted-zones.json             {"HostedZones": [...]}  (private zones only)
//	route53-get-hosted-zone-<zone-id>.json     {"HostedZone": {...}, "VPCs": [...]}
//	route53-list-resource-record-sets-<zone-id>.json
//	                                           {"HostedZoneId": "/hostedzone/Z...", "ResourceRecordSets": [...]}
//
// where <zone-id> is the zone's ID without the "/hostedzone/" prefix, and
// HostedZoneId is the zone's Id exactly as in route53-list-hosted-zones.json.
//
// Direct Connect gateways are global too, and written in the same folder,
// in the Direct Connect CLI's camelCase:
//
//	directconnect-describe-direct-connect-gateways.json
//	                                           {"directConnectGateways": [...]}
//	directconnect-describe-direct-connect-gateway-associations-<gateway-id>.json
//	                                           {"directConnectGatewayId": "...", "directConnectGatewayAssociations": [...]}
//
// # Manifest
//
// manifest.json records when and with which tool version the snapshot was
// taken, the accounts (from sts:GetCallerIdentity) and regions, every call made
// (service, operation, IAM action, account, region, file, pages, attempts,
// duration, ok) and the gaps: calls refused for lack of permission
// (AccessDenied, UnauthorizedOperation) and per-resource calls whose resource
// vanished during the collection. A gap names the file that is missing and
// the IAM action that would have allowed the call; the collection goes on
// without it and a reader of the snapshot must treat what that file would have
// told as unknown. See [Manifest].
//
// # Failures
//
// Any other failure of a call (a server error or throttling that outlasts the
// retries, a call timeout, a response that does not decode, a credential or
// network error) stops the whole collection with an error naming the call,
// and nothing is written: a snapshot is either complete up to its recorded
// gaps, or absent. [Result.WriteDir] writes into a temporary folder beside
// the target and renames it into place, so a cancelled run (Ctrl-C) leaves no
// half-written snapshot either.
package awscollect
