// Package render writes simulate results for people (an aligned table),
// for programs (JSON, the documented contract) and for documents (a Mermaid
// sequence diagram).
package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/vpcpath/vpcpath/simulate"
)

// JSON writes r as indented JSON, the stable contract.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Text writes r as a table a person reads in a terminal.
func Text(w io.Writer, r simulate.Result) error {
	f := r.Flow
	what := f.Protocol.String()
	if f.Port != "" {
		what += "/" + f.Port
	}
	dst := f.DstIP
	if f.DstENI != "" {
		dst = f.DstENI + " (" + f.DstIP + ")"
	}
	if len(r.Hops) > 0 && r.Hops[0].Component == simulate.CompDNS {
		dst = f.To + " (" + f.DstIP + ")"
		if f.DstIP == "" {
			dst = f.To
		}
	}
	src := f.SrcENI
	if src == "" && len(r.Hops) > 0 {
		switch r.Hops[0].Component {
		case simulate.CompInternet:
			src = "internet"
		case simulate.CompVPNConnection, simulate.CompDXGateway, simulate.CompVGW:
			src = "on-premises"
		}
	}
	fmt.Fprintf(w, "TRACE    %s (%s) -> %s  %s\n", src, f.SrcIP, dst, what)
	if len(r.Hops) > 0 && r.Hops[0].Component == simulate.CompDNS {
		h := r.Hops[0]
		ans := strings.Join(h.Answers, ", ")
		if ans == "" {
			ans = h.Rule
		}
		if ans == "" {
			ans = "no answer"
		}
		fmt.Fprintf(w, "DNS      %s -> %s (%s)\n", h.Question, ans, h.AnsweredBy)
	}
	fmt.Fprintf(w, "VERDICT  %s\n", strings.ToUpper(string(r.Verdict)))
	if r.Verdict == simulate.Invalid {
		return refused(w, r)
	}
	if r.BlockedBy != nil {
		where := "at"
		if r.BlockedBy.Return {
			where = "on the return path at"
		}
		label := "BLOCKED"
		if r.Verdict == simulate.Unknown {
			label = "UNKNOWN"
		}
		fmt.Fprintf(w, "%-8s %s %s %s: %s\n", label, where, r.BlockedBy.Component, r.BlockedBy.ID, r.BlockedBy.Reason)
	}
	if len(r.Segments) > 0 {
		fmt.Fprintf(w, "PORTS    %s\n", simulate.SegmentSummary(r.Segments))
	}
	if r.Fix != nil {
		fmt.Fprintf(w, "FIX      %s\n", *r.Fix)
	}
	sourceFixes(w, "         ", r.FixSource)
	if r.AfterFixes != nil {
		fixAll(w, r)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "FORWARD")
	hops(w, r.Hops)
	if len(r.ReturnHops) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "RETURN")
		hops(w, r.ReturnHops)
	}
	if len(r.Targets) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "TARGETS")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  ADDRESS\tENI\tVERDICT\tWHERE")
		for _, t := range r.Targets {
			where := "-"
			if t.BlockedBy != nil {
				where = string(t.BlockedBy.Component) + " " + t.BlockedBy.ID
				if t.BlockedBy.Return {
					where += " (return path)"
				}
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", t.DstIP, dash(t.DstENI), t.Verdict, where)
		}
		tw.Flush()
	}
	if len(r.Findings) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "FINDINGS")
		for _, f := range r.Findings {
			fmt.Fprintf(w, "  - %s\n", f)
		}
	}
	if len(r.Assumptions) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "ASSUMPTIONS")
		for _, a := range r.Assumptions {
			fmt.Fprintf(w, "  - %s\n", a)
		}
	}
	return nil
}

func hops(w io.Writer, hs []simulate.Hop) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  #\tCOMPONENT\tID\tDIR\tDECISION\tRULE\tREASON")
	for i, h := range hs {
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\t%s\n", i+1, h.Component, h.ID, h.Direction, h.Decision, dash(h.Rule), h.Reason)
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Mermaid writes r as a Mermaid sequence diagram, in the style of the seed
// documents: one participant per component, forward messages solid, replies
// dashed, a cross where the packet dies.
func Mermaid(w io.Writer, r simulate.Result) error {
	if r.Verdict == simulate.Invalid {
		return mermaidRefused(w, r)
	}
	type part struct{ key, label string }
	var parts []part
	alias := map[string]string{}
	name := func(h simulate.Hop) string {
		key := string(h.Component) + "|" + h.ID
		if a, ok := alias[key]; ok {
			return a
		}
		a := fmt.Sprintf("P%d", len(parts)+1)
		alias[key] = a
		parts = append(parts, part{a, mermaidLabel(h)})
		return a
	}
	all := append(append([]simulate.Hop{}, r.Hops...), r.ReturnHops...)
	for _, h := range all {
		name(h)
	}
	fmt.Fprintln(w, "sequenceDiagram")
	fmt.Fprintln(w, "    autonumber")
	for _, p := range parts {
		fmt.Fprintf(w, "    participant %s as %s\n", p.key, p.label)
	}
	arrows := func(hs []simulate.Hop, reply bool, prev string) string {
		for _, h := range hs {
			cur := name(h)
			arrow := "->>"
			if reply {
				arrow = "-->>"
			}
			switch h.Decision {
			case simulate.Deny:
				arrow = "-x"
				if reply {
					arrow = "--x"
				}
			case simulate.Undecided:
				arrow = "-)"
				if reply {
					arrow = "--)"
				}
			}
			msg := string(h.Decision)
			switch {
			case h.Rule != "":
				msg += ": " + h.Rule
			case h.Decision != simulate.Allow:
				msg += ": " + h.Reason
			}
			if prev == "" && h.Component == simulate.CompENI {
				fmt.Fprintf(w, "    Note over %s: %s\n", cur, mermaidText(h.Reason))
			} else if prev == "" || prev == cur {
				fmt.Fprintf(w, "    Note over %s: %s\n", cur, mermaidText(msg))
			} else {
				fmt.Fprintf(w, "    %s%s%s: %s\n", prev, arrow, cur, mermaidText(msg))
			}
			prev = cur
		}
		return prev
	}
	last := arrows(r.Hops, false, "")
	if len(r.ReturnHops) > 0 {
		arrows(r.ReturnHops, true, last)
	}
	if b := r.BlockedBy; b != nil {
		fmt.Fprintf(w, "    Note over %s: %s, %s\n", alias[string(b.Component)+"|"+b.ID], strings.ToUpper(string(r.Verdict)), mermaidText(b.Reason))
	} else {
		fmt.Fprintf(w, "    Note over P1: %s\n", strings.ToUpper(string(r.Verdict)))
	}
	return nil
}

func mermaidLabel(h simulate.Hop) string {
	return mermaidText(string(h.Component)) + "<br/>" + mermaidText(h.ID)
}

// mermaidText keeps a label inside Mermaid's syntax: no semicolons, hashes
// or line breaks.
func mermaidText(s string) string {
	r := strings.NewReplacer(";", ",", "#", "no. ", "\n", " ")
	return r.Replace(s)
}

// DNSText writes a resolve answer for a person.
func DNSText(w io.Writer, a simulate.DNSAnswer) error {
	fmt.Fprintf(w, "QUESTION     %s (from %s)\n", a.Question, a.VPC)
	ans := strings.Join(a.Answers, ", ")
	if ans == "" {
		ans = "-"
	}
	rcode := a.Rcode
	if rcode == "" {
		rcode = "no answer"
	}
	fmt.Fprintf(w, "ANSWER       %s\n", ans)
	fmt.Fprintf(w, "RCODE        %s\n", rcode)
	fmt.Fprintf(w, "ANSWERED BY  %s\n", a.AnsweredBy)
	if len(a.Chain) > 1 {
		fmt.Fprintf(w, "CHAIN        %s\n", strings.Join(a.Chain, " -> "))
	}
	if a.Endpoint != "" {
		fmt.Fprintf(w, "ENDPOINT     %s\n", a.Endpoint)
	}
	fmt.Fprintf(w, "DECISION     %s: %s\n", a.Decision, a.Reason)
	for _, f := range a.Findings {
		fmt.Fprintf(w, "FINDING      %s\n", f)
	}
	if a.Fix != "" && (a.Decision != simulate.Allow || len(a.Findings) > 0) {
		fmt.Fprintf(w, "FIX          %s\n", a.Fix)
	}
	return nil
}

// fixAll writes trace --fix all's changes, each with the hop it fixes, and
// the verdict after them.
func fixAll(w io.Writer, r simulate.Result) {
	fmt.Fprintln(w)
	n := len(r.FixesAll)
	switch n {
	case 0:
		fmt.Fprintln(w, "FIX ALL  0 changes")
	case 1:
		fmt.Fprintln(w, "FIX ALL  1 change, traced again on a copy of the network")
	default:
		fmt.Fprintf(w, "FIX ALL  %d changes, each traced again on a copy of the network\n", n)
	}
	for i, s := range r.FixesAll {
		fmt.Fprintf(w, "  %d. %s: %s\n", i+1, blockWhere(&s.Fixes), s.Fix)
		sourceFixes(w, "       ", s.Source)
	}
	a := r.AfterFixes
	after := strings.ToUpper(string(a.Verdict))
	if a.BlockedBy != nil {
		after += " " + blockWhere(a.BlockedBy) + ": " + a.BlockedBy.Reason
	}
	fmt.Fprintf(w, "AFTER    %s\n", after)
	if a.Stopped != "" {
		fmt.Fprintf(w, "STOPPED  %s\n", a.Stopped)
	}
	if a.Fix != nil {
		fmt.Fprintf(w, "LEFT     %s\n", *a.Fix)
	}
}

// blockWhere writes "at security-group sg-1" or "on the return path at
// network-acl acl-1".
func blockWhere(b *simulate.Block) string {
	where := "at"
	if b.Return {
		where = "on the return path at"
	}
	return where + " " + string(b.Component) + " " + b.ID
}
