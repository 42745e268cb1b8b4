package matrix

import (
	"slices"

	"github.com/vpcpath/vpcpath/model"
)

// cutter cuts a port range for one class pair at every bound a trace
// between them can meet: the egress rules of the source's groups, the
// ingress rules of the destination's groups (no other group is consulted
// on a path: a NAT gateway has none, an appliance's are outside the
// trace), every network ACL entry of the model (a path may cross any
// subnet: an attachment's, a NAT gateway's, an appliance's) and the ports
// AWS services answer on. Within one piece every rule the trace consults
// covers all ports or none, so one trace decides the piece; the property
// tests compare the result with TraceRange's own, finer cuts. Only rules
// and entries of the question's protocol cut: a UDP rule never matches a
// TCP packet nor its reply.
type cutter struct {
	base            []int // ACL entries and service ports
	egress, ingress map[string][]int
	acl             map[string][]int // the bounds of each ACL's entries
}

func newCutter(m *model.Model, proto model.Protocol) *cutter {
	c := &cutter{egress: map[string][]int{}, ingress: map[string][]int{}, acl: map[string][]int{}}
	add := func(dst []int, p model.Protocol, r model.PortRange) []int {
		if p != proto && p != model.ProtoAll { // the evaluators read an "all" rule's ports too
			return dst
		}
		return append(dst, int(r.First), int(r.Last)+1)
	}
	for id, a := range m.NetworkACLs {
		var own []int
		for _, e := range a.Inbound {
			own = add(own, e.Protocol, e.Ports)
		}
		for _, e := range a.Outbound {
			own = add(own, e.Protocol, e.Ports)
		}
		c.acl[id] = compact(own)
		c.base = append(c.base, own...)
	}
	for _, p := range []uint16{53, 80, 123} {
		c.base = add(c.base, proto, model.Port(p))
	}
	c.base = compact(c.base)
	for id, g := range m.SecurityGroups {
		var in, out []int
		for _, r := range g.Ingress {
			in = add(in, r.Protocol, r.Ports)
		}
		for _, r := range g.Egress {
			out = add(out, r.Protocol, r.Ports)
		}
		c.ingress[id], c.egress[id] = compact(in), compact(out)
	}
	return c
}

func compact(s []int) []int {
	slices.Sort(s)
	return slices.Compact(s)
}

// intervals cuts ports for a trace from src to dst.
func (c *cutter) intervals(src, dst *model.ENI, ports model.PortRange) []model.PortRange {
	cuts := addCuts([]int{int(ports.First)}, c.base, ports)
	for _, g := range src.Groups {
		cuts = addCuts(cuts, c.egress[g], ports)
	}
	for _, g := range dst.Groups {
		cuts = addCuts(cuts, c.ingress[g], ports)
	}
	cuts = compact(cuts)
	out := make([]model.PortRange, len(cuts))
	for i, s := range cuts {
		last := int(ports.Last)
		if i+1 < len(cuts) {
			last = cuts[i+1] - 1
		}
		out[i] = model.PortRange{First: uint16(s), Last: uint16(last)}
	}
	return out
}

// addCuts appends the bounds in s that start a piece of ports other than
// its first.
func addCuts(cuts, s []int, ports model.PortRange) []int {
	for _, v := range s {
		if v > int(ports.First) && v <= int(ports.Last) {
			cuts = append(cuts, v)
		}
	}
	return cuts
}
