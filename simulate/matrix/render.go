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
	"text/tabwriter"
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
	fmt.Fprintln(w, head)
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
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
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "reachable: every member pair on every port; blocked: none on any; partial: some pairs or ports (those listed reach for at")
	fmt.Fprintln(w, "least one pair); unknown: none known to reach, some undecided; -: no member pair")
	var details []string
	for i := range x.Segments {
		for j := range x.Segments {
			c := x.Cell(i, j)
			if c.Status == Reachable || c.Status == Empty || c.Status == Blocked && !x.opts.Rules {
				continue
			}
			var b strings.Builder
			fmt.Fprintf(&b, "  %s -> %s  %s (%d member pairs)\n", x.Segments[i].Label, x.Segments[j].Label, c.Status, c.Pairs)
			for _, s := range c.Spans {
				fmt.Fprintf(&b, "    %s\n", spanText(s, c.Pairs))
				for _, r := range s.Rules {
					fmt.Fprintf(&b, "      %d pairs %s\n", r.Pairs, r)
				}
			}
			details = append(details, b.String())
		}
	}
	if len(details) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "CELLS")
		fmt.Fprint(w, strings.Join(details, ""))
	}
	if len(x.Notes) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "NOTES")
		for _, n := range x.Notes {
			fmt.Fprintln(w, "  "+n)
		}
	}
	fmt.Fprintln(w)
	_, err := fmt.Fprintf(w, "%d segments, %d members in %d classes, %d member pairs decided by %d traced class pairs\n",
		len(x.Segments), x.Stats.Members, x.Stats.Classes, x.Stats.MemberPairs, x.Stats.ClassPairs)
	return err
}

// CSV writes one row per cell: from, from_label, to, to_label, status,
// pairs, open (the ports some pair reaches) and spans ("0-442 blocked;
// 443 reachable").
func CSV(w io.Writer, x *Matrix) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"from", "from_label", "to", "to_label", "status", "pairs", "open", "spans"})
	for i, a := range x.Segments {
		for j, b := range x.Segments {
			c := x.Cell(i, j)
			var spans []string
			for _, s := range c.Spans {
				t := string(s.Status)
				if s.Ports != "" {
					t = s.Ports + " " + t
				}
				if s.Status != Blocked && s.Status != Reachable {
					t += fmt.Sprintf(" %d/%d/%d", s.Reachable, s.Blocked, s.Unknown)
				}
				spans = append(spans, t)
			}
			cw.Write([]string{a.ID, a.Label, b.ID, b.Label, string(c.Status), strconv.Itoa(c.Pairs), c.Open, strings.Join(spans, ";")})
		}
	}
	cw.Flush()
	return cw.Error()
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
