package matrix

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/check"
)

// ExpectFile is a segmentation expectation file for vpcpath matrix --expect
// (YAML or JSON; schema in simulate/check/matrix-expect.schema.json, beside
// the intent files' schema): which segment pairs must be blocked or
// reachable, on which ports.
type ExpectFile struct {
	// By is how the file cuts the network (subnet, security-group, vpc,
	// account, tag:KEY); the command's --by when empty.
	By           string        `yaml:"by,omitempty" json:"by,omitempty"`
	Expectations []Expectation `yaml:"expectations" json:"expectations"`

	name string
}

// Expectation is one rule of the audit: every cell from a segment From
// selects to a segment To selects must be Expect on Ports.
type Expectation struct {
	Name string          `yaml:"name" json:"name"`
	From SegmentSelector `yaml:"from" json:"from"`
	To   SegmentSelector `yaml:"to" json:"to"`
	// Protocol is the matrix's (--protocol) when empty; another one is an
	// error, not a silent skip.
	Protocol string `yaml:"protocol,omitempty" json:"protocol,omitempty"`
	// Ports are single ports or ranges within the matrix's port set; all of
	// it when empty.
	Ports    []string `yaml:"ports,omitempty" json:"ports,omitempty"`
	Expect   string   `yaml:"expect" json:"expect"`                         // blocked or reachable
	Severity string   `yaml:"severity,omitempty" json:"severity,omitempty"` // high (default), medium, low
	Why      string   `yaml:"why,omitempty" json:"why,omitempty"`

	line  int
	ports []model.PortRange
}

// SegmentSelector picks segments: by ID, name or label, and by tags of the
// segment's resource (a subnet's, a VPC's, a group's). Fields combine with
// AND; every name given must pick a segment.
type SegmentSelector struct {
	Segment []string          `yaml:"segment,omitempty" json:"segment,omitempty"`
	Tag     map[string]string `yaml:"tag,omitempty" json:"tag,omitempty"`
}

func (s SegmentSelector) String() string {
	var parts []string
	if len(s.Segment) > 0 {
		parts = append(parts, "segment="+strings.Join(s.Segment, ","))
	}
	for _, k := range model.SortedKeys(s.Tag) {
		parts = append(parts, "tag:"+k+"="+s.Tag[k])
	}
	return strings.Join(parts, " ")
}

// ParseExpect reads an expectation file. Errors name the file and line.
func ParseExpect(name string, data []byte) (*ExpectFile, error) {
	var root yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&root); err != nil {
		return nil, yamlErr(name, err)
	}
	var f ExpectFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, yamlErr(name, err)
	}
	f.name = name
	lines := itemLines(&root, "expectations")
	if len(f.Expectations) == 0 {
		return nil, &model.LoadError{File: name, Field: "expectations", Err: errors.New("no expectations")}
	}
	if f.By != "" {
		by, err := ParseBy(f.By)
		if err != nil {
			return nil, &model.LoadError{File: name, Field: "by", Err: err}
		}
		f.By = by
	}
	for i := range f.Expectations {
		e := &f.Expectations[i]
		if i < len(lines) {
			e.line = lines[i]
		}
		if err := e.compile(); err != nil {
			return nil, &model.LoadError{File: name, Line: e.line, Field: fmt.Sprintf("expectation %q", e.Name), Err: err}
		}
	}
	return &f, nil
}

func yamlErr(name string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		var errs []error
		for _, e := range te.Errors {
			errs = append(errs, yamlLineErr(name, e))
		}
		return errors.Join(errs...)
	}
	return yamlLineErr(name, strings.TrimPrefix(err.Error(), "yaml: "))
}

// yamlLineErr turns "line N: message" into a loader error at that line,
// without Go type names.
func yamlLineErr(name, msg string) error {
	var line int
	if _, e := fmt.Sscanf(msg, "line %d:", &line); e == nil {
		_, msg, _ = strings.Cut(msg, ": ")
	}
	var field, typ string
	if _, e := fmt.Sscanf(msg, "field %s not found in type %s", &field, &typ); e == nil {
		msg = fmt.Sprintf("unknown field %q", field)
	}
	msg = strings.NewReplacer("matrix.SegmentSelector", "a selector (a mapping)", "matrix.Expectation", "an expectation (a mapping)",
		"[]string", "a list", "map[string]string", "a mapping", "!!str", "a string", "!!seq", "a list", "!!map", "a mapping",
		"cannot unmarshal", "found").Replace(msg)
	return &model.LoadError{File: name, Line: line, Err: errors.New(strings.TrimSpace(msg))}
}

// itemLines finds the line of each item of the top-level list key.
func itemLines(root *yaml.Node, key string) []int {
	if root == nil || len(root.Content) == 0 {
		return nil
	}
	doc := root.Content[0]
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == key {
			var out []int
			for _, item := range doc.Content[i+1].Content {
				out = append(out, item.Line)
			}
			return out
		}
	}
	return nil
}

func (e *Expectation) compile() error {
	if strings.TrimSpace(e.Name) == "" {
		return errors.New("name is required")
	}
	switch e.Expect {
	case "blocked", "reachable":
	case "":
		return errors.New("expect is required: blocked or reachable")
	default:
		return fmt.Errorf("expect: want blocked or reachable, not %q", e.Expect)
	}
	if e.Protocol != "" {
		if _, err := model.ParseProtocol(e.Protocol); err != nil {
			return fmt.Errorf("protocol: %v", err)
		}
	}
	switch e.Severity {
	case "", "high", "medium", "low":
	default:
		return fmt.Errorf("severity: want high, medium or low, not %q", e.Severity)
	}
	for _, s := range []struct {
		what string
		sel  SegmentSelector
	}{{"from", e.From}, {"to", e.To}} {
		if len(s.sel.Segment) == 0 && len(s.sel.Tag) == 0 {
			return fmt.Errorf("%s: select segments by segment (IDs or names) or tag", s.what)
		}
	}
	for _, p := range e.Ports {
		r, err := model.ParsePortRange(p)
		if err != nil {
			return fmt.Errorf("ports: %v", err)
		}
		e.ports = append(e.ports, r)
	}
	return nil
}

// selectSegments returns the indexes of the segments sel picks.
func (x *Matrix) selectSegments(sel SegmentSelector) ([]int, error) {
	var out []int
	matched := make([]bool, len(sel.Segment))
	for i, s := range x.Segments {
		if len(sel.Segment) > 0 {
			hit := false
			for k, n := range sel.Segment {
				n = strings.TrimSpace(n)
				if n == s.ID || n == s.Name || n == s.Label {
					hit, matched[k] = true, true
				}
			}
			if !hit {
				continue
			}
		}
		ok := true
		for k, v := range sel.Tag {
			if got, has := s.Tags[k]; !has || got != v {
				ok = false
			}
		}
		if ok {
			out = append(out, i)
		}
	}
	for k, hit := range matched {
		if !hit {
			return nil, fmt.Errorf("segment %q: no %s segment has this ID or name", sel.Segment[k], x.By)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s selects no %s segment", sel, x.By)
	}
	return out, nil
}

// Check judges every expectation of f on every cell it selects: one
// outcome per cell, PASS, FAIL (a violation: the ports, how many member
// pairs, the path that opens it or the rule that closes it) or UNKNOWN
// (the model cannot decide some pair on some port). An error is a mistake
// in the file (a segment that does not exist, ports outside the matrix).
func (x *Matrix) Check(f *ExpectFile) ([]check.Outcome, error) {
	var out []check.Outcome
	for _, e := range f.Expectations {
		fail := func(err error) error {
			return &model.LoadError{File: f.name, Line: e.line, Field: fmt.Sprintf("expectation %q", e.Name), Err: err}
		}
		if e.Protocol != "" {
			p, _ := model.ParseProtocol(e.Protocol)
			if p.String() != x.Protocol {
				return nil, fail(fmt.Errorf("protocol %s, but the matrix is of %s: run it with --protocol %s", p, x.Protocol, p))
			}
		}
		ports := e.ports
		if len(ports) == 0 || !x.opts.Protocol.HasPorts() {
			ports = []model.PortRange{x.opts.Ports}
		}
		for _, p := range ports {
			if !x.opts.Ports.Covers(p) {
				return nil, fail(fmt.Errorf("ports %s lie outside the matrix's ports %s", p, x.Ports))
			}
		}
		from, err := x.selectSegments(e.From)
		if err != nil {
			return nil, fail(fmt.Errorf("from: %w", err))
		}
		to, err := x.selectSegments(e.To)
		if err != nil {
			return nil, fail(fmt.Errorf("to: %w", err))
		}
		for _, i := range from {
			for _, j := range to {
				out = append(out, x.judge(e, i, j, ports))
			}
		}
	}
	return out, nil
}

// judge decides one cell against one expectation.
func (x *Matrix) judge(e Expectation, i, j int, ports []model.PortRange) check.Outcome {
	c := x.Cell(i, j)
	sev := e.Severity
	if sev == "" {
		sev = "high"
	}
	var ps []string
	for _, p := range ports {
		ps = append(ps, portsText(p))
	}
	o := check.Outcome{Name: e.Name + ": " + x.Segments[i].Label + " -> " + x.Segments[j].Label, Section: "functional", Severity: sev,
		From: x.Segments[i].ID, To: x.Segments[j].ID, Protocol: x.Protocol, Ports: check.PortList(ports), Expect: e.Expect,
		SourceSubnet: x.Segments[i].ID, SharedBy: []string{}, Why: e.Why}
	if !x.opts.Protocol.HasPorts() {
		o.Ports, ps = nil, nil
	}
	if c.Pairs == 0 {
		o.Status, o.Detail = check.Pass, "no member pair: nothing can flow (a segment of one member, with itself)"
		return o
	}
	// The spans the expectation covers, cut to its ports.
	type piece struct {
		s     Span
		ports model.PortRange
	}
	var pieces []piece
	for _, s := range c.Spans {
		for _, p := range ports {
			lo, hi := max(s.ports.First, p.First), min(s.ports.Last, p.Last)
			if lo <= hi {
				pieces = append(pieces, piece{s, model.PortRange{First: lo, Last: hi}})
			}
		}
	}
	flow := func(p model.PortRange) string {
		if x.opts.Protocol.HasPorts() {
			return x.Protocol + "/" + portsText(p)
		}
		return x.Protocol
	}
	bad, badVerdict := []piece{}, simulate.Reachable
	if e.Expect == "reachable" {
		badVerdict = simulate.Blocked
	}
	var unknown []piece
	for _, p := range pieces {
		if n := count(p.s, badVerdict); n > 0 {
			bad = append(bad, p)
		} else if p.s.Unknown > 0 {
			unknown = append(unknown, p)
		}
	}
	switch {
	case len(bad) > 0:
		o.Status = check.Fail
		var parts []string
		for _, p := range bad {
			parts = append(parts, fmt.Sprintf("%s %s for %d of %d member pairs", flow(p.ports), map[bool]string{true: "open", false: "blocked"}[badVerdict == simulate.Reachable], count(p.s, badVerdict), c.Pairs))
		}
		first := bad[0]
		w, ok := x.witness(i, j, first.ports.First, badVerdict)
		r := x.retrace(w, first.ports.First)
		switch {
		case !ok: // cannot happen: the counts come from the same parts
			o.Detail = strings.Join(parts, "; ")
		case badVerdict == simulate.Reachable:
			o.Detail = strings.Join(parts, "; ") + fmt.Sprintf("; e.g. %s -> %s reachable via %s", w[0].ID, w[1].ID, pathString(r.Hops))
			o.Rule = ingressRule(r.Hops)
		default:
			o.Detail = strings.Join(parts, "; ") + fmt.Sprintf("; e.g. %s -> %s %s", w[0].ID, w[1].ID, where(r.BlockedBy))
			if r.BlockedBy != nil {
				o.Rule = r.BlockedBy.Rule
			}
			o.Fix = r.Fix
		}
	case len(unknown) > 0:
		o.Status = check.Unknown
		var parts []string
		for _, p := range unknown {
			parts = append(parts, fmt.Sprintf("%s unknown for %d of %d member pairs", flow(p.ports), p.s.Unknown, c.Pairs))
		}
		o.Detail = strings.Join(parts, "; ")
		if w, ok := x.witness(i, j, unknown[0].ports.First, simulate.Unknown); ok {
			r := x.retrace(w, unknown[0].ports.First)
			o.Detail += fmt.Sprintf("; e.g. %s -> %s %s", w[0].ID, w[1].ID, where(r.BlockedBy))
			o.Fix = r.Fix
		}
	default:
		o.Status = check.Pass
		what := x.Protocol
		if len(ps) > 0 {
			what += "/" + strings.Join(ps, ",")
		}
		o.Detail = fmt.Sprintf("%s %s for all %d member pairs", what, e.Expect, c.Pairs)
	}
	return o
}

func count(s Span, v simulate.Verdict) int {
	switch v {
	case simulate.Reachable:
		return s.Reachable
	case simulate.Blocked:
		return s.Blocked
	}
	return s.Unknown
}

// retrace traces a witness pair again at one port, for its hops.
func (x *Matrix) retrace(pair [2]*model.ENI, port uint16) simulate.Result {
	if pair[0] == nil {
		return simulate.Result{}
	}
	q := simulate.Query{From: pair[0].ID, To: pair[1].ID, Protocol: x.opts.Protocol, Ephemeral: x.opts.Ephemeral, EphemeralName: x.opts.EphemeralName,
		StandIns: x.standIns, Appliances: x.opts.Appliances}
	p := model.Port(port)
	if !x.opts.Protocol.HasPorts() {
		p = model.PortRange{}
	}
	r, err := simulate.TraceRange(x.m, q, p)
	if err != nil {
		return simulate.Result{}
	}
	return r
}

func where(b *simulate.Block) string {
	if b == nil {
		return ""
	}
	s := "at " + string(b.Component) + " " + b.ID
	if b.Rule != "" {
		s += " (" + b.Rule + ")"
	}
	if b.Return {
		s += " on the return path"
	}
	if b.Reason != "" {
		s += ": " + b.Reason
	}
	return s
}

// pathString names the forwarding elements of a path: "route-table rtb-1
// > transit-gateway tgw-1 > ...".
func pathString(hs []simulate.Hop) string {
	var parts []string
	for _, h := range hs {
		switch h.Component {
		case simulate.CompENI, simulate.CompSecurityGroup, simulate.CompNetworkACL, simulate.CompSubnet, simulate.CompDNS:
			continue
		}
		p := string(h.Component) + " " + h.ID
		if len(parts) == 0 || parts[len(parts)-1] != p {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "the local route"
	}
	return strings.Join(parts, " > ")
}

// ingressRule is the rule of the security group that admitted the flow at
// its destination: the rule that opens a pair that must stay apart.
func ingressRule(hs []simulate.Hop) string {
	for _, h := range slices.Backward(hs) {
		if h.Component == simulate.CompSecurityGroup && h.Direction == simulate.Ingress && h.Decision == simulate.Allow {
			return h.ID + ": " + h.Rule
		}
	}
	return ""
}
