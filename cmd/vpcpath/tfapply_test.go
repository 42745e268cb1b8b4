package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/awscollect"
	"github.com/vpcpath/vpcpath/model/awscollect/mototest"
	"github.com/vpcpath/vpcpath/model/snapshot"
	"github.com/vpcpath/vpcpath/model/tfplan"
	"github.com/vpcpath/vpcpath/simulate"
)

// tfMirror is where the machine image keeps the hashicorp/aws provider.
const tfMirror = "/opt/tf-plugins"

// TestPlanAgainstWhatGetsBuilt applies networks of the HCL corpus
// (testdata/terraform) to moto_server with real Terraform, collects them
// as `vpcpath collect` does, and checks that every flow between their
// instances, and from each to the internet, gets the same verdict on the
// committed plan (what the gate sees before apply) as on the collected
// snapshot (what got built), except where the plan honestly says unknown.
//
// Moto's gaps that force an exception are named in moto below; none of
// the networks here needs one for a verdict. Moto gives a NAT gateway's
// interface an address outside its subnet (the loader warns and the NAT
// path is unaffected, the gateway's own record holds the right subnet).
func TestPlanAgainstWhatGetsBuilt(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: applying Terraform to moto_server takes minutes")
	}
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not on PATH: skipping the plan-against-apply test")
	}
	if _, err := os.Stat(filepath.Join(tfMirror, "registry.terraform.io", "hashicorp", "aws")); err != nil {
		t.Skipf("no hashicorp/aws provider mirror at %s: skipping the plan-against-apply test", tfMirror)
	}
	srv := mototest.New(t)
	work := t.TempDir()
	cli := filepath.Join(work, "cli.tfrc")
	writeFile(t, cli, fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
plugin_cache_dir = %q
`, tfMirror, filepath.Join(work, "cache")))
	if err := os.MkdirAll(filepath.Join(work, "cache"), 0o755); err != nil {
		t.Fatal(err)
	}
	srv.Setenv(t, "us-east-1")
	for _, net := range []struct {
		name  string
		ports []uint16
	}{
		// Two networks keep the test near three minutes (moto and the
		// provider wait on every instance); sg-rule-resources and
		// nacl-inline-no-ephemeral agreed too when tried (12 flows).
		{"public-instance-subnet-maps-ip", []uint16{443, 22}},
		{"route-inline-blocks", []uint16{8080, 443}},
	} {
		t.Run(net.name, func(t *testing.T) {
			if err := srv.Reset(); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(work, net.name)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			corpus := filepath.Join("..", "..", "testdata", "terraform", net.name)
			src, err := os.ReadFile(filepath.Join(corpus, "main.tf"))
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "main.tf"), string(src))
			writeFile(t, filepath.Join(dir, "provider.tf"), fmt.Sprintf(`terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = %q
  secret_key                  = %q
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  endpoints {
    ec2     = %q
    sts     = %q
    route53 = %q
  }
}
`, mototest.AccessKeyID, mototest.SecretAccessKey, srv.URL, srv.URL, srv.URL))
			terraform := func(args ...string) []byte {
				t.Helper()
				cmd := exec.Command(tf, args...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cli, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
				out, err := cmd.Output()
				if err != nil {
					stderr := ""
					if ee, ok := err.(*exec.ExitError); ok {
						stderr = string(ee.Stderr)
					}
					t.Fatalf("terraform %s: %v\n%s\n%s", strings.Join(args, " "), err, out, stderr)
				}
				return out
			}
			terraform("init", "-input=false", "-no-color")
			// -parallelism=1: with the provider's ten parallel creates,
			// moto_server once answered InvalidPermission.NotFound to the
			// revoke of a new group's default egress rule (seen in one
			// fresh-clone run of .ci/run, not reproduced; taken for a race
			// in moto's EC2 backend). A moto gap, worked around here only.
			terraform("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=1")
			instances := stateInstances(t, terraform("show", "-json"))

			snap, cleanup, err := awscollect.CollectToTempDir(context.Background(), awscollect.Options{Regions: []string{"us-east-1"}})
			defer cleanup()
			if err != nil {
				t.Fatalf("collect: %v", err)
			}
			built, _, err := snapshot.LoadDir(snap)
			if err != nil {
				t.Fatal(err)
			}
			p, err := tfplan.Load(filepath.Join(corpus, "plan.json"))
			if err != nil {
				t.Fatal(err)
			}
			planned, err := p.Model()
			if err != nil {
				t.Fatal(err)
			}
			compared, unknown := 0, 0
			for _, a := range sortedAddrs(instances) {
				dsts := append(sortedAddrs(instances), "internet")
				for _, b := range dsts {
					if a == b {
						continue
					}
					for _, port := range net.ports {
						pv, pwhy := verdictOf(planned, "i-("+a+")", placeholderTo(b), port)
						bv, bwhy := verdictOf(built, instances[a], builtTo(instances, b), port)
						if pv == simulate.Unknown {
							unknown++
							continue
						}
						compared++
						if pv != bv {
							t.Errorf("%s -> %s tcp/%d: the plan says %s (%s), the built network %s (%s)", a, b, port, pv, pwhy, bv, bwhy)
						}
					}
				}
			}
			if compared == 0 {
				t.Fatalf("no flow compared (%d unknown on the plan)", unknown)
			}
			t.Logf("%d flows agree, %d unknown on the plan", compared, unknown)
		})
	}
}

// stateInstances maps the applied instances' addresses to their IDs, from
// terraform show -json of the state.
func stateInstances(t *testing.T, data []byte) map[string]string {
	t.Helper()
	var st struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Type    string         `json:"type"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range st.Values.RootModule.Resources {
		if r.Type == "aws_instance" {
			id, _ := r.Values["id"].(string)
			out[r.Address] = id
		}
	}
	if len(out) == 0 {
		t.Fatal("no instance in the applied state")
	}
	return out
}

func sortedAddrs(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func placeholderTo(b string) string {
	if b == "internet" {
		return "8.8.8.8"
	}
	return "i-(" + b + ")"
}

func builtTo(instances map[string]string, b string) string {
	if b == "internet" {
		return "8.8.8.8"
	}
	return instances[b]
}

func verdictOf(m *model.Model, from, to string, port uint16) (simulate.Verdict, string) {
	r, err := simulate.Trace(m, simulate.Query{From: from, To: to, Protocol: model.ProtoTCP, Port: port})
	if err != nil {
		return "error", err.Error()
	}
	if r.BlockedBy != nil {
		return r.Verdict, string(r.BlockedBy.Component) + " " + r.BlockedBy.ID + ": " + r.BlockedBy.Reason
	}
	return r.Verdict, ""
}
