package picture_test

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath"
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/snapshot"
	"github.com/vpcpath/vpcpath/model/tfplan"
	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/picture"
)

func example(t testing.TB) *model.Model {
	t.Helper()
	fsys, err := vpcpath.Example("databricks-privatelink")
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := snapshot.LoadFS(fsys, "example")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func plan(t testing.TB, path string) *model.Model {
	t.Helper()
	p, err := tfplan.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := p.Model()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func ids(g *picture.Graph) []string {
	var out []string
	for _, n := range g.Nodes() {
		out = append(out, n.ID)
	}
	return out
}

// svgTexts parses an SVG as XML and returns its <title> and <text>
// contents (Graphviz writes each node's DOT ID as the title of its group).
func svgTexts(t *testing.T, svg []byte) map[string]bool {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = true
	out := map[string]bool{}
	var in string
	sawSVG := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not XML: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			in = x.Name.Local
			sawSVG = sawSVG || in == "svg"
		case xml.CharData:
			if in == "title" || in == "text" {
				out[strings.TrimSpace(string(x))] = true
			}
		case xml.EndElement:
			in = ""
		}
	}
	if !sawSVG {
		t.Fatal("no <svg> element")
	}
	return out
}

// The SVG of the example parses as XML and draws every node (its ID in a
// title) and the label text of each.
func TestSVGHoldsEveryNode(t *testing.T) {
	g := picture.Build(example(t))
	svg, err := g.SVG()
	if err != nil {
		t.Fatal(err)
	}
	texts := svgTexts(t, svg)
	if len(g.Nodes()) < 15 {
		t.Fatalf("only %d nodes in the example's picture", len(g.Nodes()))
	}
	for _, n := range g.Nodes() {
		if !texts[n.ID] {
			t.Errorf("node %s (%s) is not in the SVG", n.ID, n.Kind)
		}
		if n.Name != "" && !texts[n.Name] {
			t.Errorf("the name tag %q of %s is not in the SVG", n.Name, n.ID)
		}
	}
	// Rendering is deterministic: the README's picture can be compared.
	again, err := g.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(svg, again) {
		t.Error("two renderings of one graph differ")
	}
}

// What the example holds, by kind, and the lines that tie it together.
func TestBuildExample(t *testing.T) {
	g := picture.Build(example(t))
	kinds := map[picture.Kind]int{}
	for _, n := range g.Nodes() {
		kinds[n.Kind]++
		if n.Kind != picture.KindInternet && n.Account != "111122223333" {
			t.Errorf("%s: account %q", n.ID, n.Account)
		}
	}
	want := map[picture.Kind]int{picture.KindVPC: 1, picture.KindSubnet: 5, picture.KindRouteTable: 3,
		picture.KindNetworkACL: 2, picture.KindInternetGateway: 1, picture.KindNATGateway: 1,
		picture.KindVPCEndpoint: 5, picture.KindInternet: 1}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%d %s nodes, want %d", kinds[k], k, n)
		}
	}
	has := func(from, to string, kind picture.EdgeKind, label string) {
		t.Helper()
		for _, e := range g.Edges() {
			if e.From == from && e.To == to && e.Kind == kind && e.Label == label && e.State == picture.Active {
				return
			}
		}
		t.Errorf("no %s %s -> %s labelled %q", kind, from, to, label)
	}
	has("rtb-0a0000000000000a2", "nat-0a00000000000000e", picture.EdgeRoute, "0.0.0.0/0")
	has("rtb-0a0000000000000a1", "igw-0a00000000000000f", picture.EdgeRoute, "0.0.0.0/0")
	has("subnet-0a0000000000000c1", "rtb-0a0000000000000a0", picture.EdgeAssociation, "main")
	has("subnet-0a0000000000000b1", "rtb-0a0000000000000a2", picture.EdgeAssociation, "")
	has("igw-0a00000000000000f", picture.InternetID, picture.EdgeInternet, "")
	has("nat-0a00000000000000e", "subnet-0a0000000000000a1", picture.EdgePlacement, "")
}

// Scoping: --around with a depth keeps what a breadth-first walk over the
// undirected topology reaches; --vpc keeps the VPC and one line around it.
func TestScope(t *testing.T) {
	g := picture.Build(example(t))
	cases := []struct {
		name  string
		scope picture.Scope
		want  []string
	}{
		{"depth 0", picture.Scope{Around: "igw-0a00000000000000f", Depth: 0}, []string{"igw-0a00000000000000f"}},
		{"depth 1", picture.Scope{Around: "igw-0a00000000000000f", Depth: 1},
			[]string{"igw-0a00000000000000f", "internet", "rtb-0a0000000000000a1", "vpc-0db1c0ffee0000001"}},
		{"depth 2", picture.Scope{Around: "igw-0a00000000000000f", Depth: 2},
			[]string{"igw-0a00000000000000f", "internet", "rtb-0a0000000000000a0", "rtb-0a0000000000000a1", "rtb-0a0000000000000a2", "subnet-0a0000000000000a1", "vpc-0db1c0ffee0000001"}},
		{"nat depth 1", picture.Scope{Around: "nat-0a00000000000000e", Depth: 1},
			[]string{"nat-0a00000000000000e", "rtb-0a0000000000000a2", "subnet-0a0000000000000a1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := g.Apply(c.scope)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), c.want) {
				t.Errorf("got %v\nwant %v", ids(got), c.want)
			}
			for _, e := range got.Edges() {
				if got.Node(e.From) == nil || got.Node(e.To) == nil {
					t.Errorf("edge %s -> %s leaves the scope", e.From, e.To)
				}
			}
		})
	}
	all, _ := g.Apply(picture.Scope{VPCs: []string{"vpc-0db1c0ffee0000001"}})
	if len(all.Nodes()) != len(g.Nodes()) {
		t.Errorf("--vpc of the only VPC keeps %d of %d nodes", len(all.Nodes()), len(g.Nodes()))
	}
	for _, bad := range []picture.Scope{{VPCs: []string{"vpc-nope"}}, {Around: "subnet-nope"}, {Account: "999999999999"}, {Around: "internet", Depth: -1}} {
		if _, err := g.Apply(bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

// --collapse draws the subnets sharing a route table and an ACL as one
// node; its lines are the members' lines.
func TestCollapse(t *testing.T) {
	g, err := picture.Build(example(t)).Apply(picture.Scope{Collapse: true})
	if err != nil {
		t.Fatal(err)
	}
	var groups []string
	for _, n := range g.Nodes() {
		switch n.Kind {
		case picture.KindSubnetGroup:
			groups = append(groups, n.ID+" "+strings.Join(n.Members, ",")+" "+n.Detail)
		case picture.KindSubnet:
			groups = append(groups, n.ID)
		}
	}
	sort.Strings(groups)
	want := []string{
		"subnet-0a0000000000000a1",
		"subnets:rtb-0a0000000000000a0:acl-0a0000000000000d0 subnet-0a0000000000000c1,subnet-0a0000000000000c2 2 subnets in us-east-1a us-east-1b",
		"subnets:rtb-0a0000000000000a2:acl-0a0000000000000d1 subnet-0a0000000000000b1,subnet-0a0000000000000b2 2 subnets in us-east-1a us-east-1b",
	}
	if !slices.Equal(groups, want) {
		t.Errorf("got %q\nwant %q", groups, want)
	}
	n := 0
	for _, e := range g.Edges() {
		if e.From == "vpce-0a0000000000e0001" && e.Kind == picture.EdgePlacement {
			n++
			if e.To != "subnets:rtb-0a0000000000000a0:acl-0a0000000000000d0" {
				t.Errorf("the endpoint is placed in %s", e.To)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d placement lines from the endpoint, want 1 (its two subnets are one group)", n)
	}
}

// A plan route whose target is known only after apply is an unknown line
// to an unknown node: dashed, with "?", in every format; never a link.
func TestUnknownRouteTarget(t *testing.T) {
	m := plan(t, "../../testdata/terraform/route-attribute-list-ambiguous/plan.json")
	g := picture.Build(m)
	var unknown []*picture.Edge
	for _, e := range g.Edges() {
		if e.Kind == picture.EdgeRoute && e.State == picture.Undecided {
			unknown = append(unknown, e)
		}
	}
	if len(unknown) == 0 {
		t.Fatal("no unknown route line")
	}
	for _, e := range unknown {
		if n := g.Node(e.To); n.Kind != picture.KindUnknown {
			t.Errorf("the unknown route %s goes to %s (%s), not to an unknown node", e.Label, e.To, n.Kind)
		}
		if !strings.Contains(e.Note, "known only after apply") {
			t.Errorf("the note %q does not say why", e.Note)
		}
	}
	for _, e := range g.Edges() {
		if e.Kind == picture.EdgeRoute && e.State == picture.Active && g.Node(e.To).Kind == picture.KindNATGateway {
			t.Errorf("route %s -> %s is drawn as a link although its target is undecided", e.From, e.To)
		}
	}
	dot, err := g.DOT()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range unknown {
		if !strings.Contains(string(dot), `label="? `+e.Label+`"`) || !strings.Contains(string(dot), "style=dashed") {
			t.Errorf("the DOT does not draw %s dashed with ?", e.Label)
		}
	}
	if !strings.Contains(string(g.Mermaid()), `-.->|"? `) {
		t.Error("the Mermaid does not draw the unknown route dotted with ?")
	}
}

// The trace picture holds every hop's element, the forward and return
// paths, and the blocking hop labelled with its rule.
func TestTracePicture(t *testing.T) {
	m := example(t)
	q := simulate.Query{From: "i-0a0000000000c0001", To: "vpce-0a0000000000e0001", Protocol: model.ProtoTCP, Port: 22}
	res, err := simulate.Trace(m, q)
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != simulate.Blocked || res.BlockedBy == nil {
		t.Fatalf("verdict %s, want blocked", res.Verdict)
	}
	g := picture.Trace(m, res)
	for _, h := range append(append([]simulate.Hop{}, res.Hops...), res.ReturnHops...) {
		if g.Node(h.ID) == nil {
			t.Errorf("hop %s %s is not in the picture", h.Component, h.ID)
		}
	}
	forward := 0
	for _, e := range g.Edges() {
		if e.Kind == picture.EdgeForward {
			forward++
		}
	}
	if forward == 0 {
		t.Error("no forward path")
	}
	svg, err := picture.TraceSVG(m, res)
	if err != nil {
		t.Fatal(err)
	}
	texts := svgTexts(t, svg)
	blocked := "BLOCKED: " + res.BlockedBy.Rule
	found := false
	for s := range texts {
		found = found || strings.Contains(s, blocked)
	}
	if !found {
		t.Errorf("the SVG does not label the blocking hop %q", blocked)
	}
	if !strings.Contains(string(svg), `stroke="red"`) {
		t.Error("the blocking hop is not drawn red")
	}
}

// The PNG is Graphviz's SVG rasterised: it decodes, has the SVG's size at
// 1.5 pixels a point, and draws the blocking hop in red.
func TestPNG(t *testing.T) {
	m := example(t)
	res, err := simulate.Trace(m, simulate.Query{From: "i-0a0000000000c0001", To: "vpce-0a0000000000e0001", Protocol: model.ProtoTCP, Port: 22})
	if err != nil {
		t.Fatal(err)
	}
	g := picture.Trace(m, res)
	svg, err := g.SVG()
	if err != nil {
		t.Fatal(err)
	}
	out, err := g.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	size := regexp.MustCompile(`<svg width="([0-9.]+)pt" height="([0-9.]+)pt"`).FindSubmatch(svg)
	if size == nil {
		t.Fatal("no size in the SVG")
	}
	w, _ := strconv.ParseFloat(string(size[1]), 64)
	h, _ := strconv.ParseFloat(string(size[2]), 64)
	if b := img.Bounds(); b.Dx() != int(w*1.5+0.5) || b.Dy() != int(h*1.5+0.5) {
		t.Errorf("PNG %dx%d, the SVG is %gx%g pt", b.Dx(), b.Dy(), w, h)
	}
	counts := map[string]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			switch {
			case r>>8 > 200 && g>>8 < 60 && bl>>8 < 60:
				counts["red"]++
			case r>>8 < 60 && g>>8 < 60 && bl>>8 > 200:
				counts["blue"]++
			case r>>8 < 250 || g>>8 < 250 || bl>>8 < 250:
				counts["ink"]++
			}
		}
	}
	for _, c := range []string{"red", "blue", "ink"} {
		if counts[c] < 50 {
			t.Errorf("only %d %s pixels: %v", counts[c], c, counts)
		}
	}
}
