package picture

import (
	"fmt"
	"strings"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
)

// Trace returns the picture of a trace: the elements its forward and
// return hops pass, with their VPCs and the subnets of its interfaces, the
// topology lines between them, the forward path (blue, numbered) and the
// return path (green, numbered r1, r2...) drawn over it, and the hop where
// the flow dies (red) or where the model stops knowing (orange), labelled
// with its rule.
func Trace(m *model.Model, res simulate.Result) *Graph {
	b := build(m)
	keep := map[string]bool{}
	nodeOf := func(h simulate.Hop) string {
		id := b.hopNode(h).ID
		keep[id] = true
		return id
	}
	path := func(hops []simulate.Hop, kind EdgeKind, prefix string) {
		prev, step := "", 0
		for _, h := range hops {
			cur := nodeOf(h)
			if prev != "" && cur != prev {
				step++
				st := Active
				if h.Decision == simulate.Deny {
					st = Inactive
				} else if h.Decision == simulate.Undecided {
					st = Undecided
				}
				b.g.link(Edge{From: prev, To: cur, Kind: kind, Label: fmt.Sprintf("%s%d", prefix, step), State: st, Note: hopNote(h)})
			}
			prev = cur
		}
	}
	for _, id := range []string{res.Flow.SrcENI, res.Flow.DstENI} {
		if id != "" {
			keep[b.hopNode(simulate.Hop{Component: simulate.CompENI, ID: id}).ID] = true
		}
	}
	path(res.Hops, EdgeForward, "")
	path(res.ReturnHops, EdgeReturn, "r")
	// Context: the subnets of the interfaces and endpoints on the path, and
	// the VPC of every element.
	for id := range copyKeys(keep) {
		n := b.g.nodes[id]
		if n.Kind == KindENI || n.Kind == KindVPCEndpoint || n.Kind == KindNATGateway {
			for _, e := range b.g.edges {
				if e.From == id && e.Kind == EdgePlacement {
					keep[e.To] = true
				}
			}
		}
	}
	for id := range copyKeys(keep) {
		if v := b.g.nodes[id].VPC; v != "" && b.g.nodes[v] != nil {
			keep[v] = true
		}
	}
	for id := range keep {
		b.g.nodes[id].mark = markPath
	}
	if bl := res.BlockedBy; bl != nil {
		n := b.g.nodes[b.hopNode(simulate.Hop{Component: bl.Component, ID: bl.ID}).ID]
		keep[n.ID] = true
		n.mark, n.markText = markBlocked, "BLOCKED"
		if res.Verdict == simulate.Unknown {
			n.mark, n.markText = markUnknown, "UNKNOWN"
		}
		if bl.Return {
			n.markText += " (return)"
		}
		// Where the model stops knowing, the undecided lines from there
		// (a route to a target known only after apply) are shown too.
		for _, e := range b.g.edges {
			if e.From == n.ID && e.State == Undecided {
				keep[e.To] = true
			}
		}
		switch {
		case bl.Rule != "":
			n.markText += ": " + bl.Rule
		case bl.Reason != "":
			n.markText += ": " + shorten(bl.Reason, 80)
		}
	}
	out := b.g.subgraph(keep)
	out.title = fmt.Sprintf("%s -> %s %s/%s: %s", res.Flow.From, res.Flow.To, res.Flow.Protocol, res.Flow.Port, strings.ToUpper(string(res.Verdict)))
	return out
}

func hopNote(h simulate.Hop) string {
	if h.Rule != "" {
		return string(h.Decision) + ": " + h.Rule
	}
	return string(h.Decision) + ": " + h.Reason
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}

func copyKeys(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// hopNode returns the node a hop passes, adding it when the topology does
// not draw it (an interface, a security group, an AWS service address).
func (b *builder) hopNode(h simulate.Hop) *Node {
	if n := b.g.nodes[h.ID]; n != nil {
		return n
	}
	switch h.Component {
	case simulate.CompENI, simulate.CompAppliance:
		if b.m.ENIs[h.ID] != nil || strings.HasPrefix(h.ID, "eni-") {
			return b.eni(h.ID)
		}
	case simulate.CompSecurityGroup:
		if sg := b.m.SecurityGroups[h.ID]; sg != nil {
			n := b.inVPC(sg.ID, KindSecurityGroup, sg.VPCID, sg.Tags)
			if n.Name == "" {
				n.Name = sg.Name
			}
			return n
		}
	case simulate.CompInternet:
		return b.special(InternetID)
	}
	id := h.ID
	if id == "" {
		id = string(h.Component)
	}
	if n := b.g.nodes[id]; n != nil {
		return n
	}
	return b.g.add(&Node{ID: id, Kind: KindOther, Detail: string(h.Component)})
}

// TraceDOT returns the picture of a trace in DOT.
func TraceDOT(m *model.Model, res simulate.Result) ([]byte, error) {
	return Trace(m, res).DOT()
}

// TraceSVG returns the picture of a trace as SVG (Graphviz in-process),
// for a report to inline.
func TraceSVG(m *model.Model, res simulate.Result) ([]byte, error) {
	return Trace(m, res).SVG()
}
