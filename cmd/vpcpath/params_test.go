package main

import (
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// cmd names the flag in a profile's parameter errors.
func TestRequirementsNameTheFlag(t *testing.T) {
	for _, tc := range []struct {
		profile string
		params  []string
		want    string
	}{
		{"databricks-privatelink", nil, "cannot tell which VPC is the workspace's: give --param vpc=<vpc-id>"},
		{"databricks-privatelink", []string{"vpc=vpc-1"}, "--param vpc=vpc-1: not in the snapshot"},
		{"databricks-privatelink", []string{"vpc"}, `--param "vpc": want key=value`},
	} {
		_, _, _, err := requirements(model.New(), tc.profile, tc.params, "")
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s %v: got %v, want %q", tc.profile, tc.params, err, tc.want)
		}
	}
}
