// Package check runs requirement sets against a model: intent files a
// platform team writes, and built-in profiles such as
// databricks-privatelink. Each requirement is a flow between selectors on a
// protocol and port ranges, with what is expected of it; each answer is
// PASS, FAIL or UNKNOWN with the rule that decided it and the fix.
package check

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vpcpath/vpcpath/model"
)

// File is an intent file (documented by intents.schema.json).
type File struct {
	Requirements []Intent `yaml:"requirements" json:"requirements"`
	DNS          *DNS     `yaml:"dns,omitempty" json:"dns,omitempty"`

	name string // the file, for errors
}

// DNS gives the resolver what a snapshot cannot hold.
type DNS struct {
	Resolve       map[string][]string `yaml:"resolve,omitempty" json:"resolve,omitempty"`
	EndpointNames map[string]string   `yaml:"endpoint_names,omitempty" json:"endpoint_names,omitempty"`
}

// Intent is one requirement.
type Intent struct {
	Name string   `yaml:"name" json:"name"`
	From Selector `yaml:"from" json:"from"`
	To   Selector `yaml:"to" json:"to"`
	// Protocol is written as model.ParseProtocol reads it ("tcp", "-1",
	// "47"); a file that does not name one means tcp (Parse fills it in).
	Protocol model.Protocol `yaml:"protocol" json:"protocol"`
	// Ports are single ports or ranges ("443", "8443-8451", "0-65535"),
	// required for tcp and udp and refused for other protocols.
	Ports  []model.PortRange `yaml:"ports,omitempty" json:"ports,omitempty"`
	Expect string            `yaml:"expect,omitempty" json:"expect,omitempty"` // reachable (default) or blocked
	// Via and NotVia name component types (nat-gateway, vpc-endpoint, ...)
	// or resource IDs the forward path must or must not pass.
	Via        []string `yaml:"via,omitempty" json:"via,omitempty"`
	NotVia     []string `yaml:"not_via,omitempty" json:"not_via,omitempty"`
	ResolvesTo string   `yaml:"resolves_to,omitempty" json:"resolves_to,omitempty"` // private, public, a CIDR or an endpoint ID
	Severity   string   `yaml:"severity,omitempty" json:"severity,omitempty"`       // high (default), medium, low
	// Why says where the requirement comes from (profiles fill it).
	Why string `yaml:"why,omitempty" json:"why,omitempty"`

	line             int
	fromLine, toLine int
	// apart marks a segmentation requirement: every port must be blocked,
	// and a failure names the first open sub-range with its path.
	apart bool
}

// Selector picks sources or destinations. Fields combine with AND.
type Selector struct {
	ENI             string            `yaml:"eni,omitempty" json:"eni,omitempty"`
	Instance        string            `yaml:"instance,omitempty" json:"instance,omitempty"`
	Subnet          []string          `yaml:"subnet,omitempty" json:"subnet,omitempty"`                 // IDs or Name tags
	SecurityGroup   []string          `yaml:"security_group,omitempty" json:"security_group,omitempty"` // IDs or group names
	Tag             map[string]string `yaml:"tag,omitempty" json:"tag,omitempty"`
	Endpoint        string            `yaml:"endpoint,omitempty" json:"endpoint,omitempty"`                 // vpce ID
	EndpointService string            `yaml:"endpoint_service,omitempty" json:"endpoint_service,omitempty"` // service name
	PrefixList      string            `yaml:"prefix_list,omitempty" json:"prefix_list,omitempty"`           // ID or name
	Host            string            `yaml:"host,omitempty" json:"host,omitempty"`
	IP              string            `yaml:"ip,omitempty" json:"ip,omitempty"` // an address or CIDR
	Internet        bool              `yaml:"internet,omitempty" json:"internet,omitempty"`
	Resolver        bool              `yaml:"resolver,omitempty" json:"resolver,omitempty"` // the VPC's Amazon DNS resolver
}

func (s Selector) String() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("eni", s.ENI)
	add("instance", s.Instance)
	add("subnet", strings.Join(s.Subnet, ","))
	add("security_group", strings.Join(s.SecurityGroup, ","))
	for k, v := range s.Tag {
		add("tag:"+k, v)
	}
	add("endpoint", s.Endpoint)
	add("endpoint_service", s.EndpointService)
	add("prefix_list", s.PrefixList)
	add("host", s.Host)
	add("ip", s.IP)
	if s.Internet {
		parts = append(parts, "internet")
	}
	if s.Resolver {
		parts = append(parts, "resolver")
	}
	return strings.Join(parts, " ")
}

// Parse reads an intent file. Errors name the file and line.
func Parse(name string, data []byte) (*File, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		return nil, yamlError(name, err)
	}
	var f File
	dec = yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	items := requirementItems(&root)
	if err := dec.Decode(&f); err != nil {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			// Protocol and ports are read by their UnmarshalText, whose
			// error stops the decoder with no line: find the value.
			if le := textError(name, items); le != nil {
				return nil, le
			}
		}
		return nil, yamlError(name, err)
	}
	f.name = name
	selectorLines(&root, &f)
	for i := range f.Requirements {
		var item *yaml.Node
		if i < len(items) {
			item = items[i]
			f.Requirements[i].line = item.Line
		}
		if mappingValue(item, "protocol") == nil {
			f.Requirements[i].Protocol = model.ProtoTCP // the default
		}
		if err := f.Requirements[i].compile(); err != nil {
			return nil, &model.LoadError{File: name, Line: f.Requirements[i].line, Field: fmt.Sprintf("requirement %q", f.Requirements[i].Name), Err: err}
		}
	}
	if len(f.Requirements) == 0 {
		return nil, &model.LoadError{File: name, Err: errors.New("no requirements")}
	}
	return &f, nil
}

var yamlFieldRE = regexp.MustCompile(`^line (\d+): field (\S+) not found in type \S+$`)
var yamlLineRE = regexp.MustCompile(`^line (\d+): (.*)$`)

// yamlError rewrites the YAML decoder's errors as loader errors ("file:line:
// message"), without Go type names. yaml.v3 reports a syntax error and each
// item of a *yaml.TypeError as text only ("yaml: line N: ..."): the line
// number is read from it.
func yamlError(name string, err error) error {
	at := func(msg string) *model.LoadError {
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			return &model.LoadError{File: name, Line: line, Err: errors.New(m[2])}
		}
		return &model.LoadError{File: name, Err: errors.New(msg)}
	}
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return at(strings.TrimPrefix(err.Error(), "yaml: "))
	}
	var errs []error
	for _, e := range te.Errors {
		if m := yamlFieldRE.FindStringSubmatch(e); m != nil {
			e = fmt.Sprintf("line %s: unknown field %q", m[1], m[2])
		} else {
			e = typeNames.Replace(e)
		}
		errs = append(errs, at(e))
	}
	return errors.Join(errs...)
}

var typeNames = strings.NewReplacer("check.Selector", "a selector (a mapping)", "check.Intent", "a requirement (a mapping)",
	"[]model.PortRange", "a list", "model.PortRange", "a string", "model.Protocol", "a string", "[]string", "a list", "map[string]string", "a mapping", "!!str", "a string", "!!seq", "a list", "!!map", "a mapping",
	"!!int", "a number", "!!bool", "true or false", "cannot unmarshal", "found")

// requirementItems finds the node of each item under "requirements".
func requirementItems(root *yaml.Node) []*yaml.Node {
	if root == nil || len(root.Content) == 0 {
		return nil
	}
	if v := mappingValue(root.Content[0], "requirements"); v != nil {
		return v.Content
	}
	return nil
}

// mappingValue is the value of key in a mapping node; nil when the key is
// absent or its value null.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			if v := n.Content[i+1]; v.Tag != "!!null" {
				return v
			}
			return nil
		}
	}
	return nil
}

// textError finds the first protocol or port, in file order, that its
// UnmarshalText refuses, and names it as compile did: file, the
// requirement's line and name, the field.
func textError(file string, items []*yaml.Node) *model.LoadError {
	for _, item := range items {
		if item.Kind != yaml.MappingNode {
			continue
		}
		name := ""
		if v := mappingValue(item, "name"); v != nil {
			name = v.Value
		}
		for i := 0; i+1 < len(item.Content); i += 2 {
			var err error
			switch v := item.Content[i+1]; item.Content[i].Value {
			case "protocol":
				if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
					if _, e := model.ParseProtocol(v.Value); e != nil {
						err = fmt.Errorf("protocol: %v", e)
					}
				}
			case "ports":
				for _, p := range v.Content {
					if _, e := model.ParsePortRange(p.Value); e != nil && p.Kind == yaml.ScalarNode {
						err = fmt.Errorf("ports: %v", e)
						break
					}
				}
			}
			if err != nil {
				return &model.LoadError{File: file, Line: item.Line, Field: fmt.Sprintf("requirement %q", name), Err: err}
			}
		}
	}
	return nil
}

// compile checks an intent and parses its protocol and ports.
func (in *Intent) compile() error {
	if strings.TrimSpace(in.Name) == "" {
		return fmt.Errorf("name is required")
	}
	if p := in.Protocol; p.HasPorts() {
		if len(in.Ports) == 0 {
			return fmt.Errorf("ports are required for %s", p)
		}
	} else if len(in.Ports) > 0 {
		return fmt.Errorf("ports apply to tcp and udp only")
	}
	switch in.Expect {
	case "":
		in.Expect = "reachable"
	case "reachable", "blocked":
	default:
		return fmt.Errorf("expect: want reachable or blocked, not %q", in.Expect)
	}
	switch in.Severity {
	case "":
		in.Severity = "high"
	case "high", "medium", "low":
	default:
		return fmt.Errorf("severity: want high, medium or low, not %q", in.Severity)
	}
	if err := in.From.validate(true); err != nil {
		return fmt.Errorf("from: %v", err)
	}
	if err := in.To.validate(false); err != nil {
		return fmt.Errorf("to: %v", err)
	}
	if r := in.ResolvesTo; r != "" && r != "private" && r != "public" && !strings.HasPrefix(r, "vpce-") {
		if _, err := netip.ParsePrefix(r); err != nil {
			return fmt.Errorf("resolves_to: want private, public, a CIDR or an endpoint ID, not %q", r)
		}
	}
	if in.ResolvesTo != "" && in.To.Host == "" {
		return fmt.Errorf("resolves_to needs to.host")
	}
	return nil
}

func (s Selector) validate(source bool) error {
	if s.String() == "" {
		return fmt.Errorf("empty selector")
	}
	if source && (s.Endpoint != "" || s.EndpointService != "" || s.PrefixList != "" || s.Host != "" || s.Internet || s.Resolver) {
		return fmt.Errorf("a source is an interface: select it by eni, instance, subnet, security_group, tag or ip")
	}
	if s.IP != "" {
		if _, err := netip.ParseAddr(s.IP); err != nil {
			if _, err := netip.ParsePrefix(s.IP); err != nil {
				return fmt.Errorf("ip: %q is not an address or CIDR", s.IP)
			}
		}
	}
	return nil
}
