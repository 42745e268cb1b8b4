package tfplan

import (
	"encoding/json"
	"errors"
	"io/fs"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// The plan loader's errors have the loaders' one shape, and their cause is
// reachable with errors.Is and errors.As.
func TestErrorShape(t *testing.T) {
	_, err := Parse("plan.json", []byte(`{"format_version": "1.2",`))
	var le *model.LoadError
	if !errors.As(err, &le) || le.File != "plan.json" {
		t.Fatalf("malformed JSON: got %#v, want a *model.LoadError naming plan.json", err)
	}
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		t.Errorf("malformed JSON: the *json.SyntaxError is not reachable through %v", err)
	}
	_, err = Load("testdata/no-such-plan.json")
	if !errors.As(err, &le) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: got %#v, want a *model.LoadError wrapping fs.ErrNotExist", err)
	}
}
