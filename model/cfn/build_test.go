package cfn

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

func build(t *testing.T, src string, params map[string]string) (*model.Model, *Template) {
	t.Helper()
	tm, err := Parse("t.yaml", []byte(src), Options{Params: params})
	if err != nil {
		t.Fatal(err)
	}
	m, err := tm.Model()
	if err != nil {
		t.Fatal(err)
	}
	return m, tm
}

const network = `
Parameters:
  SharedTgw: {Type: String}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16, EnableDnsHostnames: true}
  Extra:
    Type: AWS::EC2::VPCCidrBlock
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.0.0/16}
  Public:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: us-east-1a, MapPublicIpOnLaunch: true}
  Private:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}
  Igw:
    Type: AWS::EC2::InternetGateway
  Attach:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}
  NatEip:
    Type: AWS::EC2::EIP
    Properties: {Domain: vpc}
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: {SubnetId: !Ref Public, AllocationId: !GetAtt NatEip.AllocationId}
  PublicRt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  PrivateRt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  DefaultRoute:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PublicRt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}
  NatRoute:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PrivateRt, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat}
  TgwRoute:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref PrivateRt, DestinationCidrBlock: 192.168.0.0/16, TransitGatewayId: !Ref SharedTgw}
  PublicAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Public, RouteTableId: !Ref PublicRt}
  PrivateAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties: {SubnetId: !Ref Private, RouteTableId: !Ref PrivateRt}
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties: {VpcId: !Ref Vpc}
  AclIn:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 6, RuleAction: allow, CidrBlock: 0.0.0.0/0, PortRange: {From: 443, To: 443}}
  AclOut:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: -1, Egress: true, RuleAction: allow, CidrBlock: 10.0.0.0/16}
  AclAssoc:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties: {SubnetId: !Ref Private, NetworkAclId: !Ref Acl}
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
  App:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: !Ref Vpc
      SecurityGroupEgress:
        - {IpProtocol: tcp, FromPort: 5432, ToPort: 5432, DestinationSecurityGroupId: !Ref Web}
  AppIn:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !Ref App, IpProtocol: tcp, FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: !GetAtt Web.GroupId}
  WebOut:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: {GroupId: !Ref Web, IpProtocol: icmp, FromPort: 8, ToPort: -1, CidrIp: 10.0.0.0/8}
  S3:
    Type: AWS::EC2::VPCEndpoint
    Properties: {VpcId: !Ref Vpc, ServiceName: !Sub "com.amazonaws.${AWS::Region}.s3", RouteTableIds: [!Ref PrivateRt]}
  Sts:
    Type: AWS::EC2::VPCEndpoint
    Properties: {VpcId: !Ref Vpc, ServiceName: com.amazonaws.us-east-1.sts, VpcEndpointType: Interface, PrivateDnsEnabled: true, SubnetIds: [!Ref Private], SecurityGroupIds: [!Ref Web]}
  Server:
    Type: AWS::EC2::Instance
    Properties: {SubnetId: !Ref Public, SecurityGroupIds: [!Ref Web], ImageId: ami-1}
  Db:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      NetworkInterfaces:
        - {DeviceIndex: 0, SubnetId: !Ref Private, GroupSet: [!Ref App], PrivateIpAddress: 10.0.1.50}
  Appliance:
    Type: AWS::EC2::NetworkInterface
    Properties: {SubnetId: !Ref Private, SourceDestCheck: false}
  Pl:
    Type: AWS::EC2::PrefixList
    Properties: {PrefixListName: corp, AddressFamily: IPv4, MaxEntries: 2, Entries: [{Cidr: 172.16.0.0/12}]}
  Dhcp:
    Type: AWS::EC2::DHCPOptions
    Properties: {DomainNameServers: [10.0.0.10]}
  DhcpAssoc:
    Type: AWS::EC2::VPCDHCPOptionsAssociation
    Properties: {VpcId: !Ref Vpc, DhcpOptionsId: !Ref Dhcp}
  Peer:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.9.0.0/16}
  Peering:
    Type: AWS::EC2::VPCPeeringConnection
    Properties: {VpcId: !Ref Vpc, PeerVpcId: !Ref Peer}
  Tgw:
    Type: AWS::EC2::TransitGateway
  TgwAttach:
    Type: AWS::EC2::TransitGatewayAttachment
    Properties: {TransitGatewayId: !Ref Tgw, VpcId: !Ref Vpc, SubnetIds: [!Ref Private]}
  Zone:
    Type: AWS::Route53::HostedZone
    Properties: {Name: corp.example, VPCs: [{VPCId: !Ref Vpc, VPCRegion: us-east-1}]}
  Rec:
    Type: AWS::Route53::RecordSet
    Properties: {HostedZoneId: !Ref Zone, Name: db.corp.example, Type: A, TTL: 60, ResourceRecords: [!GetAtt Db.PrivateIp]}
  Recs:
    Type: AWS::Route53::RecordSetGroup
    Properties:
      HostedZoneName: corp.example.
      RecordSets:
        - {Name: web.corp.example, Type: CNAME, TTL: 60, ResourceRecords: [db.corp.example]}
`

func TestResourceTypes(t *testing.T) {
	m, tm := build(t, network, map[string]string{"AWS::Region": "us-east-1"})
	v := m.VPCs["vpc-(Vpc)"]
	if v == nil || len(v.CIDRs) != 2 || v.CIDRs[1] != netip.MustParsePrefix("10.1.0.0/16") || v.DNSSupport != model.Yes || v.DNSHostnames != model.Yes || v.DHCPOptionsID != "dopt-(Dhcp)" {
		t.Fatalf("VPC: %+v", v)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"subnet", m.Subnets["subnet-(Public)"].VPCID == "vpc-(Vpc)" && m.Subnets["subnet-(Public)"].AZ == "us-east-1a"},
		{"subnet capacity", m.Subnets["subnet-(Private)"].AvailableIPs == 256-5-3}, // less the interfaces of Sts, Db and Appliance
		{"igw attached", len(m.InternetGateways["igw-(Igw)"].VPCs) == 1},
		{"nat in public subnet with EIP", m.NATGateways["nat-(Nat)"].SubnetID == "subnet-(Public)" && m.NATGateways["nat-(Nat)"].PublicIP == netip.MustParseAddr("198.51.100.1")},
		{"nat interface", m.ENIs["eni-(Nat)"] != nil && m.ENIs["eni-(Nat)"].Type == "nat_gateway"},
		{"implicit main table", m.RouteTables["rtb-(Vpc:main)"] != nil && m.RouteTables["rtb-(Vpc:main)"].Main},
		{"implicit default ACL", m.NetworkACLs["acl-(Vpc:default)"] != nil && m.NetworkACLs["acl-(Vpc:default)"].IsDefault},
		{"implicit default group", m.SecurityGroups["sg-(Vpc:default)"] != nil && m.SecurityGroups["sg-(Vpc:default)"].Name == "default"},
		{"explicit association", m.RouteTables["rtb-(PublicRt)"].Subnets[0] == "subnet-(Public)"},
		{"local routes for both blocks", len(m.RouteTables["rtb-(PublicRt)"].Routes) == 3 && m.RouteTables["rtb-(PublicRt)"].Routes[0].Target.Kind == model.TargetLocal},
		{"igw route", m.RouteTables["rtb-(PublicRt)"].Routes[2].Target == model.Target{Kind: model.TargetIGW, ID: "igw-(Igw)"}},
		{"nat route", m.RouteTables["rtb-(PrivateRt)"].Routes[2].Target == model.Target{Kind: model.TargetNAT, ID: "nat-(Nat)"}},
		{"acl association", m.NetworkACLs["acl-(Acl)"].Subnets[0] == "subnet-(Private)"},
		{"acl entries and final deny", len(m.NetworkACLs["acl-(Acl)"].Inbound) == 2 && m.NetworkACLs["acl-(Acl)"].Inbound[0].Ports == model.Port(443) && m.NetworkACLs["acl-(Acl)"].Outbound[0].Protocol == model.ProtoAll},
		{"gateway endpoint route", m.RouteTables["rtb-(PrivateRt)"].Routes[len(m.RouteTables["rtb-(PrivateRt)"].Routes)-1].DestPrefixList == "pl-(com.amazonaws.us-east-1.s3)"},
		{"interface endpoint interface", m.ENIs["eni-(Sts#1)"] != nil && m.ENIs["eni-(Sts#1)"].Groups[0] == "sg-(Web)" && m.Endpoints["vpce-(Sts)"].PrivateDNS},
		{"instance with public IP from the subnet", len(m.ENIs["eni-(Server)"].PublicIPs) == 1},
		{"instance without public IP", len(m.ENIs["eni-(Db)"].PublicIPs) == 0 && m.ENIs["eni-(Db)"].PrivateIPs[0] == netip.MustParseAddr("10.0.1.50")},
		{"appliance interface", !m.ENIs["eni-(Appliance)"].SourceDestCheck && m.ENIs["eni-(Appliance)"].Groups[0] == "sg-(Vpc:default)"},
		{"prefix list", m.PrefixLists["pl-(Pl)"].CIDRsKnown && len(m.PrefixLists["pl-(Pl)"].CIDRs) == 1},
		{"peering active in one account", m.Peerings["pcx-(Peering)"].Status == "active" && m.Peerings["pcx-(Peering)"].Accepter.VPCID == "vpc-(Peer)"},
		{"tgw attachment", m.TGWAttachments["tgw-attach-(TgwAttach)"].TransitGatewayID == "tgw-(Tgw)"},
		{"private zone", m.HostedZones["Z-(Zone)"].Private && m.HostedZones["Z-(Zone)"].VPCs[0] == "vpc-(Vpc)"},
		{"records", len(m.HostedZones["Z-(Zone)"].Records) == 2 && m.HostedZones["Z-(Zone)"].Records[0].Values[0] == "10.0.1.50"},
		{"sources are logical IDs", m.Sources["sg-(Web)"] == "Web" && m.Sources["eni-(Sts#1)"] == "Sts" && m.Sources["rtb-(Vpc:main)"] == "Vpc"},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: wrong", c.name)
		}
	}
	// The route to a transit gateway given by a parameter without value
	// stays in the table, unknown, naming the logical ID and property.
	var tgw *model.Route
	for i, r := range m.RouteTables["rtb-(PrivateRt)"].Routes {
		if r.Source == "TgwRoute" {
			tgw = &m.RouteTables["rtb-(PrivateRt)"].Routes[i]
		}
	}
	if tgw == nil || !strings.HasPrefix(tgw.Unknown, "TgwRoute.TransitGatewayId: parameter SharedTgw has no value") || tgw.Target.Kind != model.TargetUnknown {
		t.Errorf("TgwRoute: %+v", tgw)
	}
	if len(tm.Warnings) == 0 {
		t.Error("no warning about the prefix list of S3")
	}
}

// TestGroupEgress follows the CloudFormation Template Reference
// (AWS::EC2::SecurityGroup): EC2's allow-all egress stays unless inline
// egress rules replace it; separate egress resources are added beside it.
func TestGroupEgress(t *testing.T) {
	m, _ := build(t, network, nil)
	web := m.SecurityGroups["sg-(Web)"]
	if len(web.Egress) != 2 || web.Egress[0].CIDR != anyV4 || web.Egress[0].Protocol != model.ProtoAll || web.Egress[1].Protocol != model.ProtoICMP || web.Egress[1].ICMP != (model.ICMPMatch{Type: 8, Code: -1}) {
		t.Errorf("Web (no inline egress, one separate rule): %v", web.Egress)
	}
	app := m.SecurityGroups["sg-(App)"]
	if len(app.Egress) != 1 || app.Egress[0].PeerGroup != "sg-(Web)" || app.Egress[0].Ports != model.Port(5432) {
		t.Errorf("App (inline egress replaces the default): %v", app.Egress)
	}
	if len(app.Ingress) != 1 || app.Ingress[0].PeerGroup != "sg-(Web)" || app.Ingress[0].Source != "AppIn" {
		t.Errorf("App ingress from the separate resource: %v", app.Ingress)
	}
}

// TestUnknownValuesStay: a value the template does not decide keeps the
// rule, route or entry in the model with Unknown naming it.
func TestUnknownValuesStay(t *testing.T) {
	src := `
Parameters:
  Peer: {Type: String}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: g
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !ImportValue AdminCidr}
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: !Ref Peer}
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties: {VpcId: !Ref Vpc}
  E:
    Type: AWS::EC2::NetworkAclEntry
    Properties: {NetworkAclId: !Ref Acl, RuleNumber: 90, Protocol: 6, RuleAction: deny, CidrBlock: !ImportValue Blocked, PortRange: {From: 22, To: 22}}
  Rt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  R:
    Type: AWS::EC2::Route
    Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !GetAtt Nat.Id}
  Nat:
    Type: Custom::NatLookup
    Properties: {ServiceToken: arn}
`
	m, tm := build(t, src, nil)
	g := m.SecurityGroups["sg-(G)"]
	if len(g.Ingress) != 2 || !strings.Contains(g.Ingress[0].Unknown, "G.SecurityGroupIngress[0].CidrIp: Fn::ImportValue AdminCidr") || !strings.Contains(g.Ingress[1].Unknown, "G.SecurityGroupIngress[1].SourceSecurityGroupId: parameter Peer") {
		t.Errorf("group rules: %+v", g.Ingress)
	}
	acl := m.NetworkACLs["acl-(Acl)"]
	if len(acl.Inbound) != 2 || !strings.Contains(acl.Inbound[0].Unknown, "E.CidrBlock: Fn::ImportValue Blocked") {
		t.Errorf("ACL: %+v", acl.Inbound)
	}
	rt := m.RouteTables["rtb-(Rt)"]
	if len(rt.Routes) != 2 || !strings.Contains(rt.Routes[1].Unknown, "Nat (Custom::NatLookup) is built outside the template") {
		t.Errorf("routes: %+v", rt.Routes)
	}
	found := false
	for _, w := range tm.Warnings {
		found = found || strings.Contains(w.String(), "Nat: Custom::NatLookup is a custom resource")
	}
	if !found {
		t.Errorf("no warning naming the custom resource: %v", tm.Warnings)
	}
}

// TestOutsideResources: a subnet in a VPC given as a parameter that no
// network describes is recorded as dangling (answers are unknown), and
// over a snapshot that holds it the stack joins it.
func TestOutsideResources(t *testing.T) {
	src := `
Parameters:
  VpcId: {Type: "AWS::EC2::VPC::Id"}
Resources:
  S:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref VpcId, CidrBlock: 10.0.5.0/24, AvailabilityZone: us-east-1a}
  G:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: g, VpcId: !Ref VpcId}
`
	m, _ := build(t, src, map[string]string{"VpcId": "vpc-0abc"})
	if d, ok := m.DanglingRef("vpc-0abc"); !ok || d.Field != "S.VpcId" || d.Kind != model.KindVPC {
		t.Fatalf("dangling: %+v", m.Dangling)
	}
	base := model.New()
	base.VPCs["vpc-0abc"] = &model.VPC{ID: "vpc-0abc", CIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}}
	base.RouteTables["rtb-main"] = &model.RouteTable{ID: "rtb-main", VPCID: "vpc-0abc", Main: true}
	base.Index()
	tm, err := Parse("t.yaml", []byte(src), Options{Params: map[string]string{"VpcId": "vpc-0abc"}})
	if err != nil {
		t.Fatal(err)
	}
	over, err := Overlay(base, tm)
	if err != nil {
		t.Fatal(err)
	}
	if len(over.Dangling) != 0 || over.Subnets["subnet-(S)"] == nil {
		t.Fatalf("overlay: dangling %v", over.Dangling)
	}
	if rt, explicit := over.SubnetRouteTable("subnet-(S)"); rt == nil || rt.ID != "rtb-main" || explicit {
		t.Errorf("the new subnet uses the existing VPC's main table: %v", rt)
	}
	if len(base.Subnets) != 0 || len(base.RouteTables["rtb-main"].Routes) != 0 {
		t.Error("Overlay changed its base")
	}
}

// TestConditionalResources: a resource whose condition is false is not
// built.
func TestConditionalResources(t *testing.T) {
	src := `
Parameters:
  WithNat: {Type: String, Default: "false"}
Conditions:
  Nat: !Equals [!Ref WithNat, "true"]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  S:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}
  N:
    Type: AWS::EC2::NatGateway
    Condition: Nat
    Properties: {SubnetId: !Ref S, ConnectivityType: private}
`
	m, _ := build(t, src, nil)
	if len(m.NATGateways) != 0 {
		t.Error("NAT gateway built although its condition is false")
	}
	m, _ = build(t, src, map[string]string{"WithNat": "true"})
	if len(m.NATGateways) != 1 {
		t.Error("NAT gateway not built although its condition is true")
	}
}

// TestForEach expands Fn::ForEach of the AWS::LanguageExtensions
// transform over a list and over a list parameter.
func TestForEach(t *testing.T) {
	src := `
Transform: AWS::LanguageExtensions
Parameters:
  Zones: {Type: CommaDelimitedList, Default: "a,b"}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Fn::ForEach::Subnets:
    - Zone
    - !Ref Zones
    - Subnet${Zone}:
        Type: AWS::EC2::Subnet
        Properties:
          VpcId: !Ref Vpc
          AvailabilityZone: !Sub us-east-1${Zone}
          CidrBlock: !FindInMap [Blocks, !Ref Zone, Cidr]
  Fn::ForEach::Tables:
    - Name
    - [Blue, Green]
    - Table&{Name}:
        Type: AWS::EC2::RouteTable
        Properties: {VpcId: !Ref Vpc, Tags: [{Key: Name, Value: !Ref Name}]}
Mappings:
  Blocks:
    a: {Cidr: 10.0.1.0/24}
    b: {Cidr: 10.0.2.0/24}
`
	m, tm := build(t, src, map[string]string{"AWS::Region": "us-east-1"})
	if s := m.Subnets["subnet-(Subneta)"]; s == nil || s.AZ != "us-east-1a" || s.CIDR != netip.MustParsePrefix("10.0.1.0/24") {
		t.Errorf("Subneta: %+v", s)
	}
	if s := m.Subnets["subnet-(Subnetb)"]; s == nil || s.CIDR != netip.MustParsePrefix("10.0.2.0/24") {
		t.Errorf("Subnetb: %+v", s)
	}
	if rt := m.RouteTables["rtb-(TableGreen)"]; rt == nil || rt.Tags.Name() != "Green" {
		t.Errorf("TableGreen: %+v", rt)
	}
	if len(tm.Warnings) != 0 {
		t.Errorf("warnings: %v", tm.Warnings)
	}
	_, tm = build(t, "Transform: AWS::Serverless-2016-10-31\nResources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n", map[string]string{"AWS::Region": "us-east-1"})
	if len(tm.Warnings) != 1 || !strings.Contains(tm.Warnings[0].Msg, "Transform AWS::Serverless-2016-10-31 is not applied") {
		t.Errorf("warnings: %v", tm.Warnings)
	}
}
