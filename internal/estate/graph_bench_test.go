package estate_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/vpcpath/vpcpath/internal/cputime"
	"github.com/vpcpath/vpcpath/model/snapshot"
	"github.com/vpcpath/vpcpath/simulate/picture"
)

// BenchmarkGraphLarge draws the whole large estate (estate.LargeTransit:
// 200 VPCs, 2,000 subnets over 3 regions and 20 accounts, 3 peered
// transit gateways, 100 peering connections) as `vpcpath graph` does:
// build the topology and write it as DOT. Target (issue 12): under 5 s.
// The model is loaded once, outside the timing.
func BenchmarkGraphLarge(b *testing.B) {
	dir, _ := largeEstate(b)
	largeModel.once.Do(func() {
		largeModel.m, _, largeModel.err = snapshot.LoadDir(dir)
	})
	if largeModel.err != nil {
		b.Fatal(largeModel.err)
	}
	m := largeModel.m
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var nodes, edges, size int
	cpu0, cpuOK := cputime.Process()
	start := time.Now()
	for b.Loop() {
		g := picture.Build(m)
		out, err := g.DOT()
		if err != nil {
			b.Fatal(err)
		}
		nodes, edges, size = len(g.Nodes()), len(g.Edges()), len(out)
	}
	elapsed := time.Since(start)
	cpu1, _ := cputime.Process()
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(elapsed.Seconds()/float64(b.N), "s/graph")
	if cpuOK {
		b.ReportMetric((cpu1-cpu0).Seconds()/float64(b.N), "cpu-s/graph")
	}
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/1e6, "alloc-MB/graph")
	b.ReportMetric(float64(nodes), "nodes")
	b.ReportMetric(float64(edges), "edges")
	b.ReportMetric(float64(size)/1e6, "dot-MB")
	if nodes < 2000 {
		b.Errorf("only %d nodes for an estate of 2,000 subnets", nodes)
	}
}
