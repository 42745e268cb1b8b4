package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath/probe"
	"github.com/vpcpath/vpcpath/simulate/render"
)

type validateOptions struct {
	src       sourceOptions
	report    string
	ephemeral string
	output    string
}

func newValidateCmd(s *streams) *cobra.Command {
	o := &validateOptions{}
	c := &cobra.Command{
		Use:   "validate (--snapshot DIR | --example NAME) --report report.json",
		Short: "Compare what a probe saw with what the model predicts, and explain every disagreement",
		Long: `Find the probe's interface in the model by its address, re-run the simulator
for every check of the report, and sort each into: agree; predicted
reachable but dropped; predicted blocked but open; DNS answered otherwise
than modelled (or inconclusive: the model cannot tell, or the probe could
not check). Each disagreement comes with its likely causes: outside the
model (a host firewall, an appliance behind a transit gateway, an
on-premises resolver), the snapshot is stale (re-collect), or the model is
wrong (report it).

Exit codes: 0 all agree, 1 any disagreement, 2 error.`,
		Example: `  vpcpath validate --snapshot snap --report report.json
  vpcpath validate --snapshot snap --report report.json -o json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.src.validate(); err != nil {
				return err
			}
			if o.report == "" {
				return errors.New("--report FILE is required")
			}
			if o.output != "text" && o.output != "json" {
				return errors.New("--output: want text or json, not " + o.output)
			}
			return runValidate(s, o)
		},
	}
	o.src.bind(c)
	c.Flags().StringVar(&o.report, "report", "", "report written by vpcpath probe")
	c.Flags().StringVar(&o.ephemeral, "ephemeral", "linux", "client ephemeral ports: linux, windows, nat or A-B")
	c.Flags().StringVarP(&o.output, "output", "o", "text", "text or json")
	mustComplete(c, "report", completeFiles("json"))
	mustComplete(c, "ephemeral", fixed(ephemeralValues...))
	completeOutput(c, "text", "json")
	return c
}

func runValidate(s *streams, o *validateOptions) error {
	data, err := os.ReadFile(o.report)
	if err != nil {
		return err
	}
	var rep probe.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return fmt.Errorf("%s: %w", o.report, err)
	}
	if rep.Kind != "vpcpath-probe-report" || (rep.SchemaVersion < probe.MinReadVersion || rep.SchemaVersion > probe.SchemaVersion) {
		return fmt.Errorf("%s is not a vpcpath probe report of schema_version %d to %d", o.report, probe.MinReadVersion, probe.SchemaVersion)
	}
	eph, ephName, err := parseEphemeral(o.ephemeral)
	if err != nil {
		return err
	}
	m, err := o.src.load(s.ErrOut)
	if err != nil {
		return err
	}
	v, err := probe.Validate(m, &rep, eph, ephName)
	if err != nil {
		return err
	}
	if o.output == "json" {
		err = render.JSON(s.Out, v)
	} else {
		err = probe.WriteText(s.Out, v)
	}
	if err != nil {
		return err
	}
	if v.Disagreements() > 0 {
		return finding()
	}
	return nil
}
