package cfn_test

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/cfn"
	"github.com/vpcpath/vpcpath/simulate/check"
)

// sharedFixtures is the workplace's folder of real data from public
// projects (licences in its MANIFEST.tsv), beside the repository (or
// beside the folder of its worktrees). It is not part of the repository,
// so the tests that need it skip on a user's clone.
var sharedFixtures = func() string {
	p := filepath.Join("..", "..", "..", "shared", "fixtures", "external")
	for i := 0; i < 2; i++ {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		p = filepath.Join("..", p)
	}
	return p
}()

// fixtureParams are the parameters a stack of each fixture is created
// with where the template has no default (as a user would give them).
var fixtureParams = map[string]map[string]string{
	"cfn__aws-quickstart__quickstart-aws-vpc/templates/aws-vpc.template.yaml":                     {"AvailabilityZones": "us-east-1a,us-east-1b"},
	"cfn__awslabs__aws-cloudformation-templates/aws/solutions/PersistAZMapping/FindInMapAZs.yaml": {"AWS::Region": "sa-east-1"},
	"cfn__aws-samples__amazon-sagemaker-studio-vpc-networkfirewall/cfn_templates/vpc.yaml": {"VPCCIDR": "10.2.0.0/16",
		"FirewallSubnetCIDR": "10.2.1.0/24", "NATGatewaySubnetCIDR": "10.2.2.0/24", "SageMakerStudioSubnetCIDR": "10.2.3.0/24"},
}

func fixtureTemplates(t *testing.T) []string {
	t.Helper()
	if _, err := os.Stat(sharedFixtures); err != nil {
		t.Skip("../shared/fixtures/external is absent (a user's clone): skipping the real-template tests")
	}
	dirs, _ := filepath.Glob(filepath.Join(sharedFixtures, "cfn__*"))
	var files []string
	for _, d := range dirs {
		filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				files = append(files, p)
			}
			return err
		})
	}
	sort.Strings(files)
	return files
}

func load(t *testing.T, rel string) (*model.Model, *cfn.Template) {
	t.Helper()
	params := map[string]string{"AWS::Region": "us-east-1"}
	for k, v := range fixtureParams[rel] {
		params[k] = v
	}
	tm, err := cfn.Load(filepath.Join(sharedFixtures, rel), cfn.Options{Params: params})
	if err != nil {
		t.Fatal(err)
	}
	m, err := tm.Model()
	if err != nil {
		t.Fatal(err)
	}
	return m, tm
}

func prefixes(s ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, x := range s {
		out = append(out, netip.MustParsePrefix(x))
	}
	return out
}

func summary(m *model.Model) string {
	rules, entries, routes, unknowns, records := 0, 0, 0, 0, 0
	for _, g := range m.SecurityGroups {
		rules += len(g.Ingress) + len(g.Egress)
		for _, r := range append(append([]model.SGRule{}, g.Ingress...), g.Egress...) {
			if r.Unknown != "" {
				unknowns++
			}
		}
	}
	for _, a := range m.NetworkACLs {
		entries += len(a.Inbound) + len(a.Outbound)
		for _, e := range append(append([]model.NACLEntry{}, a.Inbound...), a.Outbound...) {
			if e.Unknown != "" {
				unknowns++
			}
		}
	}
	for _, rt := range m.RouteTables {
		routes += len(rt.Routes)
		for _, r := range rt.Routes {
			if r.Unknown != "" {
				unknowns++
			}
		}
	}
	for _, z := range m.HostedZones {
		records += len(z.Records)
	}
	assumptions := 0
	for _, a := range m.Assumptions {
		assumptions += len(a)
	}
	return fmt.Sprintf("vpcs=%d subnets=%d route_tables=%d routes=%d groups=%d group_rules=%d acls=%d acl_entries=%d enis=%d instances=%d endpoints=%d nat=%d igw=%d prefix_lists=%d peerings=%d tgws=%d tgw_attachments=%d zones=%d records=%d unknown=%d dangling=%d assumptions=%d",
		len(m.VPCs), len(m.Subnets), len(m.RouteTables), routes, len(m.SecurityGroups), rules, len(m.NetworkACLs), entries,
		len(m.ENIs), len(m.Instances), len(m.Endpoints), len(m.NATGateways), len(m.InternetGateways), len(m.PrefixLists),
		len(m.Peerings), len(m.TransitGateways), len(m.TGWAttachments), len(m.HostedZones), records, unknowns, len(m.Dangling), assumptions)
}

// TestSharedFixtureTemplates loads every real template and compares a
// summary of each with testdata/templates.golden.
// VPCPATH_UPDATE_GOLDEN=1 rewrites it.
func TestSharedFixtureTemplates(t *testing.T) {
	files := fixtureTemplates(t)
	if len(files) < 14 {
		t.Fatalf("found only %d fixture templates; the layout changed?", len(files))
	}
	var b strings.Builder
	for _, f := range files {
		rel, _ := filepath.Rel(sharedFixtures, f)
		rel = filepath.ToSlash(rel)
		m, tm := load(t, rel)
		fmt.Fprintf(&b, "%s %s warnings=%d\n", rel, summary(m), len(tm.Warnings))
	}
	golden := filepath.Join("testdata", "templates.golden")
	if os.Getenv("VPCPATH_UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("summary differs from %s at line %d:\n got %s\nwant %s", golden, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("summary has %d lines, golden %d", len(gl), len(wl))
	}
}

// TestSharedFixtureFlows checks the flows each real template obviously
// builds, selecting subnets by logical ID. Right answers from AWS's
// behaviour: a private subnet whose table sends 0.0.0.0/0 to a NAT
// gateway in a public subnet (route to the internet gateway, network ACL
// allowing all) reaches the internet on 443 through both; a VPC without
// an internet gateway does not; two subnets of one VPC reach each other
// inside the default group.
func TestSharedFixtureFlows(t *testing.T) {
	fixtureTemplates(t)
	tests := []struct {
		rel     string
		intents string
		pass    int
	}{
		{"cfn__aws-quickstart__quickstart-aws-vpc/templates/aws-vpc.template.yaml", `
requirements:
  - {name: private 1A to the internet, from: {subnet: [PrivateSubnet1A]}, to: {internet: true}, protocol: tcp, ports: ["443"], via: [nat-gateway, internet-gateway]}
  - {name: private 2A to the internet, from: {subnet: [PrivateSubnet2A]}, to: {internet: true}, protocol: tcp, ports: ["443"], via: [nat-gateway, internet-gateway]}
  - {name: private 1A to 2A, from: {subnet: [PrivateSubnet1A]}, to: {subnet: [PrivateSubnet2A]}, protocol: tcp, ports: ["22"]}
`, 3},
		{"cfn__awslabs__aws-cloudformation-templates/aws/services/VPC/VPC_With_Managed_NAT_And_Private_Subnet.yaml", `
requirements:
  - {name: private 0 to the internet, from: {subnet: [PrivateSubnet0]}, to: {internet: true}, protocol: tcp, ports: ["443"], via: [nat-gateway]}
  - {name: private 1 to the internet, from: {subnet: [PrivateSubnet1]}, to: {internet: true}, protocol: tcp, ports: ["443"], via: [nat-gateway]}
`, 2},
		{"cfn__awslabs__aws-cloudformation-templates/aws/services/ECS/FargateLaunchType/clusters/private-vpc.yml", `
requirements:
  - {name: private one to the internet, from: {subnet: [PrivateSubnetOne]}, to: {internet: true}, protocol: tcp, ports: ["443"], via: [nat-gateway]}
`, 1},
		{"cfn__awslabs__aws-cloudformation-templates/aws/solutions/CloudFormationEndpointSignals/cfn-endpoint-waitcondition-no-igw.yaml", `
requirements:
  - {name: no internet without a gateway, from: {subnet: [PrivateSubnet1]}, to: {internet: true}, protocol: tcp, ports: ["443"], expect: blocked}
`, 1},
	}
	// The stacks are built over a network that holds the region's AWS
	// prefix lists (as describe-prefix-lists gives them; the S3 one from
	// the bundled example), as with --template over --snapshot: without
	// them a gateway endpoint's route may hold any address, and the
	// answers are honestly unknown.
	base := prefixListBase()
	for _, tc := range tests {
		t.Run(filepath.Base(tc.rel), func(t *testing.T) {
			_, tm := load(t, tc.rel)
			m, err := cfn.Overlay(base, tm)
			if err != nil {
				t.Fatal(err)
			}
			f, err := check.Parse("intents.yaml", []byte(tc.intents))
			if err != nil {
				t.Fatal(err)
			}
			outs := check.Run(m, f, check.Options{})
			pass := 0
			for _, o := range outs {
				if o.Status == check.Pass {
					pass++
				} else {
					t.Errorf("%s %s: %s %s", o.Status, o.Name, o.From, o.Detail)
				}
			}
			if pass != tc.pass {
				t.Errorf("%d passed, want %d", pass, tc.pass)
			}
		})
	}
}
