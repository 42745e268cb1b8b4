package snapshot

import (
	"strings"
	"testing"
)

// TestEveryReferenceIsChecked loads a snapshot in which every kind of
// reference the loader checks names a missing resource once, and pins the
// dangling references recorded: file, field, ID and kind, in order. A
// reference into a kind the snapshot does not describe, a blackhole
// route's target, a deleted NAT gateway's subnet, a deleted VPN
// connection's gateways and a detached gateway's VPC are not dangling.
func TestEveryReferenceIsChecked(t *testing.T) {
	m, _ := mustLoad(t, map[string]string{
		"v.json":   `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`,
		"s.json":   `{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-9", "CidrBlock": "10.0.1.0/24"}, {"SubnetId": "subnet-2", "VpcId": "vpc-1", "CidrBlock": "10.0.2.0/24"}]}`,
		"sg.json":  `{"SecurityGroups": []}`,
		"pcx.json": `{"VpcPeeringConnections": []}`,
		"rt.json": `{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-9", "Associations": [{"SubnetId": "subnet-9"}], "Routes": [
			{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active"},
			{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-9", "State": "active"},
			{"DestinationCidrBlock": "1.0.0.0/8", "GatewayId": "igw-9", "State": "active"},
			{"DestinationPrefixListId": "pl-12345678", "GatewayId": "vpce-9", "State": "active"},
			{"DestinationCidrBlock": "10.2.0.0/16", "VpcPeeringConnectionId": "pcx-9", "State": "active"},
			{"DestinationCidrBlock": "10.3.0.0/16", "TransitGatewayId": "tgw-9", "State": "active"},
			{"DestinationCidrBlock": "10.4.0.0/16", "GatewayId": "vgw-9", "State": "active"},
			{"DestinationCidrBlock": "10.5.0.0/16", "NatGatewayId": "nat-8", "State": "blackhole"}]}]}`,
		"acl.json":  `{"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-9", "Associations": [{"SubnetId": "subnet-9"}], "Entries": []}]}`,
		"eni.json":  `{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-9", "VpcId": "vpc-1", "PrivateIpAddress": "10.0.9.5", "Groups": [{"GroupId": "sg-9"}]}]}`,
		"vpce.json": `{"VpcEndpoints": [{"VpcEndpointId": "vpce-1", "VpcId": "vpc-9", "VpcEndpointType": "Interface", "ServiceName": "com.amazonaws.us-east-1.s3", "State": "available", "SubnetIds": ["subnet-9"], "RouteTableIds": ["rtb-9"], "NetworkInterfaceIds": ["eni-9"]}]}`,
		"nat.json":  `{"NatGateways": [{"NatGatewayId": "nat-1", "SubnetId": "subnet-9", "VpcId": "vpc-1", "State": "available"}, {"NatGatewayId": "nat-2", "SubnetId": "subnet-8", "VpcId": "vpc-1", "State": "deleted"}]}`,
		"igw.json":  `{"InternetGateways": [{"InternetGatewayId": "igw-1", "Attachments": [{"VpcId": "vpc-9", "State": "available"}]}]}`,
		"tgw.json":  `{"TransitGateways": []}`,
		"att.json": `{"TransitGatewayAttachments": [
			{"TransitGatewayAttachmentId": "tgw-attach-1", "TransitGatewayId": "tgw-8", "ResourceType": "vpc", "ResourceId": "vpc-7", "State": "available", "Association": {"TransitGatewayRouteTableId": "tgw-rtb-00000009", "State": "associated"}},
			{"TransitGatewayAttachmentId": "tgw-attach-2", "TransitGatewayId": "tgw-7", "ResourceType": "vpn", "ResourceId": "vpn-9", "State": "available"}]}`,
		"vpcatt.json":                  `{"TransitGatewayVpcAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1", "TransitGatewayId": "tgw-8", "VpcId": "vpc-7", "SubnetIds": ["subnet-7"], "State": "available"}]}`,
		"tables.json":                  `{"TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": "tgw-rtb-00000001", "TransitGatewayId": "tgw-6", "State": "available"}]}`,
		"routes-tgw-rtb-00000001.json": `{"Routes": [{"DestinationCidrBlock": "10.6.0.0/16", "Type": "static", "State": "active", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-9"}]}]}`,
		"assoc-tgw-rtb-0000000c.json":  `{"Associations": [{"TransitGatewayAttachmentId": "tgw-attach-2", "ResourceType": "vpn", "ResourceId": "vpn-9", "State": "associated"}]}`,
		"cgw.json":                     `{"CustomerGateways": []}`,
		"vpn.json": `{"VpnConnections": [{"VpnConnectionId": "vpn-1", "State": "available", "CustomerGatewayId": "cgw-9", "VpnGatewayId": "vgw-8"},
			{"VpnConnectionId": "vpn-2", "State": "deleted", "CustomerGatewayId": "cgw-8", "VpnGatewayId": "vgw-7", "TransitGatewayId": "tgw-5"}]}`,
		"vgw.json":  `{"VpnGateways": [{"VpnGatewayId": "vgw-1", "State": "available", "VpcAttachments": [{"VpcId": "vpc-6", "State": "attached"}, {"VpcId": "vpc-5", "State": "detached"}]}]}`,
		"dxgw.json": `{"directConnectGateways": []}`,
		"vif.json":  `{"virtualInterfaces": [{"virtualInterfaceId": "dxvif-1", "virtualGatewayId": "vgw-6", "directConnectGatewayId": "dxgw-9"}]}`,
	})
	var got []string
	for _, d := range m.Dangling {
		got = append(got, d.Origin+" | "+d.Field+" | "+d.ID+" | "+string(d.Kind))
	}
	want := []string{
		"snap/s.json | Subnets (subnet-1).VpcId | vpc-9 | Vpcs",
		"snap/rt.json | RouteTables (rtb-1).VpcId | vpc-9 | Vpcs",
		"snap/rt.json | RouteTables (rtb-1).Associations.SubnetId | subnet-9 | Subnets",
		"snap/rt.json | RouteTables (rtb-1).Routes (0.0.0.0/0) | nat-9 | NatGateways",
		"snap/rt.json | RouteTables (rtb-1).Routes (1.0.0.0/8) | igw-9 | InternetGateways",
		"snap/rt.json | RouteTables (rtb-1).Routes (pl-12345678) | vpce-9 | VpcEndpoints",
		"snap/rt.json | RouteTables (rtb-1).Routes (10.2.0.0/16) | pcx-9 | VpcPeeringConnections",
		"snap/acl.json | NetworkAcls (acl-1).VpcId | vpc-9 | Vpcs",
		"snap/acl.json | NetworkAcls (acl-1).Associations.SubnetId | subnet-9 | Subnets",
		"snap/eni.json | NetworkInterfaces (eni-1).SubnetId | subnet-9 | Subnets",
		"snap/eni.json | NetworkInterfaces (eni-1).Groups | sg-9 | SecurityGroups",
		"snap/vpce.json | VpcEndpoints (vpce-1).VpcId | vpc-9 | Vpcs",
		"snap/vpce.json | VpcEndpoints (vpce-1).SubnetIds | subnet-9 | Subnets",
		"snap/vpce.json | VpcEndpoints (vpce-1).RouteTableIds | rtb-9 | RouteTables",
		"snap/vpce.json | VpcEndpoints (vpce-1).NetworkInterfaceIds | eni-9 | NetworkInterfaces",
		"snap/nat.json | NatGateways (nat-1).SubnetId | subnet-9 | Subnets",
		"snap/igw.json | InternetGateways (igw-1).Attachments.VpcId | vpc-9 | Vpcs",
		"snap/rt.json | RouteTables (rtb-1).Routes (10.3.0.0/16) | tgw-9 | TransitGateways",
		"snap/rt.json | RouteTables (rtb-1).Routes (10.4.0.0/16) | vgw-9 | VpnGateways",
		"snap/att.json | TransitGatewayAttachments (tgw-attach-1).TransitGatewayId | tgw-8 | TransitGateways",
		"snap/att.json | TransitGatewayAttachments (tgw-attach-1).ResourceId | vpc-7 | Vpcs",
		"snap/att.json | TransitGatewayVpcAttachments (tgw-attach-1).SubnetIds | subnet-7 | Subnets",
		"snap/att.json | TransitGatewayAttachments (tgw-attach-1).Association.TransitGatewayRouteTableId | tgw-rtb-00000009 | TransitGatewayRouteTables",
		"snap/att.json | TransitGatewayAttachments (tgw-attach-2).TransitGatewayId | tgw-7 | TransitGateways",
		"snap/att.json | TransitGatewayAttachments (tgw-attach-2).ResourceId | vpn-9 | VpnConnections",
		"snap/tables.json | TransitGatewayRouteTables (tgw-rtb-00000001).TransitGatewayId | tgw-6 | TransitGateways",
		"snap/tables.json | TransitGatewayRouteTables (tgw-rtb-00000001).Routes (10.6.0.0/16).TransitGatewayAttachmentId | tgw-attach-9 | TransitGatewayAttachments",
		"snap/assoc-tgw-rtb-0000000c.json | TransitGatewayRouteTableId | tgw-rtb-0000000c | TransitGatewayRouteTables",
		"snap/vpn.json | VpnConnections (vpn-1).CustomerGatewayId | cgw-9 | CustomerGateways",
		"snap/vpn.json | VpnConnections (vpn-1).VpnGatewayId | vgw-8 | VpnGateways",
		"snap/vpn.json | VpnConnections (vpn-2).CustomerGatewayId | cgw-8 | CustomerGateways",
		"snap/vgw.json | VpnGateways (vgw-1).VpcAttachments.VpcId | vpc-6 | Vpcs",
		"snap/vif.json | virtualInterfaces (dxvif-1).virtualGatewayId | vgw-6 | VpnGateways",
		"snap/vif.json | virtualInterfaces (dxvif-1).directConnectGatewayId | dxgw-9 | directConnectGateways",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("dangling references:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
