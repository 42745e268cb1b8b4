package tfplan

import (
	"slices"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// Values unknown until apply that the configuration does not tie stay in
// the model as unknown, naming the resource and attribute; those it ties
// are type-checked.

func TestUnknownValuesAreKept(t *testing.T) {
	t.Run("a reference of the wrong kind is never taken", func(t *testing.T) {
		// The group's vpc_id expression mentions only a group (through a
		// local Terraform does not export): it is not taken as a VPC ID.
		g := res{addr: "aws_security_group.x", vals: map[string]any{"name": "x"}, refs: map[string][]string{"vpc_id": {"aws_security_group.ws.id", "aws_security_group.ws"}}}
		m, p := load(t, vpc, sgWS, g)
		if got := m.SecurityGroups["sg-(aws_security_group.x)"].VPCID; got == ws {
			t.Fatalf("vpc_id took the group's ID %s", got)
		}
		if !warned(p, "not a vpc") {
			t.Errorf("no warning about the mistyped reference: %v", p.Warnings)
		}
	})
	t.Run("groups from a module local are an unknown group, not the default", func(t *testing.T) {
		in := res{addr: "aws_instance.x", vals: map[string]any{}, refs: map[string][]string{"subnet_id": {"aws_subnet.a.id", "aws_subnet.a"}, "vpc_security_group_ids": {"local.groups"}}}
		m, _ := load(t, vpc, subnet, in)
		e := m.ENIs["eni-(aws_instance.x)"]
		if e == nil || len(e.Groups) != 1 || !strings.Contains(e.Groups[0], "aws_instance.x vpc_security_group_ids") || m.SecurityGroups[e.Groups[0]] != nil {
			t.Fatalf("groups %v: want one group naming the attribute, in no model", e.Groups)
		}
	})
	t.Run("a rule peer from a module local is an Unknown rule", func(t *testing.T) {
		r := res{addr: "aws_security_group_rule.in", vals: map[string]any{"type": "ingress", "protocol": "tcp", "from_port": 443.0, "to_port": 443.0},
			refs: map[string][]string{"security_group_id": {"aws_security_group.ws.id", "aws_security_group.ws"}, "source_security_group_id": {"local.peer"}}}
		m, _ := load(t, vpc, sgWS, r)
		in := m.SecurityGroups[ws].Ingress
		if len(in) != 1 || in[0].Unknown == "" || !strings.Contains(in[0].Unknown, "aws_security_group_rule.in source_security_group_id") || in[0].PeerGroup != "" {
			t.Fatalf("ingress %+v: want one rule of unknown peer naming the attribute", in)
		}
	})
	t.Run("a route target from a module local is an Unknown route", func(t *testing.T) {
		rt := res{addr: "aws_route_table.x", vals: map[string]any{}, refs: map[string][]string{"vpc_id": {"aws_vpc.main.id", "aws_vpc.main"}}}
		r := res{addr: "aws_route.x", vals: map[string]any{"destination_cidr_block": "0.0.0.0/0"}, refs: map[string][]string{"route_table_id": {"aws_route_table.x.id", "aws_route_table.x"}, "nat_gateway_id": {"local.nat"}}}
		m, _ := load(t, vpc, rt, r)
		var got []model.Route
		for _, x := range m.RouteTables["rtb-(aws_route_table.x)"].Routes {
			if x.Target.Kind != model.TargetLocal {
				got = append(got, x)
			}
		}
		if len(got) != 1 || got[0].Target.Kind != model.TargetNAT || !strings.Contains(got[0].Unknown, "aws_route.x nat_gateway_id") {
			t.Fatalf("routes %+v: want the 0.0.0.0/0 route kept with an unknown NAT target", got)
		}
	})
	t.Run("an unknown VPC CIDR keeps an Unknown local route", func(t *testing.T) {
		v := res{addr: "aws_vpc.main", vals: map[string]any{}, refs: map[string][]string{"cidr_block": {"aws_vpc_ipam_pool.p.id"}}}
		m, _ := load(t, v)
		rt := m.RouteTables["rtb-(aws_vpc.main:main)"]
		if rt == nil || len(rt.Routes) != 1 || rt.Routes[0].Target.Kind != model.TargetLocal || rt.Routes[0].Unknown == "" {
			t.Fatalf("main table %+v: want a local route to an unknown range", rt)
		}
	})
}

func warned(p *Plan, s string) bool {
	return slices.ContainsFunc(p.Warnings, func(w Warning) bool { return strings.Contains(w.Msg, s) })
}

func TestReferenceHelpers(t *testing.T) {
	if got := mostSpecific([]string{"module.vpc.ids[1]", "module.vpc.ids", "aws_vpc.a.id", "aws_vpc.a", "count.index"}); !slices.Equal(got, []string{"module.vpc.ids[1]", "aws_vpc.a.id", "count.index"}) {
		t.Errorf("mostSpecific = %v", got)
	}
	for _, tt := range []struct {
		refs []string
		want string
	}{
		{[]string{"aws_subnet.private"}, "aws_subnet.private"},
		{[]string{"module.tier"}, "module.tier"},
		{[]string{"local.subnets"}, ""},
		{[]string{"aws_subnet.a.id", "aws_subnet.a"}, ""},
	} {
		if got := collection(tt.refs); got != tt.want {
			t.Errorf("collection(%v) = %q, want %q", tt.refs, got, tt.want)
		}
	}
	r := &resource{addr: `aws_route_table_association.x["b"]`, index: "b"}
	if got := expandEach(r, []string{"each.value.id"}); !slices.Equal(got, []string{"each.value.id"}) {
		t.Errorf("without configuration each.value stays: %v", got)
	}
	for _, tt := range []struct {
		attr string
		t    target
		ok   bool
	}{
		{"vpc_id", target{&resource{typ: "aws_vpc"}, "id"}, true},
		{"vpc_id", target{&resource{typ: "aws_security_group"}, "id"}, false},
		{"vpc_id", target{&resource{typ: "aws_security_group"}, "vpc_id"}, true},
		{"route.gateway_id", target{&resource{typ: "aws_internet_gateway"}, ""}, true},
		{"route.gateway_id", target{&resource{typ: "aws_vpc"}, "cidr_block"}, false},
		{"route.nat_gateway_id", target{&resource{typ: "aws_internet_gateway"}, "id"}, false},
		{"subnet_id", target{&resource{typ: "aws_subnets", mode: "data"}, "ids"}, true},
		{"description", target{&resource{typ: "aws_vpc"}, "id"}, true}, // not an ID attribute: unchecked
	} {
		kept, _ := typed(tt.attr, []target{tt.t})
		if (len(kept) == 1) != tt.ok {
			t.Errorf("typed(%s, %s.%s) kept %v, want %v", tt.attr, tt.t.res.typ, tt.t.attr, len(kept) == 1, tt.ok)
		}
	}
}
