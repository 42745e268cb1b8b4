package main

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/cmd/internal/probecmd"
	"github.com/vpcpath/vpcpath/probe"
)

// deps lists the packages pkg imports, directly or not (go list -deps).
func deps(t *testing.T, pkg string) map[string]bool {
	t.Helper()
	goBin, err := exec.LookPath("go") // go test puts its own go first on PATH
	if err != nil {
		t.Skip("no go tool on PATH to list the dependencies")
	}
	cmd := exec.Command(goBin, "list", "-deps", pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	m := map[string]bool{}
	for _, p := range strings.Fields(string(out)) {
		m[p] = true
	}
	return m
}

// heavy are what vpcpath-probe must not carry onto a node: the in-process
// Graphviz (whose package init compiles a WebAssembly module, seconds of
// CPU and a cache written under $TMPDIR at every start), its WebAssembly
// runtime, the plotting and browser libraries, the AWS SDK, and vpcpath's
// own packages that pull them in.
var heavy = []string{
	"github.com/goccy/go-graphviz",
	"github.com/tetratelabs/wazero",
	"gonum.org/v1/plot",
	"github.com/chromedp",
	"github.com/aws/aws-sdk-go-v2",
	"github.com/aws/smithy-go",
	"github.com/vpcpath/vpcpath/simulate/picture",
	"github.com/vpcpath/vpcpath/simulate/render",
	"github.com/vpcpath/vpcpath/model/awscollect",
	"github.com/vpcpath/vpcpath/internal/graphvizcache",
}

func hasPrefix(m map[string]bool, prefix string) []string {
	var out []string
	for p := range m {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			out = append(out, p)
		}
	}
	return out
}

// TestProbeCarriesNothingHeavy: the probe binary's dependencies hold none
// of the heavy packages, while vpcpath's do hold go-graphviz (so the list
// of names is not simply wrong) and the probe's hold the agent.
func TestProbeCarriesNothingHeavy(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs go list")
	}
	got := deps(t, "github.com/vpcpath/vpcpath/cmd/vpcpath-probe")
	for _, h := range heavy {
		if ps := hasPrefix(got, h); len(ps) > 0 {
			t.Errorf("vpcpath-probe depends on %s (%v)", h, ps)
		}
	}
	if !got["github.com/vpcpath/vpcpath/probe/agent"] {
		t.Error("vpcpath-probe does not depend on probe/agent: the list is not what it seems")
	}
	full := deps(t, "github.com/vpcpath/vpcpath/cmd/vpcpath")
	for _, h := range []string{"github.com/goccy/go-graphviz", "github.com/tetratelabs/wazero"} {
		if len(hasPrefix(full, h)) == 0 {
			t.Errorf("vpcpath does not depend on %s any more: update the list of heavy packages", h)
		}
	}
}

// TestRun runs the probe in-process as a user would: a TCP check to a
// port that listens and one that does not, a plan, and bad input.
func TestRun(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close() // the kernel completes the handshakes: no Accept needed
	open := ln.Addr().String()
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := closed.Addr().String()
	closed.Close()

	plan := filepath.Join(t.TempDir(), "plan.json")
	_, port, _ := net.SplitHostPort(open)
	if err := os.WriteFile(plan, []byte(`{"schema_version": 1, "kind": "vpcpath-probe-plan",
 "checks": [{"id": "tcp-1", "kind": "tcp", "requirement": "r", "host": "127.0.0.1", "ports": "`+port+`"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"tcp", open}, 0, open + "\topen", ""},
		{[]string{"tcp", refused}, 1, refused + "\trefused", ""},
		{[]string{"--plan", plan, "--imds", ""}, 0, `"outcome": "open"`, ""},
		{nil, 2, "", "vpcpath-probe: --plan FILE is required (or use vpcpath-probe dns NAME / vpcpath-probe tcp HOST:PORT)"},
		{[]string{"tcp", "127.0.0.1:0"}, 2, "", "vpcpath-probe: \"0\": bad port or range"},
		{[]string{"--plan", plan, "--bogus"}, 2, "", "unknown flag: --bogus (see vpcpath-probe --help)"},
		{[]string{"--version"}, 0, "vpcpath-probe version dev", ""},
	} {
		var out, errOut bytes.Buffer
		code := run(tc.args, &probecmd.Streams{Out: &out, ErrOut: &errOut})
		if code != tc.code || !strings.Contains(out.String(), tc.out) || !strings.Contains(errOut.String(), tc.err) {
			t.Errorf("vpcpath-probe %q: exit %d, want %d\nstdout: %s\nstderr: %s\nwant stdout with %q, stderr with %q",
				tc.args, code, tc.code, out.String(), errOut.String(), tc.out, tc.err)
		}
		if len(tc.args) > 1 && tc.args[0] == "--plan" && code == 0 {
			var rep probe.Report
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.Kind != "vpcpath-probe-report" || len(rep.Results) != 1 {
				t.Errorf("the report is not a probe report with one result: %v\n%s", err, out.String())
			}
		}
	}
}
