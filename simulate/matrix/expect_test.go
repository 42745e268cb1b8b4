package matrix

import (
	"bytes"
	"encoding/json"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"errors"
	"net/netip"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/check"
)

// apart is the audit of the example: the public subnet and the workspace
// subnets stay apart both ways on every TCP port.
const apart = `by: subnet
expectations:
  - name: public apart from workspaces
    from: {segment: [public-a]}
    to: {segment: [workspace-a, workspace-b]}
    expect: blocked
  - name: workspaces apart from public
    from: {segment: [workspace-a, workspace-b]}
    to: {segment: [public-a]}
    expect: blocked
  - name: workspaces talk on 8443
    from: {segment: [workspace-a]}
    to: {segment: [workspace-b]}
    ports: ["8443"]
    expect: reachable
`

func audit(t *testing.T, m *model.Model) ([]check.Outcome, *Matrix) {
	t.Helper()
	f, err := ParseExpect("apart.yaml", []byte(apart))
	if err != nil {
		t.Fatal(err)
	}
	x, err := Compute(m, Options{By: f.By, Protocol: model.ProtoTCP, Ports: model.AllPorts})
	if err != nil {
		t.Fatal(err)
	}
	out, err := x.Check(f)
	if err != nil {
		t.Fatal(err)
	}
	return out, x
}

// opened lists the (from, to) segment pairs of x where some member pair
// reaches on port p, by tracing every member pair.
func opened(t *testing.T, m *model.Model, x *Matrix, p uint16) map[[2]string]bool {
	t.Helper()
	out := map[[2]string]bool{}
	for i, a := range x.members {
		for j, b := range x.members {
			for _, s := range a {
				for _, d := range b {
					if s == d {
						continue
					}
					r, err := simulate.TraceRange(m, simulate.Query{From: s.ID, To: d.ID, Protocol: model.ProtoTCP, StandIns: x.standIns}, model.Port(p))
					if err != nil {
						t.Fatal(err)
					}
					if r.Verdict == simulate.Reachable {
						out[[2]string{x.Segments[i].ID, x.Segments[j].ID}] = true
					}
				}
			}
		}
	}
	return out
}

// TestAuditFailsForExactlyThePlantedOpening plants one security group rule
// (the workspace group admits tcp 8440-8450 from the public subnet) and
// checks that the audit, which passes on the example, fails for exactly
// the segment pairs the rule opens (found by tracing every member pair),
// naming exactly those ports, the path and the rule.
func TestAuditFailsForExactlyThePlantedOpening(t *testing.T) {
	m := loadExample(t)
	before, _ := audit(t, m)
	for _, o := range before {
		if o.Status != check.Pass {
			t.Fatalf("before the planted rule: %s %s: %s", o.Status, o.Name, o.Detail)
		}
	}
	planted := m.Clone()
	g := planted.SecurityGroups["sg-0a0000000000000f1"]
	g.Ingress = append(g.Ingress, model.SGRule{GroupID: g.ID, Protocol: model.ProtoTCP, Ports: model.PortRange{First: 8440, Last: 8450},
		CIDR: netip.MustParsePrefix("10.0.0.0/24"), ICMP: model.AnyICMP})
	planted.Index()
	after, x := audit(t, planted)
	var failed [][2]string
	for _, o := range after {
		switch o.Status {
		case check.Fail:
			failed = append(failed, [2]string{o.From, o.To})
			if !strings.Contains(o.Detail, "tcp/8440-8450 open for") || strings.Count(o.Detail, " open for ") != 1 {
				t.Errorf("%s: detail %q does not name exactly tcp/8440-8450", o.Name, o.Detail)
			}
			if !strings.Contains(o.Rule, "sg-0a0000000000000f1: ingress tcp 8440-8450 from 10.0.0.0/24") {
				t.Errorf("%s: rule %q is not the planted one", o.Name, o.Rule)
			}
		case check.Unknown:
			t.Errorf("%s: unknown: %s", o.Name, o.Detail)
		}
	}
	want := opened(t, planted, x, 8445)
	for k := range opened(t, m, x, 8445) {
		delete(want, k)
	}
	var wantList [][2]string
	for k := range want {
		wantList = append(wantList, k)
	}
	less := func(s [][2]string) { sort.Slice(s, func(i, j int) bool { return s[i][0]+s[i][1] < s[j][0]+s[j][1] }) }
	less(failed)
	less(wantList)
	if len(failed) == 0 || !reflect.DeepEqual(failed, wantList) {
		t.Fatalf("the audit fails for %v; the planted rule opens %v", failed, wantList)
	}
}

func TestExpectFileErrors(t *testing.T) {
	m := loadExample(t)
	x, err := Compute(m, Options{By: BySubnet, Protocol: model.ProtoTCP, Ports: model.PortRange{First: 0, Last: 1023}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, file, want string }{
		{"no expectations", "by: subnet\n", "expectations: no expectations"},
		{"unknown field", "expectations:\n  - name: a\n    form: {segment: [x]}\n", `unknown field "form"`},
		{"bad expect", "expectations:\n  - name: a\n    from: {segment: [public-a]}\n    to: {segment: [public-a]}\n    expect: open\n", `x.yaml:2: expectation "a": expect: want blocked or reachable, not "open"`},
		{"empty selector", "expectations:\n  - name: a\n    from: {}\n    to: {segment: [public-a]}\n    expect: blocked\n", "from: select segments"},
		{"bad by", "by: zone\nexpectations:\n  - name: a\n    from: {segment: [a]}\n    to: {segment: [b]}\n    expect: blocked\n", `--by: want subnet`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseExpect("x.yaml", []byte(tc.file))
			var le *model.LoadError
			if err == nil || !errors.As(err, &le) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want a LoadError with %q", err, tc.want)
			}
		})
	}
	for _, tc := range []struct{ name, file, want string }{
		{"no such segment", "expectations:\n  - name: a\n    from: {segment: [nope]}\n    to: {segment: [public-a]}\n    expect: blocked\n", `x.yaml:2: expectation "a": from: segment "nope": no subnet segment has this ID or name`},
		{"ports outside", "expectations:\n  - name: a\n    from: {segment: [public-a]}\n    to: {segment: [public-a]}\n    ports: [\"8443\"]\n    expect: blocked\n", "ports 8443 lie outside the matrix's ports 0-1023"},
		{"other protocol", "expectations:\n  - name: a\n    from: {segment: [public-a]}\n    to: {segment: [public-a]}\n    protocol: udp\n    expect: blocked\n", "run it with --protocol udp"},
		{"tag selects none", "expectations:\n  - name: a\n    from: {tag: {env: prod}}\n    to: {segment: [public-a]}\n    expect: blocked\n", "tag:env=prod selects no subnet segment"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseExpect("x.yaml", []byte(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = x.Check(f)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

// TestExpectSchemaMatchesTheTypes keeps matrix-expect.schema.json (beside
// the intent files' schema) in step with the fields ParseExpect accepts.
func TestExpectSchemaMatchesTheTypes(t *testing.T) {
	data, err := os.ReadFile("../check/matrix-expect.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	assertSchemaFields(t, data, map[string]reflect.Type{"": reflect.TypeOf(ExpectFile{}),
		"expectation": reflect.TypeOf(Expectation{}), "selector": reflect.TypeOf(SegmentSelector{})})
}

// assertSchemaFields compares the properties of each definition of a
// schema ("" for the top level) with the yaml fields of a type.
func assertSchemaFields(t *testing.T, data []byte, types map[string]reflect.Type) {
	t.Helper()
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Defs       map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	for name, typ := range types {
		want := map[string]bool{}
		for i := 0; i < typ.NumField(); i++ {
			if tag := strings.Split(typ.Field(i).Tag.Get("yaml"), ",")[0]; tag != "" {
				want[tag] = true
			}
		}
		props := schema.Defs[name].Properties
		if name == "" {
			props = schema.Properties
		}
		got := map[string]bool{}
		for k := range props {
			got[k] = true
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: schema properties %v, type fields %v", name, got, want)
		}
	}
}

// The audit file of the tests is valid against the schema.
func TestExpectExampleIsValid(t *testing.T) {
	data, err := os.ReadFile("../check/matrix-expect.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("matrix-expect.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("matrix-expect.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal([]byte(apart), &v); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(v)
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err := sch.Validate(inst); err != nil {
		t.Fatal(err)
	}
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"expectations": [{"name": "a", "from": {}, "to": {"segment": ["x"]}, "expect": "open"}]}`))
	if sch.Validate(bad) == nil {
		t.Fatal("the schema accepts an empty selector and expect: open")
	}
}

// TestDocsExpectExample runs the expectation file docs/matrix.md shows on
// the bundled example: every expectation passes, as the page says.
func TestDocsExpectExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/matrix.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```yaml\n")
	if !ok {
		t.Fatal("docs/matrix.md shows no expectation file")
	}
	body, _, _ := strings.Cut(rest, "```")
	f, err := ParseExpect("docs/matrix.md", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	m := loadExample(t)
	x, err := Compute(m, Options{By: f.By, Protocol: model.ProtoTCP, Ports: model.AllPorts})
	if err != nil {
		t.Fatal(err)
	}
	out, err := x.Check(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 5 {
		t.Fatalf("%d outcomes, want 5 (2 + 2 + 1 cells)", len(out))
	}
	for _, o := range out {
		if o.Status != check.Pass {
			t.Errorf("%s: %s %s", o.Name, o.Status, o.Detail)
		}
	}
}
