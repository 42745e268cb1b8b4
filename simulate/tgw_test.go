package simulate

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// hub returns spokes vpc-1 (10.0.0.0/16) and vpc-2 (10.2.0.0/16) and a
// shared vpc-9 (10.9.0.0/16) on tgw-1. The attachments have their own
// subnets (subnet-b, vpc-2-b, vpc-9-b: zone b; subnet-pub for vpc-1 in
// zone a). The spokes' table rt-spoke routes only to the shared VPC; the
// shared table rt-shared routes to both spokes. Workloads: eni-a (vpc-1,
// subnet-a, zone a), eni-2 (vpc-2-a, zone a), eni-9 (vpc-9-a, zone a).
func hub(t *testing.T) *testNet {
	n := newNet(t)
	n.vpc("vpc-2", "10.2.0.0/16", "us-east-1")
	n.vpc("vpc-9", "10.9.0.0/16", "us-east-1")
	n.tgw("tgw-1")
	n.attach("att-1", "tgw-1", "rt-spoke", "subnet-pub", "subnet-b")
	n.attach("att-2", "tgw-1", "rt-spoke", "vpc-2-a", "vpc-2-b")
	n.attach("att-9", "tgw-1", "rt-shared", "vpc-9-a", "vpc-9-b")
	n.tgwRoutes("rt-spoke", "tgw-1", "10.9.0.0/16 att-9 propagated")
	n.tgwRoutes("rt-shared", "tgw-1", "10.0.0.0/16 att-1 propagated", "10.2.0.0/16 att-2 propagated")
	n.routes("rtb-a", []string{"subnet-a"}, "10.0.0.0/8 tgw-1")
	n.routes("rtb-2", []string{"vpc-2-a", "vpc-2-b"}, "10.0.0.0/8 tgw-1")
	n.routes("rtb-9", []string{"vpc-9-a", "vpc-9-b"}, "10.0.0.0/8 tgw-1")
	n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
	n.eni("eni-2", "vpc-2-a", "10.2.1.10", "sg-vpc-2")
	n.eni("eni-9", "vpc-9-a", "10.9.1.10", "sg-vpc-9")
	return n
}

func TestTGWTheIngressAttachmentsTableDecides(t *testing.T) {
	n := hub(t)
	r := n.trace("eni-a", "eni-9", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	want := "eni:eni-a security-group:sg-open route-table:rtb-a network-acl:acl-default network-acl:acl-default transit-gateway-attachment:att-1 " +
		"transit-gateway:rt-spoke transit-gateway-attachment:att-9 route-table:rtb-9 security-group:sg-vpc-9 eni:eni-9"
	if got := strings.Join(components(r.Hops), " "); got != want {
		t.Errorf("forward %s\nwant    %s", got, want)
	}
	if !hasHop(r.ReturnHops, CompTransitGateway) || r.ReturnHops[len(r.ReturnHops)-1].ID != "eni-a" {
		t.Errorf("the reply should come back through the gateway: %v", components(r.ReturnHops))
	}
	// Spoke to spoke: rt-spoke has no route to vpc-2 (isolated spokes).
	r = n.trace("eni-a", "eni-2", "tcp", 443)
	expect(t, r, Blocked, CompTransitGateway, "rt-spoke", false)
	// Shared table: the spokes share rt-shared, so they reach each other.
	n.m.TGWAttachments["att-1"].Association.RouteTableID = "rt-shared"
	n.m.TGWAttachments["att-2"].Association.RouteTableID = "rt-shared"
	expect(t, n.trace("eni-a", "eni-2", "tcp", 443), Reachable, "", "", false)
}

func TestTGWStaticRouteBeatsPropagatedForOnePrefix(t *testing.T) {
	n := hub(t)
	n.tgwRoutes("rt-spoke", "tgw-1", "10.9.0.0/16 att-9 propagated", "10.9.0.0/16 blackhole")
	r := n.trace("eni-a", "eni-9", "tcp", 443)
	expect(t, r, Blocked, CompTransitGateway, "rt-spoke", false)
	if !strings.Contains(r.BlockedBy.Rule, "blackhole (static)") {
		t.Errorf("the static blackhole should win: %+v", r.BlockedBy)
	}
	// Longest prefix match still comes first.
	n.tgwRoutes("rt-spoke", "tgw-1", "10.9.1.0/24 att-9 propagated", "10.9.0.0/16 blackhole")
	expect(t, n.trace("eni-a", "eni-9", "tcp", 443), Reachable, "", "", false)
}

func TestTGWBlackholeRouteDrops(t *testing.T) {
	n := hub(t)
	n.tgwRoutes("rt-spoke", "tgw-1", "10.9.0.0/16 blackhole")
	r := n.trace("eni-a", "eni-9", "tcp", 443)
	expect(t, r, Blocked, CompTransitGateway, "rt-spoke", false)
	if r.Fix == nil || !strings.Contains(*r.Fix, "replace-transit-gateway-route") {
		t.Errorf("fix: %v", r.Fix)
	}
}

func TestTGWOnlyAvailableAttachmentsCarryTraffic(t *testing.T) {
	n := hub(t)
	n.m.TGWAttachments["att-9"].State = "pendingAcceptance"
	expect(t, n.trace("eni-a", "eni-9", "tcp", 443), Blocked, CompTGWAttachment, "att-9", false)
	n = hub(t)
	n.m.TGWAttachments["att-1"].State = "deleted"
	expect(t, n.trace("eni-a", "eni-9", "tcp", 443), Blocked, CompTGWAttachment, "att-1", false)
}

func TestTGWSubnetRouteWorksOnlyInTheAttachmentsZones(t *testing.T) {
	n := hub(t)
	n.m.TGWAttachments["att-1"].Subnets = []string{"subnet-b"} // zone b only; eni-a is in zone a
	r := n.trace("eni-a", "eni-9", "tcp", 443)
	expect(t, r, Blocked, CompTGWAttachment, "att-1", false)
	if !strings.Contains(r.BlockedBy.Reason, "us-east-1a") {
		t.Errorf("reason should name the zone: %s", r.BlockedBy.Reason)
	}
}

func TestTGWEntersThroughTheAttachmentSubnetOfTheZoneElseNamesOne(t *testing.T) {
	n := hub(t)
	r := n.trace("eni-a", "eni-9", "tcp", 443)
	for _, h := range r.Hops {
		if h.Component == CompTGWAttachment && h.ID == "att-9" && !strings.Contains(h.Reason, "vpc-9-a") {
			t.Errorf("the packet from zone a should enter through vpc-9-a: %s", h.Reason)
		}
	}
	// Only zone b: the packet from zone a enters there (and eni-9b, in
	// zone b, can answer: a zone without an attachment subnet could not).
	n.m.TGWAttachments["att-9"].Subnets = []string{"vpc-9-b"}
	n.eni("eni-9b", "vpc-9-b", "10.9.2.10", "sg-vpc-9")
	r = n.trace("eni-a", "eni-9b", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	found := false
	for _, a := range r.Assumptions {
		found = found || strings.Contains(a, "through vpc-9-b")
	}
	if !found {
		t.Errorf("an assumption should name the subnet chosen: %v", r.Assumptions)
	}
}

func TestTGWAttachmentSubnetsTableForwardsTheIncomingPacket(t *testing.T) {
	n := hub(t)
	// vpc-9's attachment subnets send everything to an appliance: the packet
	// for eni-9 goes there, not straight to eni-9.
	n.routes("rtb-9att", []string{"vpc-9-b"}, "10.0.0.0/8 tgw-1")
	n.m.TGWAttachments["att-9"].Subnets = []string{"vpc-9-b"}
	n.m.RouteTables["rtb-9att"].Routes = append(n.m.RouteTables["rtb-9att"].Routes,
		model.Route{Dest: pfx("10.9.1.0/24"), Target: model.Target{Kind: model.TargetENI, ID: "eni-fw"}})
	r := n.trace("eni-a", "eni-9", "tcp", 443)
	if r.Verdict != Unknown || r.BlockedBy.ID != "eni-fw" {
		t.Fatalf("want unknown at the appliance eni-fw: %s %+v", r.Verdict, r.BlockedBy)
	}
}

func TestTGWNetworkACLsAtTheAttachmentSubnet(t *testing.T) {
	deny := []string{"* deny all 0.0.0.0/0"}
	allow := []string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"}
	t.Run("leaving: attachment subnet inbound applies", func(t *testing.T) {
		n := hub(t)
		n.m.TGWAttachments["att-1"].Subnets = []string{"subnet-pub"}
		n.nacl("acl-att", []string{"subnet-pub"}, deny, allow)
		expect(t, n.trace("eni-a", "eni-9", "tcp", 443), Blocked, CompNetworkACL, "acl-att", false)
	})
	t.Run("leaving: attachment subnet outbound does not apply", func(t *testing.T) {
		n := hub(t)
		n.m.TGWAttachments["att-1"].Subnets = []string{"subnet-pub"}
		n.nacl("acl-att", []string{"subnet-pub"}, allow, deny)
		// The reply enters vpc-1 through subnet-pub: its outbound list applies then.
		expect(t, n.trace("eni-a", "eni-9", "tcp", 443), Blocked, CompNetworkACL, "acl-att", true)
	})
	t.Run("entering: attachment subnet outbound applies, inbound does not", func(t *testing.T) {
		n := hub(t)
		n.subnet("vpc-9-t", "vpc-9", "10.9.3.0/24", "us-east-1a")
		n.m.TGWAttachments["att-9"].Subnets = []string{"vpc-9-t"}
		n.nacl("acl-att9", []string{"vpc-9-t"}, deny, allow)
		r := n.trace("eni-a", "eni-9", "tcp", 443)
		// Inbound deny is met only by the reply leaving vpc-9.
		expect(t, r, Blocked, CompNetworkACL, "acl-att9", true)
		n.nacl("acl-att9", []string{"vpc-9-t"}, allow, deny)
		expect(t, n.trace("eni-a", "eni-9", "tcp", 443), Blocked, CompNetworkACL, "acl-att9", false)
	})
	t.Run("same subnet: entering meets no list", func(t *testing.T) {
		n := hub(t)
		// eni-9 sits in the attachment subnet vpc-9-a, whose list denies all.
		n.m.TGWAttachments["att-9"].Subnets = []string{"vpc-9-a"}
		n.nacl("acl-9a", []string{"vpc-9-a"}, deny, deny)
		r := n.trace("eni-a", "eni-9", "tcp", 443)
		// Forward: nothing at vpc-9-a; the reply leaving to the gateway meets both.
		expect(t, r, Blocked, CompNetworkACL, "acl-9a", true)
	})
}

func TestTGWMissingReturnRouteKillsTheReply(t *testing.T) {
	n := hub(t)
	n.routes("rtb-9", []string{"vpc-9-a", "vpc-9-b"}) // local only
	r := n.trace("eni-a", "eni-9", "tcp", 443)
	expect(t, r, Blocked, CompRouteTable, "rtb-9", true)
	if r.Fix == nil || !strings.Contains(*r.Fix, "--transit-gateway-id tgw-1") {
		t.Errorf("fix: %v", r.Fix)
	}
	// And a table of the gateway without the way back.
	n = hub(t)
	n.tgwRoutes("rt-shared", "tgw-1", "10.2.0.0/16 att-2 propagated")
	expect(t, n.trace("eni-a", "eni-9", "tcp", 443), Blocked, CompTransitGateway, "rt-shared", true)
}

func TestTGWSecurityGroupReferencesOnlyWhereEnabled(t *testing.T) {
	n := hub(t)
	n.sg("sg-client", nil, []string{"all 0.0.0.0/0"})
	n.sg("sg-server", []string{"tcp 443 sg-client"}, []string{"all 0.0.0.0/0"})
	n.m.ENIs["eni-a"].Groups = []string{"sg-client"}
	n.m.ENIs["eni-9"].Groups = []string{"sg-server"}
	expect(t, n.trace("eni-a", "eni-9", "tcp", 443), Blocked, CompSecurityGroup, "sg-server", false)
	n.m.TransitGateways["tgw-1"].SecurityGroupReferencing = model.Yes
	expect(t, n.trace("eni-a", "eni-9", "tcp", 443), Reachable, "", "", false)
	n.m.TGWAttachments["att-9"].SecurityGroupReferencing = model.No
	expect(t, n.trace("eni-a", "eni-9", "tcp", 443), Blocked, CompSecurityGroup, "sg-server", false)
}

func TestTGWRoutingLoopIsBlocked(t *testing.T) {
	n := hub(t)
	// rt-spoke sends 10.7/16 to vpc-9, whose attachment subnets send it back.
	n.tgwRoutes("rt-spoke", "tgw-1", "10.9.0.0/16 att-9", "10.7.0.0/16 att-9")
	n.tgwRoutes("rt-shared", "tgw-1", "10.0.0.0/16 att-1", "10.7.0.0/16 att-1")
	n.routes("rtb-pub", []string{"subnet-pub"}, "10.0.0.0/8 tgw-1")
	r := n.trace("eni-a", "10.7.1.1", "tcp", 443)
	if r.Verdict != Blocked || r.BlockedBy.Rule != "routing loop" {
		t.Fatalf("want a routing loop: %s %+v", r.Verdict, r.BlockedBy)
	}
	want := "circles tgw-1 (arriving on att-1) -> vpc-1's attachment"
	if !strings.Contains(r.BlockedBy.Reason, "tgw-1 (arriving on att-9)") || !strings.Contains(r.BlockedBy.Reason, "the route table of subnet-pub") {
		t.Errorf("the reason should name the cycle (%s...): %s", want, r.BlockedBy.Reason)
	}
}

func TestLookupTGWRoute(t *testing.T) {
	m := model.New()
	m.PrefixLists["pl-1"] = &model.PrefixList{ID: "pl-1", CIDRs: []netip.Prefix{pfx("10.5.5.0/24")}, CIDRsKnown: true}
	m.PrefixLists["pl-unknown"] = &model.PrefixList{ID: "pl-unknown"}
	route := func(dest, att, typ string) model.TGWRoute {
		r := model.TGWRoute{Type: typ, State: model.TGWRouteActive}
		if strings.HasPrefix(dest, "pl-") {
			r.DestPrefixList = dest
		} else {
			r.Dest = pfx(dest)
		}
		if att == "blackhole" {
			r.State = model.TGWRouteBlackhole
		} else {
			r.Attachments = []string{att}
		}
		return r
	}
	S, P := model.TGWRouteStatic, model.TGWRoutePropagated
	for _, tc := range []struct {
		name   string
		routes []model.TGWRoute
		dst    string
		want   string // attachment, "blackhole", "" (none) or "unknown"
		beatBy bool
	}{
		{"longest prefix wins", []model.TGWRoute{route("10.0.0.0/8", "a", S), route("10.5.0.0/16", "b", P)}, "10.5.1.1", "b", false},
		{"static beats propagated", []model.TGWRoute{route("10.5.0.0/16", "a", P), route("10.5.0.0/16", "b", S)}, "10.5.1.1", "b", true},
		{"static beats propagated, either order", []model.TGWRoute{route("10.5.0.0/16", "b", S), route("10.5.0.0/16", "a", P)}, "10.5.1.1", "b", true},
		{"static blackhole beats propagated", []model.TGWRoute{route("10.5.0.0/16", "a", P), route("10.5.0.0/16", "blackhole", S)}, "10.5.1.1", "blackhole", true},
		{"no match", []model.TGWRoute{route("10.5.0.0/16", "a", S)}, "10.6.1.1", "", false},
		{"prefix list at its entry's length", []model.TGWRoute{route("10.5.0.0/16", "a", S), route("pl-1", "b", S)}, "10.5.5.5", "b", false},
		{"unknown prefix list decides nothing", []model.TGWRoute{route("10.5.0.0/16", "a", S), route("pl-unknown", "b", S)}, "10.5.5.5", "unknown", false},
		{"a host route beats an unknown list", []model.TGWRoute{route("10.5.5.5/32", "a", S), route("pl-unknown", "b", S)}, "10.5.5.5", "a", false},
		{"other family never matches", []model.TGWRoute{route("::/0", "a", S)}, "10.5.5.5", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := lookupTGWRoute(m, &model.TGWRouteTable{ID: "rt", Routes: tc.routes}, addr(tc.dst))
			got := ""
			switch {
			case c.unknown != "":
				got = "unknown"
			case c.route == nil:
			case c.route.Blackhole():
				got = "blackhole"
			default:
				got = c.route.Attachments[0]
			}
			if got != tc.want || (c.beat != nil) != tc.beatBy {
				t.Fatalf("got %q (beat %v), want %q (beat %v)", got, c.beat != nil, tc.want, tc.beatBy)
			}
		})
	}
}
