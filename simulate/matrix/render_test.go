package matrix

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"text/tabwriter"
)

// tabwriterTable is the grid as Text wrote it before table: through
// text/tabwriter, which holds every cell until it flushes.
func tabwriterTable(x *Matrix) string {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "FROM \\ TO")
	for _, s := range x.Segments {
		fmt.Fprint(tw, "\t"+s.Label)
	}
	fmt.Fprintln(tw)
	for i, s := range x.Segments {
		fmt.Fprint(tw, s.Label)
		for j := range x.Segments {
			fmt.Fprint(tw, "\t"+x.Cell(i, j).CellText())
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	return b.String()
}

// TestTableIsTabwriters writes grids of random labels (some wider than
// every cell, some narrower, some not ASCII) and cells (partial ones with
// long port lists) row by row and compares them with text/tabwriter's
// output, byte for byte.
func TestTableIsTabwriters(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	words := []string{"a", "web", "subnet-0123456789abcdef0", "données (subnet-1)", "東京 (subnet-2)", "x y z"}
	statuses := []Status{Reachable, Blocked, Partial, Unknown, Empty}
	for n := range 7 {
		for trial := range 20 {
			x := &Matrix{}
			for k := range n {
				label := words[rng.IntN(len(words))]
				if rng.IntN(3) == 0 {
					label += fmt.Sprintf(" %d", k)
				}
				x.Segments = append(x.Segments, Segment{Label: label})
			}
			x.Cells = make([]Cell, n*n)
			for k := range x.Cells {
				c := Cell{Status: statuses[rng.IntN(len(statuses))]}
				if c.Status == Partial {
					c.Open = fmt.Sprintf("%d-%d", rng.IntN(1000), 1000+rng.IntN(60000))
					if rng.IntN(2) == 0 {
						c.Open += ",8443"
					}
				}
				x.Cells[k] = c
			}
			var b bytes.Buffer
			w := bufio.NewWriter(&b)
			table(w, x)
			w.Flush()
			if got, want := b.String(), tabwriterTable(x); got != want {
				t.Fatalf("%d segments, trial %d:\ngot:\n%s\nwant:\n%s", n, trial, got, want)
			}
		}
	}
}

// encodingCSV is CSV as it was written before it kept its fields:
// through encoding/csv, row by row (the spans field is csvSpans's; its
// text is in the golden CSV of testdata/script/matrix_example.txtar).
func encodingCSV(x *Matrix) string {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write([]string{"from", "from_label", "to", "to_label", "status", "pairs", "open", "spans"})
	for i, a := range x.Segments {
		for j, s := range x.Segments {
			c := x.Cell(i, j)
			cw.Write([]string{a.ID, a.Label, s.ID, s.Label, string(c.Status), strconv.Itoa(c.Pairs), c.Open, csvSpans(c.Spans)})
		}
	}
	cw.Flush()
	return b.String()
}

// TestCSVIsEncodingCSVs writes matrices whose labels need quoting (commas,
// quotes, a leading space, a line break) and whose cells share span lists,
// hold equal lists apart, or share a list with another open text, and
// compares CSV with encoding/csv's rows, byte for byte.
func TestCSVIsEncodingCSVs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	labels := []string{"web (subnet-1)", "a, b (subnet-2)", `say "hi" (subnet-3)`, " lead (subnet-4)", "two\nlines", "", `\.`}
	lists := [][]Span{
		nil,
		{{Ports: "0-65535", Status: Blocked}},
		{{Ports: "0-442", Status: Blocked}, {Ports: "443", Status: Partial, Reachable: 2, Blocked: 1}, {Ports: "444-65535", Status: Unknown, Unknown: 3}},
	}
	for n := range 6 {
		for trial := range 20 {
			x := &Matrix{}
			for k := range n {
				x.Segments = append(x.Segments, Segment{ID: fmt.Sprintf("subnet-%d", k), Label: labels[rng.IntN(len(labels))]})
			}
			x.Cells = make([]Cell, n*n)
			for k := range x.Cells {
				c := Cell{Status: Status([]string{"reachable", "partial", "blocked", "empty"}[rng.IntN(4)]), Pairs: rng.IntN(5)}
				switch l := lists[rng.IntN(len(lists))]; rng.IntN(3) {
				case 0:
					c.Spans = l // shared, as the aggregator's kept lists are
				default:
					c.Spans = slices.Clone(l)
				}
				c.Open = []string{"", "443", "22,443", "0-65535"}[rng.IntN(4)]
				x.Cells[k] = c
			}
			var b bytes.Buffer
			if err := CSV(&b, x); err != nil {
				t.Fatal(err)
			}
			if got, want := b.String(), encodingCSV(x); got != want {
				t.Fatalf("%d segments, trial %d:\ngot:\n%s\nwant:\n%s", n, trial, got, want)
			}
		}
	}
}

// TestTextSharesNoLines: Text writes a matrix whose cells share span lists
// (as the aggregator's kept lists are shared) exactly as the same matrix
// with every list its own, for cells of one list but different pair
// counts and statuses, with rules and without.
func TestTextSharesNoLines(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	lists := [][]Span{
		{{Ports: "0-65535", Status: Blocked, Blocked: 2, Rules: []Rule{{Verdict: "blocked", Component: "network-acl", ID: "acl-1", Rule: "100", Pairs: 2}}}},
		{{Ports: "0-442", Status: Blocked}, {Ports: "443", Status: Partial, Reachable: 2, Blocked: 1}},
	}
	for trial := range 50 {
		n := 1 + rng.IntN(5)
		shared, own := &Matrix{opts: Options{Rules: trial%2 == 0}}, &Matrix{opts: Options{Rules: trial%2 == 0}}
		for k := range n {
			shared.Segments = append(shared.Segments, Segment{ID: fmt.Sprintf("s%d", k), Label: fmt.Sprintf("seg %d", k)})
		}
		own.Segments = shared.Segments
		for range n * n {
			l := lists[rng.IntN(len(lists))]
			c := Cell{Status: []Status{Partial, Blocked, Unknown}[rng.IntN(3)], Pairs: 1 + rng.IntN(3), Open: "443", Spans: l}
			shared.Cells = append(shared.Cells, c)
			c.Spans = slices.Clone(l)
			own.Cells = append(own.Cells, c)
		}
		var a, b bytes.Buffer
		if err := Text(&a, shared); err != nil {
			t.Fatal(err)
		}
		if err := Text(&b, own); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Fatalf("trial %d: shared lists:\n%s\nown lists:\n%s", trial, a.String(), b.String())
		}
	}
}
