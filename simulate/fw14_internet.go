package simulate

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// Flows from the internet (aws-semantics: gateways and translation; VPC
// guide, "Enable internet access for a VPC using an internet gateway",
// https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html).
// A client on the internet reaches an instance only at its public IPv4 or
// Elastic IP: the internet gateway translates that address 1:1 to the
// private one, the destination subnet's network ACL (inbound) and the
// interface's security groups check the packet, and the reply must be
// routed by the destination subnet's table back to the same internet
// gateway, where its source is translated back to the public address.
// An instance without a public address is not reachable from the internet:
// the gateway has nothing to translate, and AWS drops the packet.

// elInternet is the internet, outside every VPC: where a flow from it
// starts and where its reply ends.
const elInternet elem = 100

// internetClient is the address `--from internet` stands for: one of
// TEST-NET-2 (RFC 5737), which no rule names, so only rules open to the
// internet at large admit it.
var internetClient = netip.MustParseAddr("198.51.100.10")

// outsideSource reports whether from names a source outside every VPC (the
// internet), and its address.
func outsideSource(m *model.Model, from string) (netip.Addr, bool) {
	from = strings.TrimSpace(from)
	if strings.EqualFold(from, "internet") {
		return internetClient, true
	}
	a, err := netip.ParseAddr(from)
	if err != nil || !a.Unmap().Is4() || !isPublic(a.Unmap()) {
		return netip.Addr{}, false
	}
	a = a.Unmap()
	if len(m.ENIsByIP(a)) > 0 || m.ENIByPublicIP(a) != nil {
		return netip.Addr{}, false
	}
	for _, v := range m.VPCs {
		for _, c := range v.CIDRs {
			if c.Contains(a) {
				return netip.Addr{}, false
			}
		}
	}
	return a, true
}

// traceFromInternet answers a question whose source is on the internet.
func traceFromInternet(m *model.Model, q Query, client netip.Addr) (Result, error) {
	dst, pub, err := internetDest(m, q)
	if err != nil {
		return Result{}, err
	}
	return walkOutside(m, q, client, dst, pub, nil), nil
}

// walkOutside traces a flow from client, outside every VPC, to interface
// dst: from the internet to its public address pub (invalid: it has none),
// or from on-premises by onPrem.
func walkOutside(m *model.Model, q Query, client netip.Addr, dst *model.ENI, pub netip.Addr, onPrem *onPremSource) Result {
	t := tracers.Get().(*tracer)
	defer tracers.Put(t)
	*t = tracer{m: m, q: q, srcIP: client, dst: target{ip: dst.PrimaryIP(), eni: dst}, onPrem: onPrem}
	t.res = Result{SchemaVersion: SchemaVersion, Hops: []Hop{}, ReturnHops: []Hop{}, Assumptions: []string{}}
	t.res.Flow = Flow{From: q.From, To: q.To, SrcIP: client.String(), DstIP: dst.PrimaryIP().String(), DstENI: dst.ID, Protocol: q.Protocol}
	if q.Protocol.HasPorts() {
		t.res.Flow.Port = model.Port(q.Port).String()
		t.res.Flow.Ephemeral = q.Ephemeral.String()
	}
	p := t.forward()
	start := elOnPrem
	if onPrem == nil {
		start = elInternet
		if pub.IsValid() {
			p.dst = pub // until the internet gateway translates it
			t.res.Flow.DstIP = pub.String()
		}
		if strings.EqualFold(strings.TrimSpace(q.From), "internet") {
			t.assume(fmt.Sprintf("the internet client is %s (TEST-NET-2): rules open to the internet at large admit it, rules naming particular addresses do not; give --from the client's address to trace that one", client))
		}
	}
	t.fl = flight{packet: p, at: loc{el: start}}
	t.run(&t.fl, t.step)
	t.settle()
	t.res.Assumptions = loadAssumptions(m, t.res)
	return t.res
}

// internetDest finds the interface a question from the internet is asked
// about, and the public address it is reached at (invalid: it has none).
func internetDest(m *model.Model, q Query) (*model.ENI, netip.Addr, error) {
	to := strings.TrimSpace(q.To)
	var e *model.ENI
	switch {
	case to == "":
		return nil, netip.Addr{}, fmt.Errorf("--to is required: a public IP or Elastic IP, an instance ID or an ENI ID")
	case strings.HasPrefix(to, "eni-"):
		if e = eniByID(m, q.StandIns, to); e == nil {
			return nil, netip.Addr{}, fmt.Errorf("--to %s: %w", to, notFound(m, to, model.KindENI))
		}
	case strings.HasPrefix(to, "i-"):
		if m.Instances[to] == nil {
			return nil, netip.Addr{}, fmt.Errorf("--to %s: %w", to, notFound(m, to, model.KindInstance))
		}
		if e = m.PrimaryENI(to); e == nil {
			return nil, netip.Addr{}, fmt.Errorf("--to %s: the snapshot holds no network interface of this instance", to)
		}
	default:
		a, err := netip.ParseAddr(to)
		if err != nil {
			return nil, netip.Addr{}, fmt.Errorf("--to %q: from the internet, want a public IP or Elastic IP, an instance ID (i-...) or an ENI ID (eni-...)", to)
		}
		a = a.Unmap()
		if e = m.ENIByPublicIP(a); e == nil {
			if !isPublic(a) {
				return nil, netip.Addr{}, fmt.Errorf("--to %s: a private address is not reachable from the internet; give the destination's public IP, Elastic IP, instance ID or ENI ID", to)
			}
			return nil, netip.Addr{}, fmt.Errorf("--to %s: no network interface in the snapshot holds this public address (a public IP or Elastic IP)", to)
		}
		return e, a, nil
	}
	if !e.PrimaryIP().Is4() || m.Subnets[e.SubnetID] == nil {
		return nil, netip.Addr{}, unplacedENI(m, "--to "+to, e)
	}
	pub, _ := e.PublicIPFor(e.PrimaryIP())
	return e, pub, nil
}

// internet is where a flow from outside every VPC starts (it sends to the
// destination's public address, which leads to the internet gateway of the
// destination's VPC) and where its reply ends.
func (t *tracer) internet(f *flight) bool {
	if t.ret {
		t.allow(Hop{Component: CompInternet, ID: f.dst.String(), Direction: Ingress, Code: CodeInternetHost, Reason: "reply delivered to " + f.dst.String() + " on the internet"})
		return false
	}
	dst := t.dst.eni
	t.allow(Hop{Component: CompInternet, ID: f.src.String(), Direction: Egress, Code: CodeInternetHost, Reason: fmt.Sprintf("client %s on the internet sends to %s", f.src, f.dst)})
	igws := t.m.InternetGatewaysOf(dst.VPCID)
	if len(igws) == 0 {
		t.deny(Hop{Component: CompInternetGateway, ID: dst.VPCID, Direction: Ingress, Code: CodeNoInternetGateway, Rule: "no internet gateway", Ref: resourceRef(dst.VPCID),
			Reason: fmt.Sprintf("%s has no internet gateway attached: nothing on the internet reaches it", dst.VPCID)},
			fmt.Sprintf("attach an internet gateway to %s (aws ec2 attach-internet-gateway) and route the subnet's replies to it", dst.VPCID))
		return false
	}
	f.at = loc{el: elInternetGateway, vpc: dst.VPCID, id: igws[0].ID}
	return true
}

// igwIn is the internet gateway a packet from the internet enters by: the
// destination's public IPv4 translated 1:1 to its private address.
func (t *tracer) igwIn(f *flight) bool {
	id, dst := f.at.id, t.dst.eni
	if t.edgeRouted(id) {
		return false
	}
	pub, ok := dst.PublicIPFor(dst.PrimaryIP())
	switch {
	case !ok && dst.PublicIPUnknown != "":
		t.unknown(Hop{Component: CompInternetGateway, ID: id, Direction: Ingress, Code: CodeUndecidedAttribute, Rule: "public IPv4 undecided", Ref: resourceRef(id),
			Reason: fmt.Sprintf("whether %s has a public IPv4 is not decided: %s", dst.ID, dst.PublicIPUnknown)},
			undecidedPublicIPFix(t.m))
		return false
	case !ok:
		t.denyWith(Hop{Component: CompInternetGateway, ID: id, Direction: Ingress, Code: CodeNoPublicIP, Rule: "no public IPv4", Ref: resourceRef(id),
			Reason: fmt.Sprintf("%s has no public or Elastic IP: nothing on the internet addresses it, and the internet gateway has nothing to translate", dst.ID)},
			changed(Change{Kind: AssociateAddress, ENIID: dst.ID, lead: "give " + dst.ID + " a public address", tail: ", or reach it through a load balancer"}))
		return false
	case pub != f.dst:
		t.deny(Hop{Component: CompInternetGateway, ID: id, Direction: Ingress, Code: CodePublicIPMismatch, Rule: "not its public IPv4", Ref: resourceRef(id),
			Reason: fmt.Sprintf("%s is not the public address of %s (%s is)", f.dst, dst.ID, pub)}, "")
		return false
	}
	f.dst = dst.PrimaryIP()
	t.allow(Hop{Component: CompInternetGateway, ID: id, Direction: Ingress, Code: CodeIGWTranslates, Rule: "1:1 NAT", Ref: resourceRef(id),
		Reason: fmt.Sprintf("translates the destination %s to %s's private %s", pub, dst.ID, f.dst)})
	f.at = loc{el: elArrive, vpc: dst.VPCID, eni: dst}
	return true
}

// routeToInternet routes the reply to an internet client: the destination
// subnet's table must send it to the internet gateway the request came by.
func (t *tracer) routeToInternet(f *flight) bool {
	igw := t.m.InternetGatewaysOf(f.at.vpc)[0].ID
	return t.routeToEdge(f, model.TargetIGW, igw, elInternetGateway, defaultRoute, "0.0.0.0/0", "")
}

// routeToEdge routes the reply to a client outside every VPC: the
// destination subnet's table must send it to gateway gw (of kind k) the
// request came by, element el; the subnet's ACL checks it on the way out.
// The fix routes dest (said as cidr; note follows its command) to gw:
// create-route, or replace-route where the table has a route for dest.
func (t *tracer) routeToEdge(f *flight, k model.TargetKind, gw string, el elem, dest netip.Prefix, cidr, note string) bool {
	sub := f.at.sub
	rt, rc, ok := t.lookup(sub, f.dst)
	addRoute := func() proposal {
		c := routeFix(rt, dest, model.Target{Kind: k, ID: gw}, fmt.Sprintf("route %s to %s in %s", cidr, gw, rt.ID))
		c.cmdNote = note
		return changed(c)
	}
	if ok && rc.unknown == "" && (rc.route == nil || rc.route.Blackhole) {
		rule := "no route for " + f.dst.String()
		if rc.route != nil {
			rule = routeText(rc)
		}
		t.denyWith(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: rc.deadCode(), Rule: rule, Ref: rc.ref(rt),
			Reason: fmt.Sprintf("%s has no live route back to %s: the reply is routed by the destination subnet's table", rt.ID, f.dst)}, addRoute())
		return false
	}
	if !t.routeHop(sub, rt, rc, ok, f.packet) {
		return false
	}
	if tg := rc.route.Target; tg.Kind != k || tg.ID != gw {
		h := Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: CodeAsymmetricRoute, Rule: routeText(rc), Ref: rc.ref(rt)}
		switch tg.Kind {
		case model.TargetIGW, model.TargetNAT, model.TargetEgressOnlyIGW:
			// Out to the internet by another way: the reply's source is
			// not the address the client spoke to (a NAT gateway rewrites
			// it; a private on-premises address is not routed there).
			h.Reason = fmt.Sprintf("the reply to %s leaves %s by %s, not %s, which the request came by: the client never gets the reply", f.dst, sub.ID, tg.ID, gw)
			t.denyWith(h, addRoute())
		default:
			// An appliance, a transit gateway or a peering may still bring
			// the reply to the client (an inspection VPC, a second path
			// to on-premises): what happens beyond is not in the model.
			h.Reason = fmt.Sprintf("the reply to %s leaves %s by %s, not %s, which the request came by: whether it reaches the client that way is outside the model", f.dst, sub.ID, tg.ID, gw)
			t.res.Findings = append(t.res.Findings, "asymmetric path: "+h.Reason)
			t.unknown(h, addRoute().text+", if the reply must come back the way the request went")
		}
		return false
	}
	t.naclCheck(sub, true, f.packet)
	if t.dead() {
		return false
	}
	f.at = loc{el: el, vpc: f.at.vpc, id: gw}
	return true
}

// igwReplyOut translates the reply's source back to the public address
// and sends it to the internet.
func (t *tracer) igwReplyOut(f *flight) bool {
	dst := t.dst.eni
	pub, _ := dst.PublicIPFor(f.src)
	t.allow(Hop{Component: CompInternetGateway, ID: f.at.id, Direction: Egress, Code: CodeIGWTranslates, Rule: "1:1 NAT", Ref: resourceRef(f.at.id),
		Reason: fmt.Sprintf("translates the reply's source %s to public %s and sends it to the internet", f.src, pub)})
	f.src = pub
	f.at = loc{el: elInternet}
	return true
}

// fromInternet reports whether the tracer's source is on the internet.
func (t *tracer) fromInternet() bool { return t.src == nil && t.onPrem == nil }

// clientPrefix is the block a fix should open to the internet client a:
// the internet at large for --from internet, else the client's address.
func (t *tracer) clientPrefix(a netip.Addr) netip.Prefix {
	if strings.EqualFold(strings.TrimSpace(t.q.From), "internet") {
		return netip.MustParsePrefix("0.0.0.0/0")
	}
	return hostPrefix(a)
}
