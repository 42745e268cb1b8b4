package simulate

import (
	"fmt"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

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
		h.Code = CodeSGNotApplicable
		if v.rule != "" {
			i := v.index
			h.Code, h.Ref = CodeSGRuleAllows, &RuleRef{Kind: RefSGRule, ID: v.group, Egress: egress, RuleIndex: &i}
		}
		t.allow(h)
	case Undecided:
		h.Code = CodeUndecidedAttribute
		if v.decide == missingSGData {
			h.Code = CodeMissingData
		}
		t.unknown(h, v.decide)
	default:
		h.Code, h.Ref = CodeSGNoMatchingIngress, &RuleRef{Kind: RefSGs, GroupIDs: eni.Groups, Egress: egress}
		if egress {
			h.Code = CodeSGNoMatchingEgress
		}
		t.denyWith(h, t.sgFix(eni, egress, p, other))
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
	ref := &RuleRef{Kind: RefSGs, GroupIDs: eni.Groups, Egress: egress}
	if id == "" {
		id, ref = eni.ID, resourceRef(eni.ID)
	}
	t.allow(Hop{Component: CompSecurityGroup, ID: id, Direction: dir, Code: CodeSGStatefulReply, Rule: "stateful reply", Ref: ref,
		Reason: "security groups are stateful: the reply of an allowed connection passes whatever the rules say"})
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
