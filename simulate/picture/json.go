package picture

import (
	"bytes"
	"encoding/json"
)

// SchemaVersion is the version of the graph document's JSON contract
// (schema/graph.schema.json; CHANGELOG.md).
const SchemaVersion = 2

// Document is `vpcpath graph --output json`: the nodes and lines of the
// picture, sorted, each with its ID.
type Document struct {
	SchemaVersion int     `json:"schema_version"`
	Nodes         []*Node `json:"nodes"`
	Edges         []Edge  `json:"edges"`
}

// Document returns the graph as its JSON document.
func (g *Graph) Document() Document {
	d := Document{SchemaVersion: SchemaVersion, Nodes: g.Nodes(), Edges: []Edge{}}
	for _, e := range g.Edges() {
		x := *e
		x.ID = e.From + " " + string(e.Kind) + " " + e.To
		if e.State != Active {
			x.ID += " " + string(e.State) // a line of each state may join two nodes
		}
		d.Edges = append(d.Edges, x)
	}
	return d
}

// JSON returns the graph's JSON document, indented.
func (g *Graph) JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(g.Document()); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
