package simulate

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// A transit gateway is met in two steps (aws-semantics: transit gateways;
// Transit Gateways Guide, "How transit gateways work",
// https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html):
//
//   - leaveByAttachment: a subnet route sends the packet to the gateway; it
//     leaves the VPC through the attachment's interface in the source's
//     Availability Zone, meeting the network ACLs as "How network ACLs work
//     with transit gateways" says
//     (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html).
//   - transitGateway: the route table associated with the attachment the
//     packet arrived on picks the route (longest prefix match, static over
//     propagated, blackhole drops) and hands it to the target attachment:
//     into a VPC through the attachment subnet of the same zone, whose route
//     table forwards it on; to a peer transit gateway; to a VPN or Direct
//     Connect edge.
//
// The reply takes the same steps from the other end: the gateway routes
// it by the table of the attachment it arrives on.

// leaveByAttachment moves a packet from its subnet to transit gateway
// f.at.id through the VPC's attachment.
func (t *tracer) leaveByAttachment(f *flight) bool {
	tgwID, sub, vpc := f.at.id, f.at.sub, f.at.vpc
	tgw := t.m.TransitGateways[tgwID]
	att, missing := t.vpcAttachment(tgwID, vpc)
	if att == nil {
		t.naclCheck(sub, true, f.packet)
		if t.dead() {
			return false
		}
		if missing != "" {
			t.unknown(Hop{Component: CompTGWAttachment, ID: tgwID, Direction: Egress, Code: CodeMissingData, Reason: missing},
				"add describe-transit-gateway-attachments and describe-transit-gateway-vpc-attachments output (of the gateway owner's account) to the snapshot")
			return false
		}
		t.deny(Hop{Component: CompTGWAttachment, ID: tgwID, Direction: Egress, Code: CodeTGWNoAttachment, Rule: "no attachment", Ref: resourceRef(tgwID),
			Reason: fmt.Sprintf("%s has no attachment to %s: the route sends the packet nowhere", vpc, tgwID)},
			fmt.Sprintf("attach %s to %s (aws ec2 create-transit-gateway-vpc-attachment --transit-gateway-id %s --vpc-id %s --subnet-ids <one subnet per AZ>)", vpc, tgwID, tgwID, vpc))
		return false
	}
	if !att.Available() {
		t.deny(Hop{Component: CompTGWAttachment, ID: att.ID, Direction: Egress, Code: CodeTGWAttachmentNotAvailable, Rule: "state " + att.State, Ref: resourceRef(att.ID),
			Reason: fmt.Sprintf("%s is %s, not available: only an available attachment carries traffic", att.ID, att.State)},
			"wait for "+att.ID+" to become available, or accept it in the gateway owner's account (aws ec2 accept-transit-gateway-vpc-attachment --transit-gateway-attachment-id "+att.ID+")")
		return false
	}
	attSub, why := t.attachmentSubnet(att, sub.AZ, false)
	if attSub == nil {
		if why != "" {
			t.unknown(Hop{Component: CompTGWAttachment, ID: att.ID, Direction: Egress, Code: CodeMissingData, Reason: why}, "")
			return false
		}
		t.deny(Hop{Component: CompTGWAttachment, ID: att.ID, Direction: Egress, Code: CodeTGWNoSubnetInAZ, Rule: "no subnet in " + sub.AZ, Ref: resourceRef(att.ID),
			Reason: fmt.Sprintf("%s has no subnet in %s, the zone of %s: a subnet route to the transit gateway works only in zones where the attachment has a subnet", att.ID, sub.AZ, sub.ID)},
			fmt.Sprintf("add a subnet in %s to %s (aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id %s --add-subnet-ids <subnet in %s>)", sub.AZ, att.ID, att.ID, sub.AZ))
		return false
	}
	// Leaving a VPC: the source subnet's outbound rules (by destination),
	// then the attachment subnet's inbound rules (by source); both also
	// when they are one subnet.
	t.naclCheck(sub, true, f.packet)
	if t.dead() {
		return false
	}
	t.naclCheck(attSub, false, f.packet)
	if t.dead() {
		return false
	}
	if !t.quiet() { // the hop is built only when kept
		t.pass(Hop{Component: CompTGWAttachment, ID: att.ID, Direction: Egress, Code: CodeTGWAttachmentForwards}, func(h Hop) Hop {
			h.Rule, h.Ref = "vpc attachment", resourceRef(att.ID)
			h.Reason = fmt.Sprintf("leaves %s for %s through the gateway's interface in %s (%s)", vpc, tgwID, subnetLabel(attSub), attSub.AZ)
			return h
		})
	}
	if f.az == "" {
		f.az = sub.AZ
	}
	if !t.ret {
		f.crossed = append(f.crossed, crossing{id: tgwID, from: vpc})
	}
	if tgw != nil && tgw.SecurityGroupReferencing != model.Yes || att.SecurityGroupReferencing == model.No {
		// Group references across a transit gateway need the option on the
		// gateway and on both VPC attachments (Transit Gateways Guide,
		// "Security group referencing").
		f.srcRef = nil
	}
	f.at = loc{el: elTGW, id: tgwID, via: att.ID}
	return true
}

// vpcAttachment returns vpcID's attachment to tgwID; missing, when set,
// says why the model cannot tell.
func (t *tracer) vpcAttachment(tgwID, vpcID string) (*model.TGWAttachment, string) {
	if mo := t.memo; mo != nil {
		k := [2]string{tgwID, vpcID}
		if att, ok := mo.recentVPCAtt.get(k); ok {
			return att, ""
		}
		att, missing := t.findVPCAttachment(tgwID, vpcID)
		if att != nil {
			mo.recentVPCAtt.put(k, att)
		}
		return att, missing
	}
	return t.findVPCAttachment(tgwID, vpcID)
}

// findVPCAttachment is vpcAttachment without the memo.
func (t *tracer) findVPCAttachment(tgwID, vpcID string) (*model.TGWAttachment, string) {
	for _, a := range t.m.TGWAttachmentsFor(tgwID, vpcID) {
		if a.ResourceType == model.TGWAttachVPC {
			return a, ""
		}
	}
	if !t.m.Present[model.KindTGWAttachment] {
		return nil, fmt.Sprintf("the snapshot describes no transit gateway attachments, so how %s reaches %s is unknown", vpcID, tgwID)
	}
	return nil, ""
}

// attachmentSubnetOf returns att's subnet in zone az. With any set, a
// subnet of another zone serves when none is in az (the gateway keeps
// traffic in the zone where it can). why is set when the subnets are not
// in the model.
func (t *tracer) attachmentSubnetOf(att *model.TGWAttachment, az string, any bool) (*model.Subnet, string) {
	ids := append([]string(nil), att.Subnets...)
	sort.Strings(ids)
	var first *model.Subnet
	for _, id := range ids {
		s := t.m.Subnets[id]
		if s == nil {
			return nil, fmt.Sprintf("attachment subnet %s", missingRef(t.m, id, model.KindSubnet))
		}
		if s.AZ == az {
			return s, ""
		}
		if first == nil {
			first = s
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Sprintf("the snapshot lists no subnets of %s (describe-transit-gateway-vpc-attachments)", att.ID)
	}
	if any {
		return first, ""
	}
	return nil, ""
}

// transitGateway routes a packet that arrived at transit gateway f.at.id
// on attachment f.at.via by the route table associated with it.
func (t *tracer) transitGateway(f *flight) bool {
	tgwID := f.at.id
	in, rt, as := t.tgwArrival(tgwID, f.at.via)
	if as != nil && as.Unknown != "" {
		t.unknown(Hop{Component: CompTransitGateway, ID: tgwID, Direction: Forward, Code: CodeUndecidedAttribute, Rule: "association undecided", Ref: resourceRef(tgwID),
			Reason: fmt.Sprintf("which route table of %s routes what arrives on %s is not decided: %s", tgwID, in.ID, as.Unknown)}, "")
		return false
	}
	if rt == nil {
		if !t.m.Present[model.KindTGWRouteTable] {
			t.unknown(Hop{Component: CompTransitGateway, ID: tgwID, Direction: Forward, Code: CodeMissingData,
				Reason: fmt.Sprintf("the snapshot describes no transit gateway route tables, so where %s sends what arrives on %s is unknown", tgwID, in.ID)},
				"add describe-transit-gateway-route-tables and get-transit-gateway-route-table-associations output to the snapshot")
			return false
		}
		t.deny(Hop{Component: CompTransitGateway, ID: tgwID, Direction: Forward, Code: CodeTGWNoRouteTable, Rule: "no associated route table", Ref: resourceRef(tgwID),
			Reason: fmt.Sprintf("%s is associated with no route table of %s: the gateway drops what arrives on it", in.ID, tgwID)},
			fmt.Sprintf("associate %s with a route table (aws ec2 associate-transit-gateway-route-table --transit-gateway-route-table-id <tgw-rtb-...> --transit-gateway-attachment-id %s)", in.ID, in.ID))
		return false
	}
	if rt.RoutesFrom == model.TGWRoutesNone {
		t.unknown(Hop{Component: CompTransitGateway, ID: rt.ID, Direction: Forward, Code: CodeMissingData,
			Reason: fmt.Sprintf("the snapshot holds no routes of %s (associated with %s)", rt.ID, in.ID)},
			"add aws ec2 search-transit-gateway-routes --transit-gateway-route-table-id "+rt.ID+" --filters Name=state,Values=active,blackhole output to the snapshot")
		return false
	}
	c := t.tgwLookup(rt, f.dst)
	switch {
	case c.unknown != "":
		t.unknown(Hop{Component: CompTransitGateway, ID: rt.ID, Direction: Forward, Code: c.code, Reason: c.unknown}, "")
		return false
	case c.route == nil:
		if learned := bgpPropagations(t.m, rt); rt.RoutesFrom == model.TGWRoutesDerived && learned != "" {
			t.unknown(Hop{Component: CompTransitGateway, ID: rt.ID, Direction: Forward, Code: CodeMissingData, Rule: "no route for " + f.dst.String(), Ref: c.ref(rt),
				Reason: fmt.Sprintf("%s has no static or propagated VPC route for %s, and %s propagate routes learned by BGP, which no saved file lists", rt.ID, f.dst, learned)},
				"add aws ec2 search-transit-gateway-routes --transit-gateway-route-table-id "+rt.ID+" output to the snapshot")
			return false
		}
		t.deny(Hop{Component: CompTransitGateway, ID: rt.ID, Direction: Forward, Code: CodeTGWNoRoute, Rule: "no route for " + f.dst.String(), Ref: c.ref(rt),
			Reason: fmt.Sprintf("%s, the route table associated with %s, has no route that matches %s: the gateway drops it", rt.ID, in.ID, f.dst)},
			fmt.Sprintf("add a route for %s to %s (aws ec2 create-transit-gateway-route --transit-gateway-route-table-id %s --destination-cidr-block <block> --transit-gateway-attachment-id <attachment>), or propagate the attachment that holds it (aws ec2 enable-transit-gateway-route-table-propagation)", f.dst, rt.ID, rt.ID))
		return false
	case c.route.Blackhole():
		why := fmt.Sprintf("the route for %s in %s is a blackhole: the gateway drops what it matches", f.dst, rt.ID)
		if c.beat != nil {
			why += fmt.Sprintf(" (the static blackhole wins over the propagated route to %s for the same prefix)", c.beat.Attachments[0])
		}
		t.deny(Hop{Component: CompTransitGateway, ID: rt.ID, Direction: Forward, Code: CodeTGWBlackhole, Rule: c.text(), Ref: c.ref(rt), Reason: why},
			fmt.Sprintf("replace the blackhole route %s in %s with one to the attachment that holds %s (aws ec2 replace-transit-gateway-route --transit-gateway-route-table-id %s --destination-cidr-block %s --transit-gateway-attachment-id <attachment>)", c.route.DestString(), rt.ID, f.dst, rt.ID, c.route.DestString()))
		return false
	}
	if len(c.route.Attachments) > 1 && !t.lean() {
		t.assume(fmt.Sprintf("%s spreads %s over %d attachments (ECMP); the trace follows %s", rt.ID, c.route.DestString(), len(c.route.Attachments), c.route.Attachments[0]))
	}
	if !t.quiet() { // the hop is built only when kept
		t.pass(Hop{Component: CompTransitGateway, ID: rt.ID, Direction: Forward, Code: CodeTGWRouteMatch}, func(h Hop) Hop {
			h.Rule, h.Ref = c.text(), c.ref(rt)
			h.Reason = fmt.Sprintf("longest prefix match in %s, the route table associated with %s", rt.ID, in.ID)
			if c.beat != nil {
				h.Reason += fmt.Sprintf("; the static route wins over the propagated %s for the same prefix", c.beat.Attachments[0])
			}
			return h
		})
	}
	out := c.out
	if out == nil {
		t.unknown(Hop{Component: CompTGWAttachment, ID: c.route.Attachments[0], Direction: Ingress, Code: CodeMissingData, Reason: missingRef(t.m, c.route.Attachments[0], model.KindTGWAttachment)}, "")
		return false
	}
	if !out.Available() {
		t.deny(Hop{Component: CompTGWAttachment, ID: out.ID, Direction: Ingress, Code: CodeTGWAttachmentNotAvailable, Rule: "state " + out.State, Ref: resourceRef(out.ID),
			Reason: fmt.Sprintf("%s is %s, not available: only an available attachment carries traffic", out.ID, out.State)}, "wait for "+out.ID+" to become available")
		return false
	}
	switch out.ResourceType {
	case model.TGWAttachVPC:
		return t.enterByAttachment(f, tgwID, out)
	case model.TGWAttachPeering, model.TGWAttachTGWPeering:
		return t.toPeerGateway(f, tgwID, out, c.route)
	case model.TGWAttachVPN, model.TGWAttachDXGateway:
		return t.edgeByAttachment(f, tgwID, out)
	}
	t.unknown(Hop{Component: CompTGWAttachment, ID: out.ID, Direction: Ingress, Code: CodeOutsideModel, Rule: out.ResourceType, Ref: resourceRef(out.ID),
		Reason: fmt.Sprintf("the path leaves the model at %s, a %s attachment (%s): not modelled yet", out.ID, out.ResourceType, orDash(out.ResourceID))},
		fmt.Sprintf("check the far side of %s by hand", out.ID))
	return false
}

// enterByAttachment delivers a packet from the gateway into the VPC of
// attachment out, through its subnet in the packet's zone (else one the
// trace names); that subnet's route table forwards it on.
func (t *tracer) enterByAttachment(f *flight, tgwID string, out *model.TGWAttachment) bool {
	attSub, why := t.attachmentSubnet(out, f.az, true)
	if attSub == nil {
		t.unknown(Hop{Component: CompTGWAttachment, ID: out.ID, Direction: Ingress, Code: CodeMissingData, Reason: why}, "")
		return false
	}
	pinned := false
	for _, p := range f.pins {
		if p.att == out.ID && t.ret && out.ApplianceMode == model.Yes {
			// Appliance mode: the reply takes the interface the request took.
			attSub, pinned = p.sub, true
		}
	}
	if !t.ret {
		f.pins = append(f.pins, pin{att: out.ID, sub: attSub})
		f.entered = out
	}
	switch {
	case pinned || t.lean():
	case f.az == "":
		t.assume(fmt.Sprintf("the packet reached %s from another gateway; it enters %s through %s in %s, the first subnet of %s", tgwID, out.ResourceID, attSub.ID, attSub.AZ, out.ID))
	case attSub.AZ != f.az:
		t.assume(fmt.Sprintf("%s has no subnet in %s, where the packet entered %s; it enters %s through %s in %s, the first of its subnets", out.ID, f.az, tgwID, out.ResourceID, attSub.ID, attSub.AZ))
	}
	if !t.quiet() { // the hop is built only when kept
		t.pass(Hop{Component: CompTGWAttachment, ID: out.ID, Direction: Ingress, Code: CodeTGWAttachmentForwards}, func(h Hop) Hop {
			h.Rule, h.Ref = "vpc attachment", resourceRef(out.ID)
			h.Reason = fmt.Sprintf("enters %s through the gateway's interface in %s (%s)", out.ResourceID, subnetLabel(attSub), attSub.AZ)
			if out.ApplianceMode == model.Yes {
				h.Reason += "; appliance mode pins one interface for the flow, both directions"
				if pinned {
					h.Reason += " (the one the request took)"
				}
			}
			return h
		})
	}
	if f.srcRef != nil && out.SecurityGroupReferencing == model.No {
		f.srcRef = nil
	}
	if n := len(f.crossed); t.ret {
		if n > 0 && f.crossed[n-1].from == out.ResourceID {
			f.crossed = f.crossed[:n-1]
		}
	} else if n > 0 && f.crossed[n-1].to == "" {
		// The reply must leave by the gateway that delivered the request
		// (the peer gateway, after a peering attachment).
		f.crossed[n-1].id, f.crossed[n-1].to = tgwID, out.ResourceID
	}
	f.az = ""
	// Entering a VPC: the attachment subnet's outbound rules and the
	// destination subnet's inbound rules apply, met when the subnet's
	// router delivers it (none when they are one subnet).
	f.at = loc{el: elRouter, vpc: out.ResourceID, sub: attSub, via: out.ID}
	return true
}

// toPeerGateway hands a packet to the transit gateway at the other end of
// peering attachment out. Peering attachments carry static routes only
// (Transit Gateways Guide, "Transit gateway peering attachments",
// https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html).
func (t *tracer) toPeerGateway(f *flight, tgwID string, out *model.TGWAttachment, r *model.TGWRoute) bool {
	if r.Type != model.TGWRouteStatic {
		t.deny(Hop{Component: CompTGWAttachment, ID: out.ID, Direction: Forward, Code: CodeTGWPeeringStaticOnly, Rule: "static routes only", Ref: resourceRef(out.ID),
			Reason: fmt.Sprintf("%s is a peering attachment: it carries only static routes, and the route for %s is %s", out.ID, f.dst, r.Type)},
			"add a static route to "+out.ID)
		return false
	}
	peer, ok := out.PeerTGW(tgwID)
	if !ok || peer.TransitGatewayID == "" {
		t.unknown(Hop{Component: CompTGWAttachment, ID: out.ID, Direction: Forward, Code: CodeMissingData, Reason: fmt.Sprintf("the snapshot does not say which gateway is at the other end of %s", out.ID)}, "")
		return false
	}
	if !t.quiet() { // the hop is built only when kept
		t.pass(Hop{Component: CompTGWAttachment, ID: out.ID, Direction: Forward, Code: CodeTGWAttachmentForwards}, func(h Hop) Hop {
			h.Rule, h.Ref = "peering attachment", resourceRef(out.ID)
			h.Reason = fmt.Sprintf("crosses from %s to %s (%s)", tgwID, peer.TransitGatewayID, orDash(peer.Region))
			return h
		})
	}
	f.srcRef = nil // group references do not cross Regions
	f.az = ""      // zones do not carry across gateways
	f.at = loc{el: elTGW, id: peer.TransitGatewayID, via: out.ID}
	return true
}

// associationOn returns attachment a's association on gateway tgwID's side.
func associationOn(a *model.TGWAttachment, tgwID string) *model.TGWAssociation {
	if s := a.SideOf(tgwID); s != nil {
		return s.Association
	}
	return a.Association
}

// tgwChoice is the route a transit gateway route table picks for an
// address.
type tgwChoice struct {
	route   *model.TGWRoute
	beat    *model.TGWRoute // the propagated route of the same prefix a static one beat
	pl      *model.PrefixList
	unknown string
	code    Code // why unknown
	// out is the attachment the route sends to (its first), nil when the
	// route has none or the model lacks it.
	out *model.TGWAttachment
}

// ref is the reference of the chosen route of rt, or of the table when no
// route matched.
func (c tgwChoice) ref(rt *model.TGWRouteTable) *RuleRef {
	if c.route == nil {
		return &RuleRef{Kind: RefTGWRouteTable, ID: rt.ID}
	}
	return &RuleRef{Kind: RefTGWRoute, ID: rt.ID, Destination: c.route.DestString(), Targets: c.route.Attachments}
}

func (c tgwChoice) text() string {
	r := c.route
	dest := r.DestString()
	if c.pl != nil && c.pl.Name != "" {
		dest += " (" + c.pl.Name + ")"
	}
	if r.Blackhole() {
		return dest + " -> blackhole (" + r.Type + ")"
	}
	return dest + " -> " + strings.Join(r.Attachments, ",") + " (" + r.Type + ")"
}

// lookupTGWRoute picks the route of rt for dst: longest prefix match; for
// one prefix a static route beats a propagated one (Transit Gateways
// Guide, "Route evaluation order"). A prefix-list route matches at the
// length of the list entry holding dst.
func lookupTGWRoute(m *model.Model, rt *model.TGWRouteTable, dst netip.Addr) tgwChoice {
	var best tgwChoice
	bestBits := -1
	var unknown []string
	code := CodeMissingData
	for i := range rt.Routes {
		r := &rt.Routes[i]
		bits := -1
		var pl *model.PrefixList
		if r.DestPrefixList != "" {
			pl = m.PrefixLists[r.DestPrefixList]
			if pl == nil || !pl.CIDRsKnown {
				unknown = append(unknown, fmt.Sprintf("%s routes to prefix list %s, whose entries the snapshot lacks", rt.ID, r.DestPrefixList))
				continue
			}
			c, ok := pl.Contains(dst)
			if !ok {
				continue
			}
			bits = c.Bits()
		} else {
			if !r.Dest.IsValid() || !sameFamily(r.Dest, dst) || !r.Dest.Contains(dst) {
				continue
			}
			bits = r.Dest.Bits()
		}
		if r.Unknown != "" {
			unknown = append(unknown, r.Unknown)
			code = CodeUndecidedAttribute
			continue
		}
		switch {
		case bits > bestBits:
			best = tgwChoice{route: r, pl: pl}
			bestBits = bits
		case bits == bestBits && r.Type == model.TGWRouteStatic && best.route.Type != model.TGWRouteStatic:
			best = tgwChoice{route: r, pl: pl, beat: best.route}
		case bits == bestBits && r.Type != model.TGWRouteStatic && best.route.Type == model.TGWRouteStatic && best.beat == nil:
			best.beat = r
		}
	}
	if len(unknown) > 0 && bestBits < dst.BitLen() {
		best.unknown = strings.Join(unknown, "; ") + "; it may match " + dst.String()
		best.code = code
	}
	if best.beat != nil && len(best.beat.Attachments) == 0 {
		best.beat = nil
	}
	if best.route != nil && len(best.route.Attachments) > 0 {
		best.out = m.TGWAttachments[best.route.Attachments[0]]
	}
	return best
}

// bgpPropagations names the VPN, Direct Connect and Connect attachments
// that propagate into rt: their routes are learned by BGP.
func bgpPropagations(m *model.Model, rt *model.TGWRouteTable) string {
	var out []string
	for _, p := range rt.Propagations {
		switch p.ResourceType {
		case model.TGWAttachVPN, model.TGWAttachDXGateway, model.TGWAttachConnect:
			out = append(out, p.AttachmentID)
		}
	}
	return strings.Join(out, ", ")
}
