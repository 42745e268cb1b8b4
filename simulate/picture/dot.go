package picture

import (
	"fmt"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/multi"
)

// DOT returns the graph in Graphviz's DOT language (encoded by gonum's
// encoding/dot): accounts, regions and VPCs as nested clusters; lines
// styled by state (unknown: dashed with "?"; inactive: dotted, grey, with
// why).
func (g *Graph) DOT() ([]byte, error) {
	mg, ids := g.gonum()
	d := &dotGraph{DirectedGraph: multi.NewDirectedGraph(), name: "vpcpath", title: g.title}
	for _, n := range g.Nodes() {
		d.AddNode(dotNode{gnode: ids[n.ID]})
	}
	es := mg.Edges()
	for es.Next() {
		ls := mg.Lines(es.Edge().From().ID(), es.Edge().To().ID())
		for ls.Next() {
			l := ls.Line().(gline)
			d.SetLine(dotLine{f: dotNode{gnode: l.f}, t: dotNode{gnode: l.t}, id: l.id, e: l.e})
		}
	}
	d.clusters = clusters(g)
	out, err := dot.MarshalMulti(d, "", "", "  ")
	return append(out, '\n'), err
}

// dotGraph is the top-level graph: attributes and clusters.
type dotGraph struct {
	*multi.DirectedGraph
	name     string
	title    string
	clusters []dot.Multigraph
}

func (d *dotGraph) DOTID() string { return d.name }

func (d *dotGraph) DOTAttributers() (graph, node, edge encoding.Attributer) {
	ga := attrs{{Key: "rankdir", Value: "LR"}, {Key: "fontname", Value: "Helvetica"}, {Key: "fontsize", Value: "11"}}
	if d.title != "" {
		ga = append(ga, encoding.Attribute{Key: "label", Value: d.title}, encoding.Attribute{Key: "labelloc", Value: "t"})
	}
	return ga,
		attrs{{Key: "fontname", Value: "Helvetica"}, {Key: "fontsize", Value: "10"}, {Key: "shape", Value: "box"}, {Key: "style", Value: "rounded"}},
		attrs{{Key: "fontname", Value: "Helvetica"}, {Key: "fontsize", Value: "9"}}
}

func (d *dotGraph) Structure() []dot.Multigraph { return d.clusters }

type attrs []encoding.Attribute

func (a attrs) Attributes() []encoding.Attribute { return a }

type dotNode struct{ gnode }

func (n dotNode) DOTID() string { return n.n.ID }

// shapes are the node shapes by kind; boxes for the rest.
var shapes = map[Kind]string{
	KindVPC: "box3d", KindRouteTable: "note", KindNetworkACL: "octagon",
	KindInternetGateway: "house", KindEgressOnlyIGW: "house", KindNATGateway: "invhouse",
	KindVPCEndpoint: "cds", KindPeering: "diamond", KindTransitGateway: "doubleoctagon",
	KindTGWRouteTable: "note", KindTGWAttachment: "component", KindVPNGateway: "house",
	KindVPNConnection: "hexagon", KindCustomerGateway: "house", KindDXGateway: "doubleoctagon",
	KindENI: "ellipse", KindSecurityGroup: "shield", KindBlackhole: "point",
	KindUnknown: "circle", KindInternet: "ellipse", KindOnPremises: "cylinder",
	KindSubnetGroup: "folder",
}

func (n dotNode) Attributes() []encoding.Attribute {
	x := n.n
	label := strings.Join(x.Label(), "\n")
	if x.Kind == KindUnknown {
		label = strings.TrimSpace("?\n" + x.Detail)
	}
	a := attrs{{Key: "label", Value: label}}
	if s := shapes[x.Kind]; s != "" {
		a = append(a, encoding.Attribute{Key: "shape", Value: s})
	}
	tip := string(x.Kind)
	if x.Note != "" {
		tip += ": " + x.Note
	}
	if len(x.Members) > 0 {
		tip += ": " + strings.Join(x.Members, " ")
	}
	style := "rounded"
	switch {
	case x.Kind == KindUnknown, x.Note != "":
		style = "dashed"
		a = append(a, encoding.Attribute{Key: "color", Value: "darkorange"})
	case x.Kind == KindBlackhole:
		a = append(a, encoding.Attribute{Key: "xlabel", Value: "blackhole"})
	}
	switch x.mark {
	case markBlocked, markUnknown:
		color := "red"
		if x.mark == markUnknown {
			color = "darkorange"
		}
		style = "filled,bold"
		a = append(a, encoding.Attribute{Key: "color", Value: color}, encoding.Attribute{Key: "fillcolor", Value: "mistyrose"}, encoding.Attribute{Key: "penwidth", Value: "2"})
		a[0].Value = label + "\n" + x.markText
	case markPath:
		style = "filled,rounded"
		a = append(a, encoding.Attribute{Key: "fillcolor", Value: "aliceblue"}, encoding.Attribute{Key: "color", Value: "blue"})
	}
	a = append(a, encoding.Attribute{Key: "style", Value: style}, encoding.Attribute{Key: "tooltip", Value: tip})
	return a
}

type dotLine struct {
	f, t dotNode
	id   int64
	e    *Edge
}

func (l dotLine) From() graph.Node         { return l.f }
func (l dotLine) To() graph.Node           { return l.t }
func (l dotLine) ID() int64                { return l.id }
func (l dotLine) ReversedLine() graph.Line { return dotLine{f: l.t, t: l.f, id: l.id, e: l.e} }

// EdgeLabel is what a line's label says: its label (routes: at most three
// destinations), "?" before it when unknown, and why when inactive.
func EdgeLabel(e *Edge) string {
	label := e.Label
	if parts := strings.Split(label, ", "); len(parts) > 3 {
		label = fmt.Sprintf("%s +%d more", strings.Join(parts[:3], ", "), len(parts)-3)
	}
	switch e.State {
	case Undecided:
		label = strings.TrimSpace("? " + label)
	case Inactive:
		why, _, _ := strings.Cut(e.Note, ":")
		label = strings.TrimSpace(label + " (" + why + ")")
	}
	return label
}

func (l dotLine) Attributes() []encoding.Attribute {
	e := l.e
	a := attrs{}
	if label := EdgeLabel(e); label != "" {
		a = append(a, encoding.Attribute{Key: "label", Value: label})
	}
	switch e.Kind {
	case EdgeForward:
		a = append(a, encoding.Attribute{Key: "color", Value: "blue"}, encoding.Attribute{Key: "penwidth", Value: "2.5"}, encoding.Attribute{Key: "fontcolor", Value: "blue"})
	case EdgeReturn:
		a = append(a, encoding.Attribute{Key: "color", Value: "darkgreen"}, encoding.Attribute{Key: "penwidth", Value: "2"}, encoding.Attribute{Key: "fontcolor", Value: "darkgreen"})
	default:
		a = append(a, encoding.Attribute{Key: "color", Value: "gray35"})
	}
	switch e.State {
	case Undecided:
		a = append(a, encoding.Attribute{Key: "style", Value: "dashed"}, encoding.Attribute{Key: "color", Value: "darkorange"})
	case Inactive:
		a = append(a, encoding.Attribute{Key: "style", Value: "dotted"}, encoding.Attribute{Key: "arrowhead", Value: "tee"})
	}
	if e.Kind == EdgeForward || e.Kind == EdgeReturn {
		if e.State == Inactive {
			a = append(a, encoding.Attribute{Key: "color", Value: "red"}, encoding.Attribute{Key: "fontcolor", Value: "red"})
		}
	}
	tip := string(e.Kind)
	if e.Note != "" {
		tip += ": " + e.Note
	}
	return append(a, encoding.Attribute{Key: "tooltip", Value: tip})
}

// cluster is an account, region or VPC: a DOT subgraph named cluster_...
// that holds its nodes and the clusters inside it.
type cluster struct {
	*multi.DirectedGraph
	id, label string
	inner     []dot.Multigraph
	next      int64
}

func (c *cluster) DOTID() string { return c.id }

func (c *cluster) DOTAttributers() (graph, node, edge encoding.Attributer) {
	return attrs{{Key: "label", Value: c.label}, {Key: "style", Value: "rounded"}, {Key: "color", Value: "gray60"}}, attrs{}, attrs{}
}

func (c *cluster) Structure() []dot.Multigraph { return c.inner }

// member is a node's mention in a cluster (its attributes are at the top).
type member struct {
	id  int64
	dot string
}

func (m member) ID() int64        { return m.id }
func (m member) DOTID() string    { return m.dot }
func (c *cluster) hold(id string) { c.AddNode(member{id: c.next, dot: id}); c.next++ }

// clusters nests the nodes by account, region and VPC.
func clusters(g *Graph) []dot.Multigraph {
	tree := placesOf(g.Nodes())
	var build func(p place) *cluster
	build = func(p place) *cluster {
		c := &cluster{DirectedGraph: multi.NewDirectedGraph(), id: clusterID(p), label: placeLabel(g, p)}
		for _, n := range tree.members[p] {
			c.hold(n.ID)
		}
		for _, in := range tree.children[p] {
			c.inner = append(c.inner, build(in))
		}
		return c
	}
	var top []dot.Multigraph
	for _, p := range tree.children[place{}] {
		top = append(top, build(p))
	}
	return top
}
