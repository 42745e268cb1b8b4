package simulate

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// TestCodesOfDecisions builds, for each kind of decision that stops a
// flow, a network where it decides, and checks the verdict, where the
// flow stops, the code and the reference of blocked_by. Codes no case here
// produces are produced by the other tests of the package (TestMain fails
// when one of Codes is produced by none).
func TestCodesOfDecisions(t *testing.T) {
	ref := func(kind RefKind, id string) *RuleRef { return &RuleRef{Kind: kind, ID: id} }
	cases := []struct {
		name    string
		run     func(n *testNet) Result
		verdict Verdict
		comp    Component
		id      string
		code    Code
		ref     *RuleRef // kind and ID of blocked_by.ref; nil: none
		check   func(t *testing.T, r *RuleRef)
	}{
		{name: "no ingress rule", run: func(n *testNet) Result {
			n.sg("sg-closed", nil, []string{"all 0.0.0.0/0"})
			n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
			n.eni("eni-b", "subnet-b", "10.0.2.10", "sg-closed")
			return n.trace("eni-a", "eni-b", "tcp", 443)
		}, verdict: Blocked, comp: CompSecurityGroup, id: "sg-closed", code: CodeSGNoMatchingIngress, ref: &RuleRef{Kind: RefSGs}},
		{name: "no egress rule", run: func(n *testNet) Result {
			n.sg("sg-mute", []string{"all 0.0.0.0/0"}, []string{"tcp 22 10.0.0.0/16"})
			n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-mute")
			n.eni("eni-b", "subnet-b", "10.0.2.10", "sg-open")
			return n.trace("eni-a", "eni-b", "tcp", 443)
		}, verdict: Blocked, comp: CompSecurityGroup, id: "sg-mute", code: CodeSGNoMatchingEgress, ref: &RuleRef{Kind: RefSGs}},
		{name: "numbered ACL entry denies", run: func(n *testNet) Result {
			n.nacl("acl-b", []string{"subnet-b"}, []string{"100 deny tcp 443 0.0.0.0/0", "200 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"}, []string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"})
			n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
			n.eni("eni-b", "subnet-b", "10.0.2.10", "sg-open")
			return n.trace("eni-a", "eni-b", "tcp", 443)
		}, verdict: Blocked, comp: CompNetworkACL, id: "acl-b", code: CodeNACLDeny, ref: ref(RefNACLEntry, "acl-b"),
			check: func(t *testing.T, r *RuleRef) {
				if r.RuleNumber != 100 || r.Egress {
					t.Errorf("want inbound entry 100: %+v", *r)
				}
			}},
		{name: "final ACL entry denies", run: func(n *testNet) Result {
			n.nacl("acl-b", []string{"subnet-b"}, []string{"100 allow tcp 22 0.0.0.0/0", "* deny all 0.0.0.0/0"}, []string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"})
			n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
			n.eni("eni-b", "subnet-b", "10.0.2.10", "sg-open")
			return n.trace("eni-a", "eni-b", "tcp", 443)
		}, verdict: Blocked, comp: CompNetworkACL, id: "acl-b", code: CodeNACLDefaultDeny, ref: ref(RefNACLEntry, "acl-b"),
			check: func(t *testing.T, r *RuleRef) {
				if r.RuleNumber != model.FinalRuleNumber {
					t.Errorf("want the final entry: %+v", *r)
				}
			}},
		{name: "no route", run: func(n *testNet) Result {
			n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
			return n.trace("eni-a", "8.8.8.8", "tcp", 443)
		}, verdict: Blocked, comp: CompRouteTable, id: "rtb-main", code: CodeNoRoute, ref: ref(RefRouteTable, "rtb-main")},
		{name: "blackhole route", run: func(n *testNet) Result {
			n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-9 blackhole")
			n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
			return n.trace("eni-a", "8.8.8.8", "tcp", 443)
		}, verdict: Blocked, comp: CompRouteTable, id: "rtb-a", code: CodeRouteBlackhole, ref: ref(RefRoute, "rtb-a"),
			check: func(t *testing.T, r *RuleRef) {
				if r.Destination != "0.0.0.0/0" || r.Target != "nat-9" {
					t.Errorf("want the route 0.0.0.0/0 -> nat-9: %+v", *r)
				}
			}},
		{name: "no public IP", run: func(n *testNet) Result {
			n.internet()
			n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 igw-1")
			n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
			return n.trace("eni-a", "8.8.8.8", "tcp", 443)
		}, verdict: Blocked, comp: CompInternetGateway, id: "igw-1", code: CodeNoPublicIP, ref: ref(RefResource, "igw-1")},
		{name: "no internet gateway", run: func(n *testNet) Result {
			e := n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
			e.PublicIPs = map[netip.Addr]netip.Addr{addr("10.0.1.10"): addr("203.0.113.5")}
			return n.trace("internet", "eni-a", "tcp", 443)
		}, verdict: Blocked, comp: CompInternetGateway, id: "vpc-1", code: CodeNoInternetGateway, ref: ref(RefResource, "vpc-1")},
		{name: "another address's public IP", run: func(n *testNet) Result {
			n.internet()
			e := n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
			e.PrivateIPs = append(e.PrivateIPs, addr("10.0.1.11"))
			e.PublicIPs = map[netip.Addr]netip.Addr{addr("10.0.1.10"): addr("203.0.113.5"), addr("10.0.1.11"): addr("203.0.113.6")}
			return n.trace("internet", "203.0.113.6", "tcp", 443)
		}, verdict: Blocked, comp: CompInternetGateway, id: "igw-1", code: CodePublicIPMismatch, ref: ref(RefResource, "igw-1")},
		{name: "instance stopped", run: func(n *testNet) Result {
			n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
			n.eni("eni-b", "subnet-b", "10.0.2.10", "sg-open").InstanceID = "i-b"
			n.m.Instances["i-b"] = &model.Instance{ID: "i-b", State: "stopped"}
			return n.trace("eni-a", "eni-b", "tcp", 443)
		}, verdict: Blocked, comp: CompENI, id: "eni-b", code: CodeInstanceNotRunning, ref: ref(RefResource, "eni-b")},
		{name: "interface attached to nothing", run: func(n *testNet) Result {
			n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
			n.eni("eni-b", "subnet-b", "10.0.2.10", "sg-open").Status = "available"
			return n.trace("eni-a", "eni-b", "tcp", 443)
		}, verdict: Unknown, comp: CompENI, id: "eni-b", code: CodeENINotAttached},
		{name: "overlapping address", run: func(n *testNet) Result {
			n.vpc("vpc-2", "10.0.0.0/16", "us-east-1")
			n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
			n.eni("eni-x", "vpc-2-a", "10.0.1.20", "sg-vpc-2")
			n.eni("eni-y", "subnet-a", "10.0.1.20", "sg-open")
			return n.trace("eni-a", "eni-x", "tcp", 443)
		}, verdict: Unknown, comp: CompENI, id: "eni-y", code: CodeOverlappingAddress},
		{name: "endpoint not available", run: func(n *testNet) Result {
			n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
			n.interfaceEndpoint("vpce-x", "sg-open", "subnet-b", "10.0.2.10").State = "pendingAcceptance"
			return n.trace("eni-a", "10.0.2.10", "tcp", 443)
		}, verdict: Blocked, comp: CompVPCEndpoint, id: "vpce-x", code: CodeEndpointNotAvailable, ref: ref(RefResource, "vpce-x")},
		{name: "NAT gateway translates IPv4 only", run: func(n *testNet) Result {
			n.internet()
			for _, a := range []*model.NetworkACL{n.m.NetworkACLs["acl-default"]} {
				a.Inbound = append(acl("101 allow all ::/0"), a.Inbound...)
				a.Outbound = append(egressACL("101 allow all ::/0"), a.Outbound...)
			}
			n.sg("sg-6", []string{"all ::/0"}, []string{"all ::/0"})
			n.m.VPCs["vpc-1"].IPv6CIDRs = []netip.Prefix{pfx("2600:1f18::/56")}
			n.m.Subnets["subnet-a"].IPv6CIDRs = []netip.Prefix{pfx("2600:1f18:0:1::/64")}
			n.routes("rtb-a", []string{"subnet-a"}, "::/0 nat-1")
			n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-6").IPv6s = []netip.Addr{addr("2600:1f18:0:1::10")}
			return n.trace("eni-a", "2001:db8::1", "tcp", 443)
		}, verdict: Blocked, comp: CompNATGateway, id: "nat-1", code: CodeNATIPv4Only, ref: ref(RefResource, "nat-1")},
		{name: "peering of other VPCs", run: func(n *testNet) Result {
			n.vpc("vpc-2", "10.2.0.0/16", "us-east-1")
			n.vpc("vpc-3", "10.3.0.0/16", "us-east-1")
			n.peering("pcx-23", "vpc-2", "vpc-3")
			n.routes("rtb-a", []string{"subnet-a"}, "10.3.0.0/16 pcx-23")
			n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
			return n.trace("eni-a", "10.3.1.10", "tcp", 443)
		}, verdict: Blocked, comp: CompVPCPeering, id: "pcx-23", code: CodePeeringWrongVPC, ref: ref(RefResource, "pcx-23")},
		{name: "destination outside the peer VPC", run: func(n *testNet) Result {
			n = peered(n.t)
			n.routes("rtb-a", []string{"subnet-a"}, "10.2.0.0/16 pcx-12", "10.7.0.0/16 pcx-12")
			return n.trace("eni-a", "10.7.1.10", "tcp", 443)
		}, verdict: Blocked, comp: CompVPCPeering, id: "pcx-12", code: CodePeeringOutsidePeer, ref: ref(RefResource, "pcx-12")},
		{name: "no attachment to the transit gateway", run: func(n *testNet) Result {
			n = hub(n.t)
			delete(n.m.TGWAttachments, "att-1")
			return n.trace("eni-a", "eni-9", "tcp", 443)
		}, verdict: Blocked, comp: CompTGWAttachment, id: "tgw-1", code: CodeTGWNoAttachment, ref: ref(RefResource, "tgw-1")},
		{name: "attachment associated with no route table", run: func(n *testNet) Result {
			n = hub(n.t)
			n.m.TGWAttachments["att-1"].Association = nil
			return n.trace("eni-a", "eni-9", "tcp", 443)
		}, verdict: Blocked, comp: CompTransitGateway, id: "tgw-1", code: CodeTGWNoRouteTable, ref: ref(RefResource, "tgw-1")},
		{name: "no transit gateway route", run: func(n *testNet) Result {
			n = hub(n.t)
			return n.trace("eni-a", "eni-2", "tcp", 443)
		}, verdict: Blocked, comp: CompTransitGateway, id: "rt-spoke", code: CodeTGWNoRoute, ref: ref(RefTGWRouteTable, "rt-spoke")},
		{name: "propagated route to a peering attachment", run: func(n *testNet) Result {
			n = hub(n.t)
			n.m.TGWAttachments["att-peer"] = &model.TGWAttachment{ID: "att-peer", TransitGatewayID: "tgw-1", ResourceType: model.TGWAttachPeering, State: "available"}
			n.tgwRoutes("rt-spoke", "tgw-1", "10.9.0.0/16 att-9 propagated", "10.50.0.0/16 att-peer propagated")
			return n.trace("eni-a", "10.50.1.10", "tcp", 443)
		}, verdict: Blocked, comp: CompTGWAttachment, id: "att-peer", code: CodeTGWPeeringStaticOnly, ref: ref(RefResource, "att-peer")},
		{name: "all tunnels down", run: func(n *testNet) Result {
			n = onPrem(n.t, "DOWN", "DOWN")
			return n.trace("eni-a", "192.168.5.5", "tcp", 443)
		}, verdict: Blocked, comp: CompVPNConnection, id: "vpn-1", code: CodeVPNTunnelsDown, ref: ref(RefResource, "vpn-1")},
		{name: "static routes only, none for the destination", run: func(n *testNet) Result {
			n = onPrem(n.t, "UP")
			c := n.m.VPNConnections["vpn-1"]
			c.StaticRoutesOnly = model.Yes
			c.Routes = []model.VPNStaticRoute{{Dest: pfx("192.168.9.0/24"), State: "available"}}
			return n.trace("eni-a", "192.168.5.5", "tcp", 443)
		}, verdict: Blocked, comp: CompVGW, id: "vgw-1", code: CodeVPNNoRoute, ref: ref(RefResource, "vgw-1")},
		{name: "no VPN connection", run: func(n *testNet) Result {
			n = onPrem(n.t, "UP")
			delete(n.m.VPNConnections, "vpn-1")
			return n.trace("eni-a", "192.168.5.5", "tcp", 443)
		}, verdict: Blocked, comp: CompVGW, id: "vgw-1", code: CodeNoEdgeConnection, ref: ref(RefResource, "vgw-1")},
		{name: "Direct Connect virtual interface down", run: func(n *testNet) Result {
			n = onPrem(n.t, "UP")
			delete(n.m.VPNConnections, "vpn-1")
			n.m.DXGateways["dxgw-1"] = &model.DXGateway{ID: "dxgw-1", State: "available", Associations: []model.DXGatewayAssociation{{GatewayID: "vgw-1", State: "associated"}}}
			n.m.VirtualInterfaces["dxvif-1"] = &model.VirtualInterface{ID: "dxvif-1", State: "down", DXGatewayID: "dxgw-1"}
			return n.trace("eni-a", "192.168.5.5", "tcp", 443)
		}, verdict: Blocked, comp: CompDXGateway, id: "dxgw-1", code: CodeDXInterfacesDown, ref: ref(RefResource, "dxgw-1")},
		{name: "two endpoints claim one name", run: func(n *testNet) Result {
			n = dnsNet(n.t)
			n.interfaceEndpoint("vpce-sts2", "sg-open", "subnet-a", "10.0.1.12")
			return n.dnsTrace("sts.us-east-1.amazonaws.com", 443, DNSOptions{})
		}, verdict: Unknown, comp: CompDNS, id: "sts.us-east-1.amazonaws.com", code: CodeDNSAmbiguous},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.run(newNet(t))
			expect(t, r, c.verdict, c.comp, c.id, false)
			b := r.BlockedBy
			if b.Code != c.code {
				t.Fatalf("code %s, want %s: %s", b.Code, c.code, b.Reason)
			}
			last := r.Hops[len(r.Hops)-1]
			if last.Code != b.Code || last.Ref != b.Ref {
				t.Errorf("blocked_by %+v is not the deciding hop %+v", *b, last)
			}
			switch {
			case c.ref == nil && b.Ref != nil:
				t.Errorf("ref %+v, want none", *b.Ref)
			case c.ref == nil:
			case b.Ref == nil:
				t.Fatalf("no ref, want %s %s", c.ref.Kind, c.ref.ID)
			case b.Ref.Kind != c.ref.Kind || b.Ref.ID != c.ref.ID || b.Ref.HopID() != b.ID:
				t.Errorf("ref %+v, want %s %s naming %s", *b.Ref, c.ref.Kind, c.ref.ID, b.ID)
			}
			if c.check != nil && b.Ref != nil {
				c.check(t, b.Ref)
			}
		})
	}
}

// Two traces of one flow stop at the same block: equal by value, though
// each has its own reference (probe validate groups ports by it).
func TestBlockEqualComparesReferencesByValue(t *testing.T) {
	n := newNet(t)
	n.nacl("acl-b", []string{"subnet-b"}, []string{"100 deny tcp 400-500 0.0.0.0/0", "* deny all 0.0.0.0/0"}, []string{"100 allow all 0.0.0.0/0"})
	n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
	n.eni("eni-b", "subnet-b", "10.0.2.10", "sg-open")
	a, b, c := n.trace("eni-a", "eni-b", "tcp", 443).BlockedBy, n.trace("eni-a", "eni-b", "tcp", 443).BlockedBy, n.trace("eni-a", "eni-b", "tcp", 22).BlockedBy
	if a.Ref == b.Ref || !a.Equal(b) {
		t.Errorf("blocks %+v and %+v: want equal, by value", *a, *b)
	}
	if a.Equal(c) || a.Ref.Equal(c.Ref) || a.Equal(nil) || !(*Block)(nil).Equal(nil) {
		t.Errorf("entry 100 and the final entry are different blocks: %+v %+v", *a.Ref, *c.Ref)
	}
}

// TestEveryHopHasACodeAndARef traces every pair of interfaces of each
// bundled example, and flows across the multi-VPC test nets, in both
// directions and to the internet: every hop has a code of Codes and, when
// it names a rule, a ref naming the hop's ID; blocked_by has the code and
// ref of its hop.
func TestEveryHopHasACodeAndARef(t *testing.T) {
	traced, hops := 0, 0
	check := func(t *testing.T, m *model.Model, from, to string) {
		t.Helper()
		for _, q := range []Query{{From: from, To: to, Protocol: model.ProtoTCP, Port: 443}, {From: from, To: to, Protocol: model.ProtoAll}} {
			r, err := Trace(m, q)
			if err != nil {
				continue // a question the model refuses (same interface, ambiguous)
			}
			traced++
			hops += len(r.Hops) + len(r.ReturnHops)
			for _, h := range append(append([]Hop{}, r.Hops...), r.ReturnHops...) {
				if !slices.Contains(Codes, h.Code) {
					t.Errorf("%s -> %s: hop %s %s %s has code %q", from, to, h.Component, h.ID, h.Decision, h.Code)
				}
				if msg := refProblem(h); msg != "" {
					t.Errorf("%s -> %s: hop %s %s: %s", from, to, h.Component, h.ID, msg)
				}
			}
			if b := r.BlockedBy; b != nil && (!slices.Contains(Codes, b.Code) || b.Rule != "" && (b.Ref == nil || b.Ref.HopID() != b.ID)) {
				t.Errorf("%s -> %s: blocked_by %+v", from, to, *b)
			}
		}
	}
	for _, m := range exampleModels(t) {
		ids := model.SortedKeys(m.ENIs)
		for _, a := range ids {
			for _, b := range append(ids, "8.8.8.8", "169.254.169.254") {
				if a != b {
					check(t, m, a, b)
				}
			}
			check(t, m, "internet", a)
		}
	}
	for _, build := range []func(*testing.T) *testNet{hub, peered, func(t *testing.T) *testNet { return onPrem(t, "UP") }} {
		n := build(t)
		n.m.Index()
		ids := model.SortedKeys(n.m.ENIs)
		for _, a := range ids {
			for _, b := range append(ids, "192.168.5.5", "10.2.1.99") {
				if a != b {
					check(t, n.m, a, b)
				}
			}
		}
	}
	t.Logf("%d flows traced, %d hops checked", traced, hops)
	if traced < 200 {
		t.Fatalf("only %d flows traced", traced)
	}
}
