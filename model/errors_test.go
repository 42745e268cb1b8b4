package model

import (
	"errors"
	"io/fs"
	"testing"
)

func TestLoadErrorMessage(t *testing.T) {
	cause := errors.New("want a list")
	for _, tc := range []struct {
		err  LoadError
		want string
	}{
		{LoadError{File: "snap/a.json", Err: cause}, "snap/a.json: want a list"},
		{LoadError{File: "snap/a.json", Field: "Subnets[0] (subnet-1).CidrBlock", Err: cause}, "snap/a.json: Subnets[0] (subnet-1).CidrBlock: want a list"},
		{LoadError{File: "t.yaml", Line: 12, Err: cause}, "t.yaml:12: want a list"},
		{LoadError{File: "t.yaml", Field: "Resources.Vpc", Line: 12, Err: cause}, "t.yaml:12: Resources.Vpc: want a list"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.err, got, tc.want)
		}
	}
}

func TestLoadErrorUnwraps(t *testing.T) {
	var err error = &LoadError{File: "plan.json", Err: fs.ErrNotExist}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is does not see the cause of %v", err)
	}
}
