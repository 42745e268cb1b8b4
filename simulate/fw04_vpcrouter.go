package simulate

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// route is the VPC router: the route table of the subnet the packet is in
// picks the route by longest prefix match (VPC guide, "Route tables",
// "Route priority") and hands the packet to its target. Reply: the
// destination subnet's table must route the reply back by the local route.
func (t *tracer) route(f *flight) bool {
	sub := f.at.sub
	if t.ret {
		if t.fromInternet() {
			return t.routeToInternet(f)
		}
		if t.onPrem != nil {
			return t.routeToEdge(f, model.TargetVPNGateway, t.onPrem.vgw, elVGW,
				hostPrefix(f.dst), "the on-premises prefix holding "+f.dst.String(), " (or enable route propagation from it)")
		}
		if f.at.vpc != t.src.VPCID {
			if f.at.via != "" {
				return t.routeOnward(f)
			}
			return t.routeBack(f)
		}
		if id := t.replyToAppliance(sub, f.dst); id != "" {
			f.at = loc{el: elAppliance, vpc: f.at.vpc, sub: sub, id: id}
			return true
		}
		if !t.returnRoute(sub, f.dst) {
			return false
		}
		f.at = loc{el: elArrive, vpc: f.at.vpc, sub: sub, eni: t.src}
		return true
	}
	lk := f.route
	if lk.sub != sub {
		lk = routeLookup{sub: sub}
		lk.rt, lk.rc, lk.ok = t.lookup(sub, f.dst)
	}
	if !t.routeHop(sub, lk.rt, lk.rc, lk.ok, f.packet) {
		return false
	}
	r := lk.rc.route
	k := r.Target.Kind
	if f.nat != nil {
		// Behind a NAT gateway only the way to the internet is followed.
		if k != model.TargetIGW {
			t.leavesModelFrom(sub, f.packet, r.Target)
			return false
		}
	} else if (k == model.TargetNAT || k == model.TargetIGW) && f.at.vpc == t.src.VPCID {
		t.endpointBypass(lk.rt, f.dst, r.Target.ID)
	}
	switch k {
	case model.TargetLocal:
		dst := lk.dst
		if lk.sub != t.srcSub {
			dst = eniInVPC(t.m, t.q.StandIns, f.at.vpc, f.dst)
		}
		f.at = loc{el: elArrive, vpc: f.at.vpc, sub: sub, eni: dst}
	default:
		el, ok := targetElem[k]
		if !ok {
			t.leavesModelFrom(sub, f.packet, r.Target)
			return false
		}
		f.at = loc{el: el, vpc: f.at.vpc, sub: sub, id: r.Target.ID}
	}
	return true
}

// targetElem is the forwarding element a route target hands the packet to.
var targetElem = map[model.TargetKind]elem{
	model.TargetIGW:            elInternetGateway,
	model.TargetNAT:            elNATGateway,
	model.TargetVPCEndpoint:    elGatewayEndpoint,
	model.TargetPeering:        elPeering,
	model.TargetTransitGateway: elTGWAttachment,
	model.TargetVPNGateway:     elVGW,
	model.TargetENI:            elAppliance,
	model.TargetInstance:       elAppliance,
}

// routeBack routes a reply in a VPC the forward path entered by a
// connection (a peering): the table of the subnet the reply leaves must
// send it back over that connection. The reply is routed by the
// destination subnet's table, so a missing route there kills it (VPC
// Peering Guide, "Update your route tables for a VPC peering connection",
// https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-routing.html).
func (t *tracer) routeBack(f *flight) bool {
	sub, to := f.at.sub, f.dst
	back := f.crossed[len(f.crossed)-1]
	rt, rc, ok := t.lookup(sub, to)
	switch {
	case !ok:
		t.unknown(Hop{Component: CompRouteTable, ID: sub.ID, Direction: Forward, Code: CodeMissingData, Reason: "no route table known for " + sub.ID},
			"add describe-route-tables output for "+sub.VPCID+" to the snapshot")
		return false
	case rc.unknown != "":
		t.unknown(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: rc.code, Reason: rc.unknown}, "")
		return false
	case rc.route == nil || rc.route.Blackhole:
		rule := "no route for " + to.String()
		if rc.route != nil {
			rule = routeText(rc)
		}
		t.denyWith(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: rc.deadCode(), Rule: rule, Ref: rc.ref(rt),
			Reason: fmt.Sprintf("%s has no live route back to %s: the reply is routed by the destination subnet's table, and it does not send it over %s", rt.ID, to, back.id)},
			changed(routeFix(rt, t.backCIDR(to), model.Target{Kind: connectionKind(back.id), ID: back.id}, fmt.Sprintf("add a route for %s to %s in %s", t.backCIDR(to), back.id, rt.ID))))
		return false
	case rc.route.Target.ID != back.id:
		t.res.Findings = append(t.res.Findings, fmt.Sprintf("asymmetric path: the reply to %s leaves %s by %s, not %s, which the request came over", to, sub.ID, rc.route.Target.ID, back.id))
		t.unknown(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: CodeAsymmetricRoute, Rule: routeText(rc), Ref: rc.ref(rt),
			Reason: fmt.Sprintf("the reply to %s leaves %s by %s, not %s, which the request came over: an asymmetric path vpcpath does not follow", to, sub.ID, rc.route.Target.ID, back.id)},
			fmt.Sprintf("route %s back over %s in %s", t.backCIDR(to), back.id, rt.ID))
		return false
	}
	if !t.quiet() { // the hop is built only when kept
		t.pass(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: CodeRouteMatch}, func(h Hop) Hop {
			h.Rule, h.Ref = routeText(rc), rc.ref(rt)
			h.Reason = fmt.Sprintf("the reply to %s goes back over %s by longest prefix match in %s", to, back.id, rt.ID)
			return h
		})
	}
	f.at = loc{el: elPeering, vpc: f.at.vpc, sub: sub, id: back.id}
	if rc.route.Target.Kind == model.TargetTransitGateway {
		f.at.el = elTGWAttachment
	}
	return true
}

// replyToAppliance returns the appliance the table of sub sends a reply
// to, recording that route, or "" when the reply takes another way.
func (t *tracer) replyToAppliance(sub *model.Subnet, to netip.Addr) string {
	rt, rc, ok := t.lookup(sub, to)
	if !ok || rc.unknown != "" || rc.route == nil || rc.route.Blackhole {
		return ""
	}
	if !t.isAppliance(rc.route.Target) {
		return ""
	}
	t.allow(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: CodeRouteMatch, Rule: routeText(rc), Ref: rc.ref(rt),
		Reason: fmt.Sprintf("the reply to %s goes through the appliance %s by longest prefix match in %s", to, rc.route.Target.ID, rt.ID)})
	return rc.route.Target.ID
}

// isAppliance reports whether a route target is an appliance: an
// interface, an instance, a Gateway Load Balancer endpoint.
func (t *tracer) isAppliance(tg model.Target) bool {
	switch tg.Kind {
	case model.TargetENI, model.TargetInstance:
		return true
	case model.TargetVPCEndpoint:
		ep := t.m.Endpoints[tg.ID]
		return ep != nil && ep.Type == model.EndpointGWLB
	}
	return false
}

// routeOnward routes a reply in a VPC it passed through on its way back
// (entered from a transit gateway, not the VPC it answers from): by the
// table of the subnet it entered, as any packet.
func (t *tracer) routeOnward(f *flight) bool {
	sub := f.at.sub
	rt, rc, ok := t.lookup(sub, f.dst)
	if !t.routeHop(sub, rt, rc, ok, f.packet) {
		return false
	}
	switch tg := rc.route.Target; tg.Kind {
	case model.TargetTransitGateway:
		f.at = loc{el: elTGWAttachment, vpc: f.at.vpc, sub: sub, id: tg.ID}
		return true
	default:
		if t.isAppliance(tg) {
			f.at = loc{el: elAppliance, vpc: f.at.vpc, sub: sub, id: tg.ID}
			return true
		}
		t.leavesModelFrom(sub, f.packet, tg)
		return false
	}
}

// connectionKind is the kind of the connection a reply goes back over:
// a transit gateway or a peering connection.
func connectionKind(id string) model.TargetKind {
	if strings.HasPrefix(id, "tgw-") {
		return model.TargetTransitGateway
	}
	return model.TargetPeering
}

// backCIDR is the block a return route should cover: the source VPC's
// block holding to, else to itself.
func (t *tracer) backCIDR(to netip.Addr) netip.Prefix {
	if t.srcVPC != nil {
		for _, c := range t.srcVPC.CIDRs {
			if c.Contains(to) {
				return c
			}
		}
	}
	return hostPrefix(to)
}

// noRouteFixIn is noRouteFix for a table met in subnet sub (a NAT
// gateway's, after the source's): the fix proposes a NAT gateway in sub's
// zone.
func (t *tracer) noRouteFixIn(sub *model.Subnet, rt *model.RouteTable, dst netip.Addr) proposal {
	saved := t.srcSub
	t.srcSub = sub
	defer func() { t.srcSub = saved }()
	return t.noRouteFix(rt, dst)
}

// lookup finds the route table of a subnet and the route for dst.
func (t *tracer) lookup(sub *model.Subnet, dst netip.Addr) (*model.RouteTable, routeChoice, bool) {
	if t.memo != nil {
		// The memo keeps the table's lookups by address interval.
		st := t.subnetTables(sub)
		switch {
		case st.rt == nil:
			return nil, routeChoice{}, false
		case st.rtx != nil && dst.IsValid() && dst.Zone() == "":
			return st.rt, st.rtx.at(dst), true
		}
		return st.rt, lookupRoute(t.m, st.rt, dst), true
	}
	rt := t.subnetRouteTable(sub)
	if rt == nil {
		return nil, routeChoice{}, false
	}
	return rt, lookupRoute(t.m, rt, dst), true
}

// routeHop records the routing decision of sub's table; false means the
// walk stops.
func (t *tracer) routeHop(sub *model.Subnet, rt *model.RouteTable, rc routeChoice, found bool, p packet) bool {
	if !found {
		why := "the snapshot describes no route tables"
		if t.m.Present[model.KindRouteTable] {
			why = fmt.Sprintf("no route table is associated with %s and %s has no main route table in the snapshot", sub.ID, sub.VPCID)
		}
		t.unknown(Hop{Component: CompRouteTable, ID: sub.ID, Direction: Forward, Code: CodeMissingData, Reason: why},
			"add describe-route-tables output for "+sub.VPCID+" to the snapshot")
		return false
	}
	assocText := func() string {
		if _, explicit := t.m.SubnetRouteTable(sub.ID); !explicit {
			return "the main table of " + sub.VPCID + ", used by " + sub.ID + " (no explicit association)"
		}
		return "explicitly associated with " + sub.ID
	}
	if rc.unknown != "" {
		t.unknown(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: rc.code, Reason: rc.unknown}, rc.decide)
		return false
	}
	if rc.route == nil {
		t.denyWith(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: CodeNoRoute, Rule: "no route for " + p.dst.String(), Ref: rc.ref(rt),
			Reason: fmt.Sprintf("%s (%s) has no route that matches %s", rt.ID, assocText(), p.dst)}, t.noRouteFixIn(sub, rt, p.dst))
		return false
	}
	if rc.route.Blackhole {
		t.deny(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: CodeRouteBlackhole, Rule: routeText(rc), Ref: rc.ref(rt),
			Reason: fmt.Sprintf("the route for %s in %s is a blackhole: its target %s no longer exists", p.dst, rt.ID, rc.route.Target.ID)},
			fmt.Sprintf("replace the blackhole route %s in %s with a live target (aws ec2 replace-route --route-table-id %s %s ...)", rc.route.DestString(), rt.ID, rt.ID, destFlag(rc.route)))
		return false
	}
	if !t.quiet() { // the hop is built only when kept
		t.pass(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: CodeRouteMatch}, func(h Hop) Hop {
			h.Rule, h.Ref = routeText(rc), rc.ref(rt)
			h.Reason = fmt.Sprintf("longest prefix match in %s (%s)", rt.ID, assocText())
			if rc.pl != nil {
				h.Reason = fmt.Sprintf("%s is in prefix list %s; the prefix-list route wins by longest prefix match in %s (%s)", p.dst, rc.pl.ID, rt.ID, assocText())
			}
			return h
		})
	}
	if rc.pl != nil && !t.quiet() { // the hop is built only when kept
		t.pass(Hop{Component: CompPrefixList, ID: rc.pl.ID, Direction: Forward, Code: CodePrefixListMatch}, func(h Hop) Hop {
			h.Rule = rc.plCIDR.String() + " in " + plName(rc.pl)
			h.Ref = &RuleRef{Kind: RefPrefixListEntry, ID: rc.pl.ID, Destination: rc.plCIDR.String()}
			h.Reason = fmt.Sprintf("%s matches entry %s", p.dst, rc.plCIDR)
			return h
		})
	}
	return true
}

// returnRoute checks that the destination subnet routes the reply back by
// the local route (a more specific route there would send it elsewhere).
func (t *tracer) returnRoute(sub *model.Subnet, to netip.Addr) bool {
	rt, rc, ok := t.lookup(sub, to)
	if !ok {
		t.unknown(Hop{Component: CompRouteTable, ID: sub.ID, Direction: Forward, Code: CodeMissingData, Reason: "no route table known for " + sub.ID}, "")
		return false
	}
	if rc.unknown != "" {
		t.unknown(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: rc.code, Reason: rc.unknown}, "")
		return false
	}
	if rc.route == nil || rc.route.Blackhole || rc.route.Target.Kind != model.TargetLocal {
		rule := "no route for " + to.String()
		if rc.route != nil {
			rule = routeText(rc)
		}
		if rc.route != nil && !rc.route.Blackhole {
			t.unknown(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: CodeAsymmetricRoute, Rule: rule, Ref: rc.ref(rt),
				Reason: fmt.Sprintf("the reply to %s leaves %s by %s, not the local route: an asymmetric path vpcpath does not follow yet", to, sub.ID, rc.route.Target.ID)}, "")
			return false
		}
		t.deny(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: rc.deadCode(), Rule: rule, Ref: rc.ref(rt),
			Reason: fmt.Sprintf("%s has no live route back to %s", rt.ID, to)}, "restore the local route in "+rt.ID)
		return false
	}
	if !t.quiet() { // the hop is built only when kept
		t.pass(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: CodeRouteMatch}, func(h Hop) Hop {
			h.Rule, h.Ref, h.Reason = routeText(rc), rc.ref(rt), "the reply to "+to.String()+" takes the local route"
			return h
		})
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

// leavesModel records a path that continues through a component vpcpath
// does not model yet. The source subnet's outbound ACL is still checked:
// a deny there is certain whatever lies beyond.
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
	t.unknown(Hop{Component: comp, ID: tg.ID, Direction: Forward, Code: CodeOutsideModel, Rule: string(tg.Kind), Ref: resourceRef(tg.ID),
		Reason: fmt.Sprintf("the path leaves the model at %s: %s is not modelled yet", tg.ID, what)},
		fmt.Sprintf("check the far side of %s by hand, or run vpcpath's probe from %s", tg.ID, t.src.ID))
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
				c := Change{Kind: AddEndpointRouteTable, EndpointID: ep.ID, ServiceName: ep.ServiceName, PrefixListID: pl.ID, RouteTableID: rt.ID}
				t.res.Findings = append(t.res.Findings, fmt.Sprintf("%s serves %s (%s) but is not associated with %s, so this traffic leaves through %s instead (%s)",
					ep.ID, dst, pl.Name, rt.ID, via, c.Command()))
				if t.res.PathChange == nil {
					t.res.PathChange = &c
				}
				return
			}
		}
	}
}
