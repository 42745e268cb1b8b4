package snapshot

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
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

// TestBatfishTransitFacts checks, on Batfish's own transit, peering, VPN,
// Direct Connect and multi-account snapshots, the facts their
// AwsConfiguration tests build on.
func TestBatfishTransitFacts(t *testing.T) {
	if _, err := os.Stat(sharedFixtures); err != nil {
		t.Skip("../shared/fixtures/external is absent (a user's clone): skipping the real-data tests")
	}
	load := func(t *testing.T, name string) (*model.Model, []Warning) {
		t.Helper()
		m, w, err := LoadDir(filepath.Join(sharedFixtures, "batfish__batfish", name, "aws_configs"))
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range w {
			if strings.Contains(x.Message, "already defined") || strings.Contains(x.Message, "dangling") {
				t.Errorf("warning: %s", x)
			}
		}
		return m, w
	}
	table := func(m *model.Model, tgw, att string) string {
		if rt := m.TGWRouteTableOf(tgw, att); rt != nil {
			return rt.ID
		}
		return ""
	}
	t.Run("transit gateway shared across accounts", func(t *testing.T) {
		m, _ := load(t, "test-transit-gateway-multi-account")
		g := m.TransitGateways["tgw-0efdeab79e9a8e490"]
		if len(m.TransitGateways) != 1 || g == nil || g.OwnerID != "028403472736" || g.AssociationDefaultRouteTableID != "tgw-rtb-0b2c8eeefcf19371b" {
			t.Errorf("the one gateway, the owner's view: %+v", g)
		}
		if a := m.TGWAttachments["tgw-attach-0f8397dbb9b9bce0d"]; a == nil || a.ResourceOwnerID != "951601349076" || table(m, g.ID, a.ID) != "tgw-rtb-0b2c8eeefcf19371b" {
			t.Errorf("the other account's attachment: %+v", a)
		}
	})
	t.Run("inter-region transit gateway peering", func(t *testing.T) {
		m, _ := load(t, "test-transit-gateway-peering")
		const att = "tgw-attach-012e5d602f859dd80"
		if a, b := table(m, "tgw-0e20010ebf43d07a2", att), table(m, "tgw-03201f1960ddb0c25", att); a != "tgw-rtb-05d2952671d1f460a" || b != "tgw-rtb-00be87593fb2cd0ae" {
			t.Errorf("one attachment, a table on each side: %q, %q", a, b)
		}
		if p, ok := m.TGWAttachments[att].PeerTGW("tgw-0e20010ebf43d07a2"); !ok || p.Region != "us-west-1" {
			t.Errorf("peer side: %+v", p)
		}
		rt := m.TGWRouteTables["tgw-rtb-00be87593fb2cd0ae"]
		var routes []string
		for _, r := range rt.Routes {
			routes = append(routes, r.DestString()+" "+r.Type+" "+strings.Join(r.Attachments, ","))
		}
		if !slices.Contains(routes, "10.20.0.0/16 static "+att) || !slices.Contains(routes, "192.168.0.0/16 propagated tgw-attach-075ea06a59d3212af") {
			t.Errorf("routes of the west table: %q", routes)
		}
	})
	t.Run("VPN tunnels", func(t *testing.T) {
		m, _ := load(t, "test-vpn-gateway")
		if c := m.VPNConnections["vpn-03701a53bba3c48b7"]; c == nil || c.AnyTunnelUp() != model.No || c.VPNGatewayID != "vgw-0c09bd7fadac961bf" {
			t.Errorf("both tunnels DOWN: %+v", c)
		}
		if g := m.VPNGatewaysOf("vpc-0b966fdeb36d5e43f"); len(g) != 1 {
			t.Errorf("VGW of the VPC: %v", g)
		}
		m, _ = load(t, "hybrid-cloud-aws")
		if c := m.VPNConnections["vpn-ba2e34a8"]; c == nil || c.AnyTunnelUp() != model.Yes || c.StaticRoutesOnly != model.No || m.CustomerGateways[c.CustomerGatewayID] == nil {
			t.Errorf("BGP VPN with both tunnels UP: %+v", c)
		}
	})
	t.Run("Direct Connect", func(t *testing.T) {
		m, _ := load(t, "test-direct-connect-private-vif")
		v := m.VirtualInterfacesOf("vgw-priv01")
		if len(v) != 2 || !v[0].Up() || !v[1].Up() {
			t.Errorf("private virtual interfaces on the VGW: %+v", v)
		}
		m, _ = load(t, "test-direct-connect-gateway-multi-region")
		for _, tgw := range []string{"tgw-east", "tgw-west"} {
			if d := m.DXGatewaysOf(tgw); len(d) != 1 || d[0].ASN != 64513 {
				t.Errorf("Direct Connect gateway of %s: %+v", tgw, d)
			}
		}
	})
	t.Run("VPC peering across accounts", func(t *testing.T) {
		m, _ := load(t, "test-vpc-peering-multi-account")
		p := m.Peerings["pcx-0040f7640e10191f4"]
		if p == nil || p.Status != model.PeeringActive || p.Requester.OwnerID != "028403472736" || p.Accepter.OwnerID != "951601349076" {
			t.Errorf("peering: %+v", p)
		}
		if got := m.PeeringsOf("vpc-05951c91977125d2e"); len(got) != 1 {
			t.Errorf("peerings of the accepter VPC: %v", got)
		}
	})
}
