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

// idRE finds resource IDs in a finding's text: real ones and plan
// placeholders such as sg-(aws_security_group.workspace).
var idRE = regexp.MustCompile(`\b(?:vpc|subnet|sg|acl|rtb|vpce|nat|igw|eni|pl|Z)-(?:[0-9a-zA-Z]{6,17}\b|\([^)]*\))`)

// annotateSources adds to each failing outcome the Terraform addresses of
// the resources that decided it, when the network came from a plan: the
// blocking component of a functional failure, every resource a shape check
// names. A placeholder ID carries its address in parentheses.
func annotateSources(m *model.Model, outs []check.Outcome) {
	if len(m.Sources) == 0 {
		return
	}
	kind := string(m.SourceLanguage())
	for i := range outs {
		o := &outs[i]
		if o.Status == check.Pass || o.Section == "refused" {
			continue
		}
		var ids []string
		for _, sm := range blockedAt.FindAllStringSubmatch(o.Detail, -1) {
			if m.Sources[sm[1]] != "" || tfplan.IsPlaceholder(sm[1]) {
				ids = append(ids, sm[1])
			}
		}
		if o.Section == "shape" || len(ids) == 0 {
			ids = append(ids, idRE.FindAllString(o.Name+" "+o.Detail+" "+o.Rule, -1)...)
		}
		var addrs []string
		seen := map[string]bool{}
		for _, id := range ids {
			a := m.Sources[id]
			if tfplan.IsPlaceholder(id) {
				a = id[strings.Index(id, "-(")+2 : len(id)-1]
				if k := strings.IndexAny(a, ":#"); k > 0 {
					a = a[:k]
				}
			}
			if a == "" || seen[a] {
				continue
			}
			seen[a] = true
			addrs = append(addrs, a)
		}
		if len(addrs) > 0 {
			o.Detail += " [" + kind + ": " + strings.Join(addrs, ", ") + "]"
		}
	}
}
