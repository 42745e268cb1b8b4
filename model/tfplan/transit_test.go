package tfplan

import (
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// The plans under testdata/terraform were made by real terraform 1.11 with
// the hashicorp/aws provider 5.100.0 (testdata/terraform/gen.sh), from the
// HCL beside them.
func loadHCLPlan(t *testing.T, name string) (*model.Model, *Plan) {
	t.Helper()
	p, err := Load(filepath.Join("..", "..", "testdata", "terraform", name, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.Model()
	if err != nil {
		t.Fatal(err)
	}
	return m, p
}

func tgwRoutes(rt *model.TGWRouteTable) []string {
	var out []string
	for _, r := range rt.Routes {
		out = append(out, strings.TrimSpace(r.DestString()+" "+r.Type+" "+r.State+" "+strings.Join(r.Attachments, ",")))
	}
	slices.Sort(out)
	return out
}

func TestHubAndSpokePlan(t *testing.T) {
	m, p := loadHCLPlan(t, "hub-and-spoke")
	const (
		hub        = "tgw-(aws_ec2_transit_gateway.hub)"
		west       = "tgw-(aws_ec2_transit_gateway.west)"
		spokes     = "tgw-rtb-(aws_ec2_transit_gateway_route_table.spokes)"
		inspection = "tgw-rtb-(aws_ec2_transit_gateway_route_table.inspection)"
		attInsp    = `tgw-attach-(module.spoke["inspection"].aws_ec2_transit_gateway_vpc_attachment.this)`
		attA       = `tgw-attach-(module.spoke["workspace-a"].aws_ec2_transit_gateway_vpc_attachment.this)`
		attB       = `tgw-attach-(module.spoke["workspace-b"].aws_ec2_transit_gateway_vpc_attachment.this)`
		attVPN     = "tgw-attach-(aws_vpn_connection.office)"
		attPeer    = "tgw-attach-(aws_ec2_transit_gateway_peering_attachment.west)"
		attDX      = "tgw-attach-(aws_dx_gateway_association.hub)"
		vpcA       = `vpc-(module.spoke["workspace-a"].aws_vpc.this)`
		metastore  = "vpc-(aws_vpc.metastore)"
		vgw        = "vgw-(aws_vpn_gateway.metastore)"
	)
	g := m.TransitGateways[hub]
	if g == nil || g.ASN != 64512 || g.DefaultAssociation != model.No || g.DefaultPropagation != model.No || g.SecurityGroupReferencing != model.Yes || g.Region != "us-east-1" {
		t.Errorf("hub: %+v", g)
	}
	if w := m.TransitGateways[west]; w == nil || w.Region != "us-west-2" || w.DefaultAssociation != model.Yes || w.AssociationDefaultRouteTableID != "tgw-rtb-(aws_ec2_transit_gateway.west:default)" {
		t.Errorf("west (its provider's region, its default table): %+v", w)
	}
	for att, want := range map[string]struct {
		subnets int
		appl    model.Tri
		table   string
	}{attInsp: {2, model.Yes, inspection}, attA: {2, model.No, spokes}, attB: {1, model.No, spokes}, attVPN: {0, model.Unknown, spokes}, attPeer: {0, model.Unknown, inspection}} {
		a := m.TGWAttachments[att]
		if a == nil || len(a.Subnets) != want.subnets || a.ApplianceMode != want.appl || !a.Available() {
			t.Errorf("%s: %+v", att, a)
			continue
		}
		if rt := m.TGWRouteTableOf(hub, att); rt == nil || rt.ID != want.table {
			t.Errorf("%s is routed by %+v, want %s", att, rt, want.table)
		}
	}
	if got, want := tgwRoutes(m.TGWRouteTables[spokes]), []string{
		"0.0.0.0/0 static active " + attInsp, "10.50.0.0/16 static active " + attPeer, "10.99.0.0/16 static blackhole",
	}; !slices.Equal(got, want) {
		t.Errorf("spokes table:\n got %q\nwant %q", got, want)
	}
	// The inspection table learns both workspaces by propagation (their
	// VPC blocks), and on-premises by a static route and a prefix list.
	if got, want := tgwRoutes(m.TGWRouteTables[inspection]), []string{
		"10.1.0.0/16 propagated active " + attA, "10.2.0.0/16 propagated active " + attB, "172.20.0.0/16 static active " + attVPN,
		"pl-(aws_ec2_managed_prefix_list.corp) static active " + attVPN,
	}; !slices.Equal(got, want) {
		t.Errorf("inspection table:\n got %q\nwant %q", got, want)
	}
	if rt := m.TGWRouteTables[inspection]; rt.RoutesFrom != model.TGWRoutesDerived {
		t.Errorf("routes from %q", rt.RoutesFrom)
	}
	pa := m.TGWAttachments[attPeer]
	if side, ok := pa.PeerTGW(hub); !ok || side.TransitGatewayID != west || side.Region != "us-west-2" || pa.ResourceType != model.TGWAttachPeering {
		t.Errorf("inter-region peering attachment: %+v", pa)
	}
	if a := m.TGWAttachments[attDX]; a == nil || a.ResourceType != model.TGWAttachDXGateway || a.ResourceID != "dxgw-(aws_dx_gateway.corp)" {
		t.Errorf("Direct Connect attachment: %+v", a)
	}
	if dx := m.DXGatewaysOf(hub); len(dx) != 1 || dx[0].ASN != 64600 || dx[0].Associations[0].AllowedPrefixes[0] != netip.MustParsePrefix("10.0.0.0/8") {
		t.Errorf("Direct Connect gateway of the hub: %+v", dx)
	}

	pc := m.Peerings["pcx-(aws_vpc_peering_connection.metastore)"]
	if pc == nil || pc.Status != model.PeeringActive || pc.Requester.VPCID != vpcA || pc.Accepter.VPCID != metastore || pc.Accepter.AllowRemoteDNS != model.Yes ||
		!slices.Equal(pc.Accepter.CIDRs, []netip.Prefix{netip.MustParsePrefix("10.20.0.0/16")}) {
		t.Errorf("peering: %+v", pc)
	}
	if v := m.VPNGatewaysOf(metastore); len(v) != 1 || v[0].ID != vgw || v[0].ASN != 64513 {
		t.Errorf("VGW of the metastore: %+v", v)
	}
	// The VGW propagates its static VPN route into the metastore's table.
	rt := m.RouteTables["rtb-(aws_route_table.metastore)"]
	found := false
	for _, r := range rt.Routes {
		if r.Dest == netip.MustParsePrefix("172.16.0.0/16") && r.Target.ID == vgw && r.Target.Kind == model.TargetVPNGateway && r.Propagated() {
			found = true
		}
	}
	if !found {
		t.Errorf("no propagated VGW route in the metastore table: %+v", rt.Routes)
	}
	// Its inline route back over the peering connection.
	if !slices.ContainsFunc(rt.Routes, func(r model.Route) bool {
		return r.Dest == netip.MustParsePrefix("10.1.0.0/16") && r.Target == model.Target{Kind: model.TargetPeering, ID: pc.ID}
	}) {
		t.Errorf("no inline route to the peering in the metastore table: %+v", rt.Routes)
	}
	c := m.VPNConnections["vpn-(aws_vpn_connection.office)"]
	if c == nil || c.TransitGatewayID != hub || c.StaticRoutesOnly != model.Yes || c.AnyTunnelUp() != model.Unknown || len(m.Assumptions[c.ID]) != 1 {
		t.Errorf("office VPN (tunnels unknown until apply): %+v %q", c, m.Assumptions[c.ID])
	}
	if cg := m.CustomerGateways["cgw-(aws_customer_gateway.office)"]; cg == nil || cg.ASN != 65000 || cg.IP != netip.MustParseAddr("198.51.100.7") {
		t.Errorf("customer gateway: %+v", cg)
	}
	// for_each over a module: the output a reference goes through is not in
	// the plan, so the module's only attachment is taken, and said.
	said := false
	for _, w := range p.Warnings {
		said = said || strings.Contains(w.Msg, `taken as its only aws_ec2_transit_gateway_vpc_attachment, module.spoke["workspace-a"]`)
	}
	if !said {
		t.Errorf("warnings: %v", p.Warnings)
	}
	if len(m.Dangling) != 0 {
		t.Errorf("dangling: %+v", m.Dangling)
	}
}

// A gateway left to its defaults: every attachment is associated with and
// propagates to the default route table, which only exists after apply.
func TestHubAndSpokeDefaultsPlan(t *testing.T) {
	m, _ := loadHCLPlan(t, "hub-and-spoke-defaults")
	const def = "tgw-rtb-(aws_ec2_transit_gateway.hub:default)"
	rt := m.TGWRouteTables[def]
	if rt == nil || !rt.DefaultAssociation || !rt.DefaultPropagation || len(rt.Associations) != 2 || len(rt.Propagations) != 2 || len(m.Assumptions[def]) != 1 {
		t.Fatalf("default table: %+v (%q)", rt, m.Assumptions[def])
	}
	app, data := `tgw-attach-(aws_ec2_transit_gateway_vpc_attachment.this["app"])`, `tgw-attach-(aws_ec2_transit_gateway_vpc_attachment.this["data"])`
	if got, want := tgwRoutes(rt), []string{"10.10.0.0/16 propagated active " + app, "10.11.0.0/16 propagated active " + data}; !slices.Equal(got, want) {
		t.Errorf("routes:\n got %q\nwant %q", got, want)
	}
	for _, a := range []string{app, data} {
		if got := m.TGWRouteTableOf("tgw-(aws_ec2_transit_gateway.hub)", a); got != rt {
			t.Errorf("%s routed by %+v", a, got)
		}
	}
}

func TestTransitPlanEdges(t *testing.T) {
	tgw := res{addr: "aws_ec2_transit_gateway.t", vals: map[string]any{"default_route_table_association": "enable", "default_route_table_propagation": "disable"}}
	att := res{addr: "aws_ec2_transit_gateway_vpc_attachment.a", vals: map[string]any{"transit_gateway_default_route_table_association": true},
		refs: map[string][]string{"transit_gateway_id": {"aws_ec2_transit_gateway.t.id", "aws_ec2_transit_gateway.t"}, "vpc_id": {"aws_vpc.main.id"}, "subnet_ids": {"aws_subnet.a.id"}}}
	table := res{addr: "aws_ec2_transit_gateway_route_table.x", refs: map[string][]string{"transit_gateway_id": {"aws_ec2_transit_gateway.t.id"}}}
	assoc := res{addr: "aws_ec2_transit_gateway_route_table_association.x", vals: map[string]any{"replace_existing_association": false},
		refs: map[string][]string{"transit_gateway_attachment_id": {"aws_ec2_transit_gateway_vpc_attachment.a.id"}, "transit_gateway_route_table_id": {"aws_ec2_transit_gateway_route_table.x.id"}}}
	m, p := load(t, vpc, subnet, tgw, att, table, assoc,
		res{addr: "aws_vpc_peering_connection.p", vals: map[string]any{"peer_vpc_id": "vpc-0peer"}, refs: map[string][]string{"vpc_id": {"aws_vpc.main.id"}}},
		res{addr: "aws_ec2_transit_gateway_peering_attachment.w", vals: map[string]any{"peer_region": "eu-west-1", "peer_transit_gateway_id": "tgw-0peer"},
			refs: map[string][]string{"transit_gateway_id": {"aws_ec2_transit_gateway.t.id"}}},
		res{addr: "aws_ec2_transit_gateway_route.r", vals: map[string]any{"destination_cidr_block": "10.0.0.0/8", "blackhole": false}, refs: map[string][]string{
			"transit_gateway_route_table_id": {"aws_ec2_transit_gateway_route_table.x.id"}, "transit_gateway_attachment_id": {"aws_ec2_transit_gateway_peering_attachment.w.id"}}},
	)
	const (
		a = "tgw-attach-(aws_ec2_transit_gateway_vpc_attachment.a)"
		x = "tgw-rtb-(aws_ec2_transit_gateway_route_table.x)"
		w = "tgw-attach-(aws_ec2_transit_gateway_peering_attachment.w)"
	)
	// The explicit association wins over the default one, which AWS would
	// refuse at apply: a warning says so.
	if rt := m.TGWRouteTableOf("tgw-(aws_ec2_transit_gateway.t)", a); rt == nil || rt.ID != x {
		t.Errorf("table of %s: %+v", a, rt)
	}
	warned := false
	for _, wn := range p.Warnings {
		warned = warned || (wn.Address == "aws_ec2_transit_gateway_route_table_association.x" && strings.Contains(wn.Msg, "apply fails unless replace_existing_association"))
	}
	if !warned {
		t.Errorf("warnings: %v", p.Warnings)
	}
	// Neither the peering connection nor the TGW peering attachment is
	// accepted in the plan: pending, with an assumption naming why.
	if pc := m.Peerings["pcx-(aws_vpc_peering_connection.p)"]; pc.Status != model.PeeringPendingAcceptance || len(m.Assumptions[pc.ID]) != 1 {
		t.Errorf("peering: %+v %q", pc, m.Assumptions[pc.ID])
	}
	if pa := m.TGWAttachments[w]; pa.State != "pendingAcceptance" || pa.Available() || len(m.Assumptions[w]) != 1 {
		t.Errorf("peering attachment: %+v %q", pa, m.Assumptions[w])
	}
	if got := tgwRoutes(m.TGWRouteTables[x]); !slices.Equal(got, []string{"10.0.0.0/8 static active " + w}) {
		t.Errorf("routes: %q", got)
	}
}

// A plan over a collected network: the new route and propagation land in
// a copy of the loaded table; the base stays as it was.
func TestTransitOverlay(t *testing.T) {
	base := model.New()
	base.VPCs["vpc-1"] = &model.VPC{ID: "vpc-1", CIDRs: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}}
	base.TransitGateways["tgw-1"] = &model.TransitGateway{ID: "tgw-1", State: "available"}
	base.TGWAttachments["tgw-attach-1"] = &model.TGWAttachment{ID: "tgw-attach-1", TransitGatewayID: "tgw-1", ResourceType: model.TGWAttachVPC, ResourceID: "vpc-1", State: "available"}
	base.TGWRouteTables["tgw-rtb-1"] = &model.TGWRouteTable{ID: "tgw-rtb-1", TransitGatewayID: "tgw-1", RoutesFrom: model.TGWRoutesSearched,
		Routes: []model.TGWRoute{{Dest: netip.MustParsePrefix("10.9.0.0/16"), Type: model.TGWRouteStatic, State: model.TGWRouteBlackhole}}}
	base.Index()
	p, err := Parse("plan.json", planJSON(
		res{addr: "aws_ec2_transit_gateway_route.r", vals: map[string]any{"destination_cidr_block": "10.9.0.0/16", "transit_gateway_route_table_id": "tgw-rtb-1", "transit_gateway_attachment_id": "tgw-attach-1", "blackhole": false}},
		res{addr: "aws_ec2_transit_gateway_route_table_propagation.p", vals: map[string]any{"transit_gateway_route_table_id": "tgw-rtb-1", "transit_gateway_attachment_id": "tgw-attach-1"}},
	))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Overlay(base, p)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tgwRoutes(m.TGWRouteTables["tgw-rtb-1"]), []string{"10.1.0.0/16 propagated active tgw-attach-1", "10.9.0.0/16 static active tgw-attach-1"}; !slices.Equal(got, want) {
		t.Errorf("overlaid routes:\n got %q\nwant %q", got, want)
	}
	if got := tgwRoutes(base.TGWRouteTables["tgw-rtb-1"]); !slices.Equal(got, []string{"10.9.0.0/16 static blackhole"}) || len(base.TGWRouteTables["tgw-rtb-1"].Propagations) != 0 {
		t.Errorf("the base changed: %q", got)
	}
}

// What a plan leaves undecided stays in the model, marked, never dropped
// and never decided: a TGW route's destination, the gateway's default
// association, a VPN route's destination, a peering's auto_accept.
func TestTransitPlanUndecided(t *testing.T) {
	tgw := res{addr: "aws_ec2_transit_gateway.t", refs: map[string][]string{"default_route_table_association": {"var.assoc"}}}
	m, _ := load(t, vpc, subnet, tgw,
		res{addr: "aws_ec2_transit_gateway_vpc_attachment.a", refs: map[string][]string{"transit_gateway_id": {"aws_ec2_transit_gateway.t.id"}, "vpc_id": {"aws_vpc.main.id"}}},
		res{addr: "aws_ec2_transit_gateway_route_table.x", refs: map[string][]string{"transit_gateway_id": {"aws_ec2_transit_gateway.t.id"}}},
		res{addr: "aws_ec2_transit_gateway_route.r", vals: map[string]any{"blackhole": false}, refs: map[string][]string{"destination_cidr_block": {"var.cidr"},
			"transit_gateway_route_table_id": {"aws_ec2_transit_gateway_route_table.x.id"}, "transit_gateway_attachment_id": {"aws_ec2_transit_gateway_vpc_attachment.a.id"}}},
		res{addr: "aws_vpc_peering_connection.p", vals: map[string]any{"peer_vpc_id": "vpc-0peer"}, refs: map[string][]string{"vpc_id": {"aws_vpc.main.id"}, "auto_accept": {"var.accept"}}},
		res{addr: "aws_vpn_gateway.g", refs: map[string][]string{"vpc_id": {"aws_vpc.main.id"}}},
		res{addr: "aws_vpn_connection.v", vals: map[string]any{"static_routes_only": true}, refs: map[string][]string{"vpn_gateway_id": {"aws_vpn_gateway.g.id"}}},
		res{addr: "aws_vpn_connection_route.r", refs: map[string][]string{"vpn_connection_id": {"aws_vpn_connection.v.id"}, "destination_cidr_block": {"var.onprem"}}},
		res{addr: "aws_vpn_gateway_route_propagation.p", refs: map[string][]string{"vpn_gateway_id": {"aws_vpn_gateway.g.id"}, "route_table_id": {"aws_vpc.main.main_route_table_id"}}},
	)
	rt := m.TGWRouteTables["tgw-rtb-(aws_ec2_transit_gateway_route_table.x)"]
	if len(rt.Routes) != 1 || rt.Routes[0].Dest.IsValid() || !strings.Contains(rt.Routes[0].Unknown, "destination_cidr_block is known only after apply") {
		t.Errorf("TGW route with an undecided destination: %+v", rt.Routes)
	}
	a := m.TGWAttachments["tgw-attach-(aws_ec2_transit_gateway_vpc_attachment.a)"]
	if a.Association == nil || a.Association.RouteTableID != "tgw-rtb-(aws_ec2_transit_gateway.t:default)" || !strings.Contains(a.Association.Unknown, "default_route_table_association is known only after apply") {
		t.Errorf("association with an undecided default: %+v", a.Association)
	}
	if pc := m.Peerings["pcx-(aws_vpc_peering_connection.p)"]; pc.Status == model.PeeringActive || !strings.Contains(pc.Unknown, "auto_accept is known only after apply") {
		t.Errorf("peering: %+v", pc)
	}
	main := m.RouteTables["rtb-(aws_vpc.main:main)"]
	found := false
	for _, r := range main.Routes {
		found = found || (r.Target.ID == "vgw-(aws_vpn_gateway.g)" && r.Propagated() && !r.Dest.IsValid() && strings.Contains(r.Unknown, "aws_vpn_connection_route.r destination_cidr_block"))
	}
	if !found {
		t.Errorf("propagated VGW route with an undecided destination: %+v", main.Routes)
	}
}
