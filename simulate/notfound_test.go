package simulate

import (
	"errors"
	"testing"

	"github.com/vpcpath/vpcpath"
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/snapshot"
)

// An ID a question names that the model does not hold is a
// *model.NotFoundError of the kind the ID should be, so that a command can
// suggest the nearest ones; the message is unchanged.
func TestNotFoundIsTyped(t *testing.T) {
	ex, err := vpcpath.Example("databricks-privatelink")
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := snapshot.LoadFS(ex, "example")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		from, to string
		kind     model.Kind
		id, msg  string
	}{
		{"eni-0a0000000000c0009", "10.0.3.5", model.KindENI, "eni-0a0000000000c0009", "--from eni-0a0000000000c0009: eni-0a0000000000c0009 is not in the snapshot"},
		{"i-0a0000000000c0009", "10.0.3.5", model.KindInstance, "i-0a0000000000c0009", "--from i-0a0000000000c0009: i-0a0000000000c0009 is not in the snapshot"},
		{"i-0a0000000000c0001", "eni-0a0000000000e0099", model.KindENI, "eni-0a0000000000e0099", "--to eni-0a0000000000e0099: eni-0a0000000000e0099 is not in the snapshot"},
		{"i-0a0000000000c0001", "i-0a0000000000c0009", model.KindInstance, "i-0a0000000000c0009", "--to i-0a0000000000c0009: i-0a0000000000c0009 is not in the snapshot"},
		{"i-0a0000000000c0001", "vpce-0a0000000000e0009", model.KindVPCEndpoint, "vpce-0a0000000000e0009", "--to vpce-0a0000000000e0009: vpce-0a0000000000e0009 is not in the snapshot"},
	} {
		_, err := Trace(m, Query{From: tc.from, To: tc.to, Protocol: model.ProtoTCP, Port: 443})
		var nf *model.NotFoundError
		if !errors.As(err, &nf) || nf.Kind != tc.kind || nf.ID != tc.id {
			t.Errorf("%s -> %s: got %#v, want a *model.NotFoundError for %s %s", tc.from, tc.to, err, tc.kind, tc.id)
			continue
		}
		if err.Error() != tc.msg {
			t.Errorf("%s -> %s: message %q, want %q", tc.from, tc.to, err, tc.msg)
		}
	}
}
