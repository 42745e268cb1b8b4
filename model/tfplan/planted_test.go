package tfplan

import (
	"net/netip"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// A VPC the plan creates gets AWS's default network ACL: rule 100 allows all
// traffic in and out, then the final * deny; every subnet without an
// explicit association uses it (VPC guide, "Default network ACL",
// https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html).
func TestNewVPCDefaultACLAllowsAllBothWays(t *testing.T) {
	m, _ := load(t, vpc, subnet)
	const id = "acl-(aws_vpc.main:default)"
	a := m.NetworkACLs[id]
	if a == nil || !a.IsDefault || a.VPCID != vpcID {
		t.Fatalf("default ACL %+v", a)
	}
	all := netip.MustParsePrefix("0.0.0.0/0")
	for _, dir := range []struct {
		name    string
		entries []model.NACLEntry
		egress  bool
	}{{"inbound", a.Inbound, false}, {"outbound", a.Outbound, true}} {
		want := []model.NACLEntry{
			{Number: 100, Egress: dir.egress, Allow: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: all},
			{Number: model.FinalRuleNumber, Egress: dir.egress, Allow: false, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: all},
		}
		if len(dir.entries) != len(want) {
			t.Fatalf("%s: %+v", dir.name, dir.entries)
		}
		for i, e := range dir.entries {
			e.Source = ""
			if e != want[i] {
				t.Errorf("%s entry %d: %+v, want %+v", dir.name, i, e, want[i])
			}
		}
	}
	if got, explicit := m.SubnetACL(subA); got != a || explicit {
		t.Errorf("subnet %s uses %v (explicit %v), want the default ACL implicitly", subA, got, explicit)
	}
}

// Terraform's protocol "-1" (ip_protocol "-1") is every protocol on every
// port and ICMP type, whatever from_port/to_port say (0 and 0 in the inline
// blocks, absent in aws_vpc_security_group_*_rule).
func TestProtocolMinusOneIsEverything(t *testing.T) {
	m, _ := load(t, vpc, subnet, sgEP,
		res{addr: "aws_security_group.ws", vals: map[string]any{"name": "ws",
			"ingress": []any{map[string]any{"protocol": "-1", "from_port": 0.0, "to_port": 0.0, "self": true}},
			"egress":  []any{map[string]any{"protocol": "-1", "from_port": 0.0, "to_port": 0.0, "cidr_blocks": []any{"0.0.0.0/0"}}}},
			refs: map[string][]string{"vpc_id": {"aws_vpc.main"}}},
		res{addr: "aws_security_group_rule.r", vals: map[string]any{"type": "ingress", "protocol": "-1", "from_port": 0.0, "to_port": 0.0, "cidr_blocks": []any{"10.0.0.0/16"}},
			refs: map[string][]string{"security_group_id": {"aws_security_group.ep"}}},
		res{addr: "aws_vpc_security_group_egress_rule.e", vals: map[string]any{"ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"},
			refs: map[string][]string{"security_group_id": {"aws_security_group.ep"}}},
		res{addr: "aws_network_acl.n", vals: map[string]any{"ingress": []any{map[string]any{"rule_no": 100.0, "action": "allow", "protocol": "-1", "from_port": 0.0, "to_port": 0.0, "cidr_block": "0.0.0.0/0"}}},
			refs: map[string][]string{"vpc_id": {"aws_vpc.main"}}},
		res{addr: "aws_network_acl_rule.o", vals: map[string]any{"rule_number": 100.0, "egress": true, "protocol": "-1", "from_port": 0.0, "to_port": 0.0, "rule_action": "allow", "cidr_block": "10.0.0.0/16"},
			refs: map[string][]string{"network_acl_id": {"aws_network_acl.n"}}},
	)
	type rule struct {
		where string
		proto model.Protocol
		ports model.PortRange
		icmp  model.ICMPMatch
	}
	var got []rule
	for _, g := range []string{ws, ep} {
		for _, r := range append(append([]model.SGRule{}, m.SecurityGroups[g].Ingress...), m.SecurityGroups[g].Egress...) {
			got = append(got, rule{g + " " + r.String(), r.Protocol, r.Ports, r.ICMP})
		}
	}
	a := m.NetworkACLs["acl-(aws_network_acl.n)"]
	for _, e := range []model.NACLEntry{a.Inbound[0], a.Outbound[0]} {
		got = append(got, rule{a.ID + " " + e.String(), e.Protocol, e.Ports, e.ICMP})
	}
	if len(got) != 6 {
		t.Fatalf("rules %+v", got)
	}
	for _, r := range got {
		if r.proto != model.ProtoAll || r.ports != model.AllPorts || r.icmp != model.AnyICMP {
			t.Errorf("%s: protocol %v, ports %v, icmp %v; want all, 0-65535, any", r.where, r.proto, r.ports, r.icmp)
		}
	}
}
