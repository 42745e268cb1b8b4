package check

import (
	"errors"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// An intent file's errors have the loaders' one shape, with the line.
func TestParseErrorsAreLoadErrors(t *testing.T) {
	for _, tt := range []struct {
		body  string
		line  int
		field string
	}{
		{"requirements:\n  - name: a\n    from: {eni: eni-1}\n    to: {ip: 10.0.0.1}\n    ports: ['70000']\n", 2, `requirement "a"`},
		{"requirements:\n  - name: a\n    form: {eni: eni-1}\n", 3, ""},
		{"requirements: [\n", 1, ""},
		{"requirements: []\n", 0, ""},
	} {
		_, err := Parse("f.yaml", []byte(tt.body))
		var le *model.LoadError
		if !errors.As(err, &le) || le.File != "f.yaml" || le.Line != tt.line || le.Field != tt.field {
			t.Errorf("%q: got %#v, want a *model.LoadError at f.yaml:%d, field %q", tt.body, err, tt.line, tt.field)
		}
	}
}

// A profile parameter naming nothing in the model is a *ParamError around
// a *model.NotFoundError of the right kind, its message free of flags.
func TestParamErrors(t *testing.T) {
	m := example(t)
	p, err := ProfileByName("databricks-privatelink")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, value string
		kind        model.Kind
		msg         string
	}{
		{"vpc", "vpc-1", model.KindVPC, "vpc=vpc-1: not in the snapshot"},
		{"rest_endpoint", "vpce-1", model.KindVPCEndpoint, "rest_endpoint=vpce-1: not in the snapshot"},
		{"workspace_sg", "sg-1", model.KindSecurityGroup, `workspace_sg: no security group "sg-1"`},
		{"workspace_subnets", "subnet-1", model.KindSubnet, `workspace_subnets: no subnet "subnet-1"`},
		{"egress", "natgw", "", "egress=natgw: want nat or isolated"},
	} {
		_, _, _, err := p.Build(m, map[string]string{tt.name: tt.value})
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Name != tt.name || err.Error() != tt.msg {
			t.Errorf("%s=%s: got %v, want a *ParamError %q", tt.name, tt.value, err, tt.msg)
			continue
		}
		var nf *model.NotFoundError
		if found := errors.As(err, &nf); found != (tt.kind != "") || found && (nf.Kind != tt.kind || nf.ID != tt.value) {
			t.Errorf("%s=%s: NotFoundError %+v, want kind %q", tt.name, tt.value, nf, tt.kind)
		}
	}
}

// A parameter a profile cannot discover is a *NeedParamError naming it.
func TestNeedParamErrors(t *testing.T) {
	for _, tt := range []struct {
		profile string
		m       *model.Model
		name    string
	}{
		{"s3-via-gateway-endpoint", example(t), "subnets"},
		{"databricks-privatelink", model.New(), "vpc"},
	} {
		p, err := ProfileByName(tt.profile)
		if err != nil {
			t.Fatal(err)
		}
		_, _, _, err = p.Build(tt.m, map[string]string{})
		var need *NeedParamError
		if !errors.As(err, &need) || need.Name != tt.name || need.Value == "" {
			t.Errorf("%s: got %v, want a *NeedParamError for %s", tt.profile, err, tt.name)
		}
	}
}
