package main

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/tfplan"
	"github.com/vpcpath/vpcpath/simulate/check"
)

// loadPlan reads --plan: the plan's network alone, or, with another
// source, the plan applied over it.
func (o *sourceOptions) loadPlan(errOut io.Writer) (*model.Model, error) {
	p, err := tfplan.Load(o.plan)
	if err != nil {
		return nil, err
	}
	var m *model.Model
	if o.snapshot != "" || o.example != "" || o.live() {
		under := *o
		under.plan = ""
		base, err := under.load(errOut)
		if err != nil {
			return nil, err
		}
		m, err = tfplan.Overlay(base, p)
		if err != nil {
			return nil, err
		}
	} else if m, err = p.Model(); err != nil {
		return nil, err
	}
	if !o.quiet {
		for _, w := range p.Warnings {
			fmt.Fprintln(errOut, "vpcpath: warning: "+w.String())
		}
	}
	return m, nil
}

// blockedAt finds the component a failure names ("blocked at
// security-group sg-1234: ...").
var blockedAt = regexp.MustCompile(`\bat [a-z-]+ ([A-Za-z0-9-]+(?:-\([^)]*\))?)`)

// annotateSources adds to each failing outcome the Terraform address of
// the resource that decided it (the blocking component, or the resource a
// shape check names), when the network came from a plan. Placeholder IDs
// already carry their address and are left as they are.
func annotateSources(m *model.Model, outs []check.Outcome) {
	if len(m.Sources) == 0 {
		return
	}
	for i := range outs {
		o := &outs[i]
		if o.Status == check.Pass {
			continue
		}
		var ids []string
		for _, sm := range blockedAt.FindAllStringSubmatch(o.Detail, -1) {
			ids = append(ids, sm[1])
		}
		if o.Section == "shape" {
			if _, id, ok := strings.Cut(o.Name, ": "); ok {
				ids = append(ids, strings.Fields(id)[0])
			}
		}
		var addrs []string
		seen := map[string]bool{}
		for _, id := range ids {
			a := m.Sources[id]
			if a == "" || tfplan.IsPlaceholder(id) || seen[a] {
				continue
			}
			seen[a] = true
			addrs = append(addrs, a)
		}
		if len(addrs) > 0 {
			o.Detail += " [terraform: " + strings.Join(addrs, ", ") + "]"
		}
	}
}
