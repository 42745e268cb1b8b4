// Package simulate answers questions about a model.Model: can this packet
// get there, by which rules, and what would let it through.
//
// A trace is a deterministic walk over the model, following AWS's own
// forwarding order, that records every decision with the rule that made it.
// Where the model cannot decide (data missing from the snapshot, a path that
// leaves through a component vpcpath does not model yet), the answer is
// unknown with the reason: never a guess.
package simulate

import "github.com/vpcpath/vpcpath/model"

// Verdict is the answer to a trace.
type Verdict string

// Verdicts.
const (
	Reachable Verdict = "reachable"
	Blocked   Verdict = "blocked"
	Unknown   Verdict = "unknown"
)

// Decision is what one hop did with the packet.
type Decision string

// Decisions: a hop lets the packet on, drops it, or cannot be decided
// from the data.
const (
	Allow     Decision = "allow"
	Deny      Decision = "deny"
	Undecided Decision = "unknown"
)

// Component is the kind of thing a hop is. The JSON contract lists them.
type Component string

// Components.
const (
	CompENI             Component = "eni"
	CompSubnet          Component = "subnet"
	CompSecurityGroup   Component = "security-group"
	CompNetworkACL      Component = "network-acl"
	CompRouteTable      Component = "route-table"
	CompInternetGateway Component = "internet-gateway"
	CompNATGateway      Component = "nat-gateway"
	CompVPCEndpoint     Component = "vpc-endpoint"
	CompVPCPeering      Component = "vpc-peering"
	CompTransitGateway  Component = "transit-gateway"
	// CompTGWAttachment is a transit gateway attachment: a VPC's way in
	// and out of the gateway (its interface in the attachment subnet).
	CompTGWAttachment Component = "transit-gateway-attachment"
	// CompVPNConnection is a Site-to-Site VPN connection (its tunnels);
	// CompVGW a virtual private gateway; CompDXGateway a Direct Connect
	// gateway (or virtual interface): the edge of the model.
	CompVPNConnection Component = "vpn-connection"
	CompVGW           Component = "virtual-private-gateway"
	CompDXGateway     Component = "direct-connect-gateway"
	// CompAppliance is a network appliance a route sends traffic through
	// (an interface with source/destination check off, a Gateway Load
	// Balancer or firewall endpoint): what it does is outside the model.
	CompAppliance  Component = "appliance"
	CompPrefixList Component = "prefix-list"
	// CompAWSService is an address AWS serves inside the VPC without
	// security groups or network ACLs: the Amazon DNS resolver, instance
	// metadata, Amazon Time Sync.
	CompAWSService Component = "aws-service"
	// CompDNS is the name resolution a trace by host name starts with.
	CompDNS Component = "dns"
	// CompInternet is the internet a flow from outside every VPC starts on.
	CompInternet Component = "internet"
)

// Components is the closed list of hop components, in the order the
// JSON contract (docs/json.md, schema/trace.schema.json) lists them. A new
// component is added here and nowhere else.
var Components = []Component{CompENI, CompSubnet, CompSecurityGroup, CompNetworkACL,
	CompRouteTable, CompInternetGateway, CompNATGateway, CompVPCEndpoint,
	CompVPCPeering, CompTransitGateway, CompTGWAttachment, CompVPNConnection,
	CompVGW, CompDXGateway, CompAppliance, CompPrefixList,
	CompAWSService, CompDNS, CompInternet}

// Direction says which way a hop's check faces.
type Direction string

// Directions: egress (leaving an interface or subnet), ingress (entering
// one), forward (a routing or translating step).
const (
	Egress  Direction = "egress"
	Ingress Direction = "ingress"
	Forward Direction = "forward"
)

// Hop is one step of a path.
type Hop struct {
	Component Component `json:"component"`
	ID        string    `json:"id"`
	Direction Direction `json:"direction"`
	Decision  Decision  `json:"decision"`
	// Code is the kind of decision, from the closed list Codes.
	Code Code `json:"code"`
	// Rule is the rule that decided, as a person would write it; "" when no
	// rule is involved.
	Rule string `json:"rule"`
	// Ref is the rule (or the resource) that decided, as identifiers; nil
	// when no rule is involved.
	Ref    *RuleRef `json:"ref,omitempty"`
	Reason string   `json:"reason"`
	// Question, AnsweredBy and Answers are set on the dns hop only.
	Question   string   `json:"question,omitempty"`
	AnsweredBy string   `json:"answered_by,omitempty"`
	Answers    []string `json:"answers,omitempty"`
}

// Block says where and why a flow dies (or where the model stops knowing).
type Block struct {
	Component Component `json:"component"`
	ID        string    `json:"id"`
	// Code and Ref are those of the deciding hop.
	Code   Code     `json:"code"`
	Rule   string   `json:"rule"`
	Ref    *RuleRef `json:"ref,omitempty"`
	Reason string   `json:"reason"`
	// Return is true when the block is on the return path.
	Return bool `json:"return"`
}

// Flow is the question, resolved to addresses.
type Flow struct {
	From     string         `json:"from"`
	To       string         `json:"to"`
	SrcENI   string         `json:"src_eni"`
	SrcIP    string         `json:"src_ip"`
	DstIP    string         `json:"dst_ip"`
	DstENI   string         `json:"dst_eni,omitempty"`
	Protocol model.Protocol `json:"protocol"`
	// Port is the destination port or range as model.PortRange.String
	// writes it ("443", "8443-8451", "all"), and "" for protocols without
	// ports: a string, since a model.PortRange has no empty value.
	Port string `json:"port"`
	// Ephemeral is the client port range assumed for replies.
	Ephemeral string `json:"ephemeral"`
}

// TargetResult is the verdict for one destination address when the
// destination has several (an interface endpoint has one per subnet).
type TargetResult struct {
	DstIP     string  `json:"dst_ip"`
	DstENI    string  `json:"dst_eni,omitempty"`
	Verdict   Verdict `json:"verdict"`
	BlockedBy *Block  `json:"blocked_by"`
}

// Result is a trace's answer. Its JSON form is vpcpath's documented
// contract (docs/json.md).
type Result struct {
	SchemaVersion int     `json:"schema_version"`
	Flow          Flow    `json:"flow"`
	Verdict       Verdict `json:"verdict"`
	Hops          []Hop   `json:"hops"`
	ReturnHops    []Hop   `json:"return_hops"`
	// BlockedBy is where the packet dies (verdict blocked) or where the
	// model stops knowing (verdict unknown); nil when reachable.
	BlockedBy   *Block   `json:"blocked_by"`
	Assumptions []string `json:"assumptions"`
	// Fix is one concrete change that would let the flow through, or what
	// would decide an unknown; nil when reachable.
	Fix *string `json:"fix"`
	// Change is Fix as data when the fix is one change to the network:
	// nil for advice and for what would decide an unknown. FixAll applies
	// it; the JSON form lists it under fixes_all.
	Change *Change `json:"-"`
	// PathChange is the change a finding proposes to put a flow on its
	// intended path (a gateway endpoint to associate with the source's
	// table), when one does.
	PathChange *Change `json:"-"`
	// Targets lists every destination address traced when there were
	// several; the hops above are those of the first worst one.
	Targets []TargetResult `json:"targets,omitempty"`
	// Segments split a port range into runs with one outcome each (trace
	// --port A-B); absent when the whole range shares one.
	Segments []Segment `json:"segments,omitempty"`
	// Findings are things worth knowing that did not decide the verdict,
	// such as PrivateLink being bypassed by DNS.
	Findings []string `json:"findings,omitempty"`
	// FixSource is Fix in the language of the input (a Terraform plan's
	// HCL, a template's YAML), naming the resource to change.
	FixSource []SourceFix `json:"fix_source,omitempty"`
	// FixesAll are the changes that make the flow pass, in order, each
	// with the hop it fixes (trace --fix all: FixAll); AfterFixes is the
	// verdict once they are all made. Both absent without --fix all.
	FixesAll   []FixStep   `json:"fixes_all,omitempty"`
	AfterFixes *AfterFixes `json:"after_fixes,omitempty"`
	// Refused lists what AWS would refuse to create (verdict invalid).
	Refused []model.Problem `json:"refused,omitempty"`
}

// SchemaVersion is the version of the trace document (and of the
// hops, blocks and codes other documents embed). CHANGELOG.md says what
// each version changed.
const SchemaVersion = 2

// Query is a question: from a source to a destination on a protocol and
// port.
type Query struct {
	// From is an ENI ID, an instance ID or a private IP of an interface.
	From string
	// To is an ENI ID, an instance ID, a VPC endpoint ID, any IP address,
	// or a host name, resolved as the source's VPC would.
	To       string
	Protocol model.Protocol
	// Port is the destination port for TCP and UDP.
	Port uint16
	// Ephemeral is the client's source port range, which replies are sent
	// to; zero means Linux's 32768-60999.
	Ephemeral model.PortRange
	// EphemeralName names where Ephemeral came from, for the assumption
	// text ("Linux", "Windows", "NAT gateway", "given").
	EphemeralName string
	// DNS configures resolution when To is a host name.
	DNS DNSOptions
	// StandIns are interfaces that stand for workloads the model does not
	// hold (a check's node in a subnet where nothing runs yet). They travel
	// with the question and are never added to the model, which stays
	// read-only once indexed: From and To may name them by ID or address,
	// and the local route delivers to them.
	StandIns []*model.ENI
	// Appliances is "" to assume an appliance on the path forwards the
	// packet (an assumption says so), or AppliancesStrict to answer
	// unknown there.
	Appliances string
	// Via is the VPN connection (vpn-) or virtual private gateway (vgw-)
	// a flow from on-premises arrives by; From is then its address.
	Via string

	inRange bool   // set by TraceRange: port 0 is a port of the range
	gates   *Gates // set by TraceGates: record the filters, decide none
	memo    *Memo  // set by TraceGatesWith: route lookups kept between walks
}

// Ephemeral port ranges (aws-semantics: network ACLs; VPC guide, "Ephemeral
// ports").
var (
	EphemeralLinux   = model.PortRange{First: 32768, Last: 60999}
	EphemeralWindows = model.PortRange{First: 49152, Last: 65535}
	EphemeralNAT     = model.PortRange{First: 1024, Last: 65535}
)
