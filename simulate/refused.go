package simulate

import "github.com/vpcpath/vpcpath/model"

// Invalid is the verdict of a trace over a network AWS would refuse to
// create (model.Validate found problems): the network cannot exist as
// described, so no packet crosses it, and no hop is traced.
const Invalid Verdict = "invalid"

// RefusedResult is the answer to q on a network with problems: verdict
// invalid, each problem in Refused, the flow as far as the question
// resolves (flow may be zero).
func RefusedResult(flow Flow, problems []model.Problem) Result {
	return Result{SchemaVersion: SchemaVersion, Flow: flow, Verdict: Invalid, Hops: []Hop{}, ReturnHops: []Hop{},
		Assumptions: []string{}, Refused: problems}
}
