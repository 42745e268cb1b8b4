package model

import (
	"net/netip"
	"sort"
	"strings"
)

// Kind names a kind of resource, as the describe call that lists it.
type Kind string

// Kinds the model holds.
const (
	KindVPC             Kind = "Vpcs"
	KindSubnet          Kind = "Subnets"
	KindRouteTable      Kind = "RouteTables"
	KindSecurityGroup   Kind = "SecurityGroups"
	KindNetworkACL      Kind = "NetworkAcls"
	KindENI             Kind = "NetworkInterfaces"
	KindInstance        Kind = "Reservations"
	KindVPCEndpoint     Kind = "VpcEndpoints"
	KindNATGateway      Kind = "NatGateways"
	KindInternetGateway Kind = "InternetGateways"
	KindPrefixList      Kind = "PrefixLists"
	KindPeering         Kind = "VpcPeeringConnections"
	KindTransitGateway  Kind = "TransitGateways"
	KindTGWAttachment   Kind = "TransitGatewayAttachments"
	KindVPCAttribute    Kind = "VpcAttributes"
	// Beyond one VPC (transit.go).
	KindTGWRouteTable    Kind = "TransitGatewayRouteTables"
	KindVPNGateway       Kind = "VpnGateways"
	KindVPNConnection    Kind = "VpnConnections"
	KindCustomerGateway  Kind = "CustomerGateways"
	KindDXGateway        Kind = "directConnectGateways"
	KindVirtualInterface Kind = "virtualInterfaces"
)

// SourceKind says which language a model's Sources are written in.
type SourceKind string

// Source languages. SourceNone is a snapshot or a live collection: no
// source file to point at.
const (
	SourceNone           SourceKind = ""
	SourceTerraform      SourceKind = "terraform"
	SourceCloudFormation SourceKind = "cloudformation"
)

// SourceLanguage is the language of m's Sources: SourceKind when the
// loader set it; else, when there are Sources, what they look like (a
// Terraform address always has a dot, aws_subnet.a; a CloudFormation
// logical ID never does); else SourceNone.
func (m *Model) SourceLanguage() SourceKind {
	if m.SourceKind != SourceNone || len(m.Sources) == 0 {
		return m.SourceKind
	}
	for _, s := range m.Sources {
		if !strings.Contains(s, ".") {
			return SourceCloudFormation
		}
	}
	return SourceTerraform
}

// Model is a loaded network. Maps are keyed by AWS ID. Call Index after
// filling or changing it; the lookup methods read the indexes.
type Model struct {
	VPCs             map[string]*VPC
	Subnets          map[string]*Subnet
	RouteTables      map[string]*RouteTable
	SecurityGroups   map[string]*SecurityGroup
	NetworkACLs      map[string]*NetworkACL
	ENIs             map[string]*ENI
	Instances        map[string]*Instance
	Endpoints        map[string]*VPCEndpoint
	NATGateways      map[string]*NATGateway
	InternetGateways map[string]*InternetGateway
	PrefixLists      map[string]*PrefixList
	Peerings         map[string]*Peering
	TransitGateways  map[string]*TransitGateway
	TGWAttachments   map[string]*TGWAttachment
	TGWRouteTables   map[string]*TGWRouteTable
	VPNGateways      map[string]*VPNGateway
	VPNConnections   map[string]*VPNConnection
	CustomerGateways map[string]*CustomerGateway
	DXGateways       map[string]*DXGateway
	// VirtualInterfaces are Direct Connect virtual interfaces.
	VirtualInterfaces map[string]*VirtualInterface
	HostedZones       map[string]*HostedZone
	ResolverRules     map[string]*ResolverRule
	DHCPOptions       map[string]*DHCPOptions
	// EndpointServices are keyed by service name.
	EndpointServices map[string]*EndpointService

	// Present records which kinds the source described at all. A kind that
	// is absent is a gap in the data, not proof that nothing of it exists:
	// answers that depend on it are unknown.
	Present map[Kind]bool
	// Dangling lists references to resources of a described kind that are
	// not in the data (filtered describe calls, trimmed files).
	Dangling []Dangling
	// Regions are the regions the data covers, sorted.
	Regions []string
	// VPCRegion maps a VPC ID to its region where known.
	VPCRegion map[string]string
	// Sources maps a resource ID to where it is defined, for loaders that
	// know (a Terraform plan: the resource address). Empty for snapshots.
	Sources map[string]string
	// SourceKind is the language Sources are written in: Terraform
	// addresses (aws_subnet.a, module.vpc.aws_subnet.private[0]) or
	// CloudFormation logical IDs (PrivateSubnetA). The loader that fills
	// Sources sets it; a fix or a report names the resource in that
	// language (see SourceKind's constants).
	SourceKind SourceKind
	// Assumptions maps a resource ID to what the loader had to assume about
	// it (a planned interface's address, a planned endpoint's state); a
	// trace lists those of the resources it passes.
	Assumptions map[string][]string

	byIP        map[netip.Addr][]*ENI
	byPublicIP  map[netip.Addr]*ENI
	subnetRT    map[string]*RouteTable
	subnetRTExp map[string]bool
	mainRT      map[string]*RouteTable
	subnetACL   map[string]*NetworkACL
	defaultACL  map[string]*NetworkACL
	endpointENI map[string]*VPCEndpoint
	natENI      map[string]*NATGateway
	igwByVPC    map[string][]*InternetGateway
	members     map[string][]*ENI
	plByName    map[string]*PrefixList
	edgeRT      map[string]*RouteTable
	vpcEPs      map[string][]*VPCEndpoint
	vpcNATs     map[string][]*NATGateway
	transit     transitIndex
}

// New returns an empty model.
func New() *Model {
	return &Model{
		VPCs:              map[string]*VPC{},
		Subnets:           map[string]*Subnet{},
		RouteTables:       map[string]*RouteTable{},
		SecurityGroups:    map[string]*SecurityGroup{},
		NetworkACLs:       map[string]*NetworkACL{},
		ENIs:              map[string]*ENI{},
		Instances:         map[string]*Instance{},
		Endpoints:         map[string]*VPCEndpoint{},
		NATGateways:       map[string]*NATGateway{},
		InternetGateways:  map[string]*InternetGateway{},
		PrefixLists:       map[string]*PrefixList{},
		Peerings:          map[string]*Peering{},
		TransitGateways:   map[string]*TransitGateway{},
		TGWAttachments:    map[string]*TGWAttachment{},
		TGWRouteTables:    map[string]*TGWRouteTable{},
		VPNGateways:       map[string]*VPNGateway{},
		VPNConnections:    map[string]*VPNConnection{},
		CustomerGateways:  map[string]*CustomerGateway{},
		DXGateways:        map[string]*DXGateway{},
		VirtualInterfaces: map[string]*VirtualInterface{},
		HostedZones:       map[string]*HostedZone{},
		ResolverRules:     map[string]*ResolverRule{},
		EndpointServices:  map[string]*EndpointService{},
		DHCPOptions:       map[string]*DHCPOptions{},
		Present:           map[Kind]bool{},
		VPCRegion:         map[string]string{},
		Sources:           map[string]string{},
		Assumptions:       map[string][]string{},
	}
}

// Index (re)builds the lookup indexes. Loaders call it once at the end.
func (m *Model) Index() {
	m.byIP = make(map[netip.Addr][]*ENI, len(m.ENIs))
	m.byPublicIP = map[netip.Addr]*ENI{}
	for _, id := range sortedKeys(m.ENIs) {
		e := m.ENIs[id]
		for _, a := range e.PrivateIPs {
			m.byIP[a] = append(m.byIP[a], e)
		}
		for _, a := range e.IPv6s {
			m.byIP[a] = append(m.byIP[a], e)
		}
		for _, p := range e.PublicIPs {
			m.byPublicIP[p] = e
		}
	}
	m.subnetRT = map[string]*RouteTable{}
	m.subnetRTExp = map[string]bool{}
	m.mainRT = map[string]*RouteTable{}
	m.edgeRT = map[string]*RouteTable{}
	for _, id := range sortedKeys(m.RouteTables) {
		rt := m.RouteTables[id]
		if rt.Main {
			m.mainRT[rt.VPCID] = rt
		}
		for _, s := range rt.Subnets {
			m.subnetRT[s] = rt
			m.subnetRTExp[s] = true
		}
		for _, g := range rt.Gateways {
			if m.edgeRT[g] == nil {
				m.edgeRT[g] = rt
			}
		}
	}
	m.vpcEPs = map[string][]*VPCEndpoint{}
	for _, id := range sortedKeys(m.Endpoints) {
		ep := m.Endpoints[id]
		m.vpcEPs[ep.VPCID] = append(m.vpcEPs[ep.VPCID], ep)
	}
	m.vpcNATs = map[string][]*NATGateway{}
	for _, id := range sortedKeys(m.NATGateways) {
		n := m.NATGateways[id]
		m.vpcNATs[n.VPCID] = append(m.vpcNATs[n.VPCID], n)
	}
	m.subnetACL = map[string]*NetworkACL{}
	m.defaultACL = map[string]*NetworkACL{}
	for _, id := range sortedKeys(m.NetworkACLs) {
		acl := m.NetworkACLs[id]
		// AWS evaluates entries in ascending rule number, whatever order a
		// source lists them in (Batfish uses file order; AWS does not).
		sort.SliceStable(acl.Inbound, func(a, b int) bool { return acl.Inbound[a].Number < acl.Inbound[b].Number })
		sort.SliceStable(acl.Outbound, func(a, b int) bool { return acl.Outbound[a].Number < acl.Outbound[b].Number })
		if acl.IsDefault {
			m.defaultACL[acl.VPCID] = acl
		}
		for _, s := range acl.Subnets {
			m.subnetACL[s] = acl
		}
	}
	m.endpointENI = map[string]*VPCEndpoint{}
	for _, ep := range m.Endpoints {
		for _, e := range ep.ENIs {
			m.endpointENI[e] = ep
		}
	}
	m.natENI = map[string]*NATGateway{}
	for _, n := range m.NATGateways {
		if n.ENIID != "" {
			m.natENI[n.ENIID] = n
		}
	}
	m.igwByVPC = map[string][]*InternetGateway{}
	for _, id := range sortedKeys(m.InternetGateways) {
		g := m.InternetGateways[id]
		for _, v := range g.VPCs {
			m.igwByVPC[v] = append(m.igwByVPC[v], g)
		}
	}
	m.members = map[string][]*ENI{}
	for _, id := range sortedKeys(m.ENIs) {
		e := m.ENIs[id]
		for _, g := range e.Groups {
			m.members[g] = append(m.members[g], e)
		}
	}
	m.plByName = map[string]*PrefixList{}
	for _, id := range sortedKeys(m.PrefixLists) {
		pl := m.PrefixLists[id]
		if pl.Name != "" {
			m.plByName[pl.Name] = pl
		}
	}
	m.indexTransit()
	regions := map[string]bool{}
	for _, r := range m.VPCRegion {
		if r != "" {
			regions[r] = true
		}
	}
	m.Regions = m.Regions[:0]
	for r := range regions {
		m.Regions = append(m.Regions, r)
	}
	sort.Strings(m.Regions)
}

// ENIsByIP returns every interface holding private address a (several when
// VPCs overlap).
func (m *Model) ENIsByIP(a netip.Addr) []*ENI { return m.byIP[a.Unmap()] }

// ENIInVPC returns the interface in vpcID that holds private address a.
func (m *Model) ENIInVPC(vpcID string, a netip.Addr) *ENI {
	for _, e := range m.byIP[a.Unmap()] {
		if e.VPCID == vpcID {
			return e
		}
	}
	return nil
}

// ENIByPublicIP returns the interface a public or Elastic IP maps to.
func (m *Model) ENIByPublicIP(a netip.Addr) *ENI { return m.byPublicIP[a.Unmap()] }

// SubnetRouteTable returns the table a subnet uses: its explicit
// association, else its VPC's main table (VPC guide, "Subnet route
// tables"). explicit says which. nil when neither is in the model.
func (m *Model) SubnetRouteTable(subnetID string) (rt *RouteTable, explicit bool) {
	if rt := m.subnetRT[subnetID]; rt != nil {
		return rt, true
	}
	if s := m.Subnets[subnetID]; s != nil {
		return m.mainRT[s.VPCID], false
	}
	return nil, false
}

// SubnetACL returns the network ACL of a subnet: its association, else the
// VPC's default ACL. explicit says which. nil when neither is known.
func (m *Model) SubnetACL(subnetID string) (acl *NetworkACL, explicit bool) {
	if a := m.subnetACL[subnetID]; a != nil {
		return a, true
	}
	if s := m.Subnets[subnetID]; s != nil {
		return m.defaultACL[s.VPCID], false
	}
	return nil, false
}

// EndpointOfENI returns the interface endpoint that owns an interface.
func (m *Model) EndpointOfENI(eniID string) *VPCEndpoint { return m.endpointENI[eniID] }

// NATOfENI returns the NAT gateway that owns an interface.
func (m *Model) NATOfENI(eniID string) *NATGateway { return m.natENI[eniID] }

// InternetGatewaysOf returns the internet gateways attached to a VPC.
func (m *Model) InternetGatewaysOf(vpcID string) []*InternetGateway { return m.igwByVPC[vpcID] }

// GatewayRouteTable returns the gateway route table (ingress routing) a
// gateway is edge-associated with, if any.
func (m *Model) GatewayRouteTable(gatewayID string) *RouteTable { return m.edgeRT[gatewayID] }

// EndpointsOf returns a VPC's endpoints, sorted by ID.
func (m *Model) EndpointsOf(vpcID string) []*VPCEndpoint { return m.vpcEPs[vpcID] }

// NATGatewaysOf returns a VPC's NAT gateways, sorted by ID.
func (m *Model) NATGatewaysOf(vpcID string) []*NATGateway { return m.vpcNATs[vpcID] }

// GroupMembers returns the interfaces carrying a security group.
func (m *Model) GroupMembers(groupID string) []*ENI { return m.members[groupID] }

// PrefixListByName returns a prefix list by name, such as
// "com.amazonaws.us-east-1.s3".
func (m *Model) PrefixListByName(name string) *PrefixList { return m.plByName[name] }

// PrimaryENI returns an instance's primary interface.
func (m *Model) PrimaryENI(instanceID string) *ENI {
	in := m.Instances[instanceID]
	if in == nil || len(in.ENIs) == 0 {
		return nil
	}
	return m.ENIs[in.ENIs[0]]
}

// SortedKeys returns a map's keys in order, for deterministic output.
func SortedKeys[V any](mp map[string]V) []string { return sortedKeys(mp) }

func sortedKeys[V any](mp map[string]V) []string {
	keys := make([]string, 0, len(mp))
	for k := range mp {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Dangling is a reference from one resource to an ID that the source's
// data of that kind does not hold.
type Dangling struct {
	Origin string // where the reference was read (a file)
	Field  string // the referring field, as "Subnets (subnet-1).VpcId"
	ID     string // the missing ID
	Kind   Kind   // the kind it should be
}

// DanglingRef returns the recorded dangling reference to id, if any.
func (m *Model) DanglingRef(id string) (Dangling, bool) {
	for _, d := range m.Dangling {
		if d.ID == id {
			return d, true
		}
	}
	return Dangling{}, false
}
