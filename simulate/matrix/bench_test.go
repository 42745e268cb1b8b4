package matrix

import (
	"os"
	"strconv"
	"testing"

	"github.com/vpcpath/vpcpath/internal/cputime"
	"github.com/vpcpath/vpcpath/internal/estate"
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/snapshot"
)

func loadEstate(b *testing.B, spec estate.Spec) *model.Model {
	b.Helper()
	dir := b.TempDir()
	if _, err := estate.Write(dir, spec); err != nil {
		b.Fatal(err)
	}
	m, _, err := snapshot.LoadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkMatrixSmallTransit computes the whole matrix by subnet over TCP
// 0-65535 of estate.SmallTransit (12 VPCs in 3 regions, 60 subnets, 240
// interfaces).
func BenchmarkMatrixSmallTransit(b *testing.B) {
	runMatrixBench(b, loadEstate(b, estate.SmallTransit()))
}

// BenchmarkMatrixLargeTransit is the speed target: the whole
// matrix by subnet over TCP 0-65535 of estate.LargeTransit (2,000 subnets
// in 200 VPCs, 3 regions, 20 accounts, 20,000 interfaces with 5,000
// groups and 50,000 rules). VPCPATH_MATRIX_SCALE=N divides the estate by
// N (the matrix by about N²), for profiling.
func BenchmarkMatrixLargeTransit(b *testing.B) {
	spec := estate.LargeTransit()
	if n, _ := strconv.Atoi(os.Getenv("VPCPATH_MATRIX_SCALE")); n > 1 {
		spec.VPCs, spec.Subnets, spec.ENIs = spec.VPCs/n, spec.Subnets/n, spec.ENIs/n
		spec.SecurityGroups, spec.SGRules, spec.RouteTables, spec.NACLs = spec.SecurityGroups/n, spec.SGRules/n, spec.RouteTables/n, spec.NACLs/n
		spec.Peerings, spec.TGWRouteTables = spec.Peerings/n, max(3, spec.TGWRouteTables/n)
	}
	m := loadEstate(b, spec)
	runMatrixBench(b, m)
}

func runMatrixBench(b *testing.B, m *model.Model) {
	b.ReportAllocs()
	var x *Matrix
	cpu0, cpuOK := cputime.Process()
	for b.Loop() {
		var err error
		x, err = Compute(m, Options{By: BySubnet, Protocol: model.ProtoTCP, Ports: model.AllPorts})
		if err != nil {
			b.Fatal(err)
		}
	}
	if cpu1, _ := cputime.Process(); cpuOK {
		// CPU time, GC included: the figure to trust on a shared machine.
		b.ReportMetric((cpu1-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	}
	if rss, ok := cputime.PeakRSS(); ok {
		b.ReportMetric(float64(rss)/(1<<20), "peak-rss-MB")
	}
	b.ReportMetric(float64(x.Stats.Members), "members")
	b.ReportMetric(float64(x.Stats.Classes), "classes")
	b.ReportMetric(float64(x.Stats.ClassPairs), "class-pairs")
	b.ReportMetric(float64(x.Stats.MemberPairs), "member-pairs")
}
