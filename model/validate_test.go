package model

import (
	"net/netip"
	"strings"
	"testing"
)

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// net builds a small model: vpc-a 10.0.0.0/16 with subnet-1 10.0.1.0/24,
// vpc-b 10.1.0.0/16, a table per VPC, igw-a on vpc-a, igw-b on vpc-b.
func validNet() *Model {
	m := New()
	m.VPCs["vpc-a"] = &VPC{ID: "vpc-a", CIDRs: []netip.Prefix{pfx("10.0.0.0/16")}}
	m.VPCs["vpc-b"] = &VPC{ID: "vpc-b", CIDRs: []netip.Prefix{pfx("10.1.0.0/16")}}
	m.Subnets["subnet-1"] = &Subnet{ID: "subnet-1", VPCID: "vpc-a", CIDR: pfx("10.0.1.0/24")}
	m.RouteTables["rtb-a"] = &RouteTable{ID: "rtb-a", VPCID: "vpc-a", Routes: []Route{
		{Dest: pfx("10.0.0.0/16"), Target: Target{Kind: TargetLocal, ID: "local"}, Origin: "CreateRouteTable"},
		{Dest: pfx("0.0.0.0/0"), Target: Target{Kind: TargetIGW, ID: "igw-a"}, Origin: "CreateRoute", Source: "aws_route.a"},
	}}
	m.InternetGateways["igw-a"] = &InternetGateway{ID: "igw-a", VPCs: []string{"vpc-a"}}
	m.InternetGateways["igw-b"] = &InternetGateway{ID: "igw-b", VPCs: []string{"vpc-b"}}
	m.NATGateways["nat-b"] = &NATGateway{ID: "nat-b", VPCID: "vpc-b"}
	m.Endpoints["vpce-b"] = &VPCEndpoint{ID: "vpce-b", VPCID: "vpc-b", Type: EndpointGateway}
	m.NetworkACLs["acl-a"] = &NetworkACL{ID: "acl-a", VPCID: "vpc-a", Inbound: []NACLEntry{
		{Number: 100, Allow: true, Protocol: ProtoAll, CIDR: pfx("0.0.0.0/0")},
		{Number: FinalRuleNumber, Protocol: ProtoAll, CIDR: pfx("0.0.0.0/0")},
	}, Outbound: []NACLEntry{
		{Number: 100, Egress: true, Allow: true, Protocol: ProtoAll, CIDR: pfx("0.0.0.0/0")},
		{Number: FinalRuleNumber, Egress: true, Protocol: ProtoAll, CIDR: pfx("0.0.0.0/0")},
	}}
	m.SecurityGroups["sg-a"] = &SecurityGroup{ID: "sg-a", VPCID: "vpc-a", Ingress: []SGRule{{GroupID: "sg-a", Protocol: ProtoTCP, Ports: PortRange{443, 443}, CIDR: pfx("10.0.0.0/16")}}}
	for id, addr := range map[string]string{"subnet-1": "aws_subnet.one", "vpc-a": "aws_vpc.a", "vpc-b": "aws_vpc.b", "rtb-a": "aws_route_table.a",
		"acl-a": "aws_network_acl.a", "sg-a": "aws_security_group.a", "igw-a": "aws_internet_gateway.a"} {
		m.Sources[id] = addr
	}
	return m
}

func TestValidate(t *testing.T) {
	rows := []struct {
		name   string
		change func(m *Model)
		want   []string // "code id attribute source" of each problem, in order
	}{
		{"a valid network", func(m *Model) {}, nil},
		{"subnet outside the VPC", func(m *Model) { m.Subnets["subnet-1"].CIDR = pfx("10.9.1.0/24") },
			[]string{"InvalidSubnet.Range subnet-1 CidrBlock aws_subnet.one"}},
		{"subnet inside a secondary block", func(m *Model) {
			m.VPCs["vpc-a"].CIDRs = append(m.VPCs["vpc-a"].CIDRs, pfx("100.64.0.0/16"))
			m.Subnets["subnet-1"].CIDR = pfx("100.64.1.0/24")
		}, nil},
		{"subnet spanning the VPC's edge", func(m *Model) { m.Subnets["subnet-1"].CIDR = pfx("10.0.0.0/15") },
			[]string{"InvalidSubnet.Range subnet-1 CidrBlock aws_subnet.one", "InvalidSubnet.Range subnet-1 CidrBlock aws_subnet.one"}},
		{"outside, but the VPC's blocks are not all known", func(m *Model) {
			m.Subnets["subnet-1"].CIDR = pfx("10.9.1.0/24")
			m.VPCs["vpc-a"].CIDRsIncomplete = true
		}, nil},
		{"subnet of a VPC not in the model", func(m *Model) { m.Subnets["subnet-1"].VPCID = "vpc-x" }, nil},
		{"subnet /29", func(m *Model) { m.Subnets["subnet-1"].CIDR = pfx("10.0.1.0/29") },
			[]string{"InvalidSubnet.Range subnet-1 CidrBlock aws_subnet.one"}},
		{"subnet /28 is the smallest", func(m *Model) { m.Subnets["subnet-1"].CIDR = pfx("10.0.1.0/28") }, nil},
		{"subnet /16 is the largest", func(m *Model) { m.Subnets["subnet-1"].CIDR = pfx("10.0.0.0/16") }, nil},
		{"subnet with host bits", func(m *Model) { m.Subnets["subnet-1"].CIDR = pfx("10.0.1.7/24") },
			[]string{"InvalidParameterValue subnet-1 CidrBlock aws_subnet.one"}},
		{"subnet CIDR unknown", func(m *Model) { m.Subnets["subnet-1"].CIDR = netip.Prefix{} }, nil},
		{"overlapping subnets", func(m *Model) {
			m.Subnets["subnet-2"] = &Subnet{ID: "subnet-2", VPCID: "vpc-a", CIDR: pfx("10.0.1.128/25")}
		}, []string{"InvalidSubnet.Conflict subnet-1 CidrBlock aws_subnet.one"}},
		{"overlapping subnets, the later one from the source", func(m *Model) {
			m.Subnets["subnet-2"] = &Subnet{ID: "subnet-2", VPCID: "vpc-a", CIDR: pfx("10.0.1.128/25")}
			m.Sources["subnet-2"] = "aws_subnet.two"
		}, []string{"InvalidSubnet.Conflict subnet-2 CidrBlock aws_subnet.two"}},
		{"what a snapshot describes is not judged", func(m *Model) {
			m.Subnets["subnet-2"] = &Subnet{ID: "subnet-2", VPCID: "vpc-a", CIDR: pfx("10.0.1.128/25")}
			m.Subnets["subnet-1"].CIDR = pfx("10.0.1.0/29")
			m.InternetGateways["igw-b"].VPCs = []string{"vpc-a", "vpc-b"}
			m.Sources = map[string]string{}
		}, nil},
		{"same CIDR in two VPCs is fine", func(m *Model) {
			m.VPCs["vpc-b"].CIDRs = []netip.Prefix{pfx("10.0.0.0/16")}
			m.Subnets["subnet-2"] = &Subnet{ID: "subnet-2", VPCID: "vpc-b", CIDR: pfx("10.0.1.0/24")}
		}, nil},
		{"VPC /29", func(m *Model) { m.VPCs["vpc-b"].CIDRs = []netip.Prefix{pfx("10.1.0.0/29")} },
			[]string{"InvalidVpc.Range vpc-b CidrBlock aws_vpc.b"}},
		{"VPC with host bits", func(m *Model) { m.VPCs["vpc-b"].CIDRs = []netip.Prefix{pfx("10.1.0.1/16")} },
			[]string{"InvalidParameterValue vpc-b CidrBlock aws_vpc.b"}},
		{"duplicate inbound ACL rule number", func(m *Model) {
			a := m.NetworkACLs["acl-a"]
			a.Inbound = append(a.Inbound, NACLEntry{Number: 100, Protocol: ProtoTCP, Ports: PortRange{22, 22}, CIDR: pfx("0.0.0.0/0"), Source: "aws_network_acl_rule.ssh"})
		}, []string{"NetworkAclEntryAlreadyExists acl-a RuleNumber aws_network_acl_rule.ssh"}},
		{"same number inbound and outbound is fine", func(m *Model) {}, nil},
		{"duplicate number of an unknown entry", func(m *Model) {
			a := m.NetworkACLs["acl-a"]
			a.Inbound = append(a.Inbound, NACLEntry{Number: 100, Protocol: ProtoAll, Unknown: "aws_network_acl_rule.x cidr_block"})
		}, nil},
		{"route to another VPC's internet gateway", func(m *Model) { m.RouteTables["rtb-a"].Routes[1].Target.ID = "igw-b" },
			[]string{"InvalidParameterValue rtb-a GatewayId aws_route.a"}},
		{"route to a detached internet gateway is not judged", func(m *Model) {
			m.InternetGateways["igw-b"].VPCs = nil
			m.RouteTables["rtb-a"].Routes[1].Target.ID = "igw-b"
		}, nil},
		{"route to another VPC's NAT gateway", func(m *Model) {
			m.RouteTables["rtb-a"].Routes[1].Target = Target{Kind: TargetNAT, ID: "nat-b"}
		}, []string{"InvalidParameterValue rtb-a NatGatewayId aws_route.a"}},
		{"route to another VPC's endpoint", func(m *Model) {
			rt := m.RouteTables["rtb-a"]
			rt.Routes = append(rt.Routes, Route{DestPrefixList: "pl-63a5400a", Target: Target{Kind: TargetVPCEndpoint, ID: "vpce-b"}})
		}, []string{"InvalidParameterValue rtb-a VpcEndpointId aws_route_table.a"}},
		{"two routes to one destination", func(m *Model) {
			rt := m.RouteTables["rtb-a"]
			rt.Routes = append(rt.Routes, Route{Dest: pfx("0.0.0.0/0"), Target: Target{Kind: TargetIGW, ID: "igw-a"}, Source: "aws_route.b"})
		}, []string{"RouteAlreadyExists rtb-a DestinationCidrBlock aws_route.b"}},
		{"a propagated route beside a static one is fine", func(m *Model) {
			rt := m.RouteTables["rtb-a"]
			rt.Routes = append(rt.Routes, Route{Dest: pfx("0.0.0.0/0"), Target: Target{Kind: TargetVPNGateway, ID: "vgw-1"}, Origin: "EnableVgwRoutePropagation"})
		}, nil},
		{"route with host bits", func(m *Model) { m.RouteTables["rtb-a"].Routes[1].Dest = pfx("0.0.0.1/0") },
			[]string{"InvalidParameterValue rtb-a DestinationCidrBlock aws_route.a"}},
		{"route whose target is unknown", func(m *Model) {
			rt := m.RouteTables["rtb-a"]
			rt.Routes[1].Target.ID = "igw-b"
			rt.Routes[1].Unknown = "aws_route.a gateway_id"
		}, nil},
		{"security group rule with host bits", func(m *Model) { m.SecurityGroups["sg-a"].Ingress[0].CIDR = pfx("10.0.0.9/16") },
			[]string{"InvalidParameterValue sg-a CidrIp aws_security_group.a"}},
		{"internet gateway on two VPCs", func(m *Model) { m.InternetGateways["igw-a"].VPCs = []string{"vpc-a", "vpc-b"} },
			[]string{"Resource.AlreadyAssociated igw-a VpcId aws_internet_gateway.a"}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			m := validNet()
			r.change(m)
			got := m.Validate()
			var gs []string
			for _, p := range got {
				gs = append(gs, p.Code+" "+p.ID+" "+p.Attribute+" "+p.Source)
				if p.Msg == "" || !strings.Contains(p.String(), p.Code) {
					t.Errorf("problem without a message: %+v", p)
				}
			}
			if strings.Join(gs, "\n") != strings.Join(r.want, "\n") {
				t.Errorf("Validate():\n got %q\nwant %q\n%v", gs, r.want, got)
			}
		})
	}
}

func TestSourceLanguage(t *testing.T) {
	for _, r := range []struct {
		kind    SourceKind
		sources map[string]string
		want    SourceKind
	}{
		{SourceNone, nil, SourceNone},
		{SourceTerraform, map[string]string{"subnet-1": "PublicSubnet"}, SourceTerraform},
		{SourceNone, map[string]string{"subnet-1": "module.vpc.aws_subnet.a[0]"}, SourceTerraform},
		{SourceNone, map[string]string{"subnet-1": "aws_subnet.a", "sg-1": "WorkspaceSecurityGroup"}, SourceCloudFormation},
	} {
		m := New()
		m.SourceKind = r.kind
		for k, v := range r.sources {
			m.Sources[k] = v
		}
		if got := m.SourceLanguage(); got != r.want {
			t.Errorf("SourceLanguage(%q, %v) = %q, want %q", r.kind, r.sources, got, r.want)
		}
	}
}
