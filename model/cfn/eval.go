package cfn

import (
	"errors"
	"fmt"
	"math/big"
	"net/netip"
	"strconv"
	"strings"

	"github.com/aws-cloudformation/rain/cft/parse"
	"gopkg.in/yaml.v3"
)

// An evaluated template value is a string, a bool, a []any, a
// map[string]any, nil, an unknown or noValue.

// unknown is a value the template does not decide, with the reason.
type unknown struct{ why string }

// noValue is AWS::NoValue: the property is removed.
type noValue struct{}

// evaluator evaluates intrinsic functions. The zero cond cache is filled
// as conditions are asked for.
type evaluator struct {
	t        *Template
	condVals map[string]any // bool or unknown
	condBusy map[string]bool
	condPath []string
	// logical is the resource being evaluated, for messages.
	logical string
	// assumed collects what was assumed while evaluating a resource,
	// by logical ID.
	assumed map[string][]string
	// refOf and getAtt answer references to resources (build.go).
	refOf  func(logical string) any
	getAtt func(logical, attr string, n *yaml.Node) (any, error)
	// steps counts evaluated nodes: YAML aliases can make a small file
	// expand without bound.
	steps int
}

// maxSteps bounds the nodes one build evaluates.
const maxSteps = 2_000_000

func newEvaluator(t *Template) *evaluator {
	return &evaluator{t: t, condVals: map[string]any{}, condBusy: map[string]bool{}, assumed: map[string][]string{}}
}

func (e *evaluator) errAt(n *yaml.Node, format string, args ...any) error {
	return e.t.errAt(n, e.logical, format, args...)
}

func (e *evaluator) assume(text string) {
	for _, a := range e.assumed[e.logical] {
		if a == text {
			return
		}
	}
	e.assumed[e.logical] = append(e.assumed[e.logical], text)
}

// intrinsic returns the function name and argument of a one-key mapping
// that is an intrinsic function call.
func intrinsic(n *yaml.Node) (string, *yaml.Node, bool) {
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return "", nil, false
	}
	k := n.Content[0].Value
	if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
		return k, n.Content[1], true
	}
	return "", nil, false
}

// eval evaluates a template node.
func (e *evaluator) eval(n *yaml.Node) (any, error) {
	if n == nil {
		return nil, nil
	}
	if e.steps++; e.steps > maxSteps {
		return nil, e.errAt(n, "the template expands to more than %d values (YAML aliases?)", maxSteps)
	}
	switch n.Kind {
	case yaml.AliasNode:
		return e.eval(n.Alias)
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!bool":
			b, err := strconv.ParseBool(strings.ToLower(n.Value))
			if err == nil {
				return b, nil
			}
		case "!!null":
			return nil, nil
		}
		return n.Value, nil
	case yaml.SequenceNode:
		out := []any{}
		for _, c := range n.Content {
			v, err := e.eval(c)
			if err != nil {
				return nil, err
			}
			if _, drop := v.(noValue); !drop {
				out = append(out, v)
			}
		}
		return out, nil
	case yaml.MappingNode:
		if fn, arg, ok := intrinsic(n); ok && fn != "Condition" {
			return e.call(fn, arg, n)
		}
		out := map[string]any{}
		for _, kv := range mapPairs(n) {
			v, err := e.eval(kv[1])
			if err != nil {
				return nil, err
			}
			if _, drop := v.(noValue); !drop {
				out[kv[0].Value] = v
			}
		}
		return out, nil
	}
	return nil, nil
}

func (e *evaluator) args(arg *yaml.Node, fn string, want ...int) ([]*yaml.Node, error) {
	if arg.Kind != yaml.SequenceNode {
		return nil, e.errAt(arg, "%s: want a list of arguments", fn)
	}
	for _, w := range want {
		if len(arg.Content) == w {
			return arg.Content, nil
		}
	}
	return nil, e.errAt(arg, "%s: want %v arguments, have %d", fn, want, len(arg.Content))
}

// evalArgs evaluates the n arguments of fn in order.
func (e *evaluator) evalArgs(arg *yaml.Node, fn string, n int) ([]any, error) {
	a, err := e.args(arg, fn, n)
	if err != nil {
		return nil, err
	}
	vs := make([]any, len(a))
	for i, x := range a {
		if vs[i], err = e.eval(x); err != nil {
			return nil, err
		}
	}
	return vs, nil
}

// firstUnknown returns the first unknown among vs.
func firstUnknown(vs ...any) (unknown, bool) {
	for _, v := range vs {
		switch x := v.(type) {
		case unknown:
			return x, true
		case []any:
			if u, ok := firstUnknown(x...); ok {
				return u, true
			}
		}
	}
	return unknown{}, false
}

func scalar(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

func (e *evaluator) call(fn string, arg *yaml.Node, n *yaml.Node) (any, error) {
	switch fn {
	case "Ref":
		return e.ref(arg)
	case "Fn::GetAtt":
		return e.getAttFn(arg)
	case "Fn::Sub":
		return e.sub(arg)
	case "Fn::Join":
		v, err := e.evalArgs(arg, fn, 2)
		if err != nil {
			return nil, err
		}
		d, l := v[0], v[1]
		if u, ok := firstUnknown(d, l); ok {
			return u, nil
		}
		ds, ok := scalar(d)
		list, ok2 := l.([]any)
		if !ok || !ok2 {
			return nil, e.errAt(arg, "Fn::Join: want a delimiter and a list")
		}
		var parts []string
		for _, x := range list {
			s, ok := scalar(x)
			if !ok {
				return nil, e.errAt(arg, "Fn::Join: list element %v is not a string", x)
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ds), nil
	case "Fn::Select":
		v, err := e.evalArgs(arg, fn, 2)
		if err != nil {
			return nil, err
		}
		iv, l := v[0], v[1]
		if u, ok := iv.(unknown); ok {
			return u, nil
		}
		if u, ok := l.(unknown); ok {
			return u, nil
		}
		is, _ := scalar(iv)
		i, err := strconv.Atoi(is)
		list, ok := l.([]any)
		if err != nil || !ok {
			return nil, e.errAt(arg, "Fn::Select: want an index and a list")
		}
		if i < 0 || i >= len(list) {
			return nil, e.errAt(arg, "Fn::Select: index %d is outside the list of %d", i, len(list))
		}
		return list[i], nil
	case "Fn::Split":
		v, err := e.evalArgs(arg, fn, 2)
		if err != nil {
			return nil, err
		}
		d, s := v[0], v[1]
		if u, ok := firstUnknown(d, s); ok {
			return u, nil
		}
		ds, ok := scalar(d)
		ss, ok2 := scalar(s)
		if !ok || !ok2 {
			return nil, e.errAt(arg, "Fn::Split: want a delimiter and a string")
		}
		var out []any
		for _, p := range strings.Split(ss, ds) {
			out = append(out, p)
		}
		return out, nil
	case "Fn::GetAZs":
		v, err := e.eval(arg)
		if err != nil {
			return nil, err
		}
		if u, ok := v.(unknown); ok {
			return u, nil
		}
		region, _ := scalar(v)
		if region == "" {
			region = e.t.region()
		}
		return e.azs(region), nil
	case "Fn::Cidr":
		return e.cidr(arg)
	case "Fn::If":
		a, err := e.args(arg, fn, 3)
		if err != nil {
			return nil, err
		}
		c, err := e.cond(a[0].Value, a[0])
		if err != nil {
			return nil, err
		}
		switch c {
		case true:
			return e.eval(a[1])
		case false:
			return e.eval(a[2])
		}
		return c, nil // unknown
	case "Fn::FindInMap":
		return e.findInMap(arg)
	case "Fn::ImportValue":
		v, err := e.eval(arg)
		if err != nil {
			return nil, err
		}
		if u, ok := v.(unknown); ok {
			return u, nil
		}
		name, _ := scalar(v)
		if given, ok := e.t.opts.Params["import:"+name]; ok {
			return given, nil
		}
		return unknown{fmt.Sprintf("Fn::ImportValue %s is exported by another stack (give --template-param import:%s=VALUE)", name, name)}, nil
	case "Fn::Base64":
		return e.eval(arg)
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		return e.condExpr(n)
	}
	return unknown{fmt.Sprintf("%s is not evaluated by vpcpath", fn)}, nil
}

func (e *evaluator) ref(arg *yaml.Node) (any, error) {
	if arg.Kind != yaml.ScalarNode || arg.Value == "" {
		return nil, e.errAt(arg, "Ref: want a parameter or logical ID")
	}
	name := arg.Value
	if p := e.t.params[name]; p != nil {
		return p.value, nil
	}
	if strings.HasPrefix(name, "AWS::") {
		if v, ok := e.t.pseudo(name); ok {
			return v, nil
		}
		return nil, e.errAt(arg, "Ref %s: no such pseudo parameter", name)
	}
	if e.t.resources[name] != nil {
		return e.refOf(name), nil
	}
	return nil, e.errAt(arg, "unknown Ref %s: not a parameter or a resource of the template", name)
}

func (e *evaluator) getAttFn(arg *yaml.Node) (any, error) {
	if arg.Kind != yaml.SequenceNode || len(arg.Content) != 2 {
		return nil, e.errAt(arg, "Fn::GetAtt: want [LogicalId, Attribute] or LogicalId.Attribute")
	}
	name := arg.Content[0].Value
	av, err := e.eval(arg.Content[1])
	if err != nil {
		return nil, err
	}
	attr, ok := scalar(av)
	if !ok {
		if u, isU := av.(unknown); isU {
			return u, nil
		}
		return nil, e.errAt(arg, "Fn::GetAtt %s: the attribute name is not a string", name)
	}
	if e.t.resources[name] == nil {
		return nil, e.errAt(arg, "Fn::GetAtt %s.%s: %s is not a resource of the template", name, attr, name)
	}
	return e.getAtt(name, attr, arg)
}

// sub evaluates Fn::Sub, with rain's parser of the ${} syntax.
func (e *evaluator) sub(arg *yaml.Node) (any, error) {
	str := arg
	vars := map[string]any{}
	if arg.Kind == yaml.SequenceNode {
		if len(arg.Content) != 2 {
			return nil, e.errAt(arg, "Fn::Sub: want a string or [string, {variables}]")
		}
		str = arg.Content[0]
		for _, kv := range mapPairs(arg.Content[1]) {
			v, err := e.eval(kv[1])
			if err != nil {
				return nil, err
			}
			vars[kv[0].Value] = v
		}
	}
	if str.Kind != yaml.ScalarNode {
		return nil, e.errAt(arg, "Fn::Sub: want a string")
	}
	words, err := parse.ParseSub(str.Value, false)
	if err != nil {
		return nil, e.errAt(str, "Fn::Sub %q: %v", str.Value, err)
	}
	var b strings.Builder
	for _, w := range words {
		var v any
		switch w.T {
		case parse.STR:
			b.WriteString(w.W)
			continue
		case parse.AWS:
			pv, ok := e.t.pseudo("AWS::" + w.W)
			if !ok {
				return nil, e.errAt(str, "Fn::Sub: no pseudo parameter AWS::%s", w.W)
			}
			v = pv
		case parse.GETATT:
			if x, ok := vars[w.W]; ok {
				v = x
				break
			}
			name, attr, _ := strings.Cut(w.W, ".")
			if e.t.resources[name] == nil {
				return nil, e.errAt(str, "Fn::Sub: ${%s}: %s is not a resource of the template", w.W, name)
			}
			if v, err = e.getAtt(name, attr, str); err != nil {
				return nil, err
			}
		default:
			if x, ok := vars[w.W]; ok {
				v = x
				break
			}
			if v, err = e.ref(&yaml.Node{Kind: yaml.ScalarNode, Value: w.W, Line: lineOf(str)}); err != nil {
				return nil, err
			}
		}
		if u, ok := v.(unknown); ok {
			return u, nil
		}
		s, ok := scalar(v)
		if !ok {
			return nil, e.errAt(str, "Fn::Sub: ${%s} is not a string", w.W)
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

func (e *evaluator) findInMap(arg *yaml.Node) (any, error) {
	if arg.Kind != yaml.SequenceNode || len(arg.Content) < 3 {
		return nil, e.errAt(arg, "Fn::FindInMap: want [MapName, TopLevelKey, SecondLevelKey]")
	}
	var keys []string
	for _, c := range arg.Content[:3] {
		v, err := e.eval(c)
		if err != nil {
			return nil, err
		}
		if u, ok := v.(unknown); ok {
			return u, nil
		}
		s, ok := scalar(v)
		if !ok {
			return nil, e.errAt(c, "Fn::FindInMap: a key is not a string")
		}
		keys = append(keys, s)
	}
	n := mapGet(e.t.mappings, keys[0])
	if n == nil {
		return nil, e.errAt(arg, "Fn::FindInMap: no mapping %s", keys[0])
	}
	if n = mapGet(n, keys[1]); n == nil {
		why := ""
		if e.t.regionAssumed && keys[1] == "us-east-1" {
			why = " (AWS::Region was taken as us-east-1: give --template-param AWS::Region=REGION)"
		}
		return nil, e.errAt(arg, "Fn::FindInMap: mapping %s has no key %s%s", keys[0], keys[1], why)
	}
	if n = mapGet(n, keys[2]); n == nil {
		return nil, e.errAt(arg, "Fn::FindInMap: mapping %s.%s has no key %s", keys[0], keys[1], keys[2])
	}
	return e.eval(n)
}

// azs is what Fn::GetAZs returns for region: the zones of the network
// under the template, else an assumed three.
func (e *evaluator) azs(region string) []any {
	var out []any
	if list, ok := e.t.opts.AZs[region]; ok && len(list) > 0 {
		for _, z := range list {
			out = append(out, z)
		}
		return out
	}
	for _, s := range []string{"a", "b", "c"} {
		out = append(out, region+s)
	}
	text := fmt.Sprintf("Fn::GetAZs %s: the region's zones are not known here: taken as %sa, %sb, %sc", region, region, region, region)
	e.t.warn(e.logical, "%s", text)
	e.assume(text)
	return out
}

// cidr is Fn::Cidr [ipBlock, count, cidrBits]: the first count blocks of
// cidrBits host bits each, in address order from the start of ipBlock
// (CloudFormation Template Reference, "Fn::Cidr").
func (e *evaluator) cidr(arg *yaml.Node) (any, error) {
	a, err := e.args(arg, "Fn::Cidr", 3)
	if err != nil {
		return nil, err
	}
	var vs []string
	for _, c := range a {
		v, err := e.eval(c)
		if err != nil {
			return nil, err
		}
		if u, ok := v.(unknown); ok {
			return u, nil
		}
		s, ok := scalar(v)
		if !ok {
			return nil, e.errAt(c, "Fn::Cidr: want a string")
		}
		vs = append(vs, s)
	}
	block, err := netip.ParsePrefix(vs[0])
	if err != nil {
		return nil, e.errAt(a[0], "Fn::Cidr: ipBlock %q: %v", vs[0], err)
	}
	count, err1 := strconv.Atoi(vs[1])
	bits, err2 := strconv.Atoi(vs[2])
	total := block.Addr().BitLen()
	plen := total - bits
	if err1 != nil || err2 != nil || count < 1 || count > 256 || bits < 0 || plen < block.Bits() || plen > total {
		return nil, e.errAt(arg, "Fn::Cidr %s count %s cidrBits %s: want 1-256 blocks of cidrBits host bits inside the block", vs[0], vs[1], vs[2])
	}
	if avail := plen - block.Bits(); avail < 9 && count > 1<<avail {
		return nil, e.errAt(arg, "Fn::Cidr: %s holds only %d blocks of /%d, not %d", vs[0], 1<<avail, plen, count)
	}
	base := new(big.Int).SetBytes(block.Masked().Addr().AsSlice())
	step := new(big.Int).Lsh(big.NewInt(1), uint(bits))
	var out []any
	for i := 0; i < count; i++ {
		v := new(big.Int).Add(base, new(big.Int).Mul(step, big.NewInt(int64(i))))
		buf := make([]byte, total/8)
		v.FillBytes(buf)
		addr, _ := netip.AddrFromSlice(buf)
		out = append(out, netip.PrefixFrom(addr, plen).String())
	}
	return out, nil
}

// cond evaluates a named condition: true, false or unknown. A cycle is an
// error naming it.
func (e *evaluator) cond(name string, at *yaml.Node) (any, error) {
	if v, ok := e.condVals[name]; ok {
		return v, nil
	}
	n := e.t.conditions[name]
	if n == nil {
		return nil, e.errAt(at, "condition %s is not in the Conditions section", name)
	}
	if e.condBusy[name] {
		i := 0
		for i < len(e.condPath) && e.condPath[i] != name {
			i++
		}
		cycle := append(append([]string{}, e.condPath[i:]...), name)
		return nil, &Error{File: e.t.File, Field: "Conditions." + name, Line: lineOf(n), Err: errors.New("circular conditions: " + strings.Join(cycle, " -> "))}
	}
	e.condBusy[name] = true
	e.condPath = append(e.condPath, name)
	v, err := e.condExpr(n)
	e.condPath = e.condPath[:len(e.condPath)-1]
	delete(e.condBusy, name)
	if err != nil {
		return nil, err
	}
	e.condVals[name] = v
	return v, nil
}

// condExpr evaluates a condition expression (Fn::Equals, And, Or, Not, a
// {Condition: name} reference).
func (e *evaluator) condExpr(n *yaml.Node) (any, error) {
	fn, arg, ok := intrinsic(n)
	if !ok {
		v, err := e.eval(n)
		if err != nil {
			return nil, err
		}
		if b, ok := v.(bool); ok {
			return b, nil
		}
		if s, ok := v.(string); ok && (s == "true" || s == "false") {
			return s == "true", nil
		}
		if u, ok := v.(unknown); ok {
			return u, nil
		}
		return nil, e.errAt(n, "want a condition (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition)")
	}
	switch fn {
	case "Condition":
		return e.cond(arg.Value, arg)
	case "Fn::Equals":
		v, err := e.evalArgs(arg, fn, 2)
		if err != nil {
			return nil, err
		}
		x, y := v[0], v[1]
		if u, ok := firstUnknown(x, y); ok {
			return u, nil
		}
		return fmt.Sprint(x) == fmt.Sprint(y), nil
	case "Fn::Not":
		if arg.Kind != yaml.SequenceNode || len(arg.Content) != 1 {
			return nil, e.errAt(arg, "Fn::Not: want a list of one condition")
		}
		v, err := e.condExpr(arg.Content[0])
		if err != nil {
			return nil, err
		}
		if b, ok := v.(bool); ok {
			return !b, nil
		}
		return v, nil
	case "Fn::And", "Fn::Or":
		if arg.Kind != yaml.SequenceNode || len(arg.Content) < 1 {
			return nil, e.errAt(arg, "%s: want a list of conditions", fn)
		}
		var unk any
		for _, c := range arg.Content {
			v, err := e.condExpr(c)
			if err != nil {
				return nil, err
			}
			b, isB := v.(bool)
			switch {
			case !isB:
				unk = v
			case fn == "Fn::And" && !b:
				return false, nil
			case fn == "Fn::Or" && b:
				return true, nil
			}
		}
		if unk != nil {
			return unk, nil
		}
		return fn == "Fn::And", nil
	case "Fn::If":
		return e.call(fn, arg, n)
	}
	v, err := e.call(fn, arg, n)
	if err != nil {
		return nil, err
	}
	if b, ok := v.(bool); ok {
		return b, nil
	}
	if u, ok := v.(unknown); ok {
		return u, nil
	}
	return nil, e.errAt(n, "%s is not a condition", fn)
}
