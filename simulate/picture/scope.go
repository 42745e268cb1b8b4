package picture

import (
	"fmt"
	"sort"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/traverse"

	"github.com/vpcpath/vpcpath/model"
)

// Scope says which part of the topology to draw. The zero value draws it
// all.
type Scope struct {
	// VPCs keeps the elements in these VPCs (any of them).
	VPCs []string
	// Account and Region keep the elements in this account and region.
	Account, Region string
	// Around keeps the elements at most Depth lines away from this element
	// (lines followed either way), within what the filters above keep.
	Around string
	Depth  int
	// Collapse draws the subnets that share a route table and a network ACL
	// as one node with their count.
	Collapse bool
}

// filtered reports whether the scope filters by VPC, account or region.
func (s Scope) filtered() bool { return len(s.VPCs) > 0 || s.Account != "" || s.Region != "" }

// Apply returns the part of g the scope keeps. Filtering by VPC, account
// or region keeps the matching elements and, as context, every element one
// line away from them: no line that leaves the scope is hidden, the
// picture shows where it goes. An ID the graph does not hold is an error.
func (g *Graph) Apply(s Scope) (*Graph, error) {
	out := g
	if s.filtered() {
		vpcs := map[string]bool{}
		for _, v := range s.VPCs {
			if n := g.nodes[v]; n == nil || n.Kind != KindVPC {
				return nil, fmt.Errorf("--vpc %s: no such VPC in the network (%d VPCs)", v, g.count(KindVPC))
			}
			vpcs[v] = true
		}
		core := map[string]bool{}
		for id, n := range g.nodes {
			if (len(vpcs) == 0 || vpcs[n.VPC]) && (s.Account == "" || n.Account == s.Account) && (s.Region == "" || n.Region == s.Region) {
				core[id] = true
			}
		}
		if len(core) == 0 {
			return nil, fmt.Errorf("nothing in the network matches %s", s.describe())
		}
		keep := map[string]bool{}
		for id := range core {
			keep[id] = true
		}
		for _, e := range g.edges {
			if core[e.From] || core[e.To] {
				keep[e.From], keep[e.To] = true, true
			}
		}
		out = g.subgraph(keep)
	}
	if s.Around != "" {
		if g.nodes[s.Around] == nil {
			return nil, fmt.Errorf("--around %s: no such element in the network", s.Around)
		}
		if out.nodes[s.Around] == nil {
			return nil, fmt.Errorf("--around %s: not in %s", s.Around, s.describe())
		}
		if s.Depth < 0 {
			return nil, fmt.Errorf("--depth %d: want 0 or more", s.Depth)
		}
		out = out.subgraph(out.around(s.Around, s.Depth))
	}
	if s.Collapse {
		out = out.collapse()
	}
	return out, nil
}

func (s Scope) describe() string {
	var parts []string
	if len(s.VPCs) > 0 {
		parts = append(parts, "--vpc "+strings.Join(s.VPCs, ","))
	}
	if s.Account != "" {
		parts = append(parts, "--account "+s.Account)
	}
	if s.Region != "" {
		parts = append(parts, "--in-region "+s.Region)
	}
	return strings.Join(parts, " ")
}

func (g *Graph) count(k Kind) int {
	n := 0
	for _, x := range g.nodes {
		if x.Kind == k {
			n++
		}
	}
	return n
}

// around returns the IDs of the nodes at most depth lines from id, lines
// followed either way (a breadth-first walk over the undirected topology).
func (g *Graph) around(id string, depth int) map[string]bool {
	mg, ids := g.gonum()
	keep := map[string]bool{}
	bf := traverse.BreadthFirst{Visit: func(n graph.Node) { keep[n.(gnode).n.ID] = true }}
	bf.Walk(graph.Undirect{G: mg}, ids[id], func(_ graph.Node, d int) bool { return d >= depth })
	return keep
}

// collapse returns g with the subnets that share a VPC, a route table and
// a network ACL drawn as one subnet group; a subnet alone with its pair
// stays as it is.
func (g *Graph) collapse() *Graph {
	type pair struct{ vpc, rt, acl string }
	of := map[string]pair{}
	for _, e := range g.edges {
		n := g.nodes[e.From]
		if n.Kind != KindSubnet || e.Kind != EdgeAssociation {
			continue
		}
		p := of[n.ID]
		p.vpc = n.VPC
		switch g.nodes[e.To].Kind {
		case KindRouteTable:
			p.rt = e.To
		case KindNetworkACL:
			p.acl = e.To
		}
		of[n.ID] = p
	}
	groups := map[pair][]string{}
	for _, n := range g.nodes {
		if n.Kind == KindSubnet {
			p := of[n.ID]
			p.vpc = n.VPC
			groups[p] = append(groups[p], n.ID)
		}
	}
	into := map[string]string{}
	out := newGraph()
	out.title = g.title
	for p, members := range groups {
		if len(members) < 2 {
			continue
		}
		sort.Strings(members)
		gid := "subnets:" + orUnknown(p.rt) + ":" + orUnknown(p.acl)
		first := g.nodes[members[0]]
		zones := map[string]bool{}
		for _, s := range members {
			into[s] = gid
			if d := g.nodes[s].Detail; d != "" {
				if f := strings.Fields(d); !strings.Contains(f[len(f)-1], "/") {
					zones[f[len(f)-1]] = true // the zone ends a subnet's detail
				}
			}
		}
		detail := fmt.Sprintf("%d subnets", len(members))
		if len(zones) > 0 {
			detail += " in " + strings.Join(model.SortedKeys(zones), " ")
		}
		out.add(&Node{ID: gid, Kind: KindSubnetGroup, Account: first.Account, Region: first.Region, VPC: p.vpc, Detail: detail, Members: members})
	}
	for id, n := range g.nodes {
		if into[id] == "" {
			out.add(n)
		}
	}
	moved := func(id string) string {
		if to := into[id]; to != "" {
			return to
		}
		return id
	}
	for _, e := range g.Edges() {
		x := *e
		x.From, x.To = moved(e.From), moved(e.To)
		out.link(x)
	}
	return out
}

func orUnknown(s string) string {
	if s == "" {
		return "?"
	}
	return s
}
