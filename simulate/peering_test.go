package simulate

import (
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// peered returns vpc-1 (10.0.0.0/16) and vpc-2 (10.2.0.0/16) peered by
// pcx-12 with routes on both sides, eni-a in subnet-a and eni-b in vpc-2-a.
func peered(t *testing.T) *testNet {
	n := newNet(t)
	n.vpc("vpc-2", "10.2.0.0/16", "us-east-1")
	n.peering("pcx-12", "vpc-1", "vpc-2")
	n.routes("rtb-a", []string{"subnet-a"}, "10.2.0.0/16 pcx-12")
	n.routes("rtb-2a", []string{"vpc-2-a"}, "10.0.0.0/16 pcx-12")
	n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
	n.eni("eni-b", "vpc-2-a", "10.2.1.10", "sg-vpc-2")
	return n
}

func TestPeeringActiveCarriesTrafficBothWays(t *testing.T) {
	n := peered(t)
	r := n.trace("eni-a", "eni-b", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	want := []string{"eni:eni-a", "security-group:sg-open", "route-table:rtb-a", "network-acl:acl-default", "vpc-peering:pcx-12",
		"network-acl:vpc-2-acl", "security-group:sg-vpc-2", "eni:eni-b"}
	if got := components(r.Hops); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("forward %v\nwant    %v", got, want)
	}
	wantBack := []string{"security-group:sg-vpc-2", "route-table:rtb-2a", "network-acl:vpc-2-acl", "vpc-peering:pcx-12",
		"network-acl:acl-default", "security-group:sg-open", "eni:eni-a"}
	if got := components(r.ReturnHops); strings.Join(got, " ") != strings.Join(wantBack, " ") {
		t.Errorf("return %v\nwant   %v", got, wantBack)
	}
}

func TestPeeringOnlyAnActiveConnectionCarriesTraffic(t *testing.T) {
	n := peered(t)
	n.m.Peerings["pcx-12"].Status = model.PeeringPendingAcceptance
	r := n.trace("eni-a", "eni-b", "tcp", 443)
	expect(t, r, Blocked, CompVPCPeering, "pcx-12", false)
	if r.Fix == nil || !strings.Contains(*r.Fix, "accept-vpc-peering-connection") {
		t.Errorf("fix should accept the connection: %v", r.Fix)
	}
}

func TestPeeringNeedsARouteOnBothSides(t *testing.T) {
	n := peered(t)
	n.routes("rtb-2a", []string{"vpc-2-a"}) // local only: no way back
	r := n.trace("eni-a", "eni-b", "tcp", 443)
	expect(t, r, Blocked, CompRouteTable, "rtb-2a", true)
	if r.Fix == nil || !strings.Contains(*r.Fix, "--destination-cidr-block 10.0.0.0/16 --vpc-peering-connection-id pcx-12") {
		t.Errorf("fix should add the return route: %v", r.Fix)
	}
	// And without the forward route the packet never leaves.
	n = peered(t)
	n.routes("rtb-a", []string{"subnet-a"})
	expect(t, n.trace("eni-a", "eni-b", "tcp", 443), Blocked, CompRouteTable, "rtb-a", false)
}

func TestPeeringIsNotTransitive(t *testing.T) {
	n := peered(t)
	n.vpc("vpc-3", "10.3.0.0/16", "us-east-1")
	n.peering("pcx-23", "vpc-2", "vpc-3")
	n.routes("rtb-a", []string{"subnet-a"}, "10.2.0.0/16 pcx-12", "10.3.0.0/16 pcx-12") // vpc-1 sends vpc-3's block to pcx-12
	n.routes("rtb-2a", []string{"vpc-2-a"}, "10.0.0.0/16 pcx-12", "10.3.0.0/16 pcx-23")
	n.m.RouteTables["vpc-2-main"].Routes = append(n.m.RouteTables["vpc-2-main"].Routes, model.Route{Dest: pfx("10.3.0.0/16"), Target: model.Target{Kind: model.TargetPeering, ID: "pcx-23"}})
	n.eni("eni-c", "vpc-3-a", "10.3.1.10", "sg-vpc-3")
	r := n.trace("eni-a", "eni-c", "tcp", 443)
	expect(t, r, Blocked, CompVPCPeering, "pcx-12", false)
	if r.BlockedBy.Rule != "no transitive peering" || !strings.Contains(r.BlockedBy.Reason, "pcx-23") {
		t.Errorf("want the transitive rule naming pcx-23: %+v", r.BlockedBy)
	}
}

func TestPeeringNoEdgeToEdgeRouting(t *testing.T) {
	for _, tc := range []struct {
		name, dst, route string
	}{
		{"peer's internet gateway", "54.1.2.3", "0.0.0.0/0 igw-2"},
		{"peer's NAT gateway", "54.1.2.3", "0.0.0.0/0 nat-2"},
		{"peer's VPN", "192.168.5.5", "192.168.0.0/16 vgw-2"},
		{"peer's gateway endpoint", "52.216.1.1", "pl-s3 vpce-s3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := peered(t)
			n.s3()
			n.routes("rtb-a", []string{"subnet-a"}, "10.2.0.0/16 pcx-12", "0.0.0.0/0 pcx-12")
			n.routes("rtb-2a", []string{"vpc-2-a"}, "10.0.0.0/16 pcx-12", tc.route)
			r := n.trace("eni-a", tc.dst, "tcp", 443)
			expect(t, r, Blocked, CompVPCPeering, "pcx-12", false)
			if r.BlockedBy.Rule != "no edge-to-edge routing" {
				t.Errorf("rule %q, want no edge-to-edge routing (%s)", r.BlockedBy.Rule, r.BlockedBy.Reason)
			}
		})
	}
}

func TestPeeringInterfaceEndpointInThePeerIsReachable(t *testing.T) {
	n := peered(t)
	ep := n.interfaceEndpoint("vpce-sts", "sg-vpc-2", "vpc-2-a", "10.2.1.50")
	ep.VPCID = "vpc-2"
	r := n.trace("eni-a", "10.2.1.50", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	if !hasHop(r.Hops, CompVPCEndpoint) {
		t.Errorf("the endpoint's interface should be reached: %v", components(r.Hops))
	}
}

func TestPeeringGroupReferencesWorkWithinOneRegionOnly(t *testing.T) {
	build := func(region string) *testNet {
		n := newNet(t)
		n.vpc("vpc-2", "10.2.0.0/16", region)
		n.peering("pcx-12", "vpc-1", "vpc-2")
		n.routes("rtb-a", []string{"subnet-a"}, "10.2.0.0/16 pcx-12")
		n.routes("rtb-2a", []string{"vpc-2-a"}, "10.0.0.0/16 pcx-12")
		n.sg("sg-client", nil, []string{"all 0.0.0.0/0"})
		n.sg("sg-server", []string{"tcp 443 sg-client"}, []string{"all 0.0.0.0/0"})
		n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-client")
		n.eni("eni-b", "vpc-2-a", "10.2.1.10", "sg-server")
		return n
	}
	expect(t, build("us-east-1").trace("eni-a", "eni-b", "tcp", 443), Reachable, "", "", false)
	r := build("eu-west-1").trace("eni-a", "eni-b", "tcp", 443)
	expect(t, r, Blocked, CompSecurityGroup, "sg-server", false)
}

func TestPeeringToAVPCOutsideTheSnapshotIsUnknown(t *testing.T) {
	n := peered(t)
	delete(n.m.VPCs, "vpc-2")
	r := n.trace("eni-a", "10.2.1.10", "tcp", 443)
	expect(t, r, Unknown, CompVPCPeering, "pcx-12", false)
	// Outside the blocks the connection lists: blocked, whatever the peer holds.
	expect(t, n.trace("eni-a", "10.9.1.10", "tcp", 443), Blocked, CompRouteTable, "rtb-a", false)
}
