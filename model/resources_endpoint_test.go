package model

import "testing"

// TestEndpointTypeFrom: what an endpoint is given and its service decide
// its type where only one type can take them, and nothing else does.
func TestEndpointTypeFrom(t *testing.T) {
	const s3, sts, svc = "com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.sts", "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
	for _, c := range []struct {
		service                      string
		routeTables, subnets, groups bool
		want                         string
	}{
		{s3, true, false, false, EndpointGateway},
		{sts, false, true, true, EndpointInterface},
		{svc, false, false, true, EndpointInterface},  // groups: an interface endpoint, whatever the service
		{s3, false, true, false, EndpointInterface},   // subnets rule out a gateway; AWS's service rules out a load balancer
		{sts, false, false, false, EndpointInterface}, // STS has no gateway endpoint
		{s3, false, false, false, ""},                 // gateway or interface
		{svc, false, true, false, ""},                 // interface or Gateway Load Balancer
		{"", false, false, false, ""},                 // nothing to tell
		{s3, true, true, false, ""},                   // given what no one type takes
		{"com.amazonaws.us-east-1.dynamodb", false, false, false, ""},
		{"com.amazonaws.us-east-1.s3express", false, false, false, ""},
	} {
		got, why := EndpointTypeFrom(c.service, c.routeTables, c.subnets, c.groups)
		if got != c.want || (got == "") != (why == "") {
			t.Errorf("%s, route tables %v, subnets %v, groups %v: %q (%s), want %q", c.service, c.routeTables, c.subnets, c.groups, got, why, c.want)
		}
	}
}
