package simulate

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// The hop texts are written by hand-rolled builders for speed; these tests
// hold them to the plain formatting they replaced, so output cannot drift.

func TestFlowProtoText(t *testing.T) {
	for _, tc := range []struct {
		p    packet
		want string
	}{
		{packet{proto: model.ProtoAll, ports: model.AllPorts}, "all traffic"},
		{packet{proto: model.ProtoTCP, ports: model.Port(443)}, "tcp/443"},
		{packet{proto: model.ProtoUDP, ports: model.PortRange{First: 1024, Last: 65535}}, "udp/1024-65535"},
		{packet{proto: model.ProtoTCP, ports: model.AllPorts}, "tcp/all"},
		{packet{proto: model.ProtoICMP, icmpType: 8}, "icmp type 8"},
		{packet{proto: model.ProtoICMPv6, icmpType: -1}, "icmpv6 type -1"},
		{packet{proto: model.Protocol(47)}, "protocol 47"},
	} {
		if got := flowProto(tc.p); got != tc.want {
			t.Errorf("flowProto(%+v) = %q, want %q", tc.p, got, tc.want)
		}
	}
}

func TestNACLReasonOnSubnet(t *testing.T) {
	acl := &model.NetworkACL{ID: "acl-1", Tags: model.Tags{"Name": "edge"},
		Outbound: egressACL("100 allow tcp 443 10.0.0.0/8", "110 deny tcp 1024-2000 10.0.0.0/8", "120 allow tcp 2001-65535 10.0.0.0/8")}
	subs := []*model.Subnet{
		{ID: "subnet-1", Tags: model.Tags{"Name": "app"}},
		{ID: "subnet-2"},
	}
	dst := netip.MustParseAddr("10.1.2.3")
	for _, sub := range subs {
		for _, p := range []packet{
			{dst: dst, proto: model.ProtoTCP, ports: model.Port(443)},
			{dst: dst, proto: model.ProtoTCP, ports: model.Port(22)},
			{dst: dst, proto: model.ProtoTCP, ports: model.PortRange{First: 1024, Last: 65535}},
			{dst: dst, proto: model.ProtoTCP, ports: model.PortRange{First: 3000, Last: 4000}},
			{dst: netip.MustParseAddr("2001:db8::1"), proto: model.ProtoAll, ports: model.AllPorts},
		} {
			plain := evalNACL(acl, true, p)
			on := evalNACLOn(acl, true, p, sub)
			if want := "on " + subnetLabel(sub) + ": " + plain.reason; on.reason != want {
				t.Errorf("%s %+v: reason %q, want %q", sub.ID, p, on.reason, want)
			}
			if on.rule != plain.rule || on.decision != plain.decision {
				t.Errorf("%s %+v: %s %q, want %s %q", sub.ID, p, on.decision, on.rule, plain.decision, plain.rule)
			}
		}
	}
	// The partly allowed range names each distinct entry once, in order.
	v := evalNACL(acl, true, packet{dst: dst, proto: model.ProtoTCP, ports: model.PortRange{First: 443, Last: 3000}})
	if want := "#110 deny tcp 1024-2000 to 10.0.0.0/8; #* deny all traffic to 0.0.0.0/0"; v.rule != want {
		t.Errorf("rule %q, want %q", v.rule, want)
	}
	if want := fmt.Sprintf("acl-1 (edge) outbound allows only part of tcp/443-3000 to 10.1.2.3: %s; connections whose client port falls in the denied part fail", spanSummary(v.allowed, v.denied)); v.reason != want {
		t.Errorf("reason %q, want %q", v.reason, want)
	}
	// One entry deciding two pieces of the range is named once.
	acl2 := &model.NetworkACL{ID: "acl-2", Outbound: egressACL("100 allow tcp 2000 10.0.0.0/8", "110 deny tcp 0-65535 10.0.0.0/8")}
	v = evalNACL(acl2, true, packet{dst: dst, proto: model.ProtoTCP, ports: model.PortRange{First: 1000, Last: 3000}})
	if len(v.denied) != 2 || v.rule != v.denied[0].entry.String() {
		t.Errorf("rule %q over %d denied spans, want %q once", v.rule, len(v.denied), acl2.Outbound[1].String())
	}
}

// cutRange must split exactly as splitRange does.
func TestCutRangeAgreesWithSplitRange(t *testing.T) {
	vals := []uint16{0, 1, 79, 80, 81, 442, 443, 444, 1023, 1024, 65534, 65535}
	for _, a := range vals {
		for _, b := range vals {
			if b < a {
				continue
			}
			for _, c := range vals {
				for _, d := range vals {
					if d < c {
						continue
					}
					r, by := model.PortRange{First: a, Last: b}, model.PortRange{First: c, Last: d}
					in, out := splitRange(r, by)
					gin, ok, lo, hi := cutRange(r, by)
					var gout []model.PortRange
					for _, o := range []optRange{lo, hi} {
						if o.ok {
							gout = append(gout, o.r)
						}
					}
					if ok != (in != nil) || ok && gin != *in || !slices.Equal(gout, out) {
						t.Fatalf("cutRange(%s, %s) = %v %v %v, splitRange = %v %v", r, by, gin, ok, gout, in, out)
					}
				}
			}
		}
	}
}
