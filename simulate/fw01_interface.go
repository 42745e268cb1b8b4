package simulate

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/vpcpath/vpcpath/model"
)

// leaveInterface is the network interface a packet leaves. Forward: the
// source sends (its instance must run, it must hold an address of the
// destination's family); an address AWS serves inside the VPC is answered
// there; the source's security groups check egress; the packet goes to its
// subnet's VPC router. Reply: the destination's groups pass the reply of
// the connection they admitted.
func (t *tracer) leaveInterface(f *flight) bool {
	if t.ret {
		t.stateful(f.at.eni, true)
		f.at = loc{el: elRouter, vpc: f.at.vpc, sub: f.at.sub}
		return true
	}
	p := f.packet
	src := Hop{Component: CompENI, ID: t.src.ID, Direction: Egress}
	if p.src.Is4() != p.dst.Is4() {
		src.Code, src.Ref = CodeNoAddressOfFamily, resourceRef(t.src.ID)
		src.Rule = "no " + map[bool]string{true: "IPv4", false: "IPv6"}[p.dst.Is4()] + " address"
		src.Reason = fmt.Sprintf("%s has no address of the destination's family to send from", t.src.ID)
		t.deny(src, "assign "+t.src.ID+" an address of the destination's family (and its subnet a block of that family)")
		return false
	}
	if in := t.m.Instances[t.src.InstanceID]; in != nil && in.State != "" && in.State != "running" {
		src.Code, src.Ref = CodeInstanceNotRunning, resourceRef(t.src.ID)
		src.Rule = "instance " + in.State
		src.Reason = fmt.Sprintf("%s belongs to %s, which is %s: it sends nothing", t.src.ID, in.ID, in.State)
		t.denyWith(src, startFix(in.ID))
		return false
	}
	src.Code = CodeENISends
	t.pass(src, func(h Hop) Hop {
		h.Reason = fmt.Sprintf("source %s in %s, %s", t.srcIP, subnetLabel(t.srcSub), t.src.VPCID)
		return h
	})

	if t.awsService(p) {
		return false
	}
	rt, rc, ok := t.lookup(t.srcSub, p.dst)
	// Security groups are checked at the interface, before the VPC router:
	// the route is looked up first only to know whether the destination is
	// an interface of this VPC (group references match only then).
	// An undecided route may be the local one: take the interface as the
	// destination, so that a group reference that may match is not
	// denied (the route hop answers unknown after it).
	var dstENI *model.ENI
	if ok && rc.unknown != "" {
		dstENI = eniInVPC(t.m, t.q.StandIns, t.src.VPCID, p.dst)
	} else if ok && rc.route != nil && !rc.route.Blackhole {
		switch rc.route.Target.Kind {
		case model.TargetLocal:
			dstENI = eniInVPC(t.m, t.q.StandIns, t.src.VPCID, p.dst)
		case model.TargetPeering:
			dstENI = t.peerENI(rc.route.Target.ID, p.dst)
		}
	}
	t.sgCheck(t.src, true, p, peer{addr: p.dst, eni: dstENI})
	if t.dead() {
		return false
	}
	f.route = routeLookup{sub: t.srcSub, rt: rt, rc: rc, ok: ok, dst: dstENI}
	f.at = loc{el: elRouter, vpc: t.src.VPCID, sub: t.srcSub}
	return true
}

// arrive is the network interface a packet reaches. Forward: the local
// route found it; the network ACLs between the two subnets and the
// interface's security groups check the packet, then what the interface
// is decides (an interface endpoint, a NAT gateway, a host); the reply
// starts there. Reply: the reply reaches the source.
func (t *tracer) arrive(f *flight) bool {
	if t.ret {
		return t.arriveReply(f)
	}
	p, dstENI := f.packet, f.at.eni
	if dstENI == nil && t.m.Present[model.KindSubnet] && t.m.VPCs[f.at.vpc] != nil && !t.inSomeSubnet(f.at.vpc, p.dst) {
		// The local route delivers only into a subnet; an address of the
		// VPC's block that no subnet holds goes nowhere.
		t.deny(Hop{Component: CompSubnet, ID: f.at.vpc, Direction: Ingress, Code: CodeNoSubnetForAddress, Rule: "no subnet", Ref: resourceRef(f.at.vpc),
			Reason: fmt.Sprintf("no subnet of %s holds %s: the local route delivers it nowhere", f.at.vpc, p.dst)},
			"trace to an address of one of the VPC's subnets")
		return false
	}
	if dstENI == nil {
		t.unknown(Hop{Component: CompENI, ID: p.dst.String(), Direction: Ingress, Code: CodeNoInterfaceAtAddress, Rule: "local", Ref: resourceRef(p.dst.String()),
			Reason: fmt.Sprintf("no network interface in the snapshot holds %s in %s; if none exists the packet is dropped", p.dst, f.at.vpc)},
			"check that "+p.dst.String()+" is assigned (aws ec2 describe-network-interfaces --filters Name=addresses.private-ip-address,Values="+p.dst.String()+")")
		return false
	}
	if t.dst.eni != nil && t.dst.eni != dstENI {
		t.unknown(Hop{Component: CompENI, ID: dstENI.ID, Direction: Ingress, Code: CodeOverlappingAddress,
			Reason: fmt.Sprintf("%s resolves to %s in %s, not the requested %s (overlapping address space)", p.dst, dstENI.ID, f.at.vpc, t.dst.eni.ID)}, "")
		return false
	}
	dstSub := t.m.Subnets[dstENI.SubnetID]
	if dstSub == nil {
		t.unknown(Hop{Component: CompSubnet, ID: dstENI.SubnetID, Direction: Ingress, Code: CodeMissingData, Reason: missingRef(t.m, dstENI.SubnetID, model.KindSubnet)}, "")
		return false
	}
	if f.at.sub == nil {
		t.naclCheck(dstSub, false, p) // from outside the VPC: only the way in
	} else {
		t.crossing(f.at.sub, dstSub, p)
	}
	if t.dead() {
		return false
	}
	t.sgCheck(dstENI, false, p, peer{addr: p.src, eni: f.srcRef})
	if t.dead() {
		return false
	}
	ep := t.m.EndpointOfENI(dstENI.ID)
	switch {
	case ep != nil:
		if !t.interfaceEndpoint(ep, dstENI, p) {
			return false
		}
	case t.m.NATOfENI(dstENI.ID) != nil:
		// A NAT gateway translates what is routed through it and answers
		// nothing addressed to it (VPC guide, "NAT gateways").
		nat := t.m.NATOfENI(dstENI.ID)
		t.deny(Hop{Component: CompNATGateway, ID: nat.ID, Direction: Ingress, Code: CodeNATOwnAddress, Rule: "own address", Ref: resourceRef(nat.ID),
			Reason: fmt.Sprintf("%s is %s's own address: a NAT gateway translates traffic routed through it and accepts no connections, so AWS drops the packet", p.dst, nat.ID)},
			"address the host you mean, and route to "+nat.ID+" instead of connecting to it")
		return false
	default:
		if !t.delivered(dstENI) {
			return false
		}
	}
	t.turn(f, loc{el: elSource, vpc: dstENI.VPCID, sub: dstSub, eni: dstENI}, t.q.Ephemeral)
	return true
}

// inSomeSubnet reports whether a subnet of vpcID may hold a: one that
// does, or one whose VPC or address range the input does not decide.
func (t *tracer) inSomeSubnet(vpcID string, a netip.Addr) bool {
	for _, s := range t.m.Subnets {
		mine := s.VPCID == vpcID || s.VPCID == "" || t.m.VPCs[s.VPCID] == nil
		if mine && (s.Contains(a) || !s.CIDR.IsValid()) {
			return true
		}
	}
	return false
}

// arriveReply records the reply reaching the source interface from the
// subnet it is in (nil: from a gateway): the network ACLs on the way, on
// the client's ephemeral ports, and the source's groups, which pass it.
func (t *tracer) arriveReply(f *flight) bool {
	from := f.at.sub
	if from == nil || from.ID != t.srcSub.ID {
		t.ephemeralAssumption(t.q.Ephemeral, "client")
	}
	if from == nil {
		t.naclCheck(t.srcSub, false, f.packet)
	} else {
		t.crossing(from, t.srcSub, f.packet)
	}
	if t.dead() {
		return false
	}
	for _, a := range f.appl {
		if !slices.Contains(f.replAppl, a) {
			t.res.Findings = append(t.res.Findings, fmt.Sprintf("asymmetric path: the request passes the appliance %s but the reply does not; a stateful appliance in the way would break the connection", a))
		}
	}
	t.stateful(t.src, false)
	if !t.quiet() { // the hop is built only when kept
		t.pass(Hop{Component: CompENI, ID: t.src.ID, Direction: Ingress, Code: CodeENIDelivered}, func(h Hop) Hop {
			h.Reason = "reply delivered to " + t.srcIP.String()
			return h
		})
	}
	return false
}

// delivered records the packet arriving at an ordinary interface.
func (t *tracer) delivered(e *model.ENI) bool {
	if in := t.m.Instances[e.InstanceID]; in != nil && in.State != "" && in.State != "running" {
		t.denyWith(Hop{Component: CompENI, ID: e.ID, Direction: Ingress, Code: CodeInstanceNotRunning, Rule: "instance " + in.State, Ref: resourceRef(e.ID),
			Reason: fmt.Sprintf("%s belongs to %s, which is %s: nothing answers", e.ID, in.ID, in.State)},
			startFix(in.ID))
		return false
	}
	if e.Status == "available" && e.InstanceID == "" {
		t.unknown(Hop{Component: CompENI, ID: e.ID, Direction: Ingress, Code: CodeENINotAttached,
			Reason: e.ID + " is not attached to anything (status available): nothing answers unless it is attached"}, "attach "+e.ID+" to an instance")
		return false
	}
	h := Hop{Component: CompENI, ID: e.ID, Direction: Ingress, Code: CodeENIDelivered}
	if t.lean() {
		t.allow(h)
		return true
	}
	who := e.ID
	if e.InstanceID != "" {
		who += " of " + e.InstanceID
	}
	h.Reason = "delivered to " + t.dst.ip.String() + " on " + who
	t.allow(h)
	t.listenerAssumption(who)
	return true
}

func (t *tracer) listenerAssumption(where string) {
	if t.q.Protocol.HasPorts() && !t.lean() {
		t.assume(fmt.Sprintf("something listens on %s/%d at %s (vpcpath models the network, not the host or its firewall)", t.q.Protocol, t.q.Port, where))
	}
}

func (t *tracer) ephemeralAssumption(r model.PortRange, who string) {
	if t.q.Protocol.HasPorts() && !t.lean() {
		t.assume(fmt.Sprintf("replies go to the %s's ephemeral ports %s (%s); network ACLs must allow them because they are stateless", who, r, t.q.EphemeralName))
	}
}
