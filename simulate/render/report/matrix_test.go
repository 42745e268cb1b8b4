package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/simulate/check"
	"github.com/vpcpath/vpcpath/simulate/matrix"
	"github.com/vpcpath/vpcpath/simulate/render"
)

// square is an n-segment matrix whose cell (i, j) has status(i, j).
func square(n int, status func(i, j int) matrix.Status) *matrix.Matrix {
	x := &matrix.Matrix{By: "subnet", Protocol: "tcp", Ports: "0-65535"}
	for i := range n {
		x.Segments = append(x.Segments, matrix.Segment{ID: fmt.Sprintf("subnet-%03d", i), Name: fmt.Sprintf("seg-%d", i), Label: fmt.Sprintf("seg-%d (subnet-%03d)", i, i)})
	}
	for i := range n {
		for j := range n {
			c := matrix.Cell{From: x.Segments[i].ID, To: x.Segments[j].ID, Status: status(i, j), Pairs: 4}
			switch c.Status {
			case matrix.Reachable:
				c.Open = "0-65535"
				c.Spans = []matrix.Span{{Ports: "0-65535", Status: matrix.Reachable, Reachable: 4}}
			case matrix.Partial:
				c.Open = "443"
				c.Spans = []matrix.Span{{Ports: "0-442", Status: matrix.Blocked, Blocked: 4}, {Ports: "443", Status: matrix.Partial, Reachable: 1, Blocked: 3}}
			case matrix.Unknown:
				c.Spans = []matrix.Span{{Ports: "0-65535", Status: matrix.Unknown, Blocked: 2, Unknown: 2}}
			case matrix.Empty:
				c.Pairs = 0
			}
			x.Cells = append(x.Cells, c)
		}
	}
	return x
}

func TestMatrixPage(t *testing.T) {
	statuses := [][]matrix.Status{
		{matrix.Empty, matrix.Partial, matrix.Blocked},
		{matrix.Reachable, matrix.Empty, matrix.Unknown},
		{matrix.Blocked, matrix.Blocked, matrix.Empty},
	}
	x := square(3, func(i, j int) matrix.Status { return statuses[i][j] })
	p := MatrixPage(x, nil, []byte(`<?xml version="1.0"?><svg width="10pt" height="10pt"></svg>`), Options{})
	tally := map[string]int{}
	for _, c := range p.Tally {
		tally[c.Class] = c.N
	}
	if want := map[string]int{"reachable": 1, "partial": 1, "blocked": 3, "unknown": 1, "empty": 3}; fmt.Sprint(tally) != fmt.Sprint(want) {
		t.Errorf("tally %v, want %v", tally, want)
	}
	if p.Verdict != "MATRIX" || len(p.Counts) != 0 {
		t.Errorf("a plain matrix: verdict %q, counts %v; want MATRIX and no filter counts", p.Verdict, p.Counts)
	}
	if !strings.HasPrefix(string(p.Picture), "<svg") {
		t.Errorf("the heatmap is not inline: %.40q", p.Picture)
	}
	var got []string
	for _, r := range p.Grid.Rows {
		var row []string
		for _, c := range r.Cells {
			row = append(row, c.Status+":"+c.Text)
		}
		got = append(got, strings.Join(row, " "))
	}
	want := []string{"empty:· partial:443 blocked:–", "reachable:0-65535 empty:· unknown:?", "blocked:– blocked:– empty:·"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("grid\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// One item per source with a partial or unknown cell, its spans listed.
	if len(p.Sections) != 1 || len(p.Sections[0].Items) != 2 {
		t.Fatalf("sections %+v, want one with two row items", p.Sections)
	}
	it := p.Sections[0].Items[0]
	if it.Status != "PARTIAL" || it.Title != "seg-0 (subnet-000)" || len(it.Lists) != 1 ||
		strings.Join(it.Lists[0].Items, "|") != "0-442 blocked|443 partial: reachable 1, blocked 3, unknown 0 member pairs" {
		t.Errorf("row item %+v", it)
	}
	if it := p.Sections[0].Items[1]; it.Status != "UNKNOWN" || it.Class != "cells" {
		t.Errorf("second row item %s %s, want UNKNOWN cells", it.Status, it.Class)
	}
}

func TestMatrixAuditPage(t *testing.T) {
	x := square(2, func(i, j int) matrix.Status {
		return map[bool]matrix.Status{true: matrix.Empty, false: matrix.Reachable}[i == j]
	})
	fail := outcome("apart: seg-0 -> seg-1", check.Fail, nil)
	fail.Rule, fail.Detail = "sg-1: ingress tcp all from sg-1", "tcp/0-65535 open for 4 of 4 member pairs; e.g. eni-1 -> eni-2 reachable via route-table rtb-1"
	rep := render.NewCheckReport("matrix --expect apart.yaml", nil, []check.Outcome{outcome("apart: seg-1 -> seg-0", check.Pass, nil), fail})
	p := MatrixPage(x, &rep, nil, Options{})
	if p.Verdict != "FAIL" || p.Class != "fail" || !strings.HasPrefix(p.Lead, "Segmentation audit: 1 of 2 expected cells fail") {
		t.Errorf("verdict %s %s, lead %q", p.Verdict, p.Class, p.Lead)
	}
	if len(p.Sections) != 1 || p.Sections[0].Title != "Audit" {
		t.Fatalf("sections %+v, want the audit alone (no partial or unknown cell)", p.Sections)
	}
	first := p.Sections[0].Items[0]
	if first.Class != "fail" || first.Where != fail.Rule || !first.Open || first.Detail != fail.Detail {
		t.Errorf("first audit item %+v: want the failure, open, its rule on the closed line", first)
	}
	if first.Fields[0] != (Fact{Name: "deciding rule", Value: fail.Rule, Code: true}) {
		t.Errorf("first field %+v, want the deciding rule", first.Fields[0])
	}
}

// TestMatrix200 writes a 200-segment page: every cell in the table, one
// item per source, and a size a browser opens at once.
func TestMatrix200(t *testing.T) {
	x := square(200, func(i, j int) matrix.Status { return matrix.Statuses[(i+j)%len(matrix.Statuses)] })
	var b bytes.Buffer
	if err := Matrix(&b, x, nil, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "<td class="); n != 200*200 {
		t.Errorf("%d cells in the table, want %d", n, 200*200)
	}
	if n := strings.Count(b.String(), `<details class="item cells"`); n != 200 {
		t.Errorf("%d row items, want 200", n)
	}
	if n := b.Len(); n > 8<<20 {
		t.Errorf("a 200-segment page is %d bytes: too heavy to open", n)
	}
	t.Logf("200 segments: %d bytes", b.Len())
}
