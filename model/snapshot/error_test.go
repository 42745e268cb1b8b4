package snapshot

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/vpcpath/vpcpath/model"
)

// The snapshot loader's errors have the loaders' one shape: the file and
// the field.
func TestErrorShape(t *testing.T) {
	fsys := fstest.MapFS{"us-east-1/subnets.json": {Data: []byte(`{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.0.0/33"}]}`)}}
	_, _, err := LoadFS(fsys, "snap")
	var le *model.LoadError
	if !errors.As(err, &le) || le.File != "snap/us-east-1/subnets.json" || le.Field == "" || le.Err == nil {
		t.Fatalf("got %#v, want a *model.LoadError naming the file and the field", err)
	}
}
