package schema_test

import (
	"bytes"
	"encoding"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vpcpath/vpcpath/probe"
	"github.com/vpcpath/vpcpath/schema"
	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/check"
	"github.com/vpcpath/vpcpath/simulate/diff"
	"github.com/vpcpath/vpcpath/simulate/matrix"
	"github.com/vpcpath/vpcpath/simulate/picture"
	"github.com/vpcpath/vpcpath/simulate/render"
)

var update = flag.Bool("update", false, "rewrite the schema files from the Go types")

// document is one --output json document: the Go type marshalled, and
// what its schema says about it.
type document struct {
	name, title, description string
	typ                      reflect.Type
	version                  int // 0: the document carries no schema_version
}

func documents() []document {
	return []document{
		{"trace", "vpcpath trace --output json", "The answer to one trace: the flow resolved to addresses, the verdict (reachable, blocked, unknown, or invalid when AWS would refuse the network), the forward and return hops with the rule that decided each, where the flow dies or the model stops knowing, assumptions, and one fix (with fix_source in the input's language).", reflect.TypeFor[simulate.Result](), simulate.SchemaVersion},
		{"resolve", "vpcpath resolve --output json", "What a VPC's Amazon resolver answers for a host name: the CNAME chain, the answers, whether they came from inside the VPC, and the decision (allow, deny, unknown) with its reason.", reflect.TypeFor[simulate.DNSAnswer](), simulate.ResolveSchemaVersion},
		{"check", "vpcpath check --output json", "A requirement profile's or intent file's run: parameters discovered, a PASS/FAIL/UNKNOWN summary, and the outcomes by section (refused: what AWS would refuse to create; functional; shape).", reflect.TypeFor[render.CheckReport](), render.CheckSchemaVersion},
		{"diff", "vpcpath diff --output json", "A comparison of two networks (a change): requirements whose status changed, reachability added, removed or taking another path, the plan's changes blamed, and the profile parameters kept or rediscovered.", reflect.TypeFor[diff.Report](), diff.SchemaVersion},
		{"probe-plan", "vpcpath probe-plan output", "The checks the probe runs from one interface, each with the simulator's prediction.", reflect.TypeFor[probe.Plan](), probe.SchemaVersion},
		{"probe-report", "vpcpath probe report", "What the probe observed running a plan: the host, and per check the DNS answer or TCP connects (with an optional TLS handshake).", reflect.TypeFor[probe.Report](), probe.SchemaVersion},
		{"matrix", "vpcpath matrix --output json", "Reachability between segments (subnets, security groups, VPCs, accounts or tag values) on a protocol and port range: the segments with their members, one cell per ordered pair (row-major) with its status (reachable, partial, blocked, unknown, empty), the ports some member pair reaches, and the runs of ports with how many member pairs reach, are blocked or are undecided (and, with --rules, what decided them); with --expect, the audit's outcomes.", reflect.TypeFor[matrix.Matrix](), matrix.SchemaVersion},
		{"validate", "vpcpath validate --output json", "A probe report compared with the model: one item per check (or run of ports) with the predicted and observed outcome, classed, and likely causes of disagreement.", reflect.TypeFor[probe.Validation](), probe.SchemaVersion},
		{"graph", "vpcpath graph --output json", "The network's topology as drawn: nodes (kind, AWS ID, Name tag, account, region, VPC, detail; a collapsed subnet group's members) and edges (from, to, kind, label, state active, inactive or unknown, and a note saying why when not active), each with its ID.", reflect.TypeFor[picture.Document](), picture.SchemaVersion},
	}
}

// enums are the closed lists of the string types the code defines.
var enums = map[reflect.Type][]string{
	reflect.TypeFor[simulate.Verdict]():    {string(simulate.Reachable), string(simulate.Blocked), string(simulate.Unknown), string(simulate.Invalid)},
	reflect.TypeFor[simulate.Decision]():   {string(simulate.Allow), string(simulate.Deny), string(simulate.Undecided)},
	reflect.TypeFor[simulate.Direction]():  {string(simulate.Egress), string(simulate.Ingress), string(simulate.Forward)},
	reflect.TypeFor[simulate.Component]():  components(),
	reflect.TypeFor[simulate.Code]():       strs(simulate.Codes),
	reflect.TypeFor[simulate.RefKind]():    strs(simulate.RefKinds),
	reflect.TypeFor[simulate.ChangeKind](): strs(simulate.ChangeKinds),
	reflect.TypeFor[check.Status]():        {string(check.Pass), string(check.Fail), string(check.Unknown)},
	reflect.TypeFor[matrix.Status]():       strs(matrix.Statuses),
	reflect.TypeFor[picture.Kind]():        strs(picture.Kinds),
	reflect.TypeFor[picture.EdgeKind]():    strs(picture.EdgeKinds),
	reflect.TypeFor[picture.State]():       strs(picture.States),
}

func components() []string { return strs(simulate.Components) }

// strs is a closed list of a string type as strings.
func strs[T ~string](l []T) []string {
	out := make([]string, len(l))
	for i, c := range l {
		out[i] = string(c)
	}
	return out
}

// fieldEnums are closed lists held in plain string fields ("Type.Field").
var fieldEnums = map[string][]string{
	"probe.Check.Kind":             {"dns", "tcp"},
	"probe.TCPObservation.Outcome": {probe.Open, probe.Refused, probe.Timeout, probe.Unreachable, probe.Failed, probe.NotRun},
	"probe.DNSObservation.Outcome": {probe.Answered, probe.DNSTimeout, probe.Failed, probe.NotRun},
	"probe.Item.Class":             {probe.Agree, probe.ReachableButDropped, probe.BlockedButOpen, probe.DNSOtherwise, probe.Inconclusive},
	"probe.Cause.Class":            {probe.OutsideModel, probe.SnapshotStale, probe.ModelWrong},
	"check.Outcome.Section":        {"functional", "shape", "refused"},
	"diff.VerdictChange.Section":   {"functional", "shape", "refused"},
	"diff.Change.Kind":             {"ADDED", "REMOVED", "PATH"},
	// A requirement that appears (or disappears) with the change has no
	// status before (after) it: "-".
	"diff.VerdictChange.Before": {"-", string(check.Pass), string(check.Fail), string(check.Unknown)},
	"diff.VerdictChange.After":  {"-", string(check.Pass), string(check.Fail), string(check.Unknown)},
}

var textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()

type gen struct {
	defs map[string]any
}

func typeName(t reflect.Type) string {
	pkg := t.PkgPath()
	return pkg[strings.LastIndex(pkg, "/")+1:] + "." + t.Name()
}

// schemaOf is the schema of a value of type t; nullable when Go may
// marshal it as null (a nil pointer, slice or map without omitempty).
func (g *gen) schemaOf(t reflect.Type, nullable bool) map[string]any {
	var s map[string]any
	switch {
	case t == reflect.TypeFor[time.Time]():
		s = map[string]any{"type": "string", "format": "date-time"}
	case t.Kind() == reflect.Pointer:
		return g.schemaOf(t.Elem(), nullable)
	case t.Implements(textMarshaler):
		// encoding/json writes it as the string MarshalText returns
		// (model.Protocol "tcp", model.PortRange "8443-8451").
		s = map[string]any{"type": "string"}
	case t.Kind() == reflect.Struct:
		name := typeName(t)
		if _, ok := g.defs[name]; !ok {
			g.defs[name] = nil // recursion guard
			g.defs[name] = g.object(t)
		}
		s = map[string]any{"$ref": "#/$defs/" + name}
	case t.Kind() == reflect.Slice:
		s = map[string]any{"type": "array", "items": g.schemaOf(t.Elem(), false)}
	case t.Kind() == reflect.Map:
		s = map[string]any{"type": "object", "additionalProperties": g.schemaOf(t.Elem(), false)}
	case t.Kind() == reflect.String:
		s = map[string]any{"type": "string"}
		if e, ok := enums[t]; ok {
			s["enum"] = e
		}
	case t.Kind() == reflect.Bool:
		s = map[string]any{"type": "boolean"}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		s = map[string]any{"type": "integer"}
	case t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64:
		s = map[string]any{"type": "integer", "minimum": 0}
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		s = map[string]any{"type": "number"}
	default:
		panic(fmt.Sprintf("schema: no schema for %s", t))
	}
	if nullable {
		return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
	}
	return s
}

func (g *gen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	required := []string{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Anonymous {
			panic(fmt.Sprintf("schema: embedded field %s.%s is not supported", t, f.Name))
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		omitempty := strings.Contains(opts, "omitempty")
		k := f.Type.Kind()
		// A nil slice or map that marshals as text is written as its text
		// (PortList: ""), not null.
		mayBeNil := k == reflect.Pointer || (k == reflect.Slice || k == reflect.Map) && !f.Type.Implements(textMarshaler)
		p := g.schemaOf(f.Type, mayBeNil && !omitempty)
		if e, ok := fieldEnums[typeName(t)+"."+f.Name]; ok {
			p["enum"] = e
		}
		props[name] = p
		if !omitempty {
			required = append(required, name)
		}
	}
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

func generate(d document) []byte {
	g := &gen{defs: map[string]any{}}
	root := g.object(d.typ)
	if d.version != 0 {
		root["properties"].(map[string]any)["schema_version"] = map[string]any{"const": d.version}
	}
	for _, k := range []string{"kind"} {
		if _, ok := root["properties"].(map[string]any)[k]; ok && strings.HasPrefix(d.name, "probe-") {
			root["properties"].(map[string]any)[k] = map[string]any{"const": "vpcpath-" + d.name}
		}
	}
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = "https://github.com/vpcpath/vpcpath/schema/" + d.name + ".schema.json"
	root["title"] = d.title
	root["description"] = d.description + " Generated from the Go type " + typeName(d.typ) + "; see CHANGELOG.md for its versions."
	if ref, ok := g.defs["simulate.RuleRef"].(map[string]any); ok {
		// Which fields a reference has depends on its kind.
		var conds []any
		for _, k := range simulate.RefKinds {
			conds = append(conds, map[string]any{
				"if":   map[string]any{"properties": map[string]any{"kind": map[string]any{"const": string(k)}}},
				"then": map[string]any{"required": simulate.RefRequired[k]},
			})
		}
		ref["allOf"] = conds
	}
	if len(g.defs) > 0 {
		root["$defs"] = g.defs
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(root); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// TestSchemasMatchTypes fails when a marshalled Go type changes and its
// schema file was not regenerated (go test ./schema -update).
func TestSchemasMatchTypes(t *testing.T) {
	docs := documents()
	if len(docs) != len(schema.Names) {
		t.Fatalf("%d documents generated, schema.Names lists %d", len(docs), len(schema.Names))
	}
	for i, d := range docs {
		if schema.Names[i] != d.name {
			t.Errorf("schema.Names[%d] = %s, generator has %s", i, schema.Names[i], d.name)
		}
		want := generate(d)
		if *update {
			if err := os.WriteFile(d.name+".schema.json", want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := schema.File(d.name)
		if err != nil {
			t.Fatalf("%s: %v (run go test ./schema -update)", d.name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s.schema.json is not what %s generates: run go test ./schema -update and add a CHANGELOG.md entry", d.name, typeName(d.typ))
		}
	}
}

// TestVersionsInChangelog: each schema's schema_version is the version
// the code writes, and CHANGELOG.md has an entry for it that names the
// document, so a bump never goes unexplained.
func TestVersionsInChangelog(t *testing.T) {
	data, err := os.ReadFile("../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	log := string(data)
	for _, d := range documents() {
		got, err := schema.Version(d.name)
		if err != nil {
			t.Fatal(err)
		}
		if got != d.version {
			t.Errorf("%s.schema.json has schema_version %d, the code writes %d", d.name, got, d.version)
		}
		if d.version == 0 {
			continue
		}
		head := fmt.Sprintf("\n## schema_version %d", d.version)
		_, section, ok := strings.Cut(log, head)
		if !ok {
			t.Errorf("CHANGELOG.md has no %q section (for %s)", strings.TrimSpace(head), d.name)
			continue
		}
		section, _, _ = strings.Cut(section, "\n## ")
		if !strings.Contains(section, "`"+d.name+"`") {
			t.Errorf("CHANGELOG.md section %q does not name `%s`", strings.TrimSpace(head), d.name)
		}
	}
}

// TestCodesDocumented: docs/json.md has a table row for every explanation
// code and rule reference kind, and lists nothing the code does not.
func TestCodesDocumented(t *testing.T) {
	data, err := os.ReadFile("../docs/json.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		if name, ok := strings.CutPrefix(l, "| `"); ok {
			name, _, _ = strings.Cut(name, "`")
			rows[name] = true
		}
	}
	want := append(strs(simulate.Codes), strs(simulate.RefKinds)...)
	for _, w := range want {
		if !rows[w] {
			t.Errorf("docs/json.md has no table row for %s", w)
		}
		delete(rows, w)
	}
	for r := range rows {
		if strings.ToUpper(r) == r && strings.Contains(r, "_") {
			t.Errorf("docs/json.md documents %s, which is not in simulate.Codes", r)
		}
	}
}
