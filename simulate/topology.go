package simulate

import (
	"sort"
	"strings"
	"sync"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/multi"
	"gonum.org/v1/gonum/graph/topo"
	"gonum.org/v1/gonum/graph/traverse"

	"github.com/vpcpath/vpcpath/model"
)

// Topology is the model's routing domains as a directed multigraph:
// VPC routers, transit gateway route tables, peering connections, the
// internet and on-premises are nodes; a line says a packet can pass from
// one to the next, and carries the attachment, association, propagation or
// route that lets it, with the zones it has subnets in. Forwarding itself
// stays longest prefix match in each element (the walk); the graph answers
// what a graph is good at: which domains can reach which (to prune work
// and to cut port ranges by every VPC a flow can reach), and cycles.
type Topology struct {
	g     *multi.DirectedGraph
	ids   map[string]int64 // node name -> ID, deterministic (sorted insertion)
	names []string         // ID -> node name
}

// Link is one line of the topology.
type Link struct {
	From, To string
	// Via is what lets the packet pass: an attachment (with Kind
	// "association" or "propagation"/"route"), a peering connection, a gateway.
	Via  string
	Kind string
	AZs  []string
}

type line struct {
	f, t graph.Node
	id   int64
	Link
}

func (l line) From() graph.Node         { return l.f }
func (l line) To() graph.Node           { return l.t }
func (l line) ID() int64                { return l.id }
func (l line) ReversedLine() graph.Line { return l }

// Node names.
func vpcNode(id string) string    { return "vpc:" + id }
func tgwRTNode(id string) string  { return "tgw-rtb:" + id }
func pcxNode(id string) string    { return "pcx:" + id }
func tgwNoTable(id string) string { return "tgw:" + id } // attachments with no known table

const (
	internetNode = "internet"
	onPremNode   = "on-premises"
)

// BuildTopology builds the topology of m (read-only).
func BuildTopology(m *model.Model) *Topology {
	tp := &Topology{g: multi.NewDirectedGraph(), ids: map[string]int64{}}
	node := func(name string) graph.Node {
		if id, ok := tp.ids[name]; ok {
			return tp.g.Node(id)
		}
		n := tp.g.NewNode()
		tp.g.AddNode(n)
		tp.ids[name] = n.ID()
		for int64(len(tp.names)) <= n.ID() {
			tp.names = append(tp.names, "")
		}
		tp.names[n.ID()] = name
		return n
	}
	var nextLine int64
	link := func(l Link) {
		f, t := node(l.From), node(l.To)
		tp.g.SetLine(line{f: f, t: t, id: nextLine, Link: l})
		nextLine++
	}
	for _, id := range model.SortedKeys(m.VPCs) {
		node(vpcNode(id))
	}
	for _, id := range model.SortedKeys(m.Peerings) {
		p := m.Peerings[id]
		if p.Status != model.PeeringActive {
			continue
		}
		for _, s := range [][2]string{{p.Requester.VPCID, p.Accepter.VPCID}, {p.Accepter.VPCID, p.Requester.VPCID}} {
			link(Link{From: vpcNode(s[0]), To: pcxNode(id), Via: id, Kind: "peering"})
			link(Link{From: pcxNode(id), To: vpcNode(s[1]), Via: id, Kind: "peering"})
		}
	}
	azs := func(a *model.TGWAttachment) []string {
		var out []string
		for _, s := range a.Subnets {
			if sub := m.Subnets[s]; sub != nil && sub.AZ != "" {
				out = append(out, sub.AZ)
			}
		}
		sort.Strings(out)
		return out
	}
	for _, id := range model.SortedKeys(m.TGWAttachments) {
		a := m.TGWAttachments[id]
		if !a.Available() {
			continue
		}
		// What arrives on the attachment is routed by its associated table.
		table := tgwNoTable(a.TransitGatewayID)
		if rt := m.TGWRouteTableOf(a.TransitGatewayID, a.ID); rt != nil {
			table = tgwRTNode(rt.ID)
		}
		switch a.ResourceType {
		case model.TGWAttachVPC:
			link(Link{From: vpcNode(a.ResourceID), To: table, Via: a.ID, Kind: "association", AZs: azs(a)})
		case model.TGWAttachVPN, model.TGWAttachDXGateway, model.TGWAttachConnect:
			link(Link{From: onPremNode, To: table, Via: a.ID, Kind: "association"})
		case model.TGWAttachPeering, model.TGWAttachTGWPeering:
			if peer, ok := a.PeerTGW(a.TransitGatewayID); ok {
				if rt := m.TGWRouteTableOf(peer.TransitGatewayID, a.ID); rt != nil {
					// What leaves a's gateway by the peering arrives at the peer's table.
					for _, own := range m.TGWRouteTablesOf(a.TransitGatewayID) {
						if routesTo(own, a.ID) {
							link(Link{From: tgwRTNode(own.ID), To: tgwRTNode(rt.ID), Via: a.ID, Kind: "route"})
						}
					}
				}
			}
		}
	}
	for _, id := range model.SortedKeys(m.TGWRouteTables) {
		rt := m.TGWRouteTables[id]
		seen := map[string]bool{}
		for _, r := range rt.Routes {
			if r.Blackhole() {
				continue
			}
			for _, aid := range r.Attachments {
				a := m.TGWAttachments[aid]
				if a == nil || !a.Available() || seen[aid] {
					continue
				}
				seen[aid] = true
				switch a.ResourceType {
				case model.TGWAttachVPC:
					link(Link{From: tgwRTNode(id), To: vpcNode(a.ResourceID), Via: aid, Kind: r.Type, AZs: azs(a)})
				case model.TGWAttachVPN, model.TGWAttachDXGateway, model.TGWAttachConnect:
					link(Link{From: tgwRTNode(id), To: onPremNode, Via: aid, Kind: r.Type})
				}
			}
		}
	}
	for _, id := range model.SortedKeys(m.InternetGateways) {
		for _, v := range m.InternetGateways[id].VPCs {
			link(Link{From: vpcNode(v), To: internetNode, Via: id, Kind: "internet-gateway"})
			link(Link{From: internetNode, To: vpcNode(v), Via: id, Kind: "internet-gateway"})
		}
	}
	for _, id := range model.SortedKeys(m.VPNGateways) {
		for _, at := range m.VPNGateways[id].Attachments {
			if at.State == "attached" {
				link(Link{From: vpcNode(at.VPCID), To: onPremNode, Via: id, Kind: "virtual-private-gateway"})
				link(Link{From: onPremNode, To: vpcNode(at.VPCID), Via: id, Kind: "virtual-private-gateway"})
			}
		}
	}
	return tp
}

func routesTo(rt *model.TGWRouteTable, att string) bool {
	for _, r := range rt.Routes {
		for _, a := range r.Attachments {
			if a == att && !r.Blackhole() {
				return true
			}
		}
	}
	return false
}

// ReachableVPCs returns the VPCs a packet from vpcID can reach, vpcID
// first, the rest sorted. Peering is not transitive: a VPC reached over
// a peering connection is not left again by one.
func (tp *Topology) ReachableVPCs(vpcID string) []string {
	start, ok := tp.ids[vpcNode(vpcID)]
	if !ok {
		return []string{vpcID}
	}
	var out []string
	b := traverse.BreadthFirst{
		Traverse: func(e graph.Edge) bool {
			// Do not leave a peer VPC by another peering connection.
			from := tp.names[e.From().ID()]
			if strings.HasPrefix(from, "pcx:") {
				return true
			}
			to := tp.names[e.To().ID()]
			if strings.HasPrefix(to, "pcx:") && from != vpcNode(vpcID) {
				return false
			}
			// The internet and on-premises are edges, not transit.
			return to != internetNode && to != onPremNode
		},
		Visit: func(n graph.Node) {
			if name := tp.names[n.ID()]; strings.HasPrefix(name, "vpc:") && n.ID() != start {
				out = append(out, strings.TrimPrefix(name, "vpc:"))
			}
		},
	}
	b.Walk(tp.g, tp.g.Node(start), nil)
	sort.Strings(out)
	return append([]string{vpcID}, out...)
}

// Cycles returns the topology's cycles through transit gateway route
// tables, each as its node names from the lowest, sorted: a packet may
// circle there (the walk blocks one that does).
func (tp *Topology) Cycles() [][]string {
	var out [][]string
	for _, c := range topo.DirectedCyclesIn(tp.g) {
		names := make([]string, 0, len(c))
		hasTable := false
		for _, n := range c[:len(c)-1] {
			name := tp.names[n.ID()]
			hasTable = hasTable || strings.HasPrefix(name, "tgw-rtb:")
			names = append(names, name)
		}
		if !hasTable {
			continue // a VPC and its peer, the internet or on-premises: there and back
		}
		low := 0
		for i := range names {
			if names[i] < names[low] {
				low = i
			}
		}
		names = append(names[low:], names[:low]...)
		out = append(out, names)
	}
	sort.Slice(out, func(i, j int) bool { return strings.Join(out[i], " ") < strings.Join(out[j], " ") })
	return out
}

// Links returns every line, sorted, for export.
func (tp *Topology) Links() []Link {
	var out []Link
	es := tp.g.Edges()
	for es.Next() {
		ls := tp.g.Lines(es.Edge().From().ID(), es.Edge().To().ID())
		for ls.Next() {
			out = append(out, ls.Line().(line).Link)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.From != b.From {
			return a.From < b.From
		}
		if a.To != b.To {
			return a.To < b.To
		}
		return a.Via < b.Via
	})
	return out
}

// topologies caches one topology per model: the model is read-only once
// indexed, so it is built once.
var topologies struct {
	sync.Mutex
	m  *model.Model
	tp *Topology
}

// topologyOf returns m's topology, building it on first use.
func topologyOf(m *model.Model) *Topology {
	topologies.Lock()
	defer topologies.Unlock()
	if topologies.m != m {
		topologies.m, topologies.tp = m, BuildTopology(m)
	}
	return topologies.tp
}
