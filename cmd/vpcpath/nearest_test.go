package main

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcpath/vpcpath/model"
)

func TestLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"kitten", "sitting", 3},
		{"eni-0a01", "eni-0a10", 2},
		{"workspace-a", "workspace-b", 1},
		{"sg-1", "sg-12", 1},
	} {
		if got := levenshtein(tc.a, tc.b); got != tc.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := levenshtein(tc.b, tc.a); got != tc.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d (symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestNearest(t *testing.T) {
	ids := []string{"i-0c0002", "i-0c0001", "i-0b0001", "i-0c0001", "i-9z9999"}
	for _, tc := range []struct {
		s    string
		n    int
		want []string
	}{
		// fewest edits first; ties in input order
		{"i-0c0003", 3, []string{"i-0c0002", "i-0c0001", "i-0b0001"}},
		{"i-0b0002", 2, []string{"i-0b0001", "i-0c0002"}},
		// the ID itself and duplicates are not suggestions
		{"i-0c0001", 2, []string{"i-0c0002", "i-0b0001"}},
		{"i-0c0001", 0, nil},
	} {
		if diff := cmp.Diff(tc.want, nearest(tc.s, ids, tc.n)); diff != "" {
			t.Errorf("nearest(%q, %d) (-want +got):\n%s", tc.s, tc.n, diff)
		}
	}
}

func TestWithNearest(t *testing.T) {
	m := model.New()
	m.Subnets["subnet-01"] = &model.Subnet{ID: "subnet-01", Tags: model.Tags{"Name": "workspace-a"}}
	m.Subnets["subnet-02"] = &model.Subnet{ID: "subnet-02"}
	nf := &model.NotFoundError{Kind: model.KindSubnet, ID: "workspace-b", Why: `no subnet "workspace-b"`}
	got := withNearest(m, fmt.Errorf("--param workspace_subnets: %w", nf))
	want := `--param workspace_subnets: no subnet "workspace-b"; nearest: workspace-a, subnet-01, subnet-02`
	if got.Error() != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !errors.Is(got, nf) {
		t.Errorf("the NotFoundError is not reachable through %v", got)
	}
	// Other errors, and a kind with nothing in the model, are unchanged.
	plain := errors.New("--port 0 is not a port")
	if withNearest(m, plain) != plain {
		t.Errorf("a plain error was changed")
	}
	none := &model.NotFoundError{Kind: model.KindENI, ID: "eni-1", Why: "eni-1 is not in the snapshot"}
	if got := withNearest(m, none); got != error(none) {
		t.Errorf("no interfaces to suggest, got %v", got)
	}
}

// cmd names the flag in a profile's parameter errors.
func TestRequirementsNameTheFlag(t *testing.T) {
	for _, tc := range []struct {
		profile string
		params  []string
		want    string
	}{
		{"databricks-privatelink", nil, "cannot tell which VPC is the workspace's: give --param vpc=<vpc-id>"},
		{"databricks-privatelink", []string{"vpc=vpc-1"}, "--param vpc=vpc-1: not in the snapshot"},
		{"databricks-privatelink", []string{"vpc"}, `--param "vpc": want key=value`},
	} {
		_, _, _, err := requirements(model.New(), tc.profile, tc.params, "")
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s %v: got %v, want %q", tc.profile, tc.params, err, tc.want)
		}
	}
}
