// Package cfn reads an AWS CloudFormation template (YAML with the short-form
// tags such as !Ref, !Sub and !GetAtt, or JSON) into vpcpath's model, alone
// or applied over a loaded network: the network the stack would build.
//
// The template is parsed by github.com/aws-cloudformation/rain's cft/parse,
// which keeps the YAML nodes and their line numbers; this package evaluates
// the intrinsic functions itself, with parameters from their defaults, from
// Options.Params (the CLI's --template-param and --template-params) and the
// pseudo parameters (AWS::Region, AWS::AccountId, AWS::StackName,
// AWS::Partition, AWS::URLSuffix, AWS::NoValue).
//
// Resources the stack creates get placeholder IDs after their logical ID,
// with the prefix AWS gives the kind:
//
//	<prefix>-(<LogicalId>)         sg-(WorkspaceSecurityGroup), vpce-(S3Endpoint)
//	sg-(<Vpc>:default), acl-(<Vpc>:default), rtb-(<Vpc>:main)  what AWS creates with a new VPC
//	eni-(<Endpoint>#N)             an interface endpoint's interface in its Nth subnet
//	eni-(<Instance>)               an instance's or NAT gateway's primary interface
//	pl-(<service name>)            a gateway endpoint's AWS prefix list (its entries unknown)
//
// The model's Sources map every ID to the logical ID that defines it, and
// rules, routes and ACL entries carry it in Source, so that a fix can name
// the resource to change.
//
// A value the template does not decide (Fn::ImportValue, an SSM parameter,
// a parameter without a value, an attribute of a custom resource or a
// nested stack, an attribute AWS assigns at creation) is never dropped:
// a route, rule or entry that depends on it stays in the model with its
// Unknown field naming the logical ID and property, and what can only be
// assumed (an interface's address, an Elastic IP) is listed among the
// model's Assumptions.
package cfn

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aws-cloudformation/rain/cft"
	"github.com/aws-cloudformation/rain/cft/parse"
	"gopkg.in/yaml.v3"

	"github.com/vpcpath/vpcpath/model"
)

// Error is a template that cannot be read: malformed YAML or JSON, an
// unknown Ref, circular conditions. It names the file, the logical ID
// (or section) as Field and the line where they are known: the shape
// every loader shares (model.LoadError).
type Error = model.LoadError

// Warning is something the loader skipped, could not decide or assumed.
type Warning struct {
	File    string
	Logical string
	Msg     string
}

func (w Warning) String() string {
	if w.Logical == "" {
		return w.File + ": " + w.Msg
	}
	return w.File + ": " + w.Logical + ": " + w.Msg
}

// Options are the values a stack gets from outside its template.
type Options struct {
	// Params are parameter values by name, as create-stack's --parameters
	// gives them. Pseudo parameters (AWS::Region, AWS::AccountId,
	// AWS::StackName, ...) may be set here too; so may the value of an
	// export the template imports, as "import:<ExportName>".
	Params map[string]string
	// AZs are the availability zones Fn::GetAZs returns, by region (from a
	// snapshot under the template); a region not listed gets an assumed
	// list, reported among the warnings and assumptions.
	AZs map[string][]string
	// Stack, when set, is the deployed stack the template updates: its
	// resources keep their physical IDs (those of the network under the
	// template), and a change set's replacements and removals apply.
	Stack *Stack
}

// Template is a parsed template.
type Template struct {
	// File names the template in messages.
	File string
	// Warnings are what the last Model or Overlay skipped or assumed.
	Warnings []Warning

	opts       Options
	root       *yaml.Node
	params     map[string]*param
	mappings   *yaml.Node
	conditions map[string]*yaml.Node
	resources  map[string]*resource
	order      []string // logical IDs, sorted
	// regionAssumed is set when AWS::Region was neither given nor known
	// from the network under the template.
	regionAssumed bool
	// transformWarning says which transforms are not applied.
	transformWarning string
}

type param struct {
	name  string
	typ   string
	node  *yaml.Node
	value any // string, []any, or unknown
}

// resource is one resource of the template.
type resource struct {
	logical string
	typ     string
	node    *yaml.Node // the resource's mapping
	props   *yaml.Node // Properties, nil when absent
	cond    string
	line    int

	// Set while building.
	id        string
	exists    bool
	condKnown bool
	vals      map[string]any // evaluated properties
	evaluated bool
	busy      bool
}

// Load reads a template file.
func Load(path string, opts Options) (*Template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	return Parse(path, data, opts)
}

// Parse reads a template; name is the file name for messages.
func Parse(name string, data []byte, opts Options) (t *Template, err error) {
	defer func() {
		// rain's normaliser indexes into scalars it assumes are non-empty;
		// a malformed template must be an error, never a crash.
		if r := recover(); r != nil {
			t, err = nil, &Error{File: name, Err: fmt.Errorf("malformed template: %v", r)}
		}
	}()
	var doc yaml.Node
	perr := yaml.Unmarshal(data, &doc)
	if perr == nil {
		keepGetAttLines(&doc)
		var tmpl *cft.Template
		if tmpl, perr = parse.Node(&doc); perr == nil {
			doc = *tmpl.Node
		}
	}
	if perr != nil {
		msg := perr.Error()
		line := 0
		if _, e := fmt.Sscanf(strings.TrimPrefix(msg, "yaml: "), "line %d:", &line); e == nil {
			msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
			msg = strings.TrimSpace(msg[strings.Index(msg, ":")+1:])
		}
		msg = strings.TrimPrefix(msg, "yaml: ")
		if strings.HasPrefix(msg, "did not find expected") && line > 0 {
			line++ // yaml.v3 counts parser errors' lines from 0, scanner errors' from 1
		}
		if trimmed := strings.TrimSpace(string(data)); strings.HasPrefix(trimmed, "{") {
			var v any
			var se *json.SyntaxError
			if err := json.Unmarshal(data, &v); errors.As(err, &se) {
				line = 1 + strings.Count(string(data[:max(0, min(int(se.Offset)-1, len(data)))]), "\n")
				return nil, &Error{File: name, Line: line, Err: fmt.Errorf("malformed JSON: %w", se)}
			}
		}
		return nil, &Error{File: name, Line: line, Err: errors.New("malformed YAML: " + msg)}
	}
	t = &Template{File: name, opts: opts, params: map[string]*param{}, conditions: map[string]*yaml.Node{}, resources: map[string]*resource{}}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: root.Line, Err: errors.New("not a CloudFormation template: want a mapping with a Resources section")}
	}
	t.root = root
	if err := t.index(); err != nil {
		return nil, err
	}
	return t, nil
}

// ParamsFile reads the parameters file create-stack takes
// (--parameters file://params.json): [{"ParameterKey": ..., "ParameterValue": ...}].
func ParamsFile(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list []struct {
		ParameterKey     *string
		ParameterValue   *string
		UsePreviousValue bool
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("%s: want create-stack's [{\"ParameterKey\": ..., \"ParameterValue\": ...}]: %v", path, err)
	}
	out := map[string]string{}
	for i, p := range list {
		if p.ParameterKey == nil || *p.ParameterKey == "" {
			return nil, fmt.Errorf("%s: entry %d: no ParameterKey", path, i)
		}
		if p.ParameterValue == nil {
			if p.UsePreviousValue {
				continue // the stack's previous value: not known here, the default or unknown applies
			}
			return nil, fmt.Errorf("%s: entry %d (%s): no ParameterValue", path, i, *p.ParameterKey)
		}
		out[*p.ParameterKey] = *p.ParameterValue
	}
	return out, nil
}

// keepGetAttLines writes each short-form "!GetAtt A.B" as the list form
// [A, B] before rain's normaliser does, keeping the line numbers that its
// conversion drops.
func keepGetAttLines(n *yaml.Node) {
	if n == nil {
		return
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "Fn::GetAtt" && n.Content[1].Kind == yaml.ScalarNode {
		getAttList(n.Content[1], "") // the long form with a dotted string
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!GetAtt" {
		getAttList(n, n.Tag)
	}
	for _, c := range n.Content {
		keepGetAttLines(c)
	}
}

// getAttList turns a scalar "A.B" into the list [A, B] in place, with tag.
func getAttList(n *yaml.Node, tag string) {
	a, b, ok := strings.Cut(n.Value, ".")
	if !ok {
		return
	}
	line, col := n.Line, n.Column
	n.Kind, n.Value, n.Tag, n.Style = yaml.SequenceNode, "", tag, 0
	n.Content = []*yaml.Node{
		{Kind: yaml.ScalarNode, Tag: "!!str", Value: a, Line: line, Column: col},
		{Kind: yaml.ScalarNode, Tag: "!!str", Value: b, Line: line, Column: col},
	}
}

// mapGet returns the value node of key in a mapping node.
func mapGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// mapKeys lists a mapping's keys with their value nodes, in file order.
func mapPairs(n *yaml.Node) [][2]*yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	var out [][2]*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, [2]*yaml.Node{n.Content[i], n.Content[i+1]})
	}
	return out
}

// lineOf is the first line number in n or below it (rain's wrapper of a
// short-form tag has none of its own).
func lineOf(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	if n.Line > 0 {
		return n.Line
	}
	for _, c := range n.Content {
		if l := lineOf(c); l > 0 {
			return l
		}
	}
	return 0
}

func (t *Template) errAt(n *yaml.Node, logical, format string, args ...any) *Error {
	return &Error{File: t.File, Field: logical, Line: lineOf(n), Err: fmt.Errorf(format, args...)}
}

func (t *Template) warn(logical, format string, args ...any) {
	w := Warning{File: t.File, Logical: logical, Msg: fmt.Sprintf(format, args...)}
	for _, x := range t.Warnings {
		if x == w {
			return
		}
	}
	t.Warnings = append(t.Warnings, w)
}

// Pseudo parameter defaults where the stack would know them.
var pseudoDefaults = map[string]string{
	"AWS::AccountId": "123456789012",
	"AWS::Partition": "aws",
}

func (t *Template) index() error {
	if err := t.readParams(); err != nil {
		return err
	}
	if tr := mapGet(t.root, "Transform"); tr != nil {
		var names []string
		for _, n := range append([]*yaml.Node{tr}, tr.Content...) {
			if n.Kind == yaml.ScalarNode && n.Value != "" && n.Value != "AWS::LanguageExtensions" {
				names = append(names, n.Value)
			}
		}
		if len(names) > 0 {
			t.transformWarning = fmt.Sprintf("Transform %s is not applied: what it generates is not in the model", strings.Join(names, ", "))
		}
	}
	res := mapGet(t.root, "Resources")
	if res == nil {
		return t.errAt(t.root, "", "no Resources section (every template has one)")
	}
	if res.Kind != yaml.MappingNode {
		return t.errAt(res, "Resources", "want a mapping of logical IDs to resources")
	}
	pairs := mapPairs(res)
	for i := 0; i < len(pairs); i++ {
		k, v := pairs[i][0], pairs[i][1]
		if strings.HasPrefix(k.Value, "Fn::ForEach::") {
			more, err := t.forEach(k, v)
			if err != nil {
				return err
			}
			pairs = append(pairs, more...)
			continue
		}
		if v.Kind != yaml.MappingNode {
			return t.errAt(v, k.Value, "want a mapping with Type and Properties")
		}
		typ := mapGet(v, "Type")
		if typ == nil || typ.Kind != yaml.ScalarNode || typ.Value == "" {
			return t.errAt(v, k.Value, "no Type")
		}
		if t.resources[k.Value] != nil {
			return t.errAt(k, k.Value, "defined twice")
		}
		r := &resource{logical: k.Value, typ: typ.Value, node: v, props: mapGet(v, "Properties"), line: k.Line}
		if c := mapGet(v, "Condition"); c != nil {
			r.cond = c.Value
		}
		if r.props != nil && r.props.Kind != yaml.MappingNode && r.props.Tag != "!!null" {
			return t.errAt(r.props, r.logical, "Properties: want a mapping")
		}
		t.resources[k.Value] = r
		t.order = append(t.order, k.Value)
	}
	sort.Strings(t.order)
	for _, kv := range mapPairs(mapGet(t.root, "Conditions")) {
		t.conditions[kv[0].Value] = kv[1]
	}
	for name := range t.conditions {
		if t.resources[name] != nil {
			// Not an error in itself; conditions and resources live apart.
			continue
		}
	}
	t.mappings = mapGet(t.root, "Mappings")
	for _, r := range t.resources {
		if r.cond != "" && t.conditions[r.cond] == nil {
			return t.errAt(mapGet(r.node, "Condition"), r.logical, "Condition %s is not in the Conditions section", r.cond)
		}
	}
	return nil
}

// forEach expands Fn::ForEach (the AWS::LanguageExtensions transform) in
// Resources: [Identifier, Collection, {OutputKey: OutputValue}], with
// ${Identifier} and &{Identifier} replaced in keys and strings and
// {Ref: Identifier} by each element (CloudFormation Template Reference,
// "Fn::ForEach"). The collection is a list or a list parameter.
func (t *Template) forEach(k, v *yaml.Node) ([][2]*yaml.Node, error) {
	if v.Kind != yaml.SequenceNode || len(v.Content) != 3 || v.Content[0].Kind != yaml.ScalarNode || v.Content[2].Kind != yaml.MappingNode {
		return nil, t.errAt(v, k.Value, "want [Identifier, Collection, {OutputKey: OutputValue}]")
	}
	id, coll := v.Content[0].Value, v.Content[1]
	var items []string
	switch {
	case coll.Kind == yaml.SequenceNode:
		for _, c := range coll.Content {
			if c.Kind != yaml.ScalarNode {
				return nil, t.errAt(c, k.Value, "the collection holds a value vpcpath does not expand")
			}
			items = append(items, c.Value)
		}
	default:
		fn, arg, ok := intrinsic(coll)
		p := (*param)(nil)
		if ok && fn == "Ref" {
			p = t.params[arg.Value]
		}
		list, isList := any(nil), false
		if p != nil {
			list = p.value
			_, isList = list.([]any)
		}
		if !isList {
			return nil, t.errAt(coll, k.Value, "the collection is not a list or a list parameter with a value")
		}
		for _, x := range list.([]any) {
			s, _ := x.(string)
			items = append(items, s)
		}
	}
	var out [][2]*yaml.Node
	for _, item := range items {
		for _, kv := range mapPairs(v.Content[2]) {
			nk, nv := substitute(kv[0], id, item), substitute(kv[1], id, item)
			out = append(out, [2]*yaml.Node{nk, nv})
		}
	}
	return out, nil
}

// substitute copies n with the loop identifier replaced by item.
func substitute(n *yaml.Node, id, item string) *yaml.Node {
	c := *n
	if fn, arg, ok := intrinsic(n); ok && fn == "Ref" && arg.Value == id {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: item, Line: n.Line, Column: n.Column}
	}
	if c.Kind == yaml.ScalarNode {
		alnum := strings.Map(func(r rune) rune {
			if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return r
			}
			return -1
		}, item)
		c.Value = strings.ReplaceAll(strings.ReplaceAll(c.Value, "${"+id+"}", item), "&{"+id+"}", alnum)
	}
	c.Content = nil
	for _, x := range n.Content {
		c.Content = append(c.Content, substitute(x, id, item))
	}
	return &c
}

// readParams gives every parameter its value: given, else its default,
// else unknown (an SSM parameter's default is the parameter's name, not
// its value).
func (t *Template) readParams() error {
	for _, kv := range mapPairs(mapGet(t.root, "Parameters")) {
		name, n := kv[0].Value, kv[1]
		p := &param{name: name, node: n}
		if ty := mapGet(n, "Type"); ty != nil {
			p.typ = ty.Value
		}
		list := strings.HasPrefix(p.typ, "List<") || p.typ == "CommaDelimitedList" || strings.Contains(p.typ, "<List<")
		ssm := strings.HasPrefix(p.typ, "AWS::SSM::Parameter::Value<")
		given, ok := t.opts.Params[name]
		switch {
		case ok:
			p.value = given
		case ssm:
			def := ""
			if d := mapGet(n, "Default"); d != nil {
				def = " " + d.Value
			}
			p.value = unknown{fmt.Sprintf("parameter %s is the SSM parameter%s, read at deploy time (give --template-param %s=VALUE)", name, def, name)}
		default:
			if d := mapGet(n, "Default"); d != nil && d.Kind == yaml.ScalarNode {
				p.value = d.Value
			} else if d != nil && d.Kind == yaml.SequenceNode {
				var parts []string
				for _, c := range d.Content {
					parts = append(parts, c.Value)
				}
				p.value = strings.Join(parts, ",")
			} else {
				p.value = unknown{fmt.Sprintf("parameter %s has no value and no default (give --template-param %s=VALUE)", name, name)}
			}
		}
		if s, isStr := p.value.(string); isStr {
			if av := mapGet(n, "AllowedValues"); av != nil && ok {
				allowed := false
				for _, c := range av.Content {
					allowed = allowed || c.Value == s
				}
				if !allowed {
					return &Error{File: t.File, Field: "Parameters." + name, Line: lineOf(av), Err: fmt.Errorf("value %q is not among its AllowedValues", s)}
				}
			}
			if list {
				var l []any
				for _, x := range strings.Split(s, ",") {
					l = append(l, strings.TrimSpace(x))
				}
				if s == "" {
					l = []any{}
				}
				p.value = l
			}
		}
		t.params[name] = p
	}
	for k := range t.opts.Params {
		if t.params[k] == nil && !strings.HasPrefix(k, "AWS::") && !strings.HasPrefix(k, "import:") {
			return &Error{File: t.File, Field: "Parameters", Err: fmt.Errorf("--template-param %s: the template has no such parameter", k)}
		}
	}
	return nil
}

// pseudo is the value of a pseudo parameter.
func (t *Template) pseudo(name string) (any, bool) {
	if v, ok := t.opts.Params[name]; ok {
		return v, true
	}
	switch name {
	case "AWS::Region":
		return t.region(), true
	case "AWS::StackName":
		base := filepath.Base(t.File)
		return strings.TrimSuffix(base, filepath.Ext(base)), true
	case "AWS::URLSuffix":
		return "amazonaws.com", true
	case "AWS::NoValue":
		return noValue{}, true
	case "AWS::StackId", "AWS::NotificationARNs":
		return unknown{name + " is known only when the stack exists"}, true
	}
	if v, ok := pseudoDefaults[name]; ok {
		return v, true
	}
	return nil, false
}

// region is AWS::Region: given, else the one region of the network under
// the template, else us-east-1 (a warning says so).
func (t *Template) region() string {
	if v := t.opts.Params["AWS::Region"]; v != "" {
		return v
	}
	if len(t.opts.AZs) == 1 {
		for r := range t.opts.AZs {
			return r
		}
	}
	t.warn("", "AWS::Region is not given: taken as us-east-1 (give --template-param AWS::Region=REGION)")
	t.regionAssumed = true
	return "us-east-1"
}
