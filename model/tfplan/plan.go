// Package tfplan reads a Terraform plan (the JSON of `terraform show -json
// plan.out`) into vpcpath's model, alone or applied over a loaded network.
//
// The model is built from the plan's planned values: what the network will
// be after apply. Values Terraform knows only after apply (the IDs of new
// resources, the addresses of new interfaces) are tied together through the
// configuration's references and given placeholder IDs named after the
// resource address:
//
//	<prefix>-(<address>)            sg-(aws_security_group.workspace), subnet-(module.vpc.aws_subnet.private[0])
//	<prefix>-(<vpc address>:default) the default security group and network ACL AWS creates with a new VPC
//	rtb-(<vpc address>:main)         the main route table AWS creates with a new VPC
//	eni-(<address>#N)                the interface of a new interface endpoint in its Nth subnet (subnets sorted by ID)
//	eni-(<address>)                  the primary interface of a new instance or NAT gateway
//	pl-(<service name>)              the AWS prefix list of a gateway endpoint's service, when the plan does not read it
//
// The prefix is the one AWS gives the kind of resource (vpc, subnet, rtb,
// sg, acl, vpce, nat, igw, eipalloc, i, eni, pl, pcx, tgw, tgw-attach,
// tgw-rtb). The model's Sources map every ID to the Terraform address that
// defines it, and rules, routes and ACL entries carry theirs in Source.
//
// An interface whose address is unknown until apply is "somewhere in its
// subnet": it gets a representative address, the subnet's first address
// that AWS does not reserve (base+4) and no other interface of the model
// holds, counting up in address order of the resources; the model lists the
// choice among its Assumptions, and a trace through the interface repeats it.
package tfplan

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/vpcpath/vpcpath/model"
)

// Warning is something the loader skipped or could not tie, naming the
// file and the resource address.
type Warning struct {
	File    string
	Address string
	Msg     string
}

func (w Warning) String() string {
	if w.Address == "" {
		return w.File + ": " + w.Msg
	}
	return w.File + ": " + w.Address + ": " + w.Msg
}

// Error is a plan that cannot be read: malformed JSON, an unsupported
// format_version, a reference to nothing. Field is the resource address
// where there is one: the shape every loader shares (model.LoadError).
type Error = model.LoadError

// Plan is a parsed plan.
type Plan struct {
	// File names the plan in messages.
	File string
	// Warnings are what the last Model or Overlay skipped or assumed.
	Warnings []Warning

	raw       *tfjson.Plan
	resources []*resource          // planned values, managed and data, in address order
	byAddr    map[string]*resource // planned resources by full address
	deleted   []*resource          // resources the plan deletes (before values), and the old halves of replacements
	changes   map[string]*tfjson.ResourceChange
	config    map[string]*tfjson.ConfigModule // by module config path ("" root, "module.a.module.b")
	calls     map[string]*tfjson.ModuleCall   // by module config path of the called module
	touched   map[string][]string             // by address: the model IDs the resource changes (set by a build)
}

// Change is one resource the plan creates, updates, replaces or deletes,
// with the model IDs it touches (set by Model or Overlay).
type Change struct {
	Address string
	Verb    string // creating, updating, replacing, deleting
	IDs     []string
	// Ports is the port range a rule resource (security group rule, ACL
	// entry) covers, so that a change is blamed only for flows on its
	// ports; nil for other resources and for rules of every port.
	Ports *model.PortRange
}

// Changes lists what the plan changes, in address order; call it after
// Model or Overlay.
func (p *Plan) Changes() []Change {
	var out []Change
	for _, addr := range sortedKeys(p.changes) {
		rc := p.changes[addr]
		if rc.Change == nil || string(rc.Mode) == "data" {
			continue
		}
		verb := ""
		switch actionOf(rc.Change.Actions) {
		case "create":
			verb = "creating"
		case "update":
			verb = "updating"
		case "replace":
			verb = "replacing"
		case "delete":
			verb = "deleting"
		default:
			continue
		}
		ids := append([]string{}, p.touched[addr]...)
		if r := p.byAddr[addr]; r != nil {
			ids = appendUniq(ids, r.id)
		}
		for _, d := range p.deleted {
			if d.addr == addr {
				ids = appendUniq(ids, d.id)
			}
		}
		out = append(out, Change{Address: addr, Verb: verb, IDs: ids, Ports: rulePorts(rc)})
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// resource is one resource instance of the plan.
type resource struct {
	addr    string // full instance address
	module  string // module instance address, "" for the root
	mode    string // managed or data
	typ     string
	name    string
	index   any
	vals    map[string]any
	unknown map[string]any // after_unknown
	action  string         // create, update, delete, no-op, replace, read
	cfg     *tfjson.ConfigResource

	id string // assigned ID (known or placeholder)
}

// Load reads a plan file.
func Load(path string) (*Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	return Parse(path, data)
}

// rawPlan decodes a plan without terraform-json's version check, which
// the loader makes itself so that the message names the file.
type rawPlan tfjson.Plan

// Parse reads plan JSON; name is the file name for messages.
func Parse(name string, data []byte) (*Plan, error) {
	var rp rawPlan
	if err := json.Unmarshal(data, &rp); err != nil {
		return nil, &Error{File: name, Err: jsonError(data, err)}
	}
	p := &Plan{File: name, raw: (*tfjson.Plan)(&rp)}
	if p.raw.FormatVersion == "" {
		if p.raw.PlannedValues == nil {
			return nil, &Error{File: name, Err: errors.New("not a Terraform plan: no format_version and no planned_values (want the output of terraform show -json PLANFILE)")}
		}
		p.Warnings = append(p.Warnings, Warning{File: name, Msg: "no format_version: read as plan format 1.x (terraform show -json always writes one; was the file trimmed?)"})
	} else if err := p.raw.Validate(); err != nil {
		return nil, &Error{File: name, Err: err}
	}
	if p.raw.PlannedValues == nil || p.raw.PlannedValues.RootModule == nil {
		return nil, &Error{File: name, Err: errors.New("no planned_values.root_module (is this terraform show -json of a plan, not of a state?)")}
	}
	if err := p.index(); err != nil {
		return nil, err
	}
	return p, nil
}

func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := 1, 1
		for _, c := range data[:max(0, min(int(se.Offset)-1, len(data)))] {
			if c == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		return fmt.Errorf("malformed JSON at line %d, column %d: %w", line, col, err)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("malformed plan: field %s: %w", te.Field, err)
	}
	return fmt.Errorf("malformed plan: %w", err)
}

func (p *Plan) index() error {
	p.byAddr = map[string]*resource{}
	p.changes = map[string]*tfjson.ResourceChange{}
	p.config = map[string]*tfjson.ConfigModule{}
	p.calls = map[string]*tfjson.ModuleCall{}
	for _, rc := range p.raw.ResourceChanges {
		if rc != nil && rc.Address != "" {
			p.changes[rc.Address] = rc
		}
	}
	if p.raw.Config != nil && p.raw.Config.RootModule != nil {
		var walk func(path string, m *tfjson.ConfigModule)
		walk = func(path string, m *tfjson.ConfigModule) {
			p.config[path] = m
			for name, call := range m.ModuleCalls {
				if call == nil || call.Module == nil {
					continue
				}
				child := join(path, "module."+name)
				p.calls[child] = call
				walk(child, call.Module)
			}
		}
		walk("", p.raw.Config.RootModule)
	}
	var walk func(m *tfjson.StateModule) error
	walk = func(m *tfjson.StateModule) error {
		for _, sr := range m.Resources {
			if sr == nil {
				continue
			}
			if sr.Address == "" || sr.Type == "" {
				return &Error{File: p.File, Field: sr.Address, Err: errors.New("planned_values resource without address or type")}
			}
			r := &resource{addr: sr.Address, module: m.Address, mode: string(sr.Mode), typ: sr.Type, name: sr.Name, index: sr.Index, vals: sr.AttributeValues}
			if r.mode == "" {
				r.mode = "managed"
				if strings.HasPrefix(strings.TrimPrefix(r.addr, r.module+"."), "data.") {
					r.mode = "data"
				}
			}
			if r.vals == nil {
				r.vals = map[string]any{}
			}
			r.action = "create"
			if rc := p.changes[r.addr]; rc != nil && rc.Change != nil {
				r.action = actionOf(rc.Change.Actions)
				r.unknown, _ = rc.Change.AfterUnknown.(map[string]any)
			} else if rc == nil && len(p.raw.ResourceChanges) > 0 {
				r.action = "no-op"
			}
			if r.mode == "data" {
				r.action = "read"
			}
			r.cfg = p.configResource(r)
			if p.byAddr[r.addr] != nil {
				return &Error{File: p.File, Field: r.addr, Err: errors.New("listed twice in planned_values")}
			}
			p.byAddr[r.addr] = r
			p.resources = append(p.resources, r)
		}
		for _, c := range m.ChildModules {
			if c != nil {
				if err := walk(c); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(p.raw.PlannedValues.RootModule); err != nil {
		return err
	}
	sort.SliceStable(p.resources, func(a, b int) bool { return p.resources[a].addr < p.resources[b].addr })
	// What the plan deletes: the before values of deletions and of the old
	// half of replacements.
	for _, addr := range model.SortedKeys(p.changes) {
		rc := p.changes[addr]
		if rc.Change == nil || string(rc.Mode) == "data" {
			continue
		}
		a := rc.Change.Actions
		if !a.Delete() && !a.Replace() {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		if before == nil {
			continue
		}
		r := &resource{addr: rc.Address, module: rc.ModuleAddress, mode: "managed", typ: rc.Type, name: rc.Name, index: rc.Index, vals: before, action: "delete"}
		r.cfg = p.configResource(r)
		p.deleted = append(p.deleted, r)
	}
	return nil
}

func actionOf(a tfjson.Actions) string {
	switch {
	case a.Replace():
		return "replace"
	case a.Create():
		return "create"
	case a.Delete():
		return "delete"
	case a.Update():
		return "update"
	case a.Read():
		return "read"
	}
	return "no-op"
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// configPath strips instance keys from a module address:
// module.a[0].module.b["x"] -> module.a.module.b.
func configPath(module string) string {
	var b strings.Builder
	depth := 0
	inQuote := false
	for _, c := range module {
		switch {
		case inQuote:
			if c == '"' {
				inQuote = false
			}
			continue
		case c == '"' && depth > 0:
			inQuote = true
			continue
		case c == '[':
			depth++
			continue
		case c == ']':
			depth--
			continue
		}
		if depth == 0 {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func (p *Plan) configResource(r *resource) *tfjson.ConfigResource {
	m := p.config[configPath(r.module)]
	if m == nil {
		return nil
	}
	want := r.typ + "." + r.name
	if r.mode == "data" {
		want = "data." + want
	}
	for _, c := range m.Resources {
		if c != nil && c.Address == want {
			return c
		}
	}
	return nil
}

// isUnknown reports whether attribute attr of r is unknown until apply.
func (r *resource) isUnknown(attr string) bool {
	if r.unknown == nil {
		return false
	}
	switch v := r.unknown[attr].(type) {
	case bool:
		return v
	case []any:
		for _, e := range v {
			if b, ok := e.(bool); ok && b {
				return true
			}
		}
	}
	return false
}

// exprRefs returns the references of attribute attr's expression in the
// configuration.
func (r *resource) exprRefs(attr string) []string {
	if r.cfg == nil || r.cfg.Expressions == nil {
		return nil
	}
	e := r.cfg.Expressions[attr]
	if e == nil || e.ExpressionData == nil {
		return nil
	}
	return e.References
}

// configured reports whether attr has an expression in the configuration
// (or the configuration is absent, so nobody can tell).
func (r *resource) configured(attr string) bool {
	if r.cfg == nil {
		return true
	}
	_, ok := r.cfg.Expressions[attr]
	return ok
}

// rulePorts is the port range of a rule resource's change, from the values
// before (a delete) or after it.
func rulePorts(rc *tfjson.ResourceChange) *model.PortRange {
	switch rc.Type {
	case "aws_network_acl_rule", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule":
	default:
		return nil
	}
	vals, _ := rc.Change.After.(map[string]any)
	if vals == nil {
		vals, _ = rc.Change.Before.(map[string]any)
	}
	if vals == nil {
		return nil
	}
	proto := str(vals, "protocol")
	if proto == "" {
		proto = str(vals, "ip_protocol")
	}
	p, err := model.ParseProtocol(proto)
	if err != nil || !p.HasPorts() {
		return nil
	}
	from, ok1 := num(vals, "from_port")
	to, ok2 := num(vals, "to_port")
	if !ok1 || !ok2 || from < 0 || to > 65535 || from > to {
		return nil
	}
	return &model.PortRange{First: uint16(from), Last: uint16(to)}
}

// noBlocks reports a plan whose configuration leaves nested blocks out
// (format_version 0.x, Terraform 0.12-0.13): a block's expressions are
// unknown, not absent.
func (p *Plan) noBlocks() bool { return strings.HasPrefix(p.raw.FormatVersion, "0.") }
