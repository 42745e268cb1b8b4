package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/simulate"
)

// TestTerraformFixesApply takes the HCL that a trace's fix proposes for a
// plan made by real terraform, adds it to the configuration, plans again
// with terraform and traces again: the flow must now be reachable. It
// proves the fix is valid HCL that does what the AWS CLI command does.
// A row with all set traces with --fix all and adds every change's HCL,
// each where its summary says (a block into the resource it names, else a
// new resource): the flow must be reachable after all of them.
// It needs the terraform CLI and the hashicorp/aws provider in a
// filesystem mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins), and
// skips without them.
func TestTerraformFixesApply(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform")
	}
	tf, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform is not installed")
	}
	mirror := os.Getenv("TF_PLUGIN_MIRROR")
	if mirror == "" {
		mirror = "/opt/tf-plugins"
	}
	if _, err := os.Stat(filepath.Join(mirror, "registry.terraform.io", "hashicorp", "aws")); err != nil {
		t.Skipf("no hashicorp/aws provider in %s", mirror)
	}
	type row struct {
		fixture, from, to, port string
		// where puts the code into main.tf: "" appends it (a new
		// resource), else it goes right after this line (a block).
		where string
		// replace, when set, is a line of main.tf the code replaces (an
		// argument the fix changes).
		replace string
		all     bool // --fix all: every change's code, placed by its summary
	}
	rows := []row{
		{"fix-routes-and-rules", "i-(aws_instance.app)", "i-(aws_instance.peer)", "8443", "", "", false},
		{"fix-routes-and-rules", "i-(aws_instance.app)", "151.101.0.223", "443", "", "", false},
		{"s3-gateway-endpoint-no-list", "i-(aws_instance.app)", "i-(aws_instance.peer)", "8443", `resource "aws_security_group" "app" {`, "", false},
		// Two entries into one inline ACL: the request's port inbound, the
		// reply's ephemeral ports outbound (the return path).
		{"nacl-inline-no-ephemeral", "i-(aws_instance.client)", "i-(aws_instance.app)", "8080", "", "", true},
		// The reply leaves by a NAT gateway: the route's target is
		// replaced (replace-route), one argument for another.
		{"replace-route-nat-to-igw", "internet", "i-(aws_instance.bastion)", "22", "", "nat_gateway_id         = aws_nat_gateway.nat.id", false},
		// No public address, no ingress rule: an Elastic IP on the instance
		// (associate-address), then the rule.
		{"public-instance-no-public-ip", "internet", "i-(aws_instance.web)", "443", "", "", true},
	}
	work := t.TempDir()
	cfg := filepath.Join(work, "cli.tfrc")
	os.WriteFile(cfg, []byte(`provider_installation {
  filesystem_mirror {
    path    = "`+mirror+`"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
`), 0o644)
	terraform := func(dir string, args ...string) []byte {
		t.Helper()
		cmd := exec.Command(tf, args...)
		cmd.Dir = dir
		// One data directory for all: the provider is installed once.
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+cfg, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_DATA_DIR="+filepath.Join(work, "tfdata"))
		out, err := cmd.Output()
		if err != nil {
			stderr := ""
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = string(ee.Stderr)
			}
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, stderr)
		}
		return out
	}
	trace := func(plan string, r row, extra ...string) simulate.Result {
		t.Helper()
		var out, errOut bytes.Buffer
		run(append([]string{"trace", "-q", "--plan", plan, "--from", r.from, "--to", r.to, "--port", r.port, "-o", "json"}, extra...), &streams{Out: &out, ErrOut: &errOut})
		var res simulate.Result
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatalf("trace: %v\n%s%s", err, out.String(), errOut.String())
		}
		return res
	}
	// Each fixture gets all the fixes of its flows, and one plan.
	byFixture := map[string][]int{}
	var fixtures []string
	for i, r := range rows {
		if byFixture[r.fixture] == nil {
			fixtures = append(fixtures, r.fixture)
		}
		byFixture[r.fixture] = append(byFixture[r.fixture], i)
	}
	for n, fixture := range fixtures {
		t.Run(fixture, func(t *testing.T) {
			src := filepath.Join("..", "..", "testdata", "terraform", fixture)
			hcl, err := os.ReadFile(filepath.Join(src, "main.tf"))
			if err != nil {
				t.Fatal(err)
			}
			text := string(hcl)
			for _, i := range byFixture[fixture] {
				r := rows[i]
				if r.all {
					text = addAllFixes(t, text, trace(filepath.Join(src, "plan.json"), r, "--fix", "all"))
					continue
				}
				before := trace(filepath.Join(src, "plan.json"), r)
				if before.Verdict != simulate.Blocked || len(before.FixSource) != 1 || before.FixSource[0].Language != "terraform" {
					t.Fatalf("%s -> %s: want a blocked flow with one Terraform fix, got %s %+v", r.from, r.to, before.Verdict, before.FixSource)
				}
				code := before.FixSource[0].Code
				if r.replace != "" {
					if !strings.Contains(text, r.replace) {
						t.Fatalf("main.tf has no %q", r.replace)
					}
					text = strings.Replace(text, r.replace, strings.TrimSuffix(code, "\n"), 1)
					continue
				}
				if r.where == "" {
					text += "\n" + code
					continue
				}
				if !strings.Contains(text, r.where) {
					t.Fatalf("main.tf has no %q", r.where)
				}
				text = strings.Replace(text, r.where, r.where+"\n"+code, 1)
			}
			dir := filepath.Join(work, strings.Repeat("x", n+1))
			os.MkdirAll(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "main.tf"), []byte(text), 0o644)
			os.WriteFile(filepath.Join(dir, "provider.tf"), []byte(providerTF), 0o644)
			lock := filepath.Join(work, "lock.hcl")
			if data, err := os.ReadFile(lock); err == nil {
				os.WriteFile(filepath.Join(dir, ".terraform.lock.hcl"), data, 0o644)
			} else {
				terraform(dir, "init", "-input=false", "-no-color")
				data, _ := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
				os.WriteFile(lock, data, 0o644)
			}
			terraform(dir, "plan", "-input=false", "-no-color", "-refresh=false", "-out=p")
			os.WriteFile(filepath.Join(dir, "plan.json"), terraform(dir, "show", "-json", "p"), 0o644)
			for _, i := range byFixture[fixture] {
				if after := trace(filepath.Join(dir, "plan.json"), rows[i]); after.Verdict != simulate.Reachable {
					t.Errorf("%s -> %s: after the fixes\n%s\nthe flow is %s: %+v", rows[i].from, rows[i].to, text, after.Verdict, after.BlockedBy)
				}
			}
		})
	}
}

// addAllFixes adds the Terraform code of every change of a --fix all
// trace to main.tf's text: a block right after the header of the resource
// its summary names ("add to resource aws_network_acl.app (...)"), else at
// the end (a new resource).
func addAllFixes(t *testing.T, text string, res simulate.Result) string {
	t.Helper()
	if res.Verdict != simulate.Blocked || res.AfterFixes == nil || res.AfterFixes.Verdict != simulate.Reachable || len(res.FixesAll) < 2 {
		t.Fatalf("want a blocked flow that several changes make reachable, got %s, %d changes, after %+v", res.Verdict, len(res.FixesAll), res.AfterFixes)
	}
	for _, s := range res.FixesAll {
		if len(s.Source) != 1 || s.Source[0].Language != "terraform" {
			t.Fatalf("change %s: want one Terraform fix, got %+v", s.Change.Command, s.Source)
		}
		f := s.Source[0]
		addr, inside := strings.CutPrefix(f.Summary, "add to resource ")
		if !inside {
			text += "\n" + f.Code
			continue
		}
		addr, _, _ = strings.Cut(addr, " ")
		typ, name, _ := strings.Cut(addr, ".")
		header := `resource "` + typ + `" "` + name + `" {`
		if !strings.Contains(text, header) {
			t.Fatalf("main.tf has no %q", header)
		}
		text = strings.Replace(text, header, header+"\n"+f.Code, 1)
	}
	return text
}

// providerTF is what scripts/terraform-plans.sh adds to each network of
// testdata/terraform: the provider, with every call to AWS skipped.
const providerTF = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}
`
