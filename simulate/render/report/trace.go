package report

import (
	"io"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/simulate"
)

// Trace writes one trace as a page: the verdict and the flow, the path
// picture, the fix, then the forward and return hops.
func Trace(w io.Writer, res simulate.Result, opts Options) error {
	return Write(w, TracePage(res, opts))
}

// verdictClass is the filter class of a trace verdict.
func verdictClass(v simulate.Verdict) string {
	switch v {
	case simulate.Reachable:
		return "pass"
	case simulate.Blocked, simulate.Invalid:
		return "fail"
	}
	return "unknown"
}

// TracePage builds the page of one trace.
func TracePage(res simulate.Result, opts Options) Page {
	f := res.Flow
	what := f.Protocol.String()
	if f.Port != "" {
		what += "/" + f.Port
	}
	p := Page{Kind: "trace", Title: "vpcpath trace: " + f.From + " → " + f.To + " " + what,
		Verdict: strings.ToUpper(string(res.Verdict)), Class: verdictClass(res.Verdict)}
	switch b := res.BlockedBy; {
	case res.Verdict == simulate.Invalid:
		p.Lead = "AWS would refuse this network as described: no flow was traced."
	case b != nil:
		where := "Blocked at "
		if res.Verdict == simulate.Unknown {
			where = "The model stops knowing at "
		}
		if b.Return {
			where += "the return path's "
		}
		p.Lead = where + string(b.Component) + " " + b.ID + ": " + b.Reason
	default:
		p.Lead = "The packet gets there and the reply gets back."
	}
	add := adder(&p.Facts)
	add("from", joinNonEmpty(f.From, f.SrcENI, f.SrcIP), true)
	add("to", joinNonEmpty(f.To, f.DstENI, f.DstIP), true)
	add("protocol", what, false)
	add("replies to", f.Ephemeral, false)
	if b := res.BlockedBy; b != nil {
		add("blocking rule", b.Rule, true)
	}
	if len(res.Segments) > 0 {
		add("ports", simulate.SegmentSummary(res.Segments), false)
	}
	p.Facts = append(p.Facts, runFacts(opts.Run)...)
	if res.Verdict != simulate.Invalid {
		p.Picture = picture(opts.Picture, res)
	}
	p.Fix = fix(res.Fix, res.FixSource)
	if p.Fix != nil && res.Verdict == simulate.Unknown {
		p.Fix.Title = "What would decide it"
	}
	if len(res.Findings) > 0 {
		p.Notes = append(p.Notes, List{Title: "Findings", Items: res.Findings})
	}
	if len(res.Assumptions) > 0 {
		p.Notes = append(p.Notes, List{Title: "Assumptions", Items: res.Assumptions})
	}
	if res.Verdict == simulate.Invalid {
		s := Section{Title: "Refused by AWS"}
		for _, pr := range res.Refused {
			it := Item{Status: "REFUSED", Class: "fail", Title: pr.Code + ": " + pr.ID + " " + pr.Attribute, Detail: pr.Msg}
			if pr.Source != "" {
				it.Fields = append(it.Fields, Fact{Name: "written in", Value: pr.Source, Code: true})
			}
			s.Items = append(s.Items, it)
			p.count("refused", "fail")
		}
		sortItems("refused", s.Items)
		p.Sections = append(p.Sections, s)
		return p
	}
	path := Item{Status: p.Verdict, Class: p.Class, Title: "Hops", Subtitle: hopCount(res), Open: true, Paths: paths(res)}
	p.Sections = append(p.Sections, Section{Title: "Path", Items: []Item{path}})
	sortItems("path", p.Sections[0].Items)
	if len(res.Segments) > 0 {
		s := Section{Title: "Ports", Note: "The port range splits into runs with one outcome each."}
		for _, seg := range res.Segments {
			it := Item{Status: strings.ToUpper(string(seg.Verdict)), Class: verdictClass(seg.Verdict), Title: f.Protocol.String() + "/" + seg.Ports.String()}
			if b := seg.BlockedBy; b != nil {
				it.Detail = string(b.Component) + " " + b.ID + ": " + b.Reason
				if b.Rule != "" {
					it.Fields = append(it.Fields, Fact{Name: "rule", Value: b.Rule, Code: true})
				}
			}
			it.Fix = fix(seg.Fix, nil)
			if it.Fix != nil && seg.Verdict == simulate.Unknown {
				it.Fix.Title = "What would decide it"
			}
			s.Items = append(s.Items, it)
		}
		sortItems("ports", s.Items)
		p.Sections = append(p.Sections, s)
	}
	if len(res.Targets) > 0 {
		s := Section{Title: "Destination addresses", Note: "The destination has several addresses; the hops above are those of the first worst one."}
		for _, t := range res.Targets {
			it := Item{Status: strings.ToUpper(string(t.Verdict)), Class: verdictClass(t.Verdict), Title: joinNonEmpty(t.DstIP, t.DstENI)}
			if b := t.BlockedBy; b != nil {
				it.Detail = string(b.Component) + " " + b.ID + ": " + b.Reason
				if b.Return {
					it.Detail += " (return path)"
				}
			}
			s.Items = append(s.Items, it)
		}
		sortItems("target", s.Items)
		p.Sections = append(p.Sections, s)
	}
	for _, s := range p.Sections[1:] { // the port runs and addresses, not the path
		for _, it := range s.Items {
			p.count(strings.ToLower(it.Status), it.Class)
		}
	}
	return p
}

// count adds one item of class to the page's counts.
func (p *Page) count(label, class string) {
	for i := range p.Counts {
		if p.Counts[i].Label == label {
			p.Counts[i].N++
			return
		}
	}
	p.Counts = append(p.Counts, Count{Label: label, Class: class, N: 1})
}

func hopCount(res simulate.Result) string {
	s := strconv.Itoa(len(res.Hops)) + " forward"
	if len(res.ReturnHops) > 0 {
		s += ", " + strconv.Itoa(len(res.ReturnHops)) + " return"
	}
	return s
}

// joinNonEmpty joins the distinct non-empty values: "i-0a… eni-0a… 10.0.1.5".
func joinNonEmpty(vs ...string) string {
	var out []string
	seen := map[string]bool{}
	for _, v := range vs {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	if len(out) <= 1 {
		return strings.Join(out, "")
	}
	return out[0] + " (" + strings.Join(out[1:], ", ") + ")"
}
