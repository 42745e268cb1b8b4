package check

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
)

// managedTypes are interfaces AWS owns for a service; a selector by subnet,
// group or tag means the workloads, not these.
var managedTypes = map[string]bool{"vpc_endpoint": true, "nat_gateway": true, "transit_gateway": true,
	"gateway_load_balancer": true, "gateway_load_balancer_endpoint": true}

// interfaces resolves a source-style selector to interfaces. When nothing
// matches but the selector names subnets (a workspace whose clusters are
// not running, a plan not yet applied), a stand-in node is placed in each
// subnet with the selected groups, at the subnet's last usable address.
func (r *runner) interfaces(sel Selector) ([]source, error) { return r.match(sel, true) }

// match resolves a selector to interfaces; AWS-managed interfaces (endpoint,
// NAT, ...) are workloads' destinations but never their sources.
func (r *runner) match(sel Selector, asSource bool) ([]source, error) {
	m := r.m
	switch {
	case sel.ENI != "":
		e := m.ENIs[byLogical(m, m.ENIs, sel.ENI)]
		if e == nil {
			return nil, &model.NotFoundError{Kind: model.KindENI, ID: sel.ENI, Why: fmt.Sprintf("no interface %s in the snapshot", sel.ENI)}
		}
		return []source{{e, label(e)}}, nil
	case sel.Instance != "":
		id := byLogical(m, m.Instances, sel.Instance)
		e := m.PrimaryENI(id)
		if m.Instances[id] == nil {
			return nil, &model.NotFoundError{Kind: model.KindInstance, ID: sel.Instance, Why: fmt.Sprintf("no instance %s (or none of its interfaces) in the snapshot", sel.Instance)}
		}
		if e == nil {
			return nil, fmt.Errorf("no instance %s (or none of its interfaces) in the snapshot", sel.Instance)
		}
		return []source{{e, sel.Instance + " " + label(e)}}, nil
	}
	subnets, err := r.subnets(sel.Subnet)
	if err != nil {
		return nil, err
	}
	groups, err := r.groups(sel.SecurityGroup)
	if err != nil {
		return nil, err
	}
	var prefix netip.Prefix
	if sel.IP != "" {
		prefix, err = netip.ParsePrefix(sel.IP)
		if err != nil {
			a, _ := netip.ParseAddr(sel.IP)
			prefix = netip.PrefixFrom(a, a.BitLen())
		}
	}
	var out []source
	for _, id := range model.SortedKeys(m.ENIs) {
		e := m.ENIs[id]
		if asSource && managedTypes[e.Type] || strings.HasPrefix(e.ID, syntheticPrefix) {
			continue
		}
		if len(subnets) > 0 && !subnets[e.SubnetID] {
			continue
		}
		if len(groups) > 0 && !hasAny(e, groups) {
			continue
		}
		if !tagsMatch(e.Tags, sel.Tag) && !r.instanceTagsMatch(e, sel.Tag) {
			continue
		}
		if prefix.IsValid() && !prefix.Contains(e.PrimaryIP()) {
			continue
		}
		out = append(out, source{e, label(e)})
	}
	if len(out) == 0 && len(subnets) == 0 {
		return nil, fmt.Errorf("no interface matches %q; name a subnet too, so that a stand-in node can be placed", sel.String())
	}
	// Every named subnet is checked: one where nothing matching runs gets
	// a stand-in node.
	have := map[string]bool{}
	for _, s := range out {
		have[s.eni.SubnetID] = true
	}
	var gids []string
	for g := range groups {
		gids = append(gids, g)
	}
	sort.Strings(gids)
	for _, sid := range sortedSet(subnets) {
		if have[sid] {
			continue
		}
		e, err := r.standIn(sid, gids, "")
		if err != nil {
			return nil, err
		}
		out = append(out, source{e, label(e)})
	}
	return out, nil
}

// missingVPC says why a VPC is not in the model: the dangling reference
// that names it, if any.
func missingVPC(m *model.Model, id string) string {
	if d, ok := m.DanglingRef(id); ok {
		return "referenced at " + d.Origin + ": " + d.Field
	}
	return "not described"
}

// byLogical is the ID in items that name stands for: itself, else the one
// a template or plan defines under that logical ID or address
// (model.Sources), so that a selector may name a template resource.
func byLogical[V any](m *model.Model, items map[string]V, name string) string {
	if _, ok := items[name]; ok {
		return name
	}
	for _, id := range model.SortedKeys(items) {
		if m.Sources[id] == name {
			return id
		}
	}
	return name
}

const syntheticPrefix = simulate.StandInPrefix

// standIn places a node with groups in subnet sid (simulate.StandIn).
func (r *runner) standIn(sid string, groups []string, suffix string) (*model.ENI, error) {
	if len(groups) == 0 {
		if s := r.m.Subnets[sid]; s != nil {
			groups = simulate.DefaultGroups(r.m, s.VPCID)
		}
	}
	id := syntheticPrefix + strings.TrimPrefix(sid, "subnet-") + "-" + strings.Join(groups, "-") + suffix
	if e := r.standIns[id]; e != nil {
		return e, nil
	}
	e, err := simulate.StandIn(r.m, sid, groups, id, r.standInAt)
	if err != nil {
		return nil, err
	}
	r.standIns[id] = e
	r.synthetic = append(r.synthetic, e)
	return e, nil
}

// standInAt reports whether a stand-in already holds address a.
func (r *runner) standInAt(a netip.Addr) bool {
	for _, e := range r.synthetic {
		if slices.Contains(e.PrivateIPs, a) {
			return true
		}
	}
	return false
}

func label(e *model.ENI) string {
	l := e.ID + " (" + e.PrimaryIP().String() + ", " + e.SubnetID
	if len(e.Groups) > 0 {
		l += ", " + strings.Join(e.Groups, ",")
	}
	return l + ")"
}

func (r *runner) subnets(names []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, n := range names {
		found := false
		for id, s := range r.m.Subnets {
			if id == n || s.Tags.Name() == n || r.m.Sources[id] == n {
				out[id], found = true, true
			}
		}
		if !found {
			return nil, &model.NotFoundError{Kind: model.KindSubnet, ID: n, Why: fmt.Sprintf("no subnet %q (by ID or Name tag) in the snapshot", n)}
		}
	}
	return out, nil
}

func (r *runner) groups(names []string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, n := range names {
		found := false
		for id, g := range r.m.SecurityGroups {
			if id == n || g.Name == n || r.m.Sources[id] == n && g.Name != "default" {
				out[id], found = true, true
			}
		}
		if !found {
			return nil, &model.NotFoundError{Kind: model.KindSecurityGroup, ID: n, Why: fmt.Sprintf("no security group %q (by ID or name) in the snapshot", n)}
		}
	}
	return out, nil
}

func hasAny(e *model.ENI, groups map[string]bool) bool {
	for _, g := range e.Groups {
		if groups[g] {
			return true
		}
	}
	return false
}

func tagsMatch(t model.Tags, want map[string]string) bool {
	for k, v := range want {
		if t[k] != v {
			return false
		}
	}
	return true
}

func (r *runner) instanceTagsMatch(e *model.ENI, want map[string]string) bool {
	in := r.m.Instances[e.InstanceID]
	return in != nil && len(want) > 0 && tagsMatch(in.Tags, want)
}

func sortedSet(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// destinations resolves a destination selector to what a trace's --to
// takes, as seen from src.
func (r *runner) destinations(sel Selector, src *model.ENI) ([]string, error) {
	m := r.m
	switch {
	case sel.ENI != "":
		return []string{byLogical(m, m.ENIs, sel.ENI)}, nil
	case sel.Instance != "":
		return []string{byLogical(m, m.Instances, sel.Instance)}, nil
	case sel.Endpoint != "":
		id := byLogical(m, m.Endpoints, sel.Endpoint)
		if m.Endpoints[id] == nil {
			return nil, &model.NotFoundError{Kind: model.KindVPCEndpoint, ID: sel.Endpoint, Why: fmt.Sprintf("no endpoint %s in the snapshot", sel.Endpoint)}
		}
		return []string{id}, nil
	case sel.EndpointService != "":
		if m.VPCs[src.VPCID] == nil {
			return nil, fmt.Errorf("%s of %s is not in the model (%s): its endpoints are unknown", src.VPCID, src.ID, missingVPC(m, src.VPCID))
		}
		var out []string
		for _, ep := range m.EndpointsOf(src.VPCID) {
			if ep.ServiceName == sel.EndpointService {
				out = append(out, ep.ID)
			}
		}
		if len(out) == 0 {
			return nil, &noEndpointError{service: sel.EndpointService, vpc: src.VPCID}
		}
		return out, nil
	case sel.PrefixList != "":
		pl := m.PrefixLists[sel.PrefixList]
		if pl == nil {
			pl = m.PrefixListByName(sel.PrefixList)
		}
		if pl == nil || !pl.CIDRsKnown || len(pl.CIDRs) == 0 {
			return nil, fmt.Errorf("prefix list %s and its entries are not in the snapshot", sel.PrefixList)
		}
		return []string{firstHost(pl.CIDRs[0]).String()}, nil
	case sel.Host != "":
		return []string{sel.Host}, nil
	case sel.Internet:
		return []string{internetAddr.String()}, nil
	case sel.Resolver:
		v := m.VPCs[src.VPCID]
		if v == nil || !v.ResolverAddr().IsValid() {
			return nil, fmt.Errorf("%s and its CIDR are not in the snapshot", src.VPCID)
		}
		return []string{v.ResolverAddr().String()}, nil
	case sel.IP != "" && len(sel.Subnet) == 0 && len(sel.SecurityGroup) == 0 && len(sel.Tag) == 0:
		if a, err := netip.ParseAddr(sel.IP); err == nil {
			return []string{a.String()}, nil
		}
		return []string{firstHost(netip.MustParsePrefix(sel.IP)).String()}, nil
	}
	ifs, err := r.match(sel, false)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, s := range ifs {
		groups := append([]string{}, s.eni.Groups...)
		sort.Strings(groups)
		key := s.eni.SubnetID + "|" + strings.Join(groups, ",")
		if !seen[key] {
			seen[key] = true
			out = append(out, s.eni.ID)
		}
	}
	return out, nil
}

func firstHost(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr()
	if p.Bits() < a.BitLen() {
		return a.Next()
	}
	return a
}
