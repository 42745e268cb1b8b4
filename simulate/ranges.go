package simulate

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// Segment is a run of destination ports that share one outcome.
type Segment struct {
	Ports     model.PortRange `json:"ports"`
	Verdict   Verdict         `json:"verdict"`
	BlockedBy *Block          `json:"blocked_by"`
	Fix       *string         `json:"fix"`
	// Change is Fix as data (Result.Change), widened to the segment.
	Change *Change `json:"-"`
}

// TraceRange answers q for every destination port in ports at once and
// reports the exact sub-ranges that pass and fail, and why.
//
// It works on intervals, not ports: every security group rule and network
// ACL entry of the source's VPC cuts the range at its bounds, so within one
// elementary interval every rule either covers all its ports or none, and
// one trace decides the whole interval. Adjacent intervals with the same
// outcome merge. The result's hops are those of the first worst segment.
func TraceRange(m *model.Model, q Query, ports model.PortRange) (Result, error) {
	if !q.Protocol.HasPorts() {
		return Trace(m, q)
	}
	src, _, err := resolveSource(m, q.StandIns, q.From)
	var u *unplaced
	if errors.As(err, &u) {
		return unplacedResult(q, u), nil
	}
	if err != nil {
		return Result{}, err
	}
	// Cut by the rules of every VPC the flow can reach, not only the
	// source's: a rule of a peer or a spoke may split the range too.
	vpcs := topologyOf(m).ReachableVPCs(src.VPCID)
	return traceIntervals(m, q, ports, elementaryIntervals(m, vpcs, ports))
}

// TraceRangeCut is TraceRange over intervals the caller cut: ivs must
// cover ports in order, and no bound of a security group rule or network
// ACL entry the flow can meet may lie inside one of them (the caller
// knows which groups the flow's interfaces carry; vpcpath matrix cuts at
// those groups' rules and at every ACL entry). One trace decides each
// interval.
func TraceRangeCut(m *model.Model, q Query, ports model.PortRange, ivs []model.PortRange) (Result, error) {
	if !q.Protocol.HasPorts() {
		return Trace(m, q)
	}
	_, _, err := resolveSource(m, q.StandIns, q.From)
	var u *unplaced
	if errors.As(err, &u) {
		return unplacedResult(q, u), nil
	}
	if err != nil {
		return Result{}, err
	}
	return traceIntervals(m, q, ports, ivs)
}

// traceIntervals traces the first port of each interval and merges
// neighbours with the same outcome into segments.
func traceIntervals(m *model.Model, q Query, ports model.PortRange, ivs []model.PortRange) (Result, error) {
	var segs []Segment
	var worst Result
	have := false
	for _, iv := range ivs {
		qq := q
		qq.Port, qq.inRange = iv.First, true
		r, err := Trace(m, qq)
		if err != nil {
			return Result{}, err
		}
		if !have || worse(r.Verdict, worst.Verdict) {
			worst, have = r, true
		}
		if n := len(segs); n > 0 && sameOutcome(segs[n-1], r) && segs[n-1].Ports.Last+1 == iv.First {
			segs[n-1].Ports.Last = iv.Last
			continue
		}
		segs = append(segs, Segment{Verdict: r.Verdict, BlockedBy: r.BlockedBy, Fix: r.Fix, Change: r.Change, Ports: iv})
	}
	for i := range segs {
		if segs[i].Fix != nil {
			f := retargetFix(*segs[i].Fix, segs[i].Ports)
			segs[i].Fix = &f
		}
		if c := segs[i].Change; c != nil {
			cc := c.Retarget(segs[i].Ports)
			segs[i].Change = &cc
		}
	}
	worst.Flow.Port = ports.String()
	if len(segs) > 1 {
		worst.Segments = segs
	}
	if worst.Fix != nil && len(segs) > 0 {
		for _, s := range segs {
			if s.Verdict == worst.Verdict && s.Fix != nil {
				worst.Fix, worst.Change = s.Fix, s.Change
				break
			}
		}
	}
	return worst, nil
}

func sameOutcome(s Segment, r Result) bool {
	if s.Verdict != r.Verdict {
		return false
	}
	a, b := s.BlockedBy, r.BlockedBy
	if a == nil || b == nil {
		return a == b
	}
	return a.Component == b.Component && a.ID == b.ID && a.Code == b.Code && a.Rule == b.Rule && a.Return == b.Return
}

// retargetFix widens a fix written for one port to the segment's ports,
// where the fix names that port.
func retargetFix(fix string, r model.PortRange) string {
	if r.First == r.Last {
		return fix
	}
	p := fmt.Sprint(r.First)
	fix = strings.Replace(fix, "/"+p+" ", "/"+r.String()+" ", 1)
	fix = strings.ReplaceAll(fix, fmt.Sprintf("FromPort=%s,ToPort=%s", p, p), fmt.Sprintf("FromPort=%d,ToPort=%d", r.First, r.Last))
	fix = strings.ReplaceAll(fix, fmt.Sprintf("From=%s,To=%s", p, p), fmt.Sprintf("From=%d,To=%d", r.First, r.Last))
	return fix
}

// elementaryIntervals cuts ports at every bound of every security group
// rule and network ACL entry of the VPCs (and at the ports AWS services
// answer on), so that no rule boundary lies inside an interval.
func elementaryIntervals(m *model.Model, vpcIDs []string, ports model.PortRange) []model.PortRange {
	in := func(v string) bool { return v == "" || slices.Contains(vpcIDs, v) }
	cuts := map[int]bool{int(ports.First): true}
	cut := func(r model.PortRange) {
		for _, c := range []int{int(r.First), int(r.Last) + 1} {
			if c > int(ports.First) && c <= int(ports.Last) {
				cuts[c] = true
			}
		}
	}
	for _, g := range m.SecurityGroups {
		if !in(g.VPCID) {
			continue
		}
		for _, r := range g.Ingress {
			cut(r.Ports)
		}
		for _, r := range g.Egress {
			cut(r.Ports)
		}
	}
	for _, a := range m.NetworkACLs {
		if !in(a.VPCID) {
			continue
		}
		for _, e := range a.Inbound {
			cut(e.Ports)
		}
		for _, e := range a.Outbound {
			cut(e.Ports)
		}
	}
	for _, p := range []uint16{53, 80, 123} {
		cut(model.Port(p))
	}
	starts := make([]int, 0, len(cuts))
	for c := range cuts {
		starts = append(starts, c)
	}
	sort.Ints(starts)
	out := make([]model.PortRange, len(starts))
	for i, s := range starts {
		last := int(ports.Last)
		if i+1 < len(starts) {
			last = starts[i+1] - 1
		}
		out[i] = model.PortRange{First: uint16(s), Last: uint16(last)}
	}
	return out
}

// SegmentSummary writes "8443 reachable; 8444-8451 blocked at
// security-group sg-1 (no matching rule)".
func SegmentSummary(segs []Segment) string {
	var parts []string
	for _, s := range segs {
		p := s.Ports.String() + " " + string(s.Verdict)
		if b := s.BlockedBy; b != nil {
			p += " at " + string(b.Component) + " " + b.ID
			if b.Rule != "" {
				p += " (" + b.Rule + ")"
			}
			if b.Return {
				p += " on the return path"
			}
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}
