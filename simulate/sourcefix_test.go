package simulate

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

func TestSourceFixes(t *testing.T) {
	sg := func(group string, proto model.Protocol, first, last uint16, peer string) *Change {
		r := model.SGRule{GroupID: group, Protocol: proto, Ports: model.PortRange{First: first, Last: last}, ICMP: model.AnyICMP}
		if c, err := netip.ParsePrefix(peer); err == nil {
			r.CIDR = c
		} else {
			r.PeerGroup = peer
		}
		return &Change{Kind: AddSecurityGroupRule, Rule: r}
	}
	acl := func(egress bool, num int, proto model.Protocol, first, last uint16, cidr string) *Change {
		return &Change{Kind: AddNetworkACLEntry, ACLID: "acl-1", Entry: model.NACLEntry{Number: num, Egress: egress, Allow: true, Protocol: proto,
			Ports: model.PortRange{First: first, Last: last}, ICMP: model.AnyICMP, CIDR: netip.MustParsePrefix(cidr)}}
	}
	rows := []struct {
		name  string
		kind  model.SourceKind
		setup func(m *model.Model)
		fix   *Change
		want  []string // summary, then the code, of each fix
	}{
		{"a snapshot has no source to fix", model.SourceNone, func(m *model.Model) { m.Sources = map[string]string{} },
			sg("sg-1", model.ProtoTCP, 443, 443, "10.0.1.5/32"), nil},
		{"inline group rules: a block in the group", model.SourceTerraform, func(m *model.Model) {
			m.SecurityGroups["sg-1"].Ingress = []model.SGRule{{Source: "aws_security_group.vpce"}}
		}, sg("sg-1", model.ProtoTCP, 443, 443, "sg-2"), []string{
			"add to resource aws_security_group.vpce (its rules are inline)",
			"ingress {\n  protocol        = \"tcp\"\n  from_port       = 443\n  to_port         = 443\n  security_groups = [aws_security_group.workspace.id]\n}\n"}},
		{"inline, the group itself: self = true", model.SourceTerraform, func(m *model.Model) {
			m.SecurityGroups["sg-1"].Egress = []model.SGRule{{Source: "aws_security_group.vpce"}}
		}, sg("sg-1", model.ProtoUDP, 0, 65535, "sg-1"), []string{
			"add to resource aws_security_group.vpce (its rules are inline)",
			"ingress {\n  protocol  = \"udp\"\n  from_port = 0\n  to_port   = 65535\n  self      = true\n}\n"}},
		{"separate aws_security_group_rule: another of them", model.SourceTerraform, func(m *model.Model) {
			m.SecurityGroups["sg-1"].Ingress = []model.SGRule{{Source: "aws_security_group.vpce"}, {Source: "aws_security_group_rule.vpce_443"}}
		}, sg("sg-1", model.ProtoTCP, 8443, 8451, "10.0.1.5/32"), []string{
			"add a resource beside aws_security_group.vpce",
			"resource \"aws_security_group_rule\" \"vpce_ingress_8443\" {\n  type              = \"ingress\"\n  security_group_id = aws_security_group.vpce.id\n  protocol          = \"tcp\"\n  from_port         = 8443\n  to_port           = 8451\n  cidr_blocks       = [\"10.0.1.5/32\"]\n}\n"}},
		{"no rules yet: the newer rule resource", model.SourceTerraform, func(m *model.Model) {},
			sg("sg-1", model.ProtoAll, 0, 65535, "10.0.1.5/32"), []string{
				"add a resource beside aws_security_group.vpce",
				"resource \"aws_vpc_security_group_ingress_rule\" \"vpce_ingress\" {\n  security_group_id = aws_security_group.vpce.id\n  ip_protocol       = \"-1\"\n  cidr_ipv4         = \"10.0.1.5/32\"\n}\n"}},
		{"the default group AWS made with the VPC", model.SourceTerraform, func(m *model.Model) {
			m.SecurityGroups["sg-(aws_vpc.main:default)"] = &model.SecurityGroup{ID: "sg-(aws_vpc.main:default)", Ingress: []model.SGRule{{Source: "aws_vpc.main"}}}
			m.Sources["sg-(aws_vpc.main:default)"] = "aws_vpc.main"
		}, sg("sg-(aws_vpc.main:default)", model.ProtoTCP, 22, 22, "10.0.0.0/16"), []string{
			"add a resource beside aws_vpc.main",
			"resource \"aws_vpc_security_group_ingress_rule\" \"main_ingress_22\" {\n  security_group_id = aws_vpc.main.default_security_group_id\n  ip_protocol       = \"tcp\"\n  from_port         = 22\n  to_port           = 22\n  cidr_ipv4         = \"10.0.0.0/16\"\n}\n"}},
		{"a peer in another module is written by ID", model.SourceTerraform, func(m *model.Model) {
			m.Sources["sg-1"] = "module.net.aws_security_group.vpce"
		}, sg("sg-1", model.ProtoTCP, 443, 443, "sg-2"), []string{
			"add a resource beside aws_security_group.vpce",
			"resource \"aws_vpc_security_group_ingress_rule\" \"vpce_ingress_443\" {\n  security_group_id            = aws_security_group.vpce.id\n  ip_protocol                  = \"tcp\"\n  from_port                    = 443\n  to_port                      = 443\n  referenced_security_group_id = \"sg-2\" # aws_security_group.workspace\n}\n"}},
		{"an inline ACL", model.SourceTerraform, func(m *model.Model) {
			m.NetworkACLs["acl-1"].Inbound = []model.NACLEntry{{Source: "aws_network_acl.ws"}, {Number: model.FinalRuleNumber}}
		}, acl(false, 120, model.ProtoTCP, 32768, 60999, "10.0.0.0/16"), []string{
			"add to resource aws_network_acl.ws (its entries are inline)",
			"ingress {\n  rule_no    = 120\n  action     = \"allow\"\n  protocol   = \"tcp\"\n  from_port  = 32768\n  to_port    = 60999\n  cidr_block = \"10.0.0.0/16\"\n}\n"}},
		{"an ACL with rule resources", model.SourceTerraform, func(m *model.Model) {
			m.NetworkACLs["acl-1"].Inbound = []model.NACLEntry{{Source: "aws_network_acl.ws"}, {Source: "aws_network_acl_rule.in_100"}}
		}, acl(true, 110, model.ProtoAll, 0, 65535, "0.0.0.0/0"), []string{
			"add a resource beside aws_network_acl.ws",
			"resource \"aws_network_acl_rule\" \"ws_110\" {\n  network_acl_id = aws_network_acl.ws.id\n  rule_number    = 110\n  egress         = true\n  protocol       = \"-1\"\n  rule_action    = \"allow\"\n  cidr_block     = \"0.0.0.0/0\"\n  from_port      = 0\n  to_port        = 0\n}\n"}},
		{"a route to a placeholder NAT", model.SourceTerraform, func(m *model.Model) {
			m.NATGateways["nat-(aws_nat_gateway.a)"] = &model.NATGateway{ID: "nat-(aws_nat_gateway.a)"}
			m.Sources["nat-(aws_nat_gateway.a)"] = "aws_nat_gateway.a"
		}, &Change{Kind: CreateRoute, RouteTableID: "rtb-1", Route: model.Route{Dest: defaultRoute, Target: model.Target{Kind: model.TargetNAT, ID: "nat-(aws_nat_gateway.a)"}}}, []string{
			"add a resource beside aws_route_table.private",
			"resource \"aws_route\" \"private_default\" {\n  route_table_id         = aws_route_table.private.id\n  destination_cidr_block = \"0.0.0.0/0\"\n  nat_gateway_id         = aws_nat_gateway.a.id\n}\n"}},
		{"replace a route's target: its aws_route", model.SourceTerraform, func(m *model.Model) {
			m.RouteTables["rtb-1"].Routes = []model.Route{{Dest: defaultRoute, Target: model.Target{Kind: model.TargetIGW, ID: "igw-1"}, Source: "aws_route.private_default"}}
			m.Sources["nat-1"] = "aws_nat_gateway.a"
			m.NATGateways["nat-1"] = &model.NATGateway{ID: "nat-1"}
		}, &Change{Kind: ReplaceRoute, RouteTableID: "rtb-1", Route: model.Route{Dest: defaultRoute, Target: model.Target{Kind: model.TargetNAT, ID: "nat-1"}}}, []string{
			"replace gateway_id in resource aws_route.private_default with",
			"nat_gateway_id = aws_nat_gateway.a.id\n"}},
		{"replace a route's target: an inline route block", model.SourceTerraform, func(m *model.Model) {
			m.RouteTables["rtb-1"].Routes = []model.Route{{Dest: defaultRoute, Target: model.Target{Kind: model.TargetNAT, ID: "nat-gone"}, Blackhole: true, Source: "aws_route_table.private"}}
			m.Sources["nat-1"] = "aws_nat_gateway.a"
		}, &Change{Kind: ReplaceRoute, RouteTableID: "rtb-1", Route: model.Route{Dest: defaultRoute, Target: model.Target{Kind: model.TargetNAT, ID: "nat-1"}}}, []string{
			"replace the route block for 0.0.0.0/0 in resource aws_route_table.private with",
			"route {\n  cidr_block     = \"0.0.0.0/0\"\n  nat_gateway_id = aws_nat_gateway.a.id\n}\n"}},
		{"the local route is not the input's to replace", model.SourceTerraform, func(m *model.Model) {
			m.RouteTables["rtb-1"].Routes = []model.Route{{Dest: defaultRoute, Target: model.Target{Kind: model.TargetLocal, ID: "local"}, Source: "aws_route_table.private"}}
		}, &Change{Kind: ReplaceRoute, RouteTableID: "rtb-1", Route: model.Route{Dest: defaultRoute, Target: model.Target{Kind: model.TargetIGW, ID: "igw-1"}}}, nil},
		{"template: replace a route's target", model.SourceCloudFormation, func(m *model.Model) {
			m.RouteTables["rtb-1"].Routes = []model.Route{{Dest: defaultRoute, Target: model.Target{Kind: model.TargetIGW, ID: "igw-1"}, Source: "PrivateDefaultRoute"}}
			m.Sources["nat-1"] = "NatGateway"
		}, &Change{Kind: ReplaceRoute, RouteTableID: "rtb-1", Route: model.Route{Dest: defaultRoute, Target: model.Target{Kind: model.TargetNAT, ID: "nat-1"}}}, []string{
			"replace GatewayId in the Properties of PrivateDefaultRoute with",
			"NatGatewayId: !Ref NatGateway\n"}},
		{"DNS support in the VPC", model.SourceTerraform, func(m *model.Model) {
			m.VPCs["vpc-1"] = &model.VPC{ID: "vpc-1"}
			m.Sources["vpc-1"] = "module.net.aws_vpc.this[0]"
		}, &Change{Kind: EnableDNSSupport, VPCID: "vpc-1"}, []string{
			"set in resource aws_vpc.this[0]", "enable_dns_support = true\n"}},
		{"template: DNS support in the VPC", model.SourceCloudFormation, func(m *model.Model) {
			m.VPCs["vpc-1"] = &model.VPC{ID: "vpc-1"}
			m.Sources["vpc-1"] = "WorkspaceVpc"
		}, &Change{Kind: EnableDNSSupport, VPCID: "vpc-1"}, []string{
			"set in the Properties of WorkspaceVpc", "EnableDnsSupport: true\n"}},
		{"an Elastic IP on the instance", model.SourceTerraform, func(m *model.Model) {
			m.ENIs["eni-1"] = &model.ENI{ID: "eni-1", InstanceID: "i-1"}
			m.Sources["i-1"] = "aws_instance.web"
		}, &Change{Kind: AssociateAddress, ENIID: "eni-1"}, []string{
			"add a resource beside aws_instance.web",
			"resource \"aws_eip\" \"web_eip\" {\n  domain   = \"vpc\"\n  instance = aws_instance.web.id\n}\n"}},
		{"an Elastic IP on a separate interface", model.SourceTerraform, func(m *model.Model) {
			m.ENIs["eni-1"] = &model.ENI{ID: "eni-1", InstanceID: "i-1"}
			m.Sources["eni-1"] = "aws_network_interface.web"
		}, &Change{Kind: AssociateAddress, ENIID: "eni-1"}, []string{
			"add a resource beside aws_network_interface.web",
			"resource \"aws_eip\" \"web_eip\" {\n  domain            = \"vpc\"\n  network_interface = aws_network_interface.web.id\n}\n"}},
		{"template: an Elastic IP on the instance", model.SourceCloudFormation, func(m *model.Model) {
			m.ENIs["eni-1"] = &model.ENI{ID: "eni-1", InstanceID: "i-1"}
			m.Sources["i-1"] = "WebInstance"
		}, &Change{Kind: AssociateAddress, ENIID: "eni-1"}, []string{
			"add to the template's Resources",
			"WebInstanceEip:\n  Type: AWS::EC2::EIP\n  Properties:\n    Domain: vpc\n    InstanceId: !Ref WebInstance\n"}},
		{"template: an Elastic IP on an interface", model.SourceCloudFormation, func(m *model.Model) {
			m.ENIs["eni-1"] = &model.ENI{ID: "eni-1"}
			m.Sources["eni-1"] = "WebInterface"
		}, &Change{Kind: AssociateAddress, ENIID: "eni-1"}, []string{
			"add to the template's Resources",
			"WebInterfaceEip:\n  Type: AWS::EC2::EIP\n  Properties:\n    Domain: vpc\nWebInterfaceEipAssociation:\n  Type: AWS::EC2::EIPAssociation\n  Properties:\n    AllocationId: !GetAtt WebInterfaceEip.AllocationId\n    NetworkInterfaceId: !Ref WebInterface\n"}},
		{"template: a group rule resource", model.SourceCloudFormation, func(m *model.Model) {
			m.Sources["sg-1"], m.Sources["sg-2"] = "VpceSecurityGroup", "WorkspaceSecurityGroup"
		}, sg("sg-1", model.ProtoTCP, 8443, 8451, "sg-2"), []string{
			"add to the template's Resources",
			"VpceSecurityGroupIngress8443:\n  Type: AWS::EC2::SecurityGroupIngress\n  Properties:\n    GroupId: !GetAtt VpceSecurityGroup.GroupId\n    IpProtocol: tcp\n    FromPort: 8443\n    ToPort: 8451\n    SourceSecurityGroupId: !GetAtt WorkspaceSecurityGroup.GroupId\n"}},
		{"template: an ACL entry", model.SourceCloudFormation, func(m *model.Model) { m.Sources["acl-1"] = "WorkspaceAcl" },
			acl(false, 120, model.ProtoTCP, 1024, 65535, "0.0.0.0/0"), []string{
				"add to the template's Resources",
				"WorkspaceAclEntry120:\n  Type: AWS::EC2::NetworkAclEntry\n  Properties:\n    NetworkAclId: !Ref WorkspaceAcl\n    RuleNumber: 120\n    Protocol: 6\n    RuleAction: allow\n    Egress: false\n    CidrBlock: 0.0.0.0/0\n    PortRange:\n      From: 1024\n      To: 65535\n"}},
		{"template: an endpoint's tables", model.SourceCloudFormation, func(m *model.Model) {
			m.Sources["vpce-1"], m.Sources["rtb-1"] = "S3Endpoint", "PrivateRouteTable"
		}, &Change{Kind: AddEndpointRouteTable, EndpointID: "vpce-1", RouteTableID: "rtb-1"}, []string{
			"add to RouteTableIds of S3Endpoint", "- !Ref PrivateRouteTable\n"}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			m := model.New()
			m.SourceKind = r.kind
			m.SecurityGroups["sg-1"] = &model.SecurityGroup{ID: "sg-1"}
			m.SecurityGroups["sg-2"] = &model.SecurityGroup{ID: "sg-2"}
			m.NetworkACLs["acl-1"] = &model.NetworkACL{ID: "acl-1"}
			m.RouteTables["rtb-1"] = &model.RouteTable{ID: "rtb-1"}
			m.Endpoints["vpce-1"] = &model.VPCEndpoint{ID: "vpce-1"}
			m.Sources["sg-1"], m.Sources["sg-2"] = "aws_security_group.vpce", "aws_security_group.workspace"
			m.Sources["acl-1"], m.Sources["rtb-1"], m.Sources["vpce-1"] = "aws_network_acl.ws", "aws_route_table.private", "aws_vpc_endpoint.s3"
			r.setup(m)
			var got []string
			for _, f := range SourceFixes(m, r.fix) {
				if f.Language != string(r.kind) {
					t.Errorf("language %q, want %q", f.Language, r.kind)
				}
				got = append(got, f.Summary, f.Code)
			}
			if strings.Join(got, "\n--\n") != strings.Join(r.want, "\n--\n") {
				t.Errorf("SourceFixes:\n%s\nwant:\n%s", strings.Join(got, "\n--\n"), strings.Join(r.want, "\n--\n"))
			}
		})
	}
}
