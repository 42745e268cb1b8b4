package main

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// exitCode is the one place that maps errors to exit codes.
func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, exitOK},
		{"finding", finding(), exitFinding},
		{"wrapped finding", fmt.Errorf("check: %w", finding()), exitFinding},
		{"load error", &model.LoadError{File: "snap/a.json", Err: errors.New("bad")}, exitError},
		{"not found", fmt.Errorf("--from eni-1: %w", &model.NotFoundError{Kind: model.KindENI, ID: "eni-1", Why: "eni-1 is not in the snapshot"}), exitError},
		{"plain", errors.New("--output: want text or json, not xml"), exitError},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("%s: exitCode(%v) = %d, want %d", tc.name, tc.err, got, tc.want)
		}
	}
}

// A finding prints nothing on stderr; an error prints one line.
func TestRunMessages(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		code    int
		wantErr string
	}{
		{[]string{"trace", "--example", "databricks-privatelink", "--from", "i-0a0000000000c0001", "--to", "10.0.3.5", "--port", "22"}, exitFinding, ""},
		{[]string{"trace", "--example", "databricks-privatelink", "--bogus"}, exitError, "vpcpath: unknown flag: --bogus (see vpcpath trace --help)\n"},
	} {
		var out, errOut bytes.Buffer
		code := run(tc.args, &streams{Out: &out, ErrOut: &errOut})
		if code != tc.code || errOut.String() != tc.wantErr {
			t.Errorf("%v: exit %d, stderr %q; want exit %d, stderr %q", tc.args, code, errOut.String(), tc.code, tc.wantErr)
		}
	}
}
