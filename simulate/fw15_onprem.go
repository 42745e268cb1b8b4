package simulate

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// Flows from on-premises through a virtual private gateway (aws-semantics:
// virtual private gateways, Site-to-Site VPN, Direct Connect; Site-to-Site
// VPN User Guide, "How AWS Site-to-Site VPN works",
// https://docs.aws.amazon.com/vpn/latest/s2svpn/how_it_works.html). The
// packet arrives by a VPN connection with a tunnel UP (or a Direct Connect
// virtual interface on the gateway), the gateway delivers it into the VPC
// it is attached to, the destination subnet's network ACL (inbound) and the
// interface's groups check it, and the reply is routed by the destination
// subnet's table, which must send the on-premises prefix to the same
// gateway (a static or propagated route). All tunnels DOWN and no Direct
// Connect delivers nothing: blocked.

// elOnPrem is on-premises, behind the gateway the flow arrives by.
const elOnPrem elem = 101

// onPremSource is a flow from on-premises: the gateway it arrives by and
// the VPN connections that may carry it.
type onPremSource struct {
	vgw   string
	conns []*model.VPNConnection
	// by is the connection or virtual interface the request arrived by,
	// comp its component: the reply leaves by it.
	by   string
	comp Component
}

// traceFromOnPrem answers a question whose source is on-premises, arriving
// by q.Via (a VPN connection or a virtual private gateway).
func traceFromOnPrem(m *model.Model, q Query, client netip.Addr) (Result, error) {
	via := strings.TrimSpace(q.Via)
	var src onPremSource
	switch {
	case strings.HasPrefix(via, "vpn-"):
		c := m.VPNConnections[via]
		if c == nil {
			return Result{}, fmt.Errorf("--via %s: %w", via, notFound(m, via, model.KindVPNConnection))
		}
		if c.VPNGatewayID == "" {
			return Result{}, fmt.Errorf("--via %s: the connection is not on a virtual private gateway (flows from on-premises through a transit gateway are not traced yet)", via)
		}
		src = onPremSource{vgw: c.VPNGatewayID, conns: []*model.VPNConnection{c}}
	case strings.HasPrefix(via, "vgw-"):
		if m.VPNGateways[via] == nil {
			return Result{}, fmt.Errorf("--via %s: %w", via, notFound(m, via, model.KindVPNGateway))
		}
		src = onPremSource{vgw: via, conns: m.VPNConnectionsOf(via)}
	default:
		return Result{}, fmt.Errorf("--via %q: want the VPN connection (vpn-...) or virtual private gateway (vgw-...) the on-premises flow arrives by", via)
	}
	dst, err := onPremDest(m, q)
	if err != nil {
		return Result{}, err
	}
	return walkOutside(m, q, client, dst, netip.Addr{}, &src), nil
}

// onPremDest finds the interface a flow from on-premises is asked about.
func onPremDest(m *model.Model, q Query) (*model.ENI, error) {
	to := strings.TrimSpace(q.To)
	if strings.HasPrefix(to, "vpce-") || isHostName(to) {
		return nil, fmt.Errorf("--to %s: from on-premises, give an interface, an instance or a private IP", to)
	}
	if a, err := netip.ParseAddr(to); err == nil {
		enis := enisByIP(m, q.StandIns, a.Unmap())
		switch len(enis) {
		case 0:
			return nil, fmt.Errorf("--to %s: no network interface in the snapshot holds this private address", to)
		case 1:
			return enis[0], nil
		}
		return nil, fmt.Errorf("--to %s: ambiguous (held in several VPCs); name the interface instead", to)
	}
	ts, _, err := resolveDest(m, q.StandIns, to, nil)
	if err != nil {
		return nil, err
	}
	return ts[0].eni, nil
}

// onPremises is where a flow from on-premises starts (it reaches AWS by a
// VPN tunnel UP or a Direct Connect virtual interface on the gateway) and
// where its reply ends.
func (t *tracer) onPremises(f *flight) bool {
	o := t.onPrem
	if t.ret {
		code := CodeVPNTunnelUp
		if o.comp == CompDXGateway {
			code = CodeDXInterfaceUp
		}
		t.allow(Hop{Component: o.comp, ID: o.by, Direction: Egress, Code: code, Rule: "on-premises", Ref: resourceRef(o.by),
			Reason: fmt.Sprintf("the reply leaves AWS by %s for %s on-premises", o.by, f.dst)})
		t.assume(fmt.Sprintf("on-premises delivers the reply to %s (outside AWS, not modelled)", f.dst))
		return false
	}
	c, up, down, undecided := tunnels(o.conns)
	if c != nil {
		t.allow(Hop{Component: CompVPNConnection, ID: c.ID, Direction: Ingress, Code: CodeVPNTunnelUp, Rule: "tunnel UP", Ref: resourceRef(c.ID),
			Reason: fmt.Sprintf("%s on-premises reaches AWS through the tunnel at %s, UP, of %s", f.src, up, c.ID)})
		t.assume(fmt.Sprintf("on-premises routes %s to %s by %s (outside AWS, not modelled)", f.dst, o.vgw, c.ID))
		o.by, o.comp = c.ID, CompVPNConnection
		f.at = loc{el: elVGW, id: o.vgw}
		return true
	}
	if !strings.HasPrefix(t.q.Via, "vpn-") {
		for _, v := range t.m.VirtualInterfacesOf(o.vgw) {
			if v.Up() {
				t.allow(Hop{Component: CompDXGateway, ID: v.ID, Direction: Ingress, Code: CodeDXInterfaceUp, Rule: "virtual interface up", Ref: resourceRef(v.ID),
					Reason: fmt.Sprintf("%s on-premises reaches AWS over Direct Connect virtual interface %s on %s", f.src, v.ID, o.vgw)})
				t.assume(fmt.Sprintf("on-premises routes %s to %s over Direct Connect (outside AWS, not modelled)", f.dst, o.vgw))
				o.by, o.comp = v.ID, CompDXGateway
				f.at = loc{el: elVGW, id: o.vgw}
				return true
			}
		}
	}
	switch {
	case undecided != nil:
		t.noTelemetry(undecided, Ingress)
	case len(down) > 0:
		id := down[0].ID
		names := make([]string, len(down))
		for i, c := range down {
			names[i] = c.ID
			if c.State != "" && c.State != "available" {
				names[i] += " (" + c.State + ")"
			}
		}
		t.deny(Hop{Component: CompVPNConnection, ID: id, Direction: Ingress, Code: CodeVPNTunnelsDown, Rule: "all tunnels DOWN", Ref: resourceRef(id),
			Reason: fmt.Sprintf("nothing from on-premises reaches %s: %s has no tunnel UP, and no Direct Connect virtual interface is available", o.vgw, strings.Join(names, ", "))},
			"bring a tunnel up: check the customer gateway's IKE and IPsec settings and its outside address (aws ec2 describe-vpn-connections --vpn-connection-ids "+id+")")
	default:
		t.deny(Hop{Component: CompVGW, ID: o.vgw, Direction: Ingress, Code: CodeNoEdgeConnection, Rule: "no connection", Ref: resourceRef(o.vgw),
			Reason: fmt.Sprintf("%s has no VPN connection or Direct Connect virtual interface in the snapshot", o.vgw)},
			"create a VPN connection to "+o.vgw+" (aws ec2 create-vpn-connection)")
	}
	return false
}

// vgwIn is the virtual private gateway a flow from on-premises enters the
// VPC by: it delivers only into the VPC it is attached to.
func (t *tracer) vgwIn(f *flight) bool {
	id, dst := f.at.id, t.dst.eni
	vgw := t.m.VPNGateways[id]
	switch {
	case vgw == nil:
		t.unknown(Hop{Component: CompVGW, ID: id, Direction: Ingress, Code: CodeMissingData, Reason: missingRef(t.m, id, model.KindVPNGateway)},
			"add describe-vpn-gateways output to the snapshot")
		return false
	case !vgw.AttachedTo(dst.VPCID):
		t.deny(Hop{Component: CompVGW, ID: id, Direction: Ingress, Code: CodeGatewayNotAttached, Rule: "not attached", Ref: resourceRef(id),
			Reason: fmt.Sprintf("%s is not attached to %s, which holds %s: a virtual private gateway delivers only into its own VPC", id, dst.VPCID, dst.ID)},
			fmt.Sprintf("a virtual private gateway serves one VPC: ask by the VPN of %s's own gateway, or move the VPN to a transit gateway both VPCs attach to", dst.VPCID))
		return false
	}
	if t.edgeRouted(id) {
		return false
	}
	t.allow(Hop{Component: CompVGW, ID: id, Direction: Ingress, Code: CodeVGWForwards, Rule: "attached", Ref: resourceRef(id), Reason: fmt.Sprintf("%s, attached to %s, delivers the packet into it", id, dst.VPCID)})
	f.at = loc{el: elArrive, vpc: dst.VPCID, eni: dst}
	return true
}

// vgwReplyOut carries the reply from the VPC to on-premises.
func (t *tracer) vgwReplyOut(f *flight) bool {
	t.allow(Hop{Component: CompVGW, ID: f.at.id, Direction: Egress, Code: CodeVGWForwards, Rule: "attached", Ref: resourceRef(f.at.id), Reason: fmt.Sprintf("carries the reply to %s to on-premises", f.dst)})
	f.at = loc{el: elOnPrem}
	return true
}

// tunnels sorts a gateway's connections: the first with a tunnel UP (and
// that tunnel's outside address), else those that carry nothing (not
// available, or every tunnel DOWN) and the first without telemetry.
func tunnels(conns []*model.VPNConnection) (upConn *model.VPNConnection, up string, down []*model.VPNConnection, undecided *model.VPNConnection) {
	for _, c := range conns {
		if c.State != "" && c.State != "available" {
			down = append(down, c)
			continue
		}
		switch c.AnyTunnelUp() {
		case model.Yes:
			for _, tn := range c.Tunnels {
				if tn.Status == "UP" {
					return c, tn.OutsideIP.String(), nil, nil
				}
			}
		case model.No:
			down = append(down, c)
		default:
			if undecided == nil {
				undecided = c
			}
		}
	}
	return nil, "", down, undecided
}

// noTelemetry records a VPN connection whose tunnel status the snapshot
// does not hold.
func (t *tracer) noTelemetry(c *model.VPNConnection, dir Direction) {
	t.unknown(Hop{Component: CompVPNConnection, ID: c.ID, Direction: dir, Code: CodeMissingData, Rule: "tunnel status unknown", Ref: resourceRef(c.ID),
		Reason: fmt.Sprintf("the snapshot has no tunnel telemetry (VgwTelemetry) for %s, so whether a tunnel is UP is unknown", c.ID)},
		"add describe-vpn-connections output (it carries VgwTelemetry) to the snapshot")
}
