package matrix

import (
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
)

// engine decides the member pairs of a class pair on every port.
//
// It walks one representative pair with the filters open
// (simulate.TraceGates) and decides the gates of that walk: the gates no
// member changes (network ACLs, and security groups of neither end) once
// for the class pair; the gates of the source's side (its egress groups,
// when the destination's identity cannot matter to them) once per source
// member; those of the destination's side once per destination member;
// and gates where both ends matter (a group reference between interfaces
// of one VPC) once per member pair. Members whose decisions agree on every
// port form one part of the cell, counted once: the matrix adds up
// parts, not member pairs. Each decision is the tracer's own
// (Gates.Decide, Gates.Outcome), so a part's runs are what Trace says for
// each of its member pairs: the property tests compare them.
type engine struct {
	m        *model.Model
	o        Options
	standIns []*model.ENI
	cut      *cutter
	hasPorts bool
	// gated and traced count the class pairs decided by gates and by
	// traces (tests read them).
	gated, traced atomic.Int64
}

func newEngine(m *model.Model, o Options, standIns []*model.ENI) *engine {
	return &engine{m: m, o: o, standIns: standIns, cut: newCutter(m, o.Protocol), hasPorts: o.Protocol.HasPorts()}
}

func (en *engine) query(a, b *model.ENI) simulate.Query {
	return simulate.Query{From: a.ID, To: b.ID, Protocol: en.o.Protocol, Ephemeral: en.o.Ephemeral, EphemeralName: en.o.EphemeralName,
		StandIns: en.standIns, Appliances: en.o.Appliances}
}

// drun is a run of ports on which some gates decide alike: dec and blk
// follow the gate list they were decided for.
type drun struct {
	first uint16
	dec   []simulate.Decision
	blk   []*simulate.Block
}

// pair decides every member pair of classes p and q (two distinct members
// when p is q).
func (en *engine) pair(p, q *class) ([]weighted, error) {
	rep := representatives(p, q)
	g, err := simulate.TraceGates(en.m, en.query(rep[0], rep[1]))
	if errors.Is(err, simulate.ErrNotGated) {
		en.traced.Add(1)
		return en.tracedPair(p, q)
	}
	if err != nil {
		return nil, err
	}
	en.gated.Add(1)
	var shared, srcSide, dstSide, both []int
	for i := range g.Len() {
		switch s, d := g.Involves(i); {
		case s && d:
			both = append(both, i)
		case s:
			srcSide = append(srcSide, i)
		case d:
			dstSide = append(dstSide, i)
		default:
			shared = append(shared, i)
		}
	}
	a0, b0 := g.Src(), g.Dst()
	common := en.decide(g, shared, a0, b0)
	// With rules asked for, a block of the walk that names the traced pair
	// (no route for its address, its instance stopped) is written for
	// each member pair, which then counts on its own.
	perPair := en.o.Rules && g.WalkNamesPair()
	var out []weighted
	index := map[string]int{}
	add := func(runs []run, n int, pair [2]*model.ENI) {
		k := runsOfKey(runs)
		if w, ok := index[k]; ok {
			out[w].n += n
			return
		}
		index[k] = len(out)
		out = append(out, weighted{runs: runs, n: n, pair: pair})
	}
	if len(both) == 0 {
		as := en.group(p.members, func(a *model.ENI) []drun { return en.decide(g, srcSide, a, b0) })
		bs := en.group(q.members, func(b *model.ENI) []drun { return en.decide(g, dstSide, a0, b) })
		for _, ga := range as {
			for _, gb := range bs {
				n, pair := pairsOf(ga.members, gb.members, p == q)
				if n == 0 {
					continue
				}
				runs := en.combine(g, []gated{{shared, common}, {srcSide, ga.runs}, {dstSide, gb.runs}})
				if !perPair {
					add(runs, n, pair)
					continue
				}
				for _, a := range ga.members {
					for _, b := range gb.members {
						if a != b {
							add(rewrite(g, runs, a, b), 1, [2]*model.ENI{a, b})
						}
					}
				}
			}
		}
		return out, nil
	}
	// Both ends matter to some gate: decide every member pair, and count
	// pairs whose answers agree once.
	idx := slices.Concat(srcSide, dstSide, both)
	for _, a := range p.members {
		for _, b := range q.members {
			if a == b {
				continue
			}
			runs := en.combine(g, []gated{{shared, common}, {idx, en.decide(g, idx, a, b)}})
			if perPair {
				runs = rewrite(g, runs, a, b)
			}
			add(runs, 1, [2]*model.ENI{a, b})
		}
	}
	return out, nil
}

// rewrite writes the walk's blocks among runs for the pair a, b.
func rewrite(g *simulate.Gates, runs []run, a, b *model.ENI) []run {
	out := slices.Clone(runs)
	for i := range out {
		if g.Walked(out[i].by) {
			out[i].by = g.Rewrite(out[i].by, a, b)
		}
	}
	return out
}

// runsOfKey writes what tells verdict runs apart: bounds, verdicts and
// blocks (not their reason, which names the member).
func runsOfKey(rs []run) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(strconv.Itoa(int(r.ports.First)))
		b.WriteByte(':')
		b.WriteString(string(r.verdict))
		if r.by != nil {
			b.WriteString("/" + blockKey(r.by))
		}
		b.WriteByte(';')
	}
	return b.String()
}

// tracedPair answers a class pair the gates cannot (the port matters outside
// the filters): members split by security group set, one trace per pair
// of those, as the matrix did before gates.
func (en *engine) tracedPair(p, q *class) ([]weighted, error) {
	split := func(c *class) [][]*model.ENI {
		idx := map[string]int{}
		var out [][]*model.ENI
		for _, e := range c.members {
			g := slices.Clone(e.Groups)
			sort.Strings(g)
			k := strings.Join(g, ",")
			i, ok := idx[k]
			if !ok {
				i = len(out)
				idx[k] = i
				out = append(out, nil)
			}
			out[i] = append(out[i], e)
		}
		return out
	}
	var out []weighted
	for _, sa := range split(p) {
		for _, sb := range split(q) {
			n, pair := pairsOf(sa, sb, p == q)
			if n == 0 {
				continue
			}
			r := tracePair(en.m, en.o, en.cut, en.standIns, &class{members: []*model.ENI{pair[0]}}, &class{members: []*model.ENI{pair[1]}})
			if r.err != nil {
				return nil, r.err
			}
			out = append(out, weighted{runs: r.runs, n: n, pair: pair})
		}
	}
	return out, nil
}

// pairsOf counts the ordered pairs of distinct members of as × bs (which
// may share members when they come from one class) and returns one.
func pairsOf(as, bs []*model.ENI, sameClass bool) (int, [2]*model.ENI) {
	n := len(as) * len(bs)
	if sameClass {
		in := map[*model.ENI]bool{}
		for _, a := range as {
			in[a] = true
		}
		for _, b := range bs {
			if in[b] {
				n--
			}
		}
	}
	if n == 0 {
		return 0, [2]*model.ENI{}
	}
	for _, a := range as {
		for _, b := range bs {
			if a != b {
				return n, [2]*model.ENI{a, b}
			}
		}
	}
	return 0, [2]*model.ENI{}
}

// memberGroup is members whose gates decide alike on every port.
type memberGroup struct {
	members []*model.ENI
	runs    []drun
}

func (en *engine) group(ms []*model.ENI, decide func(*model.ENI) []drun) []memberGroup {
	var out []memberGroup
	index := map[string]int{}
	for _, e := range ms {
		d := decide(e)
		k := runsKey(d)
		if i, ok := index[k]; ok {
			out[i].members = append(out[i].members, e)
			continue
		}
		index[k] = len(out)
		out = append(out, memberGroup{members: []*model.ENI{e}, runs: d})
	}
	return out
}

// runsKey writes what tells runs apart: bounds, decisions and the blocks'
// identity (not their reason, which names the member).
func runsKey(rs []drun) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(strconv.Itoa(int(r.first)))
		for i, d := range r.dec {
			b.WriteByte(':')
			b.WriteString(string(d))
			if x := r.blk[i]; x != nil {
				b.WriteString("/" + blockKey(x))
			}
		}
		b.WriteByte(';')
	}
	return b.String()
}

func blockKey(x *simulate.Block) string {
	return string(x.Component) + "|" + x.ID + "|" + string(x.Code) + "|" + x.Rule + "|" + strconv.FormatBool(x.Return)
}

func sameBlockKey(a, b *simulate.Block) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Component == b.Component && a.ID == b.ID && a.Code == b.Code && a.Rule == b.Rule && a.Return == b.Return
}

// decide decides gates idx for the pair a, b over the port set, cut where
// any of them may change: runs of equal decisions.
func (en *engine) decide(g *simulate.Gates, idx []int, a, b *model.ENI) []drun {
	ports := en.o.Ports
	cuts := []int{int(ports.First)}
	if en.hasPorts {
		keep := func(s []int) {
			for _, v := range s {
				if v > int(ports.First) && v <= int(ports.Last) {
					cuts = append(cuts, v)
				}
			}
		}
		for _, i := range idx {
			x := g.Gate(i)
			if x.Return() {
				continue // the client's ports, whatever the destination port
			}
			switch x.Kind {
			case simulate.GateNetworkACL:
				keep(en.cut.acl[x.ACL().ID])
			case simulate.GateSecurityGroup:
				e := x.ENI()
				switch e {
				case g.Src():
					e = a
				case g.Dst():
					e = b
				}
				for _, gid := range e.Groups {
					if x.Egress() {
						keep(en.cut.egress[gid])
					} else {
						keep(en.cut.ingress[gid])
					}
				}
			}
		}
		cuts = compact(cuts)
	}
	var out []drun
	for _, c := range cuts {
		r := drun{first: uint16(c), dec: make([]simulate.Decision, len(idx)), blk: make([]*simulate.Block, len(idx))}
		for k, i := range idx {
			r.dec[k], r.blk[k] = g.Decide(en.m, i, a, b, uint16(c))
		}
		if n := len(out); n > 0 && sameDecisions(out[n-1], r) {
			continue
		}
		out = append(out, r)
	}
	return out
}

func sameDecisions(a, b drun) bool {
	if !slices.Equal(a.dec, b.dec) {
		return false
	}
	for i := range a.blk {
		if !sameBlockKey(a.blk[i], b.blk[i]) {
			return false
		}
	}
	return true
}

// gated is runs decided for a list of gates.
type gated struct {
	idx  []int
	runs []drun
}

// combine settles the flow on every piece of the port set where all the
// runs agree: the runs of verdicts a trace reports.
func (en *engine) combine(g *simulate.Gates, parts []gated) []run {
	var firsts []int
	for _, p := range parts {
		for _, r := range p.runs {
			firsts = append(firsts, int(r.first))
		}
	}
	firsts = compact(firsts)
	dec := make([]simulate.Decision, g.Len())
	blk := make([]*simulate.Block, g.Len())
	pos := make([]int, len(parts))
	var out []run
	for k, f := range firsts {
		for j, p := range parts {
			for pos[j]+1 < len(p.runs) && int(p.runs[pos[j]+1].first) <= f {
				pos[j]++
			}
			if len(p.runs) == 0 {
				continue
			}
			r := p.runs[pos[j]]
			for t, i := range p.idx {
				dec[i], blk[i] = r.dec[t], r.blk[t]
			}
		}
		v, by := g.Outcome(dec, blk)
		last := en.o.Ports.Last
		if k+1 < len(firsts) {
			last = uint16(firsts[k+1] - 1)
		}
		if n := len(out); n > 0 && out[n-1].verdict == v && sameBlockKey(out[n-1].by, by) {
			out[n-1].ports.Last = last
			continue
		}
		out = append(out, run{ports: model.PortRange{First: uint16(f), Last: last}, verdict: v, by: by})
	}
	return out
}
