package picture

import (
	"bytes"
	"context"
	"fmt"
	"sync"

	"github.com/goccy/go-graphviz"

	"github.com/vpcpath/vpcpath/internal/graphvizcache"
)

// go-graphviz's init has run (this package imports it): TMPDIR, which
// graphvizcache may have pointed elsewhere for it, is put back.
func init() { graphvizcache.Restore() }

// renderMu serialises rendering: go-graphviz runs Graphviz compiled to
// WebAssembly in one module per process, and parses into it globally.
var renderMu sync.Mutex

// RenderSVG lays a DOT graph out with Graphviz's dot layout and returns
// Graphviz's own SVG. Graphviz runs in-process (compiled to WebAssembly,
// run by wazero): no system Graphviz is needed. Its output is
// byte-deterministic for one input.
func RenderSVG(dotSrc []byte) ([]byte, error) {
	renderMu.Lock()
	defer renderMu.Unlock()
	ctx := context.Background()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("graphviz: %w", err)
	}
	defer gv.Close()
	g, err := graphviz.ParseBytes(dotSrc)
	if err != nil {
		return nil, fmt.Errorf("graphviz: reading the DOT graph: %w", err)
	}
	defer g.Close()
	var out bytes.Buffer
	if err := gv.Render(ctx, g, graphviz.SVG, &out); err != nil {
		return nil, fmt.Errorf("graphviz: rendering SVG: %w", err)
	}
	return out.Bytes(), nil
}

// SVG returns the graph drawn as SVG.
func (g *Graph) SVG() ([]byte, error) {
	src, err := g.DOT()
	if err != nil {
		return nil, err
	}
	return RenderSVG(src)
}

// Encode writes the picture in one of the formats the commands offer:
// "dot" (the default for ""), "mermaid", "json", "svg" or "png".
func (g *Graph) Encode(format string) ([]byte, error) {
	switch format {
	case "", "dot":
		return g.DOT()
	case "mermaid":
		return g.Mermaid(), nil
	case "json":
		return g.JSON()
	case "svg":
		return g.SVG()
	case "png":
		return g.PNG()
	}
	return nil, fmt.Errorf("picture: no format %q (want dot, mermaid, json, svg or png)", format)
}
