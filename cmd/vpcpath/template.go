package main

import (
	"errors"
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
	resources  string // describe-stack-resources of the deployed stack
	changeSet  string // describe-change-set of an update
}

func (o *templateOptions) bind(c *cobra.Command) {
	c.Flags().StringVar(&o.file, "template", "", "CloudFormation template (YAML or JSON): the network the stack builds; with --snapshot, built over it")
	c.Flags().StringArrayVar(&o.params, "template-param", nil, "template parameter KEY=VALUE (repeatable); also pseudo parameters (AWS::Region=...) and imported exports (import:NAME=...)")
	c.Flags().StringVar(&o.resources, "stack-resources", "", "the deployed stack's resources (aws cloudformation describe-stack-resources JSON): with --template and a snapshot of the stack, the template is the stack's update and keeps its physical IDs")
	c.Flags().StringVar(&o.changeSet, "change-set", "", "the update's change set (aws cloudformation describe-change-set JSON): its removals and replacements apply; with --stack-resources")
	c.Flags().StringVar(&o.paramsFile, "template-params", "", "template parameters file, as create-stack --parameters file:// takes it: [{\"ParameterKey\": ..., \"ParameterValue\": ...}]")
}

// options are the parameter values: the file's, then --template-param.
func (o *templateOptions) options() (cfn.Options, error) {
	opts := cfn.Options{Params: map[string]string{}}
	if o.paramsFile != "" {
		p, err := cfn.ParamsFile(o.paramsFile)
		if err != nil {
			return opts, fmt.Errorf("--template-params %w", err)
		}
		opts.Params = p
	}
	for _, kv := range o.params {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return opts, fmt.Errorf("--template-param %q: want KEY=VALUE", kv)
		}
		opts.Params[k] = v
	}
	if o.changeSet != "" && o.resources == "" {
		return opts, errors.New("--change-set needs --stack-resources (describe-change-set lists only what changes)")
	}
	if o.resources != "" {
		phys, err := cfn.StackResourcesFile(o.resources)
		if err != nil {
			return opts, fmt.Errorf("--stack-resources %w", err)
		}
		opts.Stack = &cfn.Stack{Physical: phys}
		if o.changeSet != "" {
			if err := opts.Stack.ChangeSetFile(o.changeSet); err != nil {
				return opts, fmt.Errorf("--change-set %w", err)
			}
		}
	}
	return opts, nil
}

// loadTemplateOver builds the template's stack over base (diff's after
// side).
func loadTemplateOver(base *model.Model, o templateOptions, quiet bool, errOut io.Writer) (*model.Model, error) {
	opts, err := o.options()
	if err != nil {
		return nil, err
	}
	t, err := cfn.Load(o.file, opts)
	if err != nil {
		return nil, err
	}
	m, err := cfn.Overlay(base, t)
	if err != nil {
		return nil, err
	}
	if !quiet {
		for _, w := range t.Warnings {
			fmt.Fprintln(errOut, "vpcpath: warning: "+w.String())
		}
	}
	return m, nil
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
	} else if opts.Stack != nil {
		return nil, errors.New("--stack-resources needs the network the stack is in: give --snapshot, --example or --region too")
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
