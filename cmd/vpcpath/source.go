package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath"
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/snapshot"
)

// sourceOptions say where the network comes from; every command that reads
// a network takes them.
type sourceOptions struct {
	snapshot string
	example  string
	quiet    bool
}

func (o *sourceOptions) bind(c *cobra.Command) {
	c.Flags().StringVar(&o.snapshot, "snapshot", "", "snapshot folder of AWS CLI describe-* JSON")
	c.Flags().StringVar(&o.example, "example", "", "use a bundled example network instead (see vpcpath examples)")
	c.Flags().BoolVarP(&o.quiet, "quiet", "q", false, "do not print load warnings")
}

func (o *sourceOptions) validate() error {
	switch {
	case o.snapshot != "" && o.example != "":
		return &exitCodeError{code: exitError, msg: "give --snapshot or --example, not both"}
	case o.snapshot == "" && o.example == "":
		return &exitCodeError{code: exitError, msg: "no network: give --snapshot DIR or --example NAME"}
	}
	return nil
}

// load reads the network and prints load warnings to errOut.
func (o *sourceOptions) load(errOut io.Writer) (*model.Model, error) {
	var m *model.Model
	var warns []snapshot.Warning
	var err error
	if o.example != "" {
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
	if !o.quiet {
		for _, w := range warns {
			fmt.Fprintln(errOut, "vpcpath: warning: "+w.String())
		}
	}
	return m, nil
}
