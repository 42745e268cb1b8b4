package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcpath/vpcpath/simulate/check"
	"github.com/vpcpath/vpcpath/simulate/render"
)

// Run says what a report answers: the network it read and the command
// that wrote it (to run again).
type Run struct {
	Source  string // "example databricks-privatelink", "snapshot ./snap"
	Command string // the command line, "" to leave it out
}

// Options configure a page.
type Options struct {
	Run
	// Picture draws a trace: the page's path picture, and that of the
	// first OpenLimit failing items; nil (and the failing items beyond)
	// get the page's own path strip. Passing items get no picture (a page
	// of hundreds stays light); their hops are in the tables.
	Picture PictureFunc
}

// Check writes a check run as a page: the counts and the verdict, then the
// refused, functional and shape sections, failing requirements first.
func Check(w io.Writer, r render.CheckReport, opts Options) error {
	return Write(w, CheckPage(r, opts))
}

// CheckPage builds the page of a check run.
func CheckPage(r render.CheckReport, opts Options) Page {
	fail, unknown, pass := r.Summary["FAIL"], r.Summary["UNKNOWN"], r.Summary["PASS"]
	total := fail + unknown + pass
	p := Page{Kind: "check", Title: "vpcpath check", Verdict: "PASS", Class: "pass",
		Lead: fmt.Sprintf("All %d checks pass.", total)}
	switch {
	case fail > 0:
		p.Verdict, p.Class = "FAIL", "fail"
		p.Lead = fmt.Sprintf("%d of %d checks fail", fail, total)
		if unknown > 0 {
			p.Lead += fmt.Sprintf(", %d cannot be decided from the data", unknown)
		}
		p.Lead += "."
	case unknown > 0:
		p.Verdict, p.Class = "UNKNOWN", "unknown"
		p.Lead = fmt.Sprintf("%d of %d checks cannot be decided from the data; none fails.", unknown, total)
	}
	if len(r.Refused) > 0 {
		p.Lead = "AWS would refuse this network as described: no flow was checked."
	}
	if r.Profile != "" {
		p.Title += ": " + r.Profile
		p.Facts = append(p.Facts, Fact{Name: "profile", Value: r.Profile})
	} else {
		p.Title += ": intent file"
	}
	p.Facts = append(p.Facts, runFacts(opts.Run)...)
	p.Counts = []Count{{"fail", "fail", fail}, {"unknown", "unknown", unknown}, {"pass", "pass", pass}}
	if len(r.Discovered) > 0 {
		p.Notes = append(p.Notes, List{Title: "Parameters", Items: r.Discovered})
	}
	budget := pictures{f: opts.Picture}
	shape := "Static checks"
	if strings.HasPrefix(r.Profile, "databricks") {
		shape = "Shaped as Databricks validates"
	}
	for _, sec := range []struct {
		id, title, note string
		os              []check.Outcome
	}{
		{"refused", "Refused by AWS", "The network cannot exist as described: no flow was checked.", r.Refused},
		{"req", "Requirements", "Each flow traced over its exact ports from every distinct subnet and security groups of its sources.", r.Functional},
		{"shape", shape, "", r.Shape},
	} {
		if len(sec.os) == 0 {
			continue
		}
		s := Section{Title: sec.title, Note: sec.note}
		for _, o := range sec.os {
			s.Items = append(s.Items, outcomeItem(o, budget.draw(o.Status != check.Pass && o.Trace != nil)))
		}
		sortItems(sec.id, s.Items)
		p.Sections = append(p.Sections, s)
	}
	return p
}

func runFacts(r Run) []Fact {
	var out []Fact
	if r.Source != "" {
		out = append(out, Fact{Name: "network", Value: r.Source})
	}
	if r.Command != "" {
		out = append(out, Fact{Name: "command", Value: r.Command, Code: true})
	}
	return out
}

// outcomeItem is one requirement from one source.
func outcomeItem(o check.Outcome, draw PictureFunc) Item {
	it := Item{Status: string(o.Status), Class: statusClass(string(o.Status)), Title: o.Name, Detail: o.Detail}
	var sub []string
	if o.SourceSubnet != "" {
		sub = append(sub, "from "+o.SourceSubnet)
	}
	if ports := strings.TrimSpace(o.Protocol + " " + o.Ports.String()); ports != "" {
		sub = append(sub, ports)
	}
	it.Subtitle = strings.Join(sub, " · ")
	add := adder(&it.Fields)
	add("blocking rule", o.Rule, true)
	add("from", o.From, false)
	add("to", o.To, false)
	add("expect", o.Expect, false)
	source := o.Source
	if n := len(o.SharedBy); n > 1 {
		source += fmt.Sprintf(" (and %d more sharing its subnet and groups: %s)", n-1, strings.Join(o.SharedBy[1:], ", "))
	}
	add("source checked", source, false)
	add("severity", o.Severity, false)
	add("why", o.Why, false)
	if t := o.Trace; t != nil {
		it.Paths = paths(*t)
		if o.Status != check.Pass {
			it.Picture = picture(draw, *t)
		}
		if len(t.Findings) > 0 {
			it.Lists = append(it.Lists, List{Title: "Findings", Items: t.Findings})
		}
		if len(t.Assumptions) > 0 {
			it.Lists = append(it.Lists, List{Title: "Assumptions", Items: t.Assumptions})
		}
	}
	it.Fix = fix(o.Fix, o.FixSource)
	if o.Status != check.Pass {
		it.Where = where(o.Trace)
		if it.Fix != nil && o.Status == check.Unknown {
			it.Fix.Title = "What would decide it"
		}
	}
	return it
}
