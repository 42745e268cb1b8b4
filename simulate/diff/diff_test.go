package diff

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate/check"
)

func TestIntervals(t *testing.T) {
	pr := func(a, b uint16) model.PortRange { return model.PortRange{First: a, Last: b} }
	u := union([]model.PortRange{pr(8443, 8451), pr(443, 443), pr(8440, 8444), pr(444, 500)})
	if got := Ranges(u).String(); got != "443-500, 8440-8451" {
		t.Errorf("union %s", got)
	}
	if got := Ranges(minus([]model.PortRange{pr(443, 443), pr(8443, 8451)}, []model.PortRange{pr(443, 443), pr(8443, 8443)})).String(); got != "8444-8451" {
		t.Errorf("minus %s", got)
	}
	if got := Ranges(minus([]model.PortRange{model.AllPorts}, []model.PortRange{pr(0, 1023)})).String(); got != "1024-65535" {
		t.Errorf("minus all %s", got)
	}
	if got := minus([]model.PortRange{pr(1, 2)}, []model.PortRange{model.AllPorts}); len(got) != 0 {
		t.Errorf("minus to nothing %v", got)
	}
}

func TestRequirements(t *testing.T) {
	o := func(name, subnet string, s check.Status) check.Outcome {
		return check.Outcome{Name: name, Section: "functional", SourceSubnet: subnet, Status: s, Detail: "at sg-2"}
	}
	got := Requirements(
		[]check.Outcome{o("a", "s1", check.Pass), o("b", "s1", check.Fail), o("c", "s1", check.Pass)},
		[]check.Outcome{o("a", "s1", check.Fail), o("b", "s1", check.Pass), o("c", "s1", check.Pass)},
		[]Cause{{Address: "aws_security_group_rule.x", Verb: "deleting", IDs: []string{"sg-2"}}, {Address: "aws_vpc.v", Verb: "updating", IDs: []string{"vpc-9"}}})
	if len(got) != 2 || !got[0].Worse || got[1].Worse || got[0].Causes[0] != "deleting aws_security_group_rule.x" || len(got[0].Causes) != 1 {
		t.Errorf("%+v", got)
	}
}

// net builds two interfaces in two subnets of one VPC, a in group sg-a and
// b in sg-b, with sg-b's ingress rules given.
func net(ingress ...model.SGRule) *model.Model {
	m := model.New()
	all := netip.MustParsePrefix("0.0.0.0/0")
	m.VPCs["vpc-1"] = &model.VPC{ID: "vpc-1", CIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}, DNSSupport: model.Yes}
	for i, s := range []string{"subnet-a", "subnet-b"} {
		m.Subnets[s] = &model.Subnet{ID: s, VPCID: "vpc-1", CIDR: netip.MustParsePrefix(fmt.Sprintf("10.0.%d.0/24", i+1)), AvailableIPs: 100}
	}
	m.RouteTables["rtb-1"] = &model.RouteTable{ID: "rtb-1", VPCID: "vpc-1", Main: true, Routes: []model.Route{{Dest: netip.MustParsePrefix("10.0.0.0/16"), Target: model.Target{Kind: model.TargetLocal, ID: "local"}}}}
	m.NetworkACLs["acl-1"] = &model.NetworkACL{ID: "acl-1", VPCID: "vpc-1", IsDefault: true,
		Inbound:  []model.NACLEntry{{Number: 100, Allow: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: all}},
		Outbound: []model.NACLEntry{{Number: 100, Egress: true, Allow: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: all}}}
	m.SecurityGroups["sg-a"] = &model.SecurityGroup{ID: "sg-a", VPCID: "vpc-1", Egress: []model.SGRule{{GroupID: "sg-a", Egress: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: all}}}
	m.SecurityGroups["sg-b"] = &model.SecurityGroup{ID: "sg-b", VPCID: "vpc-1", Ingress: ingress}
	m.ENIs["eni-a"] = &model.ENI{ID: "eni-a", SubnetID: "subnet-a", VPCID: "vpc-1", PrivateIPs: []netip.Addr{netip.MustParseAddr("10.0.1.10")}, Groups: []string{"sg-a"}, Status: "in-use"}
	m.ENIs["eni-b"] = &model.ENI{ID: "eni-b", SubnetID: "subnet-b", VPCID: "vpc-1", PrivateIPs: []netip.Addr{netip.MustParseAddr("10.0.2.10")}, Groups: []string{"sg-b"}, Status: "in-use"}
	for _, k := range []model.Kind{model.KindVPC, model.KindSubnet, model.KindRouteTable, model.KindNetworkACL, model.KindSecurityGroup, model.KindENI} {
		m.Present[k] = true
	}
	m.Index()
	return m
}

func TestReachabilityExactRanges(t *testing.T) {
	rule := func(p model.Protocol, a, b uint16, src string) model.SGRule {
		return model.SGRule{GroupID: "sg-b", Protocol: p, Ports: model.PortRange{First: a, Last: b}, ICMP: model.AnyICMP, PeerGroup: "sg-a", Source: src}
	}
	before := net(rule(model.ProtoTCP, 8443, 8451, "r1"), rule(model.ProtoTCP, 443, 443, "r2"))
	after := net(rule(model.ProtoTCP, 8443, 8443, "r1"), rule(model.ProtoTCP, 443, 443, "r2"), rule(model.ProtoICMP, 0, 0, "r3"))
	causes := []Cause{{Address: "aws_security_group_rule.vpce_8443", Verb: "updating", IDs: []string{"sg-b"}}}
	var got []string
	for _, c := range Reachability(before, after, causes, check.Options{}) {
		got = append(got, c.Line()+" ["+strings.Join(c.Pairs, ";")+"]")
	}
	want := []string{
		"REMOVED sg-a -> sg-b tcp 8444-8451, by updating aws_security_group_rule.vpce_8443 [subnet-a -> subnet-b]",
		"ADDED sg-a -> sg-b icmp, by updating aws_security_group_rule.vpce_8443 [subnet-a -> subnet-b]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCausesAreBlamedOnlyOnTheirPorts(t *testing.T) {
	r := model.PortRange{First: 3306, Last: 3306}
	c := Cause{Address: "aws_network_acl_rule.out[120]", Verb: "deleting", IDs: []string{"acl-1"}, Ports: BoundsOf(&r)}
	all := Cause{Address: "aws_network_acl.x", Verb: "updating", IDs: []string{"acl-1"}}
	if got := relevant([]Cause{c, all}, "blocked at network-acl acl-1", ports(443, 443)); len(got) != 1 || got[0] != "updating aws_network_acl.x" {
		t.Fatalf("443: %v", got)
	}
	if got := relevant([]Cause{c}, "blocked at network-acl acl-1", ports(3000, 4000, 8443, 8443)); len(got) != 1 {
		t.Fatalf("3000-4000: %v", got)
	}
	if got := relevant([]Cause{c}, "blocked at network-acl acl-1", nil); len(got) != 1 {
		t.Fatalf("no ports: %v", got)
	}
}

// ports is the ranges a-b, c-d, ...
func ports(bounds ...uint16) []model.PortRange {
	var out []model.PortRange
	for i := 0; i+1 < len(bounds); i += 2 {
		out = append(out, model.PortRange{First: bounds[i], Last: bounds[i+1]})
	}
	return out
}

// A change's ranges are written as AWS writes them, joined by ", ".
func TestRangesText(t *testing.T) {
	rs := Ranges(ports(22, 22, 8443, 8451, 0, 65535))
	b, err := json.Marshal(rs)
	if err != nil || string(b) != `"22, 8443-8451, 0-65535"` {
		t.Fatalf("%s, %v", b, err)
	}
	var back Ranges
	if err := json.Unmarshal(b, &back); err != nil || back.String() != rs.String() || len(back) != 3 {
		t.Errorf("round trip: %v, %v", back, err)
	}
	if b, _ := json.Marshal(Ranges(nil)); string(b) != `""` {
		t.Errorf("no ranges: %s", b)
	}
}
