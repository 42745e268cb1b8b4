package matrix

import (
	"encoding/binary"
	"errors"
	"hash/maphash"
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

// gateRuns are the runs of ports on which one gate decides alike, for
// every pair with one gate key; id tells them apart cheaply.
type gateRuns struct {
	id   int
	runs []gateRun
}

type gateRun struct {
	first uint16
	dec   simulate.Decision
	blk   *simulate.Block
}

// memo keeps each worker's gate runs by gate key, and one copy of equal
// runs (so that members whose gates decide alike share their runs' id),
// and the scratch space of combine.
type memo struct {
	byKey  map[string]*gateRuns
	byACL  map[simulate.ACLGateKey]*gateRuns // network ACL gates, by a cheaper key
	byRuns map[string]*gateRuns
	key    []byte
	rkey   []byte // keyedGate's key of runs
	// keyedGate's and gateCuts' scratch
	gruns        []gateRun
	cuts, sgCuts []int
	// recentACL keeps the ACL gates met last, by hash of their key, in
	// front of byACL: a tile's class pairs meet a few thousand, where
	// byACL holds up to memoCap and misses the processor's cache. gen
	// tells the slots of maps trim dropped (their runs' ids are reused).
	recentACL *[4096]recentACL
	gen       uint32
	// pair's scratch for class pairs with gates of both ends
	bothIndex map[string]int
	bothLocal map[string]*gateRuns
	bothKey   []byte
	// profs keeps the profiles of a class's members for a list of gates,
	// by what decides those gates for every member (sideKey); combos the
	// runs combine settled, by the walk's outcome key and the gates' runs.
	// Both hold ids of byRuns, so they start again with it.
	profs  map[string][]*profile
	combos map[string][]run
	pkey   []byte
	// pair's scratch
	shared, srcSide, dstSide, both []int
	all                            []*gateRuns
	// walks keeps the route lookups of the worker's walks.
	walks *simulate.Memo
	// runs is where combine writes the runs of one cell's parts: the
	// worker empties it before each cell (Compute), so a large matrix
	// does not allocate them part by part.
	runs []run
	// combine's scratch
	firsts []int
	dec    []simulate.Decision
	blk    []*simulate.Block
	pos    []int
}

func newMemo() *memo {
	return &memo{byKey: map[string]*gateRuns{}, byACL: map[simulate.ACLGateKey]*gateRuns{}, byRuns: map[string]*gateRuns{},
		profs: map[string][]*profile{}, combos: map[string][]run{},
		walks: simulate.NewMemo(), recentACL: new([4096]recentACL)}
}

type recentACL struct {
	k   simulate.ACLGateKey
	r   *gateRuns
	gen uint32
}

var aclSeed = maphash.MakeSeed()

// memoCap bounds a worker's memo: past it the memo starts again (between
// two cells, so that ids stay unique within a class pair). On the large
// transit estate a worker meets a few million keys; most hits come from
// the cells just decided.
var memoCap = 100_000 // a variable for TestMemoStartingAgain

// trim empties the memo when it has grown past memoCap.
func (mm *memo) trim() {
	// New maps: a cleared map keeps its buckets.
	if len(mm.byKey) > memoCap {
		mm.byKey, mm.byRuns, mm.byACL = map[string]*gateRuns{}, map[string]*gateRuns{}, map[simulate.ACLGateKey]*gateRuns{}
		mm.profs, mm.combos = map[string][]*profile{}, map[string][]run{}
		mm.gen++ // the recent ACL gates' runs are of the old maps
	}
	if len(mm.profs) > memoCap {
		mm.profs = map[string][]*profile{}
	}
	if len(mm.combos) > memoCap {
		mm.combos = map[string][]run{}
	}
}

// gate returns the runs of gate i for the pair a, b.
func (en *engine) gate(mm *memo, g *simulate.Gates, i int, a, b *model.ENI) *gateRuns {
	if k, ok := g.ACLKey(i, a, b); ok {
		slot := &mm.recentACL[maphash.Comparable(aclSeed, k)%uint64(len(mm.recentACL))]
		if slot.r != nil && slot.gen == mm.gen && slot.k == k {
			return slot.r
		}
		r, ok := mm.byACL[k]
		if !ok {
			r = en.keyedGate(mm, g, i, a, b)
			mm.byACL[k] = r
		}
		*slot = recentACL{k: k, r: r, gen: mm.gen}
		return r
	}
	return en.keyedGate(mm, g, i, a, b)
}

// keyedGate is gate by the gate's full key.
func (en *engine) keyedGate(mm *memo, g *simulate.Gates, i int, a, b *model.ENI) *gateRuns {
	mm.key = g.AppendKey(mm.key[:0], i, a, b, en.m)
	if r, ok := mm.byKey[string(mm.key)]; ok {
		return r
	}
	runs := mm.gruns[:0]
	for _, c := range en.gateCuts(mm, g, i, a, b) {
		var d simulate.Decision
		var blk *simulate.Block
		if en.o.Rules {
			d, blk = g.Decide(en.m, i, a, b, uint16(c), false)
		} else if d = g.Verdict(en.m, i, a, b, uint16(c)); d != simulate.Allow {
			// Without rules a cell counts verdicts only: gates that decide
			// alike on every port are one, whatever rule decided them.
			blk = verdictOnly
		}
		if n := len(runs); n > 0 && runs[n-1].dec == d && sameBlockKey(runs[n-1].blk, blk) {
			continue
		}
		runs = append(runs, gateRun{first: uint16(c), dec: d, blk: blk})
	}
	mm.gruns = runs
	rk := mm.rkey[:0]
	for _, x := range runs {
		rk = binary.AppendUvarint(rk, uint64(x.first))
		rk = append(append(rk, x.dec...), 0)
		if x.blk != nil {
			rk = append(rk, 'b')
			rk = append(append(rk, x.blk.Component...), 0)
			rk = append(append(rk, x.blk.ID...), 0)
			rk = append(append(rk, x.blk.Code...), 0)
			rk = append(append(rk, x.blk.Rule...), 0)
			rk = strconv.AppendBool(rk, x.blk.Return)
		}
		rk = append(rk, ';')
	}
	mm.rkey = rk
	r, ok := mm.byRuns[string(rk)]
	if !ok {
		r = &gateRuns{id: len(mm.byRuns) + 1, runs: slices.Clone(runs)}
		mm.byRuns[string(rk)] = r
	}
	mm.byKey[string(mm.key)] = r
	return r
}

// verdictOnly stands for the block of a gate that does not allow when the
// matrix keeps no rules.
var verdictOnly = &simulate.Block{Component: "gate"}

// gateCuts are the first ports of the pieces of the port set on which
// gate i cannot change its mind.
// They are built in the memo's scratch space, which the next call reuses.
func (en *engine) gateCuts(mm *memo, g *simulate.Gates, i int, a, b *model.ENI) []int {
	ports := en.o.Ports
	cuts := append(mm.cuts[:0], int(ports.First))
	x := g.Gate(i)
	if !en.hasPorts || x.Return() {
		mm.cuts = cuts
		return cuts // the client's ports, whatever the destination port
	}
	switch x.Kind {
	case simulate.GateNetworkACL:
		cuts = addCuts(cuts, en.cut.acl[x.ACL().ID], ports)
	case simulate.GateSecurityGroup:
		// Only the rules that may match this peer (so the gate key's).
		mm.sgCuts = g.AppendCuts(mm.sgCuts[:0], en.m, i, a, b)
		cuts = addCuts(cuts, mm.sgCuts, ports)
	}
	cuts = compact(cuts)
	mm.cuts = cuts
	return cuts
}

// profile is the runs of a list of gates for one member.
type profile struct {
	runs    []*gateRuns
	members []*model.ENI
}

// sideProfiles is profiles of class c's members, kept by sideKey: a class
// meets walks to many classes whose gates decide alike for its members.
func (en *engine) sideProfiles(mm *memo, g *simulate.Gates, idx []int, c *class, src bool) []*profile {
	if len(idx) == 0 {
		return en.profiles(mm, g, idx, c.members, src)
	}
	k := append(mm.pkey[:0], 'd')
	if src {
		k[0] = 's'
	}
	k = binary.AppendUvarint(k, uint64(c.id))
	for _, i := range idx {
		var ok bool
		k = append(k, ';')
		if k, ok = en.sideKey(k, g, i, c, src); !ok {
			mm.pkey = k
			return en.profiles(mm, g, idx, c.members, src)
		}
	}
	mm.pkey = k
	if ps, ok := mm.profs[string(k)]; ok {
		return ps
	}
	ps := en.profiles(mm, g, idx, c.members, src)
	mm.profs[string(k)] = ps
	return ps
}

// sideKey appends what decides security group gate i for every member of
// class c standing for the traced source (src) or destination, beyond the
// member itself: equal keys give every member equal gate keys
// (Gates.AppendKey), so equal profiles. It reports false for a gate it
// cannot describe so (the member is both the checked interface and its
// peer, or the gate is no security group's).
//
// A member checked against a peer: the direction, the return path's
// ports, and which of the distinct peers the class's rules name hold the
// peer (its address in their CIDR blocks and prefix lists, told by the
// interval of their bounds it lies in; its groups among their
// references). A member that is the peer of a fixed
// interface: that interface.
func (en *engine) sideKey(buf []byte, g *simulate.Gates, i int, c *class, src bool) ([]byte, bool) {
	x := g.Gate(i)
	if x.Kind != simulate.GateSecurityGroup {
		return buf, false
	}
	atSrc, atDst, peerSrc, peerDst := g.Checks(i)
	checked, isPeer := atDst, peerDst
	if src {
		checked, isPeer = atSrc, peerSrc
	}
	dir, ps := byte('i'), &c.peers[0]
	if x.Egress() {
		dir, ps = 'e', &c.peers[1]
	}
	buf = append(buf, dir)
	if x.Return() {
		ports := x.Ports()
		buf = binary.AppendUvarint(append(buf, 'r'), uint64(ports.First))
		buf = binary.AppendUvarint(buf, uint64(ports.Last))
	}
	switch {
	case checked && !isPeer:
		addr, pe := g.Peer(i, g.Src(), g.Dst())
		// Which of the class's blocks and known prefix lists hold the
		// peer (a prefix list without entries holds nothing known
		// whatever the peer).
		buf = append(buf, 'c')
		if addr.IsValid() {
			buf = binary.AppendVarint(buf, int64(ps.interval(addr)))
		}
		buf = append(buf, '|')
		if pe != nil {
			for _, gid := range pe.Groups {
				if ps.refs[gid] {
					buf = append(append(buf, gid...), ',')
				}
			}
		}
	case isPeer && !checked:
		buf = append(append(buf, 'p'), g.ENIFor(i, g.Src(), g.Dst()).ID...)
	default:
		return buf, false
	}
	return buf, true
}

// profiles groups members by the runs of gates idx: member stands for the
// source (src true) or the destination of the traced pair.
func (en *engine) profiles(mm *memo, g *simulate.Gates, idx []int, ms []*model.ENI, src bool) []*profile {
	a, b := g.Src(), g.Dst()
	var out []*profile
	index := map[string]*profile{}
	key := make([]byte, 0, 16)
	rs := make([]*gateRuns, len(idx))
	for _, e := range ms {
		key = key[:0]
		for k, i := range idx {
			if src {
				rs[k] = en.gate(mm, g, i, e, b)
			} else {
				rs[k] = en.gate(mm, g, i, a, e)
			}
			key = binary.AppendUvarint(key, uint64(rs[k].id))
		}
		if p, ok := index[string(key)]; ok {
			p.members = append(p.members, e)
			continue
		}
		p := &profile{runs: slices.Clone(rs), members: []*model.ENI{e}}
		index[string(key)] = p
		out = append(out, p)
	}
	return out
}

// pair decides every member pair of classes p and q (two distinct members
// when p is q), appending them to out.
func (en *engine) pair(mm *memo, p, q *class, out []weighted) ([]weighted, error) {
	rep := representatives(p, q)
	g, err := simulate.TraceGatesBetween(en.m, en.query(rep[0], rep[1]), rep[0], rep[1], mm.walks)
	if errors.Is(err, simulate.ErrNotGated) {
		en.traced.Add(1)
		w, err := en.tracedPair(p, q)
		return append(out, w...), err
	}
	if err != nil {
		return out, err
	}
	en.gated.Add(1)
	shared, srcSide, dstSide, both := mm.shared[:0], mm.srcSide[:0], mm.dstSide[:0], mm.both[:0]
	defer func() { mm.shared, mm.srcSide, mm.dstSide, mm.both = shared, srcSide, dstSide, both }()
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
	// A gate that checks one end with the other as its peer depends on
	// which peer member only through group references (the peer's class
	// shares its address atom): when no group of the checked side's
	// members references a group a member of the peer's side carries,
	// every peer member gives the gate's key, so it is decided on the
	// checked side alone.
	still := both[:0]
	for _, i := range both {
		atDst, ok := across(g, i)
		egress := g.Gate(i).Egress()
		switch {
		case ok && atDst && !q.refers(p, egress):
			dstSide = append(dstSide, i)
		case ok && !atDst && !p.refers(q, egress):
			srcSide = append(srcSide, i)
		default:
			still = append(still, i)
		}
	}
	both = still
	a0, b0 := g.Src(), g.Dst()
	all := slices.Grow(mm.all[:0], g.Len())[:g.Len()]
	mm.all = all
	for _, i := range shared {
		all[i] = en.gate(mm, g, i, a0, b0)
	}
	// With rules asked for, a block of the walk that names the traced pair
	// (no route for its address, its instance stopped) is written for
	// each member pair, which then counts on its own.
	perPair := en.o.Rules && g.WalkNamesPair()
	start := len(out)
	as := en.sideProfiles(mm, g, srcSide, p, true)
	bs := en.sideProfiles(mm, g, dstSide, q, false)
	if len(both) == 0 {
		for _, pa := range as {
			for k, i := range srcSide {
				all[i] = pa.runs[k]
			}
			for _, pb := range bs {
				n, pair := pairsOf(pa.members, pb.members, p == q)
				if n == 0 {
					continue
				}
				for k, i := range dstSide {
					all[i] = pb.runs[k]
				}
				runs := en.combineKept(mm, g, all, perPair)
				if !perPair {
					out = append(out, weighted{runs: runs, n: n, pair: pair})
					continue
				}
				for _, a := range pa.members {
					for _, b := range pb.members {
						if a != b {
							out = append(out, weighted{runs: rewrite(g, runs, a, b), n: 1, pair: [2]*model.ENI{a, b}})
						}
					}
				}
			}
		}
		return out, nil
	}
	// Both ends matter to some gate: the sides' gates by profile as above,
	// the gates of both ends for every member pair (kept for the class
	// pair by what decides them: bothGate), and pairs whose gates agree
	// counted once.
	if mm.bothIndex == nil {
		mm.bothIndex, mm.bothLocal = map[string]int{}, map[string]*gateRuns{}
	}
	index, local, key := mm.bothIndex, mm.bothLocal, mm.bothKey[:0]
	clear(index)
	clear(local)
	defer func() { mm.bothKey = key }()
	for ia, pa := range as {
		for k, i := range srcSide {
			all[i] = pa.runs[k]
		}
		for ib, pb := range bs {
			for k, i := range dstSide {
				all[i] = pb.runs[k]
			}
			for _, a := range pa.members {
				for _, b := range pb.members {
					if a == b {
						continue
					}
					key = binary.AppendUvarint(key[:0], uint64(ia))
					key = binary.AppendUvarint(key, uint64(ib))
					for _, i := range both {
						all[i] = en.bothGate(mm, local, g, i, a, b, p, q)
						key = binary.AppendUvarint(key, uint64(all[i].id))
					}
					if w, ok := index[string(key)]; ok && !perPair {
						out[start+w].n++
						continue
					}
					runs := en.combineKept(mm, g, all, perPair)
					if perPair {
						runs = rewrite(g, runs, a, b)
					}
					index[string(key)] = len(out) - start
					out = append(out, weighted{runs: runs, n: 1, pair: [2]*model.ENI{a, b}})
				}
			}
		}
	}
	return out, nil
}

// bothGate returns the runs of gate i, which both ends of the pair a, b
// decide, keeping them in local (one class pair's) by what decides them: a
// group gate that checks one end with the other as its peer depends on the
// checked member and on which groups the peer carries that the checked
// class's rules reference (the peer's class shares its address atom).
// Other gates are decided by their full key.
func (en *engine) bothGate(mm *memo, local map[string]*gateRuns, g *simulate.Gates, i int, a, b *model.ENI, p, q *class) *gateRuns {
	atDst, ok := across(g, i)
	if !ok {
		return en.gate(mm, g, i, a, b)
	}
	d := 0
	if g.Gate(i).Egress() {
		d = 1
	}
	checked, peer, refs := a, b, p.peers[d].refs
	if atDst {
		checked, peer, refs = b, a, q.peers[d].refs
	}
	k := binary.AppendUvarint(mm.pkey[:0], uint64(i))
	k = append(append(append(k, '|'), checked.ID...), '|')
	for _, gid := range peer.Groups {
		if refs[gid] {
			k = append(append(k, gid...), ',')
		}
	}
	mm.pkey = k
	if r, ok := local[string(k)]; ok {
		return r
	}
	r := en.gate(mm, g, i, a, b)
	local[string(k)] = r
	return r
}

// across reports whether group gate i checks one end of the traced pair
// with the other end as its peer (ok), and which end it checks (atDst:
// the destination, else the source).
func across(g *simulate.Gates, i int) (atDst, ok bool) {
	atSrc, atDst, peerSrc, peerDst := g.Checks(i)
	switch {
	case atDst && peerSrc && !atSrc && !peerDst:
		return true, true
	case atSrc && peerDst && !atDst && !peerSrc:
		return false, true
	}
	return false, false
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
			runs, err := en.trace(pair[0], pair[1])
			if err != nil {
				return nil, err
			}
			out = append(out, weighted{runs: runs, n: n, pair: pair})
		}
	}
	return out, nil
}

// trace traces a to b over the port set, cut at every bound its groups'
// rules and the model's ACL entries may put in the way.
func (en *engine) trace(a, b *model.ENI) ([]run, error) {
	r, err := simulate.TraceRangeCut(en.m, en.query(a, b), en.o.Ports, en.cut.intervals(a, b, en.o.Ports))
	if err != nil {
		return nil, err
	}
	return runsOf(r, en.o.Ports, en.hasPorts), nil
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

func sameBlockKey(a, b *simulate.Block) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Component == b.Component && a.ID == b.ID && a.Code == b.Code && a.Rule == b.Rule && a.Return == b.Return
}

// combineKept is combine, kept by the walk's outcome key and the gates'
// runs (not when the runs will be rewritten for a member pair: Rewrite
// knows the walk's own blocks by identity).
//
// With rules the runs carry the blocks that decided them, which rarely
// repeat across walks: they are not kept then (they only took memory).
func (en *engine) combineKept(mm *memo, g *simulate.Gates, gates []*gateRuns, perPair bool) []run {
	if perPair || en.o.Rules {
		return en.combine(mm, g, gates)
	}
	k := g.AppendOutcomeKey(mm.pkey[:0])
	for _, r := range gates {
		k = binary.AppendUvarint(k, uint64(r.id))
	}
	mm.pkey = k
	if runs, ok := mm.combos[string(k)]; ok {
		return runs
	}
	runs := slices.Clone(en.combine(mm, g, gates))
	mm.combos[string(k)] = runs
	return runs
}

// combine settles the flow on every piece of the port set where the runs
// of every gate agree: the runs of verdicts a trace reports.
func (en *engine) combine(mm *memo, g *simulate.Gates, gates []*gateRuns) []run {
	n := len(gates)
	firsts := append(mm.firsts[:0], int(en.o.Ports.First))
	for _, r := range gates {
		for _, x := range r.runs[1:] {
			firsts = append(firsts, int(x.first))
		}
	}
	if len(firsts) > 1 {
		firsts = compact(firsts)
	}
	mm.firsts = firsts
	if cap(mm.dec) < n {
		mm.dec, mm.blk, mm.pos = make([]simulate.Decision, n), make([]*simulate.Block, n), make([]int, n)
	}
	dec, blk, pos := mm.dec[:n], mm.blk[:n], mm.pos[:n]
	clear(pos)
	start := len(mm.runs)
	out := mm.runs
	for k, f := range firsts {
		for i, r := range gates {
			for pos[i]+1 < len(r.runs) && int(r.runs[pos[i]+1].first) <= f {
				pos[i]++
			}
			x := &r.runs[pos[i]]
			dec[i], blk[i] = x.dec, x.blk
		}
		v, by := g.Outcome(dec, blk)
		last := en.o.Ports.Last
		if k+1 < len(firsts) {
			last = uint16(firsts[k+1] - 1)
		}
		if m := len(out); m > start && out[m-1].verdict == v && sameBlockKey(out[m-1].by, by) {
			out[m-1].ports.Last = last
			continue
		}
		out = append(out, run{ports: model.PortRange{First: uint16(f), Last: last}, verdict: v, by: by})
	}
	mm.runs = out
	return out[start:len(out):len(out)]
}
