package simulate

import (
	"math/rand"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

func TestNATGateway(t *testing.T) {
	setup := func(t *testing.T) *testNet {
		n := newNet(t)
		n.internet()
		n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1")
		n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
		return n
	}
	t.Run("path through NAT then internet gateway, both ways", func(t *testing.T) {
		n := setup(t)
		r := n.trace("eni-a", "151.101.0.223", "tcp", 443)
		expect(t, r, Reachable, "", "", false)
		want := []string{"eni:eni-a", "security-group:sg-open", "route-table:rtb-a", "network-acl:acl-default", "network-acl:acl-default",
			"nat-gateway:nat-1", "route-table:rtb-pub", "network-acl:acl-default", "internet-gateway:igw-1"}
		if got := components(r.Hops); !slices.Equal(got, want) {
			t.Fatalf("hops\n got %v\nwant %v", got, want)
		}
		if !hasHop(r.ReturnHops, CompNATGateway) || !hasHop(r.ReturnHops, CompInternetGateway) {
			t.Fatalf("return path should pass the gateways: %v", components(r.ReturnHops))
		}
	})
	t.Run("NAT subnet ACL sees replies on the NAT's ports 1024-65535", func(t *testing.T) {
		n := setup(t)
		n.nacl("acl-pub", []string{"subnet-pub"}, []string{"100 allow tcp 443 10.0.0.0/16", "110 allow tcp 32768-65535 0.0.0.0/0", "* deny all 0.0.0.0/0"}, []string{"100 allow all 0.0.0.0/0"})
		r := n.trace("eni-a", "151.101.0.223", "tcp", 443)
		expect(t, r, Blocked, CompNetworkACL, "acl-pub", true)
		if !strings.Contains(r.BlockedBy.Reason, "1024-32767 denied") {
			t.Fatalf("reason should name the denied ports: %s", r.BlockedBy.Reason)
		}
	})
	t.Run("NAT not available", func(t *testing.T) {
		n := setup(t)
		n.m.NATGateways["nat-1"].State = "deleted"
		expect(t, n.trace("eni-a", "151.101.0.223", "tcp", 443), Blocked, CompNATGateway, "nat-1", false)
	})
	t.Run("NAT subnet without a route to the internet", func(t *testing.T) {
		n := setup(t)
		n.m.RouteTables["rtb-pub"].Routes = n.m.RouteTables["rtb-pub"].Routes[:1]
		expect(t, n.trace("eni-a", "151.101.0.223", "tcp", 443), Blocked, CompRouteTable, "rtb-pub", false)
	})
	t.Run("private NAT leaves the model", func(t *testing.T) {
		n := setup(t)
		n.m.NATGateways["nat-1"].Connectivity = "private"
		expect(t, n.trace("eni-a", "151.101.0.223", "tcp", 443), Unknown, CompNATGateway, "nat-1", false)
	})
	t.Run("private destination through NAT cannot be delivered", func(t *testing.T) {
		n := setup(t)
		expect(t, n.trace("eni-a", "192.168.1.1", "tcp", 443), Blocked, CompInternetGateway, "igw-1", false)
	})
}

func TestGatewayEndpoint(t *testing.T) {
	setup := func(t *testing.T) *testNet {
		n := newNet(t)
		n.internet()
		n.s3()
		n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1", "pl-s3 vpce-s3")
		n.m.Endpoints["vpce-s3"].RouteTables = []string{"rtb-a"}
		n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
		return n
	}
	t.Run("S3 through the endpoint, not the NAT", func(t *testing.T) {
		r := setup(t).trace("eni-a", "52.216.10.20", "tcp", 443)
		expect(t, r, Reachable, "", "", false)
		if !hasHop(r.Hops, CompVPCEndpoint) || !hasHop(r.Hops, CompPrefixList) || hasHop(r.Hops, CompNATGateway) {
			t.Fatalf("want endpoint and prefix list hops, no NAT: %v", components(r.Hops))
		}
	})
	t.Run("NACL matches the public S3 CIDRs", func(t *testing.T) {
		n := setup(t)
		n.nacl("acl-a", []string{"subnet-a"}, []string{"100 allow all 0.0.0.0/0"}, []string{"100 allow all 10.0.0.0/16", "* deny all 0.0.0.0/0"})
		r := n.trace("eni-a", "52.216.10.20", "tcp", 443)
		expect(t, r, Blocked, CompNetworkACL, "acl-a", false)
		if r.Fix == nil || !strings.Contains(*r.Fix, "allow tcp/443 to 52.216.0.0/15") || !strings.Contains(*r.Fix, "other CIDRs of pl-s3 (3.5.0.0/19)") {
			t.Fatalf("fix should open the S3 prefix list's CIDRs: %v", *r.Fix)
		}
	})
	t.Run("TCP only", func(t *testing.T) {
		expect(t, setup(t).trace("eni-a", "52.216.10.20", "udp", 443), Blocked, CompVPCEndpoint, "vpce-s3", false)
	})
	t.Run("source egress rules apply to the prefix list", func(t *testing.T) {
		n := setup(t)
		n.sg("sg-a", nil, []string{"tcp 443 pl-s3"})
		n.m.ENIs["eni-a"].Groups = []string{"sg-a"}
		expect(t, n.trace("eni-a", "52.216.10.20", "tcp", 443), Reachable, "", "", false)
		expect(t, n.trace("eni-a", "54.1.2.3", "tcp", 443), Blocked, CompSecurityGroup, "sg-a", false)
	})
	t.Run("not associated: isolated subnet has no route, fix associates it", func(t *testing.T) {
		n := setup(t)
		n.m.RouteTables["rtb-a"].Routes = n.m.RouteTables["rtb-a"].Routes[:1]
		r := n.trace("eni-a", "52.216.10.20", "tcp", 443)
		expect(t, r, Blocked, CompRouteTable, "rtb-a", false)
		if r.Fix == nil || !strings.Contains(*r.Fix, "modify-vpc-endpoint --vpc-endpoint-id vpce-s3 --add-route-table-ids rtb-a") {
			t.Fatalf("fix should associate the endpoint: %v", r.Fix)
		}
	})
	t.Run("--to a gateway endpoint picks an address of its list", func(t *testing.T) {
		r := setup(t).trace("eni-a", "vpce-s3", "tcp", 443)
		expect(t, r, Reachable, "", "", false)
		if r.Flow.DstIP != "52.216.0.1" {
			t.Fatalf("dst %s", r.Flow.DstIP)
		}
	})
}

func TestInterfaceEndpoint(t *testing.T) {
	setup := func(t *testing.T) *testNet {
		n := newNet(t)
		n.sg("sg-ws", nil, []string{"tcp 443 sg-vpce"})
		n.sg("sg-vpce", []string{"tcp 443 sg-ws"}, nil)
		n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-ws")
		n.interfaceEndpoint("vpce-sts", "sg-vpce", "subnet-b", "10.0.2.10", "subnet-a", "10.0.1.10")
		return n
	}
	t.Run("groups on the endpoint interfaces apply (unlike Batfish)", func(t *testing.T) {
		n := setup(t)
		expect(t, n.trace("eni-a", "vpce-sts", "tcp", 443), Reachable, "", "", false)
		n.sg("sg-vpce", []string{"tcp 443 10.9.0.0/16"}, nil)
		r := n.trace("eni-a", "vpce-sts", "tcp", 443)
		expect(t, r, Blocked, CompSecurityGroup, "sg-vpce", false)
		if r.Fix == nil || !strings.Contains(*r.Fix, "authorize-security-group-ingress --group-id sg-vpce") || !strings.Contains(*r.Fix, "GroupId=sg-ws") {
			t.Fatalf("fix should add an ingress rule from the workspace group: %v", r.Fix)
		}
	})
	t.Run("every interface is traced, same AZ first", func(t *testing.T) {
		r := setup(t).trace("eni-a", "vpce-sts", "tcp", 443)
		if len(r.Targets) != 2 || r.Targets[0].DstIP != "10.0.1.10" {
			t.Fatalf("targets %+v", r.Targets)
		}
	})
	t.Run("one blocked interface blocks the endpoint", func(t *testing.T) {
		n := setup(t)
		n.nacl("acl-b", []string{"subnet-b"}, []string{"* deny all 0.0.0.0/0"}, []string{"100 allow all 0.0.0.0/0"})
		r := n.trace("eni-a", "vpce-sts", "tcp", 443)
		expect(t, r, Blocked, CompNetworkACL, "acl-b", false)
		if r.Targets[0].Verdict != Reachable || r.Targets[1].Verdict != Blocked {
			t.Fatalf("targets %+v", r.Targets)
		}
	})
	t.Run("TCP only", func(t *testing.T) {
		n := setup(t)
		n.sg("sg-ws", nil, []string{"all 0.0.0.0/0"})
		n.sg("sg-vpce", []string{"all 0.0.0.0/0"}, nil)
		expect(t, n.trace("eni-a", "vpce-sts", "udp", 443), Blocked, CompVPCEndpoint, "vpce-sts", false)
	})
	t.Run("not available", func(t *testing.T) {
		n := setup(t)
		n.m.Endpoints["vpce-sts"].State = "pendingacceptance"
		expect(t, n.trace("eni-a", "vpce-sts", "tcp", 443), Blocked, CompVPCEndpoint, "vpce-sts", false)
	})
}

// A route target the snapshot does not hold is unknown, after the checks
// that are certain.
func TestPathsThatLeaveTheModelAreUnknown(t *testing.T) {
	for _, target := range []string{"eni-appliance"} {
		t.Run(target, func(t *testing.T) {
			n := newNet(t)
			n.routes("rtb-a", []string{"subnet-a"}, "172.16.0.0/12 "+target)
			n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
			r := n.trace("eni-a", "172.16.5.5", "tcp", 443)
			if r.Verdict != Unknown || r.BlockedBy == nil || r.BlockedBy.ID != target || !strings.Contains(r.BlockedBy.Reason, "not in the snapshot") {
				t.Fatalf("want unknown at %s: %s %+v", target, r.Verdict, r.BlockedBy)
			}
			// A certain deny before the unknown part still decides.
			n.nacl("acl-a", []string{"subnet-a"}, []string{"100 allow all 0.0.0.0/0"}, []string{"* deny all 0.0.0.0/0"})
			expect(t, n.trace("eni-a", "172.16.5.5", "tcp", 443), Blocked, CompNetworkACL, "acl-a", false)
		})
	}
}

func TestAWSServicesAreNotFiltered(t *testing.T) {
	n := newNet(t)
	n.sg("sg-closed", nil, nil)
	n.nacl("acl-a", []string{"subnet-a"}, []string{"* deny all 0.0.0.0/0"}, []string{"* deny all 0.0.0.0/0"})
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-closed")
	for _, tt := range []struct {
		to      string
		proto   string
		port    uint16
		verdict Verdict
	}{
		{"10.0.0.2", "udp", 53, Reachable},
		{"169.254.169.253", "tcp", 53, Reachable},
		{"169.254.169.254", "tcp", 80, Reachable},
		{"169.254.169.123", "udp", 123, Reachable},
		{"10.0.0.2", "tcp", 443, Blocked},
		{"169.254.1.1", "tcp", 80, Blocked},
	} {
		r := n.trace("eni-a", tt.to, tt.proto, tt.port)
		if r.Verdict != tt.verdict {
			t.Errorf("%s %s/%d: %s, want %s (%+v)", tt.to, tt.proto, tt.port, r.Verdict, tt.verdict, r.BlockedBy)
		}
	}
	n.m.VPCs["vpc-1"].DNSSupport = model.No
	expect(t, n.trace("eni-a", "10.0.0.2", "udp", 53), Blocked, CompAWSService, "10.0.0.2", false)
	n.m.VPCs["vpc-1"].DNSSupport = model.Unknown
	expect(t, n.trace("eni-a", "10.0.0.2", "udp", 53), Unknown, CompAWSService, "10.0.0.2", false)
}

func TestLocalDestinations(t *testing.T) {
	n := newNet(t)
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
	n.m.Instances["i-b"] = &model.Instance{ID: "i-b", State: "stopped", ENIs: []string{"eni-b"}}
	b := n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-open")
	b.InstanceID = "i-b"
	expect(t, n.trace("eni-a", "10.0.2.99", "tcp", 443), Unknown, CompENI, "10.0.2.99", false)
	expect(t, n.trace("eni-a", "i-b", "tcp", 443), Blocked, CompENI, "eni-b", false)
	n.m.Instances["i-b"].State = "running"
	expect(t, n.trace("10.0.1.5", "i-b", "tcp", 443), Reachable, "", "", false)
}

func TestBadQuestionsAreErrors(t *testing.T) {
	n := newNet(t)
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
	n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-open")
	dup := n.eni("eni-dup", "subnet-b", "10.0.1.5", "sg-open")
	dup.VPCID = "vpc-2"
	n.m.Dangling = []model.Dangling{{Origin: "x/enis.json", Field: "NetworkInterfaces (eni-lost).SubnetId", ID: "subnet-lost", Kind: model.KindSubnet}}
	lost := n.eni("eni-lost", "subnet-a", "10.0.9.9", "sg-open")
	lost.SubnetID = "subnet-lost"
	n.m.Index()
	for _, tt := range []struct{ from, to, want string }{
		{"eni-nope", "eni-b", "eni-nope is not in the snapshot"},
		{"10.0.1.5", "eni-b", "ambiguous"},
		{"10.9.9.9", "eni-b", "no network interface in the snapshot holds"},
		{"banana", "eni-b", "want an ENI ID"},
		{"eni-a", "vpce-nope", "vpce-nope is not in the snapshot"},
		{"eni-a", "nonsense", "want an ENI ID"},
		{"eni-lost", "eni-b", "dangling reference at x/enis.json: NetworkInterfaces (eni-lost).SubnetId"},
		{"eni-a", "eni-a", "same interface"},
	} {
		_, err := Trace(n.m, Query{From: tt.from, To: tt.to, Protocol: model.ProtoTCP, Port: 443})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s -> %s: error %v, want %q", tt.from, tt.to, err, tt.want)
		}
	}
	if _, err := Trace(n.m, Query{From: "eni-a", To: "eni-b", Protocol: model.ProtoTCP}); err == nil {
		t.Error("tcp without a port should be an error")
	}
}

// TestNACLRangeEqualsPortByPort checks the interval evaluation of a port
// range against deciding each port alone, on random ACLs.
func TestNACLRangeEqualsPortByPort(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	src, dst := addr("10.0.1.5"), addr("10.0.2.5")
	cidrs := []string{"0.0.0.0/0", "10.0.0.0/16", "10.0.2.0/24", "192.168.0.0/16"}
	for iter := 0; iter < 300; iter++ {
		var lines []string
		for i := 0; i < 1+rng.Intn(6); i++ {
			first := rng.Intn(65536)
			last := first + rng.Intn(65536-first)
			act := []string{"allow", "deny"}[rng.Intn(2)]
			proto := []string{"tcp", "udp", "all"}[rng.Intn(3)]
			ports := model.PortRange{First: uint16(first), Last: uint16(last)}.String()
			if proto == "all" {
				lines = append(lines, strings.Join([]string{itoa(10 * (i + 1)), act, "all", cidrs[rng.Intn(len(cidrs))]}, " "))
				continue
			}
			lines = append(lines, strings.Join([]string{itoa(10 * (i + 1)), act, proto, ports, cidrs[rng.Intn(len(cidrs))]}, " "))
		}
		a := &model.NetworkACL{ID: "acl", Outbound: egressACL(lines...)}
		lo := rng.Intn(65536)
		r := model.PortRange{First: uint16(lo), Last: uint16(lo + rng.Intn(min(2000, 65536-lo)))}
		got := evalNACL(a, true, packet{src: src, dst: dst, proto: model.ProtoTCP, ports: r})
		allAllowed := true
		for p := int(r.First); p <= int(r.Last); p++ {
			one := evalNACL(a, true, packet{src: src, dst: dst, proto: model.ProtoTCP, ports: model.Port(uint16(p))})
			inAllowed := false
			for _, s := range got.allowed {
				inAllowed = inAllowed || s.ports.Contains(uint16(p))
			}
			if (one.decision == Allow) != inAllowed {
				t.Fatalf("acl %v range %s: port %d alone %s, in range allowed=%v", lines, r, p, one.decision, inAllowed)
			}
			allAllowed = allAllowed && one.decision == Allow
		}
		if (got.decision == Allow) != allAllowed {
			t.Fatalf("acl %v range %s: range decision %s, ports all allowed %v", lines, r, got.decision, allAllowed)
		}
	}
}

func itoa(n int) string { return model.Port(uint16(n)).String() }

func TestLookupRouteDoesNotAllocate(t *testing.T) {
	n := newNet(t)
	n.internet()
	n.s3()
	rt := n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1", "pl-s3 vpce-s3")
	n.m.Index()
	dst := netip.MustParseAddr("52.216.1.1")
	if a := testing.AllocsPerRun(100, func() { lookupRoute(n.m, rt, dst) }); a != 0 {
		t.Fatalf("lookupRoute allocates %v times", a)
	}
}

func TestSourceStateAndAddressFamily(t *testing.T) {
	n := newNet(t)
	a := n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
	a.InstanceID = "i-a"
	n.m.Instances["i-a"] = &model.Instance{ID: "i-a", State: "stopped", ENIs: []string{"eni-a"}}
	n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-open")
	expect(t, n.trace("i-a", "eni-b", "tcp", 443), Blocked, CompENI, "eni-a", false)
	n.m.Instances["i-a"].State = "running"
	// IPv6 destination, IPv4-only source: nothing to send from.
	expect(t, n.trace("eni-a", "2600:1f18::1", "tcp", 443), Blocked, CompENI, "eni-a", false)
	// With an IPv6 address the source speaks IPv6, and an IPv4-only
	// default route does not carry it.
	n.internet()
	n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 igw-1")
	a.IPv6s = []netip.Addr{addr("2600:1f18::5")}
	expect(t, n.trace("eni-a", "2600:1f18:ffff::1", "tcp", 443), Blocked, CompSecurityGroup, "sg-open", false)
	n.sg("sg-v6", nil, []string{"all ::/0"})
	a.Groups = []string{"sg-v6"}
	r := n.trace("eni-a", "2600:1f18:ffff::1", "tcp", 443)
	expect(t, r, Blocked, CompRouteTable, "rtb-a", false)
	if r.Flow.SrcIP != "2600:1f18::5" {
		t.Fatalf("source address %s", r.Flow.SrcIP)
	}
}

func TestGatewayEndpointNotAssociatedLeavesThroughNAT(t *testing.T) {
	n := newNet(t)
	n.internet()
	n.s3()
	n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1")
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
	r := n.trace("eni-a", "52.216.10.20", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	if !hasHop(r.Hops, CompNATGateway) || len(r.Findings) != 1 || !strings.Contains(r.Findings[0], "vpce-s3 serves 52.216.10.20") {
		t.Fatalf("want the NAT path and the finding: %v %v", components(r.Hops), r.Findings)
	}
}

func TestIngressRoutingIsNotGuessed(t *testing.T) {
	n := newNet(t)
	n.internet()
	n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1")
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
	edge := n.routes("rtb-edge", nil, "10.0.1.0/24 eni-appliance")
	edge.Gateways = []string{"igw-1"}
	expect(t, n.trace("eni-a", "151.101.0.223", "tcp", 443), Unknown, CompRouteTable, "rtb-edge", true)
}

func TestATraceToANATGatewaysOwnAddressIsBlocked(t *testing.T) {
	n := newNet(t)
	n.internet()
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
	r := n.trace("eni-a", "10.0.0.10", "tcp", 443)
	expect(t, r, Blocked, CompNATGateway, "nat-1", false)
	if r.BlockedBy.Rule != "own address" {
		t.Errorf("rule %q", r.BlockedBy.Rule)
	}
}

func TestAnAddressOfTheVPCNoSubnetHoldsIsBlocked(t *testing.T) {
	n := newNet(t)
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
	expect(t, n.trace("eni-a", "10.0.200.1", "tcp", 443), Blocked, CompSubnet, "vpc-1", false)
	// In a subnet but held by no interface of the snapshot: unknown.
	expect(t, n.trace("eni-a", "10.0.2.200", "tcp", 443), Unknown, CompENI, "10.0.2.200", false)
}
