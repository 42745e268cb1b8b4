package matrix

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
)

// Ways to cut the network into segments (--by).
const (
	BySubnet        = "subnet"
	BySecurityGroup = "security-group"
	ByVPC           = "vpc"
	ByAccount       = "account"
	// ByTagPrefix begins "tag:KEY": one segment per value of the tag KEY.
	ByTagPrefix = "tag:"
)

// ByValues are the --by values, for help and completion ("tag:KEY" last).
var ByValues = []string{BySubnet, BySecurityGroup, ByVPC, ByAccount, ByTagPrefix + "KEY"}

// ParseBy checks a --by value.
func ParseBy(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch s {
	case BySubnet, BySecurityGroup, ByVPC, ByAccount:
		return s, nil
	case "sg", "security-groups":
		return BySecurityGroup, nil
	}
	if k, ok := strings.CutPrefix(s, ByTagPrefix); ok && strings.TrimSpace(k) != "" {
		return ByTagPrefix + strings.TrimSpace(k), nil
	}
	return "", fmt.Errorf("--by: want subnet, security-group, vpc, account or tag:KEY, not %q", s)
}

// managedTypes are interfaces AWS owns for a service (an endpoint's, a NAT
// gateway's, a transit gateway's): destinations of workloads, never
// members of a segment.
var managedTypes = map[string]bool{"vpc_endpoint": true, "nat_gateway": true, "transit_gateway": true,
	"gateway_load_balancer": true, "gateway_load_balancer_endpoint": true}

// workload reports whether e is a member a segment can hold.
func workload(e *model.ENI) bool {
	return !managedTypes[e.Type] && !strings.HasPrefix(e.ID, simulate.StandInPrefix)
}

// segmenter builds the segments of a model: their members, with a stand-in
// node for every subnet of a segment where no workload runs.
type segmenter struct {
	m        *model.Model
	standIns []*model.ENI
	taken    map[netip.Addr]bool
	notes    []string
}

// standIn returns the stand-in node of subnet sid (one per subnet, shared
// by every segment that holds the subnet).
func (s *segmenter) standIn(sid string) (*model.ENI, error) {
	id := simulate.StandInPrefix + strings.TrimPrefix(sid, "subnet-")
	for _, e := range s.standIns {
		if e.ID == id {
			return e, nil
		}
	}
	e, err := simulate.StandIn(s.m, sid, nil, id, func(a netip.Addr) bool { return s.taken[a] })
	if err != nil {
		return nil, err
	}
	s.taken[e.PrimaryIP()] = true
	if len(e.Groups) == 0 {
		note := fmt.Sprintf("the input holds no default security group of %s: stand-in nodes there carry no group, so what they send and receive is unknown at the security group", e.VPCID)
		if !slices.Contains(s.notes, note) {
			s.notes = append(s.notes, note)
		}
	}
	s.standIns = append(s.standIns, e)
	return e, nil
}

// build returns the segments of the model cut by by, sorted by ID.
func (s *segmenter) build(by string) ([]Segment, [][]*model.ENI, error) {
	m := s.m
	type seg struct {
		Segment
		subnets map[string]bool // subnets the segment spans: a stand-in goes where no member runs
		members []*model.ENI
	}
	segs := map[string]*seg{}
	get := func(id, name, kind string) *seg {
		g := segs[id]
		if g == nil {
			g = &seg{Segment: Segment{ID: id, Name: name, Kind: kind}, subnets: map[string]bool{}}
			segs[id] = g
		}
		return g
	}
	enis := model.SortedKeys(m.ENIs)
	switch {
	case by == BySubnet:
		for _, sid := range model.SortedKeys(m.Subnets) {
			g := get(sid, m.Subnets[sid].Tags.Name(), "subnet")
			g.subnets[sid] = true
		}
		for _, id := range enis {
			if e := m.ENIs[id]; workload(e) && segs[e.SubnetID] != nil {
				segs[e.SubnetID].members = append(segs[e.SubnetID].members, e)
			}
		}
	case by == ByVPC || by == ByAccount:
		key := func(vpcID string) (string, string, string) {
			v := m.VPCs[vpcID]
			if by == ByVPC {
				if v == nil {
					return vpcID, "", "vpc"
				}
				return vpcID, v.Tags.Name(), "vpc"
			}
			owner := ""
			if v != nil {
				owner = v.OwnerID
			}
			if owner == "" {
				return "account:unknown", "owner not in the input", "account"
			}
			return owner, "", "account"
		}
		for _, sid := range model.SortedKeys(m.Subnets) {
			id, name, kind := key(m.Subnets[sid].VPCID)
			get(id, name, kind).subnets[sid] = true
		}
		for _, id := range enis {
			if e := m.ENIs[id]; workload(e) {
				sid, name, kind := key(e.VPCID)
				g := get(sid, name, kind)
				g.members = append(g.members, e)
			}
		}
	case by == BySecurityGroup:
		for _, id := range enis {
			e := m.ENIs[id]
			if !workload(e) {
				continue
			}
			for _, gid := range e.Groups {
				name := ""
				if sg := m.SecurityGroups[gid]; sg != nil {
					name = sg.Name
				}
				g := get(gid, name, "security-group")
				g.members = append(g.members, e)
			}
		}
		var idle []string
		for _, gid := range model.SortedKeys(m.SecurityGroups) {
			if segs[gid] == nil {
				idle = append(idle, gid)
			}
		}
		if len(idle) > 0 {
			s.notes = append(s.notes, fmt.Sprintf("%d security groups carried by no workload interface are not segments: %s", len(idle), abbreviate(idle, 8)))
		}
	case strings.HasPrefix(by, ByTagPrefix):
		k := strings.TrimPrefix(by, ByTagPrefix)
		subnetValue := func(sid string) (string, bool) {
			sub := m.Subnets[sid]
			if sub == nil {
				return "", false
			}
			if v, ok := sub.Tags[k]; ok {
				return v, true
			}
			if vpc := m.VPCs[sub.VPCID]; vpc != nil {
				v, ok := vpc.Tags[k]
				return v, ok
			}
			return "", false
		}
		for _, sid := range model.SortedKeys(m.Subnets) {
			if v, ok := subnetValue(sid); ok {
				get("tag:"+k+"="+v, "", "tag").subnets[sid] = true
			}
		}
		untagged := 0
		for _, id := range enis {
			e := m.ENIs[id]
			if !workload(e) {
				continue
			}
			v, ok := e.Tags[k]
			if !ok {
				if in := m.Instances[e.InstanceID]; in != nil {
					v, ok = in.Tags[k]
				}
			}
			if !ok {
				v, ok = subnetValue(e.SubnetID)
			}
			if !ok {
				untagged++
				continue
			}
			g := get("tag:"+k+"="+v, "", "tag")
			g.members = append(g.members, e)
		}
		if untagged > 0 {
			s.notes = append(s.notes, fmt.Sprintf("%d workload interfaces carry no tag %s (on the interface, its instance, its subnet or its VPC) and are in no segment", untagged, k))
		}
		if len(segs) == 0 {
			return nil, nil, fmt.Errorf("--by %s: no interface, instance, subnet or VPC carries the tag %q", by, k)
		}
	default:
		return nil, nil, fmt.Errorf("--by: want subnet, security-group, vpc, account or tag:KEY, not %q", by)
	}
	ids := make([]string, 0, len(segs))
	for id := range segs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]Segment, len(ids))
	members := make([][]*model.ENI, len(ids))
	nStand := 0
	for i, id := range ids {
		g := segs[id]
		have := map[string]bool{}
		for _, e := range g.members {
			have[e.SubnetID] = true
		}
		for _, sid := range sortedSet(g.subnets) {
			if have[sid] {
				continue
			}
			e, err := s.standIn(sid)
			if err != nil {
				// A subnet with no IPv4 block holds no stand-in: say so.
				s.notes = append(s.notes, fmt.Sprintf("segment %s: no stand-in node in %s: %v", id, sid, err))
				continue
			}
			g.members = append(g.members, e)
			nStand++
		}
		for _, e := range g.members {
			g.Members = append(g.Members, e.ID)
		}
		if g.Members == nil {
			g.Members = []string{}
		}
		g.Label = label(g.ID, g.Name)
		g.Tags = s.tags(g.Kind, g.ID)
		out[i], members[i] = g.Segment, g.members
	}
	if nStand > 0 {
		s.notes = append(s.notes, fmt.Sprintf("%d subnets where no workload runs are represented by a stand-in node (%s...) at the subnet's last usable address carrying the VPC's default group (where the input holds one), as a new instance there would be", nStand, simulate.StandInPrefix))
	}
	return out, members, nil
}

// tags are the tags of a segment's resource.
func (s *segmenter) tags(kind, id string) map[string]string {
	var t model.Tags
	switch kind {
	case "subnet":
		if x := s.m.Subnets[id]; x != nil {
			t = x.Tags
		}
	case "vpc":
		if x := s.m.VPCs[id]; x != nil {
			t = x.Tags
		}
	case "security-group":
		if x := s.m.SecurityGroups[id]; x != nil {
			t = x.Tags
		}
	case "tag":
		k, v, _ := strings.Cut(strings.TrimPrefix(id, ByTagPrefix), "=")
		return map[string]string{k: v}
	}
	if len(t) == 0 {
		return nil
	}
	return map[string]string(t)
}

func label(id, name string) string {
	if name == "" || name == id {
		return id
	}
	return name + " (" + id + ")"
}

func sortedSet(s map[string]bool) []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func abbreviate(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return strings.Join(ids[:n], ", ") + fmt.Sprintf(" and %d more", len(ids)-n)
}
