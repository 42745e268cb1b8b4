package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/cfn"
)

// templateOptions are --template and its parameters.
type templateOptions struct {
	file       string
	params     []string
	paramsFile string
}

func (o *templateOptions) bind(c *cobra.Command) {
	c.Flags().StringVar(&o.file, "template", "", "CloudFormation template (YAML or JSON): the network the stack builds; with --snapshot, built over it")
	c.Flags().StringArrayVar(&o.params, "template-param", nil, "template parameter KEY=VALUE (repeatable); also pseudo parameters (AWS::Region=...) and imported exports (import:NAME=...)")
	c.Flags().StringVar(&o.paramsFile, "template-params", "", "template parameters file, as create-stack --parameters file:// takes it: [{\"ParameterKey\": ..., \"ParameterValue\": ...}]")
}

// options are the parameter values: the file's, then --template-param.
func (o *templateOptions) options() (cfn.Options, error) {
	opts := cfn.Options{Params: map[string]string{}}
	if o.paramsFile != "" {
		p, err := cfn.ParamsFile(o.paramsFile)
		if err != nil {
			return opts, &exitCodeError{code: exitError, msg: "--template-params " + err.Error()}
		}
		opts.Params = p
	}
	for _, kv := range o.params {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return opts, &exitCodeError{code: exitError, msg: fmt.Sprintf("--template-param %q: want KEY=VALUE", kv)}
		}
		opts.Params[k] = v
	}
	return opts, nil
}

// loadTemplate reads --template: the stack's network alone, or, with
// another source, built over it.
func (o *sourceOptions) loadTemplate(errOut io.Writer) (*model.Model, error) {
	opts, err := o.template.options()
	if err != nil {
		return nil, err
	}
	t, err := cfn.Load(o.template.file, opts)
	if err != nil {
		return nil, err
	}
	var m *model.Model
	if o.snapshot != "" || o.example != "" || o.live() {
		under := *o
		under.template.file = ""
		base, err := under.load(errOut)
		if err != nil {
			return nil, err
		}
		m, err = cfn.Overlay(base, t)
		if err != nil {
			return nil, err
		}
	} else if m, err = t.Model(); err != nil {
		return nil, err
	}
	if !o.quiet {
		for _, w := range t.Warnings {
			fmt.Fprintln(errOut, "vpcpath: warning: "+w.String())
		}
	}
	return m, nil
}
