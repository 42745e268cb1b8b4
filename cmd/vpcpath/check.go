package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/check"
	"github.com/vpcpath/vpcpath/simulate/render"
	"github.com/vpcpath/vpcpath/simulate/render/report"
)

type checkOptions struct {
	src          sourceOptions
	flow         flowOptions
	profile      string
	intents      string
	params       []string
	printIntents bool
	output       string
	page         report.Run // what an HTML report says it answers
}

func newCheckCmd(s *streams) *cobra.Command {
	o := &checkOptions{}
	c := &cobra.Command{
		Use:   "check (--snapshot DIR | --example NAME) (--profile NAME [--param k=v ...] | --intents FILE)",
		Short: "Check a whole requirement set: PASS, FAIL or UNKNOWN for each flow, with the rule and the fix",
		Long: `Check a requirement set against the network: a built-in profile (see
vpcpath profiles) or an intent file (YAML, schema in simulate/check/intents.schema.json).
Each requirement is traced over its exact port ranges from every distinct
(subnet, security groups) combination of its sources.

Exit codes: 0 all pass, 1 any FAIL or UNKNOWN, 2 error.`,
		Example: `  vpcpath check --example databricks-privatelink --profile databricks-privatelink
  vpcpath check --snapshot ./snap --intents requirements.yaml --output junit > report.xml
  vpcpath check --example databricks-privatelink --profile databricks-privatelink --print-intents > requirements.yaml`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.src.validate(); err != nil {
				return err
			}
			if (o.profile == "") == (o.intents == "") {
				return errors.New("give --profile NAME or --intents FILE (one of them)")
			}
			if o.intents != "" && (len(o.params) > 0 || o.printIntents) {
				return errors.New("--param and --print-intents go with --profile, not --intents")
			}
			switch o.output {
			case "text", "json", "junit", "html":
			default:
				return errors.New("--output: want text, json, junit or html, not " + o.output)
			}
			o.page = reportRun(c, o.src)
			return runCheck(s, o)
		},
	}
	o.src.bind(c)
	o.flow.bind(c)
	c.Flags().StringVar(&o.profile, "profile", "", "built-in profile (vpcpath profiles lists them)")
	c.Flags().StringVar(&o.intents, "intents", "", "intent file (YAML)")
	c.Flags().StringArrayVar(&o.params, "param", nil, "profile parameter key=value (repeatable)")
	c.Flags().BoolVar(&o.printIntents, "print-intents", false, "print the profile as an intent file to copy and edit, and stop")
	c.Flags().StringVarP(&o.output, "output", "o", "text", "text, json, junit or html (one self-contained page to share)")
	mustComplete(c, "profile", completeProfiles)
	mustComplete(c, "intents", completeFiles("yaml", "yml"))
	mustComplete(c, "param", completeParam(&o.profile, o.src.completionModel))
	mustComplete(c, "endpoint-name", completeEndpointName(o.src.completionModel))
	completeOutput(c, "text", "json", "junit\tJUnit XML for CI", "html\ta self-contained page to share")
	return c
}

func runCheck(s *streams, o *checkOptions) error {
	opts, err := o.flow.options()
	if err != nil {
		return err
	}
	m, err := o.src.load(s.ErrOut)
	if err != nil {
		return err
	}
	f, shape, notes, err := requirements(m, o.profile, o.params, o.intents)
	if err != nil {
		return err
	}
	if o.intents != "" {
		if err := f.Unmatched(m); err != nil {
			return m.Suggest(err) // a mistake in the file, not an answer
		}
	}
	if o.printIntents {
		enc := yaml.NewEncoder(s.Out)
		enc.SetIndent(2)
		fmt.Fprintf(s.Out, "# vpcpath check --intents FILE: the flow requirements of profile %s\n", o.profile)
		if len(shape) > 0 {
			fmt.Fprintf(s.Out, "# (its %d static shape checks are not requirements and run only with --profile)\n", len(shape))
		}
		for _, n := range notes {
			fmt.Fprintf(s.Out, "# %s\n", n)
		}
		return enc.Encode(f)
	}
	// A network AWS would refuse to create cannot carry a flow: report
	// what it refuses, and nothing else.
	outcomes := refusedOutcomes(m)
	if len(outcomes) == 0 {
		outcomes = append(check.Run(m, f, opts), shape...)
	}
	annotateSources(m, outcomes) // plan.go: name the Terraform resource behind a failure
	for i, oc := range outcomes {
		outcomes[i].FixSource = simulate.SourceFixes(m, oc.Change)
	}
	rep := render.NewCheckReport(o.profile, notes, outcomes)
	switch o.output {
	case "json":
		err = render.JSON(s.Out, rep)
	case "junit":
		err = render.CheckJUnit(s.Out, rep)
	case "html":
		err = report.Check(s.Out, rep, report.Options{Run: o.page, Picture: reportPicture(m)})
	default:
		err = render.CheckText(s.Out, rep)
	}
	if err != nil {
		return err
	}
	if rep.Summary["FAIL"] > 0 || rep.Summary["UNKNOWN"] > 0 {
		return finding()
	}
	return nil
}

func newProfilesCmd(s *streams) *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "profiles",
		Short: "List the built-in requirement profiles and their parameters",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if output == "json" {
				return render.JSON(s.Out, check.Profiles())
			}
			for _, p := range check.Profiles() {
				fmt.Fprintf(s.Out, "%s\n  %s\n", p.Name, p.Doc)
				for _, prm := range p.Params {
					def := ""
					if prm.Default != "" {
						def = " (default " + prm.Default + ")"
					}
					fmt.Fprintf(s.Out, "    --param %s=...  %s%s\n", prm.Name, prm.Doc, def)
				}
				fmt.Fprintln(s.Out)
			}
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "text", "text or json")
	completeOutput(c, "text", "json")
	return c
}

// requirements loads what check, diff and probe-plan run: a built-in
// profile resolved on m with its --param key=value pairs (with its shape
// checks and how it discovered its parameters), or an intent file.
func requirements(m *model.Model, profile string, params []string, intents string) (*check.File, []check.Outcome, []string, error) {
	if profile == "" {
		data, err := os.ReadFile(intents)
		if err != nil {
			return nil, nil, nil, err
		}
		f, err := check.Parse(intents, data)
		return f, nil, nil, err
	}
	p, err := check.ProfileByName(profile)
	if err != nil {
		return nil, nil, nil, err
	}
	values := map[string]string{}
	for _, kv := range params {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, nil, nil, fmt.Errorf("--param %q: want key=value", kv)
		}
		values[k] = v
	}
	f, shape, notes, err := p.Build(m, values)
	var pe *check.ParamError
	var need *check.NeedParamError
	var unknown *check.UnknownParamError
	switch {
	case errors.As(err, &unknown):
		// Names, unlike IDs, share no shape: only those within half the
		// name's length in edits are suggestions.
		var near []string
		for _, n := range model.Nearest(unknown.Name, unknown.Known, 3) {
			if model.Levenshtein(unknown.Name, n) <= len(unknown.Name)/2 {
				near = append(near, n)
			}
		}
		if len(near) > 0 {
			err = fmt.Errorf("%w; nearest: %s", err, strings.Join(near, ", "))
		}
	case errors.As(err, &pe):
		err = m.Suggest(fmt.Errorf("--param %w", err))
	case errors.As(err, &need):
		give := fmt.Sprintf("give --param %s=%s", need.Name, need.Value)
		if need.Why != "" {
			give = need.Why + ": " + give
		}
		err = errors.New(give)
	}
	return f, shape, notes, err
}
