package model

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
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
		if got := Levenshtein(tc.a, tc.b); got != tc.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Levenshtein(tc.b, tc.a); got != tc.want {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d (symmetric)", tc.b, tc.a, got, tc.want)
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
		if diff := cmp.Diff(tc.want, Nearest(tc.s, ids, tc.n)); diff != "" {
			t.Errorf("Nearest(%q, %d) (-want +got):\n%s", tc.s, tc.n, diff)
		}
	}
}

func TestSuggest(t *testing.T) {
	m := New()
	m.Subnets["subnet-01"] = &Subnet{ID: "subnet-01", Tags: Tags{"Name": "workspace-a"}}
	m.Subnets["subnet-02"] = &Subnet{ID: "subnet-02"}
	nf := &NotFoundError{Kind: KindSubnet, ID: "workspace-b", Why: `no subnet "workspace-b"`}
	got := m.Suggest(fmt.Errorf("--param workspace_subnets: %w", nf))
	want := `--param workspace_subnets: no subnet "workspace-b"; nearest: workspace-a, subnet-01, subnet-02`
	if got.Error() != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !errors.Is(got, nf) {
		t.Errorf("the NotFoundError is not reachable through %v", got)
	}
	// Other errors, and a kind with nothing in the model, are unchanged.
	plain := errors.New("--port 0 is not a port")
	if m.Suggest(plain) != plain {
		t.Errorf("a plain error was changed")
	}
	none := &NotFoundError{Kind: KindENI, ID: "eni-1", Why: "eni-1 is not in the snapshot"}
	if got := m.Suggest(none); got != error(none) {
		t.Errorf("no interfaces to suggest, got %v", got)
	}
}
