package matrix

import (
	"encoding/binary"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
)

// weighted is the runs of one class pair and the number of member pairs
// of the cell it answers for.
type weighted struct {
	runs []run
	n    int
	pair [2]*model.ENI // the representatives traced
}

// aggregator adds up cells; one per worker. It keeps one copy of each
// list of spans its cells have: cells between like segments (same member
// counts, same rules) repeat them, and a matrix of 2,000 subnets has four
// million cells. Its other fields are scratch space.
type aggregator struct {
	byKey map[string]*Cell
	key   []byte
	cuts  []int
	pos   []int
	spans []Span
}

func newAggregator() *aggregator { return &aggregator{byKey: map[string]*Cell{}} }

// cell adds up a cell's class pairs port run by port run: it cuts the
// port set at every bound of every class pair's runs, counts the member
// pairs of each verdict in each piece, and merges neighbours that agree.
// The spans (and the open ports they decide) are the kept copy of equal
// ones.
func (ag *aggregator) cell(parts []weighted, ports model.PortRange, hasPorts, rules bool) Cell {
	var c Cell
	for _, p := range parts {
		c.Pairs += p.n
	}
	if c.Pairs == 0 {
		c.Status, c.Spans = Empty, []Span{}
		return c
	}
	cuts := append(ag.cuts[:0], int(ports.First))
	for _, p := range parts {
		for _, r := range p.runs {
			if int(r.ports.First) > int(ports.First) {
				cuts = append(cuts, int(r.ports.First))
			}
		}
	}
	sort.Ints(cuts)
	cuts = slices.Compact(cuts)
	ag.cuts = cuts
	pos := ag.pos[:0] // the run of each part the piece lies in
	for range parts {
		pos = append(pos, 0)
	}
	ag.pos = pos
	spans := ag.spans[:0]
	for k, first := range cuts {
		last := int(ports.Last)
		if k+1 < len(cuts) {
			last = cuts[k+1] - 1
		}
		s := Span{ports: model.PortRange{First: uint16(first), Last: uint16(last)}}
		var rs map[Rule]int
		for i, p := range parts {
			for pos[i] < len(p.runs)-1 && int(p.runs[pos[i]].ports.Last) < first {
				pos[i]++
			}
			r := p.runs[pos[i]]
			switch r.verdict {
			case simulate.Reachable:
				s.Reachable += p.n
			case simulate.Blocked:
				s.Blocked += p.n
			default:
				s.Unknown += p.n
			}
			if rules && r.by != nil {
				if rs == nil {
					rs = map[Rule]int{}
				}
				rs[Rule{Verdict: r.verdict, Component: r.by.Component, ID: r.by.ID, Rule: r.by.Rule, Return: r.by.Return}] += p.n
			}
		}
		s.Status = spanStatus(s, c.Pairs)
		for r, n := range rs {
			r.Pairs = n
			s.Rules = append(s.Rules, r)
		}
		if len(s.Rules) > 1 {
			sortRules(s.Rules)
		}
		if n := len(spans); n > 0 && sameSpan(spans[n-1], s) {
			spans[n-1].ports.Last = s.ports.Last
			continue
		}
		spans = append(spans, s)
	}
	ag.spans = spans
	reachable, blocked, open := 0, 0, false
	for i := range spans {
		switch spans[i].Status {
		case Reachable:
			reachable++
		case Blocked:
			blocked++
		}
		open = open || spans[i].Reachable > 0
	}
	switch {
	case reachable == len(spans):
		c.Status = Reachable
	case blocked == len(spans):
		c.Status = Blocked
	case !open:
		c.Status = Unknown
	default:
		c.Status = Partial
	}
	c.Spans, c.Open = ag.intern(spans, hasPorts, open)
	return c
}

// intern returns the kept copy of spans (built in scratch space) and the
// ports they open, keeping a copy, with its texts, if new.
func (ag *aggregator) intern(spans []Span, hasPorts, open bool) ([]Span, string) {
	k := ag.key[:0]
	for i := range spans {
		s := &spans[i]
		k = binary.AppendUvarint(k, uint64(s.ports.First))
		k = binary.AppendUvarint(k, uint64(s.ports.Last))
		k = append(append(k, s.Status...), 0)
		k = binary.AppendUvarint(k, uint64(s.Reachable))
		k = binary.AppendUvarint(k, uint64(s.Blocked))
		k = binary.AppendUvarint(k, uint64(s.Unknown))
		for _, r := range s.Rules {
			k = append(k, '|')
			k = append(k, r.Verdict...)
			k = append(k, 0)
			k = append(k, r.Component...)
			k = append(k, 0)
			k = append(k, r.ID...)
			k = append(k, 0)
			k = append(k, r.Rule...)
			k = append(k, 0)
			k = strconv.AppendBool(k, r.Return)
			k = binary.AppendUvarint(k, uint64(r.Pairs))
		}
		k = append(k, ';')
	}
	ag.key = k
	if kept, ok := ag.byKey[string(k)]; ok {
		return kept.Spans, kept.Open
	}
	kept := &Cell{Spans: slices.Clone(spans)}
	if hasPorts {
		for i := range kept.Spans {
			kept.Spans[i].Ports = portsText(kept.Spans[i].ports)
		}
		kept.Open = joinRuns(kept.Spans)
	} else if open {
		kept.Open = "all"
	}
	ag.byKey[string(k)] = kept
	return kept.Spans, kept.Open
}

// portsText writes "443" or "0-65535" (never "all": a matrix names its
// port range).
func portsText(r model.PortRange) string {
	if r.First == r.Last {
		return strconv.Itoa(int(r.First))
	}
	return strconv.Itoa(int(r.First)) + "-" + strconv.Itoa(int(r.Last))
}

func spanStatus(s Span, pairs int) Status {
	switch {
	case s.Unknown > 0:
		return Unknown
	case s.Reachable == pairs:
		return Reachable
	case s.Blocked == pairs:
		return Blocked
	}
	return Partial
}

func sameSpan(a, b Span) bool {
	return a.Status == b.Status && a.Reachable == b.Reachable && a.Blocked == b.Blocked && a.Unknown == b.Unknown &&
		slices.Equal(a.Rules, b.Rules) && a.ports.Last+1 == b.ports.First
}

// joinRuns writes the ports some pair reaches, neighbouring runs joined:
// "443,8440-8450".
func joinRuns(spans []Span) string {
	var out []string
	var cur model.PortRange
	have := false
	for _, s := range spans {
		if s.Reachable == 0 {
			continue
		}
		if have && int(cur.Last)+1 == int(s.ports.First) {
			cur.Last = s.ports.Last
			continue
		}
		if have {
			out = append(out, portsText(cur))
		}
		cur, have = s.ports, true
	}
	if have {
		out = append(out, portsText(cur))
	}
	return strings.Join(out, ",")
}

func ruleText(r Rule) string {
	s := string(r.Verdict) + " at " + string(r.Component) + " " + r.ID
	if r.Rule != "" {
		s += " (" + r.Rule + ")"
	}
	if r.Return {
		s += " on the return path"
	}
	return s
}

// String writes "blocked at security-group sg-1 (no matching rule)".
func (r Rule) String() string { return ruleText(r) }

// sortRules puts the rules of a span most pairs first.
func sortRules(rules []Rule) {
	sort.Slice(rules, func(a, b int) bool {
		x, y := rules[a], rules[b]
		if x.Pairs != y.Pairs {
			return x.Pairs > y.Pairs
		}
		return ruleText(x) < ruleText(y)
	})
}
