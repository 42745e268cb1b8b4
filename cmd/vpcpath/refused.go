package main

import (
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate/check"
)

// refusedOutcomes turns what AWS would refuse in m (model.Validate) into
// failing outcomes of section "refused", one per problem, each naming the
// resource, its source (Terraform address or CloudFormation logical ID)
// and AWS's error code. check and diff report them before any flow.
func refusedOutcomes(m *model.Model) []check.Outcome {
	var out []check.Outcome
	for _, p := range m.Validate() {
		detail := p.ID + " " + p.Attribute + ": " + p.Msg
		if tag := sourceTag(m, p.Source); tag != "" {
			detail += " " + tag
		}
		where := p.Source
		if where == "" {
			where = p.ID
		}
		fix := refusalFix(p, where)
		out = append(out, check.Outcome{Name: p.Code, Section: "refused", Severity: "high", Status: check.Fail,
			Detail: detail, Fix: &fix})
	}
	return out
}

// sourceTag is "[terraform: aws_subnet.a]" or "[cloudformation: SubnetA]":
// where a resource is written, in the language of the input.
func sourceTag(m *model.Model, src string) string {
	if src == "" {
		return ""
	}
	kind := string(m.SourceLanguage())
	if kind == "" {
		kind = "source"
	}
	return "[" + kind + ": " + src + "]"
}

// refusalFix says what to change, in words, for each kind of refusal.
func refusalFix(p model.Problem, where string) string {
	switch {
	case p.Code == model.CodeSubnetRange:
		return "give " + where + " a CidrBlock inside its VPC's blocks, between /16 and /28"
	case p.Code == model.CodeSubnetConflict:
		return "give " + where + " a CidrBlock no other subnet of its VPC overlaps"
	case p.Code == model.CodeVPCRange:
		return "give " + where + " a CidrBlock between /16 and /28"
	case p.Code == model.CodeACLEntryExists:
		return "give " + where + " a rule number no other entry of the same direction in the ACL uses"
	case p.Code == model.CodeRouteExists:
		return "keep one route per destination in the table: remove " + where + " or change its destination"
	case p.Code == model.CodeAlreadyAssociated:
		return "attach " + where + " to one VPC only; give the other VPC its own internet gateway"
	case p.Attribute == "GatewayId" || p.Attribute == "NatGatewayId" || p.Attribute == "VpcEndpointId":
		return "point " + where + " at a gateway of the route table's own VPC"
	}
	return "write " + p.Attribute + " of " + where + " as a network address (host bits zero)"
}
