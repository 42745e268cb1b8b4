// Package model holds vpcpath's vendor-neutral network model: VPCs, subnets,
// route tables, security groups, network ACLs, interfaces, gateways, endpoints
// and prefix lists, keyed by their AWS IDs, with the indexes a trace needs.
//
// The model knows nothing of where it came from (a snapshot folder, the live
// API, a Terraform plan); loaders in sub-packages fill it. It imports nothing
// else of vpcpath.
package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Protocol is an IP protocol number as AWS writes it in rules. ProtoAll (-1)
// stands for every protocol and every port.
type Protocol int16

// Protocols vpcpath names; any other IANA number is valid too.
const (
	ProtoAll    Protocol = -1
	ProtoICMP   Protocol = 1
	ProtoTCP    Protocol = 6
	ProtoUDP    Protocol = 17
	ProtoICMPv6 Protocol = 58
)

// ParseProtocol accepts the spellings found in AWS output and on the command
// line: "tcp", "udp", "icmp", "icmpv6", "all" or "-1", and protocol numbers
// 0-255.
func ParseProtocol(s string) (Protocol, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "-1", "all":
		return ProtoAll, nil
	case "tcp":
		return ProtoTCP, nil
	case "udp":
		return ProtoUDP, nil
	case "icmp":
		return ProtoICMP, nil
	case "icmpv6", "icmp6":
		return ProtoICMPv6, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > 255 {
		return 0, fmt.Errorf("unknown protocol %q (want tcp, udp, icmp, icmpv6, all or a number 0-255)", s)
	}
	return Protocol(n), nil
}

// String returns the name a person would write: "tcp", "udp", "icmp",
// "icmpv6", "all", or the number.
func (p Protocol) String() string {
	switch p {
	case ProtoAll:
		return "all"
	case ProtoTCP:
		return "tcp"
	case ProtoUDP:
		return "udp"
	case ProtoICMP:
		return "icmp"
	case ProtoICMPv6:
		return "icmpv6"
	}
	return strconv.Itoa(int(p))
}

// MarshalText writes the String form ("tcp", "all", "47"), the spelling
// of intent files and of every JSON document vpcpath writes.
func (p Protocol) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads what ParseProtocol accepts.
func (p *Protocol) UnmarshalText(b []byte) error {
	v, err := ParseProtocol(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// HasPorts reports whether the protocol carries ports (TCP and UDP).
func (p Protocol) HasPorts() bool { return p == ProtoTCP || p == ProtoUDP }

// IsICMP reports whether the protocol is ICMP or ICMPv6.
func (p Protocol) IsICMP() bool { return p == ProtoICMP || p == ProtoICMPv6 }

// PortRange is an inclusive range of ports. The zero value is the single
// port 0; AllPorts is 0-65535.
type PortRange struct {
	First, Last uint16
}

// AllPorts is every port.
var AllPorts = PortRange{0, 65535}

// Port returns the range holding only p.
func Port(p uint16) PortRange { return PortRange{p, p} }

// ParsePortRange parses "443", "8443-8451" or "all".
func ParsePortRange(s string) (PortRange, error) {
	s = strings.TrimSpace(s)
	if s == "all" {
		return AllPorts, nil
	}
	a, b, isRange := strings.Cut(s, "-")
	first, err := strconv.ParseUint(strings.TrimSpace(a), 10, 16)
	if err != nil {
		return PortRange{}, fmt.Errorf("bad port %q: want a number 0-65535 or a range A-B", s)
	}
	last := first
	if isRange {
		last, err = strconv.ParseUint(strings.TrimSpace(b), 10, 16)
		if err != nil || last < first {
			return PortRange{}, fmt.Errorf("bad port range %q: want A-B with A <= B, both 0-65535", s)
		}
	}
	return PortRange{uint16(first), uint16(last)}, nil
}

// Contains reports whether p is in the range.
func (r PortRange) Contains(p uint16) bool { return r.First <= p && p <= r.Last }

// Covers reports whether o lies wholly inside r.
func (r PortRange) Covers(o PortRange) bool { return r.First <= o.First && o.Last <= r.Last }

// IsAll reports whether r is every port.
func (r PortRange) IsAll() bool { return r == AllPorts }

// String writes "443", "8443-8451" or "all".
func (r PortRange) String() string {
	switch {
	case r.IsAll():
		return "all"
	case r.First == r.Last:
		return strconv.Itoa(int(r.First))
	}
	return strconv.Itoa(int(r.First)) + "-" + strconv.Itoa(int(r.Last))
}

// MarshalText writes "443" or "8443-8451", and every port as "0-65535"
// (the way AWS writes a rule for all ports), not String's "all": the form
// intent files carry and that every reader, ParsePortRange included, takes
// back.
func (r PortRange) MarshalText() ([]byte, error) {
	if r.First == r.Last {
		return strconv.AppendUint(nil, uint64(r.First), 10), nil
	}
	b := strconv.AppendUint(nil, uint64(r.First), 10)
	b = append(b, '-')
	return strconv.AppendUint(b, uint64(r.Last), 10), nil
}

// UnmarshalText reads what ParsePortRange accepts.
func (r *PortRange) UnmarshalText(b []byte) error {
	v, err := ParsePortRange(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// ICMPMatch is an ICMP type and code as rules carry them; -1 is any.
type ICMPMatch struct {
	Type, Code int16
}

// AnyICMP matches every ICMP type and code.
var AnyICMP = ICMPMatch{-1, -1}

// Matches reports whether a packet of ICMP type t and code c matches.
func (m ICMPMatch) Matches(t, c int16) bool {
	return (m.Type == -1 || m.Type == t) && (m.Code == -1 || m.Code == c)
}

// String writes "type 8 code 0", "type 3" or "all".
func (m ICMPMatch) String() string {
	switch {
	case m.Type == -1:
		return "all"
	case m.Code == -1:
		return "type " + strconv.Itoa(int(m.Type))
	}
	return "type " + strconv.Itoa(int(m.Type)) + " code " + strconv.Itoa(int(m.Code))
}

// Tri is a yes/no answer that may be unknown (for example a VPC attribute
// the snapshot did not collect). The zero value is Unknown.
type Tri int8

// Tri values.
const (
	Unknown Tri = iota
	No
	Yes
)

// TriOf converts a bool.
func TriOf(b bool) Tri {
	if b {
		return Yes
	}
	return No
}

func (t Tri) String() string {
	switch t {
	case No:
		return "off"
	case Yes:
		return "on"
	}
	return "unknown"
}

// Tags are AWS resource tags.
type Tags map[string]string

// Name returns the Name tag, or "".
func (t Tags) Name() string { return t["Name"] }
