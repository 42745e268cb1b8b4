package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model/awscollect"
	"github.com/vpcpath/vpcpath/model/awscollect/mototest"
)

// The bundled example is rebuilt in moto (the AWS API emulator) through the
// SDK, collected with "vpcpath collect", and every flow below is traced on
// both the bundled example and the collected snapshot: the verdicts, and the
// component that blocks, must be the same.

const (
	e2eExample    = "databricks-privatelink"
	e2eExampleDir = "../../testdata/examples/databricks-privatelink/us-east-1"
	e2eAccount    = "111122223333" // the example's owner: moto keeps accounts apart
	e2eRegion     = "us-east-1"
)

// e2eFlows are in the example's IDs; each runs as
// "vpcpath trace --from F --to T --protocol P --port N".
var e2eFlows = []struct{ from, to, protocol, port string }{
	{"i-0a0000000000c0001", "vpce-0a0000000000e0001", "tcp", "8443"}, // REST API over PrivateLink
	{"10.0.1.5", "vpce-0a0000000000e0002", "tcp", "6666"},            // secure cluster connectivity relay
	{"10.0.1.5", "vpce-0a0000000000e0003", "tcp", "443"},             // STS endpoint
	{"10.0.2.5", "vpce-0a0000000000e0004", "tcp", "443"},             // Kinesis endpoint
	{"10.0.1.5", "52.216.10.20", "tcp", "443"},                       // S3 through the gateway endpoint
	{"10.0.2.5", "151.101.0.223", "tcp", "443"},                      // PyPI through the NAT gateway
	{"i-0a0000000000c0001", "i-0a0000000000c0002", "tcp", "22"},      // intra-cluster
	{"10.0.1.5", "151.101.0.223", "tcp", "22"},                       // blocked by the workspace group
	{"10.0.1.5", "vpce-0a0000000000e0001", "tcp", "22"},              // blocked by the endpoint group
	{"10.0.2.5", "8.8.8.8", "udp", "53"},                             // blocked by the workspace network ACL
	{"i-0a0000000000c0002", "eni-0a0000000000e0031", "tcp", "2443"},  // FIPS port to the STS interface
}

type traceOutcome struct {
	Verdict string `json:"verdict"`
	Hops    []struct {
		Component string `json:"component"`
		ID        string `json:"id"`
		Decision  string `json:"decision"`
	} `json:"hops"`
}

// outcome is the verdict and the first hop that did not allow, with its ID
// passed through m.
func (o traceOutcome) String(m func(string) string) string {
	s := o.Verdict
	for _, h := range o.Hops {
		if h.Decision != "allow" {
			s += " at " + h.Component + " " + m(h.ID) + " (" + h.Decision + ")"
			break
		}
	}
	return s
}

// traceJSON runs "vpcpath trace -o json"; ok is false when it ends in an
// error (exit 2) rather than a verdict.
func traceJSON(t *testing.T, args ...string) (o traceOutcome, ok bool) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(append([]string{"trace", "-o", "json", "-q"}, args...), &streams{Out: &out, ErrOut: &errOut})
	if code == exitError {
		return o, false
	}
	if err := json.Unmarshal(out.Bytes(), &o); err != nil {
		t.Fatalf("vpcpath trace %s: exit %d, %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, err, out.String(), errOut.String())
	}
	return o, true
}

func TestCollectE2EExampleVerdicts(t *testing.T) {
	srv := mototest.New(t)
	ctx := context.Background()
	ex, err := mototest.LoadExample(e2eExampleDir)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := mototest.Replay(ctx, srv.AccountConfig(e2eRegion, e2eAccount), ex)
	if err != nil {
		t.Fatal(err)
	}

	srv.Setenv(t, e2eRegion)
	snap := filepath.Join(t.TempDir(), "snap")
	var out, errOut bytes.Buffer
	code := run([]string{"collect", "--region", e2eRegion, "--role-arn", mototest.RoleARN(e2eAccount), "--out", snap}, &streams{Out: &out, ErrOut: &errOut})
	if code != exitOK {
		t.Fatalf("vpcpath collect: exit %d\n%s", code, errOut.String())
	}
	if out.Len() != 0 {
		t.Errorf("vpcpath collect wrote to stdout: %q", out.String())
	}
	if !strings.Contains(errOut.String(), "collect: wrote "+snap) {
		t.Errorf("stderr lacks the summary:\n%s", errOut.String())
	}

	// Moto gives interface-endpoint and NAT interfaces random addresses
	// outside their subnets, which its API cannot change: correct the
	// collected files from the example (mototest.MotoGaps lists the gaps).
	fixed, err := mototest.FixCollected(filepath.Join(snap, e2eAccount, e2eRegion), ex, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(fixed) != 11 { // 8 endpoint and 1 NAT interfaces, the NAT and the gateway endpoint
		t.Errorf("moto fix-ups:\n%s", strings.Join(fixed, "\n"))
	}

	back := ids.Reverse().Of
	flows := scriptFlows(t)
	for _, f := range e2eFlows {
		flows = append(flows, []string{"--from", f.from, "--to", f.to, "--protocol", f.protocol, "--port", f.port})
	}
	verdicts := map[string]int{}
	for _, f := range flows {
		mapped := make([]string, len(f))
		for i, a := range f {
			mapped[i] = ids.Of(a)
		}
		want, ok := traceJSON(t, append([]string{"--example", e2eExample}, f...)...)
		if !ok {
			continue // a flag error, not a flow
		}
		got, _ := traceJSON(t, append([]string{"--snapshot", snap}, mapped...)...)
		verdicts[want.Verdict]++
		if w, g := want.String(func(s string) string { return s }), got.String(back); w != g {
			t.Errorf("trace %s: example %s, collected %s", strings.Join(f, " "), w, g)
		}
	}
	t.Logf("%d flows, verdicts %v", len(flows), verdicts)
	if verdicts["reachable"] == 0 || verdicts["blocked"] == 0 {
		t.Errorf("the flows should include reachable and blocked ones: %v", verdicts)
	}
}

// scriptFlows returns the arguments of every trace of the bundled example in
// the golden CLI scripts, without the output flag.
func scriptFlows(t *testing.T) [][]string {
	t.Helper()
	names, err := filepath.Glob("testdata/script/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	prefix := "exec vpcpath trace --example " + e2eExample + " "
	seen := map[string]bool{}
	var flows [][]string
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimPrefix(strings.TrimSpace(line), "! ")
			rest, ok := strings.CutPrefix(line, prefix)
			if !ok || strings.ContainsAny(rest, "'\"$") {
				continue
			}
			var args []string
			fields := strings.Fields(rest)
			for i := 0; i < len(fields); i++ {
				if fields[i] == "-o" || fields[i] == "--output" {
					i++
					continue
				}
				args = append(args, fields[i])
			}
			if key := strings.Join(args, " "); !seen[key] {
				seen[key] = true
				flows = append(flows, args)
			}
		}
	}
	return flows
}

func TestCollectFlags(t *testing.T) {
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1") // nothing may be reached
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	t.Setenv("AWS_PROFILE", "")
	out := filepath.Join(t.TempDir(), "snap")
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"collect", "--region", "us-east-1"}, exitError, "", "vpcpath: --out DIR is required\n"},
		{[]string{"collect", "--region", "us-east-1", "--all-regions", "--out", out}, exitError, "", "vpcpath: give --region or --all-regions, not both\n"},
		{[]string{"collect", "--region", "us-east-1", "--concurrency", "0", "--out", out}, exitError, "", "vpcpath: --concurrency must be 1 or more\n"},
		{[]string{"collect", "--print-iam-policy", "--out", out}, exitError, "", "vpcpath: --print-iam-policy collects nothing: drop --out\n"},
		{[]string{"collect", "--out", out}, exitError, "", "vpcpath: awscollect: no AWS region: give one (--region), or set AWS_REGION, or set region in the profile\n"},
		{[]string{"collect", "--region", "us-east-1", "--role-arn", "reader", "--out", out}, exitError, "",
			"vpcpath: awscollect: \"reader\" is not an IAM role ARN (arn:aws:iam::<account-id>:role/<name>)\n"},
		{[]string{"collect", "--print-iam-policy"}, exitOK, string(awscollect.IAMPolicy), ""},
	} {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, &streams{Out: &stdout, ErrOut: &stderr})
		if code != tc.code || stdout.String() != tc.stdout || stderr.String() != tc.stderr {
			t.Errorf("vpcpath %s: exit %d, stdout %q, stderr %q; want %d, %q, %q",
				strings.Join(tc.args, " "), code, stdout.String(), stderr.String(), tc.code, tc.stdout, tc.stderr)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed collect created %s", out)
	}
}

// TestLiveTrace runs trace with --region: the network is collected in
// memory from the emulator and traced at once, with no snapshot folder.
func TestLiveTrace(t *testing.T) {
	srv := mototest.New(t)
	ex, err := mototest.LoadExample(e2eExampleDir)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := mototest.Replay(context.Background(), srv.Config(e2eRegion), ex)
	if err != nil {
		t.Fatal(err)
	}
	srv.Setenv(t, e2eRegion)
	for _, tc := range []struct {
		args    []string
		verdict string
	}{
		{[]string{"--from", ids.Of("i-0a0000000000c0001"), "--to", ids.Of("i-0a0000000000c0002"), "--port", "7077"}, "reachable"},
		{[]string{"--from", ids.Of("i-0a0000000000c0001"), "--to", "151.101.0.223", "--port", "443"}, "reachable"},
		{[]string{"--from", ids.Of("i-0a0000000000c0001"), "--to", "151.101.0.223", "--port", "25"}, "blocked"},
	} {
		var out, errOut bytes.Buffer
		code := run(append([]string{"trace", "-o", "json", "--region", e2eRegion}, tc.args...), &streams{Out: &out, ErrOut: &errOut})
		if code == exitError || !strings.Contains(out.String(), `"verdict": "`+tc.verdict+`"`) {
			t.Errorf("trace --region %v: exit %d\n%s\n%s", tc.args, code, out.String(), errOut.String())
		}
	}
}
