package check

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
)

// segmentation proves that segments which must stay apart are: for each
// pair and each direction, from every source class (subnet, groups) of one
// segment to every destination of the other, on every TCP and UDP port,
// ICMP and every other protocol (apartProtocols), the trace must be blocked.
var segmentation = &Profile{
	Name: "segmentation",
	Doc:  "segments that must stay apart are blocked both ways on every port (tcp and udp 0-65535, icmp, every other protocol a rule names, and one no rule names)",
	Params: []Param{
		{Name: "apart", Doc: "pairs of segments that must stay apart, A|B[,A|B...]; a segment is one or more terms joined by + (all must hold): vpc-ID or vpc:Name, subnet-ID or subnet:Name, sg-ID or sg:name, tag:KEY=VALUE (required)"},
	},
	build: buildSegmentation,
}

// apartProtocols are what a pair must block: every port of tcp and udp,
// icmp, every other protocol a security group rule or network ACL entry
// names, and one protocol no rule names (GRE, 47, unless named), which only
// an "all traffic" (-1) rule admits: together they cover every protocol.
func apartProtocols(m *model.Model) []apartProto {
	all := []model.PortRange{model.AllPorts}
	out := []apartProto{{"tcp", model.ProtoTCP, all}, {"udp", model.ProtoUDP, all}, {"icmp", model.ProtoICMP, nil}}
	named := map[model.Protocol]bool{model.ProtoTCP: true, model.ProtoUDP: true, model.ProtoICMP: true, model.ProtoAll: true}
	var others []model.Protocol
	add := func(p model.Protocol) {
		if !named[p] {
			named[p] = true
			others = append(others, p)
		}
	}
	for _, id := range model.SortedKeys(m.SecurityGroups) {
		g := m.SecurityGroups[id]
		for _, r := range append(append([]model.SGRule{}, g.Ingress...), g.Egress...) {
			add(r.Protocol)
		}
	}
	for _, id := range model.SortedKeys(m.NetworkACLs) {
		a := m.NetworkACLs[id]
		for _, e := range append(append([]model.NACLEntry{}, a.Inbound...), a.Outbound...) {
			add(e.Protocol)
		}
	}
	sort.Slice(others, func(i, j int) bool { return others[i] < others[j] })
	for _, p := range others {
		out = append(out, apartProto{"protocol " + p.String(), p, nil})
	}
	unnamed := model.Protocol(47)
	for named[unnamed] {
		unnamed++
	}
	return append(out, apartProto{fmt.Sprintf("protocol %d (named by no rule)", unnamed), unnamed, nil})
}

type apartProto struct {
	label string
	proto model.Protocol
	ports []model.PortRange
}

func buildSegmentation(m *model.Model, p params) (*File, []Outcome, []string, error) {
	pairs := p.list("apart")
	if len(pairs) == 0 {
		return nil, nil, nil, &NeedParamError{Name: "apart", Value: "vpc-A|vpc-B[,subnet:x|tag:env=prod]", Why: "name the segments that must stay apart"}
	}
	f := &File{}
	var notes []string
	protos := apartProtocols(m)
	for _, pair := range pairs {
		a, b, ok := strings.Cut(pair, "|")
		if !ok || strings.Contains(b, "|") {
			return nil, nil, nil, &ParamError{Name: "apart", Value: pair, Err: errors.New("want two segments, A|B")}
		}
		sa, err := segmentSelector(m, a)
		if err != nil {
			return nil, nil, nil, &ParamError{Name: "apart", Value: pair, Err: err}
		}
		sb, err := segmentSelector(m, b)
		if err != nil {
			return nil, nil, nil, &ParamError{Name: "apart", Value: pair, Err: err}
		}
		a, b = strings.TrimSpace(a), strings.TrimSpace(b)
		notes = append(notes, fmt.Sprintf("segment %s: %s", a, sa), fmt.Sprintf("segment %s: %s", b, sb))
		for _, dir := range []struct {
			from, to       string
			fromSel, toSel Selector
		}{{a, b, sa, sb}, {b, a, sb, sa}} {
			from, to := dir.from, dir.to
			for _, pr := range protos {
				f.Requirements = append(f.Requirements, Intent{
					Name: fmt.Sprintf("apart: %s -> %s %s", from, to, pr.label), From: dir.fromSel, To: dir.toSel,
					Protocol: pr.proto, Ports: pr.ports, Expect: "blocked", Severity: "high",
					Why: "segmentation: " + from + " and " + to + " must stay apart", apart: true,
				})
			}
		}
	}
	return f, nil, notes, nil
}

// segmentSelector reads one segment: terms joined by "+", each narrowing
// the selection as the fields of an intent selector do. A VPC stands for
// all its subnets, so that a subnet where nothing runs gets a stand-in.
func segmentSelector(m *model.Model, s string) (Selector, error) {
	var sel Selector
	s = strings.TrimSpace(s)
	if s == "" {
		return sel, errors.New("empty segment")
	}
	var vpcSubnets []string
	for _, term := range strings.Split(s, "+") {
		term = strings.TrimSpace(term)
		kind, val, named := strings.Cut(term, ":")
		if !named {
			kind, val = strings.SplitN(term, "-", 2)[0], term
		}
		switch kind {
		case "vpc":
			var id string
			for _, vid := range model.SortedKeys(m.VPCs) {
				if vid == val || named && m.VPCs[vid].Tags.Name() == val {
					id = vid
				}
			}
			if id == "" {
				return sel, &model.NotFoundError{Kind: model.KindVPC, ID: val, Why: fmt.Sprintf("no VPC %q (by ID or Name tag) in the snapshot", val)}
			}
			for _, sid := range model.SortedKeys(m.Subnets) {
				if m.Subnets[sid].VPCID == id {
					vpcSubnets = append(vpcSubnets, sid)
				}
			}
			if len(vpcSubnets) == 0 {
				return sel, fmt.Errorf("VPC %s has no subnet in the snapshot: nothing to place a node in", id)
			}
		case "subnet":
			sel.Subnet = append(sel.Subnet, val)
		case "sg":
			sel.SecurityGroup = append(sel.SecurityGroup, val)
		case "tag":
			k, v, ok := strings.Cut(val, "=")
			if !ok || k == "" {
				return sel, fmt.Errorf("%q: want tag:KEY=VALUE", term)
			}
			if sel.Tag == nil {
				sel.Tag = map[string]string{}
			}
			sel.Tag[k] = v
		default:
			return sel, fmt.Errorf("%q: want vpc-ID, vpc:Name, subnet-ID, subnet:Name, sg-ID, sg:name or tag:KEY=VALUE", term)
		}
	}
	if len(vpcSubnets) > 0 {
		if len(sel.Subnet) > 0 {
			return sel, fmt.Errorf("%q: give a VPC or subnets, not both", s)
		}
		sel.Subnet = vpcSubnets
	}
	return sel, nil
}

// judgeApart decides one trace of a segmentation pair: every port must be
// blocked. The first open sub-range is named with its path (traced again
// at its first port: a range's hops are those of its worst segment).
func (r *runner) judgeApart(q simulate.Query, res simulate.Result, ports model.PortRange, what string, set setFunc) {
	segs := res.Segments
	if len(segs) == 0 {
		segs = []simulate.Segment{{Ports: ports, Verdict: res.Verdict, BlockedBy: res.BlockedBy}}
	}
	flow := func(s simulate.Segment) string {
		if q.Protocol.HasPorts() {
			return what + " " + q.Protocol.String() + "/" + s.Ports.String()
		}
		return what + " " + q.Protocol.String()
	}
	for _, s := range segs {
		if s.Verdict != simulate.Reachable {
			continue
		}
		open := res
		if len(res.Segments) > 0 {
			qq := q
			qq.Port = s.Ports.First
			if t, err := simulate.Trace(r.m, qq); err == nil {
				open = t
			}
		}
		set(Fail, flow(s)+" is open: reachable via "+pathString(open.Hops), firstRoute(open.Hops), proposed{})
		return
	}
	for _, s := range segs {
		if s.Verdict != simulate.Unknown {
			continue
		}
		why := "unknown"
		if b := s.BlockedBy; b != nil {
			why += " at " + string(b.Component) + " " + b.ID + ": " + b.Reason
		}
		by := byBlock(s.BlockedBy)
		by.rule = "" // the detail says where; the rule column stays empty
		set(Unknown, flow(s)+": "+why, by, proposed{s.Fix, s.Change})
		return
	}
	summary := "blocked"
	if b := res.BlockedBy; b != nil && len(res.Segments) == 0 {
		summary += " at " + string(b.Component) + " " + b.ID
		if b.Return {
			summary += " on the return path"
		}
	} else if len(res.Segments) > 0 {
		summary = simulate.SegmentSummary(res.Segments)
	}
	set(Pass, what+": "+summary, decided{}, proposed{})
}
