package cfn

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// undecidedNet is a VPC with a public subnet, an instance, a spare
// interface and an STS endpoint; each case adds what it leaves undecided.
const undecidedNet = `
Parameters:
  Dns: {Type: String}
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16, EnableDnsHostnames: true, EnableDnsSupport: true}
  Public:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24, AvailabilityZone: us-east-1a, MapPublicIpOnLaunch: %MAP%}
  Web:
    Type: AWS::EC2::Instance
    Properties: %WEB%
  Other:
    Type: AWS::EC2::Instance
    Properties: {SubnetId: !Ref Public, NetworkInterfaces: [{DeviceIndex: "0", SubnetId: !Ref Public, AssociatePublicIpAddress: false}]}
  Spare:
    Type: AWS::EC2::NetworkInterface
    Properties: {SubnetId: !Ref Public}
  Sts:
    Type: AWS::EC2::VPCEndpoint
    Properties: {VpcId: !Ref Vpc, ServiceName: com.amazonaws.us-east-1.sts, VpcEndpointType: Interface, PrivateDnsEnabled: %DNS%, SubnetIds: [!Ref Public]}
%MORE%`

// TestUndecidedStaysUndecided: a property the template does not decide
// (Fn::ImportValue of an export nobody gives) is held undecided, naming
// the logical ID and property, never taken as false.
func TestUndecidedStaysUndecided(t *testing.T) {
	const webPlain = "{SubnetId: !Ref Public}"
	cases := []struct {
		name             string
		mapPub, web, dns string
		more             string
		// public-IP state of the interfaces: "" none, "public", or a
		// substring of PublicIPUnknown.
		webPub, otherPub, sparePub string
		dnsWhy                     string
	}{
		{name: "all decided", mapPub: "false", web: webPlain, dns: "true"},
		{name: "MapPublicIpOnLaunch undecided", mapPub: "!ImportValue MapIt", web: webPlain, dns: "false",
			webPub: "Web sets no AssociatePublicIpAddress, and Public.MapPublicIpOnLaunch: "},
		{name: "MapPublicIpOnLaunch true", mapPub: "true", web: webPlain, dns: "false", webPub: "public"},
		{name: "AssociatePublicIpAddress undecided", mapPub: "true", dns: "false",
			web:    "{NetworkInterfaces: [{DeviceIndex: '0', SubnetId: !Ref Public, AssociatePublicIpAddress: !ImportValue PubIt}]}",
			webPub: "Web.NetworkInterfaces[0].AssociatePublicIpAddress: "},
		{name: "PrivateDnsEnabled undecided", mapPub: "false", web: webPlain, dns: "!Ref Dns", dnsWhy: "Sts.PrivateDnsEnabled: "},
		{name: "EIP on an undecided instance", mapPub: "false", web: webPlain, dns: "false",
			more:   "  Eip:\n    Type: AWS::EC2::EIP\n    Properties: {Domain: vpc, InstanceId: !ImportValue TheInstance}\n",
			webPub: "the Elastic IP of Eip may be associated with it", otherPub: "the Elastic IP of Eip may be associated with it"},
		{name: "EIP association to an undecided interface", mapPub: "true", web: webPlain, dns: "false",
			more:   "  Eip:\n    Type: AWS::EC2::EIP\n    Properties: {Domain: vpc}\n  Assoc:\n    Type: AWS::EC2::EIPAssociation\n    Properties: {AllocationId: !GetAtt Eip.AllocationId, NetworkInterfaceId: !ImportValue TheEni}\n",
			webPub: "public", otherPub: "the Elastic IP of Assoc may be associated with it", sparePub: "the Elastic IP of Assoc may be associated with it"},
		{name: "EIP on a decided instance", mapPub: "false", web: webPlain, dns: "false",
			more:   "  Eip:\n    Type: AWS::EC2::EIP\n    Properties: {Domain: vpc, InstanceId: !Ref Web}\n",
			webPub: "public"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.NewReplacer("%MAP%", c.mapPub, "%WEB%", c.web, "%DNS%", c.dns, "%MORE%", c.more).Replace(undecidedNet)
			m, tm := build(t, src, nil)
			for name, want := range map[string]string{"eni-(Web)": c.webPub, "eni-(Other)": c.otherPub, "eni-(Spare)": c.sparePub} {
				e := m.ENIs[name]
				if e == nil {
					t.Fatalf("no %s in %v", name, model.SortedKeys(m.ENIs))
				}
				switch {
				case want == "public" && (len(e.PublicIPs) != 1 || e.PublicIPUnknown != ""):
					t.Errorf("%s: want a public IP, have %v (%q)", name, e.PublicIPs, e.PublicIPUnknown)
				case want == "" && (len(e.PublicIPs) != 0 || e.PublicIPUnknown != ""):
					t.Errorf("%s: want no public IP, have %v (%q)", name, e.PublicIPs, e.PublicIPUnknown)
				case want != "" && want != "public" && (len(e.PublicIPs) != 0 || !strings.Contains(e.PublicIPUnknown, want)):
					t.Errorf("%s: want undecided %q, have %v (%q)", name, want, e.PublicIPs, e.PublicIPUnknown)
				}
			}
			ep := m.Endpoints["vpce-(Sts)"]
			if c.dnsWhy == "" && ep.PrivateDNSUnknown != "" || !strings.HasPrefix(ep.PrivateDNSUnknown, c.dnsWhy) {
				t.Errorf("endpoint private DNS undecided %q, want %q", ep.PrivateDNSUnknown, c.dnsWhy)
			}
			if c.dnsWhy != "" && ep.PrivateDNS {
				t.Errorf("undecided private DNS is on")
			}
			for _, w := range tm.Warnings {
				if strings.Contains(w.Msg, "taken as false") {
					t.Errorf("warning %q", w.Msg)
				}
			}
		})
	}
}

// TestInstanceInSubnetOutsideTemplate: an instance the template launches
// into a subnet of the network under it, without AssociatePublicIpAddress,
// takes the subnet's MapPublicIpOnLaunch from the snapshot, and has an
// undecided public IP when the snapshot does not say; with
// AssociatePublicIpAddress it is decided.
func TestInstanceInSubnetOutsideTemplate(t *testing.T) {
	base := model.New()
	for _, k := range []model.Kind{model.KindVPC, model.KindSubnet, model.KindENI, model.KindInstance} {
		base.Present[k] = true
	}
	base.VPCs["vpc-1"] = &model.VPC{ID: "vpc-1", CIDRs: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}}
	base.Subnets["subnet-1"] = &model.Subnet{ID: "subnet-1", VPCID: "vpc-1", CIDR: netip.MustParsePrefix("10.1.0.0/24"), AZ: "us-east-1a"}
	base.Index()
	for _, c := range []struct {
		props, want string
		mapPublic   model.Tri
		public      bool
	}{
		{"{SubnetId: subnet-1}", "Web sets no AssociatePublicIpAddress, and whether subnet-1 maps public IPs on launch is in neither the template nor the snapshot", model.Unknown, false},
		{"{SubnetId: subnet-1}", "", model.Yes, true},
		{"{SubnetId: subnet-1}", "", model.No, false},
		{"{NetworkInterfaces: [{DeviceIndex: '0', SubnetId: subnet-1, AssociatePublicIpAddress: false}]}", "", model.Unknown, false},
		{"{NetworkInterfaces: [{DeviceIndex: '0', SubnetId: subnet-1, AssociatePublicIpAddress: true}]}", "", model.No, true},
	} {
		base.Subnets["subnet-1"].MapPublicIP = c.mapPublic
		tm, err := Parse("t.yaml", []byte("Resources:\n  Web:\n    Type: AWS::EC2::Instance\n    Properties: "+c.props+"\n"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		m, err := Overlay(base, tm)
		if err != nil {
			t.Fatal(err)
		}
		e := m.ENIs["eni-(Web)"]
		if e == nil || e.PublicIPUnknown != c.want || (len(e.PublicIPs) == 1) != c.public {
			t.Errorf("%s over MapPublicIpOnLaunch %s: interface %+v, want undecided %q, public %v", c.props, c.mapPublic, e, c.want, c.public)
		}
	}
}

// TestUndecidedEndpointType: a VpcEndpointType the template does not
// decide is told by what the endpoint is given (model.EndpointTypeFrom),
// as an assumption; when nothing tells, it is CloudFormation's default,
// Gateway, with a warning.
func TestUndecidedEndpointType(t *testing.T) {
	const tmpl = `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16, EnableDnsHostnames: true, EnableDnsSupport: true}
  Private:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}
  Rt:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: endpoints, VpcId: !Ref Vpc}
  Ep:
    Type: AWS::EC2::VPCEndpoint
    Properties: {VpcId: !Ref Vpc, ServiceName: %SVC%, VpcEndpointType: !ImportValue EpType, %GIVEN%}
`
	for _, c := range []struct{ svc, given, want, warn string }{
		{"com.amazonaws.us-east-1.sts", "SubnetIds: [!Ref Private], SecurityGroupIds: [!Ref Sg]", model.EndpointInterface, ""},
		{"com.amazonaws.us-east-1.s3", "RouteTableIds: [!Ref Rt]", model.EndpointGateway, ""},
		{"com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", "SubnetIds: [!Ref Private]", model.EndpointGateway, "taken as Gateway"},
	} {
		m, tm := build(t, strings.NewReplacer("%SVC%", c.svc, "%GIVEN%", c.given).Replace(tmpl), nil)
		ep := m.Endpoints["vpce-(Ep)"]
		if ep == nil || ep.Type != c.want {
			t.Fatalf("%s given %s: %+v, want type %s", c.svc, c.given, ep, c.want)
		}
		if as := strings.Join(m.Assumptions[ep.ID], " "); !strings.Contains(as, "taken as "+c.want) {
			t.Errorf("%s: assumptions %q", c.svc, as)
		}
		warned := false
		for _, w := range tm.Warnings {
			warned = warned || strings.Contains(w.Msg, "type is unknown")
		}
		if warned != (c.warn != "") {
			t.Errorf("%s given %s: warned %v: %+v", c.svc, c.given, warned, tm.Warnings)
		}
	}
}
