package matrix

import (
	"errors"
	"net/netip"
	"testing"
	"time"

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
	m := loadEstate(b, estate.SmallTransit())
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
	b.ReportMetric(float64(x.Stats.Members), "members")
	b.ReportMetric(float64(x.Stats.Classes), "classes")
	b.ReportMetric(float64(x.Stats.ClassPairs), "class-pairs")
	b.ReportMetric(float64(x.Stats.MemberPairs), "member-pairs")
}

// BenchmarkMatrixLargeTransit is the speed target: the matrix by
// subnet over TCP 0-65535 of estate.LargeTransit (2,000 subnets, 20,000
// interfaces). It counts the classes and class pairs (Compute refuses the
// job at MaxClassPairs before tracing), then traces a sample of class
// pairs and reports the time per class pair and the projected time of the
// whole matrix on this machine.
func BenchmarkMatrixLargeTransit(b *testing.B) {
	m := loadEstate(b, estate.LargeTransit())
	o := Options{By: BySubnet, Protocol: model.ProtoTCP, Ports: model.AllPorts, MaxClassPairs: 1}
	_, err := Compute(m, o)
	var tl *TooLargeError
	if !errors.As(err, &tl) {
		b.Fatalf("want a TooLargeError, got %v", err)
	}
	st := tl.Stats
	// A deterministic sample of class pairs: members far apart in the list.
	sg := &segmenter{m: m, taken: map[netip.Addr]bool{}}
	_, members, err := sg.build(BySubnet)
	if err != nil {
		b.Fatal(err)
	}
	var all []*model.ENI
	for _, ms := range members {
		all = append(all, ms...)
	}
	const sample = 100
	cut := newCutter(m, o.Protocol)
	b.ResetTimer()
	start := time.Now()
	cpu0, cpuOK := cputime.Process()
	for b.Loop() {
		for i := range sample {
			a, d := all[(i*7919)%len(all)], all[(i*104729+13)%len(all)]
			if a == d {
				continue
			}
			r := tracePair(m, o, cut, sg.standIns, &class{members: []*model.ENI{a}}, &class{members: []*model.ENI{d}})
			if r.err != nil {
				b.Fatal(r.err)
			}
		}
	}
	per := time.Since(start) / time.Duration(b.N*sample)
	if cpu1, _ := cputime.Process(); cpuOK {
		cpuPer := (cpu1 - cpu0) / time.Duration(b.N*sample)
		b.ReportMetric(float64(cpuPer.Nanoseconds()), "cpu-ns/class-pair")
		b.ReportMetric(cpuPer.Seconds()*float64(st.ClassPairs)/3600/24, "projected-cpu-days")
	}
	b.ReportMetric(float64(st.Members), "members")
	b.ReportMetric(float64(st.Classes), "classes")
	b.ReportMetric(float64(st.ClassPairs), "class-pairs")
	b.ReportMetric(float64(per.Nanoseconds()), "ns/class-pair")
	b.ReportMetric(per.Seconds()*float64(st.ClassPairs)/3600/24, "projected-wall-days")
}
