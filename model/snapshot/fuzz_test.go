package snapshot

import (
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary bytes to the loader as one file of a snapshot
// beside the bundled example's VPC: whatever the input, the loader returns
// a model or an error naming the file, and never panics.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		vpcs, subnets, `{"status_code": 200, "data": ` + vpcs + `}`, `{"Entries": [{"Cidr": "1.2.3.0/24"}], "PrefixListId": "pl-12345678"}`,
		`{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [{"DestinationPrefixListId": "pl-1", "GatewayId": "vpce-1"}]}]}`,
		`{"NetworkAcls": [{"NetworkAclId": "acl-1", "Entries": [{"RuleNumber": 1, "Protocol": "6", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 9, "To": 2}}]}]}`,
		`{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1, "UserIdGroupPairs": [{"GroupId": "sg-2"}]}]}]}`,
		`{"Reservations": [{"Instances": [{"InstanceId": "i-1", "NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "PrivateIpAddress": "10.0.1.5"}]}]}]}`,
		`{"HostedZone": {"Id": "/hostedzone/Z1234567"}, "VPCs": [{"VPCId": "vpc-1"}]}`, `[`, `{"Vpcs": [{"VpcId": 7}]}`, `null`,
		tgws, tgwAttachments, tgwVPCAttachments, tgwTables, vpn,
		`{"TransitGatewayRouteTableId": "tgw-rtb-0000000a", "Routes": [{"PrefixListId": "pl-1", "Type": "static", "State": "active"}]}`,
		`{"TransitGatewayRouteTableId": "tgw-rtb-0000000a", "TransitGatewayRouteTablePropagations": [{"TransitGatewayAttachmentId": "tgw-attach-a", "ResourceType": "vpc", "ResourceId": "vpc-1", "State": "enabled"}]}`,
		`{"TransitGatewayStaticRoutes": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "Routes": []}], "TransitGatewayPropagations": [{"TransitGatewayRouteTableId": "tgw-rtb-1", "TransitGatewayRouteTablePropagations": [{"TransitGatewayAttachmentId": "tgw-attach-1", "ResourceType": "vpc", "ResourceId": "vpc-1"}]}]}`,
		`{"TransitGatewayPeeringAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-p", "RequesterTgwInfo": {"TransitGatewayId": "tgw-1"}, "AccepterTgwInfo": {"TransitGatewayId": "tgw-2"}}]}`,
		`{"directConnectGatewayAssociations": [{"directConnectGatewayId": "dx-1", "associatedGateway": {"id": "tgw-1"}, "allowedPrefixesToDirectConnectGateway": [{"cidr": "10.0.0.0/8"}]}]}`,
		`{"virtualInterfaces": [{"virtualInterfaceId": "dxvif-1", "bgpPeers": [{"bgpStatus": "up"}], "routeFilterPrefixes": [{"cidr": "1.0.0.0/8"}]}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			"v.json": &fstest.MapFile{Data: []byte(vpcs)},
			"f.json": &fstest.MapFile{Data: data},
		}
		m, _, err := LoadFS(fsys, "snap")
		if err == nil && m == nil {
			t.Fatal("no model and no error")
		}
		if err != nil && len(err.Error()) == 0 {
			t.Fatal("empty error")
		}
	})
}
