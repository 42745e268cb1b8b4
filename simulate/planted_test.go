package simulate

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/tfplan"
)

// Faults planted one at a time in the simulator must change a verdict or
// the component that blocks, not only the wording of a reason: each case
// below asserts both (issue 13, "tests that would catch planted faults").

// A group reference matches its members' private addresses only, "not the
// public IP or Elastic IP addresses" (VPC guide, Security group rules,
// https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html#security-group-referencing):
// a packet to a member's public IP is not let out by an egress rule that
// names the group.
func TestGroupReferenceDoesNotMatchAMembersPublicIP(t *testing.T) {
	for _, tc := range []struct {
		name    string
		egress  []string // of sg-shared, which both interfaces carry
		verdict Verdict
		comp    Component
		id      string
	}{
		{"only the group reference: blocked at the source's group", []string{"all sg-shared"}, Blocked, CompSecurityGroup, "sg-shared"},
		{"a CIDR rule for the public address passes the group", []string{"all sg-shared", "tcp 443 54.1.2.3/32"}, Unknown, CompInternetGateway, "igw-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := newNet(t)
			n.internet()
			n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1")
			n.sg("sg-shared", []string{"all sg-shared"}, tc.egress)
			n.eni("eni-src", "subnet-a", "10.0.1.5", "sg-shared")
			dst := n.eni("eni-dst", "subnet-pub", "10.0.0.20", "sg-shared")
			dst.PublicIPs = map[netip.Addr]netip.Addr{addr("10.0.0.20"): addr("54.1.2.3")}
			// By its private address the reference matches.
			expect(t, n.trace("eni-src", "10.0.0.20", "tcp", 443), Reachable, "", "", false)
			// By its public address it does not; with a CIDR rule the packet
			// gets to the internet gateway, where the hairpin back to the
			// member is not followed (unknown, never reachable by guess).
			expect(t, n.trace("eni-src", "54.1.2.3", "tcp", 443), tc.verdict, tc.comp, tc.id, false)
		})
	}
}

// A public NAT gateway without an Elastic IP has no address to translate
// to: the internet gateway drops its traffic (VPC guide, NAT gateways,
// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html:
// a public NAT gateway must be associated with an Elastic IP address).
func TestPublicNATWithoutElasticIP(t *testing.T) {
	n := newNet(t)
	n.internet()
	n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1")
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
	expect(t, n.trace("eni-a", "151.101.0.223", "tcp", 443), Reachable, "", "", false)
	n.m.NATGateways["nat-1"].PublicIP = netip.Addr{}
	n.m.ENIs["eni-nat"].PublicIPs = nil
	r := n.trace("eni-a", "151.101.0.223", "tcp", 443)
	expect(t, r, Blocked, CompInternetGateway, "igw-1", false)
	if last := r.Hops[len(r.Hops)-1]; last.Rule != "no Elastic IP" {
		t.Errorf("the internet gateway should drop it for want of the NAT's Elastic IP: %+v", last)
	}
	if !hasHop(r.Hops, CompNATGateway) {
		t.Errorf("the packet should pass the NAT gateway before the internet gateway drops it: %v", components(r.Hops))
	}
}

// A blackhole route still wins the longest-prefix match and drops the
// packet: it is not skipped in favour of a less specific live route.
func TestBlackholeRouteBeatsLessSpecificLiveRoute(t *testing.T) {
	n := newNet(t)
	n.internet()
	n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1", "54.1.0.0/16 nat-gone blackhole")
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
	r := n.trace("eni-a", "54.1.2.3", "tcp", 443)
	expect(t, r, Blocked, CompRouteTable, "rtb-a", false)
	if last := r.Hops[len(r.Hops)-1]; last.Component != CompRouteTable || last.Decision != Deny || last.Rule != "54.1.0.0/16 -> nat-gone (blackhole)" {
		t.Errorf("the blocking hop should be the blackhole route: %+v", last)
	}
	// Outside the blackhole's /16 the live default route is used.
	expect(t, n.trace("eni-a", "54.2.2.3", "tcp", 443), Reachable, "", "", false)
}

// The NAT gateway's subnet ACL is crossed twice inbound: by the client's
// packet on its way to the NAT gateway (forward), and by the internet's
// reply to the NAT's ports 1024-65535 (return).
func TestNATSubnetInboundACL(t *testing.T) {
	for _, tc := range []struct {
		name     string
		inbound  []string // acl-pub, on subnet-pub (the NAT's)
		verdict  Verdict
		onReturn bool
	}{
		{"allows the clients and the NAT's reply ports", []string{"100 allow tcp 443 10.0.1.0/24", "110 allow tcp 1024-65535 0.0.0.0/0", "* deny all 0.0.0.0/0"}, Reachable, false},
		{"denies the clients: blocked on the way to the NAT", []string{"100 allow tcp 1024-65535 0.0.0.0/0", "90 deny all 10.0.1.0/24", "* deny all 0.0.0.0/0"}, Blocked, false},
		{"reply ports from the client's range only: blocked on return", []string{"100 allow tcp 443 10.0.1.0/24", "110 allow tcp 32768-60999 0.0.0.0/0", "* deny all 0.0.0.0/0"}, Blocked, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := newNet(t)
			n.internet()
			n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1")
			n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
			n.nacl("acl-pub", []string{"subnet-pub"}, tc.inbound, []string{"100 allow all 0.0.0.0/0"})
			acls := n.m.NetworkACLs["acl-pub"].Inbound
			slices.SortFunc(acls, func(a, b model.NACLEntry) int { return a.Number - b.Number })
			r := n.trace("eni-a", "151.101.0.223", "tcp", 443)
			expect(t, r, tc.verdict, CompNetworkACL, "acl-pub", tc.onReturn)
			if tc.verdict == Blocked && !tc.onReturn && hasHop(r.Hops, CompNATGateway) {
				t.Errorf("blocked before the NAT gateway, yet it is on the path: %v", components(r.Hops))
			}
		})
	}
}

// A host name with several addresses is traced to every one; the verdict
// is the worst, and the block is the blocked address's, in either order.
func TestEveryAddressOfAHostName(t *testing.T) {
	for _, order := range [][]string{{"151.101.0.223", "151.101.64.223"}, {"151.101.64.223", "151.101.0.223"}} {
		t.Run(order[0]+" first", func(t *testing.T) {
			n := newNet(t)
			n.internet()
			n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1")
			n.sg("sg-src", nil, []string{"tcp 443 151.101.0.0/24"})
			n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-src")
			n.m.Index()
			opts := DNSOptions{Public: map[string][]netip.Addr{model.FQDN("pypi.example"): {addr(order[0]), addr(order[1])}}}
			r, err := Trace(n.m, Query{From: "eni-a", To: "pypi.example", Protocol: model.ProtoTCP, Port: 443, DNS: opts})
			if err != nil {
				t.Fatal(err)
			}
			expect(t, r, Blocked, CompSecurityGroup, "sg-src", false)
			got := map[string]Verdict{}
			for _, tr := range r.Targets {
				got[tr.DstIP] = tr.Verdict
			}
			want := map[string]Verdict{"151.101.0.223": Reachable, "151.101.64.223": Blocked}
			if len(got) != 2 || got["151.101.0.223"] != want["151.101.0.223"] || got["151.101.64.223"] != want["151.101.64.223"] {
				t.Errorf("targets %v, want %v", got, want)
			}
			for _, tr := range r.Targets {
				if tr.Verdict == Blocked && (tr.BlockedBy == nil || tr.BlockedBy.Component != CompSecurityGroup || tr.BlockedBy.ID != "sg-src") {
					t.Errorf("target %s blocked by %+v, want security-group sg-src", tr.DstIP, tr.BlockedBy)
				}
			}
		})
	}
}

// Terraform's protocol "-1" rules of the bundled example's plan (terraform
// show -json; testdata/plans) decide these flows: the workspace network
// ACL's inline ingress "-1" from 0.0.0.0/0 and its aws_network_acl_rule
// egress "-1" to 10.0.0.0/16, and the endpoint subnets' default ACL (inline
// "-1" both ways). "-1" means every protocol and port, and still only its
// CIDR.
func TestPlanProtocolMinusOneRules(t *testing.T) {
	p, err := tfplan.Load("../testdata/plans/databricks-privatelink.plan.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.Model()
	if err != nil {
		t.Fatal(err)
	}
	const wsACL = "acl-(module.network.aws_network_acl.workspace)"
	for _, tc := range []struct {
		from, to string
		proto    model.Protocol
		port     uint16
		verdict  Verdict
		comp     Component
		id       string
		aclRules []string // the rules of the network-acl hops on the way out, in order
	}{
		{"10.0.1.5", "10.0.2.5", model.ProtoUDP, 7077, Reachable, "", "",
			[]string{"#100 allow all traffic to 10.0.0.0/16", "#100 allow all traffic from 0.0.0.0/0"}},
		{"10.0.1.5", "10.0.2.5", model.ProtoTCP, 50000, Reachable, "", "",
			[]string{"#100 allow all traffic to 10.0.0.0/16", "#100 allow all traffic from 0.0.0.0/0"}},
		{"10.0.1.5", "vpce-(aws_vpc_endpoint.rest)", model.ProtoTCP, 8443, Reachable, "", "",
			[]string{"#100 allow all traffic to 10.0.0.0/16", "#100 allow all traffic from 0.0.0.0/0"}},
		// Beyond the VPC the "-1" egress rule does not match: the final deny.
		{"10.0.2.5", "8.8.8.8", model.ProtoUDP, 53, Blocked, CompNetworkACL, wsACL,
			[]string{"#* deny all traffic to 0.0.0.0/0"}},
	} {
		t.Run(tc.to+"/"+tc.proto.String(), func(t *testing.T) {
			r, err := Trace(m, Query{From: tc.from, To: tc.to, Protocol: tc.proto, Port: tc.port})
			if err != nil {
				t.Fatal(err)
			}
			expect(t, r, tc.verdict, tc.comp, tc.id, false)
			var rules []string
			for _, h := range r.Hops {
				if h.Component == CompNetworkACL {
					rules = append(rules, h.Rule)
				}
			}
			if !slices.Equal(rules, tc.aclRules) {
				t.Errorf("network ACL rules on the way %q, want %q", rules, tc.aclRules)
			}
		})
	}
}
