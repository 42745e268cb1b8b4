package tfplan

import (
	"fmt"
	"math"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// Accessors for the loosely typed values of a plan.

func str(v map[string]any, k string) string {
	switch x := v[k].(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

func boolOr(v map[string]any, k string, def bool) bool {
	switch x := v[k].(type) {
	case bool:
		return x
	case string:
		if b, err := strconv.ParseBool(x); err == nil {
			return b
		}
	}
	return def
}

func num(v map[string]any, k string) (int, bool) {
	switch x := v[k].(type) {
	case float64:
		if x == math.Trunc(x) {
			return int(x), true
		}
	case string:
		if n, err := strconv.Atoi(x); err == nil {
			return n, true
		}
	}
	return 0, false
}

// strs returns a string or a list of strings as a list, without empties.
func strs(v map[string]any, k string) []string {
	switch x := v[k].(type) {
	case string:
		if x != "" {
			return []string{x}
		}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// blocks returns a nested block list (or a single object) as maps.
func blocks(v map[string]any, k string) []map[string]any {
	switch x := v[k].(type) {
	case []any:
		var out []map[string]any
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	case map[string]any:
		return []map[string]any{x}
	}
	return nil
}

func tags(v map[string]any) model.Tags {
	t := model.Tags{}
	for _, k := range []string{"tags_all", "tags"} {
		if m, ok := v[k].(map[string]any); ok {
			for kk, vv := range m {
				if s, ok := vv.(string); ok {
					t[kk] = s
				}
			}
		}
	}
	if len(t) == 0 {
		return nil
	}
	return t
}

func parsePrefix(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return p, fmt.Errorf("bad CIDR %q", s)
	}
	return p, nil
}

// protocol parses a rule's protocol as Terraform writes it ("tcp", "6",
// "-1", "all").
func protocol(s string) (model.Protocol, error) {
	if s == "" {
		return model.ProtoAll, nil
	}
	return model.ParseProtocol(s)
}

// portsOf reads from_port/to_port for a protocol; all ports when the
// protocol has none or the range is absent.
func portsOf(v map[string]any, proto model.Protocol, fromKey, toKey string) (model.PortRange, model.ICMPMatch) {
	from, okf := num(v, fromKey)
	to, okt := num(v, toKey)
	switch {
	case proto.HasPorts():
		if okf && okt && from >= 0 && from <= to && to <= 65535 {
			return model.PortRange{First: uint16(from), Last: uint16(to)}, model.AnyICMP
		}
		return model.AllPorts, model.AnyICMP
	case proto.IsICMP():
		t, c := int16(-1), int16(-1)
		if okf && from >= 0 {
			t = int16(from)
		}
		if okt && to >= 0 && t != -1 {
			c = int16(to)
		}
		return model.AllPorts, model.ICMPMatch{Type: t, Code: c}
	}
	return model.AllPorts, model.AnyICMP
}

func appendUniq(list []string, s ...string) []string {
	for _, x := range s {
		if x == "" {
			continue
		}
		found := false
		for _, y := range list {
			if y == x {
				found = true
				break
			}
		}
		if !found {
			list = append(list, x)
		}
	}
	return list
}

func remove(list []string, s string) []string {
	out := list[:0:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}
