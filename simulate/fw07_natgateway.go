package simulate

import (
	"fmt"

	"github.com/vpcpath/vpcpath/model"
)

// natGateway is a NAT gateway (aws-semantics: gateways; VPC guide, "NAT
// gateways"). Forward: the packet crosses from its subnet to the NAT's
// (network ACLs), the gateway rewrites its source to its own private
// address and its subnet's VPC router sends it on. Reply: the NAT subnet's
// ACL admits the reply on the NAT's ports and the gateway translates it
// back to the client.
func (t *tracer) natGateway(f *flight) bool {
	if t.ret {
		if t.q.Protocol.HasPorts() {
			t.assume(fmt.Sprintf("the NAT gateway sends from ports %s, so replies reach its subnet on those ports", EphemeralNAT))
		}
		t.naclCheck(f.natSub, false, f.packet)
		if t.dead() {
			return false
		}
		t.allow(Hop{Component: CompNATGateway, ID: f.nat.ID, Direction: Forward, Code: CodeNATTranslates, Rule: "source NAT", Ref: resourceRef(f.nat.ID),
			Reason: fmt.Sprintf("translates the reply back to %s", f.preNAT.src)})
		f.packet = t.reply(f.preNAT, t.q.Ephemeral)
		f.at = loc{el: elArrive, vpc: t.src.VPCID, sub: f.natSub, eni: t.src}
		if f.nat.VPCID != t.src.VPCID {
			// A shared NAT gateway (reached through a transit gateway): its
			// subnet's table routes the reply back.
			f.at = loc{el: elRouter, vpc: f.nat.VPCID, sub: f.natSub, via: f.nat.ID}
		}
		return true
	}
	p, natID := f.packet, f.at.id
	nat := t.m.NATGateways[natID]
	if nat == nil {
		t.unknown(Hop{Component: CompNATGateway, ID: natID, Direction: Forward, Code: CodeMissingData, Reason: missingRef(t.m, natID, model.KindNATGateway)},
			"add describe-nat-gateways output to the snapshot")
		return false
	}
	natSub := t.m.Subnets[nat.SubnetID]
	if natSub == nil {
		t.unknown(Hop{Component: CompNATGateway, ID: natID, Direction: Forward, Code: CodeMissingData, Reason: "its subnet " + missingRef(t.m, nat.SubnetID, model.KindSubnet)}, "")
		return false
	}
	t.crossing(f.at.sub, natSub, p)
	if t.dead() {
		return false
	}
	if nat.State != "available" {
		t.deny(Hop{Component: CompNATGateway, ID: natID, Direction: Forward, Code: CodeNATNotAvailable, Rule: "state " + nat.State, Ref: resourceRef(natID),
			Reason: fmt.Sprintf("%s is %s, not available: it forwards nothing", natID, nat.State)},
			fmt.Sprintf("point the route at an available NAT gateway, or create one in a public subnet (aws ec2 create-nat-gateway --subnet-id %s --allocation-id ...)", nat.SubnetID))
		return false
	}
	if !p.src.Is4() {
		t.deny(Hop{Component: CompNATGateway, ID: natID, Direction: Forward, Code: CodeNATIPv4Only, Rule: "IPv4 only", Ref: resourceRef(natID),
			Reason: "a NAT gateway translates IPv4 (IPv6 needs NAT64 and DNS64, not modelled)"}, "")
		return false
	}
	if nat.Connectivity == "private" {
		t.allow(Hop{Component: CompNATGateway, ID: natID, Direction: Forward, Code: CodeNATTranslates, Rule: "private NAT", Ref: resourceRef(natID),
			Reason: fmt.Sprintf("translates %s to %s", p.src, nat.PrivateIP)})
		t.unknown(Hop{Component: CompNATGateway, ID: natID, Direction: Forward, Code: CodeOutsideModel,
			Reason: "a private NAT gateway reaches on through a transit gateway or virtual private gateway, which vpcpath does not model yet"}, "")
		return false
	}
	natIP := nat.PrivateIP
	t.allow(Hop{Component: CompNATGateway, ID: natID, Direction: Forward, Code: CodeNATTranslates, Rule: "source NAT", Ref: resourceRef(natID),
		Reason: fmt.Sprintf("rewrites source %s to %s (%s); group references do not survive the translation", p.src, natIP, subnetLabel(natSub))})
	f.nat, f.natSub, f.preNAT = nat, natSub, p
	f.src, f.srcRef = natIP, nil
	f.at = loc{el: elRouter, vpc: nat.VPCID, sub: natSub}
	return true
}
