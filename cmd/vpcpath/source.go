package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath"
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/awscollect"
	"github.com/vpcpath/vpcpath/model/snapshot"
)

// sourceOptions say where the network comes from; every command that reads
// a network takes them.
type sourceOptions struct {
	snapshot   string
	example    string
	awsProfile string
	regions    []string
	quiet      bool
	plan       string // a Terraform plan: alone, or applied over the other source (plan.go)
	template   templateOptions
	strict     bool
}

func (o *sourceOptions) bind(c *cobra.Command) {
	c.Flags().StringVar(&o.snapshot, "snapshot", "", "snapshot folder of AWS CLI describe-* JSON")
	c.Flags().StringVar(&o.example, "example", "", "use a bundled example network instead (see vpcpath examples)")
	c.Flags().StringVar(&o.awsProfile, "aws-profile", "", "collect the network live with this AWS profile instead of reading a snapshot (read-only calls)")
	c.Flags().StringSliceVar(&o.regions, "region", nil, "collect the network live in this region (repeatable); with --aws-profile or the standard credential chain")
	c.Flags().BoolVarP(&o.quiet, "quiet", "q", false, "do not print load warnings, nor live collection progress")
	c.Flags().StringVar(&o.plan, "plan", "", "Terraform plan JSON (terraform show -json plan.out): the network after apply; with --snapshot, applied over it")
	o.template.bind(c) // template.go
	c.Flags().BoolVar(&o.strict, "strict", false, "treat a dangling reference in the snapshot as an error (exit 2) instead of a warning")
	o.bindCompletion(c)
}

func (o *sourceOptions) live() bool { return o.awsProfile != "" || len(o.regions) > 0 }

func (o *sourceOptions) validate() error {
	n := 0
	for _, set := range []bool{o.snapshot != "", o.example != "", o.live()} {
		if set {
			n++
		}
	}
	switch {
	case n > 1:
		return errors.New("give one of --snapshot, --example or --region/--aws-profile (live collection)")
	case o.plan != "" && o.template.file != "":
		return errors.New("give --plan or --template, not both")
	case n == 0 && o.plan == "" && o.template.file == "":
		return errors.New("no network: give --snapshot DIR, --example NAME, or --region R to collect it live")
	}
	return nil
}

// collectToTempDir collects the network live (a variable so a test can
// make what it writes fail to load).
var collectToTempDir = awscollect.CollectToTempDir

// load reads the network and prints load warnings to errOut.
func (o *sourceOptions) load(errOut io.Writer) (*model.Model, error) {
	if o.plan != "" {
		return o.loadPlan(errOut)
	}
	if o.template.file != "" {
		return o.loadTemplate(errOut)
	}
	var m *model.Model
	var warns []snapshot.Warning
	var err error
	if o.live() {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		var progress io.Writer // -q: no progress lines either
		if !o.quiet {
			progress = errOut
		}
		dir, cleanup, cerr := collectToTempDir(ctx, awscollect.Options{Profile: o.awsProfile, Regions: o.regions, Progress: progress})
		defer cleanup()
		if cerr != nil {
			return nil, cerr
		}
		m, warns, err = snapshot.LoadDir(dir)
	} else if o.example != "" {
		fsys, ferr := vpcpath.Example(o.example)
		if ferr != nil {
			return nil, ferr
		}
		m, warns, err = snapshot.LoadFS(fsys, "example:"+o.example)
	} else {
		m, warns, err = snapshot.LoadDir(o.snapshot)
	}
	if err != nil {
		return nil, err
	}
	if o.strict && len(m.Dangling) > 0 {
		d := m.Dangling[0]
		more := ""
		if len(m.Dangling) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(m.Dangling)-1)
		}
		return nil, fmt.Errorf("%s: %s: %s is not among the snapshot's %s (dangling reference)%s", d.Origin, d.Field, d.ID, d.Kind, more)
	}
	if !o.quiet {
		for _, w := range warns {
			fmt.Fprintln(errOut, "vpcpath: warning: "+w.String())
		}
	}
	return m, nil
}
