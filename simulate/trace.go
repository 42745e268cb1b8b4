package simulate

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// Trace answers q on m: the forward path hop by hop, the return path, the
// verdict, where the packet dies and what would fix it. An error means the
// question itself is bad (an ID not in the model, an ambiguous address);
// every answer about the network is in the Result.
func Trace(m *model.Model, q Query) (Result, error) {
	if q.Protocol.HasPorts() && q.Port == 0 && !q.inRange {
		return Result{}, fmt.Errorf("--port is required for %s", q.Protocol)
	}
	if q.Ephemeral == (model.PortRange{}) {
		q.Ephemeral, q.EphemeralName = EphemeralLinux, "Linux"
	}
	src, srcIP, err := resolveSource(m, q.From)
	var u *unplaced
	if errors.As(err, &u) {
		return unplacedResult(q, u), nil
	}
	if err != nil {
		return Result{}, err
	}
	var dns *DNSAnswer
	var targets []target
	var notes []string
	if isHostName(q.To) {
		a := Resolve(m, src.VPCID, q.To, q.DNS)
		dns = &a
		if a.Decision != Allow {
			return dnsResult(q, src, srcIP, a), nil
		}
		for _, ip := range a.addrs {
			targets = append(targets, target{ip: ip})
		}
		if len(targets) > 1 {
			notes = append(notes, fmt.Sprintf("%s answers with %d addresses; each was traced, and the verdict holds only if all pass", a.Question, len(targets)))
		}
	} else {
		targets, notes, err = resolveDest(m, q.To, src)
		if errors.As(err, &u) {
			return unplacedResult(q, u), nil
		}
		if err != nil {
			return Result{}, err
		}
	}
	if len(targets) == 1 && targets[0].eni == src && targets[0].ip == srcIP {
		return Result{}, fmt.Errorf("--from and --to are the same interface (%s): nothing to trace", src.ID)
	}
	var best Result
	var all []TargetResult
	for i, tg := range targets {
		r := traceOne(m, q, src, srcIP, tg)
		if dns != nil {
			r.Hops = append([]Hop{dnsHop(*dns)}, r.Hops...)
			r.Findings = append(r.Findings, dns.Findings...)
		}
		all = append(all, TargetResult{DstIP: r.Flow.DstIP, DstENI: r.Flow.DstENI, Verdict: r.Verdict, BlockedBy: r.BlockedBy})
		if i == 0 || worse(r.Verdict, best.Verdict) {
			best = r
		}
	}
	best.Assumptions = append(append([]string{}, notes...), best.Assumptions...)
	if len(targets) > 1 {
		best.Targets = all
		for _, t := range all {
			if worse(t.Verdict, best.Verdict) {
				best.Verdict = t.Verdict
			}
		}
	}
	best.Flow.To = q.To
	best.Assumptions = loadAssumptions(m, best)
	if dns != nil && dns.Fix != "" && len(dns.Findings) > 0 {
		// DNS sent the flow off its intended path (PrivateLink bypassed):
		// mending the path it took instead is the wrong fix.
		if best.Verdict == Reachable {
			best.Findings = append(best.Findings, "to keep it on the intended path: "+dns.Fix)
		} else {
			best.Fix = strPtr(dns.Fix)
		}
	}
	return best, nil
}

func rank(v Verdict) int {
	switch v {
	case Blocked:
		return 2
	case Unknown:
		return 1
	}
	return 0
}

func worse(a, b Verdict) bool { return rank(a) > rank(b) }

// tracer walks one flow, recording hops.
type tracer struct {
	m      *model.Model
	q      Query
	res    Result
	ret    bool // recording the return path
	block  *Block
	undec  *Block
	fix    string
	undFix string

	src    *model.ENI
	srcIP  netip.Addr
	srcSub *model.Subnet
	srcVPC *model.VPC
	dst    target
}

func (t *tracer) hop(h Hop) {
	if t.ret {
		t.res.ReturnHops = append(t.res.ReturnHops, h)
	} else {
		t.res.Hops = append(t.res.Hops, h)
	}
}

// deny records a hop that drops the packet, and the fix.
func (t *tracer) deny(h Hop, fix string) {
	h.Decision = Deny
	t.hop(h)
	if t.block == nil {
		t.block = &Block{Component: h.Component, ID: h.ID, Rule: h.Rule, Reason: h.Reason, Return: t.ret}
		t.fix = fix
	}
}

// unknown records a hop the model cannot decide, and what would decide it.
func (t *tracer) unknown(h Hop, decide string) {
	h.Decision = Undecided
	t.hop(h)
	if t.undec == nil {
		t.undec = &Block{Component: h.Component, ID: h.ID, Rule: h.Rule, Reason: h.Reason, Return: t.ret}
		t.undFix = decide
	}
}

func (t *tracer) allow(h Hop) {
	h.Decision = Allow
	t.hop(h)
}

func (t *tracer) assume(s string) {
	for _, a := range t.res.Assumptions {
		if a == s {
			return
		}
	}
	t.res.Assumptions = append(t.res.Assumptions, s)
}

func (t *tracer) dead() bool { return t.block != nil }

func traceOne(m *model.Model, q Query, src *model.ENI, srcIP netip.Addr, dst target) Result {
	// Speak the destination's address family: an IPv6 destination is
	// reached from the source's IPv6 address, and the reverse.
	if dst.ip.Is6() && srcIP.Is4() && len(src.IPv6s) > 0 {
		srcIP = src.IPv6s[0]
	} else if dst.ip.Is4() && srcIP.Is6() && len(src.PrivateIPs) > 0 {
		srcIP = src.PrivateIPs[0]
	}
	t := &tracer{m: m, q: q, src: src, srcIP: srcIP, dst: dst}
	t.srcSub = m.Subnets[src.SubnetID]
	t.srcVPC = m.VPCs[src.VPCID]
	t.res = Result{SchemaVersion: SchemaVersion, Hops: []Hop{}, ReturnHops: []Hop{}, Assumptions: []string{}}
	t.res.Flow = Flow{From: q.From, SrcENI: src.ID, SrcIP: srcIP.String(), DstIP: dst.ip.String(), Protocol: q.Protocol.String()}
	if dst.eni != nil {
		t.res.Flow.DstENI = dst.eni.ID
	}
	if q.Protocol.HasPorts() {
		t.res.Flow.Port = model.Port(q.Port).String()
		t.res.Flow.Ephemeral = q.Ephemeral.String()
	}
	t.walk()
	switch {
	case t.block != nil:
		t.res.Verdict, t.res.BlockedBy = Blocked, t.block
		t.res.Fix = strPtr(t.fix)
	case t.undec != nil:
		t.res.Verdict, t.res.BlockedBy = Unknown, t.undec
		t.res.Fix = strPtr(t.undFix)
	default:
		t.res.Verdict = Reachable
	}
	return t.res
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// forward returns the packet of the question.
func (t *tracer) forward() packet {
	p := packet{src: t.srcIP, dst: t.dst.ip, proto: t.q.Protocol, ports: model.Port(t.q.Port), icmpType: -1, icmpCode: -1}
	if !p.proto.HasPorts() {
		p.ports = model.AllPorts
	}
	if p.proto == model.ProtoICMP {
		p.icmpType, p.icmpCode = 8, 0 // echo request
	}
	if p.proto == model.ProtoICMPv6 {
		p.icmpType, p.icmpCode = 128, 0
	}
	return p
}

// reply returns the reply to packet p from its destination: addresses
// swapped, destination port the client's ephemeral range.
func (t *tracer) reply(p packet, clientPorts model.PortRange) packet {
	r := packet{src: p.dst, dst: p.src, proto: p.proto, ports: clientPorts, icmpType: -1, icmpCode: -1}
	if !r.proto.HasPorts() {
		r.ports = model.AllPorts
	}
	if p.proto == model.ProtoICMP {
		r.icmpType, r.icmpCode = 0, 0 // echo reply
	}
	if p.proto == model.ProtoICMPv6 {
		r.icmpType, r.icmpCode = 129, 0
	}
	return r
}

func (t *tracer) walk() {
	p := t.forward()
	src := Hop{Component: CompENI, ID: t.src.ID, Direction: Egress}
	if p.src.Is4() != p.dst.Is4() {
		src.Rule = "no " + map[bool]string{true: "IPv4", false: "IPv6"}[p.dst.Is4()] + " address"
		src.Reason = fmt.Sprintf("%s has no address of the destination's family to send from", t.src.ID)
		t.deny(src, "assign "+t.src.ID+" an address of the destination's family (and its subnet a block of that family)")
		return
	}
	if in := t.m.Instances[t.src.InstanceID]; in != nil && in.State != "" && in.State != "running" {
		src.Rule = "instance " + in.State
		src.Reason = fmt.Sprintf("%s belongs to %s, which is %s: it sends nothing", t.src.ID, in.ID, in.State)
		t.deny(src, "start "+in.ID+" (aws ec2 start-instances --instance-ids "+in.ID+")")
		return
	}
	src.Reason = fmt.Sprintf("source %s in %s, %s", t.srcIP, subnetLabel(t.srcSub), t.src.VPCID)
	t.allow(src)

	if t.awsService(p) {
		return
	}
	rt, rc, ok := t.lookup(t.srcSub, p.dst)
	// Security groups are checked at the interface, before the VPC router:
	// the route is looked up first only to know whether the destination is
	// an interface of this VPC (group references match only then).
	// An undecided route may be the local one: take the interface as the
	// destination, so that a group reference that may match is not
	// denied (the route hop answers unknown after it).
	var dstENI *model.ENI
	if ok && (rc.route != nil && rc.route.Target.Kind == model.TargetLocal && !rc.route.Blackhole || rc.unknown != "") {
		dstENI = t.m.ENIInVPC(t.src.VPCID, p.dst)
	}
	t.sgCheck(t.src, true, p, peer{addr: p.dst, eni: dstENI})
	if t.dead() {
		return
	}
	if !t.routeHop(rt, rc, ok, p) {
		return
	}
	r := rc.route
	if k := r.Target.Kind; k == model.TargetNAT || k == model.TargetIGW {
		t.endpointBypass(rt, p.dst, r.Target.ID)
	}
	switch r.Target.Kind {
	case model.TargetLocal:
		t.local(p, dstENI)
	case model.TargetIGW:
		t.viaIGW(p, r.Target.ID)
	case model.TargetNAT:
		t.viaNAT(p, r.Target.ID)
	case model.TargetVPCEndpoint:
		t.viaGatewayEndpoint(p, r.Target.ID, rc)
	default:
		t.leavesModel(p, r.Target)
	}
}

// lookup finds the route table of a subnet and the route for dst.
func (t *tracer) lookup(sub *model.Subnet, dst netip.Addr) (*model.RouteTable, routeChoice, bool) {
	rt, _ := t.m.SubnetRouteTable(sub.ID)
	if rt == nil {
		return nil, routeChoice{}, false
	}
	return rt, lookupRoute(t.m, rt, dst), true
}

// routeHop records the routing decision; false means the walk stops.
func (t *tracer) routeHop(rt *model.RouteTable, rc routeChoice, found bool, p packet) bool {
	sub := t.srcSub
	if !found {
		why := "the snapshot describes no route tables"
		if t.m.Present[model.KindRouteTable] {
			why = fmt.Sprintf("no route table is associated with %s and %s has no main route table in the snapshot", sub.ID, sub.VPCID)
		}
		t.unknown(Hop{Component: CompRouteTable, ID: sub.ID, Direction: Forward, Reason: why},
			"add describe-route-tables output for "+sub.VPCID+" to the snapshot")
		return false
	}
	assoc := "explicitly associated with " + sub.ID
	if _, explicit := t.m.SubnetRouteTable(sub.ID); !explicit {
		assoc = "the main table of " + sub.VPCID + ", used by " + sub.ID + " (no explicit association)"
	}
	if rc.unknown != "" {
		t.unknown(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Reason: rc.unknown}, rc.decide)
		return false
	}
	if rc.route == nil {
		t.deny(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Rule: "no route for " + p.dst.String(),
			Reason: fmt.Sprintf("%s (%s) has no route that matches %s", rt.ID, assoc, p.dst)}, t.noRouteFix(rt, p.dst))
		return false
	}
	if rc.route.Blackhole {
		t.deny(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Rule: routeText(rc),
			Reason: fmt.Sprintf("the route for %s in %s is a blackhole: its target %s no longer exists", p.dst, rt.ID, rc.route.Target.ID)},
			fmt.Sprintf("replace the blackhole route %s in %s with a live target (aws ec2 replace-route --route-table-id %s %s ...)", rc.route.DestString(), rt.ID, rt.ID, destFlag(rc.route)))
		return false
	}
	reason := fmt.Sprintf("longest prefix match in %s (%s)", rt.ID, assoc)
	if rc.pl != nil {
		reason = fmt.Sprintf("%s is in prefix list %s; the prefix-list route wins by longest prefix match in %s (%s)", p.dst, rc.pl.ID, rt.ID, assoc)
	}
	t.allow(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Rule: routeText(rc), Reason: reason})
	if rc.pl != nil {
		t.allow(Hop{Component: CompPrefixList, ID: rc.pl.ID, Direction: Forward, Rule: rc.plCIDR.String() + " in " + plName(rc.pl),
			Reason: fmt.Sprintf("%s matches entry %s", p.dst, rc.plCIDR)})
	}
	return true
}

func destFlag(r *model.Route) string {
	switch {
	case r.DestPrefixList != "":
		return "--destination-prefix-list-id " + r.DestPrefixList
	case r.Dest.Addr().Is6():
		return "--destination-ipv6-cidr-block " + r.Dest.String()
	}
	return "--destination-cidr-block " + r.Dest.String()
}

func plName(pl *model.PrefixList) string {
	if pl.Name != "" {
		return pl.Name
	}
	return pl.ID
}

func subnetLabel(s *model.Subnet) string {
	if n := s.Tags.Name(); n != "" {
		return s.ID + " (" + n + ")"
	}
	return s.ID
}

// sgCheck records the security group check of eni.
func (t *tracer) sgCheck(eni *model.ENI, egress bool, p packet, other peer) {
	v := evalSG(t.m, eni, egress, p, other)
	dir := Ingress
	if egress {
		dir = Egress
	}
	h := Hop{Component: CompSecurityGroup, ID: v.group, Direction: dir, Rule: v.rule, Reason: v.reason}
	if v.decision == Deny {
		h.Rule = fmt.Sprintf("no matching rule (%d %s rules checked)", countRules(t.m, eni, egress), map[bool]string{true: "egress", false: "ingress"}[egress])
	}
	switch v.decision {
	case Allow:
		t.allow(h)
	case Undecided:
		t.unknown(h, v.decide)
	default:
		t.deny(h, t.sgFix(eni, egress, p, other))
	}
}

// stateful records the reply passing a security group: groups track
// connections, so a reply to an allowed flow passes whatever the rules say.
func (t *tracer) stateful(eni *model.ENI, egress bool) {
	dir := Ingress
	if egress {
		dir = Egress
	}
	id := strings.Join(eni.Groups, ",")
	if id == "" {
		id = eni.ID
	}
	t.allow(Hop{Component: CompSecurityGroup, ID: id, Direction: dir, Rule: "stateful reply",
		Reason: "security groups are stateful: the reply of an allowed connection passes whatever the rules say"})
}

// naclCheck records the network ACL check of a subnet.
func (t *tracer) naclCheck(sub *model.Subnet, outbound bool, p packet) {
	dir := Ingress
	if outbound {
		dir = Egress
	}
	acl, _ := t.m.SubnetACL(sub.ID)
	if acl == nil {
		why := "the snapshot describes no network ACLs"
		if t.m.Present[model.KindNetworkACL] {
			why = fmt.Sprintf("no network ACL is associated with %s and %s has no default ACL in the snapshot", sub.ID, sub.VPCID)
		}
		t.unknown(Hop{Component: CompNetworkACL, ID: sub.ID, Direction: dir, Reason: why},
			"add describe-network-acls output for "+sub.VPCID+" to the snapshot")
		return
	}
	v := evalNACL(acl, outbound, p)
	h := Hop{Component: CompNetworkACL, ID: acl.ID, Direction: dir, Rule: v.rule, Reason: "on " + subnetLabel(sub) + ": " + v.reason}
	switch v.decision {
	case Allow:
		t.allow(h)
		return
	case Undecided:
		t.unknown(h, "known after apply: decide the entry in the configuration, or check the applied network ACL")
		return
	}
	t.deny(h, t.naclFix(acl, outbound, p, v))
}

// crossing records the ACL checks of a packet going from subnet a to b.
// ACLs apply only at a subnet boundary: within one subnet there are none.
func (t *tracer) crossing(a, b *model.Subnet, p packet) {
	if a.ID == b.ID {
		return
	}
	t.naclCheck(a, true, p)
	if t.dead() {
		return
	}
	t.naclCheck(b, false, p)
}

func (t *tracer) listenerAssumption(where string) {
	if t.q.Protocol.HasPorts() {
		t.assume(fmt.Sprintf("something listens on %s/%d at %s (vpcpath models the network, not the host or its firewall)", t.q.Protocol, t.q.Port, where))
	}
}

func (t *tracer) ephemeralAssumption(r model.PortRange, who string) {
	if t.q.Protocol.HasPorts() {
		t.assume(fmt.Sprintf("replies go to the %s's ephemeral ports %s (%s); network ACLs must allow them because they are stateless", who, r, t.q.EphemeralName))
	}
}

// local follows a packet delivered inside the VPC by the local route.
func (t *tracer) local(p packet, dstENI *model.ENI) {
	if dstENI == nil {
		t.unknown(Hop{Component: CompENI, ID: p.dst.String(), Direction: Ingress, Rule: "local",
			Reason: fmt.Sprintf("no network interface in the snapshot holds %s in %s; if none exists the packet is dropped", p.dst, t.src.VPCID)},
			"check that "+p.dst.String()+" is assigned (aws ec2 describe-network-interfaces --filters Name=addresses.private-ip-address,Values="+p.dst.String()+")")
		return
	}
	if t.dst.eni != nil && t.dst.eni != dstENI {
		t.unknown(Hop{Component: CompENI, ID: dstENI.ID, Direction: Ingress,
			Reason: fmt.Sprintf("%s resolves to %s in %s, not the requested %s (overlapping address space)", p.dst, dstENI.ID, t.src.VPCID, t.dst.eni.ID)}, "")
		return
	}
	dstSub := t.m.Subnets[dstENI.SubnetID]
	if dstSub == nil {
		t.unknown(Hop{Component: CompSubnet, ID: dstENI.SubnetID, Direction: Ingress, Reason: missingRef(t.m, dstENI.SubnetID, model.KindSubnet)}, "")
		return
	}
	t.crossing(t.srcSub, dstSub, p)
	if t.dead() {
		return
	}
	t.sgCheck(dstENI, false, p, peer{addr: p.src, eni: t.src})
	if t.dead() {
		return
	}
	ep := t.m.EndpointOfENI(dstENI.ID)
	switch {
	case ep != nil:
		if !t.interfaceEndpoint(ep, dstENI, p) {
			return
		}
	case t.m.NATOfENI(dstENI.ID) != nil:
		t.unknown(Hop{Component: CompNATGateway, ID: t.m.NATOfENI(dstENI.ID).ID, Direction: Ingress,
			Reason: "the destination is a NAT gateway's own address; NAT gateways translate traffic routed through them and accept no connections"}, "")
		return
	default:
		if !t.delivered(dstENI) {
			return
		}
	}
	// Return path.
	t.ret = true
	reply := t.reply(p, t.q.Ephemeral)
	t.stateful(dstENI, true)
	if !t.returnRoute(dstSub, reply.dst) {
		return
	}
	if dstSub.ID != t.srcSub.ID {
		t.ephemeralAssumption(t.q.Ephemeral, "client")
	}
	t.crossing(dstSub, t.srcSub, reply)
	if t.dead() {
		return
	}
	t.stateful(t.src, false)
	t.allow(Hop{Component: CompENI, ID: t.src.ID, Direction: Ingress, Reason: "reply delivered to " + t.srcIP.String()})
}

// returnRoute checks that the destination subnet routes the reply back by
// the local route (a more specific route there would send it elsewhere).
func (t *tracer) returnRoute(sub *model.Subnet, to netip.Addr) bool {
	rt, rc, ok := t.lookup(sub, to)
	if !ok {
		t.unknown(Hop{Component: CompRouteTable, ID: sub.ID, Direction: Forward, Reason: "no route table known for " + sub.ID}, "")
		return false
	}
	if rc.unknown != "" {
		t.unknown(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Reason: rc.unknown}, "")
		return false
	}
	if rc.route == nil || rc.route.Blackhole || rc.route.Target.Kind != model.TargetLocal {
		rule := "no route for " + to.String()
		if rc.route != nil {
			rule = routeText(rc)
		}
		if rc.route != nil && !rc.route.Blackhole {
			t.unknown(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Rule: rule,
				Reason: fmt.Sprintf("the reply to %s leaves %s by %s, not the local route: an asymmetric path vpcpath does not follow yet", to, sub.ID, rc.route.Target.ID)}, "")
			return false
		}
		t.deny(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Rule: rule,
			Reason: fmt.Sprintf("%s has no live route back to %s", rt.ID, to)}, "restore the local route in "+rt.ID)
		return false
	}
	t.allow(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Rule: routeText(rc), Reason: "the reply to " + to.String() + " takes the local route"})
	return true
}

// delivered records the packet arriving at an ordinary interface.
func (t *tracer) delivered(e *model.ENI) bool {
	if in := t.m.Instances[e.InstanceID]; in != nil && in.State != "" && in.State != "running" {
		t.deny(Hop{Component: CompENI, ID: e.ID, Direction: Ingress, Rule: "instance " + in.State,
			Reason: fmt.Sprintf("%s belongs to %s, which is %s: nothing answers", e.ID, in.ID, in.State)},
			"start "+in.ID+" (aws ec2 start-instances --instance-ids "+in.ID+")")
		return false
	}
	if e.Status == "available" && e.InstanceID == "" {
		t.unknown(Hop{Component: CompENI, ID: e.ID, Direction: Ingress,
			Reason: e.ID + " is not attached to anything (status available): nothing answers unless it is attached"}, "attach "+e.ID+" to an instance")
		return false
	}
	who := e.ID
	if e.InstanceID != "" {
		who += " of " + e.InstanceID
	}
	t.allow(Hop{Component: CompENI, ID: e.ID, Direction: Ingress, Reason: "delivered to " + t.dst.ip.String() + " on " + who})
	t.listenerAssumption(who)
	return true
}

// interfaceEndpoint records the packet arriving at an interface endpoint's
// interface (aws-semantics: VPC endpoints; PrivateLink guide, "Interface
// endpoints": TCP only).
func (t *tracer) interfaceEndpoint(ep *model.VPCEndpoint, e *model.ENI, p packet) bool {
	svc := ep.ServiceName
	if !strings.EqualFold(ep.State, "available") {
		t.deny(Hop{Component: CompVPCEndpoint, ID: ep.ID, Direction: Ingress, Rule: "state " + ep.State,
			Reason: fmt.Sprintf("%s (%s) is %s, not available: it forwards nothing", ep.ID, svc, ep.State)},
			"get "+ep.ID+" to available (accept the connection on the service side, or recreate the endpoint)")
		return false
	}
	if p.proto != model.ProtoTCP {
		t.deny(Hop{Component: CompVPCEndpoint, ID: ep.ID, Direction: Ingress, Rule: "TCP only",
			Reason: fmt.Sprintf("interface endpoints carry TCP only; %s is not forwarded to %s", p.proto, svc)},
			"use TCP: interface endpoints forward nothing else")
		return false
	}
	t.allow(Hop{Component: CompVPCEndpoint, ID: ep.ID, Direction: Ingress, Rule: svc,
		Reason: fmt.Sprintf("interface %s of %s forwards to %s over PrivateLink", e.ID, ep.ID, svc)})
	t.listenerAssumption("the service behind " + ep.ID + " (" + svc + ")")
	return true
}

// isPublic reports whether an address can be reached on the internet.
func isPublic(a netip.Addr) bool {
	if a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	if a.Is4() && netip.MustParsePrefix("100.64.0.0/10").Contains(a) {
		return false
	}
	return true
}

// viaIGW follows a packet routed to an internet gateway (aws-semantics:
// gateways; VPC guide, "Internet gateways": a public IPv4 on the source).
func (t *tracer) viaIGW(p packet, igwID string) {
	pub, _ := t.src.PublicIPFor(p.src) // invalid when it has none
	if !t.igwOut(igwID, t.src.VPCID, t.srcSub, p, pub, "") {
		return
	}
	// Return path: the gateway maps the reply back; the subnet's ACL sees it.
	t.ret = true
	reply := t.reply(p, t.q.Ephemeral)
	t.allow(Hop{Component: CompInternetGateway, ID: igwID, Direction: Ingress, Rule: "1:1 NAT", Reason: "maps the reply back to " + p.src.String()})
	t.ephemeralAssumption(t.q.Ephemeral, "client")
	t.naclCheck(t.srcSub, false, reply)
	if t.dead() {
		return
	}
	t.stateful(t.src, false)
	t.allow(Hop{Component: CompENI, ID: t.src.ID, Direction: Ingress, Reason: "reply delivered to " + t.srcIP.String()})
}

// igwOut records packet p leaving subnet sub of vpcID through internet
// gateway igwID, its IPv4 source translated 1:1 to pub. nat names the NAT
// gateway whose traffic it is ("" for an interface's own). It reports
// whether the packet reached the internet, and the return path can follow.
func (t *tracer) igwOut(igwID, vpcID string, sub *model.Subnet, p packet, pub netip.Addr, nat string) bool {
	igw := t.m.InternetGateways[igwID]
	if igw == nil {
		t.unknown(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Reason: missingRef(t.m, igwID, model.KindInternetGateway)},
			"add describe-internet-gateways output to the snapshot")
		return false
	}
	if d, ok := t.m.DanglingRef(vpcID); ok && !slices.Contains(igw.VPCs, vpcID) {
		t.unknown(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Reason: fmt.Sprintf("whether %s is attached to %s is unknown: %s is not in the model (referenced at %s: %s)", igwID, vpcID, vpcID, d.Origin, d.Field)},
			"decide the VPC in the input, or check the applied network")
		return false
	}
	if !slices.Contains(igw.VPCs, vpcID) {
		t.deny(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Rule: "not attached",
			Reason: fmt.Sprintf("%s is not attached to %s", igwID, vpcID)},
			fmt.Sprintf("attach %s to %s (aws ec2 attach-internet-gateway --internet-gateway-id %s --vpc-id %s)", igwID, vpcID, igwID, vpcID))
		return false
	}
	t.naclCheck(sub, true, p)
	if t.dead() {
		return false
	}
	if !isPublic(p.dst) {
		t.deny(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Rule: "destination not public",
			Reason: fmt.Sprintf("%s is not a public address: an internet gateway cannot deliver it", p.dst)},
			fmt.Sprintf("route %s through the peering connection, transit gateway or VPN that reaches it, not the internet gateway", p.dst))
		return false
	}
	translated := "forwards the IPv6 packet to the internet"
	if p.src.Is4() {
		switch {
		case !pub.IsValid() && nat != "":
			t.deny(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Rule: "no Elastic IP",
				Reason: nat + " has no Elastic IP: the internet gateway drops its traffic"}, "associate an Elastic IP with "+nat)
			return false
		case !pub.IsValid() && t.src.PublicIPUnknown != "":
			t.unknown(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Rule: "public IPv4 undecided",
				Reason: fmt.Sprintf("whether %s has a public IPv4 is not decided: %s", t.src.ID, t.src.PublicIPUnknown)},
				undecidedPublicIPFix(t.m))
			return false
		case !pub.IsValid():
			t.deny(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Rule: "no public IPv4",
				Reason: fmt.Sprintf("%s has no public or Elastic IP for %s: the internet gateway drops the packet", t.src.ID, p.src)},
				t.noPublicIPFix())
			return false
		case nat != "":
			translated = fmt.Sprintf("translates %s to %s, the NAT gateway's Elastic IP, and sends it to the internet", p.src, pub)
		default:
			translated = fmt.Sprintf("translates %s to public %s and sends it to the internet", p.src, pub)
		}
	}
	if e := t.m.ENIByPublicIP(p.dst); e != nil {
		t.unknown(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward,
			Reason: fmt.Sprintf("%s is the public address of %s in this snapshot: the path hairpins through the internet gateway, which vpcpath does not follow yet", p.dst, e.ID)},
			"trace to "+e.ID+" by its private address instead")
		return false
	}
	t.allow(Hop{Component: CompInternetGateway, ID: igwID, Direction: Egress, Rule: "1:1 NAT", Reason: translated})
	t.assume(fmt.Sprintf("the host at %s on the internet answers %s (outside AWS, not modelled)", p.dst, flowProto(p)))
	return !t.edgeRouted(igwID)
}

// undecidedPublicIPFix says, in the input's language, what decides whether
// an instance gets a public IPv4.
func undecidedPublicIPFix(m *model.Model) string {
	if m.SourceLanguage() == model.SourceCloudFormation {
		return "set AssociatePublicIpAddress on the instance's NetworkInterfaces, or decide the subnet's MapPublicIpOnLaunch or the Elastic IP's target"
	}
	return "set associate_public_ip_address on the instance, or give the subnet's map_public_ip_on_launch"
}

// edgeRouted reports (and records as unknown) a gateway with a gateway route
// table (ingress routing), which vpcpath does not follow yet.
func (t *tracer) edgeRouted(gw string) bool {
	rt := t.m.GatewayRouteTable(gw)
	if rt == nil {
		return false
	}
	t.ret = true
	t.unknown(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward,
		Reason: fmt.Sprintf("%s has a gateway route table (%s, ingress routing) that may send replies through an appliance; not modelled yet", gw, rt.ID)}, "")
	return true
}

// viaNAT follows a packet routed to a NAT gateway (aws-semantics: gateways;
// VPC guide, "NAT gateways").
func (t *tracer) viaNAT(p packet, natID string) {
	nat := t.m.NATGateways[natID]
	if nat == nil {
		t.unknown(Hop{Component: CompNATGateway, ID: natID, Direction: Forward, Reason: missingRef(t.m, natID, model.KindNATGateway)},
			"add describe-nat-gateways output to the snapshot")
		return
	}
	natSub := t.m.Subnets[nat.SubnetID]
	if natSub == nil {
		t.unknown(Hop{Component: CompNATGateway, ID: natID, Direction: Forward, Reason: "its subnet " + missingRef(t.m, nat.SubnetID, model.KindSubnet)}, "")
		return
	}
	t.crossing(t.srcSub, natSub, p)
	if t.dead() {
		return
	}
	if nat.State != "available" {
		t.deny(Hop{Component: CompNATGateway, ID: natID, Direction: Forward, Rule: "state " + nat.State,
			Reason: fmt.Sprintf("%s is %s, not available: it forwards nothing", natID, nat.State)},
			fmt.Sprintf("point the route at an available NAT gateway, or create one in a public subnet (aws ec2 create-nat-gateway --subnet-id %s --allocation-id ...)", nat.SubnetID))
		return
	}
	if !p.src.Is4() {
		t.deny(Hop{Component: CompNATGateway, ID: natID, Direction: Forward, Rule: "IPv4 only",
			Reason: "a NAT gateway translates IPv4 (IPv6 needs NAT64 and DNS64, not modelled)"}, "")
		return
	}
	if nat.Connectivity == "private" {
		t.allow(Hop{Component: CompNATGateway, ID: natID, Direction: Forward, Rule: "private NAT",
			Reason: fmt.Sprintf("translates %s to %s", p.src, nat.PrivateIP)})
		t.unknown(Hop{Component: CompNATGateway, ID: natID, Direction: Forward,
			Reason: "a private NAT gateway reaches on through a transit gateway or virtual private gateway, which vpcpath does not model yet"}, "")
		return
	}
	natIP := nat.PrivateIP
	t.allow(Hop{Component: CompNATGateway, ID: natID, Direction: Forward, Rule: "source NAT",
		Reason: fmt.Sprintf("rewrites source %s to %s (%s); group references do not survive the translation", p.src, natIP, subnetLabel(natSub))})
	np := p
	np.src = natIP
	rt, rc, ok := t.lookup(natSub, p.dst)
	saved := t.srcSub
	t.srcSub = natSub
	cont := t.routeHop(rt, rc, ok, np)
	t.srcSub = saved
	if !cont {
		return
	}
	if rc.route.Target.Kind != model.TargetIGW {
		t.leavesModelFrom(natSub, np, rc.route.Target)
		return
	}
	igwID := rc.route.Target.ID
	if !t.igwOut(igwID, nat.VPCID, natSub, np, nat.PublicIP, natID) {
		return
	}
	// Return path: internet -> IGW -> NAT subnet -> NAT -> source subnet.
	t.ret = true
	toNAT := t.reply(np, EphemeralNAT)
	t.allow(Hop{Component: CompInternetGateway, ID: igwID, Direction: Ingress, Rule: "1:1 NAT", Reason: "maps the reply back to " + natIP.String()})
	if t.q.Protocol.HasPorts() {
		t.assume(fmt.Sprintf("the NAT gateway sends from ports %s, so replies reach its subnet on those ports", EphemeralNAT))
	}
	t.naclCheck(natSub, false, toNAT)
	if t.dead() {
		return
	}
	t.allow(Hop{Component: CompNATGateway, ID: natID, Direction: Forward, Rule: "source NAT",
		Reason: fmt.Sprintf("translates the reply back to %s", p.src)})
	reply := t.reply(p, t.q.Ephemeral)
	if natSub.ID != t.srcSub.ID {
		t.ephemeralAssumption(t.q.Ephemeral, "client")
	}
	t.crossing(natSub, t.srcSub, reply)
	if t.dead() {
		return
	}
	t.stateful(t.src, false)
	t.allow(Hop{Component: CompENI, ID: t.src.ID, Direction: Ingress, Reason: "reply delivered to " + t.srcIP.String()})
}

// viaGatewayEndpoint follows a packet routed by a prefix-list route to a
// gateway endpoint (aws-semantics: VPC endpoints; PrivateLink guide,
// "Gateway endpoints").
func (t *tracer) viaGatewayEndpoint(p packet, id string, rc routeChoice) {
	ep := t.m.Endpoints[id]
	if ep == nil {
		t.unknown(Hop{Component: CompVPCEndpoint, ID: id, Direction: Forward, Reason: missingRef(t.m, id, model.KindVPCEndpoint)},
			"add describe-vpc-endpoints output to the snapshot")
		return
	}
	if ep.Type != model.EndpointGateway {
		t.unknown(Hop{Component: CompVPCEndpoint, ID: id, Direction: Forward,
			Reason: fmt.Sprintf("%s is a %s endpoint: traffic goes to an appliance behind it, which vpcpath does not model yet", id, ep.Type)}, "")
		return
	}
	t.naclCheck(t.srcSub, true, p)
	if t.dead() {
		return
	}
	if !strings.EqualFold(ep.State, "available") {
		t.deny(Hop{Component: CompVPCEndpoint, ID: id, Direction: Forward, Rule: "state " + ep.State,
			Reason: fmt.Sprintf("%s (%s) is %s, not available", id, ep.ServiceName, ep.State)}, "recreate "+id)
		return
	}
	if p.proto != model.ProtoTCP {
		t.deny(Hop{Component: CompVPCEndpoint, ID: id, Direction: Forward, Rule: "TCP only",
			Reason: fmt.Sprintf("gateway endpoints carry TCP only; %s to %s is dropped", p.proto, ep.ServiceName)}, "use TCP")
		return
	}
	t.allow(Hop{Component: CompVPCEndpoint, ID: id, Direction: Forward, Rule: ep.ServiceName,
		Reason: fmt.Sprintf("gateway endpoint delivers to %s inside AWS, not through the internet", ep.ServiceName)})
	t.assume(fmt.Sprintf("the endpoint policy of %s and the resource's own policy allow the request (vpcpath models the network, not IAM)", id))
	t.ret = true
	reply := t.reply(p, t.q.Ephemeral)
	t.allow(Hop{Component: CompVPCEndpoint, ID: id, Direction: Ingress, Rule: ep.ServiceName, Reason: "the reply comes back through the endpoint from " + p.dst.String()})
	t.ephemeralAssumption(t.q.Ephemeral, "client")
	t.naclCheck(t.srcSub, false, reply)
	if t.dead() {
		return
	}
	t.stateful(t.src, false)
	t.allow(Hop{Component: CompENI, ID: t.src.ID, Direction: Ingress, Reason: "reply delivered to " + t.srcIP.String()})
}

// leavesModel records a path that continues through a component vpcpath
// does not model yet. The source subnet's outbound ACL is still checked:
// a deny there is certain whatever lies beyond.
func (t *tracer) leavesModel(p packet, tg model.Target) { t.leavesModelFrom(t.srcSub, p, tg) }

func (t *tracer) leavesModelFrom(sub *model.Subnet, p packet, tg model.Target) {
	t.naclCheck(sub, true, p)
	if t.dead() {
		return
	}
	comp, what := CompRouteTable, string(tg.Kind)
	switch tg.Kind {
	case model.TargetPeering:
		comp, what = CompVPCPeering, "VPC peering"
	case model.TargetTransitGateway:
		comp, what = CompTransitGateway, "transit gateway routing"
	case model.TargetENI, model.TargetInstance:
		comp, what = CompENI, "an appliance interface (what the appliance does is outside the model)"
	case model.TargetVPNGateway:
		what = "a virtual private gateway (VPN or Direct Connect)"
	case model.TargetEgressOnlyIGW:
		comp, what = CompInternetGateway, "an egress-only internet gateway"
	}
	t.unknown(Hop{Component: comp, ID: tg.ID, Direction: Forward, Rule: string(tg.Kind),
		Reason: fmt.Sprintf("the path leaves the model at %s: %s is not modelled yet", tg.ID, what)},
		fmt.Sprintf("check the far side of %s by hand, or run vpcpath's probe from %s", tg.ID, t.src.ID))
}

// awsService handles addresses AWS serves inside the VPC, which neither
// security groups nor network ACLs filter (aws-semantics: network ACLs;
// VPC guide, "Amazon DNS server", "Instance metadata").
func (t *tracer) awsService(p packet) bool {
	a := p.dst
	var name, ports string
	var ok bool
	switch {
	case a == netip.MustParseAddr("169.254.169.253") || a == netip.MustParseAddr("fd00:ec2::253") || t.srcVPC != nil && a == t.srcVPC.ResolverAddr():
		name, ports = "the Amazon DNS resolver", "53"
		ok = (p.proto == model.ProtoUDP || p.proto == model.ProtoTCP) && p.ports.First == 53
	case a == netip.MustParseAddr("169.254.169.254") || a == netip.MustParseAddr("fd00:ec2::254"):
		name, ports = "instance metadata (IMDS)", "tcp 80"
		ok = p.proto == model.ProtoTCP && p.ports.First == 80
	case a == netip.MustParseAddr("169.254.169.123") || a == netip.MustParseAddr("fd00:ec2::123"):
		name, ports = "Amazon Time Sync", "udp 123"
		ok = p.proto == model.ProtoUDP && p.ports.First == 123
	case a.IsLinkLocalUnicast():
		t.deny(Hop{Component: CompRouteTable, ID: t.srcSub.ID, Direction: Forward, Rule: "link-local",
			Reason: a.String() + " is link-local: the VPC does not route it, and AWS serves nothing there"}, "")
		return true
	default:
		return false
	}
	h := Hop{Component: CompAWSService, ID: a.String(), Direction: Ingress, Rule: name}
	if !ok {
		h.Reason = fmt.Sprintf("%s answers only on %s", name, ports)
		t.deny(h, "use "+ports)
		return true
	}
	if name == "the Amazon DNS resolver" && t.srcVPC != nil {
		switch t.srcVPC.DNSSupport {
		case model.No:
			h.Reason = "enableDnsSupport is off on " + t.srcVPC.ID + ": the resolver does not answer"
			t.deny(h, fmt.Sprintf("turn on DNS support (aws ec2 modify-vpc-attribute --vpc-id %s --enable-dns-support)", t.srcVPC.ID))
			return true
		case model.Unknown:
			h.Reason = "the resolver answers only when enableDnsSupport is on, and the snapshot lacks describe-vpc-attribute output for " + t.srcVPC.ID
			t.unknown(h, "add aws ec2 describe-vpc-attribute --attribute enableDnsSupport output to the snapshot")
			return true
		}
	}
	h.Reason = fmt.Sprintf("%s answers at %s; security groups and network ACLs do not filter it", name, a)
	t.allow(h)
	return true
}

// IsHostName reports whether s is a DNS name rather than an ID or address.
func IsHostName(s string) bool { return isHostName(s) }

func isHostName(s string) bool {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if s == "" || !strings.Contains(s, ".") {
		return false
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '*') {
			return false
		}
	}
	return true
}

func dnsHop(a DNSAnswer) Hop {
	reason := a.Reason
	for _, f := range a.Findings {
		if !strings.Contains(reason, f) {
			reason += "; " + f
		}
	}
	rule := a.Rcode
	if rule != "" && len(a.Answers) > 0 {
		rule += " " + strings.Join(a.Answers, ",")
	}
	return Hop{Component: CompDNS, ID: a.Question, Direction: Forward, Decision: a.Decision, Rule: rule, Reason: reason,
		Question: a.Question, AnsweredBy: a.AnsweredBy, Answers: a.Answers}
}

// dnsResult is the answer of a trace whose name does not resolve to
// addresses to trace.
func dnsResult(q Query, src *model.ENI, srcIP netip.Addr, a DNSAnswer) Result {
	h := dnsHop(a)
	r := Result{SchemaVersion: SchemaVersion, Hops: []Hop{h}, ReturnHops: []Hop{}, Assumptions: []string{}, Findings: a.Findings,
		Flow: Flow{From: q.From, To: q.To, SrcENI: src.ID, SrcIP: srcIP.String(), Protocol: q.Protocol.String()}}
	if q.Protocol.HasPorts() {
		r.Flow.Port = model.Port(q.Port).String()
		r.Flow.Ephemeral = q.Ephemeral.String()
	}
	r.BlockedBy = &Block{Component: CompDNS, ID: a.Question, Rule: h.Rule, Reason: a.Reason}
	r.Verdict = Unknown
	if a.Decision == Deny {
		r.Verdict = Blocked
	}
	fix := a.Fix
	if fix == "" && r.Verdict == Unknown && strings.HasPrefix(a.AnsweredBy, "public DNS") {
		fix = "give the public answer with --resolve " + a.Question + "=IP"
	}
	r.Fix = strPtr(fix)
	return r
}

func countRules(m *model.Model, eni *model.ENI, egress bool) int {
	n := 0
	for _, g := range eni.Groups {
		if sg := m.SecurityGroups[g]; sg != nil {
			if egress {
				n += len(sg.Egress)
			} else {
				n += len(sg.Ingress)
			}
		}
	}
	return n
}

// endpointBypass notes a service address that a gateway endpoint of the
// VPC serves but that leaves by NAT or the internet gateway, because the
// endpoint is not associated with the source's route table (the Databricks
// failure class "traffic leaves through NAT despite the endpoint").
func (t *tracer) endpointBypass(rt *model.RouteTable, dst netip.Addr, via string) {
	for _, ep := range t.m.EndpointsOf(t.src.VPCID) {
		if ep.Type != model.EndpointGateway {
			continue
		}
		if pl := t.m.PrefixListByName(ep.ServiceName); pl != nil {
			if _, ok := pl.Contains(dst); ok {
				t.res.Findings = append(t.res.Findings, fmt.Sprintf("%s serves %s (%s) but is not associated with %s, so this traffic leaves through %s instead (aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --add-route-table-ids %s)",
					ep.ID, dst, pl.Name, rt.ID, via, ep.ID, rt.ID))
				return
			}
		}
	}
}
