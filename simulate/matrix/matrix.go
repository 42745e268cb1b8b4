// Package matrix answers which segments of a network reach which: for every
// ordered pair of segments (subnets, security groups, VPCs, accounts or the
// values of a tag) and every port of a protocol's port set, whether every
// member of the first reaches every member of the second.
//
// The answer is exact, and it is the tracer's: no AWS rule is evaluated
// here. Members that no route, ACL entry, prefix list or rule address can
// tell apart (same subnet, address atom, attributes and segments: see
// classKey) form a class; each ordered pair of classes is walked once
// with its filters open (simulate.TraceGates), and the walk's security
// group and network ACL gates are decided member by member, remembered by
// what decides them, and settled as the tracer settles (engine.go); a
// cell adds up its member pairs part by part, run of ports by run. The
// property tests in matrix_test.go compare every cell with the traces of
// every member pair.
package matrix

import (
	"fmt"
	"iter"
	"net/netip"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vpcpath/vpcpath/internal/intervals"
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/check"
)

// Status is the answer of a cell, or of a run of ports in a cell.
type Status string

// Statuses. A run of ports is reachable when every member pair reaches on
// every port of it, blocked when none does, unknown when the model cannot
// decide for some pair (whatever the others do), partial when some pairs
// reach and the others are blocked. A cell is reachable or blocked when all
// its runs are; unknown when no pair is known to reach and some pair is
// unknown; partial when some pair reaches on some port but not every pair
// on every port; empty when it has no member pair (a segment of one member
// has no pair with itself).
const (
	Reachable Status = "reachable"
	Blocked   Status = "blocked"
	Partial   Status = "partial"
	Unknown   Status = "unknown"
	Empty     Status = "empty"
)

// Statuses lists them in the order legends show them.
var Statuses = []Status{Reachable, Partial, Blocked, Unknown, Empty}

// SchemaVersion is the version of the JSON contract of a Matrix: the
// document is new in version 2 (CHANGELOG.md).
const SchemaVersion = 2

// Options is the question: how to cut the network and on which traffic.
type Options struct {
	// By is subnet, security-group, vpc, account or tag:KEY.
	By       string
	Protocol model.Protocol
	// Ports is the destination port set of TCP and UDP.
	Ports model.PortRange
	// Ephemeral is the clients' port range replies go to (zero: Linux).
	Ephemeral     model.PortRange
	EphemeralName string
	// Appliances is passed to every trace (simulate.Query.Appliances).
	Appliances string
	// Rules keeps, for every run of ports, the rules that blocked it or
	// left it undecided, with how many member pairs each decided.
	Rules bool
	// Workers traces class pairs in parallel; 0 means GOMAXPROCS.
	Workers int
	// MaxClassPairs, when positive, refuses (with a *TooLargeError) a
	// matrix that needs more class pairs traced, before tracing any.
	MaxClassPairs int
}

// TooLargeError is a matrix that needs more class pairs traced than
// Options.MaxClassPairs allows.
type TooLargeError struct {
	Stats Stats
	Max   int
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("the matrix needs %d class pairs traced (%d members in %d classes), more than the limit of %d: cut coarser (--by vpc or account), narrow the snapshot, or raise --max-class-pairs",
		e.Stats.ClassPairs, e.Stats.Members, e.Stats.Classes, e.Max)
}

// Segment is one row (and column) of the matrix.
type Segment struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Kind is subnet, security-group, vpc, account or tag.
	Kind string `json:"kind"`
	// Label is "Name (ID)", or the ID when there is no name.
	Label string `json:"label"`
	// Members are the interfaces the segment stands for: its workload
	// interfaces, and a stand-in node (eni-standin-...) for each of its
	// subnets where none runs.
	Members []string `json:"members"`
	// Tags are the tags of the resource the segment is (a subnet's, a
	// VPC's, a group's; KEY=VALUE for a tag segment), for selectors.
	Tags map[string]string `json:"tags,omitempty"`
}

// Rule is what decided a run of ports for some member pairs: where the
// packet died or where the model stopped knowing.
type Rule struct {
	Verdict   simulate.Verdict   `json:"verdict"`
	Component simulate.Component `json:"component"`
	ID        string             `json:"id"`
	Rule      string             `json:"rule"`
	Return    bool               `json:"return"`
	Pairs     int                `json:"pairs"`
}

// Span is a run of ports with one outcome in a cell.
type Span struct {
	// Ports is the run ("443", "0-442"); "" for protocols without ports.
	Ports     string `json:"ports"`
	Status    Status `json:"status"`
	Reachable int    `json:"reachable"` // member pairs that reach on every port of the run
	Blocked   int    `json:"blocked"`
	Unknown   int    `json:"unknown"`
	// Rules are set with Options.Rules, most pairs first.
	Rules []Rule `json:"rules,omitempty"`

	ports model.PortRange
}

// witness returns a member pair of cell i -> j with verdict v on port
// port, decided again (a large matrix holds millions of spans: they keep
// no pair).
func (x *Matrix) witness(i, j int, port uint16, v simulate.Verdict) ([2]*model.ENI, bool) {
	mm := newMemo()
	for _, p := range x.segClasses[i] {
		for _, q := range x.segClasses[j] {
			if p == q && len(x.classes[p].members) < 2 {
				continue
			}
			parts, err := x.en.pair(mm, x.classes[p], x.classes[q], nil)
			if err != nil {
				continue
			}
			for _, w := range parts {
				for _, r := range w.runs {
					if r.ports.First <= port && port <= r.ports.Last && r.verdict == v {
						return w.pair, true
					}
				}
			}
		}
	}
	return [2]*model.ENI{}, false
}

// PortRange is the span's ports.
func (s Span) PortRange() model.PortRange { return s.ports }

// Cell is the answer for one ordered pair of segments.
type Cell struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Status Status `json:"status"`
	// Pairs is the number of ordered member pairs (a member is never
	// paired with itself).
	Pairs int `json:"pairs"`
	// Open lists the ports some member pair reaches ("443,8440-8450"),
	// "" when none; Spans say for how many pairs.
	Open  string `json:"open"`
	Spans []Span `json:"spans"`
}

// Matrix is the answer. Cells are row-major: Cells[i*len(Segments)+j] is
// from segment i to segment j.
type Matrix struct {
	SchemaVersion int       `json:"schema_version"`
	By            string    `json:"by"`
	Protocol      string    `json:"protocol"`
	Ports         string    `json:"ports"`
	Ephemeral     string    `json:"ephemeral,omitempty"`
	Segments      []Segment `json:"segments"`
	Cells         []Cell    `json:"cells"`
	// Stats say how much work the classes saved.
	Stats Stats `json:"stats"`
	// Notes are what the answer assumes (stand-ins, interfaces left out).
	Notes []string `json:"notes"`
	// Audit is the --expect audit, when there is one.
	Audit *AuditReport `json:"audit,omitempty"`

	m          *model.Model
	opts       Options
	en         *engine
	classes    []*class
	segClasses [][]int // the classes of each segment
	standIns   []*model.ENI
	members    [][]*model.ENI
}

// AuditReport is the outcome of a segmentation audit (Matrix.Audit): the
// PASS/FAIL/UNKNOWN summary and one outcome per cell an expectation
// selects.
type AuditReport struct {
	Summary  map[string]int  `json:"summary"`
	Outcomes []check.Outcome `json:"outcomes"`
}

// Stats count members, classes and traces.
type Stats struct {
	Members     int `json:"members"`
	MemberPairs int `json:"member_pairs"`
	Classes     int `json:"classes"`
	ClassPairs  int `json:"class_pairs"`
}

// Cell returns the cell from segment i to segment j.
func (x *Matrix) Cell(i, j int) *Cell { return &x.Cells[i*len(x.Segments)+j] }

// class is a set of interfaces every walk answers alike (classKey).
type class struct {
	members []*model.ENI
	segs    []int // the segments every member is in
	id      int
	// groups are the security groups its members carry; peers[0] and
	// peers[1] the peers their ingress and egress rules name.
	groups map[string]bool
	peers  [2]peerSpecs
}

// peerSpecs are the peers of a set of rules: the groups they reference,
// and the bounds of their CIDR blocks and of their known prefix lists'
// entries. Whether each holds a peer decides, for every rule, whether it
// matches that peer; two addresses in one interval of the bounds lie in
// the same blocks and lists. A prefix list without entries holds nothing
// known whatever the peer.
type peerSpecs struct {
	refs   map[string]bool
	bounds intervals.Bounds
}

// interval numbers the interval of the bounds that a lies in.
func (ps *peerSpecs) interval(a netip.Addr) int { return ps.bounds.Interval(a) }

// list adds the bounds of prefix list id's entries, when they are known.
func (ps *peerSpecs) list(m *model.Model, id string) {
	if pl := m.PrefixLists[id]; pl != nil && pl.CIDRsKnown {
		for _, p := range pl.CIDRs {
			ps.bounds.AddPrefix(p)
		}
	}
}

// index fills the class's groups and their rules' peers.
func (c *class) index(m *model.Model) {
	c.groups = map[string]bool{}
	c.peers = [2]peerSpecs{{refs: map[string]bool{}}, {refs: map[string]bool{}}}
	for _, e := range c.members {
		for _, gid := range e.Groups {
			if c.groups[gid] {
				continue
			}
			c.groups[gid] = true
			sg := m.SecurityGroups[gid]
			if sg == nil {
				continue
			}
			for k, rules := range [][]model.SGRule{sg.Ingress, sg.Egress} {
				ps := &c.peers[k]
				for _, r := range rules {
					switch {
					case r.PeerGroup != "":
						ps.refs[r.PeerGroup] = true
					case r.PrefixListID != "":
						ps.list(m, r.PrefixListID)
					default:
						ps.bounds.AddPrefix(r.CIDR)
					}
				}
			}
		}
	}
	c.peers[0].bounds.Sort()
	c.peers[1].bounds.Sort()
}

// refers reports whether a rule of a group of c's members, in the
// direction given, references a group some member of peer carries.
func (c *class) refers(peer *class, egress bool) bool {
	refs := c.peers[0].refs
	if egress {
		refs = c.peers[1].refs
	}
	for gid := range refs {
		if peer.groups[gid] {
			return true
		}
	}
	return false
}

type run struct {
	ports   model.PortRange
	verdict simulate.Verdict
	by      *simulate.Block
}

// Compute builds the matrix of m.
func Compute(m *model.Model, o Options) (*Matrix, error) {
	by, err := ParseBy(o.By)
	if err != nil {
		return nil, err
	}
	if !o.Protocol.HasPorts() {
		o.Ports = model.PortRange{}
	}
	sg := &segmenter{m: m, taken: map[netip.Addr]bool{}}
	segs, members, err := sg.build(by)
	if err != nil {
		return nil, err
	}
	x := &Matrix{SchemaVersion: SchemaVersion, By: by, Protocol: o.Protocol.String(), Segments: segs, Notes: sg.notes,
		m: m, opts: o, standIns: sg.standIns, members: members}
	if x.Notes == nil {
		x.Notes = []string{}
	}
	if o.Protocol.HasPorts() {
		x.Ports = portsText(o.Ports)
		eph := o.Ephemeral
		if eph == (model.PortRange{}) {
			eph, o.EphemeralName = simulate.EphemeralLinux, "Linux"
		}
		x.Ephemeral = eph.String()
		if o.EphemeralName != "" {
			x.Ephemeral += " (" + o.EphemeralName + ")"
		}
	}

	// Classes: members that no route, ACL entry, prefix list or rule
	// address can tell apart, and that sit in the same segments. Groups
	// are left out: the gates of a class pair decide them member by
	// member (engine.go).
	at := newAtoms(m)
	alone := aloneFunc(m, sg.standIns)
	segsOf := map[*model.ENI][]int{}
	var order []*model.ENI
	for i, ms := range members {
		for _, e := range ms {
			if _, ok := segsOf[e]; !ok {
				order = append(order, e)
			}
			if s := segsOf[e]; len(s) == 0 || s[len(s)-1] != i {
				segsOf[e] = append(s, i)
			}
		}
	}
	keys := map[string]int{}
	var classes []*class
	for _, e := range order {
		k := classKey(m, at, e, alone, false)
		if k != "only "+e.ID {
			for _, i := range segsOf[e] {
				k += "|" + strconv.Itoa(i)
			}
		}
		c, ok := keys[k]
		if !ok {
			c = len(classes)
			keys[k] = c
			classes = append(classes, &class{segs: segsOf[e]})
		}
		classes[c].members = append(classes[c].members, e)
	}
	segClasses := make([][]int, len(segs))
	for c, cl := range classes {
		cl.id = c
		cl.index(m)
		for _, i := range cl.segs {
			segClasses[i] = append(segClasses[i], c)
		}
	}
	x.Stats.Members, x.Stats.Classes = len(order), len(classes)
	// Every cell is computed, so every ordered pair of distinct classes is
	// needed, and a class with itself when it has two members: counted
	// before anything is built, so that a matrix too large is refused at
	// once.
	x.Stats.ClassPairs = len(classes) * (len(classes) - 1)
	for _, c := range classes {
		if len(c.members) > 1 {
			x.Stats.ClassPairs++
		}
	}
	if o.MaxClassPairs > 0 && x.Stats.ClassPairs > o.MaxClassPairs {
		return nil, &TooLargeError{Stats: x.Stats, Max: o.MaxClassPairs}
	}

	// Cells, a row at a time on every worker. A class in several segments
	// (a member carrying several groups, by security group) answers for
	// several cells: its pairs are decided once and kept.
	en := newEngine(m, o, sg.standIns)
	x.en, x.classes, x.segClasses = en, classes, segClasses
	x.Cells = make([]Cell, len(segs)*len(segs))
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		failed   atomic.Bool
		kept     sync.Map // [2]int -> []weighted, for classes in several segments
	)
	// pairOf appends the weighted runs of class pair p, q to out.
	pairOf := func(mm *memo, p, q int, out []weighted) ([]weighted, error) {
		wrap := func(err error) error {
			r := representatives(classes[p], classes[q])
			return fmt.Errorf("tracing %s -> %s: %w", r[0].ID, r[1].ID, err)
		}
		if len(classes[p].segs) <= 1 && len(classes[q].segs) <= 1 {
			w, err := en.pair(mm, classes[p], classes[q], out)
			if err != nil {
				return out, wrap(err)
			}
			return w, nil
		}
		if w, ok := kept.Load([2]int{p, q}); ok {
			return append(out, w.([]weighted)...), nil
		}
		w, err := en.pair(mm, classes[p], classes[q], nil)
		if err != nil {
			return out, wrap(err)
		}
		// Kept beyond this cell: off the worker's scratch space.
		for k := range w {
			w[k].runs = slices.Clone(w[k].runs)
		}
		kept.Store([2]int{p, q}, w)
		return append(out, w...), nil
	}
	// Workers take tiles of cells, not rows: the walks and gates of a tile
	// meet the route tables, ACLs and groups of a few dozen subnets, which
	// stay in the processor's cache from cell to cell, where a row meets
	// every subnet of the estate once.
	tiles := make(chan tile)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mm := newMemo()
			agg := newAggregator()
			var parts []weighted
			for t := range tiles {
				if failed.Load() {
					continue // drain the tiles: the answer is the error
				}
				for i, j := range t.cells() {
					parts, mm.runs = parts[:0], mm.runs[:0]
					mm.trim()
					for _, p := range segClasses[i] {
						for _, q := range segClasses[j] {
							if p == q && len(classes[p].members) < 2 {
								continue
							}
							var err error
							parts, err = pairOf(mm, p, q, parts)
							if err != nil {
								mu.Lock()
								if firstErr == nil {
									firstErr = err
								}
								mu.Unlock()
								failed.Store(true)
								continue
							}
						}
					}
					cell := agg.cell(parts, o.Ports, o.Protocol.HasPorts(), o.Rules)
					cell.From, cell.To = segs[i].ID, segs[j].ID
					x.Cells[i*len(segs)+j] = cell
				}
			}
		}()
	}
	local := localOrder(m, members)
	for i := 0; i < len(segs); i += tileSide {
		for j := 0; j < len(segs); j += tileSide {
			tiles <- tile{order: local, i: i, j: j}
		}
	}
	close(tiles)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	for i := range x.Cells {
		x.Stats.MemberPairs += x.Cells[i].Pairs
	}
	return x, nil
}

// tile is the square of cells tileSide on a side (less at the matrix's
// edges) whose rows and columns are the segments order lists from
// positions i and j on.
type tile struct {
	order []int
	i, j  int
}

const tileSide = 32

// cells yields the row and column of each of the tile's cells, row by
// row.
func (t tile) cells() iter.Seq2[int, int] {
	n := len(t.order)
	return func(yield func(int, int) bool) {
		for _, i := range t.order[t.i:min(t.i+tileSide, n)] {
			for _, j := range t.order[t.j:min(t.j+tileSide, n)] {
				if !yield(i, j) {
					return
				}
			}
		}
	}
}

// localOrder is the segments in the order of the Region, VPC and zone of
// their first member, so that a tile's cells meet few VPCs (and their
// transit gateways, attachments and route tables).
func localOrder(m *model.Model, members [][]*model.ENI) []int {
	order := make([]int, len(members))
	where := make([]string, len(members))
	for i, ms := range members {
		order[i] = i
		if len(ms) > 0 {
			region := ""
			if v := m.VPCs[ms[0].VPCID]; v != nil {
				region = v.Region
			}
			where[i] = region + "\x00" + ms[0].VPCID + "\x00" + ms[0].AZ
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(where[a], where[b]) })
	return order
}

// representatives are the member pair that answers for classes a and b.
func representatives(a, b *class) [2]*model.ENI {
	if a == b {
		return [2]*model.ENI{a.members[0], a.members[1]}
	}
	return [2]*model.ENI{a.members[0], b.members[0]}
}

// runsOf turns a (range) trace into runs covering ports.
func runsOf(r simulate.Result, ports model.PortRange, hasPorts bool) []run {
	if len(r.Segments) == 0 || !hasPorts {
		return []run{{ports: ports, verdict: r.Verdict, by: r.BlockedBy}}
	}
	out := make([]run, len(r.Segments))
	for i, s := range r.Segments {
		out[i] = run{ports: s.Ports, verdict: s.Verdict, by: s.BlockedBy}
	}
	return out
}
