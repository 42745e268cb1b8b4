package tfplan

import (
	"encoding/json"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// res is one resource of a test plan: its planned values, the attributes
// unknown until apply (each tied to the references in refs), and the
// action (create unless given; delete takes before).
type res struct {
	addr   string
	vals   map[string]any
	refs   map[string][]string // attribute -> configuration references; the attribute is unknown
	action string
	before map[string]any
}

func planJSON(rs ...res) []byte {
	var planned, changes, config []map[string]any
	for _, r := range rs {
		mode, typ, name := "managed", "", ""
		parts := strings.Split(r.addr, ".")
		if parts[0] == "data" {
			mode, typ, name = "data", parts[1], parts[2]
		} else {
			typ, name = parts[0], strings.Split(parts[1], "[")[0]
		}
		vals := map[string]any{}
		for k, v := range r.vals {
			vals[k] = v
		}
		unknown := map[string]any{"id": true}
		if _, ok := vals["id"]; ok || parts[0] == "data" {
			delete(unknown, "id")
		}
		exprs := map[string]any{}
		for k, refs := range r.refs {
			unknown[k] = true
			exprs[k] = map[string]any{"references": refs}
		}
		action := r.action
		if action == "" {
			action = "create"
		}
		if action != "delete" {
			planned = append(planned, map[string]any{"address": r.addr, "mode": mode, "type": typ, "name": name, "values": vals})
		}
		var after any = vals
		if action == "delete" {
			after = nil
			unknown = map[string]any{}
		}
		if mode == "data" {
			action = "read"
		}
		changes = append(changes, map[string]any{"address": r.addr, "mode": mode, "type": typ, "name": name,
			"change": map[string]any{"actions": []string{action}, "before": r.before, "after": after, "after_unknown": unknown}})
		config = append(config, map[string]any{"address": strings.Split(r.addr, "[")[0], "mode": mode, "type": typ, "name": name, "expressions": exprs})
	}
	b, _ := json.Marshal(map[string]any{
		"format_version": "1.2", "terraform_version": "1.9.5",
		"planned_values":   map[string]any{"root_module": map[string]any{"resources": planned}},
		"resource_changes": changes,
		"configuration":    map[string]any{"root_module": map[string]any{"resources": config}},
	})
	return b
}

func load(t *testing.T, rs ...res) (*model.Model, *Plan) {
	t.Helper()
	p, err := Parse("plan.json", planJSON(rs...))
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.Model()
	if err != nil {
		t.Fatal(err)
	}
	return m, p
}

var (
	vpc    = res{addr: "aws_vpc.main", vals: map[string]any{"cidr_block": "10.0.0.0/16", "enable_dns_support": true, "enable_dns_hostnames": true}}
	subnet = res{addr: "aws_subnet.a", vals: map[string]any{"cidr_block": "10.0.1.0/24", "availability_zone": "us-east-1a"}, refs: map[string][]string{"vpc_id": {"aws_vpc.main.id", "aws_vpc.main"}}}
	sgWS   = res{addr: "aws_security_group.ws", vals: map[string]any{"name": "ws"}, refs: map[string][]string{"vpc_id": {"aws_vpc.main.id", "aws_vpc.main"}}}
	sgEP   = res{addr: "aws_security_group.ep", vals: map[string]any{"name": "ep"}, refs: map[string][]string{"vpc_id": {"aws_vpc.main.id", "aws_vpc.main"}}}
)

const (
	vpcID = "vpc-(aws_vpc.main)"
	subA  = "subnet-(aws_subnet.a)"
	ws    = "sg-(aws_security_group.ws)"
	ep    = "sg-(aws_security_group.ep)"
)

func TestResourceMapping(t *testing.T) {
	cases := []struct {
		name  string
		rs    []res
		check func(t *testing.T, m *model.Model)
	}{
		{"aws_vpc with DNS attributes and AWS's implicit defaults", []res{vpc}, func(t *testing.T, m *model.Model) {
			v := m.VPCs[vpcID]
			if v == nil || v.CIDRs[0].String() != "10.0.0.0/16" || v.DNSSupport != model.Yes || v.DNSHostnames != model.Yes || v.Region != "" {
				t.Fatalf("vpc %+v", v)
			}
			if g := m.SecurityGroups["sg-(aws_vpc.main:default)"]; g == nil || g.Name != "default" || len(g.Ingress) != 1 || g.Ingress[0].PeerGroup != g.ID {
				t.Errorf("default group %+v", g)
			}
			if a := m.NetworkACLs["acl-(aws_vpc.main:default)"]; a == nil || !a.IsDefault || len(a.Inbound) != 2 || a.Inbound[1].Number != model.FinalRuleNumber {
				t.Errorf("default ACL %+v", a)
			}
			if rt := m.RouteTables["rtb-(aws_vpc.main:main)"]; rt == nil || !rt.Main || len(rt.Routes) != 1 || rt.Routes[0].Target.Kind != model.TargetLocal {
				t.Errorf("main table %+v", rt)
			}
			if m.Sources[vpcID] != "aws_vpc.main" {
				t.Errorf("source %q", m.Sources[vpcID])
			}
		}},
		{"aws_vpc DNS defaults (support on, hostnames off)", []res{{addr: "aws_vpc.main", vals: map[string]any{"cidr_block": "10.0.0.0/16"}}}, func(t *testing.T, m *model.Model) {
			if v := m.VPCs[vpcID]; v.DNSSupport != model.Yes || v.DNSHostnames != model.No {
				t.Errorf("dns %v %v", v.DNSSupport, v.DNSHostnames)
			}
		}},
		{"aws_subnet tied to its VPC; free addresses of a new subnet", []res{vpc, subnet}, func(t *testing.T, m *model.Model) {
			s := m.Subnets[subA]
			if s == nil || s.VPCID != vpcID || s.CIDR.String() != "10.0.1.0/24" || s.AZ != "us-east-1a" || s.AvailableIPs != 251 {
				t.Errorf("subnet %+v", s)
			}
		}},
		{"aws_route_table inline routes, aws_route, associations", []res{vpc, subnet,
			{addr: "aws_internet_gateway.gw", refs: map[string][]string{"vpc_id": {"aws_vpc.main"}}},
			{addr: "aws_route_table.rt", vals: map[string]any{"route": []any{map[string]any{"cidr_block": "0.0.0.0/0", "gateway_id": "igw-0123"}}}, refs: map[string][]string{"vpc_id": {"aws_vpc.main"}}},
			{addr: "aws_route.r", vals: map[string]any{"destination_cidr_block": "192.168.0.0/16"}, refs: map[string][]string{"route_table_id": {"aws_route_table.rt.id", "aws_route_table.rt"}, "gateway_id": {"aws_internet_gateway.gw.id", "aws_internet_gateway.gw"}}},
			{addr: "aws_route_table_association.a", refs: map[string][]string{"route_table_id": {"aws_route_table.rt"}, "subnet_id": {"aws_subnet.a"}}},
			{addr: "aws_main_route_table_association.m", refs: map[string][]string{"route_table_id": {"aws_route_table.rt"}, "vpc_id": {"aws_vpc.main"}}},
		}, func(t *testing.T, m *model.Model) {
			rt := m.RouteTables["rtb-(aws_route_table.rt)"]
			if rt == nil || len(rt.Routes) != 3 || !rt.Main || len(rt.Subnets) != 1 || rt.Subnets[0] != subA {
				t.Fatalf("table %+v", rt)
			}
			got := rt.Routes[2]
			if got.Dest.String() != "192.168.0.0/16" || got.Target.Kind != model.TargetIGW || got.Target.ID != "igw-(aws_internet_gateway.gw)" || got.Source != "aws_route.r" {
				t.Errorf("aws_route %+v", got)
			}
			if m.RouteTables["rtb-(aws_vpc.main:main)"].Main {
				t.Error("the implicit main table is still main")
			}
			if g := m.InternetGateways["igw-(aws_internet_gateway.gw)"]; g == nil || g.VPCs[0] != vpcID {
				t.Errorf("igw %+v", g)
			}
		}},
		{"aws_security_group inline rules, aws_security_group_rule, aws_vpc_security_group_*_rule", []res{vpc, sgEP,
			{addr: "aws_security_group.ws", vals: map[string]any{"name": "ws",
				"ingress": []any{map[string]any{"protocol": "tcp", "from_port": 0.0, "to_port": 65535.0, "self": true}},
				"egress":  []any{map[string]any{"protocol": "-1", "from_port": 0.0, "to_port": 0.0, "cidr_blocks": []any{"0.0.0.0/0"}}}},
				refs: map[string][]string{"vpc_id": {"aws_vpc.main"}}},
			{addr: "aws_security_group_rule.r", vals: map[string]any{"type": "ingress", "protocol": "tcp", "from_port": 8443.0, "to_port": 8451.0},
				refs: map[string][]string{"security_group_id": {"aws_security_group.ep.id", "aws_security_group.ep"}, "source_security_group_id": {"aws_security_group.ws.id", "aws_security_group.ws"}}},
			{addr: "aws_vpc_security_group_ingress_rule.i", vals: map[string]any{"ip_protocol": "tcp", "from_port": 443.0, "to_port": 443.0, "cidr_ipv4": "10.0.0.0/16"},
				refs: map[string][]string{"security_group_id": {"aws_security_group.ep"}}},
			{addr: "aws_vpc_security_group_egress_rule.e", vals: map[string]any{"ip_protocol": "-1"},
				refs: map[string][]string{"security_group_id": {"aws_security_group.ep"}, "referenced_security_group_id": {"aws_security_group.ws"}}},
		}, func(t *testing.T, m *model.Model) {
			w := m.SecurityGroups[ws]
			if w == nil || len(w.Ingress) != 1 || w.Ingress[0].PeerGroup != ws || w.Ingress[0].Ports != model.AllPorts || len(w.Egress) != 1 || w.Egress[0].Protocol != model.ProtoAll {
				t.Fatalf("ws %+v", w)
			}
			e := m.SecurityGroups[ep]
			if len(e.Ingress) != 2 || len(e.Egress) != 1 {
				t.Fatalf("ep %+v", e)
			}
			if r := e.Ingress[0]; r.PeerGroup != ws || r.Ports != (model.PortRange{First: 8443, Last: 8451}) || r.Source != "aws_security_group_rule.r" {
				t.Errorf("rule %+v", r)
			}
			if r := e.Ingress[1]; r.CIDR.String() != "10.0.0.0/16" || r.Ports != model.Port(443) {
				t.Errorf("ingress rule %+v", r)
			}
			if r := e.Egress[0]; r.PeerGroup != ws || r.Protocol != model.ProtoAll {
				t.Errorf("egress rule %+v", r)
			}
		}},
		{"aws_network_acl inline, aws_network_acl_rule, aws_network_acl_association", []res{vpc, subnet,
			{addr: "aws_network_acl.n", vals: map[string]any{"ingress": []any{map[string]any{"rule_no": 100.0, "action": "allow", "protocol": "6", "from_port": 443.0, "to_port": 443.0, "cidr_block": "0.0.0.0/0"}}},
				refs: map[string][]string{"vpc_id": {"aws_vpc.main"}}},
			{addr: "aws_network_acl_rule.o", vals: map[string]any{"rule_number": 100.0, "egress": true, "protocol": "-1", "rule_action": "deny", "cidr_block": "10.9.0.0/16"},
				refs: map[string][]string{"network_acl_id": {"aws_network_acl.n"}}},
			{addr: "aws_network_acl_association.a", refs: map[string][]string{"network_acl_id": {"aws_network_acl.n"}, "subnet_id": {"aws_subnet.a"}}},
		}, func(t *testing.T, m *model.Model) {
			a := m.NetworkACLs["acl-(aws_network_acl.n)"]
			if a == nil || len(a.Inbound) != 2 || a.Inbound[0].Protocol != model.ProtoTCP || a.Inbound[0].Ports != model.Port(443) || !a.Inbound[0].Allow {
				t.Fatalf("acl %+v", a)
			}
			if len(a.Outbound) != 2 || a.Outbound[0].Allow || a.Outbound[0].CIDR.String() != "10.9.0.0/16" || a.Outbound[0].Source != "aws_network_acl_rule.o" {
				t.Errorf("outbound %+v", a.Outbound)
			}
			if got, explicit := m.SubnetACL(subA); got != a || !explicit {
				t.Errorf("subnet ACL %v", got)
			}
		}},
		{"aws_default_security_group / _network_acl / _route_table take the VPC's defaults", []res{vpc,
			{addr: "aws_default_security_group.d", vals: map[string]any{"ingress": []any{}}, refs: map[string][]string{"vpc_id": {"aws_vpc.main"}}},
			{addr: "aws_default_network_acl.d", vals: map[string]any{"ingress": []any{map[string]any{"rule_no": 10.0, "action": "deny", "protocol": "-1", "cidr_block": "0.0.0.0/0"}}},
				refs: map[string][]string{"default_network_acl_id": {"aws_vpc.main.default_network_acl_id", "aws_vpc.main"}}},
			{addr: "aws_default_route_table.d", vals: map[string]any{"route": []any{}}, refs: map[string][]string{"default_route_table_id": {"aws_vpc.main.default_route_table_id", "aws_vpc.main"}}},
		}, func(t *testing.T, m *model.Model) {
			if len(m.SecurityGroups) != 1 || len(m.SecurityGroups["sg-(aws_vpc.main:default)"].Ingress) != 0 {
				t.Errorf("groups %v", model.SortedKeys(m.SecurityGroups))
			}
			a := m.NetworkACLs["acl-(aws_vpc.main:default)"]
			if len(m.NetworkACLs) != 1 || !a.IsDefault || a.VPCID != vpcID || a.Inbound[0].Allow || a.Inbound[0].Source != "aws_default_network_acl.d" {
				t.Errorf("acls %v %+v", model.SortedKeys(m.NetworkACLs), a)
			}
			if rt := m.RouteTables["rtb-(aws_vpc.main:main)"]; len(m.RouteTables) != 1 || !rt.Main || rt.VPCID != vpcID {
				t.Errorf("tables %v", model.SortedKeys(m.RouteTables))
			}
		}},
		{"interface endpoint: private_dns_enabled unknown until apply stays undecided", []res{vpc, subnet, sgEP,
			{addr: "aws_vpc_endpoint.rest", vals: map[string]any{"service_name": "com.amazonaws.us-east-1.sts", "vpc_endpoint_type": "Interface"},
				refs: map[string][]string{"vpc_id": {"aws_vpc.main"}, "subnet_ids": {"aws_subnet.a"}, "security_group_ids": {"aws_security_group.ep"}, "private_dns_enabled": {"aws_vpc.main.enable_dns_hostnames"}}},
		}, func(t *testing.T, m *model.Model) {
			e := m.Endpoints["vpce-(aws_vpc_endpoint.rest)"]
			if e == nil || e.PrivateDNS || e.PrivateDNSUnknown != "aws_vpc_endpoint.rest private_dns_enabled is known only after apply" {
				t.Fatalf("endpoint %+v", e)
			}
		}},
		{"interface endpoint: one planned interface per subnet, at a representative address", []res{vpc, subnet, sgEP,
			{addr: "aws_vpc_endpoint.rest", vals: map[string]any{"service_name": "com.amazonaws.vpce.us-east-1.vpce-svc-1", "vpc_endpoint_type": "Interface", "private_dns_enabled": true},
				refs: map[string][]string{"vpc_id": {"aws_vpc.main"}, "subnet_ids": {"aws_subnet.a"}, "security_group_ids": {"aws_security_group.ep"}}},
		}, func(t *testing.T, m *model.Model) {
			e := m.Endpoints["vpce-(aws_vpc_endpoint.rest)"]
			if e == nil || e.State != "available" || !e.PrivateDNS || len(e.ENIs) != 1 || e.ENIs[0] != "eni-(aws_vpc_endpoint.rest#1)" {
				t.Fatalf("endpoint %+v", e)
			}
			n := m.ENIs[e.ENIs[0]]
			if n.SubnetID != subA || n.PrivateIPs[0] != netip.MustParseAddr("10.0.1.4") || n.Groups[0] != ep || n.Type != "vpc_endpoint" {
				t.Errorf("interface %+v", n)
			}
			if len(m.Assumptions[n.ID]) != 1 || !strings.Contains(m.Assumptions[n.ID][0], "10.0.1.4 stands for it, somewhere in subnet-(aws_subnet.a) 10.0.1.0/24") {
				t.Errorf("assumptions %v", m.Assumptions)
			}
			if m.Subnets[subA].AvailableIPs != 250 {
				t.Errorf("free %d", m.Subnets[subA].AvailableIPs)
			}
		}},
		{"endpoint association resources", []res{vpc, subnet, sgEP,
			{addr: "aws_route_table.rt", refs: map[string][]string{"vpc_id": {"aws_vpc.main"}}},
			{addr: "aws_vpc_endpoint.sts", vals: map[string]any{"service_name": "com.amazonaws.us-east-1.sts", "vpc_endpoint_type": "Interface"}, refs: map[string][]string{"vpc_id": {"aws_vpc.main"}}},
			{addr: "aws_vpc_endpoint_subnet_association.a", refs: map[string][]string{"vpc_endpoint_id": {"aws_vpc_endpoint.sts"}, "subnet_id": {"aws_subnet.a"}}},
			{addr: "aws_vpc_endpoint_security_group_association.a", refs: map[string][]string{"vpc_endpoint_id": {"aws_vpc_endpoint.sts"}, "security_group_id": {"aws_security_group.ep"}}},
			{addr: "data.aws_prefix_list.s3", vals: map[string]any{"id": "pl-63a5400a", "name": "com.amazonaws.us-east-1.s3", "cidr_blocks": []any{"52.216.0.0/15"}}},
			{addr: "aws_vpc_endpoint.s3", vals: map[string]any{"service_name": "com.amazonaws.us-east-1.s3"}, refs: map[string][]string{"vpc_id": {"aws_vpc.main"}}},
			{addr: "aws_vpc_endpoint_route_table_association.a", refs: map[string][]string{"vpc_endpoint_id": {"aws_vpc_endpoint.s3"}, "route_table_id": {"aws_route_table.rt"}}},
		}, func(t *testing.T, m *model.Model) {
			sts := m.Endpoints["vpce-(aws_vpc_endpoint.sts)"]
			if len(sts.Subnets) != 1 || len(sts.ENIs) != 1 || sts.Groups[0] != ep || m.ENIs[sts.ENIs[0]].Groups[0] != ep {
				t.Errorf("sts %+v", sts)
			}
			rt := m.RouteTables["rtb-(aws_route_table.rt)"]
			last := rt.Routes[len(rt.Routes)-1]
			if last.DestPrefixList != "pl-63a5400a" || last.Target.ID != "vpce-(aws_vpc_endpoint.s3)" || last.Target.Kind != model.TargetVPCEndpoint {
				t.Errorf("gateway endpoint route %+v", rt.Routes)
			}
			if pl := m.PrefixLists["pl-63a5400a"]; pl == nil || !pl.CIDRsKnown || len(pl.CIDRs) != 1 {
				t.Errorf("prefix list %+v", pl)
			}
		}},
		{"NAT gateway with its Elastic IP, instance with an unknown address, interface", []res{vpc, subnet, sgWS,
			{addr: "aws_eip.nat", vals: map[string]any{"public_ip": "203.0.113.7"}},
			{addr: "aws_nat_gateway.n", vals: map[string]any{"connectivity_type": "public"}, refs: map[string][]string{"subnet_id": {"aws_subnet.a"}, "allocation_id": {"aws_eip.nat.id", "aws_eip.nat"}}},
			{addr: "aws_instance.node", vals: map[string]any{"instance_type": "t3.micro"}, refs: map[string][]string{"subnet_id": {"aws_subnet.a"}, "vpc_security_group_ids": {"aws_security_group.ws"}}},
			{addr: "aws_network_interface.x", vals: map[string]any{"private_ips": []any{"10.0.1.4"}}, refs: map[string][]string{"subnet_id": {"aws_subnet.a"}, "security_groups": {"aws_security_group.ws"}}},
		}, func(t *testing.T, m *model.Model) {
			n := m.NATGateways["nat-(aws_nat_gateway.n)"]
			if n == nil || n.PublicIP != netip.MustParseAddr("203.0.113.7") || n.ENIID != "eni-(aws_nat_gateway.n)" || !n.PrivateIP.IsValid() {
				t.Fatalf("nat %+v", n)
			}
			in := m.Instances["i-(aws_instance.node)"]
			e := m.ENIs["eni-(aws_instance.node)"]
			if in == nil || e == nil || e.InstanceID != in.ID || e.Groups[0] != ws {
				t.Fatalf("instance %+v %+v", in, e)
			}
			// 10.0.1.4 is the interface's own (known) address: the
			// representative addresses skip it.
			if e.PrivateIPs[0] != netip.MustParseAddr("10.0.1.5") || m.ENIs["eni-(aws_network_interface.x)"].PrivateIPs[0] != netip.MustParseAddr("10.0.1.4") {
				t.Errorf("addresses %v %v", e.PrivateIPs, m.ENIs["eni-(aws_network_interface.x)"].PrivateIPs)
			}
		}},
		{"managed prefix list with entries, peering, transit gateway, Route 53", []res{vpc, subnet,
			{addr: "aws_ec2_managed_prefix_list.corp", vals: map[string]any{"name": "corp", "entry": []any{map[string]any{"cidr": "192.168.0.0/16"}}}},
			{addr: "aws_ec2_managed_prefix_list_entry.e", vals: map[string]any{"cidr": "172.16.0.0/12"}, refs: map[string][]string{"prefix_list_id": {"aws_ec2_managed_prefix_list.corp"}}},
			{addr: "aws_vpc_peering_connection.p", vals: map[string]any{"peer_vpc_id": "vpc-0peer", "auto_accept": true}, refs: map[string][]string{"vpc_id": {"aws_vpc.main"}}},
			{addr: "aws_ec2_transit_gateway.t"},
			{addr: "aws_ec2_transit_gateway_vpc_attachment.a", refs: map[string][]string{"transit_gateway_id": {"aws_ec2_transit_gateway.t"}, "vpc_id": {"aws_vpc.main"}, "subnet_ids": {"aws_subnet.a"}}},
			{addr: "aws_route53_zone.z", vals: map[string]any{"name": "corp.example.com", "vpc": []any{map[string]any{"vpc_id": "vpc-0other"}}}},
			{addr: "aws_route53_record.r", vals: map[string]any{"name": "db", "type": "A", "ttl": 60.0, "records": []any{"10.0.1.9"}}, refs: map[string][]string{"zone_id": {"aws_route53_zone.z.zone_id", "aws_route53_zone.z"}}},
		}, func(t *testing.T, m *model.Model) {
			pl := m.PrefixLists["pl-(aws_ec2_managed_prefix_list.corp)"]
			if pl == nil || len(pl.CIDRs) != 2 || !pl.CIDRsKnown || pl.Name != "corp" {
				t.Errorf("prefix list %+v", pl)
			}
			if p := m.Peerings["pcx-(aws_vpc_peering_connection.p)"]; p == nil || p.Status != "active" || p.Accepter.VPCID != "vpc-0peer" || p.Requester.VPCID != vpcID {
				t.Errorf("peering %+v", p)
			}
			if a := m.TGWAttachments["tgw-attach-(aws_ec2_transit_gateway_vpc_attachment.a)"]; a == nil || a.TransitGatewayID != "tgw-(aws_ec2_transit_gateway.t)" || a.ResourceID != vpcID || len(a.Subnets) != 1 {
				t.Errorf("attachment %+v", a)
			}
			z := m.HostedZones["Z-(aws_route53_zone.z)"]
			if z == nil || !z.Private || z.Name != "corp.example.com." || len(z.Records) != 1 || z.Records[0].Name != "db.corp.example.com." {
				t.Errorf("zone %+v", z)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, _ := load(t, c.rs...)
			c.check(t, m)
		})
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		name, data, want string
	}{
		{"malformed", `{"format_version": "1.2",` + "\n" + `"planned_values": }`, "plan.json: malformed JSON at line 2, column 19"},
		{"version", `{"format_version": "2.0", "planned_values": {"root_module": {}}}`, `plan.json: unsupported plan format version: "2.0.0"`},
		{"state", `{"format_version": "1.0", "values": {}}`, "plan.json: no planned_values.root_module"},
		{"wrong type", `{"format_version": "1.2", "planned_values": {"root_module": {"resources": {"a": 1}}}}`, "plan.json: malformed plan: field planned_values.root_module.resources"},
		{"dangling reference", string(planJSON(subnet)), "plan.json: aws_subnet.a: vpc_id refers to aws_vpc.main.id, aws_vpc.main, which is not in the plan's planned values"},
		{"bad cidr", string(planJSON(res{addr: "aws_vpc.main", vals: map[string]any{"cidr_block": "10.0.0.0/33"}})), `plan.json: aws_vpc.main: cidr_block: bad CIDR "10.0.0.0/33"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Parse("plan.json", []byte(c.data))
			if err == nil {
				_, err = p.Model()
			}
			var e *Error
			if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}

// TestOverlay applies a plan over a network: matched by ID, a deleted
// rule leaves its group, an updated endpoint keeps its interfaces, and the
// base is untouched.
func TestOverlay(t *testing.T) {
	base := model.New()
	base.VPCs["vpc-1"] = &model.VPC{ID: "vpc-1", CIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}}
	base.Subnets["subnet-1"] = &model.Subnet{ID: "subnet-1", VPCID: "vpc-1", CIDR: netip.MustParsePrefix("10.0.1.0/24"), AvailableIPs: 200}
	rule := model.SGRule{GroupID: "sg-2", Protocol: model.ProtoTCP, Ports: model.PortRange{First: 8443, Last: 8451}, PeerGroup: "sg-1"}
	base.SecurityGroups["sg-2"] = &model.SecurityGroup{ID: "sg-2", VPCID: "vpc-1", Ingress: []model.SGRule{rule}}
	base.SecurityGroups["sg-1"] = &model.SecurityGroup{ID: "sg-1", VPCID: "vpc-1"}
	base.ENIs["eni-e"] = &model.ENI{ID: "eni-e", SubnetID: "subnet-1", VPCID: "vpc-1", PrivateIPs: []netip.Addr{netip.MustParseAddr("10.0.1.9")}, Groups: []string{"sg-2"}}
	base.Endpoints["vpce-1"] = &model.VPCEndpoint{ID: "vpce-1", VPCID: "vpc-1", Type: model.EndpointInterface, State: "available", PrivateDNS: true, Subnets: []string{"subnet-1"}, ENIs: []string{"eni-e"}, Groups: []string{"sg-2"}}
	base.Index()

	before := map[string]any{"id": "sgrule-1", "type": "ingress", "security_group_id": "sg-2", "source_security_group_id": "sg-1", "protocol": "tcp", "from_port": 8443.0, "to_port": 8451.0}
	p, err := Parse("plan.json", planJSON(
		res{addr: "aws_security_group_rule.vpce_8443", action: "delete", before: before, vals: before},
		res{addr: "aws_vpc_endpoint.rest", action: "update", vals: map[string]any{"id": "vpce-1", "vpc_id": "vpc-1", "vpc_endpoint_type": "Interface", "service_name": "svc", "private_dns_enabled": false, "subnet_ids": []any{"subnet-1"}, "security_group_ids": []any{"sg-2"}, "state": "available"}},
	))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Overlay(base, p)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m.SecurityGroups["sg-2"].Ingress); n != 0 {
		t.Errorf("the deleted rule is still there (%d rules)", n)
	}
	if len(base.SecurityGroups["sg-2"].Ingress) != 1 {
		t.Error("the base was modified")
	}
	e := m.Endpoints["vpce-1"]
	if e.PrivateDNS || len(e.ENIs) != 1 || e.ENIs[0] != "eni-e" {
		t.Errorf("endpoint %+v", e)
	}
	if m.Subnets["subnet-1"].AvailableIPs != 200 {
		t.Errorf("free addresses %d", m.Subnets["subnet-1"].AvailableIPs)
	}
	var got []string
	for _, c := range p.Changes() {
		got = append(got, c.Verb+" "+c.Address+" "+strings.Join(c.IDs, ","))
	}
	want := "deleting aws_security_group_rule.vpce_8443 sg-2,sg-1,sgrule-1|updating aws_vpc_endpoint.rest vpce-1"
	if strings.Join(got, "|") != want {
		t.Errorf("changes\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
}
