package snapshot

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// sharedFixtures is the workplace's folder of real AWS data from public
// projects (see its MANIFEST.tsv for sources and licences). It is not part
// of the repository, so tests that need it skip on a user's clone.
var sharedFixtures = filepath.Join("..", "..", "..", "shared", "fixtures", "external")

// fixtureSnapshots lists every snapshot folder in the shared fixtures:
// Batfish's aws_configs folders, the cloudmapper demo account, and each
// cloud-custodian placebo recording folder.
func fixtureSnapshots(t *testing.T) []string {
	t.Helper()
	if _, err := os.Stat(sharedFixtures); err != nil {
		t.Skip("../shared/fixtures/external is absent (a user's clone): skipping the real-data tests")
	}
	var dirs []string
	err := filepath.WalkDir(sharedFixtures, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "aws_configs" || strings.HasSuffix(p, filepath.Join("cloudmapper", "account-data", "demo"))) {
			dirs = append(dirs, p)
			return filepath.SkipDir
		}
		if d.IsDir() && filepath.Base(filepath.Dir(p)) == "placebo" {
			dirs = append(dirs, p)
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(dirs)
	return dirs
}

// TestSharedFixturesLoad loads every real snapshot and compares a summary
// of what the model holds with testdata/fixtures.golden. Set
// VPCPATH_UPDATE_GOLDEN=1 to rewrite it.
func TestSharedFixturesLoad(t *testing.T) {
	dirs := fixtureSnapshots(t)
	if len(dirs) < 200 {
		t.Fatalf("found only %d fixture snapshots; the layout changed?", len(dirs))
	}
	var b strings.Builder
	for _, d := range dirs {
		m, w, err := LoadDir(d)
		rel, _ := filepath.Rel(sharedFixtures, d)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		rules := 0
		for _, g := range m.SecurityGroups {
			rules += len(g.Ingress) + len(g.Egress)
		}
		entries := 0
		for _, a := range m.NetworkACLs {
			entries += len(a.Inbound) + len(a.Outbound)
		}
		fmt.Fprintf(&b, "%s regions=%s vpcs=%d subnets=%d route_tables=%d groups=%d group_rules=%d acls=%d acl_entries=%d enis=%d instances=%d endpoints=%d nat=%d igw=%d prefix_lists=%d peerings=%d tgws=%d tgw_attachments=%d tgw_route_tables=%d tgw_routes=%d vgws=%d vpns=%d customer_gateways=%d dx_gateways=%d virtual_interfaces=%d zones=%d records=%d resolver_rules=%d endpoint_services=%d dhcp_options=%d dangling=%d warnings=%d\n",
			filepath.ToSlash(rel), strings.Join(m.Regions, ","), len(m.VPCs), len(m.Subnets), len(m.RouteTables), len(m.SecurityGroups), rules,
			len(m.NetworkACLs), entries, len(m.ENIs), len(m.Instances), len(m.Endpoints), len(m.NATGateways), len(m.InternetGateways),
			len(m.PrefixLists), len(m.Peerings), len(m.TransitGateways), len(m.TGWAttachments), len(m.TGWRouteTables), tgwRoutes(m),
			len(m.VPNGateways), len(m.VPNConnections), len(m.CustomerGateways), len(m.DXGateways), len(m.VirtualInterfaces), len(m.HostedZones), records(m), len(m.ResolverRules), len(m.EndpointServices), len(m.DHCPOptions), len(m.Dangling), len(w))
	}
	golden := filepath.Join("testdata", "fixtures.golden")
	if os.Getenv("VPCPATH_UPDATE_GOLDEN") != "" {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
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

func records(m *model.Model) int {
	n := 0
	for _, z := range m.HostedZones {
		n += len(z.Records)
	}
	return n
}

func tgwRoutes(m *model.Model) int {
	n := 0
	for _, rt := range m.TGWRouteTables {
		n += len(rt.Routes)
	}
	return n
}
