package matrix

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// CellText is a cell as the table shows it: its status, and for a partial
// cell the ports some member pair reaches.
func (c Cell) CellText() string {
	switch c.Status {
	case Empty:
		return "-"
	case Partial:
		return "partial " + c.Open
	}
	return string(c.Status)
}

// spanText writes "443 reachable 4/4" or "0-442 blocked".
func spanText(s Span, pairs int) string {
	t := string(s.Status)
	if s.Ports != "" {
		t = s.Ports + " " + t
	}
	if s.Status != Blocked && s.Status != Reachable {
		t += fmt.Sprintf(" (reachable %d, blocked %d, unknown %d of %d pairs)", s.Reachable, s.Blocked, s.Unknown, pairs)
	}
	return t
}

// Text writes the matrix as an aligned table, rows from, columns to, then
// the runs of ports of every cell that is neither wholly reachable nor
// wholly blocked (with rules: of every cell not wholly reachable, with the
// rules that decided), the notes and the class counts.
func Text(w io.Writer, x *Matrix) error {
	head := "MATRIX  by " + x.By + "  " + x.Protocol
	if x.Ports != "" {
		head += " " + x.Ports + "  (replies to " + x.Ephemeral + ")"
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintln(bw, head)
	fmt.Fprintln(bw)
	table(bw, x)
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "reachable: every member pair on every port; blocked: none on any; partial: some pairs or ports (those listed reach for at")
	fmt.Fprintln(bw, "least one pair); unknown: none known to reach, some undecided; -: no member pair")
	heading := false
	type linesKey struct {
		first    *Span
		n, pairs int
	}
	lines := map[linesKey]string{}
	var num []byte
	for i := range x.Segments {
		for j := range x.Segments {
			c := x.Cell(i, j)
			if c.Status == Reachable || c.Status == Empty || c.Status == Blocked && !x.opts.Rules {
				continue
			}
			if !heading {
				fmt.Fprintln(bw)
				fmt.Fprintln(bw, "CELLS")
				heading = true
			}
			// "  from -> to  status (N member pairs)"
			bw.WriteString("  ")
			bw.WriteString(x.Segments[i].Label)
			bw.WriteString(" -> ")
			bw.WriteString(x.Segments[j].Label)
			bw.WriteString("  ")
			bw.WriteString(string(c.Status))
			bw.WriteString(" (")
			num = strconv.AppendInt(num[:0], int64(c.Pairs), 10)
			bw.Write(num)
			bw.WriteString(" member pairs)\n")
			// Cells with equal spans share one kept list (aggregator.intern):
			// its lines are written once.
			k := linesKey{n: len(c.Spans), pairs: c.Pairs}
			if k.n > 0 {
				k.first = &c.Spans[0]
			}
			text, ok := lines[k]
			if !ok {
				var b strings.Builder
				for _, s := range c.Spans {
					fmt.Fprintf(&b, "    %s\n", spanText(s, c.Pairs))
					for _, r := range s.Rules {
						fmt.Fprintf(&b, "      %d pairs %s\n", r.Pairs, r)
					}
				}
				text = b.String()
				lines[k] = text
			}
			bw.WriteString(text)
		}
	}
	if len(x.Notes) > 0 {
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, "NOTES")
		for _, n := range x.Notes {
			fmt.Fprintln(bw, "  "+n)
		}
	}
	fmt.Fprintln(bw)
	fmt.Fprintf(bw, "%d segments, %d members in %d classes, %d member pairs decided by %d traced class pairs\n",
		len(x.Segments), x.Stats.Members, x.Stats.Classes, x.Stats.MemberPairs, x.Stats.ClassPairs)
	return bw.Flush()
}

// table writes the matrix's grid as text/tabwriter would (cells padded to
// their column's widest plus two spaces, the last column unpadded), but
// row by row: a tabwriter holds every cell of a 2,000-segment matrix (four
// million) until it flushes. The first pass measures the columns.
func table(w *bufio.Writer, x *Matrix) {
	const corner = "FROM \\ TO"
	n := len(x.Segments)
	if n == 0 {
		fmt.Fprintln(w, corner)
		return
	}
	// width[0] is the row labels' column; width[j+1] is column j's. The
	// last column is not padded, so its width is not needed.
	width := make([]int, n)
	width[0] = utf8.RuneCountInString(corner)
	for i, s := range x.Segments {
		width[0] = max(width[0], utf8.RuneCountInString(s.Label))
		if i+1 < n {
			width[i+1] = utf8.RuneCountInString(s.Label)
		}
	}
	for i := range n {
		for j := 0; j+1 < n; j++ {
			width[j+1] = max(width[j+1], cellTextLen(x.Cell(i, j)))
		}
	}
	pad := func(text string, col int) {
		w.WriteString(text)
		spaces(w, width[col]+2-utf8.RuneCountInString(text))
	}
	pad(corner, 0)
	for j, s := range x.Segments {
		if j+1 < n {
			pad(s.Label, j+1)
		} else {
			w.WriteString(s.Label)
		}
	}
	w.WriteByte('\n')
	for i, s := range x.Segments {
		pad(s.Label, 0)
		for j := range n {
			c := x.Cell(i, j)
			writeCellText(w, c)
			if j+1 < n {
				spaces(w, width[j+1]+2-cellTextLen(c))
			}
		}
		w.WriteByte('\n')
	}
}

// spaces writes n spaces (none when n < 1).
func spaces(w *bufio.Writer, n int) {
	const blank = "                                                                "
	for n > 0 {
		k := min(n, len(blank))
		w.WriteString(blank[:k])
		n -= k
	}
}

// writeCellText writes c's CellText without building it.
func writeCellText(w *bufio.Writer, c *Cell) {
	switch c.Status {
	case Empty:
		w.WriteByte('-')
	case Partial:
		w.WriteString("partial ")
		w.WriteString(c.Open)
	default:
		w.WriteString(string(c.Status))
	}
}

// cellTextLen is the width of CellText without building it.
func cellTextLen(c *Cell) int {
	switch c.Status {
	case Empty:
		return 1
	case Partial:
		return len("partial ") + utf8.RuneCountInString(c.Open)
	}
	return utf8.RuneCountInString(string(c.Status))
}

// CSV writes one row per cell: from, from_label, to, to_label, status,
// pairs, open (the ports some pair reaches) and spans ("0-442 blocked;
// 443 reachable").
//
// A large matrix has millions of rows but few distinct ends and span
// lists (cells with equal spans share one kept list: aggregator.intern),
// so each segment's and each span list's fields are written by
// encoding/csv once and copied row after row: the bytes are what
// encoding/csv writes for every row.
func CSV(w io.Writer, x *Matrix) error {
	var scratch bytes.Buffer
	record := func(fields ...string) string {
		scratch.Reset()
		cw := csv.NewWriter(&scratch)
		cw.Write(fields)
		cw.Flush()
		return strings.TrimSuffix(scratch.String(), "\n")
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(record("from", "from_label", "to", "to_label", "status", "pairs", "open", "spans"))
	bw.WriteByte('\n')
	ends := make([]string, len(x.Segments))
	for i, s := range x.Segments {
		ends[i] = record(s.ID, s.Label)
	}
	type listKey struct {
		first *Span
		n     int
		open  string
	}
	tails, statuses := map[listKey]string{}, map[Status]string{}
	var num []byte
	for i := range x.Segments {
		for j := range x.Segments {
			c := x.Cell(i, j)
			k := listKey{n: len(c.Spans), open: c.Open}
			if k.n > 0 {
				k.first = &c.Spans[0]
			}
			tail, ok := tails[k]
			if !ok || k.n == 0 {
				tail = record(c.Open, csvSpans(c.Spans))
				tails[k] = tail
			}
			bw.WriteString(ends[i])
			bw.WriteByte(',')
			bw.WriteString(ends[j])
			bw.WriteByte(',')
			st, ok := statuses[c.Status]
			if !ok {
				st = record(string(c.Status))
				statuses[c.Status] = st
			}
			bw.WriteString(st)
			bw.WriteByte(',')
			num = strconv.AppendInt(num[:0], int64(c.Pairs), 10)
			bw.Write(num)
			bw.WriteByte(',')
			bw.WriteString(tail)
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}

// csvSpans is the spans field of a CSV row: "0-442 blocked;443 partial
// 2/1/0" (reachable, blocked and unknown pairs of a mixed run).
func csvSpans(spans []Span) string {
	out := make([]string, 0, len(spans))
	for _, s := range spans {
		t := string(s.Status)
		if s.Ports != "" {
			t = s.Ports + " " + t
		}
		if s.Status != Blocked && s.Status != Reachable {
			t += fmt.Sprintf(" %d/%d/%d", s.Reachable, s.Blocked, s.Unknown)
		}
		out = append(out, t)
	}
	return strings.Join(out, ";")
}

// JSON writes the matrix as render.JSON would (indented by two spaces, no
// HTML escaping), byte for byte, but cell by cell: a matrix of 2,000
// subnets has four million cells, which one document marshalled at once
// would hold in memory again.
func JSON(w io.Writer, x *Matrix) error {
	head := *x
	head.Cells = nil
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&head); err != nil {
		return err
	}
	const hole = "\n  \"cells\": null,\n"
	doc := b.Bytes()
	at := bytes.Index(doc, []byte(hole))
	if at < 0 {
		return fmt.Errorf("matrix JSON: no cells field in %.80q", doc)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.Write(doc[:at+1])
	if len(x.Cells) == 0 {
		bw.WriteString("  \"cells\": [],\n")
	} else {
		bw.WriteString("  \"cells\": [\n")
		var cb bytes.Buffer
		cenc := json.NewEncoder(&cb)
		cenc.SetIndent("    ", "  ")
		cenc.SetEscapeHTML(false)
		for i := range x.Cells {
			cb.Reset()
			cb.WriteString("    ")
			if err := cenc.Encode(&x.Cells[i]); err != nil {
				return err
			}
			out := bytes.TrimSuffix(cb.Bytes(), []byte("\n"))
			bw.Write(out)
			if i+1 < len(x.Cells) {
				bw.WriteByte(',')
			}
			bw.WriteByte('\n')
		}
		bw.WriteString("  ],\n")
	}
	bw.Write(doc[at+len(hole):])
	return bw.Flush()
}
