package model

import (
	"net/netip"
	"strconv"
	"strings"
)

// VPC is a virtual private cloud.
type VPC struct {
	ID        string
	OwnerID   string
	Region    string
	CIDRs     []netip.Prefix // IPv4 blocks in association order; the first is the primary
	IPv6CIDRs []netip.Prefix
	// CIDRsIncomplete is true when some IPv4 block of the VPC is not known
	// (a plan's block association from IPAM, known only after apply):
	// CIDRs then does not say what is outside the VPC.
	CIDRsIncomplete bool
	IsDefault       bool
	// DHCPOptionsID is the VPC's DHCP options set ("default" for AWS's
	// default set, "" when not known).
	DHCPOptionsID string
	// DNSSupport and DNSHostnames are the enableDnsSupport and
	// enableDnsHostnames attributes; Unknown when the snapshot lacks
	// describe-vpc-attribute output.
	DNSSupport   Tri
	DNSHostnames Tri
	Tags         Tags
}

// Contains reports whether addr is inside one of the VPC's CIDR blocks.
func (v *VPC) Contains(addr netip.Addr) bool {
	for _, p := range v.CIDRs {
		if p.Contains(addr) {
			return true
		}
	}
	for _, p := range v.IPv6CIDRs {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// ResolverAddr is the Amazon DNS resolver at the VPC's primary block base
// plus two (VPC guide, "Amazon DNS server"). Invalid when the VPC has no
// IPv4 block.
func (v *VPC) ResolverAddr() netip.Addr {
	if len(v.CIDRs) == 0 {
		return netip.Addr{}
	}
	return v.CIDRs[0].Masked().Addr().Next().Next()
}

// Subnet is a VPC subnet.
type Subnet struct {
	ID        string
	VPCID     string
	AZ        string
	AZID      string
	CIDR      netip.Prefix
	IPv6CIDRs []netip.Prefix
	// AvailableIPs is AvailableIpAddressCount, -1 when not known.
	AvailableIPs int
	// MapPublicIP is MapPublicIpOnLaunch: whether an instance launched
	// without saying gets a public IPv4; Unknown when the input does not
	// say.
	MapPublicIP Tri
	Tags        Tags
}

// Contains reports whether addr is inside the subnet.
func (s *Subnet) Contains(addr netip.Addr) bool {
	if s.CIDR.IsValid() && s.CIDR.Contains(addr) {
		return true
	}
	for _, p := range s.IPv6CIDRs {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// TargetKind is what a route sends traffic to.
type TargetKind string

// Route target kinds.
const (
	TargetLocal          TargetKind = "local"
	TargetIGW            TargetKind = "internet-gateway"
	TargetEgressOnlyIGW  TargetKind = "egress-only-internet-gateway"
	TargetNAT            TargetKind = "nat-gateway"
	TargetVPCEndpoint    TargetKind = "vpc-endpoint"
	TargetPeering        TargetKind = "vpc-peering"
	TargetTransitGateway TargetKind = "transit-gateway"
	TargetVPNGateway     TargetKind = "virtual-private-gateway"
	TargetENI            TargetKind = "network-interface"
	TargetInstance       TargetKind = "instance"
	TargetLocalGateway   TargetKind = "local-gateway"
	TargetCarrierGateway TargetKind = "carrier-gateway"
	TargetCoreNetwork    TargetKind = "core-network"
	TargetUnknown        TargetKind = "unknown"
)

// TargetKindOf tells a route target's kind from its ID's prefix, the one
// place the loaders (snapshot, plan, template) read it from: a GatewayId
// or gateway_id may hold any of these. An ID of no known kind is
// TargetUnknown.
func TargetKindOf(id string) TargetKind {
	switch {
	case id == "local":
		return TargetLocal
	case strings.HasPrefix(id, "arn:") && strings.Contains(id, ":core-network/"):
		return TargetCoreNetwork
	}
	prefix, _, ok := strings.Cut(id, "-")
	if !ok {
		return TargetUnknown
	}
	switch prefix {
	case "igw":
		return TargetIGW
	case "eigw":
		return TargetEgressOnlyIGW
	case "vgw":
		return TargetVPNGateway
	case "vpce":
		return TargetVPCEndpoint
	case "nat":
		return TargetNAT
	case "tgw":
		return TargetTransitGateway
	case "pcx":
		return TargetPeering
	case "eni":
		return TargetENI
	case "i":
		return TargetInstance
	case "lgw":
		return TargetLocalGateway
	case "cagw":
		return TargetCarrierGateway
	}
	return TargetUnknown
}

// Target is a route's next hop.
type Target struct {
	Kind TargetKind
	ID   string // "local" for local routes
}

func (t Target) String() string { return t.ID }

// Route is one entry of a route table. Exactly one of Dest and
// DestPrefixList is set.
type Route struct {
	Dest           netip.Prefix
	DestPrefixList string
	Target         Target
	Blackhole      bool   // State "blackhole": the target is gone
	Origin         string // CreateRouteTable, CreateRoute, EnableVgwRoutePropagation
	Source         string // where the route is defined (a Terraform address), if known
	// Unknown, when set, says which part of the route its source does not
	// decide (a target known only after apply, a destination from a module
	// local), naming the resource and attribute. Such a route stays in the
	// table: every answer it could decide is unknown, never dropped.
	Unknown string
}

// Propagated reports whether the route was propagated (it loses ties to
// static and prefix-list routes).
func (r Route) Propagated() bool { return r.Origin == "EnableVgwRoutePropagation" }

// DestString is the route's destination as the console shows it.
func (r Route) DestString() string {
	if r.DestPrefixList != "" {
		return r.DestPrefixList
	}
	if !r.Dest.IsValid() {
		return "(unknown)" // a destination the input does not decide (Unknown)
	}
	return r.Dest.String()
}

// RouteTable is a VPC route table with its associations.
type RouteTable struct {
	ID       string
	VPCID    string
	Main     bool
	Subnets  []string // explicitly associated subnets
	Gateways []string // edge associations (ingress routing)
	Routes   []Route
	Tags     Tags
}

// SGRule is one flattened security group rule: one protocol/port block and
// exactly one peer (CIDR, group or prefix list).
type SGRule struct {
	GroupID  string
	Egress   bool
	Protocol Protocol
	Ports    PortRange // meaningful for TCP and UDP
	ICMP     ICMPMatch // meaningful for ICMP
	// One peer.
	CIDR         netip.Prefix
	PeerGroup    string
	PeerPeering  string // VpcPeeringConnectionId of a cross-VPC group reference
	PeerAccount  string
	PrefixListID string
	Description  string
	Source       string // where the rule is defined (a Terraform address), if known
	// Unknown, when set, says which part of the rule its source does not
	// decide (a peer group known only after apply, a CIDR from a module
	// local), naming the resource and attribute. The rule may or may not
	// match: an answer that depends on it is unknown.
	Unknown string
}

// PeerString is the rule's peer as a person writes it.
func (r SGRule) PeerString() string {
	switch {
	case r.PeerGroup != "":
		return r.PeerGroup
	case r.PrefixListID != "":
		return r.PrefixListID
	case !r.CIDR.IsValid():
		return "(unknown)" // a peer the input does not decide (Unknown)
	}
	return r.CIDR.String()
}

// String writes the rule as "egress tcp 8443-8451 to sg-1234".
func (r SGRule) String() string {
	var b strings.Builder
	if r.Egress {
		b.WriteString("egress ")
	} else {
		b.WriteString("ingress ")
	}
	b.WriteString(protoPorts(r.Protocol, r.Ports, r.ICMP))
	if r.Egress {
		b.WriteString(" to ")
	} else {
		b.WriteString(" from ")
	}
	b.WriteString(r.PeerString())
	return b.String()
}

func protoPorts(p Protocol, ports PortRange, icmp ICMPMatch) string {
	switch {
	case p == ProtoAll:
		return "all traffic"
	case p.HasPorts():
		if ports.IsAll() {
			return p.String() + " all ports"
		}
		return p.String() + " " + ports.String()
	case p.IsICMP():
		if icmp.Type == -1 {
			return p.String()
		}
		return p.String() + " " + icmp.String()
	}
	return "protocol " + p.String()
}

// SecurityGroup is a VPC security group.
type SecurityGroup struct {
	ID      string
	Name    string
	VPCID   string
	OwnerID string
	Ingress []SGRule
	Egress  []SGRule
	Tags    Tags
}

// NACLEntry is one network ACL rule.
type NACLEntry struct {
	Number   int // 32767 is the final "*" rule
	Egress   bool
	Allow    bool
	Protocol Protocol
	Ports    PortRange
	ICMP     ICMPMatch
	CIDR     netip.Prefix
	Source   string // where the entry is defined (a Terraform address), if known
	// Unknown, when set, says which part of the entry its source does not
	// decide; an answer that depends on the entry is unknown.
	Unknown string
}

// FinalRuleNumber is the number AWS gives the final "*" deny entry.
const FinalRuleNumber = 32767

// NumberString is "100" or "*" for the final rule.
func (e NACLEntry) NumberString() string {
	if e.Number == FinalRuleNumber {
		return "*"
	}
	return strconv.Itoa(e.Number)
}

// String writes the rule as "#110 allow tcp 443 to 0.0.0.0/0".
func (e NACLEntry) String() string {
	var b strings.Builder
	b.Grow(64) // a trace writes one per ACL hop: size it once
	b.WriteString("#")
	b.WriteString(e.NumberString())
	if e.Allow {
		b.WriteString(" allow ")
	} else {
		b.WriteString(" deny ")
	}
	b.WriteString(protoPorts(e.Protocol, e.Ports, e.ICMP))
	if e.Egress {
		b.WriteString(" to ")
	} else {
		b.WriteString(" from ")
	}
	if e.CIDR.IsValid() {
		var buf [64]byte
		b.Write(e.CIDR.AppendTo(buf[:0]))
	} else {
		b.WriteString("(unknown)") // a CIDR the input does not decide (Unknown)
	}
	return b.String()
}

// NetworkACL is a subnet network ACL. Model.Index sorts Inbound and
// Outbound by rule number, the order AWS evaluates them in.
type NetworkACL struct {
	ID        string
	VPCID     string
	IsDefault bool
	Inbound   []NACLEntry
	Outbound  []NACLEntry
	Subnets   []string
	Tags      Tags
}

// ENI is an elastic network interface.
type ENI struct {
	ID       string
	SubnetID string
	VPCID    string
	AZ       string
	// PrivateIPs holds every private IPv4 address, primary first.
	PrivateIPs []netip.Addr
	IPv6s      []netip.Addr
	// PublicIPs maps a private IPv4 address to its public or Elastic IP.
	PublicIPs map[netip.Addr]netip.Addr
	// PublicIPUnknown, when set, says that whether the interface gets a
	// public IPv4 is not decided by the input (a planned instance in a
	// subnet whose map_public_ip_on_launch is unknown), naming why.
	PublicIPUnknown string
	Groups          []string
	// Type is InterfaceType: "interface", "vpc_endpoint", "nat_gateway",
	// "transit_gateway", "lambda", ...
	Type             string
	InstanceID       string
	DeviceIndex      int
	Status           string
	SourceDestCheck  bool
	RequesterManaged bool
	Description      string
	Tags             Tags
}

// PrimaryIP is the primary private IPv4 address (or the first IPv6 one).
func (e *ENI) PrimaryIP() netip.Addr {
	if len(e.PrivateIPs) > 0 {
		return e.PrivateIPs[0]
	}
	if len(e.IPv6s) > 0 {
		return e.IPv6s[0]
	}
	return netip.Addr{}
}

// PublicIPFor returns the public IP mapped to private address a, if any.
func (e *ENI) PublicIPFor(a netip.Addr) (netip.Addr, bool) {
	p, ok := e.PublicIPs[a]
	return p, ok
}

// HasGroup reports whether the interface carries group id.
func (e *ENI) HasGroup(id string) bool {
	for _, g := range e.Groups {
		if g == id {
			return true
		}
	}
	return false
}

// Instance is an EC2 instance.
type Instance struct {
	ID       string
	State    string
	SubnetID string
	VPCID    string
	ENIs     []string // primary (device index 0) first
	Tags     Tags
}

// Endpoint types.
const (
	EndpointInterface = "Interface"
	EndpointGateway   = "Gateway"
	EndpointGWLB      = "GatewayLoadBalancer"
)

// EndpointTypeFrom tells the type of an endpoint whose input leaves its
// type undecided, from what the input certainly gives it (route tables,
// subnets, security groups) and its service, or returns "" when more than
// one type remains. Only gateway endpoints take route tables, and they
// take no subnets; only interface endpoints take security groups; only
// Amazon S3 (S3 Express One Zone too) and DynamoDB have gateway
// endpoints; and a service of AWS (com.amazonaws.REGION.NAME) is no
// Gateway Load Balancer's (VPC guide, "Gateway endpoints", "Access an AWS
// service using an interface VPC endpoint", PrivateLink guide, "Gateway
// Load Balancer endpoints"). why says what decided.
func EndpointTypeFrom(service string, routeTables, subnets, groups bool) (typ, why string) {
	switch {
	case routeTables && !subnets && !groups:
		return EndpointGateway, "it is given route tables, which only gateway endpoints take"
	case groups && !routeTables:
		return EndpointInterface, "it is given security groups, which only interface endpoints take"
	}
	awsService := strings.HasPrefix(service, "com.amazonaws.") && !strings.HasPrefix(service, "com.amazonaws.vpce.")
	gatewayService := strings.HasSuffix(service, ".s3") || strings.HasSuffix(service, ".s3express") || strings.HasSuffix(service, ".dynamodb")
	if !awsService || routeTables {
		return "", "" // a Gateway Load Balancer's service, or given both kinds
	}
	switch {
	case subnets:
		return EndpointInterface, "it is given subnets, which gateway endpoints do not take, and " + service + " is a service of AWS, not a Gateway Load Balancer's"
	case !gatewayService:
		return EndpointInterface, service + " has no gateway endpoint (only Amazon S3 and DynamoDB do) and is a service of AWS, not a Gateway Load Balancer's"
	}
	return "", ""
}

// VPCEndpoint is a VPC endpoint of any type.
type VPCEndpoint struct {
	ID          string
	VPCID       string
	Type        string // Interface, Gateway, GatewayLoadBalancer
	ServiceName string
	State       string
	PrivateDNS  bool
	// PrivateDNSUnknown, when set, says that whether private DNS is on is
	// not decided by the input (PrivateDNS is then false), naming the
	// resource and attribute that would decide it.
	PrivateDNSUnknown string
	Subnets           []string
	ENIs              []string
	Groups            []string
	RouteTables       []string
	DNSNames          []string
	Tags              Tags
}

// NATGateway is a NAT gateway.
type NATGateway struct {
	ID           string
	VPCID        string
	SubnetID     string
	State        string
	Connectivity string // "public" or "private"
	ENIID        string
	PrivateIP    netip.Addr
	PublicIP     netip.Addr
	Tags         Tags
}

// InternetGateway is an internet gateway and the VPCs it is attached to.
type InternetGateway struct {
	ID   string
	VPCs []string
	Tags Tags
}

// PrefixList is an AWS-managed or customer-managed prefix list.
// CIDRsKnown is false when the list was described but its entries were not
// collected: then nothing can be said about what it matches.
type PrefixList struct {
	ID         string
	Name       string
	OwnerID    string
	CIDRs      []netip.Prefix
	CIDRsKnown bool
}

// Contains reports whether addr is in the list, and which entry holds it.
func (p *PrefixList) Contains(addr netip.Addr) (netip.Prefix, bool) {
	var best netip.Prefix
	for _, c := range p.CIDRs {
		if c.Contains(addr) && (!best.IsValid() || c.Bits() > best.Bits()) {
			best = c
		}
	}
	return best, best.IsValid()
}
