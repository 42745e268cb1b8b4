package cfn

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// field is one evaluated property: a string, unknown (why says so, naming
// the logical ID and property), or absent.
type field struct {
	s       string
	present bool
	why     string // set when the template does not decide the value
}

func (f field) known() bool { return f.present && f.why == "" }

// get reads property path k ("PortRange.From") of evaluated properties.
func get(vals map[string]any, k string) (any, bool) {
	var cur any = vals
	for _, part := range strings.Split(k, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func fieldOf(logical, k string, v any, ok bool) field {
	if !ok || v == nil {
		return field{}
	}
	switch x := v.(type) {
	case unknown:
		return field{present: true, why: fmt.Sprintf("%s.%s: %s", logical, k, x.why)}
	case string:
		return field{s: x, present: true}
	case bool:
		return field{s: strconv.FormatBool(x), present: true}
	}
	return field{present: true, why: fmt.Sprintf("%s.%s: want a string, have %v", logical, k, v)}
}

// list reads a list property; unknown elements (or an unknown list) are
// reported in why.
func listOf(logical, k string, v any, ok bool) (out []string, why string) {
	if !ok || v == nil {
		return nil, ""
	}
	switch x := v.(type) {
	case unknown:
		return nil, fmt.Sprintf("%s.%s: %s", logical, k, x.why)
	case string:
		return []string{x}, ""
	case []any:
		for _, e := range x {
			f := fieldOf(logical, k, e, true)
			if f.why != "" {
				why = f.why
				continue
			}
			out = append(out, f.s)
		}
	}
	return out, why
}

func boolField(f field, def bool) bool {
	if !f.known() {
		return def
	}
	b, err := strconv.ParseBool(strings.ToLower(f.s))
	if err != nil {
		return def
	}
	return b
}

func parsePrefix(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a CIDR block", s)
	}
	if p != p.Masked() {
		return netip.Prefix{}, fmt.Errorf("%q has host bits set (AWS rejects it: want %s)", s, p.Masked())
	}
	return p, nil
}

func appendUniq(list []string, s ...string) []string {
	for _, x := range s {
		if x == "" {
			continue
		}
		found := false
		for _, y := range list {
			found = found || y == x
		}
		if !found {
			list = append(list, x)
		}
	}
	return list
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

func placeholder(prefix, what string) string { return prefix + "-(" + what + ")" }

// IsPlaceholder reports whether id is a placeholder named after a logical
// ID ("sg-(WorkspaceSecurityGroup)").
func IsPlaceholder(id string) bool { return strings.Contains(id, "-(") && strings.HasSuffix(id, ")") }

// tags reads the Tags property ([{Key, Value}]); unknown values are left out.
func tags(vals map[string]any) model.Tags {
	l, ok := vals["Tags"].([]any)
	if !ok {
		return nil
	}
	t := model.Tags{}
	for _, e := range l {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		k, ok1 := m["Key"].(string)
		v, ok2 := m["Value"].(string)
		if ok1 && ok2 {
			t[k] = v
		}
	}
	if len(t) == 0 {
		return nil
	}
	return t
}
