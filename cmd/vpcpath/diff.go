package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/tfplan"
	"github.com/vpcpath/vpcpath/simulate/check"
	"github.com/vpcpath/vpcpath/simulate/diff"
	"github.com/vpcpath/vpcpath/simulate/render"
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
			case "text", "json", "markdown":
			default:
				return errors.New("--output: want text, json or markdown, not " + o.output)
			}
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
	c.Flags().StringVarP(&o.output, "output", "o", "text", "text, json or markdown (a pull-request comment)")
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
	completeOutput(c, "text", "json", "markdown\ta pull-request comment")
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
			causes = append(causes, diff.Cause{Address: c.Address, Verb: c.Verb, IDs: c.IDs, Ports: c.Ports})
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
	rep := diff.Report{SchemaVersion: 1, Before: o.before + o.beforeExample, After: afterName, Profile: o.profile,
		Requirements: []diff.VerdictChange{}, Plan: causes}
	if rep.Plan == nil {
		rep.Plan = []diff.Cause{}
	}
	if o.profile != "" || o.intents != "" {
		ob, err := o.outcomes(before, opts)
		if err != nil {
			return err
		}
		oa, err := o.outcomes(after, opts)
		if err != nil {
			return err
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
	switch o.output {
	case "json":
		err = render.JSON(s.Out, rep)
	case "markdown":
		err = diffMarkdown(s.Out, rep)
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

// outcomes runs the requirement set on one network; a profile discovers
// its parameters in that network.
func (o *diffOptions) outcomes(m *model.Model, opts check.Options) ([]check.Outcome, error) {
	f, shape, _, err := requirements(m, o.profile, o.params, o.intents)
	if err != nil {
		return nil, err
	}
	outs := append(check.Run(m, f, opts), shape...)
	annotateSources(m, outs)
	return outs, nil
}

func diffText(w io.Writer, r diff.Report) error {
	fmt.Fprintf(w, "DIFF     %s -> %s\n", r.Before, r.After)
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
			if v.Ports != "" {
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
	fmt.Fprintln(w, "\nREACHABILITY")
	if len(r.Reachability) == 0 {
		fmt.Fprintln(w, "  no change")
	}
	for _, c := range r.Reachability {
		fmt.Fprintf(w, "  %s\n", c.Line())
		fmt.Fprintf(w, "      %s", strings.Join(c.Pairs, "; "))
		if c.Blocked != "" {
			fmt.Fprintf(w, "; now blocked at %s", c.Blocked)
		}
		fmt.Fprintln(w)
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
	if r.Profile != "" || len(r.Requirements) > 0 {
		fmt.Fprintln(w, "\n#### Requirements whose verdict changed")
		if len(r.Requirements) == 0 {
			fmt.Fprintln(w, "\nNone.")
		} else {
			fmt.Fprintln(w, "\n| before | after | requirement | from | ports | caused by |")
			fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- |")
			for _, v := range r.Requirements {
				fmt.Fprintf(w, "| %s | **%s** | %s | %s | %s | %s |\n", v.Before, v.After, mdCell(v.Name), mdCell(v.Source), mdCell(v.Ports), mdCell(codeList(v.Causes)))
			}
		}
	}
	fmt.Fprintln(w, "\n#### Reachability")
	if len(r.Reachability) == 0 {
		fmt.Fprintln(w, "\nNo change.")
	} else {
		fmt.Fprintln(w, "\n| change | from | to | protocol | ports | caused by |")
		fmt.Fprintln(w, "| --- | --- | --- | --- | --- | --- |")
		for _, c := range r.Reachability {
			fmt.Fprintf(w, "| %s | `%s` | `%s` | %s | %s | %s |\n", c.Kind, c.From, c.To, c.Protocol, c.Ports, mdCell(codeList(c.Causes)))
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
