package model

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

func ids[T any](xs []*T, id func(*T) string) []string {
	var out []string
	for _, x := range xs {
		out = append(out, id(x))
	}
	return out
}

func TestTransitIndex(t *testing.T) {
	m := New()
	m.TGWAttachments["tgw-attach-a"] = &TGWAttachment{ID: "tgw-attach-a", TransitGatewayID: "tgw-1", ResourceType: TGWAttachVPC, ResourceID: "vpc-a", State: "available"}
	// Associated only through its own Association field.
	m.TGWAttachments["tgw-attach-b"] = &TGWAttachment{ID: "tgw-attach-b", TransitGatewayID: "tgw-1", ResourceType: TGWAttachVPC, ResourceID: "vpc-b",
		Association: &TGWAssociation{RouteTableID: "tgw-rtb-2", State: "associated"}}
	// Disassociating: routes nothing.
	m.TGWAttachments["tgw-attach-c"] = &TGWAttachment{ID: "tgw-attach-c", TransitGatewayID: "tgw-1", ResourceType: TGWAttachVPN, ResourceID: "vpn-1",
		Association: &TGWAssociation{RouteTableID: "tgw-rtb-2", State: "disassociating"}}
	m.TGWAttachments["tgw-attach-p"] = &TGWAttachment{ID: "tgw-attach-p", TransitGatewayID: "tgw-1", ResourceType: TGWAttachPeering, ResourceID: "tgw-9",
		Sides: []TGWPeeringSide{
			{TransitGatewayID: "tgw-1", Region: "us-east-1", Association: &TGWAssociation{RouteTableID: "tgw-rtb-1", State: "associated"}},
			{TransitGatewayID: "tgw-9", Region: "eu-west-1", Association: &TGWAssociation{RouteTableID: "tgw-rtb-9", State: "associated"}}}}
	m.TGWRouteTables["tgw-rtb-1"] = &TGWRouteTable{ID: "tgw-rtb-1", TransitGatewayID: "tgw-1", Associations: []TGWRouteTableLink{{AttachmentID: "tgw-attach-a", State: "associated"}}}
	m.TGWRouteTables["tgw-rtb-2"] = &TGWRouteTable{ID: "tgw-rtb-2", TransitGatewayID: "tgw-1"}
	m.TGWRouteTables["tgw-rtb-9"] = &TGWRouteTable{ID: "tgw-rtb-9", TransitGatewayID: "tgw-9"}
	m.VPNGateways["vgw-1"] = &VPNGateway{ID: "vgw-1", Attachments: []VGWAttachment{{VPCID: "vpc-a", State: "attached"}, {VPCID: "vpc-b", State: "detached"}}}
	m.VPNConnections["vpn-1"] = &VPNConnection{ID: "vpn-1", TransitGatewayID: "tgw-1"}
	m.VPNConnections["vpn-2"] = &VPNConnection{ID: "vpn-2", VPNGatewayID: "vgw-1", TunnelsKnown: true, Tunnels: []VPNTunnel{{Status: "DOWN"}, {Status: "UP"}}}
	m.Peerings["pcx-1"] = &Peering{ID: "pcx-1", Requester: PeeringSide{VPCID: "vpc-a", Region: "us-east-1"}, Accepter: PeeringSide{VPCID: "vpc-c", Region: "us-west-2"}}
	m.DXGateways["dxgw-1"] = &DXGateway{ID: "dxgw-1", Associations: []DXGatewayAssociation{{GatewayID: "vgw-1", State: "associated"}}}
	m.VirtualInterfaces["dxvif-1"] = &VirtualInterface{ID: "dxvif-1", DXGatewayID: "dxgw-1", State: "available", BGPPeers: []BGPPeer{{Status: "down"}}}
	m.Index()

	attID := func(a *TGWAttachment) string { return a.ID }
	for _, tc := range []struct {
		name string
		got  []string
		want []string
	}{
		{"attachment of vpc-a", ids(m.TGWAttachmentsFor("tgw-1", "vpc-a"), attID), []string{"tgw-attach-a"}},
		{"attachment of vpc-a on another TGW", ids(m.TGWAttachmentsFor("tgw-2", "vpc-a"), attID), nil},
		{"attachments of tgw-9 (peer side)", ids(m.TGWAttachmentsOf("tgw-9"), attID), []string{"tgw-attach-p"}},
		{"table of a (table lists it)", ids([]*TGWRouteTable{m.TGWRouteTableOf("tgw-1", "tgw-attach-a")}, func(r *TGWRouteTable) string { return r.ID }), []string{"tgw-rtb-1"}},
		{"table of b (attachment says)", ids([]*TGWRouteTable{m.TGWRouteTableOf("tgw-1", "tgw-attach-b")}, func(r *TGWRouteTable) string { return r.ID }), []string{"tgw-rtb-2"}},
		{"table of the peering on tgw-1", ids([]*TGWRouteTable{m.TGWRouteTableOf("tgw-1", "tgw-attach-p")}, func(r *TGWRouteTable) string { return r.ID }), []string{"tgw-rtb-1"}},
		{"table of the peering on tgw-9", ids([]*TGWRouteTable{m.TGWRouteTableOf("tgw-9", "tgw-attach-p")}, func(r *TGWRouteTable) string { return r.ID }), []string{"tgw-rtb-9"}},
		{"vgw of vpc-a", ids(m.VPNGatewaysOf("vpc-a"), func(g *VPNGateway) string { return g.ID }), []string{"vgw-1"}},
		{"vgw of vpc-b (detached)", ids(m.VPNGatewaysOf("vpc-b"), func(g *VPNGateway) string { return g.ID }), nil},
		{"vpn of tgw-1", ids(m.VPNConnectionsOf("tgw-1"), func(c *VPNConnection) string { return c.ID }), []string{"vpn-1"}},
		{"vpn of vgw-1", ids(m.VPNConnectionsOf("vgw-1"), func(c *VPNConnection) string { return c.ID }), []string{"vpn-2"}},
		{"peerings of vpc-c", ids(m.PeeringsOf("vpc-c"), func(p *Peering) string { return p.ID }), []string{"pcx-1"}},
		{"dx gateways of vgw-1", ids(m.DXGatewaysOf("vgw-1"), func(g *DXGateway) string { return g.ID }), []string{"dxgw-1"}},
		{"vifs of dxgw-1", ids(m.VirtualInterfacesOf("dxgw-1"), func(v *VirtualInterface) string { return v.ID }), []string{"dxvif-1"}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if rt := m.TGWRouteTableOf("tgw-1", "tgw-attach-c"); rt != nil {
		t.Errorf("a disassociating attachment is routed by %s", rt.ID)
	}
	if got := m.VPNConnections["vpn-2"].AnyTunnelUp(); got != TriOf(true) {
		t.Errorf("vpn-2 with one UP tunnel: %v", got)
	}
	if got := m.VPNConnections["vpn-1"].AnyTunnelUp(); got != Unknown {
		t.Errorf("vpn-1 without telemetry: %v, want unknown", got)
	}
	if m.VirtualInterfaces["dxvif-1"].Up() {
		t.Error("a virtual interface with its BGP peer down is up")
	}
	if !m.Peerings["pcx-1"].CrossRegion() {
		t.Error("pcx-1 spans two regions")
	}
	if p, ok := m.TGWAttachments["tgw-attach-p"].PeerTGW("tgw-9"); !ok || p.TransitGatewayID != "tgw-1" {
		t.Errorf("peer of tgw-9 over tgw-attach-p: %+v %v", p, ok)
	}
}

// Facts of "Route propagation" (Transit Gateways Guide) as
// DerivePropagatedRoutes applies them.
func TestDerivePropagatedRoutes(t *testing.T) {
	pfx := netip.MustParsePrefix
	m := New()
	m.VPCs["vpc-a"] = &VPC{ID: "vpc-a", CIDRs: []netip.Prefix{pfx("10.1.0.0/16"), pfx("100.64.0.0/20")}, IPv6CIDRs: []netip.Prefix{pfx("2600:1f18::/56")}}
	m.TGWAttachments["tgw-attach-a"] = &TGWAttachment{ID: "tgw-attach-a", ResourceType: TGWAttachVPC, ResourceID: "vpc-a"}
	m.VPNConnections["vpn-static"] = &VPNConnection{ID: "vpn-static", StaticRoutesOnly: Yes}
	m.VPNConnections["vpn-bgp"] = &VPNConnection{ID: "vpn-bgp", StaticRoutesOnly: No}
	for _, tc := range []struct {
		name   string
		static []TGWRoute
		props  []TGWRouteTableLink
		want   []string
		bgp    int
	}{
		{"a VPC attachment propagates every block of its VPC", nil,
			[]TGWRouteTableLink{{AttachmentID: "tgw-attach-a", State: "enabled"}},
			[]string{"10.1.0.0/16 propagated tgw-attach-a", "100.64.0.0/20 propagated tgw-attach-a", "2600:1f18::/56 propagated tgw-attach-a"}, 0},
		{"a static route wins for the same prefix", []TGWRoute{{Dest: pfx("10.1.0.0/16"), Type: TGWRouteStatic, Attachments: []string{"tgw-attach-x"}}},
			[]TGWRouteTableLink{{AttachmentID: "tgw-attach-a", State: "enabled"}},
			[]string{"10.1.0.0/16 static tgw-attach-x", "100.64.0.0/20 propagated tgw-attach-a", "2600:1f18::/56 propagated tgw-attach-a"}, 0},
		{"a disabled propagation adds nothing", nil, []TGWRouteTableLink{{AttachmentID: "tgw-attach-a", State: "disabled"}}, nil, 0},
		{"a static VPN propagates nothing", nil, []TGWRouteTableLink{{AttachmentID: "tgw-attach-s", ResourceType: TGWAttachVPN, ResourceID: "vpn-static"}}, nil, 0},
		{"BGP over a VPN or Direct Connect is an assumption", nil, []TGWRouteTableLink{
			{AttachmentID: "tgw-attach-b", ResourceType: TGWAttachVPN, ResourceID: "vpn-bgp"},
			{AttachmentID: "tgw-attach-d", ResourceType: TGWAttachDXGateway, ResourceID: "dxgw-1"}}, nil, 2},
		{"a VPC whose blocks are unknown gives an undecided route", nil, []TGWRouteTableLink{{AttachmentID: "tgw-attach-z", ResourceType: TGWAttachVPC, ResourceID: "vpc-gone"}},
			[]string{"invalid Prefix propagated tgw-attach-z ?"}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt := &TGWRouteTable{Routes: append([]TGWRoute(nil), tc.static...), Propagations: tc.props}
			bgp := m.DerivePropagatedRoutes(rt)
			var got []string
			for _, r := range rt.Routes {
				s := r.DestString() + " " + r.Type + " " + strings.Join(r.Attachments, ",")
				if r.Unknown != "" {
					s += " ?"
				}
				got = append(got, s)
			}
			if !slices.Equal(got, tc.want) || len(bgp) != tc.bgp {
				t.Errorf("routes %q (want %q), %d BGP assumptions (want %d): %q", got, tc.want, len(bgp), tc.bgp, bgp)
			}
		})
	}
}
