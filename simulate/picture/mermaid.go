package picture

import (
	"bytes"
	"fmt"
	"strings"
)

// Mermaid returns the graph as a Mermaid flowchart: accounts, regions and
// VPCs as nested subgraphs; an unknown line dotted with "?", an inactive
// one ending in a cross with why.
func (g *Graph) Mermaid() []byte {
	var b bytes.Buffer
	if g.title != "" {
		fmt.Fprintf(&b, "---\ntitle: %s\n---\n", g.title)
	}
	b.WriteString("flowchart LR\n")
	alias := map[string]string{}
	nodes := g.Nodes()
	for i, n := range nodes {
		alias[n.ID] = fmt.Sprintf("n%d", i)
	}
	tree := placesOf(nodes)
	node := func(indent string, n *Node) {
		label := strings.Join(n.Label(), "\n")
		open, close := "[\"", "\"]"
		switch n.Kind {
		case KindUnknown:
			open, close, label = "((\"", "\"))", strings.TrimSpace("?\n"+n.Detail)
		case KindInternet, KindOnPremises, KindBlackhole:
			open, close = "((\"", "\"))"
		case KindPeering, KindTransitGateway, KindDXGateway:
			open, close = "{{\"", "\"}}"
		case KindRouteTable, KindTGWRouteTable, KindNetworkACL:
			open, close = "[/\"", "\"/]"
		}
		fmt.Fprintf(&b, "%s%s%s%s%s\n", indent, alias[n.ID], open, mermaidText(label), close)
	}
	sub := 0
	var walk func(indent string, p place)
	walk = func(indent string, p place) {
		for _, n := range tree.members[p] {
			node(indent, n)
		}
		for _, in := range tree.children[p] {
			fmt.Fprintf(&b, "%ssubgraph c%d[\"%s\"]\n", indent, sub, mermaidText(placeLabel(g, in)))
			sub++
			walk(indent+"  ", in)
			fmt.Fprintf(&b, "%send\n", indent)
		}
	}
	walk("  ", place{})
	var unknownLinks, inactiveLinks []string
	for i, e := range g.Edges() {
		arrow := "-->"
		switch e.State {
		case Undecided:
			arrow = "-.->"
			unknownLinks = append(unknownLinks, fmt.Sprint(i))
		case Inactive:
			arrow = "--x"
			inactiveLinks = append(inactiveLinks, fmt.Sprint(i))
		}
		if label := EdgeLabel(e); label != "" {
			fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", alias[e.From], arrow, mermaidText(label), alias[e.To])
		} else {
			fmt.Fprintf(&b, "  %s %s %s\n", alias[e.From], arrow, alias[e.To])
		}
	}
	var unknownNodes []string
	for _, n := range nodes {
		if n.Kind == KindUnknown || n.Note != "" {
			unknownNodes = append(unknownNodes, alias[n.ID])
		}
	}
	if len(unknownNodes) > 0 {
		b.WriteString("  classDef unknown stroke:#ff8c00,stroke-dasharray:4 3\n")
		fmt.Fprintf(&b, "  class %s unknown\n", strings.Join(unknownNodes, ","))
	}
	if len(unknownLinks) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:#ff8c00\n", strings.Join(unknownLinks, ","))
	}
	if len(inactiveLinks) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:#999999,stroke-dasharray:2 2\n", strings.Join(inactiveLinks, ","))
	}
	return b.Bytes()
}

// mermaidText makes a label safe inside a quoted Mermaid label.
func mermaidText(s string) string {
	s = strings.ReplaceAll(s, "\"", "#quot;")
	return strings.ReplaceAll(s, "\n", "<br/>")
}
