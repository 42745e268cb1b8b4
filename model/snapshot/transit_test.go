package snapshot

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

const tgwVPCs = `{"Vpcs": [
  {"VpcId": "vpc-a", "CidrBlock": "10.1.0.0/16"},
  {"VpcId": "vpc-b", "CidrBlock": "10.2.0.0/16", "CidrBlockAssociationSet": [{"CidrBlock": "10.2.0.0/16", "CidrBlockState": {"State": "associated"}}, {"CidrBlock": "100.64.0.0/20", "CidrBlockState": {"State": "associated"}}]}]}`

const tgws = `{"TransitGateways": [{"TransitGatewayId": "tgw-1", "OwnerId": "111111111111", "State": "available",
  "Options": {"AmazonSideAsn": 64512, "AssociationDefaultRouteTableId": "tgw-rtb-0000000a", "PropagationDefaultRouteTableId": "tgw-rtb-0000000a",
    "DefaultRouteTableAssociation": "enable", "DefaultRouteTablePropagation": "disable", "SecurityGroupReferencingSupport": "enable", "DnsSupport": "enable"}}]}`

const tgwAttachments = `{"TransitGatewayAttachments": [
  {"TransitGatewayAttachmentId": "tgw-attach-a", "TransitGatewayId": "tgw-1", "ResourceType": "vpc", "ResourceId": "vpc-a", "State": "available",
   "Association": {"TransitGatewayRouteTableId": "tgw-rtb-0000000a", "State": "associated"}},
  {"TransitGatewayAttachmentId": "tgw-attach-b", "TransitGatewayId": "tgw-1", "ResourceType": "vpc", "ResourceId": "vpc-b", "State": "available",
   "Association": {"TransitGatewayRouteTableId": "tgw-rtb-0000000b", "State": "associated"}},
  {"TransitGatewayAttachmentId": "tgw-attach-v", "TransitGatewayId": "tgw-1", "ResourceType": "vpn", "ResourceId": "vpn-1", "State": "available"}]}`

const tgwVPCAttachments = `{"TransitGatewayVpcAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-a", "TransitGatewayId": "tgw-1", "VpcId": "vpc-a",
  "SubnetIds": ["subnet-a1", "subnet-a2"], "State": "available", "Options": {"ApplianceModeSupport": "enable", "DnsSupport": "enable", "SecurityGroupReferencingSupport": "disable"}}]}`

const tgwTables = `{"TransitGatewayRouteTables": [
  {"TransitGatewayRouteTableId": "tgw-rtb-0000000a", "TransitGatewayId": "tgw-1", "State": "available", "DefaultAssociationRouteTable": true},
  {"TransitGatewayRouteTableId": "tgw-rtb-0000000b", "TransitGatewayId": "tgw-1", "State": "available"}]}`

const vpn = `{"VpnConnections": [{"VpnConnectionId": "vpn-1", "State": "available", "CustomerGatewayId": "cgw-1", "TransitGatewayId": "tgw-1",
  "Options": {"StaticRoutesOnly": false}, "VgwTelemetry": [{"OutsideIpAddress": "3.3.3.3", "Status": "DOWN"}, {"OutsideIpAddress": "3.3.3.4", "Status": "UP", "AcceptedRouteCount": 2}]}]}`

func TestTransitGatewayFromCLIOutput(t *testing.T) {
	m, w := mustLoad(t, map[string]string{
		"vpcs.json":   tgwVPCs,
		"tgw.json":    tgws,
		"att.json":    tgwAttachments,
		"vpcatt.json": tgwVPCAttachments,
		"tables.json": tgwTables,
		"vpn.json":    vpn,
		"cgw.json":    `{"CustomerGateways": [{"CustomerGatewayId": "cgw-1", "IpAddress": "198.51.100.7", "BgpAsn": "65000", "State": "available"}]}`,
		"routes-a.json": `{"TransitGatewayRouteTableId": "tgw-rtb-0000000a", "Routes": [
		  {"DestinationCidrBlock": "10.2.0.0/16", "Type": "propagated", "State": "active", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-b", "ResourceId": "vpc-b", "ResourceType": "vpc"}]},
		  {"DestinationCidrBlock": "10.2.9.0/24", "Type": "static", "State": "blackhole"},
		  {"PrefixListId": "pl-00000001", "Type": "static", "State": "active", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-v"}]}],
		  "AdditionalRoutesAvailable": false}`,
		// The tgw-rtb- ID in the file name ties output that does not carry it.
		"ec2-search-transit-gateway-routes-tgw-rtb-0000000b.json": `{"Routes": [{"DestinationCidrBlock": "10.1.0.0/16", "Type": "propagated", "State": "active",
		  "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-a"}]}]}`,
		"props-tgw-rtb-0000000b.json": `{"TransitGatewayRouteTablePropagations": [{"TransitGatewayAttachmentId": "tgw-attach-a", "ResourceId": "vpc-a", "ResourceType": "vpc", "State": "enabled"}]}`,
		"assoc.json":                  `{"TransitGatewayRouteTableId": "tgw-rtb-0000000b", "Associations": [{"TransitGatewayAttachmentId": "tgw-attach-b", "ResourceId": "vpc-b", "ResourceType": "vpc", "State": "associated"}]}`,
	})
	g := m.TransitGateways["tgw-1"]
	if g == nil || g.ASN != 64512 || g.DefaultAssociation != model.Yes || g.DefaultPropagation != model.No || g.SecurityGroupReferencing != model.Yes ||
		g.AssociationDefaultRouteTableID != "tgw-rtb-0000000a" {
		t.Fatalf("transit gateway options: %+v", g)
	}
	a := m.TGWAttachments["tgw-attach-a"]
	if a == nil || a.ResourceType != model.TGWAttachVPC || a.ResourceID != "vpc-a" || !slices.Equal(a.Subnets, []string{"subnet-a1", "subnet-a2"}) ||
		a.ApplianceMode != model.Yes || a.SecurityGroupReferencing != model.No || a.Association == nil || a.Association.RouteTableID != "tgw-rtb-0000000a" {
		t.Fatalf("VPC attachment merged from two calls: %+v", a)
	}
	if rt := m.TGWRouteTableOf("tgw-1", "tgw-attach-b"); rt == nil || rt.ID != "tgw-rtb-0000000b" {
		t.Fatalf("table of tgw-attach-b: %+v", rt)
	}
	ra := m.TGWRouteTables["tgw-rtb-0000000a"]
	if ra.RoutesFrom != model.TGWRoutesSearched || len(ra.Routes) != 3 {
		t.Fatalf("searched routes of a: %+v", ra)
	}
	if r := ra.Routes[1]; !r.Blackhole() || r.Dest != netip.MustParsePrefix("10.2.9.0/24") || len(r.Attachments) != 0 {
		t.Errorf("blackhole route: %+v", r)
	}
	if r := ra.Routes[2]; r.DestPrefixList != "pl-00000001" || r.Type != model.TGWRouteStatic || !slices.Equal(r.Attachments, []string{"tgw-attach-v"}) {
		t.Errorf("prefix-list route: %+v", r)
	}
	rb := m.TGWRouteTables["tgw-rtb-0000000b"]
	if rb.RoutesFrom != model.TGWRoutesSearched || len(rb.Routes) != 1 || !rb.PropagationsKnown || len(rb.Propagations) != 1 || !rb.AssociationsKnown ||
		len(rb.Associations) != 1 || rb.Associations[0].AttachmentID != "tgw-attach-b" {
		t.Fatalf("table b from per-table files: %+v", rb)
	}
	c := m.VPNConnections["vpn-1"]
	if c == nil || c.AnyTunnelUp() != model.Yes || c.StaticRoutesOnly != model.No || len(c.Tunnels) != 2 || c.Tunnels[1].OutsideIP != netip.MustParseAddr("3.3.3.4") {
		t.Fatalf("VPN connection: %+v", c)
	}
	if got := m.VPNConnectionsOf("tgw-1"); len(got) != 1 {
		t.Errorf("VPN connections of tgw-1: %v", got)
	}
	if cg := m.CustomerGateways["cgw-1"]; cg == nil || cg.ASN != 65000 || cg.IP != netip.MustParseAddr("198.51.100.7") {
		t.Errorf("customer gateway: %+v", cg)
	}
	if warned(w, "not modelled") || warned(w, "unrecognised") || warned(w, "no routes collected") {
		t.Errorf("every transit file is read: %v", w)
	}
}

// Batfish saves static routes and propagations only: a VPC attachment's
// propagation stands for its VPC's CIDRs, a static route beats a
// propagated one for the same prefix, and BGP routes of a VPN attachment
// are an assumption, never silently absent.
func TestTransitGatewayBatfishLayoutDerivesPropagatedRoutes(t *testing.T) {
	m, w := mustLoad(t, map[string]string{
		"aws_configs/us-east-1/Vpcs.json":                      tgwVPCs,
		"aws_configs/us-east-1/TransitGateways.json":           tgws,
		"aws_configs/us-east-1/TransitGatewayAttachments.json": tgwAttachments,
		"aws_configs/us-east-1/TransitGatewayRouteTables.json": tgwTables,
		"aws_configs/us-east-1/TransitGatewayStaticRoutes.json": `{"TransitGatewayStaticRoutes": [{"TransitGatewayRouteTableId": "tgw-rtb-0000000a", "Routes": [
		  {"DestinationCidrBlock": "10.2.0.0/16", "State": "active", "Type": "static", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-a"}]}]}]}`,
		"aws_configs/us-east-1/TransitGatewayPropagations.json": `{"TransitGatewayPropagations": [
		  {"TransitGatewayRouteTableId": "tgw-rtb-0000000a", "TransitGatewayRouteTablePropagations": [
		    {"TransitGatewayAttachmentId": "tgw-attach-b", "ResourceId": "vpc-b", "ResourceType": "vpc", "State": "enabled"},
		    {"TransitGatewayAttachmentId": "tgw-attach-v", "ResourceId": "vpn-1", "ResourceType": "vpn", "State": "enabled"},
		    {"TransitGatewayAttachmentId": "tgw-attach-x", "ResourceId": "vpc-gone", "ResourceType": "vpc", "State": "enabled"}]},
		  {"TransitGatewayRouteTableId": "tgw-rtb-0000000b", "TransitGatewayRouteTablePropagations": []}]}`,
	})
	ra := m.TGWRouteTables["tgw-rtb-0000000a"]
	if ra.RoutesFrom != model.TGWRoutesDerived {
		t.Fatalf("routes from: %q", ra.RoutesFrom)
	}
	var got []string
	for _, r := range ra.Routes {
		got = append(got, r.DestString()+" "+r.Type+" "+strings.Join(r.Attachments, ",")+" "+r.Unknown)
	}
	want := []string{
		"10.2.0.0/16 static tgw-attach-a ",
		// vpc-b's 10.2.0.0/16 loses to the static route; its second block stays.
		"100.64.0.0/20 propagated tgw-attach-b ",
		"invalid Prefix propagated tgw-attach-x the CIDR blocks tgw-attach-x propagates from vpc-gone: the VPC's blocks are not in the model",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("routes:\n got %q\nwant %q", got, want)
	}
	if as := m.Assumptions["tgw-rtb-0000000a"]; len(as) != 1 || !strings.Contains(as[0], "tgw-attach-v (vpn vpn-1) propagates by BGP") {
		t.Errorf("BGP assumption: %q", as)
	}
	if !warned(w, "routes learned by BGP") {
		t.Errorf("the BGP gap is a warning too: %v", w)
	}
	// Table b is listed with no static routes and no propagations.
	if rb := m.TGWRouteTables["tgw-rtb-0000000b"]; rb.RoutesFrom != model.TGWRoutesDerived || len(rb.Routes) != 0 {
		t.Errorf("table b: %+v", rb)
	}
}

// Batfish's test-transit-gateway-peering: one peering attachment ID, seen
// by each account with its own gateway and association.
func TestTransitGatewayPeeringAcrossAccounts(t *testing.T) {
	view := func(tgw, owner, peer, peerOwner, table string) string {
		return `{"TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-p", "TransitGatewayId": "` + tgw + `", "TransitGatewayOwnerId": "` + owner +
			`", "ResourceType": "peering", "ResourceId": "` + peer + `", "ResourceOwnerId": "` + peerOwner + `", "State": "available",
			"Association": {"TransitGatewayRouteTableId": "` + table + `", "State": "associated"}}]}`
	}
	m, w := mustLoad(t, map[string]string{
		"accounts/111111111111/us-east-1/att.json": view("tgw-1", "111111111111", "tgw-2", "222222222222", "tgw-rtb-00000001"),
		"accounts/111111111111/us-east-1/rt.json":  `{"TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": "tgw-rtb-00000001", "TransitGatewayId": "tgw-1"}]}`,
		"accounts/222222222222/us-west-2/att.json": view("tgw-2", "222222222222", "tgw-1", "111111111111", "tgw-rtb-00000002"),
		"accounts/222222222222/us-west-2/rt.json":  `{"TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": "tgw-rtb-00000002", "TransitGatewayId": "tgw-2"}]}`,
		"accounts/222222222222/us-west-2/peer.json": `{"TransitGatewayPeeringAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-p", "State": "available",
		  "RequesterTgwInfo": {"TransitGatewayId": "tgw-1", "OwnerId": "111111111111", "Region": "us-east-1"},
		  "AccepterTgwInfo": {"TransitGatewayId": "tgw-2", "OwnerId": "222222222222", "Region": "us-west-2"}}]}`,
	})
	a := m.TGWAttachments["tgw-attach-p"]
	if a == nil || len(a.Sides) != 2 {
		t.Fatalf("peering attachment: %+v", a)
	}
	for tgw, want := range map[string]string{"tgw-1": "tgw-rtb-00000001", "tgw-2": "tgw-rtb-00000002"} {
		if rt := m.TGWRouteTableOf(tgw, "tgw-attach-p"); rt == nil || rt.ID != want {
			t.Errorf("table of tgw-attach-p on %s: %+v, want %s", tgw, rt, want)
		}
	}
	if s := a.SideOf("tgw-2"); s == nil || s.Role != "accepter" || s.Region != "us-west-2" {
		t.Errorf("accepter side: %+v", s)
	}
	if p, ok := a.PeerTGW("tgw-1"); !ok || p.TransitGatewayID != "tgw-2" {
		t.Errorf("peer of tgw-1: %+v", p)
	}
	if warned(w, "already defined") {
		t.Errorf("two accounts' views of one attachment are not a redefinition: %v", w)
	}
}

func TestVPNGatewayAndDirectConnect(t *testing.T) {
	m, w := mustLoad(t, map[string]string{
		"vpcs.json": tgwVPCs,
		"vgw.json": `{"VpnGateways": [{"VpnGatewayId": "vgw-1", "State": "available", "Type": "ipsec.1", "AmazonSideAsn": 64513,
		  "VpcAttachments": [{"VpcId": "vpc-a", "State": "attached"}, {"VpcId": "vpc-b", "State": "detached"}]}]}`,
		"vpn.json": `{"VpnConnections": [{"VpnConnectionId": "vpn-2", "State": "available", "CustomerGatewayId": "cgw-1", "VpnGatewayId": "vgw-1",
		  "Options": {"StaticRoutesOnly": true}, "Routes": [{"DestinationCidrBlock": "192.168.0.0/16", "State": "available"}]}]}`,
		// The Direct Connect API's camelCase keys, as the CLI prints them.
		"dxgw.json":  `{"directConnectGateways": [{"directConnectGatewayId": "dxgw-1", "directConnectGatewayName": "dx", "amazonSideAsn": 64514, "ownerAccount": "111111111111", "directConnectGatewayState": "available"}]}`,
		"assoc.json": `{"directConnectGatewayAssociations": [{"associationId": "as-1", "directConnectGatewayId": "dxgw-1", "associationState": "associated", "associatedGateway": {"id": "vgw-1", "type": "virtualPrivateGateway", "ownerAccount": "111111111111", "region": "us-east-1"}, "allowedPrefixesToDirectConnectGateway": [{"cidr": "10.1.0.0/16"}]}]}`,
		"vif.json":   `{"virtualInterfaces": [{"virtualInterfaceId": "dxvif-1", "virtualInterfaceType": "private", "virtualInterfaceState": "available", "directConnectGatewayId": "dxgw-1", "vlan": 101, "asn": 65010, "bgpPeers": [{"bgpPeerId": "p1", "bgpPeerState": "available", "bgpStatus": "up"}]}]}`,
	})
	if g := m.VPNGatewaysOf("vpc-a"); len(g) != 1 || g[0].ASN != 64513 {
		t.Fatalf("VGW of vpc-a: %v", g)
	}
	if g := m.VPNGatewaysOf("vpc-b"); len(g) != 0 {
		t.Errorf("a detached VGW routes nothing: %v", g)
	}
	c := m.VPNConnections["vpn-2"]
	if c.StaticRoutesOnly != model.Yes || len(c.Routes) != 1 || c.TunnelsKnown || c.AnyTunnelUp() != model.Unknown {
		t.Errorf("VPN without telemetry: %+v", c)
	}
	dx := m.DXGatewaysOf("vgw-1")
	if len(dx) != 1 || dx[0].ASN != 64514 || !dx[0].AssociationsKnown || dx[0].Associations[0].AllowedPrefixes[0] != netip.MustParsePrefix("10.1.0.0/16") {
		t.Fatalf("DX gateway of vgw-1: %+v", dx)
	}
	if v := m.VirtualInterfacesOf("dxgw-1"); len(v) != 1 || !v[0].Up() || v[0].VLAN != 101 {
		t.Errorf("virtual interfaces: %+v", v)
	}
	// vpn-2 names cgw-1 but no customer gateways were described: a gap,
	// not a dangling reference.
	if warned(w, "dangling") {
		t.Errorf("warnings: %v", w)
	}
}

func TestTransitDanglingAndBadInput(t *testing.T) {
	_, w := mustLoad(t, map[string]string{
		"vpcs.json":                  tgwVPCs,
		"tgw.json":                   tgws,
		"att.json":                   `{"TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-z", "TransitGatewayId": "tgw-9", "ResourceType": "vpc", "ResourceId": "vpc-z", "State": "available"}]}`,
		"rt.json":                    `{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-a", "Routes": [{"DestinationCidrBlock": "10.0.0.0/8", "TransitGatewayId": "tgw-7", "State": "active"}]}]}`,
		"cgw.json":                   `{"CustomerGateways": []}`,
		"vpn.json":                   `{"VpnConnections": [{"VpnConnectionId": "vpn-3", "State": "available", "CustomerGatewayId": "cgw-9", "TransitGatewayId": "tgw-1"}]}`,
		"routes.json":                `{"Routes": [{"DestinationCidrBlock": "10.0.0.0/8", "Type": "static", "State": "active"}]}`,
		"more-tgw-rtb-0000000c.json": `{"Routes": [], "AdditionalRoutesAvailable": true}`,
	})
	for _, want := range []string{
		"TransitGatewayAttachments (tgw-attach-z).TransitGatewayId: tgw-9 is not among the snapshot's TransitGateways",
		"TransitGatewayAttachments (tgw-attach-z).ResourceId: vpc-z is not among the snapshot's Vpcs",
		"RouteTables (rtb-1).Routes (10.0.0.0/8): tgw-7 is not among the snapshot's TransitGateways",
		"VpnConnections (vpn-3).CustomerGatewayId: cgw-9 is not among the snapshot's CustomerGateways",
		"routes.json: transit gateway routes without a route table ID",
		"more-tgw-rtb-0000000c.json: search-transit-gateway-routes output for tgw-rtb-0000000c says AdditionalRoutesAvailable",
	} {
		if !warned(w, want) {
			t.Errorf("no warning %q in %v", want, w)
		}
	}
	for _, tc := range []struct{ name, file, want string }{
		{"bad route CIDR", `{"TransitGatewayRouteTableId": "tgw-rtb-0000000a", "Routes": [{"DestinationCidrBlock": "10.0.0/8", "Type": "static", "State": "active"}]}`,
			`Routes[0] (tgw-rtb-0000000a).DestinationCidrBlock: bad CIDR "10.0.0/8"`},
		{"route without destination", `{"TransitGatewayRouteTableId": "tgw-rtb-0000000a", "Routes": [{"Type": "static", "State": "active"}]}`, "route has no destination"},
		{"attachment without gateway", `{"TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1"}]}`, "TransitGatewayAttachments[0] (tgw-attach-1).TransitGatewayId: missing"},
		{"bad BGP ASN", `{"CustomerGateways": [{"CustomerGatewayId": "cgw-1", "BgpAsn": "sixty"}]}`, `CustomerGateways[0] (cgw-1).BgpAsn: want an AS number`},
		{"tunnel address", `{"VpnConnections": [{"VpnConnectionId": "vpn-1", "VgwTelemetry": [{"OutsideIpAddress": "3.3.3"}]}]}`, "VgwTelemetry[0].OutsideIpAddress"},
		{"wrong type", `{"TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": 7}]}`, "TransitGatewayRouteTables[0]"},
	} {
		_, _, err := load(t, map[string]string{"bad.json": tc.file})
		var le *Error
		if !errors.As(err, &le) || le.File != "snap/bad.json" || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error in snap/bad.json naming %q", tc.name, err, tc.want)
		}
	}
}

// AWS associates an attachment with one table; sources that say otherwise
// (moto keeps the default association when asked for a second) are
// reported, and the attachment's own Association decides.
func TestTransitGatewayAssociationConflict(t *testing.T) {
	m, w := mustLoad(t, map[string]string{
		"tgw.json":                    tgws,
		"att.json":                    tgwAttachments,
		"tables.json":                 tgwTables,
		"assoc-tgw-rtb-0000000a.json": `{"Associations": [{"TransitGatewayAttachmentId": "tgw-attach-b", "State": "associated"}]}`,
		"assoc-tgw-rtb-0000000b.json": `{"Associations": [{"TransitGatewayAttachmentId": "tgw-attach-b", "State": "associated"}]}`,
	})
	if !warned(w, "tgw-attach-b is listed as associated with 2 route tables of tgw-1 (tgw-rtb-0000000a, tgw-rtb-0000000b), where AWS allows one; its own Association (tgw-rtb-0000000b) is used") {
		t.Errorf("warnings: %v", w)
	}
	if rt := m.TGWRouteTableOf("tgw-1", "tgw-attach-b"); rt == nil || rt.ID != "tgw-rtb-0000000b" {
		t.Errorf("table of tgw-attach-b: %+v", rt)
	}
}

// Per-table files for a table that no describe output lists: the table
// takes its gateway from its attachments; when the route tables were
// described, it is a dangling reference naming the file.
func TestTransitGatewayTableFromPerTableFilesOnly(t *testing.T) {
	files := map[string]string{
		"att.json":                     tgwAttachments,
		"routes-tgw-rtb-0000000c.json": `{"Routes": [{"DestinationCidrBlock": "10.1.0.0/16", "Type": "propagated", "State": "active", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-a"}]}]}`,
		"assoc-tgw-rtb-0000000c.json":  `{"Associations": [{"TransitGatewayAttachmentId": "tgw-attach-v", "ResourceType": "vpn", "ResourceId": "vpn-1", "State": "associated"}]}`,
	}
	m, _ := mustLoad(t, files)
	rt := m.TGWRouteTables["tgw-rtb-0000000c"]
	if rt == nil || rt.TransitGatewayID != "tgw-1" || rt.RoutesFrom != model.TGWRoutesSearched {
		t.Fatalf("table: %+v", rt)
	}
	if got := m.TGWRouteTableOf("tgw-1", "tgw-attach-v"); got != rt {
		t.Errorf("table of tgw-attach-v: %+v", got)
	}
	files["tables.json"] = tgwTables
	_, w := mustLoad(t, files)
	if !warned(w, "snap/assoc-tgw-rtb-0000000c.json: TransitGatewayRouteTableId: tgw-rtb-0000000c is not among the snapshot's TransitGatewayRouteTables") {
		t.Errorf("warnings: %v", w)
	}
}
