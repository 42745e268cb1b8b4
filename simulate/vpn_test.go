package simulate

import (
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// onPrem returns vpc-1 with vgw-1 attached, subnet-a routing 192.168.0.0/16
// to it, and vpn-1 on vgw-1 with tunnels (status UP or DOWN).
func onPrem(t *testing.T, tunnels ...string) *testNet {
	n := newNet(t)
	for _, k := range []model.Kind{model.KindVPNGateway, model.KindVPNConnection, model.KindDXGateway} {
		n.m.Present[k] = true
	}
	n.m.VPNGateways["vgw-1"] = &model.VPNGateway{ID: "vgw-1", State: "available", Attachments: []model.VGWAttachment{{VPCID: "vpc-1", State: "attached"}}}
	c := &model.VPNConnection{ID: "vpn-1", State: "available", VPNGatewayID: "vgw-1", CustomerGatewayID: "cgw-1", TunnelsKnown: tunnels != nil}
	for i, s := range tunnels {
		c.Tunnels = append(c.Tunnels, model.VPNTunnel{OutsideIP: addr("198.51.100." + string(rune('1'+i))), Status: s})
	}
	n.m.VPNConnections["vpn-1"] = c
	n.routes("rtb-a", []string{"subnet-a"}, "192.168.0.0/16 vgw-1")
	n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
	return n
}

func TestVPNAnUpTunnelIsReachableToTheEdge(t *testing.T) {
	n := onPrem(t, "DOWN", "UP")
	r := n.trace("eni-a", "192.168.5.5", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	if !hasHop(r.Hops, CompVPNConnection) || !hasHop(r.Hops, CompVGW) || !hasHop(r.ReturnHops, CompVGW) {
		t.Errorf("want vgw and vpn-connection hops: %v / %v", components(r.Hops), components(r.ReturnHops))
	}
	found := false
	for _, a := range r.Assumptions {
		found = found || strings.Contains(a, "on-premises delivers the packet to 192.168.5.5 and routes the reply back")
	}
	if !found {
		t.Errorf("the on-premises assumption is missing: %v", r.Assumptions)
	}
}

func TestVPNAllTunnelsDownWithoutDirectConnectIsBlocked(t *testing.T) {
	n := onPrem(t, "DOWN", "DOWN")
	expect(t, n.trace("eni-a", "192.168.5.5", "tcp", 443), Blocked, CompVPNConnection, "vpn-1", false)
	// A Direct Connect gateway with an available virtual interface carries it.
	n.m.DXGateways["dxgw-1"] = &model.DXGateway{ID: "dxgw-1", State: "available", Associations: []model.DXGatewayAssociation{{GatewayID: "vgw-1", State: "associated"}}}
	n.m.VirtualInterfaces["dxvif-1"] = &model.VirtualInterface{ID: "dxvif-1", State: "available", DXGatewayID: "dxgw-1", BGPPeers: []model.BGPPeer{{Status: "up"}}}
	r := n.trace("eni-a", "192.168.5.5", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	if !hasHop(r.Hops, CompDXGateway) {
		t.Errorf("want a direct-connect-gateway hop: %v", components(r.Hops))
	}
	n.m.VirtualInterfaces["dxvif-1"].State = "down"
	expect(t, n.trace("eni-a", "192.168.5.5", "tcp", 443), Blocked, CompVPNConnection, "vpn-1", false)
}

func TestVPNWithoutTelemetryIsUnknown(t *testing.T) {
	n := onPrem(t)
	expect(t, n.trace("eni-a", "192.168.5.5", "tcp", 443), Unknown, CompVPNConnection, "vpn-1", false)
}

func TestVPNStaticRoutesOnlyNeedARoute(t *testing.T) {
	n := onPrem(t, "UP")
	c := n.m.VPNConnections["vpn-1"]
	c.StaticRoutesOnly = model.Yes
	c.Routes = []model.VPNStaticRoute{{Dest: pfx("192.168.9.0/24"), State: "available"}}
	expect(t, n.trace("eni-a", "192.168.5.5", "tcp", 443), Blocked, CompVGW, "vgw-1", false)
	expect(t, n.trace("eni-a", "192.168.9.5", "tcp", 443), Reachable, "", "", false)
}

func TestVPNGatewayNotAttachedIsBlocked(t *testing.T) {
	n := onPrem(t, "UP")
	n.m.VPNGateways["vgw-1"].Attachments[0].State = "detached"
	expect(t, n.trace("eni-a", "192.168.5.5", "tcp", 443), Blocked, CompVGW, "vgw-1", false)
}

func TestVPNAttachmentOfATransitGateway(t *testing.T) {
	n := hub(t)
	n.m.Present[model.KindVPNConnection] = true
	n.m.VPNConnections["vpn-t"] = &model.VPNConnection{ID: "vpn-t", State: "available", TransitGatewayID: "tgw-1", TunnelsKnown: true,
		Tunnels: []model.VPNTunnel{{OutsideIP: addr("198.51.100.9"), Status: "UP"}}}
	n.m.TGWAttachments["att-vpn"] = &model.TGWAttachment{ID: "att-vpn", TransitGatewayID: "tgw-1", ResourceType: model.TGWAttachVPN, ResourceID: "vpn-t",
		State: "available", Association: &model.TGWAssociation{RouteTableID: "rt-shared", State: "associated"}}
	n.tgwRoutes("rt-spoke", "tgw-1", "10.9.0.0/16 att-9", "192.168.0.0/16 att-vpn")
	n.routes("rtb-a", []string{"subnet-a"}, "10.0.0.0/8 tgw-1", "192.168.0.0/16 tgw-1")
	r := n.trace("eni-a", "192.168.5.5", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	if !hasHop(r.ReturnHops, CompTransitGateway) {
		t.Errorf("the reply should be routed by the VPN attachment's table: %v", components(r.ReturnHops))
	}
	// The VPN attachment's table has no way back to vpc-1.
	n.tgwRoutes("rt-shared", "tgw-1", "10.2.0.0/16 att-2")
	expect(t, n.trace("eni-a", "192.168.5.5", "tcp", 443), Blocked, CompTransitGateway, "rt-shared", true)
	n.m.VPNConnections["vpn-t"].Tunnels[0].Status = "DOWN"
	expect(t, n.trace("eni-a", "192.168.5.5", "tcp", 443), Blocked, CompVPNConnection, "vpn-t", false)
}
