package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/vpcpath/vpcpath/schema"
	"github.com/vpcpath/vpcpath/simulate"
)

// schemaLogEnv names the file the vpcpath command of the golden scripts
// appends one line to per JSON document it writes: "ok NAME" or the
// schema violation. TestScriptsMatchSchema sets it.
const schemaLogEnv = "VPCPATH_SCHEMA_LOG"

// mainCheckingSchema is Main for the golden scripts: when schemaLogEnv is
// set, every JSON document written to stdout is validated against its
// schema (schema/NAME.schema.json) and the result logged.
func mainCheckingSchema() int {
	log := os.Getenv(schemaLogEnv)
	if log == "" {
		return Main()
	}
	var out bytes.Buffer
	s := systemStreams()
	s.Out = io.MultiWriter(os.Stdout, &out)
	args := os.Args[1:]
	code := run(args, s)
	name := jsonDocument(args)
	if name == "" || out.Len() == 0 {
		return code
	}
	line := "ok " + name
	if err := schema.Validate(name, out.Bytes()); err != nil {
		wd, _ := os.Getwd()
		line = fmt.Sprintf("FAIL %s: vpcpath %s: %v", wd, strings.Join(args, " "), strings.ReplaceAll(err.Error(), "\n", " | "))
	}
	f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, "schema log:", err)
		return exitError
	}
	defer f.Close()
	fmt.Fprintln(f, line)
	return code
}

// jsonDocument names the schema of what vpcpath args writes to stdout,
// or "" when it writes no JSON document of the contract.
func jsonDocument(args []string) string {
	sub := ""
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			sub = a
			break
		}
	}
	if sub == "probe-plan" {
		return sub // always JSON
	}
	isJSON := false
	for i, a := range args {
		switch {
		case a == "--output=json" || a == "-o=json" || a == "-ojson":
			isJSON = true
		case (a == "-o" || a == "--output") && i+1 < len(args) && args[i+1] == "json":
			isJSON = true
		}
	}
	switch sub {
	case "trace", "resolve", "check", "diff", "validate", "matrix":
		if isJSON {
			return sub
		}
	}
	return ""
}

// TestScriptsMatchSchema runs the golden scripts again with every JSON
// document they make validated against its schema, so a field added to
// an output without its schema (or a value outside a closed list) fails.
func TestScriptsMatchSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every golden script")
	}
	log := filepath.Join(t.TempDir(), "schema.log")
	p := scriptParams(t, "testdata/script")
	p.UpdateScripts = false
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		env.Setenv(schemaLogEnv, log)
		return setup(env)
	}
	t.Cleanup(func() { checkSchemaLog(t, log) })
	testscript.Run(t, p)
}

func checkSchemaLog(t *testing.T, log string) {
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatalf("no JSON document was validated: %v", err)
	}
	seen := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if name, ok := strings.CutPrefix(line, "ok "); ok {
			seen[name]++
			continue
		}
		t.Error(line)
	}
	t.Logf("validated: %v", seen)
	// Each document with golden scripts must have been seen, or the
	// test checks nothing for it; under a -run filter only some scripts
	// ran, so only what they made is checked.
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() != "" {
		return
	}
	// (validate's golden scripts write text: TestValidateOutputMatchesSchema.)
	for _, name := range []string{"trace", "resolve", "check", "diff", "probe-plan", "matrix"} {
		if seen[name] == 0 {
			t.Errorf("no golden %s document was validated", name)
		}
	}
}

func TestJSONDocument(t *testing.T) {
	for _, c := range []struct {
		args string
		want string
	}{
		{"trace --example x --from a --to b -o json", "trace"},
		{"trace -q --plan p --output=json", "trace"},
		{"trace --example x --from a --to b", ""},
		{"trace --example x -o mermaid", ""},
		{"check --example x --output json", "check"},
		{"check --example x -o junit", ""},
		{"matrix --example x -o json", "matrix"},
		{"matrix --example x -o csv", ""},
		{"probe-plan --example x --from a --to b", "probe-plan"},
		{"validate --report r.json -o json", "validate"},
		{"profiles -o json", ""},
		{"__complete trace -o json", ""},
	} {
		if got := jsonDocument(strings.Fields(c.args)); got != c.want {
			t.Errorf("jsonDocument(%q) = %q, want %q", c.args, got, c.want)
		}
	}
}

// TestValidateOutputMatchesSchema validates validate's JSON on the probe
// report of the golden script probe_plan_validate.
func TestValidateOutputMatchesSchema(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/script/probe_plan_validate.txtar")
	if err != nil {
		t.Fatal(err)
	}
	report := ""
	for _, f := range ar.Files {
		if f.Name == "open22.json" {
			report = filepath.Join(t.TempDir(), f.Name)
			if err := os.WriteFile(report, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if report == "" {
		t.Fatal("probe_plan_validate.txtar has no open22.json")
	}
	var out, errOut bytes.Buffer
	code := run([]string{"validate", "--example", "databricks-privatelink", "--report", report, "-o", "json"}, &streams{Out: &out, ErrOut: &errOut})
	if code == exitError {
		t.Fatalf("validate: %s", errOut.String())
	}
	if err := schema.Validate("validate", out.Bytes()); err != nil {
		t.Errorf("validate -o json: %v\n%s", err, out.String())
	}
}

// TestSchemaRejectsDrift shows the schemas are strict: a real trace
// document validates, and each edit a careless change could make to the
// output does not.
func TestSchemaRejectsDrift(t *testing.T) {
	var out, errOut bytes.Buffer
	args := strings.Fields("trace --example databricks-privatelink --from i-0a0000000000c0001 --to 10.0.0.2 --protocol udp --port 53 -o json")
	if code := run(args, &streams{Out: &out, ErrOut: &errOut}); code == exitError {
		t.Fatalf("trace: %s", errOut.String())
	}
	if err := schema.Validate("trace", out.Bytes()); err != nil {
		t.Fatalf("the unedited trace does not validate: %v", err)
	}
	for _, c := range []struct {
		name string
		edit func(doc map[string]any)
	}{
		{"unknown top-level field", func(d map[string]any) { d["explanation_code"] = "NO_ROUTE" }},
		{"unknown hop field", func(d map[string]any) { hop(d)["rule_id"] = "sgr-1" }},
		{"unknown flow field", func(d map[string]any) { d["flow"].(map[string]any)["vpc"] = "vpc-1" }},
		{"verdict outside the list", func(d map[string]any) { d["verdict"] = "maybe" }},
		{"component outside the list", func(d map[string]any) { hop(d)["component"] = "load-balancer" }},
		{"direction outside the list", func(d map[string]any) { hop(d)["direction"] = "sideways" }},
		{"required field missing", func(d map[string]any) { delete(d, "assumptions") }},
		{"required hop field missing", func(d map[string]any) { delete(hop(d), "decision") }},
		{"schema_version bumped", func(d map[string]any) { d["schema_version"] = simulate.SchemaVersion + 1 }},
		{"code outside the list", func(d map[string]any) { hop(d)["code"] = "NO_SUCH_CODE" }},
		{"hop without a code", func(d map[string]any) { delete(hop(d), "code") }},
		{"ref kind outside the list", func(d map[string]any) { hop(d)["ref"] = map[string]any{"kind": "firewall-rule", "id": "x"} }},
		{"unknown ref field", func(d map[string]any) { hop(d)["ref"] = map[string]any{"kind": "resource", "id": "x", "arn": "y"} }},
		{"route ref without its target", func(d map[string]any) {
			hop(d)["ref"] = map[string]any{"kind": "route", "id": "rtb-1", "destination": "0.0.0.0/0"}
		}},
		{"security group rule ref without its index", func(d map[string]any) {
			hop(d)["ref"] = map[string]any{"kind": "security-group-rule", "id": "sg-1"}
		}},
		{"blocked_by code outside the list", func(d map[string]any) {
			d["blocked_by"] = map[string]any{"component": "eni", "id": "x", "code": "NOPE", "rule": "", "reason": "", "return": false}
		}},
		{"wrong type", func(d map[string]any) { d["hops"] = "none" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			c.edit(doc)
			edited, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate("trace", edited); err == nil {
				t.Errorf("the schema accepts a trace with %s", c.name)
			}
		})
	}
}

func hop(doc map[string]any) map[string]any {
	return doc["hops"].([]any)[0].(map[string]any)
}
