package estate_test

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpcpath/vpcpath/internal/cputime"
	"github.com/vpcpath/vpcpath/internal/estate"
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/snapshot"
	"github.com/vpcpath/vpcpath/simulate"
)

// The large estate is written once per test binary, into a folder removed
// when the binary exits; the benchmarks share it.
var large struct {
	once sync.Once
	dir  string
	sum  estate.Summary
	err  error
	took time.Duration
}

func TestMain(m *testing.M) {
	code := m.Run()
	if large.dir != "" {
		os.RemoveAll(large.dir)
	}
	os.Exit(code)
}

func largeEstate(tb testing.TB) (string, estate.Summary) {
	tb.Helper()
	large.once.Do(func() {
		large.dir, large.err = os.MkdirTemp("", "vpcpath-estate-")
		if large.err != nil {
			return
		}
		start := time.Now()
		large.sum, large.err = estate.Write(large.dir, estate.LargeTransit())
		large.took = time.Since(start)
	})
	if large.err != nil {
		tb.Fatal(large.err)
	}
	return large.dir, large.sum
}

// modelCounts are the model's numbers in the Summary's terms.
func modelCounts(m *model.Model) map[string]int {
	c := map[string]int{
		"VPCs":             len(m.VPCs),
		"Subnets":          len(m.Subnets),
		"ENIs":             len(m.ENIs),
		"SecurityGroups":   len(m.SecurityGroups),
		"RouteTables":      len(m.RouteTables),
		"NACLs":            len(m.NetworkACLs),
		"InternetGateways": len(m.InternetGateways),
		"NATGateways":      len(m.NATGateways),
		"VPCEndpoints":     len(m.Endpoints),
		"PrefixLists":      len(m.PrefixLists),
		"TransitGateways":  len(m.TransitGateways),
		"TGWRouteTables":   len(m.TGWRouteTables),
		"TGWAttachments":   len(m.TGWAttachments),
		"VPCPeerings":      len(m.Peerings),
	}
	for _, rt := range m.TGWRouteTables {
		c["TGWRoutes"] += len(rt.Routes)
		c["TGWAssociations"] += len(rt.Associations)
		c["TGWPropagations"] += len(rt.Propagations)
	}
	for _, g := range m.SecurityGroups {
		c["SGIngressRules"] += len(g.Ingress)
		c["SGEgressRules"] += len(g.Egress)
		for _, r := range g.Ingress {
			if r.Egress || r.GroupID != g.ID {
				c["misfiled rules"]++
			}
		}
		for _, r := range g.Egress {
			if !r.Egress || r.GroupID != g.ID {
				c["misfiled rules"]++
			}
		}
	}
	c["SGRules"] = c["SGIngressRules"] + c["SGEgressRules"]
	for _, rt := range m.RouteTables {
		c["Routes"] += len(rt.Routes)
		c["SubnetRTAssocs"] += len(rt.Subnets)
	}
	for _, a := range m.NetworkACLs {
		c["NACLEntries"] += len(a.Inbound) + len(a.Outbound)
		c["NACLAssocs"] += len(a.Subnets)
	}
	for _, e := range m.ENIs {
		c["PrivateIPs"] += len(e.PrivateIPs)
		c["PublicIPs"] += len(e.PublicIPs)
		if e.Type == "nat_gateway" {
			c["NATENIs"]++
		}
	}
	return c
}

func summaryCounts(s estate.Summary) map[string]int {
	return map[string]int{
		"VPCs":             s.VPCs,
		"Subnets":          s.Subnets,
		"ENIs":             s.ENIs,
		"SecurityGroups":   s.SecurityGroups,
		"RouteTables":      s.RouteTables,
		"NACLs":            s.NACLs,
		"InternetGateways": s.InternetGateways,
		"NATGateways":      s.NATGateways,
		"VPCEndpoints":     s.VPCEndpoints,
		"PrefixLists":      s.PrefixLists,
		"SGIngressRules":   s.SGIngressRules,
		"SGEgressRules":    s.SGEgressRules,
		"SGRules":          s.SGRules,
		"Routes":           s.Routes,
		"SubnetRTAssocs":   s.SubnetRTAssocs,
		"NACLEntries":      s.NACLEntries,
		"NACLAssocs":       s.NACLAssocs,
		"PrivateIPs":       s.PrivateIPs,
		"PublicIPs":        s.PublicIPs,
		"NATENIs":          s.NATENIs,
		"TransitGateways":  s.TransitGateways,
		"TGWRouteTables":   s.TGWRouteTables,
		"TGWRoutes":        s.TGWRoutes,
		"TGWAttachments":   s.TGWAttachments,
		"TGWAssociations":  s.TGWAssociations,
		"TGWPropagations":  s.TGWPropagations,
		"VPCPeerings":      s.VPCPeerings,
		"misfiled rules":   0,
	}
}

// compareCounts returns one line per count where the model and the summary
// differ.
func compareCounts(m *model.Model, s estate.Summary) []string {
	got, want := modelCounts(m), summaryCounts(s)
	var diffs []string
	for _, k := range model.SortedKeys(want) {
		if got[k] != want[k] {
			diffs = append(diffs, fmt.Sprintf("%s: model has %d, the files hold %d", k, got[k], want[k]))
		}
	}
	return diffs
}

// loadClean writes spec, loads it and reports any warning, dangling
// reference or count that differs from what was written.
func loadClean(t *testing.T, spec estate.Spec) (*model.Model, estate.Summary) {
	t.Helper()
	dir := t.TempDir()
	sum, err := estate.Write(dir, spec)
	if err != nil {
		t.Fatal(err)
	}
	m, warns, err := snapshot.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range warns {
		t.Errorf("warning on a generated snapshot: %s", w)
	}
	for _, d := range compareCounts(m, sum) {
		t.Error(d)
	}
	if len(m.Dangling) != 0 {
		t.Errorf("dangling references: %+v", m.Dangling)
	}
	return m, sum
}

func TestLoadSmallEstate(t *testing.T) {
	m, sum := loadClean(t, estate.Small())
	if len(m.Regions) != 1 || m.Regions[0] != estate.Region {
		t.Errorf("regions %v, want [%s]", m.Regions, estate.Region)
	}
	for _, id := range model.SortedKeys(m.VPCs) {
		if r := m.VPCs[id].Region; r != estate.Region {
			t.Errorf("VPC %s in region %q, want %s", id, r, estate.Region)
		}
	}
	// Every subnet resolves to a table and an ACL of its own VPC, and every
	// NAT gateway to its interface.
	for _, id := range model.SortedKeys(m.Subnets) {
		s := m.Subnets[id]
		if rt, _ := m.SubnetRouteTable(id); rt == nil || rt.VPCID != s.VPCID {
			t.Errorf("subnet %s: route table %+v", id, rt)
		}
		if acl, _ := m.SubnetACL(id); acl == nil || acl.VPCID != s.VPCID {
			t.Errorf("subnet %s: network ACL %+v", id, acl)
		}
	}
	for _, id := range model.SortedKeys(m.NATGateways) {
		n := m.NATGateways[id]
		if n.ENIID == "" || m.NATOfENI(n.ENIID) != n || !n.PrivateIP.IsValid() || !n.PublicIP.IsValid() {
			t.Errorf("NAT gateway %+v is not tied to its interface", n)
		}
	}
	if pl := m.PrefixListByName("com.amazonaws." + estate.Region + ".s3"); pl == nil || pl.ID != estate.S3PrefixList || !pl.CIDRsKnown || len(pl.CIDRs) == 0 {
		t.Errorf("S3 prefix list: %+v", pl)
	}
	// The sample flows' endpoints are in the model where the flows say.
	for _, f := range sum.Flows {
		e := m.ENIs[f.From]
		if e == nil || e.PrimaryIP().String() != f.FromIP {
			t.Errorf("%s: source %s not loaded as %s", f.Name, f.From, f.FromIP)
		}
	}
}

// TestLoadTransitEstate loads a small estate over three regions and four
// accounts, joined by transit gateways and peering connections, and checks
// that it loads cleanly and that every sample flow, in a VPC or across
// VPCs, has the outcome the construction gives it.
func TestLoadTransitEstate(t *testing.T) {
	spec := estate.SmallTransit()
	m, sum := loadClean(t, spec)
	if want := spec.VPCs * spec.TGWRouteTables; sum.TGWRoutes != want || sum.TransitGateways != spec.Regions || sum.VPCPeerings != spec.Peerings {
		t.Errorf("summary: %d TGW routes (want %d), %d gateways, %d peerings", sum.TGWRoutes, want, sum.TransitGateways, sum.VPCPeerings)
	}
	if len(m.Regions) != spec.Regions {
		t.Errorf("regions %v, want %d", m.Regions, spec.Regions)
	}
	owners := map[string]bool{}
	for _, v := range m.VPCs {
		owners[v.OwnerID] = true
	}
	if len(owners) != spec.Accounts {
		t.Errorf("VPCs owned by %d accounts, want %d", len(owners), spec.Accounts)
	}
	names := map[string]bool{}
	for _, f := range sum.CrossFlows {
		names[strings.SplitN(f.Name, "@", 2)[0]] = true
	}
	for _, n := range []string{"tgw-same-region", "sg-across-tgw", "tgw-inter-region", "vpc-peering", "tgw-blackhole"} {
		if !names[n] {
			t.Errorf("no %s flow among %v", n, names)
		}
	}
	for _, f := range append(append([]estate.Flow(nil), sum.Flows...), sum.CrossFlows...) {
		t.Run(f.Name, func(t *testing.T) {
			r, err := simulate.Trace(m, query(t, f))
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range checkFlow(f, r) {
				t.Errorf("%s -> %s %s/%d: %s", f.From, f.To, f.Protocol, f.Port, d)
			}
		})
	}
}

// BenchmarkLoadLarge loads the issue-11 estate (estate.LargeTransit: the
// issue-2 estate of 200 VPCs, 2,000 subnets, 20,000 interfaces, 5,000
// groups with 50,000 rules, 1,000 route tables and 2,000 ACLs, spread over
// 3 regions and 20 accounts, with 3 peered transit gateways, 10 of their
// route tables holding 2,000 routes, and 100 VPC peering connections).
// Target: under 2 s a load on one core (-cpu 1).
func BenchmarkLoadLarge(b *testing.B) {
	dir, sum := largeEstate(b)
	b.Logf("estate: %d files, %.1f MB, written in %v", len(sum.Files), float64(sum.Bytes)/1e6, large.took.Round(time.Millisecond))
	b.SetBytes(sum.Bytes)
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var m *model.Model
	cpu0, cpuOK := cputime.Process()
	start := time.Now()
	for b.Loop() {
		var err error
		m, _, err = snapshot.LoadDir(dir)
		if err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	cpu1, _ := cputime.Process()
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(elapsed.Seconds()/float64(b.N), "s/load")
	if cpuOK {
		// CPU time, GC included: the figure to trust on a shared machine.
		b.ReportMetric((cpu1-cpu0).Seconds()/float64(b.N), "cpu-s/load")
	}
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/1e6, "alloc-MB/load")
	// What the loaded model keeps alive.
	runtime.GC()
	var live runtime.MemStats
	runtime.ReadMemStats(&live)
	b.ReportMetric(float64(int64(live.HeapAlloc)-int64(before.HeapAlloc))/1e6, "live-MB")
	for _, d := range compareCounts(m, sum) {
		b.Error(d)
	}
	runtime.KeepAlive(m)
}

func query(t testing.TB, f estate.Flow) simulate.Query {
	t.Helper()
	proto, err := model.ParseProtocol(f.Protocol)
	if err != nil {
		t.Fatal(err)
	}
	return simulate.Query{From: f.From, To: f.To, Protocol: proto, Port: uint16(f.Port)}
}

// checkFlow compares a trace with the outcome the estate was built for and
// returns what differs.
func checkFlow(f estate.Flow, r simulate.Result) []string {
	var diffs []string
	if string(r.Verdict) != f.Want {
		diffs = append(diffs, fmt.Sprintf("verdict %s, want %s", r.Verdict, f.Want))
	}
	switch {
	case f.BlockedAt == "" && r.BlockedBy != nil:
		diffs = append(diffs, fmt.Sprintf("blocked by %+v, want nothing", *r.BlockedBy))
	case f.BlockedAt != "" && (r.BlockedBy == nil || string(r.BlockedBy.Component) != f.BlockedAt):
		diffs = append(diffs, fmt.Sprintf("blocked by %+v, want a %s", r.BlockedBy, f.BlockedAt))
	}
	var comps []string
	for _, h := range r.Hops {
		comps = append(comps, string(h.Component))
	}
	for _, c := range f.Via {
		if !slices.Contains(comps, c) {
			diffs = append(diffs, fmt.Sprintf("no %s among the hops %v", c, comps))
		}
	}
	return diffs
}

// TestTraceSmallEstate traces the sample flows of the small estate and
// checks the outcomes the construction fixes (see the estate package doc).
func TestTraceSmallEstate(t *testing.T) {
	dir := t.TempDir()
	sum, err := estate.Write(dir, estate.Small())
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := snapshot.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sum.Flows {
		t.Run(f.Name, func(t *testing.T) {
			r, err := simulate.Trace(m, query(t, f))
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range checkFlow(f, r) {
				t.Errorf("%s -> %s %s/%d: %s", f.From, f.To, f.Protocol, f.Port, d)
			}
		})
	}
}

// The large model is loaded once per test binary for the trace benchmark.
var largeModel struct {
	once sync.Once
	m    *model.Model
	err  error
}

// BenchmarkTraceLarge traces the single-VPC sample flows of the large
// estate round robin. Target: a median under 20 µs a trace on one core
// (-cpu 1), and no slower than on the single-region estate of issue 2.
// Each call is timed on its own; median-ns/trace and p99-ns/trace report
// the distribution (ns/op is the mean, timer overhead included).
func BenchmarkTraceLarge(b *testing.B) {
	_, sum := largeEstate(b)
	traceBench(b, sum.Flows)
}

// BenchmarkTraceLargeCrossVPC traces the sample flows that leave their VPC
// (through a transit gateway in one region and across regions, over a
// peering connection, into a blackhole, into a group that refuses them)
// round robin, as BenchmarkTraceLarge does. Target: a median under 40 µs
// a trace on one core (-cpu 1).
func BenchmarkTraceLargeCrossVPC(b *testing.B) {
	_, sum := largeEstate(b)
	traceBench(b, sum.CrossFlows)
}

func traceBench(b *testing.B, flows []estate.Flow) {
	dir, _ := largeEstate(b)
	largeModel.once.Do(func() {
		largeModel.m, _, largeModel.err = snapshot.LoadDir(dir)
	})
	if largeModel.err != nil {
		b.Fatal(largeModel.err)
	}
	if len(flows) == 0 {
		b.Fatal("no sample flows")
	}
	m := largeModel.m
	queries := make([]simulate.Query, len(flows))
	for i, f := range flows {
		queries[i] = query(b, f)
		r, err := simulate.Trace(m, queries[i])
		if err != nil {
			b.Fatalf("%s: %v", f.Name, err)
		}
		for _, d := range checkFlow(f, r) {
			b.Logf("%s: %s", f.Name, d)
		}
	}
	// Settle the heap left by the load so that its collection does not land
	// on the timed traces, then warm the caches: with -benchtime 5x the five
	// timed traces should measure the steady state, not first touches.
	runtime.GC()
	for range 20 {
		for _, q := range queries {
			simulate.Trace(m, q)
		}
	}
	// Per-flow medians, to show which path costs what.
	perFlow := make([][]time.Duration, len(queries))
	durations := make([]time.Duration, 0, 1<<16)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		k := i % len(queries)
		start := time.Now()
		_, err := simulate.Trace(m, queries[k])
		d := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		durations = append(durations, d)
		perFlow[k] = append(perFlow[k], d)
		i++
	}
	b.StopTimer()
	b.ReportMetric(float64(percentile(durations, 50).Nanoseconds()), "median-ns/trace")
	b.ReportMetric(float64(percentile(durations, 99).Nanoseconds()), "p99-ns/trace")
	for k, ds := range perFlow {
		if len(ds) > 0 {
			b.Logf("%-28s median %8v over %d", flows[k].Name, percentile(ds, 50), len(ds))
		}
	}
}

// percentile sorts ds and returns its p-th percentile.
func percentile(ds []time.Duration, p int) time.Duration {
	slices.Sort(ds)
	return ds[(len(ds)-1)*p/100]
}
