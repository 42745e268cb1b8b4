package main

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/tfplan"
	"github.com/vpcpath/vpcpath/simulate/check"
	"github.com/vpcpath/vpcpath/simulate/diff"
	"github.com/vpcpath/vpcpath/simulate/render"
	"github.com/vpcpath/vpcpath/simulate/render/report"
)

type diffOptions struct {
	before        string
	beforeExample string
	after         string
	afterPlan     string
	afterTemplate templateOptions // template.go: a CloudFormation template built over --before
	profile       string
	intents       string
	params        []string
	output        string
	quiet         bool
	flow          flowOptions
	page          report.Run // what an HTML report says it answers
}

func newDiffCmd(s *streams) *cobra.Command {
	o := &diffOptions{}
	c := &cobra.Command{
		Use:   "diff (--before DIR | --before-example NAME) (--after-plan PLAN | --template FILE | --after DIR) [--profile NAME | --intents FILE]",
		Short: "What a change does to the network: requirements whose verdict changed, and reachability added or removed",
		Long: `Compare the network before and after a change: a Terraform plan applied
over a snapshot (--after-plan), a CloudFormation template built over it
(--template, with --stack-resources and --change-set for a stack update), or
a second snapshot (--after).

With --profile or --intents: the requirements whose verdict changed. Always:
the reachability that changed between every pair of (subnet, security groups)
combinations, on the protocols and port ranges their rules mention, as exact
port ranges, each naming the Terraform resource that caused it.

Exit codes: 0 nothing required broke, 1 a requirement got worse (a required
flow broke, or access the intents forbid appeared), 2 error.`,
		Example: `  terraform show -json plan.out > plan.json
  vpcpath diff --before snap --after-plan plan.json --profile databricks-privatelink --output markdown
  vpcpath diff --before snap-monday --after snap-tuesday`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if (o.before == "") == (o.beforeExample == "") {
				return errors.New("give --before DIR or --before-example NAME (one of them)")
			}
			n := 0
			for _, set := range []bool{o.after != "", o.afterPlan != "", o.afterTemplate.file != ""} {
				if set {
					n++
				}
			}
			if n != 1 {
				return errors.New("give --after-plan PLAN or --after DIR (one of them), or --template FILE")
			}
			if o.profile != "" && o.intents != "" {
				return errors.New("give --profile or --intents, not both")
			}
			switch o.output {
			case "text", "json", "markdown", "html":
			default:
				return errors.New("--output: want text, json, markdown or html, not " + o.output)
			}
			o.page = report.Run{Command: commandLine(c)}
			return runDiff(s, o)
		},
	}
	c.Flags().StringVar(&o.before, "before", "", "snapshot folder of the network before the change")
	c.Flags().StringVar(&o.beforeExample, "before-example", "", "a bundled example as the network before the change")
	c.Flags().StringVar(&o.after, "after", "", "snapshot folder of the network after the change")
	c.Flags().StringVar(&o.afterPlan, "after-plan", "", "Terraform plan JSON (terraform show -json) applied over --before")
	o.afterTemplate.bind(c) // --template and its parameters: the stack built over --before
	c.Flags().StringVar(&o.profile, "profile", "", "built-in requirement profile (vpcpath profiles)")
	c.Flags().StringVar(&o.intents, "intents", "", "intent file (YAML)")
	c.Flags().StringArrayVar(&o.params, "param", nil, "profile parameter key=value (repeatable)")
	c.Flags().StringVarP(&o.output, "output", "o", "text", "text, json, markdown (a pull-request comment) or html (one self-contained page to share)")
	c.Flags().BoolVarP(&o.quiet, "quiet", "q", false, "do not print load warnings")
	o.flow.bind(c)
	mustComplete(c, "before", completeDirs)
	mustComplete(c, "after", completeDirs)
	mustComplete(c, "before-example", completeExamples)
	mustComplete(c, "after-plan", completeFiles("json"))
	o.afterTemplate.bindCompletion(c)
	mustComplete(c, "profile", completeProfiles)
	mustComplete(c, "intents", completeFiles("yaml", "yml"))
	before := func() *model.Model {
		src := sourceOptions{snapshot: o.before, example: o.beforeExample}
		return src.completionModel()
	}
	mustComplete(c, "param", completeParam(&o.profile, before))
	mustComplete(c, "endpoint-name", completeEndpointName(before))
	completeOutput(c, "text", "json", "markdown\ta pull-request comment", "html\ta self-contained page to share")
	return c
}

func runDiff(s *streams, o *diffOptions) error {
	opts, err := o.flow.options()
	if err != nil {
		return err
	}
	src := sourceOptions{snapshot: o.before, example: o.beforeExample, quiet: o.quiet}
	before, err := src.load(s.ErrOut)
	if err != nil {
		return err
	}
	var after *model.Model
	var causes []diff.Cause
	afterName := o.after
	if o.afterPlan != "" {
		afterName = o.afterPlan
		p, err := tfplan.Load(o.afterPlan)
		if err != nil {
			return err
		}
		if after, err = tfplan.Overlay(before, p); err != nil {
			return err
		}
		if !o.quiet {
			for _, w := range p.Warnings {
				fmt.Fprintln(s.ErrOut, "vpcpath: warning: "+w.String())
			}
		}
		for _, c := range p.Changes() {
			causes = append(causes, diff.Cause{Address: c.Address, Verb: c.Verb, IDs: c.IDs, Ports: diff.BoundsOf(c.Ports)})
		}
	} else if o.afterTemplate.file != "" {
		afterName = o.afterTemplate.file
		if after, err = loadTemplateOver(before, o.afterTemplate, o.quiet, s.ErrOut); err != nil {
			return err
		}
	} else {
		as := sourceOptions{snapshot: o.after, quiet: o.quiet}
		if after, err = as.load(s.ErrOut); err != nil {
			return err
		}
	}
	rep := diff.Report{SchemaVersion: diff.SchemaVersion, Before: o.before + o.beforeExample, After: afterName, Profile: o.profile,
		Requirements: []diff.VerdictChange{}, Plan: causes}
	if rep.Plan == nil {
		rep.Plan = []diff.Cause{}
	}
	if refused := newRefusals(before, after); len(refused) > 0 {
		rep.Requirements = diff.Requirements(nil, refused, causes)
		for i, v := range rep.Requirements {
			rep.Requirements[i].Causes = refusalCause(v)
		}
		rep.Broken, rep.AfterRefused = true, true
		rep.Reachability = []diff.Change{}
		return o.write(s, rep, after)
	}
	if o.intents != "" {
		// A selector must name something before or after the change.
		f, _, _, err := requirements(before, "", nil, o.intents)
		if err == nil {
			err = after.Suggest(f.Unmatched(before, after))
		}
		if err != nil {
			return err
		}
	}
	if o.profile != "" || o.intents != "" {
		ob, notes, err := o.outcomes(before, opts, nil)
		if err != nil {
			return err
		}
		// The profile's parameters are discovered before the change and
		// kept for after it (the output says which).
		var keep []string
		if o.profile != "" {
			p, _ := check.ProfileByName(o.profile)
			found := p.Discovered(notes)
			for _, k := range model.SortedKeys(found) {
				if gone := missingIDs(after, found[k]); gone != "" {
					// The change replaced or deleted what it named: the
					// after side discovers it again.
					rep.Rediscovered = append(rep.Rediscovered, k+" ("+gone+" is gone)")
					continue
				}
				keep = append(keep, k+"="+found[k])
			}
			rep.Kept = keep
		}
		oa, _, err := o.outcomes(after, opts, keep)
		if err != nil {
			// The network after the change no longer holds what the
			// profile is about: that is the change's failure.
			oa = []check.Outcome{{Name: "profile " + o.profile, Section: "functional", Status: check.Fail, Detail: err.Error()}}
		}
		rep.Requirements = diff.Requirements(ob, oa, causes)
		for _, v := range rep.Requirements {
			rep.Broken = rep.Broken || v.Worse
		}
	}
	rep.Reachability = diff.Reachability(before, after, causes, opts)
	if rep.Reachability == nil {
		rep.Reachability = []diff.Change{}
	}
	return o.write(s, rep, after)
}

func (o *diffOptions) write(s *streams, rep diff.Report, after *model.Model) error {
	var err error
	switch o.output {
	case "json":
		err = render.JSON(s.Out, rep)
	case "markdown":
		err = diffMarkdown(s.Out, rep)
	case "html":
		err = report.Diff(s.Out, rep, report.Options{Run: o.page, Picture: reportPicture(after)})
	default:
		err = diffText(s.Out, rep)
	}
	if err != nil {
		return err
	}
	if rep.Broken {
		return finding()
	}
	return nil
}

// newRefusals is what AWS would refuse in the network after the change
// and not before (a snapshot of a real network has nothing AWS refused;
// what the loader cannot judge on both sides is not the change's doing).
func newRefusals(before, after *model.Model) []check.Outcome {
	old := map[string]bool{}
	for _, o := range refusedOutcomes(before) {
		old[o.Name+"\x00"+o.Detail] = true
	}
	var out []check.Outcome
	for _, o := range refusedOutcomes(after) {
		if !old[o.Name+"\x00"+o.Detail] {
			out = append(out, o)
		}
	}
	return out
}

// outcomes runs the requirement set on one network; a profile discovers
// in that network the parameters neither --param nor keep gives.
func (o *diffOptions) outcomes(m *model.Model, opts check.Options, keep []string) ([]check.Outcome, []string, error) {
	f, shape, notes, err := requirements(m, o.profile, append(append([]string{}, o.params...), keep...), o.intents)
	if err != nil {
		return nil, nil, err
	}
	outs := append(check.Run(m, f, opts), shape...)
	annotateSources(m, outs)
	return outs, notes, nil
}

func diffText(w io.Writer, r diff.Report) error {
	fmt.Fprintf(w, "DIFF     %s -> %s\n", r.Before, r.After)
	if len(r.Kept) > 0 {
		fmt.Fprintf(w, "PARAMS   discovered before the change, kept after it: %s\n", strings.Join(r.Kept, " "))
	}
	if len(r.Rediscovered) > 0 {
		fmt.Fprintf(w, "PARAMS   discovered again after the change: %s\n", strings.Join(r.Rediscovered, "; "))
	}
	if len(r.Plan) > 0 {
		fmt.Fprintln(w, "\nPLAN")
		for _, c := range r.Plan {
			fmt.Fprintf(w, "  %s\n", c.String())
		}
	}
	if r.Profile != "" || len(r.Requirements) > 0 {
		fmt.Fprintln(w, "\nREQUIREMENTS")
		if len(r.Requirements) == 0 {
			fmt.Fprintln(w, "  no verdict changed")
		}
		for _, v := range r.Requirements {
			fmt.Fprintf(w, "  %s -> %s  %s", v.Before, v.After, v.Name)
			if v.Source != "" {
				fmt.Fprintf(w, " from %s", v.Source)
			}
			if len(v.Ports) > 0 {
				fmt.Fprintf(w, " %s", v.Ports)
			}
			if len(v.Causes) > 0 {
				fmt.Fprintf(w, ", by %s", strings.Join(v.Causes, " and "))
			}
			fmt.Fprintln(w)
			if v.Detail != "" {
				fmt.Fprintf(w, "      %s\n", v.Detail)
			}
		}
	}
	if r.AfterRefused {
		fmt.Fprintln(w, "\nthe network after the change cannot exist: AWS would refuse what is listed above, so no flow was compared")
	}
	if !r.AfterRefused {
		fmt.Fprintln(w, "\nREACHABILITY")
	}
	if len(r.Reachability) == 0 && !r.AfterRefused {
		fmt.Fprintln(w, "  no change")
	}
	for _, c := range r.Reachability {
		fmt.Fprintf(w, "  %s\n", c.Line())
		fmt.Fprintf(w, "      %s", strings.Join(c.Pairs, "; "))
		if c.Blocked != "" {
			fmt.Fprintf(w, "; now blocked at %s", c.Blocked)
		}
		fmt.Fprintln(w)
		if c.Path != "" {
			fmt.Fprintf(w, "      path: %s\n", c.Path)
		}
	}
	verdict := "OK       nothing required broke"
	if r.Broken {
		verdict = "BROKEN   a requirement got worse"
	}
	fmt.Fprintf(w, "\n%s\n", verdict)
	return nil
}

func diffMarkdown(w io.Writer, r diff.Report) error {
	head := "### vpcpath: no required flow breaks"
	if r.Broken {
		head = "### vpcpath: this change breaks a required flow"
	}
	fmt.Fprintf(w, "%s\n\n`%s` → `%s`\n", head, r.Before, r.After)
	if len(r.Kept) > 0 {
		fmt.Fprintf(w, "\nProfile parameters discovered before the change and kept after it: `%s`\n", strings.Join(r.Kept, "` `"))
	}
	if r.Profile != "" || len(r.Requirements) > 0 {
		fmt.Fprintln(w, "\n#### Requirements whose verdict changed")
		if len(r.Requirements) == 0 {
			fmt.Fprintln(w, "\nNone.")
		} else {
			fmt.Fprintln(w, "\n| before | after | requirement | from | ports | caused by |")
			fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- |")
			for _, v := range r.Requirements {
				name := v.Name
				if v.Section == "refused" {
					name += ": " + v.Detail // what AWS refuses is in the message
				}
				fmt.Fprintf(w, "| %s | **%s** | %s | %s | %s | %s |\n", v.Before, v.After, mdCell(name), mdCell(v.Source), mdCell(v.Ports.String()), mdCell(codeList(v.Causes)))
			}
		}
	}
	if r.AfterRefused {
		fmt.Fprintln(w, "\nThe network after the change cannot exist: AWS would refuse what is listed above, so no flow was compared.")
	}
	if r.AfterRefused {
		return nil
	}
	fmt.Fprintln(w, "\n#### Reachability")
	if len(r.Reachability) == 0 {
		fmt.Fprintln(w, "\nNo change.")
	} else {
		fmt.Fprintln(w, "\n| change | from | to | protocol | ports | caused by |")
		fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- |")
		for _, c := range r.Reachability {
			kind := c.Kind
			if c.Path != "" {
				kind += ": " + mdCell(c.Path)
			}
			fmt.Fprintf(w, "| %s | `%s` | `%s` | %s | %s | %s |\n", kind, c.From, c.To, c.Protocol, c.Ports, mdCell(codeList(c.Causes)))
		}
	}
	return nil
}

func codeList(l []string) string {
	var out []string
	for _, s := range l {
		verb, addr, ok := strings.Cut(s, " ")
		if ok {
			out = append(out, verb+" `"+addr+"`")
		} else {
			out = append(out, s)
		}
	}
	return strings.Join(out, ", ")
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// missingIDs names the resource IDs among a parameter's comma-separated
// values that m does not hold ("" when all are there, or none is an ID).
func missingIDs(m *model.Model, value string) string {
	var gone []string
	for _, v := range strings.Split(value, ",") {
		var ok bool
		switch {
		case strings.HasPrefix(v, "vpc-"):
			ok = m.VPCs[v] != nil
		case strings.HasPrefix(v, "subnet-"):
			ok = m.Subnets[v] != nil
		case strings.HasPrefix(v, "sg-"):
			ok = m.SecurityGroups[v] != nil
		case strings.HasPrefix(v, "vpce-"):
			ok = m.Endpoints[v] != nil
		default:
			ok = true
		}
		if !ok {
			gone = append(gone, v)
		}
	}
	return strings.Join(gone, ",")
}

// sourceTagRE finds the source tag of a refusal ("[terraform: aws_route.a]").
var sourceTagRE = regexp.MustCompile(`\[[a-z]+: ([^\]]+)\]$`)

// refusalCause is the change that writes what AWS refuses: the plan
// change of the refused value's own resource, when the plan has it (the
// other resources a refusal's message names are not its cause).
func refusalCause(v diff.VerdictChange) []string {
	m := sourceTagRE.FindStringSubmatch(v.Detail)
	if m == nil {
		return v.Causes
	}
	for _, c := range v.Causes {
		if _, addr, _ := strings.Cut(c, " "); addr == m[1] {
			return []string{c}
		}
	}
	return v.Causes
}
