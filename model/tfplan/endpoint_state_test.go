package tfplan

import (
	"strings"
	"testing"
)

// A planned endpoint's state is unknown until apply: the loader takes it as
// available and records that as an assumption (which traces and checks
// list); a state the plan gives is a fact, with no assumption.
func TestPlannedEndpointStateIsAnAssumption(t *testing.T) {
	const id = "vpce-(aws_vpc_endpoint.s3)"
	for _, tc := range []struct {
		name    string
		state   any // the planned "state"; nil: unknown until apply
		want    string
		assumed bool
	}{
		{"created: unknown until apply", nil, "available", true},
		{"given by the plan", "pendingAcceptance", "pendingAcceptance", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vals := map[string]any{"service_name": "com.amazonaws.us-east-1.s3", "vpc_endpoint_type": "Gateway"}
			refs := map[string][]string{"vpc_id": {"aws_vpc.main"}}
			if tc.state != nil {
				vals["state"] = tc.state
			} else {
				refs["state"] = nil
			}
			m, _ := load(t, vpc, res{addr: "aws_vpc_endpoint.s3", vals: vals, refs: refs})
			ep := m.Endpoints[id]
			if ep == nil || ep.State != tc.want {
				t.Fatalf("endpoint %+v, want state %s", ep, tc.want)
			}
			as := m.Assumptions[id]
			if got := len(as) == 1 && strings.Contains(as[0], id+" (aws_vpc_endpoint.s3) is planned: its state is unknown until apply and taken as available"); got != tc.assumed {
				t.Errorf("state recorded as an assumption: %v, want %v (%q)", got, tc.assumed, as)
			}
			if !tc.assumed && len(as) != 0 {
				t.Errorf("assumptions %q", as)
			}
		})
	}
}
