package simulate

import (
	"fmt"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// sgCheck records the security group check of eni. A trace for
// TraceGates records the check as a gate instead, and passes.
func (t *tracer) sgCheck(eni *model.ENI, egress bool, p packet, other peer) {
	if t.gates != nil {
		t.gate(Gate{Kind: GateSecurityGroup, eni: eni, egress: egress, p: p, peer: other})
		return
	}
	h, v := sgHop(t.m, eni, egress, p, other, true)
	switch v.decision {
	case Allow:
		t.allow(h)
	case Undecided:
		t.unknown(h, v.decide)
	default:
		t.denyWith(h, t.sgFix(eni, egress, p, other))
	}
}

// sgHop is the hop of the security group check of eni, and its verdict
// (without rule texts or reasons unless explain: evalSG).
func sgHop(m *model.Model, eni *model.ENI, egress bool, p packet, other peer, explain bool) (Hop, sgVerdict) {
	detail := sgBrief
	if explain {
		detail = sgExplain
	}
	v := evalSG(m, eni, egress, p, other, detail)
	dir := Ingress
	if egress {
		dir = Egress
	}
	h := Hop{Component: CompSecurityGroup, ID: v.group, Direction: dir, Rule: v.rule, Reason: v.reason}
	if v.decision == Deny {
		h.Rule = fmt.Sprintf("no matching rule (%d %s rules checked)", countRules(m, eni, egress), map[bool]string{true: "egress", false: "ingress"}[egress])
	}
	switch v.decision {
	case Allow:
		h.Code = CodeSGNotApplicable
		if v.rule != "" {
			i := v.index
			h.Code, h.Ref = CodeSGRuleAllows, &RuleRef{Kind: RefSGRule, ID: v.group, Egress: egress, RuleIndex: &i}
		}
	case Undecided:
		h.Code = CodeUndecidedAttribute
		if v.decide == missingSGData {
			h.Code = CodeMissingData
		}
	default:
		h.Code, h.Ref = CodeSGNoMatchingIngress, &RuleRef{Kind: RefSGs, GroupIDs: eni.Groups, Egress: egress}
		if egress {
			h.Code = CodeSGNoMatchingEgress
		}
	}
	h.Decision = v.decision
	return h, v
}

// stateful records the reply passing a security group: groups track
// connections, so a reply to an allowed flow passes whatever the rules say.
func (t *tracer) stateful(eni *model.ENI, egress bool) {
	dir := Ingress
	if egress {
		dir = Egress
	}
	if !t.quiet() { // the hop is built only when kept
		t.pass(Hop{Component: CompSecurityGroup, Direction: dir, Code: CodeSGStatefulReply}, func(h Hop) Hop {
			h.Rule, h.Reason = "stateful reply", "security groups are stateful: the reply of an allowed connection passes whatever the rules say"
			h.ID, h.Ref = strings.Join(eni.Groups, ","), &RuleRef{Kind: RefSGs, GroupIDs: eni.Groups, Egress: egress}
			if h.ID == "" {
				h.ID, h.Ref = eni.ID, resourceRef(eni.ID)
			}
			return h
		})
	}
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
