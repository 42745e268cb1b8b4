package check

import (
	"strings"
	"testing"
)

// An endpoint whose state the loader assumed (a planned one: its state is
// unknown until apply) is not reported "available" as a fact: the shape
// check says it is assumed and why; a described endpoint's state is a fact.
func TestEndpointAvailableSaysWhenAssumed(t *testing.T) {
	const why = "vpce-0a0000000000e0001 (aws_vpc_endpoint.rest) is planned: its state is unknown until apply and taken as available"
	for _, tc := range []struct {
		name    string
		assumed bool
		want    string
	}{
		{"described", false, "available"},
		{"planned", true, "available (assumed: " + why + ")"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := example(t)
			if tc.assumed {
				m.Assumptions["vpce-0a0000000000e0001"] = []string{why}
			}
			p, err := ProfileByName("databricks-privatelink")
			if err != nil {
				t.Fatal(err)
			}
			_, shape, _, err := p.Build(m, nil)
			if err != nil {
				t.Fatal(err)
			}
			found := map[string]string{}
			for _, o := range shape {
				if id, ok := strings.CutPrefix(o.Name, "endpoint available: "); ok {
					found[id] = string(o.Status) + " " + o.Detail
				}
			}
			if got := found["vpce-0a0000000000e0001"]; got != "PASS "+tc.want {
				t.Errorf("REST endpoint: %q, want %q", got, "PASS "+tc.want)
			}
			if got := found["vpce-0a0000000000e0002"]; got != "PASS available" {
				t.Errorf("relay endpoint (described): %q", got)
			}
		})
	}
}
