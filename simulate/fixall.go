package simulate

import (
	"fmt"
	"strconv"

	"github.com/vpcpath/vpcpath/model"
)

// MaxFixes caps the changes FixAll makes: a flow that needs more is
// reported as still blocked, with the reason.
const MaxFixes = 32

// FixStep is one change of trace --fix all, in the order they are made.
type FixStep struct {
	// Change is the change as data; Fix is it as a sentence with its AWS
	// CLI command (what trace's fix says for the hop).
	Change ChangeData `json:"change"`
	Fix    string     `json:"fix"`
	// Fixes is the hop that dropped the flow before the change: its
	// return field says whether it was on the forward or the return path.
	Fixes Block `json:"fixes"`
	// Source is the change in the language of the input (a plan's HCL, a
	// template's YAML), when the resource it changes is in the input.
	Source []SourceFix `json:"source,omitempty"`
}

// AfterFixes is the answer once every change of FixAll is made.
type AfterFixes struct {
	Verdict Verdict `json:"verdict"`
	// BlockedBy is where the flow still dies or the model stops knowing;
	// null when reachable.
	BlockedBy *Block `json:"blocked_by"`
	// Fix is what the trace still proposes there, as text; null when
	// reachable or when nothing is proposed.
	Fix *string `json:"fix"`
	// Stopped says why no further change was made; "" when reachable.
	Stopped string `json:"stopped"`
}

// ChangeData is a Change as the JSON contract writes it: the kind, the
// AWS CLI command, and the fields of that kind.
type ChangeData struct {
	Kind    ChangeKind `json:"kind"`
	Command string     `json:"command"`
	// Direction is ingress or egress (a security group rule, a network
	// ACL entry: inbound is ingress).
	Direction Direction `json:"direction,omitempty"`
	// GroupID is the group a rule is added to; PeerGroupID the group it
	// admits, else CIDR the block it admits (or an ACL entry's block).
	GroupID     string `json:"group_id,omitempty"`
	PeerGroupID string `json:"peer_group_id,omitempty"`
	CIDR        string `json:"cidr,omitempty"`
	// NetworkACLID and RuleNumber are the ACL and the allow entry's
	// number, below DeniedAt, the entry that denied (32767: the final *).
	NetworkACLID string `json:"network_acl_id,omitempty"`
	RuleNumber   int    `json:"rule_number,omitempty"`
	DeniedAt     int    `json:"denied_at,omitempty"`
	// Protocol is tcp, udp, icmp, icmpv6, all or a protocol number;
	// Ports the ports of tcp and udp ("443", "8443-8451"); ICMPType the
	// ICMP type (-1: all).
	Protocol string `json:"protocol,omitempty"`
	Ports    string `json:"ports,omitempty"`
	ICMPType *int   `json:"icmp_type,omitempty"`
	// RouteTableID is the table a route is added to or a gateway endpoint
	// is associated with; Destination, TargetKind and TargetID the route.
	RouteTableID string `json:"route_table_id,omitempty"`
	Destination  string `json:"destination,omitempty"`
	TargetKind   string `json:"target_kind,omitempty"`
	TargetID     string `json:"target_id,omitempty"`
	// EndpointID and PrefixListID are the gateway endpoint and its
	// service's prefix list.
	EndpointID   string `json:"endpoint_id,omitempty"`
	PrefixListID string `json:"prefix_list_id,omitempty"`
	// NetworkInterfaceID is the interface that gets an Elastic IP.
	NetworkInterfaceID string `json:"network_interface_id,omitempty"`
	// InstanceID is the instance to start; VPCID the VPC whose DNS
	// support is turned on.
	InstanceID string `json:"instance_id,omitempty"`
	VPCID      string `json:"vpc_id,omitempty"`
}

// Data is c as the JSON contract writes it.
func (c Change) Data() ChangeData {
	d := ChangeData{Kind: c.Kind, Command: c.Command()}
	dir := func(egress bool) Direction {
		if egress {
			return Egress
		}
		return Ingress
	}
	proto := func(p model.Protocol, ports model.PortRange, icmp model.ICMPMatch) {
		d.Protocol = p.String()
		switch {
		case p.HasPorts():
			d.Ports = ports.String()
		case p.IsICMP():
			t := int(icmp.Type)
			d.ICMPType = &t
		}
	}
	switch c.Kind {
	case AddSecurityGroupRule:
		r := c.Rule
		d.Direction, d.GroupID, d.PeerGroupID = dir(r.Egress), r.GroupID, r.PeerGroup
		if r.PeerGroup == "" {
			d.CIDR = r.CIDR.String()
		}
		proto(r.Protocol, r.Ports, r.ICMP)
	case AddNetworkACLEntry:
		e := c.Entry
		d.Direction, d.NetworkACLID, d.RuleNumber, d.DeniedAt, d.CIDR = dir(e.Egress), c.ACLID, e.Number, c.DeniedAt, e.CIDR.String()
		proto(e.Protocol, e.Ports, e.ICMP)
	case CreateRoute, ReplaceRoute:
		d.RouteTableID, d.Destination, d.TargetKind, d.TargetID = c.RouteTableID, c.Route.Dest.String(), string(c.Route.Target.Kind), c.Route.Target.ID
	case AddEndpointRouteTable:
		d.EndpointID, d.RouteTableID, d.PrefixListID = c.EndpointID, c.RouteTableID, c.PrefixListID
	case AssociateAddress:
		d.NetworkInterfaceID = c.ENIID
	case StartInstances:
		d.InstanceID = c.InstanceID
	case EnableDNSSupport:
		d.VPCID = c.VPCID
	}
	return d
}

// FixAll answers a blocked flow with every change that lets it through,
// not one hop at a time: it traces the flow on m with trace; while the
// flow is blocked and the fix is a change, it makes the change on a copy
// of the network and traces again. It stops when the flow is reachable,
// when the model cannot decide (unknown), when the fix is not a change
// (advice, or nothing to propose), when a change cannot be made, when a
// change is proposed a second time (it did not alter the result), or after
// MaxFixes changes. m is never changed.
//
// The result is the first trace, with FixesAll (the changes in order, each
// with the hop it fixes) and AfterFixes (the verdict after all of them).
func FixAll(m *model.Model, trace func(*model.Model) (Result, error)) (Result, error) {
	first, err := trace(m)
	if err != nil {
		return first, err
	}
	steps := []FixStep{}
	res, cur := first, m
	seen := map[string]bool{}
	stopped := ""
	for {
		if res.Verdict != Blocked {
			stopped = notBlocked(res)
			break
		}
		if res.Change == nil {
			stopped = "no change to the network can be proposed for this hop"
			if res.Fix == nil {
				stopped = "nothing can be proposed for this hop"
			}
			break
		}
		c := *res.Change
		key := c.Command()
		if seen[key] {
			stopped = "the change " + strconv.Quote(key) + " was proposed again: making it did not alter the result"
			break
		}
		if len(steps) == MaxFixes {
			stopped = fmt.Sprintf("stopped after %d changes", MaxFixes)
			break
		}
		seen[key] = true
		next := cur.Clone()
		if err := c.Apply(next); err != nil {
			stopped = "the change cannot be made: " + err.Error()
			break
		}
		steps = append(steps, FixStep{Change: c.Data(), Fix: fixText(res), Fixes: *res.BlockedBy, Source: SourceFixes(cur, &c)})
		if res, err = trace(next); err != nil {
			return first, fmt.Errorf("tracing again after %q: %w", key, err)
		}
		cur = next
	}
	first.FixesAll = steps
	first.AfterFixes = &AfterFixes{Verdict: res.Verdict, BlockedBy: res.BlockedBy, Stopped: stopped}
	if res.Verdict != Reachable {
		first.AfterFixes.Fix = res.Fix
	}
	return first, nil
}

func fixText(r Result) string {
	if r.Fix != nil {
		return *r.Fix
	}
	return r.Change.Text()
}

// notBlocked says why FixAll stops at a result that is not blocked.
func notBlocked(r Result) string {
	switch r.Verdict {
	case Reachable:
		return ""
	case Unknown:
		return "the model cannot decide the flow here: no change is proposed for what it does not know"
	case Invalid:
		return "AWS would refuse to create this network: fix what it refuses first"
	}
	return "verdict " + string(r.Verdict)
}
