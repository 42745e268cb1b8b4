package simulate

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// The edge of the model: virtual private gateways, Site-to-Site VPN
// connections and Direct Connect (aws-semantics: virtual private gateways,
// Site-to-Site VPN, Direct Connect; Site-to-Site VPN User Guide, "Route
// tables and VPN route priority",
// https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNRoutingTypes.html).
// On-premises is outside the model: a packet that leaves by a connection
// with an UP tunnel (or by an available Direct Connect virtual interface)
// is reachable to the edge, with the assumption that on-premises delivers
// it and routes the reply back; every tunnel DOWN and no Direct Connect is
// blocked there.

// virtualGateway is a virtual private gateway a subnet route sends the
// packet to. Reply: the reply comes back from on-premises through it.
func (t *tracer) virtualGateway(f *flight) bool {
	id := f.at.id
	if t.onPrem != nil {
		if t.ret {
			return t.vgwReplyOut(f)
		}
		return t.vgwIn(f)
	}
	if t.ret {
		if t.edgeRouted(id) {
			return false
		}
		t.allow(Hop{Component: CompVGW, ID: id, Direction: Ingress, Code: CodeVGWForwards, Rule: "attached", Ref: resourceRef(id),
			Reason: fmt.Sprintf("the reply from %s comes back into %s", f.src, f.at.vpc)})
		f.at = loc{el: elArrive, vpc: t.src.VPCID, eni: t.src}
		return true
	}
	vgw := t.m.VPNGateways[id]
	if vgw == nil {
		t.naclCheck(f.at.sub, true, f.packet)
		if t.dead() {
			return false
		}
		t.unknown(Hop{Component: CompVGW, ID: id, Direction: Forward, Code: CodeMissingData, Rule: string(model.TargetVPNGateway), Ref: resourceRef(id), Reason: missingRef(t.m, id, model.KindVPNGateway)},
			"add describe-vpn-gateways and describe-vpn-connections output to the snapshot")
		return false
	}
	if f.at.vpc != t.src.VPCID {
		// A packet that entered this VPC by a transit gateway or peering
		// cannot leave by its VPN (no edge-to-edge routing).
		t.deny(Hop{Component: CompVGW, ID: id, Direction: Forward, Code: CodeNoEdgeToEdge, Rule: "no edge-to-edge routing", Ref: resourceRef(id),
			Reason: fmt.Sprintf("the packet entered %s from another VPC: it cannot leave by %s, which carries only the VPC's own traffic", f.at.vpc, id)},
			"attach the VPN to the transit gateway instead (a VPN attachment) and route to it there")
		return false
	}
	if !vgw.AttachedTo(f.at.vpc) {
		t.deny(Hop{Component: CompVGW, ID: id, Direction: Forward, Code: CodeGatewayNotAttached, Rule: "not attached", Ref: resourceRef(id),
			Reason: fmt.Sprintf("%s is not attached to %s", id, f.at.vpc)},
			fmt.Sprintf("attach it (aws ec2 attach-vpn-gateway --vpn-gateway-id %s --vpc-id %s)", id, f.at.vpc))
		return false
	}
	t.naclCheck(f.at.sub, true, f.packet)
	if t.dead() {
		return false
	}
	t.allow(Hop{Component: CompVGW, ID: id, Direction: Forward, Code: CodeVGWForwards, Rule: "attached", Ref: resourceRef(id), Reason: fmt.Sprintf("%s, attached to %s, carries the packet to on-premises", id, f.at.vpc)})
	if !t.edgeOut(f, id, CompVGW) {
		return false
	}
	t.turn(f, loc{el: elVGW, vpc: f.at.vpc, id: id}, t.q.Ephemeral)
	return true
}

// edgeOut decides whether gateway gw (a virtual private gateway or a
// transit gateway's VPN or Direct Connect attachment, comp) gets the
// packet on-premises: by a VPN connection with an UP tunnel and a route
// for the destination, else by a Direct Connect gateway with an available
// virtual interface.
func (t *tracer) edgeOut(f *flight, gw string, comp Component) bool {
	return t.edgeOutBy(f, gw, comp, t.m.VPNConnectionsOf(gw), t.m.DXGatewaysOf(gw))
}

func (t *tracer) edgeOutBy(f *flight, gw string, comp Component, conns []*model.VPNConnection, dxgws []*model.DXGateway) bool {
	var down, noRoute []string
	var undecided *model.VPNConnection
	for _, c := range conns {
		if c.State != "" && c.State != "available" {
			down = append(down, c.ID+" ("+c.State+")")
			continue
		}
		// A connection's own static routes tell a virtual private gateway
		// where to send; on a transit gateway the static routes are the
		// gateway table's (Site-to-Site VPN User Guide, "Static and
		// dynamic routing"), which already chose this attachment.
		if c.StaticRoutesOnly == model.Yes && c.TransitGatewayID == "" {
			covers, undecided := vpnRouteCovers(c, f.dst)
			if undecided != "" && !covers {
				t.unknown(Hop{Component: CompVPNConnection, ID: c.ID, Direction: Egress, Code: CodeUndecidedAttribute, Rule: "static route undecided", Ref: resourceRef(c.ID), Reason: undecided}, "")
				return false
			}
			if !covers {
				noRoute = append(noRoute, c.ID)
				continue
			}
		}
		switch c.AnyTunnelUp() {
		case model.Yes:
			up := ""
			for _, tn := range c.Tunnels {
				if tn.Status == "UP" {
					up = tn.OutsideIP.String()
					break
				}
			}
			cgw := c.CustomerGatewayID
			if g := t.m.CustomerGateways[cgw]; g != nil && g.IP.IsValid() {
				cgw += " (" + g.IP.String() + ")"
			}
			t.allow(Hop{Component: CompVPNConnection, ID: c.ID, Direction: Egress, Code: CodeVPNTunnelUp, Rule: "tunnel UP", Ref: resourceRef(c.ID),
				Reason: fmt.Sprintf("leaves AWS through the tunnel at %s, UP, to customer gateway %s", up, orDash(cgw))})
			if c.StaticRoutesOnly != model.Yes && c.TransitGatewayID == "" {
				t.assume(fmt.Sprintf("the customer gateway of %s advertises a route for %s over BGP (BGP routes are in no describe output)", c.ID, f.dst))
			}
			t.edgeAssumption(f, c.ID)
			return true
		case model.No:
			down = append(down, c.ID)
		default:
			if undecided == nil {
				undecided = c
			}
		}
	}
	for _, g := range dxgws {
		var vifs []string
		for _, v := range t.m.VirtualInterfacesOf(g.ID) {
			if v.Up() {
				vifs = append(vifs, v.ID)
			}
		}
		if len(vifs) > 0 {
			t.allow(Hop{Component: CompDXGateway, ID: g.ID, Direction: Egress, Code: CodeDXInterfaceUp, Rule: "virtual interface up", Ref: resourceRef(g.ID),
				Reason: fmt.Sprintf("leaves AWS by Direct Connect gateway %s over virtual interface %s (available, BGP up)", g.ID, strings.Join(vifs, ", "))})
			t.assume(fmt.Sprintf("on-premises advertises a route for %s to %s over BGP (BGP routes are in no describe output)", f.dst, g.ID))
			t.edgeAssumption(f, g.ID)
			return true
		}
		down = append(down, g.ID+" (no virtual interface up)")
	}
	for _, v := range t.m.VirtualInterfacesOf(gw) { // private virtual interfaces straight on a VGW
		if v.Up() {
			t.allow(Hop{Component: CompDXGateway, ID: v.ID, Direction: Egress, Code: CodeDXInterfaceUp, Rule: "virtual interface up", Ref: resourceRef(v.ID),
				Reason: fmt.Sprintf("leaves AWS over Direct Connect virtual interface %s on %s", v.ID, gw)})
			t.edgeAssumption(f, v.ID)
			return true
		}
	}
	switch {
	case undecided != nil:
		t.noTelemetry(undecided, Egress)
	case len(down) > 0:
		id := strings.Fields(down[0])[0]
		at, code := CompVPNConnection, CodeVPNTunnelsDown
		if !strings.HasPrefix(id, "vpn-") {
			at, code = CompDXGateway, CodeDXInterfacesDown
		}
		t.deny(Hop{Component: at, ID: id, Direction: Egress, Code: code, Rule: "all tunnels DOWN", Ref: resourceRef(id),
			Reason: fmt.Sprintf("every way on-premises from %s is down: %s has no tunnel UP, and no Direct Connect virtual interface is available", gw, strings.Join(down, ", "))},
			"bring a tunnel up: check the customer gateway's IKE and IPsec settings and its outside address (aws ec2 describe-vpn-connections --vpn-connection-ids "+id+")")
	default:
		why := fmt.Sprintf("%s has no VPN connection or Direct Connect gateway in the snapshot that carries %s", gw, f.dst)
		code := CodeNoEdgeConnection
		if len(noRoute) > 0 {
			why = fmt.Sprintf("%s (static routes only) has no route for %s", strings.Join(noRoute, ", "), f.dst)
			code = CodeVPNNoRoute
		}
		t.deny(Hop{Component: comp, ID: gw, Direction: Egress, Code: code, Rule: "no connection", Ref: resourceRef(gw), Reason: why},
			fmt.Sprintf("add a static route for %s to the VPN connection (aws ec2 create-vpn-connection-route), or advertise it over BGP", f.dst))
	}
	return false
}

// edgeAssumption records that on-premises delivers and answers.
func (t *tracer) edgeAssumption(f *flight, by string) {
	t.assume(fmt.Sprintf("on-premises delivers the packet to %s and routes the reply back by %s (outside AWS, not modelled)", f.dst, by))
}

// vpnRouteCovers reports whether a static route of c covers a; undecided
// names a route whose destination the source does not decide.
func vpnRouteCovers(c *model.VPNConnection, a netip.Addr) (covers bool, undecided string) {
	for _, r := range c.Routes {
		if r.Unknown != "" {
			undecided = fmt.Sprintf("a static route of %s may cover %s: %s", c.ID, a, r.Unknown)
			continue
		}
		if r.Dest.Contains(a) && (r.State == "" || r.State == "available") {
			return true, ""
		}
	}
	return false, undecided
}

// edgeByAttachment is a transit gateway route to a VPN or Direct Connect
// gateway attachment: the packet leaves AWS there, and the reply comes
// back on that attachment, routed by its associated table.
func (t *tracer) edgeByAttachment(f *flight, tgwID string, out *model.TGWAttachment) bool {
	var conns []*model.VPNConnection
	var dxgws []*model.DXGateway
	switch out.ResourceType {
	case model.TGWAttachVPN:
		if c := t.m.VPNConnections[out.ResourceID]; c != nil {
			conns = append(conns, c)
		} else {
			t.unknown(Hop{Component: CompVPNConnection, ID: out.ResourceID, Direction: Egress, Code: CodeMissingData, Reason: missingRef(t.m, out.ResourceID, model.KindVPNConnection)},
				"add describe-vpn-connections output to the snapshot")
			return false
		}
	default:
		if g := t.m.DXGateways[out.ResourceID]; g != nil {
			dxgws = append(dxgws, g)
		} else {
			t.unknown(Hop{Component: CompDXGateway, ID: out.ResourceID, Direction: Egress, Code: CodeMissingData, Reason: missingRef(t.m, out.ResourceID, model.KindDXGateway)},
				"add aws directconnect describe-direct-connect-gateways output to the snapshot")
			return false
		}
	}
	t.allow(Hop{Component: CompTGWAttachment, ID: out.ID, Direction: Egress, Code: CodeTGWAttachmentForwards, Rule: out.ResourceType + " attachment", Ref: resourceRef(out.ID),
		Reason: fmt.Sprintf("%s hands the packet to %s", tgwID, out.ResourceID)})
	if !t.edgeOutBy(f, out.ID, CompTGWAttachment, conns, dxgws) {
		return false
	}
	t.turn(f, loc{el: elTGW, id: tgwID, via: out.ID}, t.q.Ephemeral)
	t.allow(Hop{Component: CompTGWAttachment, ID: out.ID, Direction: Ingress, Code: CodeTGWAttachmentForwards, Rule: out.ResourceType + " attachment", Ref: resourceRef(out.ID),
		Reason: fmt.Sprintf("the reply from %s arrives on %s (assumed: on-premises routes it back this way)", f.src, out.ID)})
	return true
}
