package cfn

import (
	"encoding/json"
	"errors"
	"io/fs"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// A template's errors have the loaders' one shape, with the line, and
// their cause is reachable with errors.Is and errors.As.
func TestErrorShape(t *testing.T) {
	_, err := Parse("t.yaml", []byte("Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n   Properties: [\n"), Options{})
	var le *model.LoadError
	if !errors.As(err, &le) || le.File != "t.yaml" || le.Line == 0 {
		t.Errorf("malformed YAML: got %#v, want a *model.LoadError with the line", err)
	}
	_, err = Parse("t.json", []byte(`{"Resources": [}`), Options{})
	var se *json.SyntaxError
	if !errors.As(err, &le) || le.Line != 1 || !errors.As(err, &se) {
		t.Errorf("malformed JSON: got %#v, want a *model.LoadError at line 1 wrapping a *json.SyntaxError", err)
	}
	_, err = Load("testdata/no-such-template.yaml", Options{})
	if !errors.As(err, &le) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: got %#v, want a *model.LoadError wrapping fs.ErrNotExist", err)
	}
}
