package check

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// An outcome's ports are one string: ranges as a person writes them,
// joined by commas, and "" for a protocol without ports (never null).
func TestPortListText(t *testing.T) {
	for _, tc := range []struct {
		l    PortList
		text string
	}{
		{nil, ""},
		{PortList{model.Port(443)}, "443"},
		{PortList{model.Port(443), {First: 8443, Last: 8451}, model.AllPorts}, "443,8443-8451,all"},
	} {
		b, err := json.Marshal(struct {
			Ports PortList `json:"ports"`
		}{tc.l})
		if want := `{"ports":"` + tc.text + `"}`; err != nil || string(b) != want {
			t.Errorf("%v: %s, %v; want %s", tc.l, b, err, want)
		}
		var back PortList
		if err := back.UnmarshalText([]byte(tc.text)); err != nil || !reflect.DeepEqual(back, tc.l) {
			t.Errorf("%q reads back as %v, %v", tc.text, back, err)
		}
	}
	var l PortList
	if err := l.UnmarshalText([]byte("443, 8443-8451, 0-65535")); err != nil || l.String() != "443,8443-8451,all" {
		t.Errorf("spaces and 0-65535: %v, %v", l, err)
	}
	if err := l.UnmarshalText([]byte("443,x")); err == nil {
		t.Errorf("443,x: no error")
	}
}
