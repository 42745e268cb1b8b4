package simulate

import (
	"slices"
	"strings"
)

// Code says, in a word a script can switch on, what kind of decision a hop
// made: the explanation codes of vpcpath's JSON contract, in the spirit of
// VPC Reachability Analyzer's explanation codes
// (https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html).
// Every hop has one, whether it allows, denies or cannot decide; the
// decision says which, the code says why. The list is closed: Codes.
type Code string

// Codes of decisions by the rules of a component.
const (
	// CodeSGRuleAllows: a security group rule allows the packet.
	CodeSGRuleAllows Code = "SG_RULE_ALLOWS"
	// CodeSGNoMatchingIngress, CodeSGNoMatchingEgress: no rule of the
	// interface's groups allows the packet in (out).
	CodeSGNoMatchingIngress Code = "SG_NO_MATCHING_INGRESS"
	CodeSGNoMatchingEgress  Code = "SG_NO_MATCHING_EGRESS"
	// CodeSGStatefulReply: the reply of an allowed connection passes the
	// groups whatever their rules say.
	CodeSGStatefulReply Code = "SG_STATEFUL_REPLY"
	// CodeSGNotApplicable: the interface carries no security groups (a NAT
	// gateway's, a transit gateway attachment's).
	CodeSGNotApplicable Code = "SG_NOT_APPLICABLE"

	// CodeNACLRuleAllows: the first matching network ACL entry allows.
	CodeNACLRuleAllows Code = "NACL_RULE_ALLOWS"
	// CodeNACLDeny: a numbered entry denies (all or part of a port range).
	CodeNACLDeny Code = "NACL_DENY"
	// CodeNACLDefaultDeny: no numbered entry matches; the final "*" entry
	// denies.
	CodeNACLDefaultDeny Code = "NACL_DEFAULT_DENY"

	// CodeRouteMatch: the route table's longest prefix match sends the
	// packet on.
	CodeRouteMatch Code = "ROUTE_MATCH"
	// CodePrefixListMatch: the destination is an entry of the prefix list
	// the matching route names.
	CodePrefixListMatch Code = "PREFIX_LIST_MATCH"
	// CodeNoRoute: no route of the table matches the destination.
	CodeNoRoute Code = "NO_ROUTE"
	// CodeRouteBlackhole: the matching route's target no longer exists.
	CodeRouteBlackhole Code = "ROUTE_BLACKHOLE"
	// CodeAsymmetricRoute: the reply leaves by another way than the request
	// came (denied when the client cannot get it, unknown otherwise).
	CodeAsymmetricRoute Code = "ASYMMETRIC_ROUTE"
	// CodeLinkLocal: a link-local address the VPC does not route.
	CodeLinkLocal Code = "LINK_LOCAL_NOT_ROUTED"
	// CodeNoSubnetForAddress: the local route matches, but no subnet holds
	// the address.
	CodeNoSubnetForAddress Code = "NO_SUBNET_FOR_ADDRESS"

	// CodeENISends: the source interface sends the packet.
	CodeENISends Code = "ENI_SENDS"
	// CodeENIDelivered: the packet (or the reply) reaches its interface.
	CodeENIDelivered Code = "ENI_DELIVERED"
	// CodeNoAddressOfFamily: the source has no address of the
	// destination's family (IPv4, IPv6).
	CodeNoAddressOfFamily Code = "NO_ADDRESS_OF_FAMILY"
	// CodeInstanceNotRunning: the interface's instance is not running.
	CodeInstanceNotRunning Code = "INSTANCE_NOT_RUNNING"
	// CodeENINotAttached: the interface is attached to nothing.
	CodeENINotAttached Code = "ENI_NOT_ATTACHED"
	// CodeNoInterfaceAtAddress: no interface of the snapshot holds the
	// destination address.
	CodeNoInterfaceAtAddress Code = "NO_INTERFACE_AT_ADDRESS"
	// CodeOverlappingAddress: the address is held by another interface than
	// the one asked for (overlapping address space).
	CodeOverlappingAddress Code = "OVERLAPPING_ADDRESS"
	// CodeInterfaceNotPlaced: an end of the flow has no subnet or address
	// the input decides.
	CodeInterfaceNotPlaced Code = "INTERFACE_NOT_PLACED"

	// CodeAWSServiceAnswers: the Amazon DNS resolver, instance metadata or
	// Amazon Time Sync answers, without security groups or ACLs.
	CodeAWSServiceAnswers Code = "AWS_SERVICE_ANSWERS"
	// CodeAWSServicePort: such a service answers only on its own port.
	CodeAWSServicePort Code = "AWS_SERVICE_WRONG_PORT"
	// CodeDNSSupportDisabled: enableDnsSupport is off on the VPC.
	CodeDNSSupportDisabled Code = "DNS_SUPPORT_DISABLED"

	// CodeIGWTranslates: the internet gateway translates between the
	// private and the public address (1:1 NAT) and forwards.
	CodeIGWTranslates Code = "IGW_TRANSLATES"
	// CodeGatewayNotAttached: the internet gateway or virtual private
	// gateway is not attached to the VPC.
	CodeGatewayNotAttached Code = "GATEWAY_NOT_ATTACHED"
	// CodeNoInternetGateway: the destination's VPC has no internet gateway.
	CodeNoInternetGateway Code = "NO_INTERNET_GATEWAY"
	// CodeDestinationNotPublic: an internet gateway cannot deliver a
	// private destination.
	CodeDestinationNotPublic Code = "DESTINATION_NOT_PUBLIC"
	// CodeNoPublicIP: the interface has no public or Elastic IP.
	CodeNoPublicIP Code = "NO_PUBLIC_IP"
	// CodePublicIPMismatch: the address is not the destination's public IP.
	CodePublicIPMismatch Code = "PUBLIC_IP_MISMATCH"
	// CodeNATNoElasticIP: a public NAT gateway without an Elastic IP.
	CodeNATNoElasticIP Code = "NAT_NO_ELASTIC_IP"

	// CodeNATTranslates: the NAT gateway translates the source (or the
	// reply back).
	CodeNATTranslates Code = "NAT_TRANSLATES"
	// CodeNATNotAvailable: the NAT gateway is not available.
	CodeNATNotAvailable Code = "NAT_NOT_AVAILABLE"
	// CodeNATIPv4Only: a NAT gateway translates IPv4 only.
	CodeNATIPv4Only Code = "NAT_IPV4_ONLY"
	// CodeNATOwnAddress: the packet is addressed to the NAT gateway, which
	// accepts no connections.
	CodeNATOwnAddress Code = "NAT_OWN_ADDRESS"

	// CodeEndpointForwards: a gateway or interface endpoint carries the
	// packet to its service.
	CodeEndpointForwards Code = "ENDPOINT_FORWARDS"
	// CodeEndpointNotAvailable: the endpoint is not available.
	CodeEndpointNotAvailable Code = "ENDPOINT_NOT_AVAILABLE"
	// CodeEndpointTCPOnly: endpoints carry TCP only.
	CodeEndpointTCPOnly Code = "ENDPOINT_TCP_ONLY"

	// CodePeeringActive: an active peering connection carries the packet.
	CodePeeringActive Code = "PEERING_ACTIVE"
	// CodePeeringNotActive: the peering connection is not active.
	CodePeeringNotActive Code = "PEERING_NOT_ACTIVE"
	// CodePeeringWrongVPC: the peering connection does not connect the VPC
	// the packet is in.
	CodePeeringWrongVPC Code = "PEERING_WRONG_VPC"
	// CodePeeringNotTransitive: the destination is beyond the peer VPC,
	// reached from there by another peering or a transit gateway.
	CodePeeringNotTransitive Code = "PEERING_NOT_TRANSITIVE"
	// CodeNoEdgeToEdge: the packet entered the VPC from another VPC and
	// would leave by a gateway of the VPC's own (internet, NAT, VPN,
	// endpoint), which carries only the VPC's own traffic.
	CodeNoEdgeToEdge Code = "NO_EDGE_TO_EDGE_ROUTING"
	// CodePeeringOutsidePeer: the destination is not in the peer VPC.
	CodePeeringOutsidePeer Code = "PEERING_DESTINATION_OUTSIDE_PEER"

	// CodeTGWAttachmentForwards: a transit gateway attachment carries the
	// packet between the gateway and a VPC, a peer gateway or the edge.
	CodeTGWAttachmentForwards Code = "TGW_ATTACHMENT_FORWARDS"
	// CodeTGWNoAttachment: the VPC has no attachment to the gateway.
	CodeTGWNoAttachment Code = "TGW_NO_ATTACHMENT"
	// CodeTGWAttachmentNotAvailable: the attachment is not available.
	CodeTGWAttachmentNotAvailable Code = "TGW_ATTACHMENT_NOT_AVAILABLE"
	// CodeTGWNoSubnetInAZ: the attachment has no subnet in the source's
	// Availability Zone.
	CodeTGWNoSubnetInAZ Code = "TGW_ATTACHMENT_NO_SUBNET_IN_AZ"
	// CodeTGWNoRouteTable: the attachment is associated with no route
	// table of the gateway.
	CodeTGWNoRouteTable Code = "TGW_NO_ROUTE_TABLE"
	// CodeTGWRouteMatch: the gateway route table's longest prefix match
	// sends the packet to an attachment.
	CodeTGWRouteMatch Code = "TGW_ROUTE_MATCH"
	// CodeTGWNoRoute: no route of the gateway route table matches.
	CodeTGWNoRoute Code = "TGW_NO_ROUTE"
	// CodeTGWBlackhole: the matching gateway route is a blackhole.
	CodeTGWBlackhole Code = "TGW_BLACKHOLE"
	// CodeTGWPeeringStaticOnly: a peering attachment carries static routes
	// only.
	CodeTGWPeeringStaticOnly Code = "TGW_PEERING_STATIC_ONLY"

	// CodeVGWForwards: an attached virtual private gateway carries the
	// packet between the VPC and on-premises.
	CodeVGWForwards Code = "VGW_FORWARDS"
	// CodeVPNTunnelUp: a VPN tunnel is UP.
	CodeVPNTunnelUp Code = "VPN_TUNNEL_UP"
	// CodeVPNTunnelsDown: no tunnel of the connections is UP.
	CodeVPNTunnelsDown Code = "VPN_TUNNELS_DOWN"
	// CodeVPNNoRoute: a static-routes-only connection has no route for the
	// destination.
	CodeVPNNoRoute Code = "VPN_NO_ROUTE"
	// CodeNoEdgeConnection: the gateway has no VPN connection or Direct
	// Connect virtual interface.
	CodeNoEdgeConnection Code = "NO_EDGE_CONNECTION"
	// CodeDXInterfaceUp: a Direct Connect virtual interface is available.
	CodeDXInterfaceUp Code = "DX_VIRTUAL_INTERFACE_UP"
	// CodeDXInterfacesDown: no Direct Connect virtual interface is up.
	CodeDXInterfacesDown Code = "DX_VIRTUAL_INTERFACES_DOWN"

	// CodeApplianceAssumed: an appliance is assumed to forward the packet.
	CodeApplianceAssumed Code = "APPLIANCE_ASSUMED"
	// CodeSourceDestCheck: the appliance interface has its
	// source/destination check on.
	CodeSourceDestCheck Code = "SOURCE_DEST_CHECK"
	// CodeApplianceAsymmetric: the reply passes an appliance the request
	// did not.
	CodeApplianceAsymmetric Code = "APPLIANCE_ASYMMETRIC"

	// CodeInternetHost: the host on the internet sends, or gets the reply.
	CodeInternetHost Code = "INTERNET_HOST"

	// CodeHopLimit: the packet passed too many forwarding elements.
	CodeHopLimit Code = "HOP_LIMIT"
	// CodeRoutingLoop: the packet comes back to an element it passed.
	CodeRoutingLoop Code = "ROUTING_LOOP"

	// CodeDNSAnswer: the name resolves to addresses.
	CodeDNSAnswer Code = "DNS_ANSWER"
	// CodeDNSNXDomain: the name does not exist where it is resolved (a
	// private hosted zone shadows it).
	CodeDNSNXDomain Code = "DNS_NXDOMAIN"
	// CodeDNSWrongEndpoint: the name answers with addresses that are not
	// the interfaces of the endpoint it belongs to.
	CodeDNSWrongEndpoint Code = "DNS_WRONG_ENDPOINT"
	// CodeDNSAmbiguous: the answer is not defined (two private zones claim
	// the name, a CNAME loop).
	CodeDNSAmbiguous Code = "DNS_AMBIGUOUS"
)

// Codes of answers the model cannot decide, on any component.
const (
	// CodeMissingData: the snapshot lacks what decides (a resource, its
	// rules, an attribute, telemetry); the fix names the describe call.
	CodeMissingData Code = "MISSING_DATA"
	// CodeUndecidedAttribute: a plan or template leaves an attribute the
	// decision needs undecided (known after apply).
	CodeUndecidedAttribute Code = "UNDECIDED_ATTRIBUTE"
	// CodeOutsideModel: the path continues through something vpcpath does
	// not model (an appliance's behaviour, custom DNS servers, ingress
	// routing, a hairpin through the internet gateway).
	CodeOutsideModel Code = "OUTSIDE_MODEL"
)

// Codes is the closed list of explanation codes, in the order the JSON
// contract (docs/json.md, schema/trace.schema.json) lists them. A new code
// is added here and in docs/json.md; a test fails when a code of the list
// is produced by no test scenario.
var Codes = []Code{
	CodeSGRuleAllows, CodeSGNoMatchingIngress, CodeSGNoMatchingEgress, CodeSGStatefulReply, CodeSGNotApplicable,
	CodeNACLRuleAllows, CodeNACLDeny, CodeNACLDefaultDeny,
	CodeRouteMatch, CodePrefixListMatch, CodeNoRoute, CodeRouteBlackhole, CodeAsymmetricRoute, CodeLinkLocal, CodeNoSubnetForAddress,
	CodeENISends, CodeENIDelivered, CodeNoAddressOfFamily, CodeInstanceNotRunning, CodeENINotAttached,
	CodeNoInterfaceAtAddress, CodeOverlappingAddress, CodeInterfaceNotPlaced,
	CodeAWSServiceAnswers, CodeAWSServicePort, CodeDNSSupportDisabled,
	CodeIGWTranslates, CodeGatewayNotAttached, CodeNoInternetGateway, CodeDestinationNotPublic, CodeNoPublicIP, CodePublicIPMismatch, CodeNATNoElasticIP,
	CodeNATTranslates, CodeNATNotAvailable, CodeNATIPv4Only, CodeNATOwnAddress,
	CodeEndpointForwards, CodeEndpointNotAvailable, CodeEndpointTCPOnly,
	CodePeeringActive, CodePeeringNotActive, CodePeeringWrongVPC, CodePeeringNotTransitive, CodeNoEdgeToEdge, CodePeeringOutsidePeer,
	CodeTGWAttachmentForwards, CodeTGWNoAttachment, CodeTGWAttachmentNotAvailable, CodeTGWNoSubnetInAZ, CodeTGWNoRouteTable,
	CodeTGWRouteMatch, CodeTGWNoRoute, CodeTGWBlackhole, CodeTGWPeeringStaticOnly,
	CodeVGWForwards, CodeVPNTunnelUp, CodeVPNTunnelsDown, CodeVPNNoRoute, CodeNoEdgeConnection, CodeDXInterfaceUp, CodeDXInterfacesDown,
	CodeApplianceAssumed, CodeSourceDestCheck, CodeApplianceAsymmetric,
	CodeInternetHost, CodeHopLimit, CodeRoutingLoop,
	CodeDNSAnswer, CodeDNSNXDomain, CodeDNSWrongEndpoint, CodeDNSAmbiguous,
	CodeMissingData, CodeUndecidedAttribute, CodeOutsideModel,
}

// RefKind is what a RuleRef points at.
type RefKind string

// Rule reference kinds.
const (
	// RefSGRule is one security group rule: ID is the group, Egress the
	// direction, RuleIndex the rule's position (from 0) in the group's
	// ingress or egress rules as the snapshot lists them, one rule per
	// peer (describe-security-groups' IpPermissions flattened).
	RefSGRule RefKind = "security-group-rule"
	// RefSGs is the set of an interface's groups (GroupIDs) when no single
	// rule decided: none matched, or the reply passed statefully.
	RefSGs RefKind = "security-groups"
	// RefNACLEntry is a network ACL entry: ID is the ACL, Egress the
	// direction, RuleNumber the entry's number (32767 is the final "*"
	// entry, as describe-network-acls lists it).
	RefNACLEntry RefKind = "network-acl-entry"
	// RefRoute is a VPC route: ID is the route table, Destination the
	// route's CIDR or prefix list ID, Target its target ID.
	RefRoute RefKind = "route"
	// RefRouteTable is a route table in which no route matched (ID).
	RefRouteTable RefKind = "route-table"
	// RefPrefixListEntry is an entry (Destination) of a prefix list (ID).
	RefPrefixListEntry RefKind = "prefix-list-entry"
	// RefTGWRoute is a transit gateway route: ID is the gateway route
	// table, Destination the route's CIDR or prefix list ID, Targets its
	// attachments (none for a blackhole).
	RefTGWRoute RefKind = "transit-gateway-route"
	// RefTGWRouteTable is a transit gateway route table in which no route
	// matched (ID).
	RefTGWRouteTable RefKind = "transit-gateway-route-table"
	// RefDNSName is the name (ID) a resolver answered for.
	RefDNSName RefKind = "dns-name"
	// RefResource is a resource (ID) whose state or attribute decided: a
	// gateway, an endpoint, a peering connection, an attachment, a VPN
	// connection, an interface; the code says which state.
	RefResource RefKind = "resource"
)

// RefKinds is the closed list of rule reference kinds.
var RefKinds = []RefKind{RefSGRule, RefSGs, RefNACLEntry, RefRoute, RefRouteTable, RefPrefixListEntry,
	RefTGWRoute, RefTGWRouteTable, RefDNSName, RefResource}

// RefRequired lists, per kind, the fields (by JSON name) a RuleRef of
// that kind always has; the schema requires them (schema/*.schema.json).
var RefRequired = map[RefKind][]string{
	RefSGRule:          {"id", "rule_index"},
	RefSGs:             {"group_ids"},
	RefNACLEntry:       {"id"}, // rule_number too, unless a plan leaves it undecided
	RefRoute:           {"id", "destination", "target"},
	RefRouteTable:      {"id"},
	RefPrefixListEntry: {"id", "destination"},
	RefTGWRoute:        {"id", "destination"},
	RefTGWRouteTable:   {"id"},
	RefDNSName:         {"id"},
	RefResource:        {"id"},
}

// RuleRef is the rule a hop was decided by, as stable identifiers a script
// can look up in AWS: which fields are set depends on Kind.
type RuleRef struct {
	Kind RefKind `json:"kind"`
	// ID is the resource that holds the rule (sg-, acl-, rtb-, pl-,
	// tgw-rtb-) or whose state decided; empty for RefSGs.
	ID       string   `json:"id,omitempty"`
	GroupIDs []string `json:"group_ids,omitempty"`
	Egress   bool     `json:"egress,omitempty"`
	// RuleIndex is a pointer: rule 0 is a rule.
	RuleIndex   *int     `json:"rule_index,omitempty"`
	RuleNumber  int      `json:"rule_number,omitempty"`
	Destination string   `json:"destination,omitempty"`
	Target      string   `json:"target,omitempty"`
	Targets     []string `json:"targets,omitempty"`
}

// HopID is the hop ID a reference belongs to: ID, or the group IDs joined
// by commas for RefSGs.
func (r *RuleRef) HopID() string {
	if r.Kind == RefSGs {
		return strings.Join(r.GroupIDs, ",")
	}
	return r.ID
}

// Equal reports whether two references name the same rule (nil only
// equals nil).
func (r *RuleRef) Equal(o *RuleRef) bool {
	if r == nil || o == nil {
		return r == o
	}
	return r.Kind == o.Kind && r.ID == o.ID && slices.Equal(r.GroupIDs, o.GroupIDs) && r.Egress == o.Egress &&
		(r.RuleIndex == nil) == (o.RuleIndex == nil) && (r.RuleIndex == nil || *r.RuleIndex == *o.RuleIndex) &&
		r.RuleNumber == o.RuleNumber && r.Destination == o.Destination && r.Target == o.Target && slices.Equal(r.Targets, o.Targets)
}

// Equal reports whether two blocks are the same (nil only equals nil).
func (b *Block) Equal(o *Block) bool {
	if b == nil || o == nil {
		return b == o
	}
	return b.Component == o.Component && b.ID == o.ID && b.Code == o.Code && b.Rule == o.Rule &&
		b.Ref.Equal(o.Ref) && b.Reason == o.Reason && b.Return == o.Return
}

// resourceRef is a RefResource for id.
func resourceRef(id string) *RuleRef { return &RuleRef{Kind: RefResource, ID: id} }

// codeSeen, when set (by the package's tests), is called with every hop a
// tracer records: the tests check that every code of Codes is produced.
var codeSeen func(Hop)

func seen(h Hop) {
	if codeSeen != nil {
		codeSeen(h)
	}
}
