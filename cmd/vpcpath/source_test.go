package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model/awscollect"
	"github.com/vpcpath/vpcpath/model/awscollect/mototest"
)

// runNoPanic runs vpcpath and turns a panic into a test failure.
func runNoPanic(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("vpcpath %s panicked: %v\nstderr:\n%s", strings.Join(args, " "), r, errOut.String())
			}
		}()
		code = run(args, &streams{Out: &out, ErrOut: &errOut})
	}()
	return code, out.String(), errOut.String()
}

// A live load (--region) that fails ends in exit 2 naming the failure,
// whether the collection fails or the snapshot it wrote does not load.
func TestLiveLoadFails(t *testing.T) {
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_PROFILE", "")
	flow := []string{"--from", "10.0.0.5", "--to", "10.0.1.5", "--port", "443"}

	t.Run("collection", func(t *testing.T) {
		t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1") // nothing listens there
		code, out, errOut := runNoPanic(t, append([]string{"trace", "-q", "--region", "us-east-1"}, flow...)...)
		if code != exitError || out != "" || !strings.HasPrefix(errOut, "vpcpath: awscollect: ") || !strings.Contains(errOut, "127.0.0.1:1") {
			t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and the collector's error", code, out, errOut)
		}
	})

	// The collector succeeds but what it wrote does not load: the loader's
	// error must reach the user (it was once lost, and the nil model used).
	t.Run("load", func(t *testing.T) {
		orig := collectToTempDir
		t.Cleanup(func() { collectToTempDir = orig })
		var called bool
		collectToTempDir = func(ctx context.Context, opts awscollect.Options) (string, func(), error) {
			called = true
			dir := t.TempDir()
			bad := `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/33"}]}`
			if err := os.WriteFile(filepath.Join(dir, "ec2-describe-vpcs.json"), []byte(bad), 0o644); err != nil {
				t.Fatal(err)
			}
			return dir, func() {}, nil
		}
		for _, cmd := range [][]string{
			append([]string{"trace", "--region", "us-east-1"}, flow...),
			append([]string{"trace", "--strict", "--region", "us-east-1"}, flow...),
		} {
			called = false
			code, out, errOut := runNoPanic(t, cmd...)
			if !called || code != exitError || out != "" || !strings.HasPrefix(errOut, "vpcpath: ") ||
				!strings.Contains(errOut, "ec2-describe-vpcs.json") || !strings.Contains(errOut, "10.0.0.0/33") {
				t.Errorf("vpcpath %s: collector called %v, exit %d, stdout %q, stderr %q; want exit 2 naming the file and value",
					strings.Join(cmd, " "), called, code, out, errOut)
			}
		}
	})
}

// -q silences the collection's progress even when stderr is not a terminal
// (here a buffer), and loading what the collector wrote reports none of its
// own files as not modelled.
func TestLiveQuiet(t *testing.T) {
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
	flow := []string{"trace", "--region", e2eRegion, "--from", ids.Of("i-0a0000000000c0001"), "--to", ids.Of("i-0a0000000000c0002"), "--port", "7077"}

	code, out, errOut := runNoPanic(t, flow...)
	if code != exitOK || !strings.Contains(out, "VERDICT  REACHABLE") {
		t.Fatalf("vpcpath %s: exit %d\n%s\n%s", strings.Join(flow, " "), code, out, errOut)
	}
	if !strings.Contains(errOut, "collect: [") || !strings.Contains(errOut, "ec2:DescribeVpcs ok") {
		t.Errorf("without -q, stderr lacks the collection's progress lines:\n%s", errOut)
	}
	for _, line := range strings.Split(errOut, "\n") {
		if strings.Contains(line, "not modelled") && strings.Contains(line, "ServiceNames") {
			t.Errorf("the collector's endpoint services file is reported as not modelled:\n%s", line)
		}
	}

	quiet := append([]string{flow[0], "-q"}, flow[1:]...)
	code, quietOut, errOut := runNoPanic(t, quiet...)
	if code != exitOK || quietOut != out {
		t.Errorf("vpcpath %s: exit %d, stdout differs from the run without -q:\n%s", strings.Join(quiet, " "), code, quietOut)
	}
	if errOut != "" {
		t.Errorf("vpcpath %s wrote to stderr:\n%s", strings.Join(quiet, " "), errOut)
	}
}
