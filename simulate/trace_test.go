package simulate

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// Each test below is named after the AWS fact it checks
// (../shared/reference/aws-semantics.md).

func TestSecurityGroups(t *testing.T) {
	tests := []struct {
		name     string
		srcIn    []string // source group (sg-src) ingress
		srcOut   []string // egress
		dstIn    []string // destination group (sg-dst) ingress
		proto    string
		port     uint16
		verdict  Verdict
		stopComp Component
		stopID   string
	}{
		{"allowed both ends", nil, []string{"tcp 443 10.0.2.0/24"}, []string{"tcp 443 10.0.1.0/24"}, "tcp", 443, Reachable, "", ""},
		{"no ingress rules admit nothing", nil, []string{"all 0.0.0.0/0"}, nil, "tcp", 443, Blocked, CompSecurityGroup, "sg-dst"},
		{"egress checked at the source", nil, []string{"tcp 80 0.0.0.0/0"}, []string{"all 0.0.0.0/0"}, "tcp", 443, Blocked, CompSecurityGroup, "sg-src"},
		{"port range is inclusive", nil, []string{"tcp 8443-8451 sg-dst"}, []string{"tcp 8443-8451 sg-src"}, "tcp", 8451, Reachable, "", ""},
		{"port outside range", nil, []string{"tcp 8443-8451 sg-dst"}, []string{"tcp 8443-8451 sg-src"}, "tcp", 8452, Blocked, CompSecurityGroup, "sg-src"},
		{"group reference matches members", nil, []string{"all sg-dst"}, []string{"tcp 443 sg-src"}, "tcp", 443, Reachable, "", ""},
		{"group reference to another group does not match", nil, []string{"all sg-other"}, []string{"all 0.0.0.0/0"}, "tcp", 443, Blocked, CompSecurityGroup, "sg-src"},
		{"protocol -1 is every protocol", nil, []string{"all 0.0.0.0/0"}, []string{"all 0.0.0.0/0"}, "udp", 4040, Reachable, "", ""},
		{"tcp rule does not admit udp", nil, []string{"all 0.0.0.0/0"}, []string{"tcp all 0.0.0.0/0"}, "udp", 53, Blocked, CompSecurityGroup, "sg-dst"},
		{"icmp echo by type", nil, []string{"all 0.0.0.0/0"}, []string{"icmp 8 10.0.0.0/16"}, "icmp", 0, Reachable, "", ""},
		{"icmp other type", nil, []string{"all 0.0.0.0/0"}, []string{"icmp 13 10.0.0.0/16"}, "icmp", 0, Blocked, CompSecurityGroup, "sg-dst"},
		{"all-traffic flow needs an all rule", nil, []string{"tcp all 0.0.0.0/0"}, []string{"all 0.0.0.0/0"}, "all", 0, Blocked, CompSecurityGroup, "sg-src"},
		{"replies pass whatever the rules say", []string{}, []string{"tcp 443 10.0.2.5/32"}, []string{"tcp 443 10.0.1.5/32"}, "tcp", 443, Reachable, "", ""},
		{"ipv6 rule does not match ipv4", nil, []string{"all ::/0"}, []string{"all 0.0.0.0/0"}, "tcp", 443, Blocked, CompSecurityGroup, "sg-src"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newNet(t)
			n.sg("sg-src", tt.srcIn, tt.srcOut)
			n.sg("sg-dst", tt.dstIn, []string{})
			n.eni("eni-src", "subnet-a", "10.0.1.5", "sg-src")
			n.eni("eni-dst", "subnet-b", "10.0.2.5", "sg-dst")
			r := n.trace("eni-src", "eni-dst", tt.proto, tt.port)
			expect(t, r, tt.verdict, tt.stopComp, tt.stopID, false)
			if tt.verdict == Reachable && (len(r.ReturnHops) == 0 || r.ReturnHops[0].Rule != "stateful reply") {
				t.Fatalf("return path should start with the stateful reply: %v", components(r.ReturnHops))
			}
		})
	}
}

func TestSecurityGroupsUnionOfAllGroups(t *testing.T) {
	n := newNet(t)
	n.sg("sg-1", nil, []string{"tcp 22 0.0.0.0/0"})
	n.sg("sg-2", nil, []string{"tcp 443 10.0.2.0/24"})
	n.eni("eni-src", "subnet-a", "10.0.1.5", "sg-1", "sg-2")
	n.eni("eni-dst", "subnet-b", "10.0.2.5", "sg-open")
	r := n.trace("eni-src", "eni-dst", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	if r.Hops[1].ID != "sg-2" || !strings.Contains(r.Hops[1].Rule, "tcp 443") {
		t.Fatalf("the allowing group should be named: %+v", r.Hops[1])
	}
}

func TestSecurityGroupDefaultAdmitsItsMembers(t *testing.T) {
	n := newNet(t)
	n.sg("sg-default", []string{"all sg-default"}, []string{"all 0.0.0.0/0"})
	n.eni("eni-1", "subnet-a", "10.0.1.5", "sg-default")
	n.eni("eni-2", "subnet-a", "10.0.1.6", "sg-default")
	n.eni("eni-3", "subnet-a", "10.0.1.7", "sg-open")
	expect(t, n.trace("eni-1", "eni-2", "tcp", 5432), Reachable, "", "", false)
	expect(t, n.trace("eni-3", "eni-2", "tcp", 5432), Blocked, CompSecurityGroup, "sg-default", false)
}

func TestSecurityGroupReferenceNeverMatchesPublicOrTranslatedAddresses(t *testing.T) {
	n := newNet(t)
	n.internet()
	n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1")
	// The destination's group is referenced, but the packet goes to a
	// public address: the reference cannot match.
	n.sg("sg-src", nil, []string{"all sg-dst"})
	n.sg("sg-dst", []string{"all sg-src"}, nil)
	n.eni("eni-src", "subnet-a", "10.0.1.5", "sg-src")
	n.eni("eni-dst", "subnet-b", "10.0.2.5", "sg-dst")
	r := n.trace("eni-src", "54.1.2.3", "tcp", 443)
	expect(t, r, Blocked, CompSecurityGroup, "sg-src", false)
}

func TestSecurityGroupPrefixListRules(t *testing.T) {
	for _, tt := range []struct {
		name    string
		known   bool
		extra   []string
		verdict Verdict
	}{
		{"entries known and matching", true, nil, Reachable},
		{"entries unknown: cannot decide", false, nil, Unknown},
		{"entries unknown but another rule allows", false, []string{"tcp 443 0.0.0.0/0"}, Reachable},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := newNet(t)
			n.s3()
			n.m.PrefixLists["pl-s3"].CIDRsKnown = tt.known
			if !tt.known {
				n.m.PrefixLists["pl-s3"].CIDRs = nil
			}
			n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 igw-1")
			n.m.InternetGateways["igw-1"] = &model.InternetGateway{ID: "igw-1", VPCs: []string{"vpc-1"}}
			n.m.RouteTables["rtb-a"].Routes = append(n.m.RouteTables["rtb-a"].Routes, model.Route{Dest: pfx("52.216.0.0/15"), Target: model.Target{Kind: model.TargetVPCEndpoint, ID: "vpce-s3"}})
			n.sg("sg-src", nil, append([]string{"tcp 443 pl-s3"}, tt.extra...))
			n.eni("eni-src", "subnet-a", "10.0.1.5", "sg-src")
			r := n.trace("eni-src", "52.216.10.20", "tcp", 443)
			if r.Verdict != tt.verdict {
				t.Fatalf("verdict %s, want %s: %+v", r.Verdict, tt.verdict, r.BlockedBy)
			}
			if tt.verdict == Unknown && (r.BlockedBy.Component != CompSecurityGroup || !strings.Contains(r.BlockedBy.Reason, "pl-s3")) {
				t.Fatalf("unknown should name the prefix list at the group: %+v", r.BlockedBy)
			}
		})
	}
}

func TestSecurityGroupMissingFromSnapshotIsUnknown(t *testing.T) {
	n := newNet(t)
	n.eni("eni-src", "subnet-a", "10.0.1.5", "sg-gone")
	n.eni("eni-dst", "subnet-b", "10.0.2.5", "sg-open")
	r := n.trace("eni-src", "eni-dst", "tcp", 443)
	expect(t, r, Unknown, CompSecurityGroup, "sg-gone", false)
}

func TestNetworkACLs(t *testing.T) {
	tests := []struct {
		name      string
		inB, outA []string // subnet-b inbound, subnet-a outbound
		inA, outB []string // return path: subnet-b outbound, subnet-a inbound
		verdict   Verdict
		stopID    string
		onReturn  bool
	}{
		{"ascending number, first match: deny before allow", []string{"90 deny tcp 443 10.0.1.0/24", "100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"}, nil, nil, nil, Blocked, "acl-b", false},
		{"file order does not matter", []string{"100 allow all 0.0.0.0/0", "90 deny tcp 443 10.0.1.0/24", "* deny all 0.0.0.0/0"}, nil, nil, nil, Blocked, "acl-b", false},
		{"lower allow wins over later deny", []string{"80 allow tcp 443 10.0.1.0/24", "90 deny all 0.0.0.0/0", "* deny all 0.0.0.0/0"}, nil, nil, nil, Reachable, "", false},
		{"final rule denies", []string{"100 allow tcp 80 0.0.0.0/0", "* deny all 0.0.0.0/0"}, nil, nil, nil, Blocked, "acl-b", false},
		{"source outbound checked", nil, []string{"100 allow tcp 80 0.0.0.0/0", "* deny all 0.0.0.0/0"}, nil, nil, Blocked, "acl-a", false},
		{"stateless: reply needs the ephemeral range outbound", nil, nil, nil, []string{"100 allow tcp 0-1023 0.0.0.0/0", "* deny all 0.0.0.0/0"}, Blocked, "acl-b", true},
		{"stateless: reply needs the ephemeral range inbound", nil, nil, []string{"100 allow tcp 443 0.0.0.0/0", "* deny all 0.0.0.0/0"}, nil, Blocked, "acl-a", true},
		{"ephemeral range allowed", nil, nil, []string{"100 allow tcp 1024-65535 10.0.2.0/24", "* deny all 0.0.0.0/0"}, nil, Reachable, "", false},
		{"part of the ephemeral range is not enough", nil, nil, []string{"100 allow tcp 49152-65535 0.0.0.0/0", "* deny all 0.0.0.0/0"}, nil, Blocked, "acl-a", true},
		{"custom ACL without rules denies all", []string{"* deny all 0.0.0.0/0"}, nil, nil, nil, Blocked, "acl-b", false},
		{"ACL without a final entry (moto) still denies", []string{}, nil, nil, nil, Blocked, "acl-b", false},
	}
	all := []string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"}
	or := func(a []string) []string {
		if a == nil {
			return all
		}
		return a
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newNet(t)
			n.nacl("acl-a", []string{"subnet-a"}, or(tt.inA), or(tt.outA))
			n.nacl("acl-b", []string{"subnet-b"}, or(tt.inB), or(tt.outB))
			n.eni("eni-src", "subnet-a", "10.0.1.5", "sg-open")
			n.eni("eni-dst", "subnet-b", "10.0.2.5", "sg-open")
			r := n.trace("eni-src", "eni-dst", "tcp", 443)
			expect(t, r, tt.verdict, CompNetworkACL, tt.stopID, tt.onReturn)
			if tt.verdict == Blocked && r.Fix == nil {
				t.Fatal("a blocked flow needs a fix")
			}
		})
	}
}

func TestNetworkACLNotAppliedInsideOneSubnet(t *testing.T) {
	n := newNet(t)
	n.nacl("acl-a", []string{"subnet-a"}, []string{"* deny all 0.0.0.0/0"}, []string{"* deny all 0.0.0.0/0"})
	n.eni("eni-1", "subnet-a", "10.0.1.5", "sg-open")
	n.eni("eni-2", "subnet-a", "10.0.1.6", "sg-open")
	r := n.trace("eni-1", "eni-2", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	if hasHop(r.Hops, CompNetworkACL) || hasHop(r.ReturnHops, CompNetworkACL) {
		t.Fatalf("no ACL applies inside a subnet: %v", components(r.Hops))
	}
}

func TestNetworkACLPartialEphemeralNamesThePorts(t *testing.T) {
	n := newNet(t)
	n.nacl("acl-a", []string{"subnet-a"}, []string{"100 allow tcp 49152-65535 0.0.0.0/0", "* deny all 0.0.0.0/0"}, []string{"100 allow all 0.0.0.0/0"})
	n.eni("eni-src", "subnet-a", "10.0.1.5", "sg-open")
	n.eni("eni-dst", "subnet-b", "10.0.2.5", "sg-open")
	r := n.trace("eni-src", "eni-dst", "tcp", 443)
	expect(t, r, Blocked, CompNetworkACL, "acl-a", true)
	for _, want := range []string{"32768-49151 denied by #*", "49152-60999 allowed by #100"} {
		if !strings.Contains(r.BlockedBy.Reason, want) {
			t.Errorf("reason %q lacks %q", r.BlockedBy.Reason, want)
		}
	}
	// A Windows client's range lies inside the allowed part.
	n.m.Index()
	r, err := Trace(n.m, Query{From: "eni-src", To: "eni-dst", Protocol: model.ProtoTCP, Port: 443, Ephemeral: EphemeralWindows, EphemeralName: "Windows"})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, r, Reachable, "", "", false)
}

func TestRouteTables(t *testing.T) {
	t.Run("explicit association else main", func(t *testing.T) {
		n := newNet(t)
		n.internet()
		n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
		// subnet-a uses the main table: local only, so the internet is unroutable.
		r := n.trace("eni-a", "54.1.2.3", "tcp", 443)
		expect(t, r, Blocked, CompRouteTable, "rtb-main", false)
		if !strings.Contains(r.BlockedBy.Reason, "main table") {
			t.Errorf("reason should say the main table was used: %s", r.BlockedBy.Reason)
		}
		if r.Fix == nil || !strings.Contains(*r.Fix, "nat-1") {
			t.Errorf("fix should route to the NAT gateway: %v", r.Fix)
		}
		n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1")
		expect(t, n.trace("eni-a", "54.1.2.3", "tcp", 443), Reachable, "", "", false)
	})
	t.Run("longest prefix match", func(t *testing.T) {
		n := newNet(t)
		n.internet()
		n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1", "54.1.0.0/16 pcx-1")
		// The peer VPC is not in the snapshot: what lies past pcx-1 is unknown.
		n.m.Peerings["pcx-1"] = &model.Peering{ID: "pcx-1", Status: "active", Requester: model.PeeringSide{VPCID: "vpc-1"},
			Accepter: model.PeeringSide{VPCID: "vpc-other", CIDRs: []netip.Prefix{pfx("54.1.0.0/16")}}}
		n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
		expect(t, n.trace("eni-a", "54.1.2.3", "tcp", 443), Unknown, CompVPCPeering, "pcx-1", false)
		expect(t, n.trace("eni-a", "54.2.2.3", "tcp", 443), Reachable, "", "", false)
	})
	t.Run("blackhole drops", func(t *testing.T) {
		n := newNet(t)
		n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-gone blackhole")
		n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
		r := n.trace("eni-a", "54.1.2.3", "tcp", 443)
		expect(t, r, Blocked, CompRouteTable, "rtb-a", false)
		if !strings.Contains(r.BlockedBy.Reason, "blackhole") {
			t.Errorf("reason should say blackhole: %s", r.BlockedBy.Reason)
		}
	})
	t.Run("static beats prefix list at equal length", func(t *testing.T) {
		n := newNet(t)
		n.internet()
		n.s3()
		n.routes("rtb-a", []string{"subnet-a"}, "pl-s3 vpce-s3", "52.216.0.0/15 nat-1")
		n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
		r := n.trace("eni-a", "52.216.1.1", "tcp", 443)
		expect(t, r, Reachable, "", "", false)
		if !hasHop(r.Hops, CompNATGateway) || hasHop(r.Hops, CompVPCEndpoint) {
			t.Fatalf("the static /15 should win over the prefix-list /15: %v", components(r.Hops))
		}
	})
	t.Run("prefix list beats propagated and shorter static", func(t *testing.T) {
		n := newNet(t)
		n.internet()
		n.s3()
		n.routes("rtb-a", []string{"subnet-a"}, "pl-s3 vpce-s3", "52.216.0.0/15 vgw-1 propagated", "0.0.0.0/0 nat-1")
		n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
		r := n.trace("eni-a", "52.216.1.1", "tcp", 443)
		expect(t, r, Reachable, "", "", false)
		if !hasHop(r.Hops, CompVPCEndpoint) || !hasHop(r.Hops, CompPrefixList) {
			t.Fatalf("want the gateway endpoint path: %v", components(r.Hops))
		}
	})
	t.Run("prefix list without entries is unknown", func(t *testing.T) {
		n := newNet(t)
		n.internet()
		n.s3()
		n.m.PrefixLists["pl-s3"].CIDRsKnown, n.m.PrefixLists["pl-s3"].CIDRs = false, nil
		n.routes("rtb-a", []string{"subnet-a"}, "pl-s3 vpce-s3", "0.0.0.0/0 nat-1")
		n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
		expect(t, n.trace("eni-a", "52.216.1.1", "tcp", 443), Unknown, CompRouteTable, "rtb-a", false)
	})
	t.Run("no route tables described", func(t *testing.T) {
		n := newNet(t)
		delete(n.m.RouteTables, "rtb-main")
		n.m.Present[model.KindRouteTable] = false
		n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
		n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-open")
		r := n.trace("eni-a", "eni-b", "tcp", 443)
		expect(t, r, Unknown, CompRouteTable, "subnet-a", false)
	})
}

func TestInternetGatewayNeedsAPublicIP(t *testing.T) {
	n := newNet(t)
	n.internet()
	n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 igw-1")
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
	r := n.trace("eni-a", "54.1.2.3", "tcp", 443)
	expect(t, r, Blocked, CompInternetGateway, "igw-1", false)
	if r.Fix == nil || !strings.Contains(*r.Fix, "associate-address") {
		t.Fatalf("fix should give the interface a public address: %v", r.Fix)
	}
	n.m.ENIs["eni-a"].PublicIPs = map[netip.Addr]netip.Addr{addr("10.0.1.5"): addr("54.9.9.9")}
	r = n.trace("eni-a", "54.1.2.3", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	if !hasHop(r.Hops, CompInternetGateway) || !strings.Contains(r.Hops[len(r.Hops)-1].Reason, "54.9.9.9") {
		t.Fatalf("the gateway should translate to the public IP: %+v", r.Hops)
	}
}
