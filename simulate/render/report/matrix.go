package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcpath/vpcpath/simulate/matrix"
	"github.com/vpcpath/vpcpath/simulate/render"
)

// Grid is a reachability matrix as a table: rows the sources, columns the
// destinations, each cell coloured by its status and showing the ports
// some member pair reaches. The page puts it in a scrolling box with the
// headers held in place, so 200 segments stay a table to read.
type Grid struct {
	Title string
	Note  string
	Heads []GridHead
	Rows  []GridRow
}

// GridHead labels a row or a column: the segment's Name tag and its ID.
type GridHead struct{ Name, ID string }

// GridRow is one source segment and its cells.
type GridRow struct {
	Head  GridHead
	Cells []GridCell
}

// GridCell is one cell: Status is its class (reachable, partial, blocked,
// unknown, empty), Text what it shows, Title the hover text.
type GridCell struct{ Status, Text, Title string }

// Matrix writes a matrix (and its audit, when audit is not nil) as a page.
func Matrix(w io.Writer, x *matrix.Matrix, audit *render.CheckReport, heatmap []byte, opts Options) error {
	return Write(w, MatrixPage(x, audit, heatmap, opts))
}

// MatrixPage builds the page of vpcpath matrix: the cells counted by
// status (and for an --expect audit the verdict and its PASS/FAIL/UNKNOWN
// counts), the heatmap (an SVG document made by vpcpath, inline), the
// audit's outcomes (failing first, each with its ports, pairs, example
// pair's path, deciding rule and fix), the matrix as a table, and one item
// per source segment with cells neither wholly reachable nor wholly
// blocked, listing their runs of ports (and rules with --rules).
func MatrixPage(x *matrix.Matrix, audit *render.CheckReport, heatmap []byte, opts Options) Page {
	tally := map[matrix.Status]int{}
	for _, c := range x.Cells {
		tally[c.Status]++
	}
	what := x.Protocol
	if x.Ports != "" {
		what += " " + x.Ports
	}
	p := Page{Kind: "matrix", Title: "vpcpath matrix by " + x.By + ", " + what, Verdict: "MATRIX", Class: "info"}
	var parts []string
	for _, s := range matrix.Statuses {
		p.Tally = append(p.Tally, Count{Label: string(s), Class: string(s), N: tally[s]})
		parts = append(parts, fmt.Sprintf("%d %s", tally[s], s))
	}
	p.Lead = fmt.Sprintf("%d segments, %d cells: %s.", len(x.Segments), len(x.Cells), strings.Join(parts, ", "))
	if audit != nil {
		cp := CheckPage(*audit, opts)
		p.Verdict, p.Class, p.Counts = cp.Verdict, cp.Class, cp.Counts
		fail, unknown, pass := audit.Summary["FAIL"], audit.Summary["UNKNOWN"], audit.Summary["PASS"]
		p.Lead = fmt.Sprintf("Segmentation audit: %d of %d expected cells fail, %d undecided, %d pass. ", fail, fail+unknown+pass, unknown, pass) + p.Lead
		for _, s := range cp.Sections {
			s.Title, s.Note = "Audit", "Each cell an expectation selects, on its ports: failing first. The example pair is one member pair that breaks the expectation, traced again on the first port that does."
			for i := range s.Items {
				auditItem(&s.Items[i])
			}
			p.Sections = append(p.Sections, s)
		}
	}
	p.Facts = append(runFacts(opts.Run), Fact{Name: "segments", Value: fmt.Sprintf("%d by %s", len(x.Segments), x.By)},
		Fact{Name: "traffic", Value: what})
	if x.Ephemeral != "" {
		p.Facts = append(p.Facts, Fact{Name: "replies to", Value: x.Ephemeral})
	}
	p.Facts = append(p.Facts, Fact{Name: "work", Value: fmt.Sprintf("%d members in %d classes; %d member pairs decided by %d traced class pairs",
		x.Stats.Members, x.Stats.Classes, x.Stats.MemberPairs, x.Stats.ClassPairs)})
	if len(x.Notes) > 0 {
		p.Notes = append(p.Notes, List{Title: "Notes", Items: x.Notes})
	}
	if pic, ok := inlineImage(heatmap); ok {
		p.Picture = pic
	}
	p.Grid = grid(x)
	if s := cellItems(x); len(s.Items) > 0 {
		p.Sections = append(p.Sections, s)
	}
	return p
}

// auditItem adapts a check outcome item to the audit: the rule an audit
// names is the one that decided the example pair (for a cell that must be
// blocked, the rule that opens it), and the closed line shows it.
func auditItem(it *Item) {
	for i, f := range it.Fields {
		if f.Name == "blocking rule" {
			it.Fields[i].Name = "deciding rule"
			if it.Class != "pass" {
				it.Where = f.Value
			}
		}
	}
}

// grid is the matrix as a table.
func grid(x *matrix.Matrix) *Grid {
	g := &Grid{Title: "Matrix", Note: "Rows are the sources, columns the destinations; a cell shows the ports some member pair reaches (reachable: every pair on every port; partial: some pairs or ports; blocked –; unknown ?; no member pair ·)."}
	g.Heads = make([]GridHead, len(x.Segments))
	for i, s := range x.Segments {
		g.Heads[i] = GridHead{Name: s.Name, ID: s.ID}
	}
	g.Rows = make([]GridRow, len(x.Segments))
	for i := range x.Segments {
		r := GridRow{Head: g.Heads[i], Cells: make([]GridCell, len(x.Segments))}
		for j := range x.Segments {
			c := x.Cell(i, j)
			gc := GridCell{Status: string(c.Status), Title: fmt.Sprintf("%s, %d member pairs", c.Status, c.Pairs)}
			switch c.Status {
			case matrix.Reachable, matrix.Partial:
				gc.Text = c.Open
				if gc.Text == "" {
					gc.Text = string(c.Status) // a protocol without ports
				}
				gc.Title += ", open " + gc.Text
			case matrix.Blocked:
				gc.Text = "–"
			case matrix.Unknown:
				gc.Text = "?"
			default:
				gc.Text = "·"
			}
			r.Cells[j] = gc
		}
		g.Rows[i] = r
	}
	return g
}

// cellItems lists, per source segment, the cells the table cannot say in
// one word: partial and unknown cells, and with --rules blocked ones too,
// with their runs of ports, the member pairs of each outcome and the rules.
func cellItems(x *matrix.Matrix) Section {
	s := Section{Title: "Cells by source", Note: "Per source segment, each cell neither wholly reachable nor wholly blocked (with --rules, every cell not wholly reachable): its runs of ports and the member pairs of each outcome."}
	for i, from := range x.Segments {
		var lists []List
		counts := map[matrix.Status]int{}
		for j, to := range x.Segments {
			c := x.Cell(i, j)
			if c.Status == matrix.Reachable || c.Status == matrix.Empty || c.Status == matrix.Blocked && !hasRules(c) {
				continue
			}
			counts[c.Status]++
			l := List{Title: fmt.Sprintf("→ %s: %s, %d member pairs", to.Label, c.Status, c.Pairs)}
			for _, sp := range c.Spans {
				l.Items = append(l.Items, spanLine(sp))
				for _, r := range sp.Rules {
					l.Items = append(l.Items, fmt.Sprintf("%s: %d pairs, %s", sp.Ports, r.Pairs, r))
				}
			}
			lists = append(lists, l)
		}
		if len(lists) == 0 {
			continue
		}
		worst, sub := "", []string{}
		for _, st := range []matrix.Status{matrix.Unknown, matrix.Partial, matrix.Blocked} {
			if counts[st] > 0 {
				if worst == "" {
					worst = string(st)
				}
				sub = append(sub, fmt.Sprintf("%d %s", counts[st], st))
			}
		}
		s.Items = append(s.Items, Item{ID: fmt.Sprintf("row-%d", i+1), Status: strings.ToUpper(worst), Class: "cells",
			Title: from.Label, Subtitle: strings.Join(sub, " · "), Lists: lists})
	}
	return s
}

func hasRules(c *matrix.Cell) bool {
	for _, s := range c.Spans {
		if len(s.Rules) > 0 {
			return true
		}
	}
	return false
}

// spanLine says a run of ports: "443 reachable" or "0-442 partial:
// reachable 1, blocked 3, unknown 0 member pairs".
func spanLine(s matrix.Span) string {
	t := string(s.Status)
	if s.Ports != "" {
		t = s.Ports + " " + t
	}
	if s.Status != matrix.Blocked && s.Status != matrix.Reachable {
		t += fmt.Sprintf(": reachable %d, blocked %d, unknown %d member pairs", s.Reachable, s.Blocked, s.Unknown)
	}
	return t
}
