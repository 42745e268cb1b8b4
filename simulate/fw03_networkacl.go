package simulate

import (
	"fmt"

	"github.com/vpcpath/vpcpath/model"
)

// naclCheck records the network ACL check of a subnet.
func (t *tracer) naclCheck(sub *model.Subnet, outbound bool, p packet) {
	dir := Ingress
	if outbound {
		dir = Egress
	}
	acl, aclx := t.subnetACL(sub)
	if acl == nil {
		why := "the snapshot describes no network ACLs"
		if t.m.Present[model.KindNetworkACL] {
			why = fmt.Sprintf("no network ACL is associated with %s and %s has no default ACL in the snapshot", sub.ID, sub.VPCID)
		}
		t.unknown(Hop{Component: CompNetworkACL, ID: sub.ID, Direction: dir, Code: CodeMissingData, Reason: why},
			"add describe-network-acls output for "+sub.VPCID+" to the snapshot")
		return
	}
	if t.gates != nil {
		t.gate(Gate{Kind: GateNetworkACL, acl: acl, aclx: aclx, sub: sub, egress: outbound, p: p})
		return
	}
	h, v := naclHop(acl, sub, outbound, p)
	switch v.decision {
	case Allow:
		t.allow(h)
	case Undecided:
		t.unknown(h, naclDecide)
	default:
		t.denyWith(h, t.naclFix(acl, outbound, p, v))
	}
}

const naclDecide = "known after apply: decide the entry in the configuration, or check the applied network ACL"

// naclHop is the hop of the check of acl on sub, and its verdict.
func naclHop(acl *model.NetworkACL, sub *model.Subnet, outbound bool, p packet) (Hop, naclVerdict) {
	dir := Ingress
	if outbound {
		dir = Egress
	}
	v := evalNACLOn(acl, outbound, p, sub)
	h := Hop{Component: CompNetworkACL, ID: acl.ID, Direction: dir, Rule: v.rule, Reason: v.reason, Decision: v.decision,
		Ref: &RuleRef{Kind: RefNACLEntry, ID: acl.ID, Egress: outbound, RuleNumber: v.entry.Number}}
	switch v.decision {
	case Allow:
		h.Code = CodeNACLRuleAllows
	case Undecided:
		h.Code = CodeUndecidedAttribute
	default:
		h.Code = CodeNACLDeny
		if v.entry.Number == model.FinalRuleNumber {
			h.Code = CodeNACLDefaultDeny
		}
	}
	return h, v
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
