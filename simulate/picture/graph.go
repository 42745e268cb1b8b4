// Package picture draws a model's resource topology: accounts, regions and
// VPCs as nested clusters; subnets with their route tables and network
// ACLs; gateways, endpoints, peering connections, transit gateways with
// their route tables and attachments, VPN and Direct Connect edges; the
// internet and on-premises. It builds the topology as a gonum graph, scopes
// it (by VPC, account, region, or the neighbourhood of one element) so a
// large estate gives a readable picture, and writes it as DOT, a Mermaid
// flowchart, JSON, or SVG and PNG rendered in-process.
//
// The pictures are honest: a line the model cannot decide (a plan's route
// target known only after apply, an attachment or peering connection in an
// undecided state) is drawn as unknown, dashed with a "?", never as a
// link; a blackhole route, a peering connection that is not active or a
// VPN whose tunnels are down is drawn as what it is, not as a link.
package picture

import (
	"fmt"
	"sort"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/multi"

	"github.com/vpcpath/vpcpath/model"
)

// Kind is the kind of element a node is.
type Kind string

// Node kinds.
const (
	KindVPC             Kind = "vpc"
	KindSubnet          Kind = "subnet"
	KindSubnetGroup     Kind = "subnet-group" // subnets collapsed by route table and ACL (--collapse)
	KindRouteTable      Kind = "route-table"
	KindNetworkACL      Kind = "network-acl"
	KindInternetGateway Kind = "internet-gateway"
	KindEgressOnlyIGW   Kind = "egress-only-internet-gateway"
	KindNATGateway      Kind = "nat-gateway"
	KindVPCEndpoint     Kind = "vpc-endpoint"
	KindPeering         Kind = "vpc-peering"
	KindTransitGateway  Kind = "transit-gateway"
	KindTGWRouteTable   Kind = "transit-gateway-route-table"
	KindTGWAttachment   Kind = "transit-gateway-attachment"
	KindVPNGateway      Kind = "virtual-private-gateway"
	KindVPNConnection   Kind = "vpn-connection"
	KindCustomerGateway Kind = "customer-gateway"
	KindDXGateway       Kind = "direct-connect-gateway"
	KindENI             Kind = "network-interface"
	KindSecurityGroup   Kind = "security-group"
	KindOther           Kind = "other"     // a route target of a kind the model does not hold (local gateway, core network)
	KindBlackhole       Kind = "blackhole" // where a transit gateway blackhole route sends packets: nowhere
	KindUnknown         Kind = "unknown"   // a route target the input does not decide
	KindInternet        Kind = "internet"
	KindOnPremises      Kind = "on-premises"
)

// Kinds is the closed list of node kinds, for the JSON schema.
var Kinds = []Kind{KindVPC, KindSubnet, KindSubnetGroup, KindRouteTable, KindNetworkACL,
	KindInternetGateway, KindEgressOnlyIGW, KindNATGateway, KindVPCEndpoint, KindPeering,
	KindTransitGateway, KindTGWRouteTable, KindTGWAttachment, KindVPNGateway,
	KindVPNConnection, KindCustomerGateway, KindDXGateway, KindENI, KindSecurityGroup,
	KindOther, KindBlackhole, KindUnknown, KindInternet, KindOnPremises}

// EdgeKind says what a line stands for.
type EdgeKind string

// Edge kinds.
const (
	// EdgeAssociation: a subnet uses a route table or network ACL; a
	// transit gateway attachment is routed by a TGW route table; a Direct
	// Connect gateway is associated with a gateway.
	EdgeAssociation EdgeKind = "association"
	// EdgeRoute: a route table sends the destinations in Label there.
	EdgeRoute EdgeKind = "route"
	// EdgePropagation: an attachment propagates its routes into a TGW
	// route table.
	EdgePropagation EdgeKind = "propagation"
	// EdgeAttachment: a VPC, VPN connection or Direct Connect gateway is
	// attached to a transit gateway; a gateway is attached to a VPC.
	EdgeAttachment EdgeKind = "attachment"
	// EdgePeering: a VPC's end of a peering connection.
	EdgePeering EdgeKind = "peering"
	// EdgePlacement: a NAT gateway, an endpoint or an interface has its
	// interface in a subnet.
	EdgePlacement EdgeKind = "placement"
	// EdgeRouteTable: a transit gateway owns a route table.
	EdgeRouteTable EdgeKind = "route-table"
	// EdgeVPN: a VPN connection's gateway, customer gateway, tunnels.
	EdgeVPN EdgeKind = "vpn"
	// EdgeVirtualInterface: a Direct Connect virtual interface.
	EdgeVirtualInterface EdgeKind = "virtual-interface"
	// EdgeInternet: a gateway to the internet.
	EdgeInternet EdgeKind = "internet"
	// EdgeForward, EdgeReturn: the hops of a trace (trace pictures only).
	EdgeForward EdgeKind = "forward"
	EdgeReturn  EdgeKind = "return"
)

// EdgeKinds is the closed list of edge kinds, for the JSON schema.
var EdgeKinds = []EdgeKind{EdgeAssociation, EdgeRoute, EdgePropagation, EdgeAttachment,
	EdgePeering, EdgePlacement, EdgeRouteTable, EdgeVPN, EdgeVirtualInterface, EdgeInternet,
	EdgeForward, EdgeReturn}

// State is whether a line carries traffic.
type State string

// Edge states.
const (
	// Active: the line carries traffic as far as the model knows.
	Active State = "active"
	// Inactive: the line exists but carries nothing (a blackhole route, a
	// peering connection not active, an attachment not available, VPN
	// tunnels down); Note says which.
	Inactive State = "inactive"
	// Undecided: the input does not decide the line (a plan's value known
	// only after apply); Note names the resource and attribute.
	Undecided State = "unknown"
)

// States is the closed list of edge states, for the JSON schema.
var States = []State{Active, Inactive, Undecided}

// Node is one element of the picture.
type Node struct {
	// ID is the element's AWS ID ("internet" and "on-premises" for those;
	// a subnet group's is "subnets:" and its route table and ACL).
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	// Name is the Name tag, "" when none.
	Name string `json:"name"`
	// Account, Region and VPC place the node; "" where not known or not
	// applicable (a VPC's VPC is itself).
	Account string `json:"account"`
	Region  string `json:"region"`
	VPC     string `json:"vpc"`
	// Detail is a short description: a CIDR and zone, a service name.
	Detail string `json:"detail"`
	// Members are a subnet group's subnets (--collapse).
	Members []string `json:"members,omitempty"`
	// Note says why a node is drawn unknown or missing (a route target
	// not in the model).
	Note string `json:"note,omitempty"`

	// mark and markText highlight the node in a trace picture.
	mark     mark
	markText string
}

// mark is how a trace picture highlights a node.
type mark int

const (
	markNone    mark = iota
	markPath         // a hop of the forward or return path
	markBlocked      // where the flow dies
	markUnknown      // where the model stops knowing
)

// Label is the node's label: its name tag and ID, and the detail.
func (n *Node) Label() []string {
	var l []string
	if n.Name != "" {
		l = append(l, n.Name)
	}
	l = append(l, n.ID)
	if n.Detail != "" {
		l = append(l, n.Detail)
	}
	return l
}

// Edge is one line of the picture.
type Edge struct {
	// ID is set in the JSON document: "FROM KIND TO", and the state when
	// not active.
	ID   string   `json:"id"`
	From string   `json:"from"`
	To   string   `json:"to"`
	Kind EdgeKind `json:"kind"`
	// Label says what the line carries: a route's destinations, the
	// attachment or connection ID, "main" for an implicit association.
	Label string `json:"label"`
	State State  `json:"state"`
	// Note says why a line is inactive or unknown.
	Note string `json:"note,omitempty"`
}

// key identifies an edge: lines of one kind between two nodes merge.
func (e *Edge) key() string {
	return e.From + "\x00" + e.To + "\x00" + string(e.Kind) + "\x00" + string(e.State)
}

// Graph is the topology: nodes by ID and the lines between them, held in a
// gonum multigraph for traversal. Build it with Build; it is read-only
// after that (scoping returns a new Graph).
type Graph struct {
	title string // drawn above the picture
	nodes map[string]*Node
	edges []*Edge
	ekey  map[string]*Edge
}

func newGraph() *Graph {
	return &Graph{nodes: map[string]*Node{}, ekey: map[string]*Edge{}}
}

// Nodes returns the nodes sorted by ID.
func (g *Graph) Nodes() []*Node {
	out := make([]*Node, 0, len(g.nodes))
	for _, id := range model.SortedKeys(g.nodes) {
		out = append(out, g.nodes[id])
	}
	return out
}

// Node returns the node with AWS ID id, nil when none.
func (g *Graph) Node(id string) *Node { return g.nodes[id] }

// Edges returns the edges sorted by from, to, kind.
func (g *Graph) Edges() []*Edge {
	out := append([]*Edge(nil), g.edges...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.From != b.From {
			return a.From < b.From
		}
		if a.To != b.To {
			return a.To < b.To
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.State < b.State
	})
	return out
}

func (g *Graph) add(n *Node) *Node {
	if old := g.nodes[n.ID]; old != nil {
		return old
	}
	g.nodes[n.ID] = n
	return n
}

// link adds a line, merging it with one of the same kind and state
// between the same nodes (their labels joined).
func (g *Graph) link(e Edge) {
	if g.nodes[e.From] == nil || g.nodes[e.To] == nil {
		panic(fmt.Sprintf("picture: edge %s -> %s to a node not added", e.From, e.To))
	}
	if old := g.ekey[e.key()]; old != nil {
		old.Label = joinLabel(old.Label, e.Label)
		if e.Note != "" && !strings.Contains(old.Note, e.Note) {
			old.Note = joinNote(old.Note, e.Note)
		}
		return
	}
	ne := e
	g.edges = append(g.edges, &ne)
	g.ekey[ne.key()] = &ne
}

func joinLabel(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "" || a == b:
		return a
	}
	for _, p := range strings.Split(a, ", ") {
		if p == b {
			return a
		}
	}
	return a + ", " + b
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// gnode is a node in the gonum graph.
type gnode struct {
	id int64
	n  *Node
}

func (n gnode) ID() int64 { return n.id }

type gline struct {
	f, t gnode
	id   int64
	e    *Edge
}

func (l gline) From() graph.Node         { return l.f }
func (l gline) To() graph.Node           { return l.t }
func (l gline) ID() int64                { return l.id }
func (l gline) ReversedLine() graph.Line { return gline{f: l.t, t: l.f, id: l.id, e: l.e} }

// gonum returns g as a gonum directed multigraph, node IDs in the order of
// the AWS IDs (deterministic), and the map from AWS ID to gonum node.
func (g *Graph) gonum() (*multi.DirectedGraph, map[string]gnode) {
	mg := multi.NewDirectedGraph()
	ids := map[string]gnode{}
	for i, n := range g.Nodes() {
		gn := gnode{id: int64(i), n: n}
		ids[n.ID] = gn
		mg.AddNode(gn)
	}
	for i, e := range g.Edges() {
		mg.SetLine(gline{f: ids[e.From], t: ids[e.To], id: int64(i), e: e})
	}
	return mg, ids
}

// subgraph returns the graph of the nodes keep holds and the lines
// between them.
func (g *Graph) subgraph(keep map[string]bool) *Graph {
	out := newGraph()
	out.title = g.title
	for id := range keep {
		if n := g.nodes[id]; n != nil {
			out.nodes[id] = n
		}
	}
	for _, e := range g.edges {
		if keep[e.From] && keep[e.To] {
			out.edges = append(out.edges, e)
			out.ekey[e.key()] = e
		}
	}
	return out
}
