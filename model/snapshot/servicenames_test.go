package snapshot

import "testing"

// describe-vpc-endpoint-services (the collector's
// ec2-describe-vpc-endpoint-services.json) lists every service name twice:
// in ServiceDetails, which is read, and alone in ServiceNames. The names are
// not "not modelled" when their details are read; alone they are.
func TestServiceNamesBesideDetails(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		warn       bool
	}{
		{"names after details", `{"ServiceDetails": [{"ServiceName": "com.amazonaws.us-east-1.s3"}], "ServiceNames": ["com.amazonaws.us-east-1.s3"]}`, false},
		{"names before details", `{"ServiceNames": ["com.amazonaws.us-east-1.s3"], "ServiceDetails": [{"ServiceName": "com.amazonaws.us-east-1.s3"}]}`, false},
		{"names alone", `{"ServiceNames": ["com.amazonaws.us-east-1.s3"]}`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, w := mustLoad(t, map[string]string{"ec2-describe-vpc-endpoint-services.json": tc.file})
			if got := warned(w, "not modelled yet, ignored: ServiceNames (1 files)"); got != tc.warn {
				t.Errorf("ServiceNames reported as not modelled: %v, want %v; warnings %v", got, tc.warn, w)
			}
			if _, ok := m.EndpointServices["com.amazonaws.us-east-1.s3"]; ok == tc.warn {
				t.Errorf("service read from its details: %v, want %v", ok, !tc.warn)
			}
		})
	}
}
