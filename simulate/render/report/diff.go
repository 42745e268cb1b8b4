package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcpath/vpcpath/simulate/diff"
)

// Diff writes a comparison as a page: whether a required flow broke, the
// requirements whose verdict changed (worse first), the reachability added,
// removed or rerouted, each with the change that caused it.
func Diff(w io.Writer, r diff.Report, opts Options) error {
	return Write(w, DiffPage(r, opts))
}

// DiffPage builds the page of a comparison.
func DiffPage(r diff.Report, opts Options) Page {
	p := Page{Kind: "diff", Title: "vpcpath diff: " + r.Before + " → " + r.After, Verdict: "OK", Class: "pass",
		Lead: "No required flow breaks."}
	if r.Broken {
		p.Verdict, p.Class, p.Lead = "BROKEN", "fail", "This change breaks a required flow."
	}
	if r.AfterRefused {
		p.Lead = "The network after the change cannot exist: AWS would refuse what is listed below, so no flow was compared."
	}
	add := adder(&p.Facts)
	add("before", r.Before, true)
	add("after", r.After, true)
	add("profile", r.Profile, false)
	p.Facts = append(p.Facts, runFacts(opts.Run)...)
	if len(r.Plan) > 0 {
		var l []string
		for _, c := range r.Plan {
			l = append(l, c.Verb+" "+c.Address)
		}
		p.Notes = append(p.Notes, List{Title: "Planned changes", Items: l})
	}
	if len(r.Kept) > 0 {
		p.Notes = append(p.Notes, List{Title: "Parameters discovered before the change, kept after it", Items: r.Kept})
	}
	if len(r.Rediscovered) > 0 {
		p.Notes = append(p.Notes, List{Title: "Parameters discovered again after the change", Items: r.Rediscovered})
	}
	budget := pictures{f: opts.Picture}
	worse, better := 0, 0
	if r.Profile != "" || len(r.Requirements) > 0 {
		s := Section{Title: "Requirements whose verdict changed"}
		if len(r.Requirements) == 0 {
			s.Note = "None."
		}
		for _, v := range r.Requirements {
			it := Item{Status: string(v.Before) + " → " + string(v.After), Class: "pass", Title: v.Name, Detail: v.Detail}
			if v.Before == "" {
				it.Status = string(v.After)
			}
			if v.Worse {
				it.Class = "fail"
				worse++
			} else {
				better++
			}
			var sub []string
			if v.Source != "" {
				sub = append(sub, "from "+v.Source)
			}
			if len(v.Ports) > 0 {
				sub = append(sub, v.Ports.String())
			}
			it.Subtitle = strings.Join(sub, " · ")
			if len(v.Causes) > 0 {
				it.Fields = append(it.Fields, Fact{Name: "caused by", Value: strings.Join(v.Causes, "; "), Code: true})
			}
			if v.PathChanged {
				it.Fields = append(it.Fields, Fact{Name: "path", Value: "the verdict stayed, the path changed"})
			}
			if v.Outcome != nil {
				// After the change: the hops, the rule and the fix.
				after := outcomeItem(*v.Outcome, budget.draw(v.Worse && v.Outcome.Trace != nil))
				if v.Outcome.Rule != "" {
					it.Fields = append(it.Fields, Fact{Name: "blocking rule", Value: v.Outcome.Rule, Code: true})
				}
				it.Picture, it.Fix, it.Lists, it.Where = after.Picture, after.Fix, after.Lists, after.Where
				for _, pa := range after.Paths {
					pa.Title += " after the change"
					it.Paths = append(it.Paths, pa)
				}
			}
			s.Items = append(s.Items, it)
		}
		sortItems("req", s.Items)
		p.Sections = append(p.Sections, s)
	}
	p.Counts = []Count{{"worse", "fail", worse}, {"better", "pass", better}}
	if !r.AfterRefused {
		s := Section{Title: "Reachability", Note: "Between every pair of subnet and security groups, on the ports their rules mention."}
		if len(r.Reachability) == 0 {
			s.Note = "No change."
		}
		n := map[string]int{}
		for _, c := range r.Reachability {
			class := strings.ToLower(c.Kind)
			n[class]++
			it := Item{Status: c.Kind, Class: class, Title: fmt.Sprintf("%s → %s", c.From, c.To),
				Subtitle: strings.TrimSpace(c.Protocol.String() + " " + c.Ports.String())}
			if len(c.Causes) > 0 {
				it.Fields = append(it.Fields, Fact{Name: "caused by", Value: strings.Join(c.Causes, "; "), Code: true})
			}
			if c.Blocked != "" {
				it.Fields = append(it.Fields, Fact{Name: "now blocked at", Value: c.Blocked, Code: true})
			}
			if c.Path != "" {
				it.Fields = append(it.Fields, Fact{Name: "path", Value: c.Path, Code: true})
			}
			if len(c.Pairs) > 0 {
				it.Lists = append(it.Lists, List{Title: "Subnet pairs", Items: c.Pairs})
			}
			s.Items = append(s.Items, it)
		}
		sortItems("reach", s.Items)
		p.Sections = append(p.Sections, s)
		p.Counts = append(p.Counts, Count{"removed", "removed", n["removed"]}, Count{"added", "added", n["added"]}, Count{"rerouted", "path", n["path"]})
	}
	return p
}
