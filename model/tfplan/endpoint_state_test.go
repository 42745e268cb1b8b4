package tfplan

import (
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
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

// TestEndpointTypeKnownAfterApply: a real plan whose endpoints' types are
// known only after apply. What each is given tells its type: the STS
// endpoint has security groups (interface endpoints only), the S3 one
// route tables (gateway endpoints only). The STS endpoint gets its
// planned interface in its subnet, the S3 endpoint its prefix-list route,
// and both say what they were taken as.
func TestEndpointTypeKnownAfterApply(t *testing.T) {
	m, p := loadHCLPlan(t, "endpoint-type-unknown")
	sts, s3 := m.Endpoints["vpce-(aws_vpc_endpoint.sts)"], m.Endpoints["vpce-(aws_vpc_endpoint.s3)"]
	if sts == nil || s3 == nil {
		t.Fatalf("endpoints: %v", model.SortedKeys(m.Endpoints))
	}
	if sts.Type != model.EndpointInterface || len(sts.ENIs) != 1 {
		t.Errorf("sts: type %s, interfaces %v", sts.Type, sts.ENIs)
	}
	if s3.Type != model.EndpointGateway {
		t.Errorf("s3: type %s", s3.Type)
	}
	rt := m.RouteTables["rtb-(aws_route_table.private)"]
	found := false
	for _, r := range rt.Routes {
		found = found || r.DestPrefixList != "" && r.Target.ID == s3.ID
	}
	if !found {
		t.Errorf("no prefix-list route to the S3 endpoint in %+v", rt.Routes)
	}
	for _, ep := range []*model.VPCEndpoint{sts, s3} {
		if as := strings.Join(m.Assumptions[ep.ID], " "); !strings.Contains(as, "taken as "+ep.Type) {
			t.Errorf("%s: assumptions %q", ep.ID, as)
		}
	}
	for _, w := range p.Warnings {
		if strings.Contains(w.Msg, "vpc_endpoint_type") {
			t.Errorf("a type the configuration tells is warned about: %+v", w)
		}
	}
}
