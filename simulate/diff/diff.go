// Package diff compares two networks, before and after a change (two
// snapshots, or a snapshot and a Terraform plan applied over it): the
// requirements whose verdict changed, and the reachability that changed
// between every pair of security-group-and-subnet combinations on the
// protocols and port ranges their rules mention, as exact port ranges,
// each naming the change (a Terraform resource address) that caused it.
package diff

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/check"
)

// Cause is one change of the plan: a resource address, what happens to it
// ("creating", "updating", "deleting", "replacing") and the model IDs it
// touches (a rule's group, an association's table and subnet).
type Cause struct {
	Address string   `json:"address"`
	Verb    string   `json:"verb"`
	IDs     []string `json:"ids"`
	// Ports, for a rule resource, is the range it covers: it is blamed only
	// for changes on those ports.
	Ports *PortBounds `json:"ports,omitempty"`
}

// PortBounds is a cause's port range. It is the one range the diff
// document writes as an object ({"First": 443, "Last": 443}), not as the
// text model.PortRange marshals to: schema_version 1 has it so.
type PortBounds struct {
	First, Last uint16
}

// BoundsOf is the PortBounds of r; nil for nil.
func BoundsOf(r *model.PortRange) *PortBounds {
	if r == nil {
		return nil
	}
	return &PortBounds{r.First, r.Last}
}

// covers reports whether the cause can matter for flows on ports (none
// for protocols without ports).
func (c Cause) covers(ports []model.PortRange) bool {
	if c.Ports == nil || len(ports) == 0 {
		return true
	}
	for _, p := range ports {
		if p.First <= c.Ports.Last && c.Ports.First <= p.Last {
			return true
		}
	}
	return false
}

func (c Cause) String() string { return c.Verb + " " + c.Address }

// VerdictChange is a requirement whose status changed.
type VerdictChange struct {
	Name    string         `json:"name"`
	Section string         `json:"section"`
	Source  string         `json:"source"`
	Ports   check.PortList `json:"ports"`
	Before  check.Status   `json:"before"`
	After   check.Status   `json:"after"`
	Detail  string         `json:"detail"`
	// Worse is true when the requirement got worse (PASS to FAIL or
	// UNKNOWN, or appeared failing).
	Worse  bool     `json:"worse"`
	Causes []string `json:"causes"`
	// PathChanged is true when the verdict stayed but the path changed
	// (the component sequence: S3 moving from its gateway endpoint to NAT).
	PathChanged bool `json:"path_changed,omitempty"`
	// Outcome is the check outcome after the change, with its trace and
	// fix, for reports that show the hops (render/report); nil when the
	// requirement is no longer checked. Not part of the JSON contract.
	Outcome *check.Outcome `json:"-"`
}

// Change is reachability that appeared or disappeared.
type Change struct {
	Kind     string         `json:"kind"` // ADDED, REMOVED or PATH
	From     string         `json:"from"` // security groups of the source, as IDs joined by "+"
	To       string         `json:"to"`
	Protocol model.Protocol `json:"protocol"`
	Ports    Ranges         `json:"ports"`  // exact ranges, "8443-8451" or "22, 8443-8451"; none without ports
	Pairs    []string       `json:"pairs"`  // subnet pairs it holds for, "subnet-a -> subnet-b"
	Causes   []string       `json:"causes"` // "deleting aws_security_group_rule.vpce_8443"
	Blocked  string         `json:"blocked,omitempty"`
	// Path, for a PATH change (reachable before and after, by another
	// way), is "before => after", each the tables, gateways and endpoints
	// passed.
	Path string `json:"path,omitempty"`
}

// SchemaVersion is the version of the diff document. CHANGELOG.md says
// what each version changed.
const SchemaVersion = 1

// Report is a whole comparison.
type Report struct {
	SchemaVersion int    `json:"schema_version"`
	Before        string `json:"before"`
	After         string `json:"after"`
	Profile       string `json:"profile,omitempty"`
	// Kept are the profile parameters discovered on the network before
	// the change and kept for the one after it ("egress=nat").
	Kept []string `json:"kept_params,omitempty"`
	// Rediscovered are parameters discovered before the change that name
	// something the change replaced or deleted: discovered again after it.
	Rediscovered []string        `json:"rediscovered_params,omitempty"`
	Requirements []VerdictChange `json:"requirements"`
	Reachability []Change        `json:"reachability"`
	Plan         []Cause         `json:"plan_changes"`
	// Broken is true when a requirement got worse: the exit code is 1.
	Broken bool `json:"broken"`
	// AfterRefused is true when AWS would refuse the network after the
	// change (model.Validate): Requirements then lists what it refuses,
	// as failures of section "refused", and no flow is compared.
	AfterRefused bool `json:"after_refused,omitempty"`
}

// Requirements compares two check runs (outcomes matched by section, name
// and source subnet).
func Requirements(before, after []check.Outcome, causes []Cause) []VerdictChange {
	key := func(o check.Outcome) string {
		return o.Section + "\x00" + o.Name + "\x00" + o.SourceSubnet + "\x00" + o.Ports.String()
	}
	old := map[string]check.Outcome{}
	for _, o := range before {
		old[key(o)] = o
	}
	var out []VerdictChange
	seen := map[string]bool{}
	for _, o := range after {
		k := key(o)
		seen[k] = true
		b, had := old[k]
		if had && b.Status == o.Status {
			if pb, pa := passPath(b), passPath(o); pb != pa && pb != "" && pa != "" {
				// Still passing, by another way: the path is a change.
				fix := ""
				if o.Fix != nil {
					fix = *o.Fix
				}
				out = append(out, VerdictChange{Name: o.Name, Section: o.Section, Source: o.SourceSubnet, Ports: o.Ports,
					Before: b.Status, After: o.Status, Detail: "path: " + pb + " => " + pa, PathChanged: true,
					Causes:  relevant(causes, o.Detail+" "+b.Detail+" "+o.Name+" "+o.Source+" "+fix, o.Ports),
					Outcome: &o})
			}
			continue
		}
		vc := VerdictChange{Name: o.Name, Section: o.Section, Source: o.SourceSubnet, Ports: o.Ports, After: o.Status, Detail: o.Detail, Outcome: &o}
		if had {
			vc.Before = b.Status
			vc.Worse = rank(o.Status) > rank(b.Status)
		} else {
			vc.Before = "-"
			vc.Worse = o.Status != check.Pass
		}
		fix := ""
		if o.Fix != nil {
			fix = *o.Fix
		}
		vc.Causes = relevant(causes, o.Detail+" "+o.Rule+" "+o.Name+" "+o.Source+" "+fix, o.Ports)
		out = append(out, vc)
	}
	for _, b := range before {
		if !seen[key(b)] {
			out = append(out, VerdictChange{Name: b.Name, Section: b.Section, Source: b.SourceSubnet, Ports: b.Ports, Before: b.Status, After: "-", Detail: "no longer checked"})
		}
	}
	return out
}

func rank(s check.Status) int {
	switch s {
	case check.Fail:
		return 2
	case check.Unknown:
		return 1
	}
	return 0
}

// relevant lists the causes whose IDs appear in text and whose ports meet
// the requirement's.
func relevant(causes []Cause, text string, ports []model.PortRange) []string {
	out := []string{}
	for _, c := range causes {
		if !c.covers(ports) {
			continue
		}
		for _, id := range c.IDs {
			if id != "" && strings.Contains(text, id) {
				out = append(out, c.String())
				break
			}
		}
	}
	return out
}

// unit is one source or destination: a combination of subnet and
// security groups, with a representative interface.
type unit struct {
	subnet string
	groups string // sorted IDs joined by "+"
	eni    string
}

func units(m *model.Model) map[string]unit {
	out := map[string]unit{}
	for _, id := range model.SortedKeys(m.ENIs) {
		e := m.ENIs[id]
		if len(e.PrivateIPs) == 0 || len(e.Groups) == 0 {
			continue
		}
		gs := append([]string{}, e.Groups...)
		sort.Strings(gs)
		u := unit{subnet: e.SubnetID, groups: strings.Join(gs, "+"), eni: id}
		k := u.subnet + "|" + u.groups
		if _, ok := out[k]; !ok {
			out[k] = u
		}
	}
	return out
}

// span is a protocol and the port ranges the rules mention.
type span struct {
	proto model.Protocol
	ports []model.PortRange
}

// mentioned returns the protocols and port ranges that the egress rules
// of the source's groups and the ingress rules of the destination's
// groups mention, in either network.
func mentioned(ms []*model.Model, src, dst unit) []span {
	by := map[model.Protocol][]model.PortRange{}
	addRule := func(r model.SGRule) {
		switch {
		case r.Protocol == model.ProtoAll:
			by[model.ProtoTCP] = append(by[model.ProtoTCP], model.AllPorts)
			by[model.ProtoUDP] = append(by[model.ProtoUDP], model.AllPorts)
		case r.Protocol.HasPorts():
			by[r.Protocol] = append(by[r.Protocol], r.Ports)
		case r.Protocol.IsICMP():
			by[r.Protocol] = append(by[r.Protocol], model.AllPorts) // no ports: the whole protocol
		}
	}
	for _, m := range ms {
		for _, g := range strings.Split(src.groups, "+") {
			if sg := m.SecurityGroups[g]; sg != nil {
				for _, r := range sg.Egress {
					addRule(r)
				}
			}
		}
		for _, g := range strings.Split(dst.groups, "+") {
			if sg := m.SecurityGroups[g]; sg != nil {
				for _, r := range sg.Ingress {
					addRule(r)
				}
			}
		}
	}
	var out []span
	for _, p := range []model.Protocol{model.ProtoTCP, model.ProtoUDP, model.ProtoICMP, model.ProtoICMPv6} {
		if rs := by[p]; len(rs) > 0 {
			out = append(out, span{p, union(rs)})
		}
	}
	return out
}

// union merges ranges into sorted disjoint ones.
func union(rs []model.PortRange) []model.PortRange {
	sort.Slice(rs, func(a, b int) bool { return rs[a].First < rs[b].First })
	var out []model.PortRange
	for _, r := range rs {
		if n := len(out); n > 0 && uint32(r.First) <= uint32(out[n-1].Last)+1 {
			if r.Last > out[n-1].Last {
				out[n-1].Last = r.Last
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// minus returns the parts of a not in b.
func minus(a, b []model.PortRange) []model.PortRange {
	var out []model.PortRange
	for _, r := range a {
		cur := []model.PortRange{r}
		for _, x := range b {
			var next []model.PortRange
			for _, c := range cur {
				if x.Last < c.First || x.First > c.Last {
					next = append(next, c)
					continue
				}
				if x.First > c.First {
					next = append(next, model.PortRange{First: c.First, Last: x.First - 1})
				}
				if x.Last < c.Last {
					next = append(next, model.PortRange{First: x.Last + 1, Last: c.Last})
				}
			}
			cur = next
		}
		out = append(out, cur...)
	}
	return out
}

// Ranges are the exact port ranges of a change, written as
// model.PortRange marshals them (every port "0-65535") and joined by ", ":
// "22, 8443-8451".
type Ranges []model.PortRange

func (rs Ranges) String() string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		b, _ := r.MarshalText()
		parts[i] = string(b)
	}
	return strings.Join(parts, ", ")
}

// MarshalText writes String.
func (rs Ranges) MarshalText() ([]byte, error) { return []byte(rs.String()), nil }

// UnmarshalText reads what MarshalText writes; "" is no ranges.
func (rs *Ranges) UnmarshalText(b []byte) error {
	var l check.PortList
	if err := l.UnmarshalText(b); err != nil {
		return err
	}
	*rs = Ranges(l)
	return nil
}

// reachable traces src to dst over the ranges and returns the reachable
// ports.
func reachable(m *model.Model, src, dst string, proto model.Protocol, ranges []model.PortRange, opts check.Options) []model.PortRange {
	if !present(m, src, dst) {
		return nil
	}
	var out []model.PortRange
	if !proto.HasPorts() {
		// ICMP (echo, as a trace asks it): the whole protocol or nothing.
		res, err := simulate.Trace(m, simulate.Query{From: src, To: dst, Protocol: proto, Ephemeral: opts.Ephemeral, EphemeralName: opts.EphemeralName, DNS: opts.DNS})
		if err == nil && res.Verdict == simulate.Reachable {
			return []model.PortRange{model.AllPorts}
		}
		return nil
	}
	for _, r := range ranges {
		q := simulate.Query{From: src, To: dst, Protocol: proto, Ephemeral: opts.Ephemeral, EphemeralName: opts.EphemeralName, DNS: opts.DNS}
		res, err := simulate.TraceRange(m, q, r)
		if err != nil {
			continue
		}
		if len(res.Segments) == 0 {
			if res.Verdict == simulate.Reachable {
				out = append(out, r)
			}
			continue
		}
		for _, s := range res.Segments {
			if s.Verdict == simulate.Reachable {
				out = append(out, s.Ports)
			}
		}
	}
	return union(out)
}

// pathIDs are the IDs a trace of one port passes in m, for attribution.
func pathIDs(m *model.Model, src, dst string, proto model.Protocol, port uint16, opts check.Options, ids map[string]bool) string {
	if !present(m, src, dst) {
		return ""
	}
	res, err := simulate.Trace(m, simulate.Query{From: src, To: dst, Protocol: proto, Port: port, Ephemeral: opts.Ephemeral, EphemeralName: opts.EphemeralName, DNS: opts.DNS})
	if err != nil {
		return ""
	}
	for _, hs := range [][]simulate.Hop{res.Hops, res.ReturnHops} {
		for _, h := range hs {
			ids[h.ID] = true
		}
	}
	if res.BlockedBy != nil {
		return string(res.BlockedBy.Component) + " " + res.BlockedBy.ID
	}
	return ""
}

// Reachability compares what each combination of subnet and security
// groups reaches in the two networks.
func Reachability(before, after *model.Model, causes []Cause, opts check.Options) []Change {
	ub, ua := units(before), units(after)
	all := map[string]unit{}
	for k, u := range ub {
		all[k] = u
	}
	for k, u := range ua {
		if _, ok := all[k]; !ok {
			all[k] = u
		}
	}
	keys := model.SortedKeys(all)
	type agg struct {
		c     Change
		pairs []string
	}
	merged := map[string]*agg{}
	var order []string
	record := func(c Change, pair string) {
		k := strings.Join([]string{c.Kind, c.From, c.To, c.Protocol.String(), c.Ports.String(), c.Path, strings.Join(c.Causes, ",")}, "|")
		if a := merged[k]; a != nil {
			a.pairs = append(a.pairs, pair)
			return
		}
		merged[k] = &agg{c: c, pairs: []string{pair}}
		order = append(order, k)
	}
	// compare records what src reaches of dst (an interface or an
	// address) before and after; to names the destination.
	compare := func(src unit, dst, to, dstSubnet string, dstGroups string, spans []span) {
		for _, sp := range spans {
			rb := reachable(before, src.eni, dst, sp.proto, sp.ports, opts)
			ra := reachable(after, src.eni, dst, sp.proto, sp.ports, opts)
			pair := src.subnet + " -> " + dstSubnet
			for _, kind := range []string{"REMOVED", "ADDED"} {
				d := minus(rb, ra)
				if kind == "ADDED" {
					d = minus(ra, rb)
				}
				if len(d) == 0 {
					continue
				}
				ids := map[string]bool{src.subnet: true, dstSubnet: true, src.eni: true, dst: true}
				for _, g := range strings.Split(src.groups+"+"+dstGroups, "+") {
					ids[g] = true
				}
				port := d[0].First
				if port == 0 && d[0].Last > 0 {
					port = 1 // a trace needs a port; any of the range tells the path
				}
				blocked := pathIDs(before, src.eni, dst, sp.proto, port, opts, ids)
				if b := pathIDs(after, src.eni, dst, sp.proto, port, opts, ids); b != "" {
					blocked = b
				}
				c := Change{Kind: kind, From: src.groups, To: to, Protocol: sp.proto, Causes: blame(causes, d, ids)}
				if sp.proto.HasPorts() {
					c.Ports = d
				}
				if kind == "REMOVED" {
					c.Blocked = blocked
				}
				record(c, pair)
			}
			// Reachable before and after: by the same way?
			both := minus(rb, minus(rb, ra))
			if len(both) == 0 {
				continue
			}
			if _, err := netip.ParseAddr(dst); err != nil {
				continue // between interfaces the path is the VPC's local route
			}
			port := both[0].First
			if port == 0 {
				port = 443
				if !both[0].Contains(port) {
					port = both[0].Last
				}
			}
			pb := forwardPath(before, src.eni, dst, sp.proto, port, opts)
			pa := forwardPath(after, src.eni, dst, sp.proto, port, opts)
			if pb == pa || pb == "" || pa == "" {
				continue
			}
			ids := map[string]bool{src.subnet: true, src.eni: true}
			for _, part := range strings.Fields(strings.ReplaceAll(pb+" "+pa, ">", " ")) {
				ids[part] = true
			}
			c := Change{Kind: "PATH", From: src.groups, To: to, Protocol: sp.proto, Causes: blame(causes, both, ids), Path: pb + " => " + pa}
			if sp.proto.HasPorts() {
				c.Ports = both
			}
			record(c, pair)
		}
	}
	for _, ks := range keys {
		for _, kd := range keys {
			src, dst := all[ks], all[kd]
			if src.eni == dst.eni {
				continue
			}
			compare(src, dst.eni, dst.groups, dst.subnet, dst.groups, mentioned([]*model.Model{before, after}, src, dst))
		}
	}
	// Destinations outside the VPCs, on the ports the source's egress
	// rules mention.
	for _, o := range outsides(before, after) {
		for _, ks := range keys {
			src := all[ks]
			compare(src, o.addr, o.name, o.name, "", mentioned([]*model.Model{before, after}, src, unit{}))
		}
	}
	var out []Change
	for _, k := range order {
		a := merged[k]
		a.c.Pairs = a.pairs
		out = append(out, a.c)
	}
	return out
}

// blame lists the causes whose IDs the path passes and whose ports meet d.
func blame(causes []Cause, d []model.PortRange, ids map[string]bool) []string {
	cs := []string{}
	for _, c := range causes {
		if !c.covers(d) {
			continue
		}
		for _, id := range c.IDs {
			if ids[id] {
				cs = append(cs, c.String())
				break
			}
		}
	}
	return cs
}

// Line writes a change as one line: "REMOVED sg-ws -> sg-vpce tcp
// 8443-8451, by deleting aws_security_group_rule.vpce_8443".
func (c Change) Line() string {
	s := strings.TrimSpace(fmt.Sprintf("%s %s -> %s %s %s", c.Kind, c.From, c.To, c.Protocol, c.Ports))
	if len(c.Causes) > 0 {
		s += ", by " + strings.Join(c.Causes, " and ")
	}
	return s
}
