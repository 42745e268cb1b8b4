package tfplan

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// sharedFixtures is the workplace's folder of real data from public
// projects (licences in its MANIFEST.tsv). It is not part of the
// repository, so the tests that need it skip on a user's clone.
var sharedFixtures = filepath.Join("..", "..", "..", "shared", "fixtures", "external")

// fixturePlans lists every Terraform plan JSON in the shared fixtures: the
// files with planned_values.
func fixturePlans(t *testing.T) []string {
	t.Helper()
	if _, err := os.Stat(sharedFixtures); err != nil {
		t.Skip("../shared/fixtures/external is absent (a user's clone): skipping the real-plan tests")
	}
	var files []string
	err := filepath.WalkDir(sharedFixtures, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".json") {
			return nil
		}
		if st, err := d.Info(); err != nil || st.Size() > 64<<20 {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(data), `"planned_values"`) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// summary is one line of what a plan loads to.
func summary(m *model.Model) string {
	rules, entries, routes, records, unknowns := 0, 0, 0, 0, 0
	for _, g := range m.SecurityGroups {
		rules += len(g.Ingress) + len(g.Egress)
		for _, r := range append(append([]model.SGRule{}, g.Ingress...), g.Egress...) {
			unknowns += min(1, len(r.Unknown))
		}
	}
	for _, a := range m.NetworkACLs {
		entries += len(a.Inbound) + len(a.Outbound)
		for _, e := range append(append([]model.NACLEntry{}, a.Inbound...), a.Outbound...) {
			unknowns += min(1, len(e.Unknown))
		}
	}
	for _, rt := range m.RouteTables {
		routes += len(rt.Routes)
		for _, r := range rt.Routes {
			unknowns += min(1, len(r.Unknown))
		}
	}
	for _, e := range m.ENIs {
		unknowns += min(1, len(e.PublicIPUnknown))
	}
	for _, z := range m.HostedZones {
		records += len(z.Records)
	}
	tgwRoutes := 0
	for _, rt := range m.TGWRouteTables {
		tgwRoutes += len(rt.Routes)
	}
	assumptions := 0
	for _, a := range m.Assumptions {
		assumptions += len(a)
	}
	return fmt.Sprintf("vpcs=%d subnets=%d route_tables=%d routes=%d groups=%d group_rules=%d acls=%d acl_entries=%d enis=%d instances=%d endpoints=%d nat=%d igw=%d prefix_lists=%d peerings=%d tgws=%d tgw_attachments=%d tgw_route_tables=%d tgw_routes=%d vgws=%d vpns=%d customer_gateways=%d dx_gateways=%d zones=%d records=%d dangling=%d assumptions=%d unknowns=%d",
		len(m.VPCs), len(m.Subnets), len(m.RouteTables), routes, len(m.SecurityGroups), rules, len(m.NetworkACLs), entries,
		len(m.ENIs), len(m.Instances), len(m.Endpoints), len(m.NATGateways), len(m.InternetGateways), len(m.PrefixLists),
		len(m.Peerings), len(m.TransitGateways), len(m.TGWAttachments), len(m.TGWRouteTables), tgwRoutes, len(m.VPNGateways), len(m.VPNConnections),
		len(m.CustomerGateways), len(m.DXGateways), len(m.HostedZones), records, len(m.Dangling), assumptions, unknowns)
}

// TestSharedFixturePlans loads every real plan and compares a summary of
// each with testdata/plans.golden. VPCPATH_UPDATE_GOLDEN=1 rewrites it.
func TestSharedFixturePlans(t *testing.T) {
	files := fixturePlans(t)
	if len(files) < 20 {
		t.Fatalf("found only %d fixture plans; the layout changed?", len(files))
	}
	var b strings.Builder
	for _, f := range files {
		rel, _ := filepath.Rel(sharedFixtures, f)
		rel = filepath.ToSlash(rel)
		p, err := Load(f)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			fmt.Fprintf(&b, "%s error\n", rel)
			continue
		}
		m, err := p.Model()
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			fmt.Fprintf(&b, "%s error\n", rel)
			continue
		}
		fmt.Fprintf(&b, "%s format=%s %s warnings=%d\n", rel, p.raw.FormatVersion, summary(m), len(p.Warnings))
	}
	golden := filepath.Join("testdata", "plans.golden")
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
