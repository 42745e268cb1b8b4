package picture

import (
	"sort"
)

// place is where a node is drawn: an account, a region in it, a VPC in
// that; the zero place is outside every cluster.
type place struct{ account, region, vpc string }

// parent is the place directly around p.
func (p place) parent() place {
	switch {
	case p.vpc != "":
		return place{p.account, p.region, ""}
	case p.region != "":
		return place{p.account, "", ""}
	}
	return place{}
}

func (p place) less(q place) bool {
	if p.account != q.account {
		return p.account < q.account
	}
	if p.region != q.region {
		return p.region < q.region
	}
	return p.vpc < q.vpc
}

// places are the clusters of a picture: the nodes each holds and the
// clusters directly inside it, sorted.
type places struct {
	members  map[place][]*Node
	children map[place][]place
}

// placesOf nests nodes (sorted by ID) by account, region and VPC.
func placesOf(nodes []*Node) places {
	t := places{members: map[place][]*Node{}, children: map[place][]place{}}
	seen := map[place]bool{{}: true}
	for _, n := range nodes {
		p := place{n.Account, n.Region, n.VPC}
		t.members[p] = append(t.members[p], n)
		for !seen[p] {
			seen[p] = true
			up := p.parent()
			t.children[up] = append(t.children[up], p)
			p = up
		}
	}
	for _, c := range t.children {
		sort.Slice(c, func(i, j int) bool { return c[i].less(c[j]) })
	}
	return t
}

// placeLabel is a cluster's title.
func placeLabel(g *Graph, p place) string {
	switch {
	case p.vpc != "":
		if v := g.nodes[p.vpc]; v != nil && v.Name != "" {
			return v.Name + " (" + p.vpc + ")"
		}
		return p.vpc
	case p.region != "":
		return p.region
	}
	return "account " + p.account
}

// clusterID is a cluster's DOT ID (Graphviz draws a subgraph named
// cluster... as a box).
func clusterID(p place) string {
	switch {
	case p.vpc != "":
		return "cluster_" + p.vpc
	case p.region != "":
		return "cluster_" + p.account + "_" + p.region
	}
	return "cluster_" + p.account
}
