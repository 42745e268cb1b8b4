package model

import (
	"encoding/json"
	"testing"
)

func TestProtocolText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Protocol
		text string
	}{
		{"tcp", ProtoTCP, "tcp"}, {"UDP", ProtoUDP, "udp"}, {"6", ProtoTCP, "tcp"},
		{"-1", ProtoAll, "all"}, {"all", ProtoAll, "all"}, {"icmp6", ProtoICMPv6, "icmpv6"},
		{"47", 47, "47"}, {"0", 0, "0"},
	} {
		var p Protocol
		if err := p.UnmarshalText([]byte(tc.in)); err != nil || p != tc.want {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", tc.in, p, err, tc.want)
		}
		b, _ := p.MarshalText()
		if string(b) != tc.text || p.String() != tc.text {
			t.Errorf("%v: MarshalText %q, String %q; want %q", tc.want, b, p.String(), tc.text)
		}
	}
	for _, bad := range []string{"", "tcpx", "256", "-2"} {
		p := ProtoUDP
		if err := p.UnmarshalText([]byte(bad)); err == nil || p != ProtoUDP {
			t.Errorf("UnmarshalText(%q) = %v, %v; want an error and no change", bad, p, err)
		}
	}
}

func TestPortRangeText(t *testing.T) {
	for _, tc := range []struct {
		in        string
		want      PortRange
		text, str string
	}{
		{"443", Port(443), "443", "443"},
		{" 8443 - 8451 ", PortRange{8443, 8451}, "8443-8451", "8443-8451"},
		{"0", Port(0), "0", "0"},
		{"0-65535", AllPorts, "0-65535", "all"},
		{"all", AllPorts, "0-65535", "all"},
		{"1-65535", PortRange{1, 65535}, "1-65535", "1-65535"},
	} {
		var r PortRange
		if err := r.UnmarshalText([]byte(tc.in)); err != nil || r != tc.want {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", tc.in, r, err, tc.want)
		}
		b, _ := r.MarshalText()
		if string(b) != tc.text || r.String() != tc.str {
			t.Errorf("%v: MarshalText %q, String %q; want %q, %q", tc.want, b, r.String(), tc.text, tc.str)
		}
		var back PortRange
		if err := back.UnmarshalText(b); err != nil || back != r {
			t.Errorf("%q does not read back: %v, %v", b, back, err)
		}
	}
	for _, bad := range []string{"", "x", "70000", "9-8", "1-", "-1"} {
		r := Port(7)
		if err := r.UnmarshalText([]byte(bad)); err == nil || r != Port(7) {
			t.Errorf("UnmarshalText(%q) = %v, %v; want an error and no change", bad, r, err)
		}
	}
}

// A struct holding the types marshals them as JSON strings, not numbers or
// objects, and reads them back.
func TestValueTypesJSON(t *testing.T) {
	type doc struct {
		Protocol Protocol    `json:"protocol"`
		Ports    []PortRange `json:"ports"`
	}
	in := doc{ProtoTCP, []PortRange{Port(443), {8443, 8451}, AllPorts}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"protocol":"tcp","ports":["443","8443-8451","0-65535"]}`; string(b) != want {
		t.Fatalf("got %s, want %s", b, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Protocol != in.Protocol || len(out.Ports) != 3 || out.Ports[2] != AllPorts {
		t.Errorf("round trip: %+v", out)
	}
}
