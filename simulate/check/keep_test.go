package check

import (
	"reflect"
	"testing"
)

func TestDiscovered(t *testing.T) {
	p, err := ProfileByName("databricks-privatelink")
	if err != nil {
		t.Fatal(err)
	}
	notes := []string{
		"vpc: vpc-1 (holds the Databricks endpoint vpce-1)",
		"rest_endpoint: vpce-1 (service com.amazonaws.vpce.us-east-1.vpce-svc-x, us-east-1's workspace service)",
		"relay_endpoint: vpce-3 serves the same service and is not checked (give --param relay_endpoint=... to choose)",
		"workspace_sg: sg-1,sg-2 (admitted by vpce-1's groups)",
		"workspace_subnets: subnet-a,subnet-b (given)",
		"egress: nat (the workspace subnets' default route)",
		"S3: the addresses of prefix list com.amazonaws.us-east-1.s3 are not known (add ...)",
		"not_a_param: x (y)",
	}
	want := map[string]string{"vpc": "vpc-1", "rest_endpoint": "vpce-1", "workspace_sg": "sg-1,sg-2", "egress": "nat"}
	if got := p.Discovered(notes); !reflect.DeepEqual(got, want) {
		t.Errorf("Discovered = %v, want %v", got, want)
	}
}

// What a profile discovers on a network, given back as parameters, builds
// the same requirements: diff keeps them for the network after a change.
func TestDiscoveredBuildsTheSame(t *testing.T) {
	m := example(t)
	for _, p := range Profiles() {
		if p.Name == "s3-via-gateway-endpoint" || p.Name == "segmentation" {
			continue // needs --param subnets (apart)
		}
		f, _, notes, err := p.Build(m, nil)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		kept := p.Discovered(notes)
		if p.Name == "databricks-privatelink" && len(kept) < 5 {
			t.Errorf("%s: only %v discovered from %q", p.Name, kept, notes)
		}
		g, _, _, err := p.Build(m, kept)
		if err != nil {
			t.Fatalf("%s with %v: %v", p.Name, kept, err)
		}
		if !reflect.DeepEqual(f.Requirements, g.Requirements) {
			t.Errorf("%s: the kept parameters %v build other requirements", p.Name, kept)
		}
	}
}
