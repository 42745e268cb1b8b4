package model

import (
	"fmt"
	"net/netip"
	"sort"
)

// This file holds what lies beyond one VPC: VPC peering connections,
// transit gateways with their attachments and route tables, virtual private
// gateways, Site-to-Site VPN connections, customer gateways and Direct
// Connect gateways with their virtual interfaces. Field names follow the
// describe calls that list them; the AWS guides cited on each type are the
// authority on what the fields mean.

// PeeringSide is one end of a VPC peering connection (RequesterVpcInfo or
// AccepterVpcInfo of describe-vpc-peering-connections).
type PeeringSide struct {
	VPCID     string
	OwnerID   string
	Region    string
	CIDRs     []netip.Prefix // IPv4 blocks the connection carries (CidrBlock, CidrBlockSet)
	IPv6CIDRs []netip.Prefix // Ipv6CidrBlockSet
	// AllowRemoteDNS is PeeringOptions.AllowDnsResolutionFromRemoteVpc:
	// whether this side's public DNS hostnames resolve to private addresses
	// when queried from the other side (VPC Peering Guide, "Enable DNS
	// resolution for a VPC peering connection",
	// https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-dns.html).
	AllowRemoteDNS Tri
}

// Peering statuses (Status.Code); only PeeringActive carries traffic (VPC
// Peering Guide, "VPC peering connection lifecycle",
// https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html).
const (
	PeeringActive            = "active"
	PeeringPendingAcceptance = "pending-acceptance"
)

// Peering is a VPC peering connection
// (https://docs.aws.amazon.com/vpc/latest/peering/what-is-vpc-peering.html).
type Peering struct {
	ID        string
	Status    string // Status.Code: active, pending-acceptance, rejected, deleted, ...
	Requester PeeringSide
	Accepter  PeeringSide
	Tags      Tags
	// Unknown, when set, says why the source does not decide whether the
	// connection is active (a plan's auto_accept known only after apply);
	// an answer that depends on it is unknown.
	Unknown string
}

// Side returns the end of the connection that holds vpcID and the other
// end; ok is false when neither does.
func (p *Peering) Side(vpcID string) (this, other PeeringSide, ok bool) {
	switch vpcID {
	case p.Requester.VPCID:
		return p.Requester, p.Accepter, true
	case p.Accepter.VPCID:
		return p.Accepter, p.Requester, true
	}
	return PeeringSide{}, PeeringSide{}, false
}

// CrossRegion reports whether the two ends are in different regions (then
// security group rules cannot reference the peer's groups; VPC Peering
// Guide, "Update your security groups to reference peer security groups",
// https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html).
// False when either region is unknown.
func (p *Peering) CrossRegion() bool {
	return p.Requester.Region != "" && p.Accepter.Region != "" && p.Requester.Region != p.Accepter.Region
}

// TransitGateway is a transit gateway and its options (describe-transit-
// gateways; Transit Gateways Guide, "Transit gateways",
// https://docs.aws.amazon.com/vpc/latest/tgw/tgw-transit-gateways.html).
type TransitGateway struct {
	ID      string
	OwnerID string
	Region  string
	State   string // pending, available, modifying, deleting, deleted
	// ASN is Options.AmazonSideAsn, 0 when not known.
	ASN int64
	// DefaultAssociation and DefaultPropagation are
	// Options.DefaultRouteTableAssociation and DefaultRouteTablePropagation:
	// whether a new attachment is associated with (propagates to)
	// AssociationDefaultRouteTableID (PropagationDefaultRouteTableID).
	DefaultAssociation             Tri
	DefaultPropagation             Tri
	AssociationDefaultRouteTableID string
	PropagationDefaultRouteTableID string
	// SecurityGroupReferencing is Options.SecurityGroupReferencingSupport
	// (default off): group references across the TGW work only with it on
	// the TGW and on both VPC attachments, inbound rules, same Region
	// (Transit Gateways Guide, "Security group referencing",
	// https://docs.aws.amazon.com/vpc/latest/tgw/tgw-vpc-attachments.html#vpc-attachment-security).
	SecurityGroupReferencing Tri
	DNSSupport               Tri
	VPNECMPSupport           Tri
	// CIDRBlocks is Options.TransitGatewayCidrBlocks (Connect peers).
	CIDRBlocks []netip.Prefix
	Tags       Tags
}

// Transit gateway attachment resource types (ResourceType).
const (
	TGWAttachVPC        = "vpc"
	TGWAttachVPN        = "vpn"
	TGWAttachDXGateway  = "direct-connect-gateway"
	TGWAttachConnect    = "connect"
	TGWAttachPeering    = "peering"
	TGWAttachTGWPeering = "tgw-peering"
	TGWAttachNetworkFn  = "network-function"
)

// TGWAttachmentAvailable is the only attachment state that carries traffic.
const TGWAttachmentAvailable = "available"

// TGWAssociation is an attachment's association with a route table (the
// Association of describe-transit-gateway-attachments): the table that
// routes what arrives on the attachment (Transit Gateways Guide, "How
// transit gateways work",
// https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html).
type TGWAssociation struct {
	RouteTableID string
	State        string // associating, associated, disassociating, disassociated
	// Unknown, when set, says why the source does not decide whether the
	// association exists (a plan's default-association option known only
	// after apply); an answer that depends on it is unknown.
	Unknown string
}

// TGWPeeringSide is one end of a transit gateway peering attachment
// (RequesterTgwInfo, AccepterTgwInfo of describe-transit-gateway-peering-
// attachments). A peering attachment has one ID seen from both transit
// gateways, and each side associates it with a route table of its own
// (Transit Gateways Guide, "Transit gateway peering attachments",
// https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html).
type TGWPeeringSide struct {
	TransitGatewayID string
	OwnerID          string
	Region           string
	// Role is "requester" or "accepter"; "" when the source does not say
	// (describe-transit-gateway-attachments alone does not).
	Role string
	// Association is this side's association, nil when none is known.
	Association *TGWAssociation
}

// TGWAttachment is a transit gateway attachment of any type (Transit
// Gateways Guide, "Transit gateway attachments",
// https://docs.aws.amazon.com/vpc/latest/tgw/tgw-attachments.html).
type TGWAttachment struct {
	ID                    string
	TransitGatewayID      string
	TransitGatewayOwnerID string
	// ResourceType is one of the TGWAttach constants; ResourceID is the
	// VPC, VPN connection, Direct Connect gateway, peer TGW or transport
	// attachment it attaches.
	ResourceType    string
	ResourceID      string
	ResourceOwnerID string
	Region          string
	State           string // available, pendingAcceptance, pending, deleted, ...
	// Association is the association on TransitGatewayID's side, nil when
	// the attachment is associated with no route table (or the source does
	// not say). A peering attachment's other side is in Sides.
	Association *TGWAssociation
	// VPC attachments (describe-transit-gateway-vpc-attachments): the
	// subnets that hold the TGW's interfaces, one per AZ, and the options.
	Subnets                  []string
	ApplianceMode            Tri // Options.ApplianceModeSupport
	SecurityGroupReferencing Tri // Options.SecurityGroupReferencingSupport (default on)
	DNSSupport               Tri // Options.DnsSupport
	IPv6Support              Tri // Options.Ipv6Support
	// Sides are the two ends of a peering attachment (ResourceType
	// peering), each with its own association; empty for other types.
	Sides []TGWPeeringSide
	// TransportAttachmentID is a Connect attachment's underlying VPC or
	// Direct Connect attachment.
	TransportAttachmentID string
	Tags                  Tags
}

// Available reports whether the attachment carries traffic.
func (a *TGWAttachment) Available() bool { return a.State == TGWAttachmentAvailable }

// PeerTGW returns, for a peering attachment, the side at the other end
// from tgwID.
func (a *TGWAttachment) PeerTGW(tgwID string) (TGWPeeringSide, bool) {
	if len(a.Sides) != 2 {
		return TGWPeeringSide{}, false
	}
	switch tgwID {
	case a.Sides[0].TransitGatewayID:
		return a.Sides[1], true
	case a.Sides[1].TransitGatewayID:
		return a.Sides[0], true
	}
	return TGWPeeringSide{}, false
}

// SideOf returns the peering side of tgwID, nil when tgwID is no end.
func (a *TGWAttachment) SideOf(tgwID string) *TGWPeeringSide {
	for i := range a.Sides {
		if a.Sides[i].TransitGatewayID == tgwID {
			return &a.Sides[i]
		}
	}
	return nil
}

// TGWRouteTableLink is an association or a propagation of a route table
// (get-transit-gateway-route-table-associations / -propagations).
type TGWRouteTableLink struct {
	AttachmentID string
	ResourceType string
	ResourceID   string
	State        string // associated / enabled, ...
	Source       string // where it is defined (a Terraform address), if known
	// Unknown, when set, says what the source does not decide about the
	// link (the attachment, or whether it exists); routes derived from an
	// undecided propagation carry it too.
	Unknown string
}

// TGW route types and states, as search-transit-gateway-routes prints them.
const (
	TGWRouteStatic     = "static"
	TGWRoutePropagated = "propagated"
	TGWRouteActive     = "active"
	TGWRouteBlackhole  = "blackhole"
)

// TGWRoute is one route of a transit gateway route table. Exactly one of
// Dest and DestPrefixList is set, unless Unknown says the destination is
// not known (a propagation from a VPC whose blocks are not in the model):
// such a route may match any address.
type TGWRoute struct {
	Dest           netip.Prefix
	DestPrefixList string
	Type           string // TGWRouteStatic or TGWRoutePropagated
	State          string // TGWRouteActive or TGWRouteBlackhole
	// Attachments are the target attachments (several: ECMP). Empty for a
	// blackhole.
	Attachments []string
	// Derived is set on a propagated route the loader derived from a
	// propagation and the attached resource's CIDRs, not read from
	// search-transit-gateway-routes output.
	Derived bool
	Source  string // where the route is defined (a Terraform address), if known
	// Unknown, when set, says which part of the route its source does not
	// decide, naming resource and attribute; the route stays in the table.
	Unknown string
}

// DestString is the route's destination as the console shows it.
func (r TGWRoute) DestString() string {
	if r.DestPrefixList != "" {
		return r.DestPrefixList
	}
	return r.Dest.String()
}

// Blackhole reports whether the route drops what it matches.
func (r TGWRoute) Blackhole() bool { return r.State == TGWRouteBlackhole }

// TGWRoutesFrom says where a route table's routes come from, and so how
// far they can be trusted.
type TGWRoutesFrom string

// Sources of a TGW route table's routes.
const (
	// TGWRoutesNone: no routes were collected for the table; nothing can be
	// said about where it sends a packet.
	TGWRoutesNone TGWRoutesFrom = ""
	// TGWRoutesSearched: search-transit-gateway-routes output, the table's
	// effective routes (static, propagated, BGP-learned).
	TGWRoutesSearched TGWRoutesFrom = "search-transit-gateway-routes"
	// TGWRoutesDerived: static routes from the source plus propagated
	// routes derived from the propagations (a VPC attachment propagates
	// its VPC's CIDRs). Routes a VPN or Direct Connect attachment learns by
	// BGP are in no such source; the loader records that as an assumption
	// on the table.
	TGWRoutesDerived TGWRoutesFrom = "static routes and propagations"
)

// TGWRouteTable is a transit gateway route table with its associations,
// propagations and routes (Transit Gateways Guide, "Transit gateway route
// tables", https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html).
type TGWRouteTable struct {
	ID                 string
	TransitGatewayID   string
	State              string
	DefaultAssociation bool // DefaultAssociationRouteTable
	DefaultPropagation bool // DefaultPropagationRouteTable
	Associations       []TGWRouteTableLink
	Propagations       []TGWRouteTableLink
	// AssociationsKnown and PropagationsKnown say whether the source listed
	// the table's associations (propagations) at all.
	AssociationsKnown bool
	PropagationsKnown bool
	Routes            []TGWRoute
	RoutesFrom        TGWRoutesFrom
	Tags              Tags
}

// VGWAttachment is a virtual private gateway's attachment to a VPC.
type VGWAttachment struct {
	VPCID string
	State string // attaching, attached, detaching, detached
}

// VPNGateway is a virtual private gateway (describe-vpn-gateways; Site-to-
// Site VPN User Guide, "Virtual private gateway",
// https://docs.aws.amazon.com/vpn/latest/s2svpn/how_it_works.html).
type VPNGateway struct {
	ID          string
	State       string
	Type        string // ipsec.1
	AZ          string
	ASN         int64 // AmazonSideAsn, 0 when not known
	Attachments []VGWAttachment
	Tags        Tags
}

// AttachedTo reports whether the gateway is attached to vpcID.
func (g *VPNGateway) AttachedTo(vpcID string) bool {
	for _, a := range g.Attachments {
		if a.VPCID == vpcID && a.State == "attached" {
			return true
		}
	}
	return false
}

// VPNTunnel is one tunnel of a VPN connection (VgwTelemetry).
type VPNTunnel struct {
	OutsideIP          netip.Addr
	Status             string // UP or DOWN
	StatusMessage      string
	AcceptedRouteCount int
}

// VPNStaticRoute is a static route of a VPN connection (Routes).
type VPNStaticRoute struct {
	Dest   netip.Prefix
	State  string // pending, available, deleting, deleted
	Source string
	// Unknown, when set, says which part of the route the source does not
	// decide (its destination known only after apply).
	Unknown string
}

// VPNConnection is a Site-to-Site VPN connection, on a virtual private
// gateway or a transit gateway (describe-vpn-connections; Site-to-Site VPN
// User Guide, "Tunnel options" and "Route tables and VPN route priority",
// https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html).
type VPNConnection struct {
	ID                string
	State             string // pending, available, deleting, deleted
	Type              string // ipsec.1
	CustomerGatewayID string
	VPNGatewayID      string // set for a connection on a VGW
	TransitGatewayID  string // set for a connection on a TGW
	// StaticRoutesOnly is Options.StaticRoutesOnly: routes come from
	// Routes, not BGP.
	StaticRoutesOnly Tri
	Routes           []VPNStaticRoute
	// Tunnels are VgwTelemetry; TunnelsKnown is false when the source has
	// no telemetry (a Terraform plan; moto), and then whether a tunnel is
	// up is unknown.
	Tunnels      []VPNTunnel
	TunnelsKnown bool
	// LocalNetworkCIDR and RemoteNetworkCIDR are the traffic selectors
	// (Options.LocalIpv4NetworkCidr, RemoteIpv4NetworkCidr); invalid when
	// not set (any).
	LocalNetworkCIDR  netip.Prefix
	RemoteNetworkCIDR netip.Prefix
	Tags              Tags
}

// AnyTunnelUp reports whether a tunnel is UP; Unknown without telemetry.
func (c *VPNConnection) AnyTunnelUp() Tri {
	if !c.TunnelsKnown {
		return Unknown
	}
	for _, t := range c.Tunnels {
		if t.Status == "UP" {
			return TriOf(true)
		}
	}
	return TriOf(false)
}

// CustomerGateway is the on-premises end of a VPN connection
// (describe-customer-gateways).
type CustomerGateway struct {
	ID         string
	State      string
	Type       string
	IP         netip.Addr // IpAddress, invalid when not known
	ASN        int64      // BgpAsn, 0 when not known
	DeviceName string
	Tags       Tags
}

// DXGatewayAssociation associates a Direct Connect gateway with a virtual
// private gateway or a transit gateway
// (describe-direct-connect-gateway-associations; Direct Connect User Guide,
// "Direct Connect gateways",
// https://docs.aws.amazon.com/directconnect/latest/UserGuide/direct-connect-gateways-intro.html).
type DXGatewayAssociation struct {
	ID                  string // associationId
	GatewayID           string // associatedGateway.id: vgw- or tgw-
	GatewayType         string // virtualPrivateGateway or transitGateway
	GatewayOwnerAccount string
	GatewayRegion       string
	State               string // associating, associated, disassociating, ...
	AllowedPrefixes     []netip.Prefix
	Source              string
}

// DXGateway is a Direct Connect gateway (describe-direct-connect-gateways).
type DXGateway struct {
	ID           string // directConnectGatewayId
	Name         string
	ASN          int64 // amazonSideAsn
	OwnerAccount string
	State        string // pending, available, deleting, deleted
	Associations []DXGatewayAssociation
	// AssociationsKnown says whether the source listed associations.
	AssociationsKnown bool
}

// BGPPeer is a virtual interface's BGP session.
type BGPPeer struct {
	ID     string
	State  string // verifying, pending, available, deleting, deleted
	Status string // up, down, unknown
}

// VirtualInterface is a Direct Connect virtual interface
// (describe-virtual-interfaces; Direct Connect User Guide, "Virtual
// interfaces",
// https://docs.aws.amazon.com/directconnect/latest/UserGuide/WorkingWithVirtualInterfaces.html).
type VirtualInterface struct {
	ID                  string // virtualInterfaceId
	Name                string
	Type                string // private, public, transit
	State               string // available, down, ...
	ConnectionID        string
	OwnerAccount        string
	Region              string
	VLAN                int
	ASN                 int64 // customer side
	AmazonSideASN       int64
	VPNGatewayID        string // virtualGatewayId of a private VIF
	DXGatewayID         string // directConnectGatewayId
	BGPPeers            []BGPPeer
	RouteFilterPrefixes []netip.Prefix
}

// Up reports whether the interface can carry traffic: state available and
// a BGP peer up.
func (v *VirtualInterface) Up() bool {
	if v.State != "available" {
		return false
	}
	for _, p := range v.BGPPeers {
		if p.Status == "up" {
			return true
		}
	}
	return false
}

// transitIndex holds the lookups over the transit types.
type transitIndex struct {
	attByResource map[[2]string][]*TGWAttachment // (tgw, resource) -> attachments
	attByTGW      map[string][]*TGWAttachment
	rtByAtt       map[[2]string]*TGWRouteTable // (tgw, attachment) -> table
	rtByTGW       map[string][]*TGWRouteTable
	vgwByVPC      map[string][]*VPNGateway
	vpnByGW       map[string][]*VPNConnection
	peerByVPC     map[string][]*Peering
	dxgwByGW      map[string][]*DXGateway
	vifByGW       map[string][]*VirtualInterface
}

func (m *Model) indexTransit() {
	x := transitIndex{
		attByResource: map[[2]string][]*TGWAttachment{},
		attByTGW:      map[string][]*TGWAttachment{},
		rtByAtt:       map[[2]string]*TGWRouteTable{},
		rtByTGW:       map[string][]*TGWRouteTable{},
		vgwByVPC:      map[string][]*VPNGateway{},
		vpnByGW:       map[string][]*VPNConnection{},
		peerByVPC:     map[string][]*Peering{},
		dxgwByGW:      map[string][]*DXGateway{},
		vifByGW:       map[string][]*VirtualInterface{},
	}
	for _, id := range sortedKeys(m.TGWAttachments) {
		a := m.TGWAttachments[id]
		x.attByTGW[a.TransitGatewayID] = append(x.attByTGW[a.TransitGatewayID], a)
		if a.ResourceID != "" {
			k := [2]string{a.TransitGatewayID, a.ResourceID}
			x.attByResource[k] = append(x.attByResource[k], a)
		}
		// A peering attachment is listed under both transit gateways.
		if p, ok := a.PeerTGW(a.TransitGatewayID); ok && p.TransitGatewayID != a.TransitGatewayID {
			x.attByTGW[p.TransitGatewayID] = append(x.attByTGW[p.TransitGatewayID], a)
		}
	}
	// The attachment's own Association (describe-transit-gateway-
	// attachments) is authoritative; a table's list of associations fills
	// in where the attachment does not say.
	assoc := func(tgw, att string, as *TGWAssociation) {
		k := [2]string{tgw, att}
		if as == nil || x.rtByAtt[k] != nil || (as.State != "" && as.State != "associated") {
			return
		}
		if rt := m.TGWRouteTables[as.RouteTableID]; rt != nil && rt.TransitGatewayID == tgw {
			x.rtByAtt[k] = rt
		}
	}
	for _, id := range sortedKeys(m.TGWAttachments) {
		a := m.TGWAttachments[id]
		assoc(a.TransitGatewayID, a.ID, a.Association)
		for _, sd := range a.Sides {
			assoc(sd.TransitGatewayID, a.ID, sd.Association)
		}
	}
	for _, id := range sortedKeys(m.TGWRouteTables) {
		rt := m.TGWRouteTables[id]
		x.rtByTGW[rt.TransitGatewayID] = append(x.rtByTGW[rt.TransitGatewayID], rt)
		for _, l := range rt.Associations {
			k := [2]string{rt.TransitGatewayID, l.AttachmentID}
			if (l.State == "" || l.State == "associated") && x.rtByAtt[k] == nil {
				x.rtByAtt[k] = rt
			}
		}
	}
	for _, id := range sortedKeys(m.VPNGateways) {
		g := m.VPNGateways[id]
		for _, at := range g.Attachments {
			if at.State == "attached" {
				x.vgwByVPC[at.VPCID] = append(x.vgwByVPC[at.VPCID], g)
			}
		}
	}
	for _, id := range sortedKeys(m.VPNConnections) {
		c := m.VPNConnections[id]
		for _, gw := range []string{c.VPNGatewayID, c.TransitGatewayID} {
			if gw != "" {
				x.vpnByGW[gw] = append(x.vpnByGW[gw], c)
			}
		}
	}
	for _, id := range sortedKeys(m.Peerings) {
		p := m.Peerings[id]
		x.peerByVPC[p.Requester.VPCID] = append(x.peerByVPC[p.Requester.VPCID], p)
		if p.Accepter.VPCID != p.Requester.VPCID {
			x.peerByVPC[p.Accepter.VPCID] = append(x.peerByVPC[p.Accepter.VPCID], p)
		}
	}
	for _, id := range sortedKeys(m.DXGateways) {
		g := m.DXGateways[id]
		for _, a := range g.Associations {
			if a.GatewayID != "" {
				x.dxgwByGW[a.GatewayID] = append(x.dxgwByGW[a.GatewayID], g)
			}
		}
	}
	for _, id := range sortedKeys(m.VirtualInterfaces) {
		v := m.VirtualInterfaces[id]
		for _, gw := range []string{v.VPNGatewayID, v.DXGatewayID} {
			if gw != "" {
				x.vifByGW[gw] = append(x.vifByGW[gw], v)
			}
		}
	}
	for _, l := range x.attByResource {
		sort.Slice(l, func(i, j int) bool { return l[i].ID < l[j].ID })
	}
	m.transit = x
}

// TGWAttachmentsFor returns the attachments of resourceID (a VPC, VPN
// connection, Direct Connect gateway) to transit gateway tgwID, sorted by
// ID.
func (m *Model) TGWAttachmentsFor(tgwID, resourceID string) []*TGWAttachment {
	return m.transit.attByResource[[2]string{tgwID, resourceID}]
}

// TGWAttachmentsOf returns every attachment of a transit gateway, peering
// attachments on either side included, sorted by ID.
func (m *Model) TGWAttachmentsOf(tgwID string) []*TGWAttachment { return m.transit.attByTGW[tgwID] }

// TGWRouteTableOf returns the route table of transit gateway tgwID that
// attachmentID is associated with (the table that routes what arrives on
// it there), or nil. A peering attachment has one on each side. Whether
// the association is decided is the attachment's Association.Unknown (or
// its side's).
func (m *Model) TGWRouteTableOf(tgwID, attachmentID string) *TGWRouteTable {
	return m.transit.rtByAtt[[2]string{tgwID, attachmentID}]
}

// TGWRouteTablesOf returns a transit gateway's route tables, sorted by ID.
func (m *Model) TGWRouteTablesOf(tgwID string) []*TGWRouteTable { return m.transit.rtByTGW[tgwID] }

// VPNGatewaysOf returns the virtual private gateways attached to a VPC.
func (m *Model) VPNGatewaysOf(vpcID string) []*VPNGateway { return m.transit.vgwByVPC[vpcID] }

// VPNConnectionsOf returns the VPN connections on a virtual private gateway
// or a transit gateway, sorted by ID.
func (m *Model) VPNConnectionsOf(gatewayID string) []*VPNConnection {
	return m.transit.vpnByGW[gatewayID]
}

// PeeringsOf returns the peering connections with vpcID at either end.
func (m *Model) PeeringsOf(vpcID string) []*Peering { return m.transit.peerByVPC[vpcID] }

// DXGatewaysOf returns the Direct Connect gateways associated with a
// virtual private gateway or transit gateway.
func (m *Model) DXGatewaysOf(gatewayID string) []*DXGateway { return m.transit.dxgwByGW[gatewayID] }

// VirtualInterfacesOf returns the virtual interfaces on a virtual private
// gateway or Direct Connect gateway.
func (m *Model) VirtualInterfacesOf(gatewayID string) []*VirtualInterface {
	return m.transit.vifByGW[gatewayID]
}

// DerivePropagatedRoutes adds to rt the routes its propagations put in it,
// for a table whose source holds its static routes and propagations but not
// its effective routes (Batfish's snapshots; a Terraform plan). A VPC
// attachment propagates its VPC's CIDR blocks (Transit Gateways Guide,
// "Route propagation",
// https://docs.aws.amazon.com/vpc/latest/tgw/tgw-route-tables.html#tgw-route-propagation);
// for the same prefix a static route wins, and search-transit-gateway-routes
// then lists the static one only, so the propagated one is not added. A
// VPC whose CIDR blocks are not in the model gives a route whose Unknown
// says so. VPN (unless static-only), Direct Connect and Connect attachments
// propagate what they learn by BGP, which no such source holds: those are
// returned, one sentence per attachment, for the caller to record as
// assumptions.
func (m *Model) DerivePropagatedRoutes(rt *TGWRouteTable) (bgp []string) {
	have := map[string]bool{}
	for _, r := range rt.Routes {
		have[r.DestString()] = true
	}
	for _, p := range rt.Propagations {
		if p.State != "" && p.State != "enabled" {
			continue
		}
		typ, res := p.ResourceType, p.ResourceID
		if a := m.TGWAttachments[p.AttachmentID]; a != nil {
			if typ == "" {
				typ = a.ResourceType
			}
			if res == "" {
				res = a.ResourceID
			}
		}
		switch typ {
		case TGWAttachVPC:
			v := m.VPCs[res]
			if v == nil || len(v.CIDRs)+len(v.IPv6CIDRs) == 0 {
				rt.Routes = append(rt.Routes, TGWRoute{Type: TGWRoutePropagated, State: TGWRouteActive, Attachments: []string{p.AttachmentID}, Derived: true,
					Unknown: fmt.Sprintf("the CIDR blocks %s propagates from %s: the VPC's blocks are not in the model", p.AttachmentID, res)})
				continue
			}
			for _, c := range append(append([]netip.Prefix(nil), v.CIDRs...), v.IPv6CIDRs...) {
				if have[c.String()] {
					continue
				}
				have[c.String()] = true
				rt.Routes = append(rt.Routes, TGWRoute{Dest: c, Type: TGWRoutePropagated, State: TGWRouteActive, Attachments: []string{p.AttachmentID}, Derived: true, Unknown: p.Unknown})
			}
		case TGWAttachVPN:
			if c := m.VPNConnections[res]; c != nil && c.StaticRoutesOnly == Yes {
				continue // a static VPN's routes are static routes of the table
			}
			fallthrough
		case TGWAttachDXGateway, TGWAttachConnect:
			bgp = append(bgp, fmt.Sprintf("routes that %s (%s %s) propagates by BGP are not in the model; the table is taken to hold none of them", p.AttachmentID, typ, res))
		}
	}
	return bgp
}
