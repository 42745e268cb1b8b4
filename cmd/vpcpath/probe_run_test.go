package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/probe"
	"github.com/vpcpath/vpcpath/schema"
)

// The claims of docs/probe.md about "vpcpath probe --plan", the plan's limits and
// the report's fields, checked on loopback (servers of probe_adhoc_test.go).

// holdServer accepts and holds each connection for hold before closing it,
// counting how many it holds at once.
type holdServer struct {
	port     int
	mu       sync.Mutex
	now, max int
}

func startHold(t *testing.T, hold time.Duration) *holdServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &holdServer{}
	s.port = listen(t, ln, func(c net.Conn) {
		s.mu.Lock()
		s.now++
		s.max = max(s.max, s.now)
		s.mu.Unlock()
		time.Sleep(hold)
		s.mu.Lock()
		s.now--
		s.mu.Unlock()
		c.Close()
	})
	return s
}

func (s *holdServer) maxAtOnce() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.max
}

func writePlan(t *testing.T, p probe.Plan) string {
	t.Helper()
	p.SchemaVersion, p.Kind = probe.SchemaVersion, "vpcpath-probe-plan"
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestProbePlanReport runs a plan of DNS and TCP checks and reads the
// report as JSON: the documented fields are there, under their names.
func TestProbePlanReport(t *testing.T) {
	r := startResolver(t)
	srv := startTLS(t, "ws.test", "ws.test")
	closed := closedPort(t)
	plan := writePlan(t, probe.Plan{TimeoutMS: 2000, DeadlineMS: 20000, Concurrency: 2, Checks: []probe.Check{
		{ID: "dns-1", Kind: probe.KindDNS, Requirement: "r", Name: "ws.test", Expect: probe.Expectation{Verdict: "allow", Rcode: "NOERROR", Answers: []string{"10.0.3.69", "10.0.3.5"}, Endpoint: "vpce-1"}},
		{ID: "dns-2", Kind: probe.KindDNS, Requirement: "r", Name: "nx.test"},
		{ID: "tcp-1", Kind: probe.KindTCP, Requirement: "r", Host: "127.0.0.1", Ports: portOf(srv.port), TLS: true, SNI: "ws.test", Expect: probe.Expectation{Verdict: "reachable"}},
		{ID: "tcp-2", Kind: probe.KindTCP, Requirement: "r", Host: "127.0.0.1", Ports: portOf(closed)},
	}})
	out, errOut, code := vp(t, "probe", "--plan", plan, "--resolver", r.addr, "--imds=")
	if code != exitOK {
		t.Fatalf("exit %d %s", code, errOut)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if err := schema.Validate("probe-report", []byte(out)); err != nil {
		t.Errorf("the report does not match schema/probe-report.schema.json: %v", err)
	}
	get := func(v any, path ...any) any {
		for _, k := range path {
			switch k := k.(type) {
			case string:
				m, _ := v.(map[string]any)
				v = m[k]
			case int:
				l, _ := v.([]any)
				if k >= len(l) {
					return nil
				}
				v = l[k]
			}
		}
		return v
	}
	for _, c := range []struct {
		path []any
		want any
	}{
		{[]any{"schema_version"}, float64(probe.SchemaVersion)},
		{[]any{"kind"}, "vpcpath-probe-report"},
		{[]any{"host", "resolver"}, r.addr},
		{[]any{"host", "resolver_from"}, "--resolver"},
		{[]any{"host", "imds"}, "disabled"},
		{[]any{"timeout_ms"}, 2000.0},
		{[]any{"deadline_ms"}, 20000.0},
		{[]any{"concurrency"}, 2.0},
		{[]any{"results", 0, "check", "id"}, "dns-1"},
		{[]any{"results", 0, "check", "expect", "endpoint"}, "vpce-1"},
		{[]any{"results", 0, "dns", "outcome"}, "answered"},
		{[]any{"results", 0, "dns", "rcode"}, "NOERROR"},
		{[]any{"results", 0, "dns", "transport"}, "udp"},
		{[]any{"results", 0, "dns", "class"}, "private"},
		{[]any{"results", 0, "dns", "expected"}, true},
		{[]any{"results", 0, "dns", "endpoint"}, "vpce-1"},
		{[]any{"results", 1, "dns", "rcode"}, "NXDOMAIN"},
		{[]any{"results", 1, "dns", "expected"}, false},
		{[]any{"results", 2, "tcp", 0, "outcome"}, "open"},
		{[]any{"results", 2, "tcp", 0, "tls", "sni"}, "ws.test"},
		{[]any{"results", 2, "tcp", 0, "tls", "name_matches"}, true},
		{[]any{"results", 3, "tcp", 0, "port"}, float64(closed)},
		{[]any{"results", 3, "tcp", 0, "outcome"}, "refused"},
	} {
		if got := get(rep, c.path...); got != c.want {
			t.Errorf("%v = %v, want %v", c.path, got, c.want)
		}
	}
	for _, path := range [][]any{{"host", "hostname"}, {"host", "addresses"}, {"started"}, {"duration_ms"},
		{"results", 0, "dns", "chain"}, {"results", 0, "dns", "answers"}, {"results", 0, "dns", "rtt_ms"},
		{"results", 2, "tcp", 0, "latency_ms"}, {"results", 2, "tcp", 0, "tls", "names"}, {"results", 3, "tcp", 0, "error"}} {
		if get(rep, path...) == nil {
			t.Errorf("the report has no %v", path)
		}
	}
	if _, ok := get(rep, "host").(map[string]any)["instance_id"]; ok {
		t.Error("instance_id is written with --imds \"\"")
	}
	if sent := srv.sawSNI(); len(sent) != 1 || sent[0] != "ws.test" {
		t.Errorf("the TLS server saw SNI %q", sent)
	}
}

// TestProbePlanLimits: at most the concurrency of checks run at once (the
// plan's, or --concurrency), and the deadline stops the run, leaving the
// rest not-run (never a timeout, which would read as a drop).
func TestProbePlanLimits(t *testing.T) {
	srv := startHold(t, 150*time.Millisecond)
	checks := make([]probe.Check, 8)
	for i := range checks {
		// TLS keeps each check's connection open until the server closes it.
		checks[i] = probe.Check{ID: fmt.Sprintf("tcp-%d", i+1), Kind: probe.KindTCP, Host: "127.0.0.1", Ports: portOf(srv.port), TLS: true}
	}
	plan := writePlan(t, probe.Plan{TimeoutMS: 3000, DeadlineMS: 20000, Concurrency: 2, Checks: checks})
	if _, errOut, code := vp(t, "probe", "--plan", plan, "--imds="); code != exitOK {
		t.Fatalf("exit %d %s", code, errOut)
	}
	if n := srv.maxAtOnce(); n != 2 {
		t.Errorf("the plan's concurrency 2: %d checks at once", n)
	}

	srv = startHold(t, 150*time.Millisecond)
	for i := range checks {
		checks[i].Ports = portOf(srv.port)
	}
	plan = writePlan(t, probe.Plan{TimeoutMS: 3000, DeadlineMS: 20000, Concurrency: 2, Checks: checks})
	out, errOut, code := vp(t, "probe", "--plan", plan, "--imds=", "--concurrency", "3")
	if code != exitOK || !strings.Contains(out, `"concurrency": 3`) {
		t.Fatalf("exit %d %s", code, errOut)
	}
	if n := srv.maxAtOnce(); n != 3 {
		t.Errorf("--concurrency 3: %d checks at once", n)
	}

	start := time.Now()
	out, errOut, code = vp(t, "probe", "--plan", plan, "--imds=", "--deadline", "400ms")
	if code != exitOK {
		t.Fatalf("exit %d %s", code, errOut)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("a 400ms deadline took %v", d)
	}
	var rep probe.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	notRun := 0
	for _, res := range rep.Results {
		for _, o := range res.TCP {
			switch o.Outcome {
			case probe.NotRun:
				notRun++
			case probe.Open:
			default:
				t.Errorf("%s: %s (%s) after the deadline", res.Check.ID, o.Outcome, o.Error)
			}
		}
	}
	if notRun == 0 || rep.DeadlineMS != 400 {
		t.Errorf("deadline_ms %d, %d not-run: want 400 and some not-run", rep.DeadlineMS, notRun)
	}
}

// TestProbePlanOneDestinationTLS: probe-plan --to writes the TLS wish and the
// limits into the plan.
func TestProbePlanOneDestinationTLS(t *testing.T) {
	out, errOut, code := vp(t, "probe-plan", "--example", "databricks-privatelink", "--from", "10.0.1.5", "--to", "10.0.3.5", "--port", "443",
		"--tls", "--sni", "ws.test", "--timeout", "1500ms", "--deadline", "30s", "--concurrency", "3")
	if code != exitOK {
		t.Fatalf("exit %d %s", code, errOut)
	}
	var p probe.Plan
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	if p.TimeoutMS != 1500 || p.DeadlineMS != 30000 || p.Concurrency != 3 || len(p.Checks) != 1 {
		t.Fatalf("plan limits %d/%d/%d, %d checks", p.TimeoutMS, p.DeadlineMS, p.Concurrency, len(p.Checks))
	}
	if c := p.Checks[0]; !c.TLS || c.SNI != "ws.test" || c.Host != "10.0.3.5" || c.Ports == nil || *c.Ports != model.Port(443) || c.Expect.Verdict != "reachable" {
		t.Errorf("check %+v", c)
	}
}

// TestValidateJSON: validate -o json has the documented fields, exit 0
// when all agree, and notes a plan made for another source.
func TestValidateJSON(t *testing.T) {
	dir := t.TempDir()
	report := func(outcome string, src string) string {
		f := filepath.Join(dir, outcome+src+".json")
		data := `{"schema_version": 1, "kind": "vpcpath-probe-report",
 "host": {"hostname": "node", "addresses": ["10.0.1.5"], "resolver": "10.0.0.2:53", "imds": "disabled"},
 "source": {"from": "` + src + `", "eni": "` + map[string]string{"10.0.1.5": "eni-0a0000000000c0001", "10.0.2.5": "eni-0a0000000000c0002"}[src] + `", "ip": "` + src + `"},
 "results": [{"check": {"id": "tcp-1", "kind": "tcp", "requirement": "--to 10.0.3.5", "host": "10.0.3.5", "ports": "22", "expect": {"verdict": "blocked", "reason": ""}},
              "tcp": [{"port": 22, "outcome": "` + outcome + `", "latency_ms": 700}]}]}`
		if err := os.WriteFile(f, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	out, errOut, code := vp(t, "validate", "--example", "databricks-privatelink", "--report", report("timeout", "10.0.1.5"), "-o", "json")
	if code != exitOK {
		t.Fatalf("exit %d %s\n%s", code, errOut, out)
	}
	var v struct {
		Summary map[string]int   `json:"summary"`
		Items   []map[string]any `json:"items"`
		Notes   []string         `json:"notes"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate("validate", []byte(out)); err != nil {
		t.Errorf("validate -o json does not match its schema: %v", err)
	}
	if v.Summary[probe.Agree] != 1 || len(v.Items) != 1 {
		t.Fatalf("summary %v items %v", v.Summary, v.Items)
	}
	for _, k := range []string{"check", "target", "class", "predicted", "observed", "detail"} {
		if _, ok := v.Items[0][k]; !ok {
			t.Errorf("item has no %q: %v", k, v.Items[0])
		}
	}
	if len(v.Notes) != 0 {
		t.Errorf("notes %v", v.Notes)
	}

	out, _, code = vp(t, "validate", "--example", "databricks-privatelink", "--report", report("open", "10.0.2.5"), "-o", "json")
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate("validate", []byte(out)); err != nil {
		t.Errorf("validate -o json (a disagreement) does not match its schema: %v", err)
	}
	if code != exitFinding || v.Summary[probe.BlockedButOpen] != 1 || v.Items[0]["causes"] == nil {
		t.Errorf("open 22: exit %d %v", code, v)
	}
	if len(v.Notes) != 1 || !strings.Contains(v.Notes[0], "the plan was made for eni-0a0000000000c0002") {
		t.Errorf("a plan made for another source is not noted: %v", v.Notes)
	}
}

// portOf is a check's single port.
func portOf[N int | uint16](p N) *model.PortRange {
	r := model.Port(uint16(p))
	return &r
}
