package matrix

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
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
