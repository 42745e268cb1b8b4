package simulate

import (
	"fmt"
	"net/netip"

	"github.com/vpcpath/vpcpath/model"
)

// peering is a VPC peering connection (aws-semantics: VPC peering; VPC
// Peering Guide). Forward: only an active connection carries traffic; the
// packet leaves its subnet (outbound ACL) and is delivered in the peer VPC
// only to an address of that VPC: no transitive peering, no edge-to-edge
// routing ("Unsupported VPC peering configurations",
// https://docs.aws.amazon.com/vpc/latest/peering/invalid-peering-configurations.html).
// In the peer it arrives at the interface holding the address (its
// subnet's inbound ACL, its groups). Reply: it crosses back the same way.
func (t *tracer) peering(f *flight) bool {
	id := f.at.id
	if t.ret {
		t.naclCheck(f.at.sub, true, f.packet)
		if t.dead() {
			return false
		}
		back := f.crossed[len(f.crossed)-1]
		f.crossed = f.crossed[:len(f.crossed)-1]
		t.allow(Hop{Component: CompVPCPeering, ID: id, Direction: Forward, Code: CodePeeringActive, Rule: "active", Ref: resourceRef(id),
			Reason: fmt.Sprintf("the reply crosses back from %s to %s", back.to, back.from)})
		f.at = loc{el: elArrive, vpc: back.from, eni: t.src}
		return true
	}
	pcx := t.m.Peerings[id]
	if pcx != nil && pcx.Unknown != "" {
		t.naclCheck(f.at.sub, true, f.packet)
		if t.dead() {
			return false
		}
		t.unknown(Hop{Component: CompVPCPeering, ID: id, Direction: Forward, Code: CodeUndecidedAttribute, Rule: "status undecided", Ref: resourceRef(id),
			Reason: fmt.Sprintf("whether %s is active is not decided: %s", id, pcx.Unknown)},
			"set auto_accept (or accept the connection with aws_vpc_peering_connection_accepter) in the configuration")
		return false
	}
	if pcx != nil && pcx.Status != model.PeeringActive {
		fix := "recreate the peering connection and route to the new one"
		if pcx.Status == model.PeeringPendingAcceptance {
			fix = fmt.Sprintf("accept it in the accepter's account (aws ec2 accept-vpc-peering-connection --vpc-peering-connection-id %s)", id)
		}
		t.deny(Hop{Component: CompVPCPeering, ID: id, Direction: Forward, Code: CodePeeringNotActive, Rule: "status " + pcx.Status, Ref: resourceRef(id),
			Reason: fmt.Sprintf("%s is %s: only an active peering connection carries traffic, and a route to any other is a blackhole", id, pcx.Status)}, fix)
		return false
	}
	t.naclCheck(f.at.sub, true, f.packet)
	if t.dead() {
		return false
	}
	if pcx == nil {
		t.unknown(Hop{Component: CompVPCPeering, ID: id, Direction: Forward, Code: CodeMissingData, Rule: string(model.TargetPeering), Ref: resourceRef(id), Reason: missingRef(t.m, id, model.KindPeering)},
			"add describe-vpc-peering-connections output (of both accounts) to the snapshot")
		return false
	}
	this, other, ok := pcx.Side(f.at.vpc)
	if !ok {
		t.deny(Hop{Component: CompVPCPeering, ID: id, Direction: Forward, Code: CodePeeringWrongVPC, Rule: "not this VPC's", Ref: resourceRef(id),
			Reason: fmt.Sprintf("%s connects %s and %s, not %s: it carries nothing from here", id, pcx.Requester.VPCID, pcx.Accepter.VPCID, f.at.vpc)},
			"route to a peering connection of "+f.at.vpc)
		return false
	}
	peerVPC := t.m.VPCs[other.VPCID]
	if peerVPC != nil && len(peerVPC.CIDRs) == 0 && len(peerVPC.IPv6CIDRs) == 0 {
		why := fmt.Sprintf("the address range of %s, the peer across %s, is not decided", other.VPCID, id)
		if a := t.m.Assumptions[other.VPCID]; len(a) > 0 {
			why += ": " + a[0]
		}
		t.unknown(Hop{Component: CompVPCPeering, ID: id, Direction: Forward, Code: CodeUndecidedAttribute, Rule: "peer range undecided", Ref: resourceRef(id), Reason: why}, "")
		return false
	}
	if !inPeer(peerVPC, other, f.dst) {
		rule, why, code := "no transitive peering", "", CodePeeringNotTransitive
		if peerVPC != nil {
			rule, why, code = t.beyondPeer(peerVPC, f.dst)
		}
		t.deny(Hop{Component: CompVPCPeering, ID: id, Direction: Forward, Code: code, Rule: rule, Ref: resourceRef(id),
			Reason: fmt.Sprintf("%s is not an address of %s, the peer across %s: a peering connection delivers only into the peer VPC, never onward (no transitive peering, no edge-to-edge routing)%s", f.dst, other.VPCID, id, why)},
			fmt.Sprintf("reach %s directly: peer %s with the VPC that holds it, or connect both through a transit gateway", f.dst, this.VPCID))
		return false
	}
	if peerVPC == nil {
		t.unknown(Hop{Component: CompVPCPeering, ID: id, Direction: Forward, Code: CodeMissingData, Rule: "active", Ref: resourceRef(id),
			Reason: fmt.Sprintf("%s leads to %s (owner %s, region %s), which is not in the snapshot", id, other.VPCID, orDash(other.OwnerID), orDash(other.Region))},
			"collect the peer's account and region into the same snapshot (vpcpath collect) and trace again")
		return false
	}
	reason := fmt.Sprintf("crosses %s from %s to %s", id, this.VPCID, other.VPCID)
	if pcx.CrossRegion() {
		// Group references do not cross Regions (VPC Peering Guide,
		// "Update your security groups to reference peer security groups",
		// https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-security-groups.html).
		f.srcRef = nil
		reason += fmt.Sprintf(" (%s to %s: security group rules cannot reference groups across Regions, only CIDRs)", this.Region, other.Region)
	}
	t.allow(Hop{Component: CompVPCPeering, ID: id, Direction: Forward, Code: CodePeeringActive, Rule: "active", Ref: resourceRef(id), Reason: reason})
	f.crossed = append(f.crossed, crossing{id: id, from: this.VPCID, to: other.VPCID})
	f.at = loc{el: elArrive, vpc: other.VPCID, eni: eniInVPC(t.m, t.q.StandIns, other.VPCID, f.dst)}
	return true
}

// inPeer reports whether a is an address of the peer end: of its VPC's
// blocks where the model holds the VPC, else of the blocks the connection
// lists.
func inPeer(v *model.VPC, side model.PeeringSide, a netip.Addr) bool {
	if v != nil {
		return v.Contains(a)
	}
	for _, c := range append(side.CIDRs[:len(side.CIDRs):len(side.CIDRs)], side.IPv6CIDRs...) {
		if c.Contains(a) {
			return true
		}
	}
	return false
}

// beyondPeer says what the peer VPC itself would do with dst, to name the
// rule the packet breaks: a route there to another peering is transitive
// peering, one to a gateway is edge-to-edge routing. Either way the
// connection drops the packet.
func (t *tracer) beyondPeer(v *model.VPC, dst netip.Addr) (rule, why string, code Code) {
	for _, rid := range model.SortedKeys(t.m.RouteTables) {
		rt := t.m.RouteTables[rid]
		if rt.VPCID != v.ID {
			continue
		}
		rc := lookupRoute(t.m, rt, dst)
		if rc.route == nil || rc.route.Blackhole {
			continue
		}
		switch k := rc.route.Target.Kind; k {
		case model.TargetPeering, model.TargetTransitGateway:
			return "no transitive peering", fmt.Sprintf("; %s of %s sends it on to %s, which a packet arriving over a peering connection cannot use", rt.ID, v.ID, rc.route.Target.ID), CodePeeringNotTransitive
		case model.TargetIGW, model.TargetNAT, model.TargetVPNGateway, model.TargetVPCEndpoint, model.TargetEgressOnlyIGW:
			return "no edge-to-edge routing", fmt.Sprintf("; %s of %s sends it to %s (%s), which traffic from a peer VPC cannot use", rt.ID, v.ID, rc.route.Target.ID, k), CodeNoEdgeToEdge
		}
	}
	return "not in the peer VPC", "", CodePeeringOutsidePeer
}

// peerENI returns the interface holding dst across peering connection id
// from the source's VPC, when a group reference can name it (an active
// connection within one Region).
func (t *tracer) peerENI(id string, dst netip.Addr) *model.ENI {
	pcx := t.m.Peerings[id]
	if pcx == nil || pcx.Status != model.PeeringActive || pcx.CrossRegion() {
		return nil
	}
	_, other, ok := pcx.Side(t.src.VPCID)
	if !ok {
		return nil
	}
	return eniInVPC(t.m, t.q.StandIns, other.VPCID, dst)
}

func orDash(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
