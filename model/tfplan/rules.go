package tfplan

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// Security groups, network ACLs and route tables with their inline rules
// and routes, and the separate rule, route and association resources.

func (b *builder) securityGroup(r *resource) {
	g := &model.SecurityGroup{ID: r.id, Name: str(r.vals, "name"), VPCID: b.id(r, "vpc_id"), OwnerID: str(r.vals, "owner_id"), Tags: tags(r.vals)}
	if r.typ == "aws_default_security_group" {
		g.Name = "default"
		if IsPlaceholder(g.ID) {
			g.ID = b.defaultID("sg", g.VPCID, func() string {
				for _, sg := range b.m.SecurityGroups {
					if sg.VPCID == g.VPCID && sg.Name == "default" {
						return sg.ID
					}
				}
				return ""
			})
			r.id = g.ID
		}
	}
	if old := b.m.SecurityGroups[g.ID]; old != nil && g.VPCID == "" {
		g.VPCID = old.VPCID
	}
	for i, e := range blocks(r.vals, "ingress") {
		g.Ingress = append(g.Ingress, b.sgRules(r, "ingress", i, e, false, g.ID)...)
	}
	for i, e := range blocks(r.vals, "egress") {
		g.Egress = append(g.Egress, b.sgRules(r, "egress", i, e, true, g.ID)...)
	}
	for _, dir := range []string{"ingress", "egress"} {
		if why := b.wholeUnknown(r, dir); why != "" {
			x := model.SGRule{GroupID: g.ID, Egress: dir == "egress", Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, Source: r.addr, Unknown: why}
			if x.Egress {
				g.Egress = append(g.Egress, x)
			} else {
				g.Ingress = append(g.Ingress, x)
			}
		}
	}
	b.m.SecurityGroups[g.ID] = g
	b.own(g)
	b.source(g.ID, r)
}

// defaultID is the ID of a VPC's default resource: found in the base, or
// the placeholder named after the VPC's address.
func (b *builder) defaultID(prefix, vpcID string, find func() string) string {
	if id := find(); id != "" {
		return id
	}
	addr := b.m.Sources[vpcID]
	if addr == "" {
		addr = vpcID
	}
	suffix := ":default"
	if prefix == "rtb" {
		suffix = ":main"
	}
	return placeholder(prefix, addr+suffix)
}

// sgRules flattens one inline rule (or a rule resource's values) into
// one rule per peer.
func (b *builder) sgRules(r *resource, block string, i int, e map[string]any, egress bool, groupID string) []model.SGRule {
	proto, err := protocol(str(e, "protocol"))
	if err != nil {
		b.fail(r.addr, "%s protocol: %v", block, err)
		return nil
	}
	ports, icmp := portsOf(e, proto, "from_port", "to_port")
	base := model.SGRule{GroupID: groupID, Egress: egress, Protocol: proto, Ports: ports, ICMP: icmp, Description: str(e, "description"), Source: r.addr}
	if why := r.unknownOf(block, i, "protocol", "from_port", "to_port"); why != "" {
		// What the rule admits is undecided: at its widest, and unknown.
		base.Protocol, base.Ports, base.ICMP, base.Unknown = model.ProtoAll, model.AllPorts, model.AnyICMP, why
	}
	var out []model.SGRule
	// undecided keeps a peer the plan leaves unknown as a rule of unknown
	// peer (simulate: such a rule may match).
	undecided := func(why string) {
		x := base
		x.Unknown = why
		out = append(out, x)
	}
	for _, k := range []string{"cidr_blocks", "ipv6_cidr_blocks"} {
		for _, c := range strs(e, k) {
			p, err := parsePrefix(c)
			if err != nil {
				b.fail(r.addr, "%s %s: %v", block, k, err)
				return nil
			}
			x := base
			x.CIDR = p
			out = append(out, x)
		}
		if block != "" && r.elemUnknown(block, i, k) {
			undecided(fmt.Sprintf("%s %s[%d].%s is known only after apply", r.addr, block, i, k))
		} else if block == "" && r.isUnknown(k) {
			undecided(fmt.Sprintf("%s %s is known only after apply", r.addr, k))
		}
	}
	pls, why := b.nestedIDs(r, block, i, e, "prefix_list_ids", false)
	if block == "" {
		pls, why = b.idsOf(r, "prefix_list_ids", false)
	}
	for _, pl := range pls {
		x := base
		x.PrefixListID = pl
		out = append(out, x)
	}
	if why != "" {
		undecided(why)
	}
	sgs, why := b.nestedIDs(r, block, i, e, "security_groups", false)
	for _, sg := range sgs {
		x := base
		x.PeerGroup = sg
		out = append(out, x)
	}
	if why != "" {
		undecided(why)
	}
	if boolOr(e, "self", false) {
		x := base
		x.PeerGroup = groupID
		out = append(out, x)
	} else if why := r.unknownOf(block, i, "self"); why != "" {
		x := base
		x.PeerGroup, x.Unknown = groupID, why
		out = append(out, x)
	}
	return out
}

// unknownOf says which of attrs of the ith element of block (of the
// resource itself when block is "") is known only after apply, naming the
// resource and attribute; "" when all are known.
func (r *resource) unknownOf(block string, i int, attrs ...string) string {
	for _, a := range attrs {
		if block == "" && r.isUnknown(a) {
			return fmt.Sprintf("%s %s is known only after apply", r.addr, a)
		}
		if block != "" && r.elemUnknown(block, i, a) {
			return fmt.Sprintf("%s %s[%d].%s is known only after apply", r.addr, block, i, a)
		}
	}
	return ""
}

// wholeUnknown says why a whole inline list (ingress, egress, route) is
// unknown until apply, when the configuration sets it (or a plan of format
// 0.1 leaves nested blocks out of the configuration, so nobody can tell).
// A list the configuration does not set is Terraform's computed default:
// the group, table or ACL has only what separate resources add. A dynamic
// block over a collection unknown until apply looks the same and is read
// so too.
func (b *builder) wholeUnknown(r *resource, block string) string {
	if !r.isUnknown(block) {
		return ""
	}
	if r.cfg != nil && r.cfg.Expressions[block] == nil && !b.p.noBlocks() {
		return ""
	}
	return fmt.Sprintf("%s %s is known only after apply", r.addr, block)
}

// sgRuleResource applies aws_security_group_rule and
// aws_vpc_security_group_ingress_rule / _egress_rule.
func (b *builder) sgRuleResource(r *resource, add bool) {
	gid := b.id(r, "security_group_id")
	if gid == "" {
		b.warn(r.addr, "no security_group_id: rule left out")
		return
	}
	var rules []model.SGRule
	if r.typ == "aws_security_group_rule" {
		egress := str(r.vals, "type") == "egress"
		e := map[string]any{}
		for k, v := range r.vals {
			e[k] = v
		}
		e["security_groups"] = nil
		rules = b.sgRules(r, "", 0, e, egress, gid)
		proto, _ := protocol(str(r.vals, "protocol"))
		ports, icmp := portsOf(r.vals, proto, "from_port", "to_port")
		peers, why := b.idsOf(r, "source_security_group_id", true)
		for _, peer := range peers {
			rules = append(rules, model.SGRule{GroupID: gid, Egress: egress, Protocol: proto, Ports: ports, ICMP: icmp, PeerGroup: peer, Description: str(r.vals, "description"), Source: r.addr})
		}
		if why != "" {
			rules = append(rules, model.SGRule{GroupID: gid, Egress: egress, Protocol: proto, Ports: ports, ICMP: icmp, Description: str(r.vals, "description"), Source: r.addr, Unknown: why})
		}
		if why := r.unknownOf("", 0, "type"); why != "" {
			// Ingress or egress is undecided: the rule may be either.
			for i := range rules {
				rules[i].Unknown = why
				y := rules[i]
				y.Egress = !y.Egress
				rules = append(rules, y)
			}
		}
	} else {
		egress := r.typ == "aws_vpc_security_group_egress_rule"
		proto, err := protocol(str(r.vals, "ip_protocol"))
		if err != nil {
			b.fail(r.addr, "ip_protocol: %v", err)
			return
		}
		ports, icmp := portsOf(r.vals, proto, "from_port", "to_port")
		x := model.SGRule{GroupID: gid, Egress: egress, Protocol: proto, Ports: ports, ICMP: icmp, Description: str(r.vals, "description"), Source: r.addr}
		if why := r.unknownOf("", 0, "ip_protocol", "from_port", "to_port"); why != "" {
			x.Protocol, x.Ports, x.ICMP, x.Unknown = model.ProtoAll, model.AllPorts, model.AnyICMP, why
		}
		for _, k := range []string{"cidr_ipv4", "cidr_ipv6"} {
			if c := str(r.vals, k); c != "" {
				p, err := parsePrefix(c)
				if err != nil {
					b.fail(r.addr, "%s: %v", k, err)
					return
				}
				y := x
				y.CIDR = p
				rules = append(rules, y)
			}
		}
		for _, k := range []string{"cidr_ipv4", "cidr_ipv6"} {
			if r.isUnknown(k) {
				y := x
				y.Unknown = fmt.Sprintf("%s %s is known only after apply", r.addr, k)
				rules = append(rules, y)
			}
		}
		for _, k := range []string{"prefix_list_id", "referenced_security_group_id"} {
			v, why := b.idOf(r, k)
			y := x
			switch {
			case v != "" && k == "prefix_list_id":
				y.PrefixListID = v
			case v != "":
				y.PeerGroup = v
			case why != "":
				y.Unknown = why
			default:
				continue
			}
			rules = append(rules, y)
		}
	}
	g := b.m.SecurityGroups[gid]
	if g == nil {
		if add && r.action != "delete" {
			b.dangling(r, "security_group_id", gid, model.KindSecurityGroup)
		}
		return
	}
	g = b.editSG(gid)
	for _, x := range rules {
		list := &g.Ingress
		if x.Egress {
			list = &g.Egress
		}
		if add {
			if i := findRule(*list, x); i >= 0 {
				(*list)[i].Source = x.Source
				continue
			}
			*list = append(*list, x)
		} else if i := findRule(*list, x); i >= 0 {
			*list = append((*list)[:i:i], (*list)[i+1:]...)
		}
	}
}

func sameRule(a, c model.SGRule) bool {
	if a.Egress != c.Egress || a.Protocol != c.Protocol || a.CIDR != c.CIDR || a.PeerGroup != c.PeerGroup || a.PrefixListID != c.PrefixListID {
		return false
	}
	switch {
	case a.Protocol.HasPorts():
		return a.Ports == c.Ports
	case a.Protocol.IsICMP():
		return a.ICMP == c.ICMP
	}
	return true
}

func findRule(list []model.SGRule, x model.SGRule) int {
	for i, y := range list {
		if sameRule(x, y) {
			return i
		}
	}
	return -1
}

func (b *builder) dangling(r *resource, field, id string, kind model.Kind) {
	if IsPlaceholder(id) {
		return
	}
	b.m.Dangling = append(b.m.Dangling, model.Dangling{Origin: b.p.File, Field: r.addr + "." + field, ID: id, Kind: kind})
}

func (b *builder) networkACL(r *resource) {
	a := &model.NetworkACL{ID: r.id, VPCID: b.id(r, "vpc_id"), Tags: tags(r.vals)}
	if r.typ == "aws_default_network_acl" {
		a.IsDefault = true
		if d := b.id(r, "default_network_acl_id"); d != "" {
			a.ID = d
			r.id = d
		}
		if a.VPCID == "" {
			if ts, _ := b.p.resolve(r.module, r.exprRefs("default_network_acl_id"), r.index, true, 0); len(ts) > 0 && ts[0].res.typ == "aws_vpc" {
				a.VPCID = ts[0].res.id
			} else if old := b.m.NetworkACLs[a.ID]; old != nil {
				a.VPCID = old.VPCID
			}
		}
	} else if old := b.m.NetworkACLs[a.ID]; old != nil {
		a.IsDefault = old.IsDefault
	}
	for i, e := range blocks(r.vals, "ingress") {
		if x, ok := b.naclEntry(r, "ingress", i, e, false); ok {
			a.Inbound = append(a.Inbound, x)
		}
	}
	for i, e := range blocks(r.vals, "egress") {
		if x, ok := b.naclEntry(r, "egress", i, e, true); ok {
			a.Outbound = append(a.Outbound, x)
		}
	}
	for _, dir := range []string{"ingress", "egress"} {
		if why := b.wholeUnknown(r, dir); why != "" {
			x := model.NACLEntry{Number: 0, Egress: dir == "egress", Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, Source: r.addr, Unknown: why}
			if x.Egress {
				a.Outbound = append(a.Outbound, x)
			} else {
				a.Inbound = append(a.Inbound, x)
			}
		}
	}
	a.Inbound = append(a.Inbound, finalDeny(false))
	a.Outbound = append(a.Outbound, finalDeny(true))
	subnets := b.ids(r, "subnet_ids", false)
	for _, s := range subnets {
		b.moveACL(s, a.ID)
	}
	a.Subnets = subnets
	b.m.NetworkACLs[a.ID] = a
	b.own(a)
	b.source(a.ID, r)
}

func finalDeny(egress bool) model.NACLEntry {
	return model.NACLEntry{Number: model.FinalRuleNumber, Egress: egress, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: netip.MustParsePrefix("0.0.0.0/0")}
}

// moveACL takes a subnet out of every other ACL's associations.
func (b *builder) moveACL(subnet, to string) {
	for id, a := range b.m.NetworkACLs {
		if id != to && slices.Contains(a.Subnets, subnet) {
			b.editACL(id).Subnets = remove(a.Subnets, subnet)
		}
	}
}

func (b *builder) naclEntry(r *resource, block string, i int, e map[string]any, egress bool) (model.NACLEntry, bool) {
	num, ok := num(e, "rule_no")
	if !ok {
		num, ok = numOr(e, "rule_number")
	}
	numWhy := r.unknownOf(block, i, "rule_no", "rule_number")
	if !ok && numWhy == "" {
		b.warn(r.addr, "%s entry without rule_no: left out", block)
		return model.NACLEntry{}, false
	}
	proto, err := protocol(str(e, "protocol"))
	if err != nil {
		b.fail(r.addr, "%s protocol: %v", block, err)
		return model.NACLEntry{}, false
	}
	ports, _ := portsOf(e, proto, "from_port", "to_port")
	x := model.NACLEntry{Number: num, Egress: egress, Protocol: proto, Ports: ports, ICMP: model.AnyICMP, Source: r.addr}
	// Undecided parts: a number that may come first, an action that may be
	// either, protocol and ports at their widest (simulate: the entry may
	// match, and decides nothing).
	if numWhy != "" {
		x.Number, x.Unknown = 0, numWhy
	}
	if why := r.unknownOf(block, i, "action", "rule_action"); why != "" {
		x.Unknown = why
	}
	if why := r.unknownOf(block, i, "protocol", "from_port", "to_port", "icmp_type", "icmp_code"); why != "" {
		x.Protocol, x.Ports, x.ICMP, x.Unknown = model.ProtoAll, model.AllPorts, model.AnyICMP, why
		proto = model.ProtoAll
	}
	act := str(e, "action")
	if act == "" {
		act = str(e, "rule_action")
	}
	x.Allow = strings.EqualFold(act, "allow")
	if proto.IsICMP() {
		t, okt := num2(e, "icmp_type")
		c, okc := num2(e, "icmp_code")
		x.ICMP = model.ICMPMatch{Type: -1, Code: -1}
		if okt {
			x.ICMP.Type = int16(t)
		}
		if okc && okt && t != -1 {
			x.ICMP.Code = int16(c)
		}
	}
	c := str(e, "cidr_block")
	if c == "" {
		c = str(e, "ipv6_cidr_block")
	}
	if c == "" {
		if why := r.unknownOf(block, i, "cidr_block", "ipv6_cidr_block"); why != "" {
			x.Unknown = why // kept with the CIDR undecided
			return x, true
		}
	}
	p, err := parsePrefix(c)
	if err != nil {
		b.fail(r.addr, "%s rule %d: %v", block, num, err)
		return x, false
	}
	x.CIDR = p
	return x, true
}

func numOr(e map[string]any, k string) (int, bool) { return num(e, k) }
func num2(e map[string]any, k string) (int, bool)  { return num(e, k) }

func (b *builder) naclRule(r *resource, add bool) {
	aid := b.id(r, "network_acl_id")
	a := b.m.NetworkACLs[aid]
	if a == nil {
		if add {
			b.dangling(r, "network_acl_id", aid, model.KindNetworkACL)
		}
		return
	}
	egress := boolOr(r.vals, "egress", false)
	x, ok := b.naclEntry(r, "", 0, r.vals, egress)
	if !ok {
		return
	}
	a = b.editACL(aid)
	dirs := []bool{egress}
	if why := r.unknownOf("", 0, "egress"); why != "" {
		dirs, x.Unknown = []bool{false, true}, why // inbound or outbound: undecided
	}
	for _, eg := range dirs {
		x.Egress = eg
		list, inline := &a.Inbound, "ingress"
		if eg {
			list, inline = &a.Outbound, "egress"
		}
		out := (*list)[:0:0]
		for _, y := range *list {
			if y.Number != x.Number || x.Unknown != "" || add && b.writtenTwice(y.Source, x.Source, "aws_network_acl_rule", inline) {
				out = append(out, y)
			}
		}
		if add {
			out = append(out, x)
		}
		*list = out
	}
}

func (b *builder) naclAssociation(r *resource, add bool) {
	aid, sid := b.id(r, "network_acl_id"), b.id(r, "subnet_id")
	if b.m.NetworkACLs[aid] == nil {
		if add {
			b.dangling(r, "network_acl_id", aid, model.KindNetworkACL)
		}
		return
	}
	if add {
		b.moveACL(sid, aid)
		a := b.editACL(aid)
		a.Subnets = appendUniq(a.Subnets, sid)
	} else {
		a := b.editACL(aid)
		a.Subnets = remove(a.Subnets, sid)
	}
}

func (b *builder) routeTable(r *resource) {
	rt := &model.RouteTable{ID: r.id, VPCID: b.id(r, "vpc_id"), Tags: tags(r.vals)}
	if r.typ == "aws_default_route_table" {
		rt.Main = true
		if d := b.id(r, "default_route_table_id"); d != "" {
			rt.ID = d
			r.id = d
		}
		if rt.VPCID == "" {
			if ts, _ := b.p.resolve(r.module, r.exprRefs("default_route_table_id"), r.index, true, 0); len(ts) > 0 && ts[0].res.typ == "aws_vpc" {
				rt.VPCID = ts[0].res.id
			}
		}
	}
	if old := b.m.RouteTables[rt.ID]; old != nil {
		rt.Main = rt.Main || old.Main
		rt.Subnets = append([]string{}, old.Subnets...)
		rt.Gateways = append([]string{}, old.Gateways...)
		if rt.VPCID == "" {
			rt.VPCID = old.VPCID
		}
		for _, x := range old.Routes {
			if x.Target.Kind == model.TargetLocal || x.Target.Kind == model.TargetVPCEndpoint && x.DestPrefixList != "" {
				rt.Routes = append(rt.Routes, x) // AWS-made routes, not in the plan's values
			}
		}
	}
	for i, e := range blocks(r.vals, "route") {
		if x, ok := b.routeOf(r, "route", i, e); ok {
			rt.Routes = append(rt.Routes, x)
		}
	}
	if why := b.wholeUnknown(r, "route"); why != "" {
		rt.Routes = append(rt.Routes, model.Route{Target: model.Target{Kind: model.TargetUnknown, ID: "(unknown)"}, Origin: "CreateRoute", Source: r.addr, Unknown: why})
	}
	b.m.RouteTables[rt.ID] = rt
	b.own(rt)
	b.source(rt.ID, r)
}

// routeTargets maps Terraform's route target attributes to kinds.
var routeTargets = []struct {
	attr string
	kind model.TargetKind
}{
	{"gateway_id", ""},
	{"nat_gateway_id", model.TargetNAT},
	{"vpc_endpoint_id", model.TargetVPCEndpoint},
	{"transit_gateway_id", model.TargetTransitGateway},
	{"vpc_peering_connection_id", model.TargetPeering},
	{"network_interface_id", model.TargetENI},
	{"egress_only_gateway_id", model.TargetEgressOnlyIGW},
	{"local_gateway_id", model.TargetLocalGateway},
	{"carrier_gateway_id", model.TargetCarrierGateway},
	{"core_network_arn", model.TargetCoreNetwork},
	{"instance_id", model.TargetInstance},
}

// routeOf reads an inline route (block "route") or an aws_route (block "").
// A destination or target known only after apply that the configuration
// does not tie keeps the route, with Unknown naming it (simulate: such a
// route may be the longest match; a chosen one decides nothing).
func (b *builder) routeOf(r *resource, block string, i int, e map[string]any) (model.Route, bool) {
	x := model.Route{Origin: "CreateRoute", Source: r.addr}
	get := func(attr string) (string, string) {
		if block == "" {
			return b.idOf(r, attr)
		}
		v, why := b.nestedIDs(r, block, i, e, attr, true)
		if len(v) == 0 {
			return "", why
		}
		return v[0], ""
	}
	unknownAttr := func(attr string) bool {
		if block == "" {
			return r.isUnknown(attr)
		}
		return r.elemUnknown(block, i, attr)
	}
	where := r.addr
	if block != "" {
		where = fmt.Sprintf("%s %s[%d]", r.addr, block, i)
	}
	var dst, dstAttr string
	for _, k := range []string{"cidr_block", "destination_cidr_block", "ipv6_cidr_block", "destination_ipv6_cidr_block"} {
		if dst = str(e, k); dst != "" {
			break
		}
		if unknownAttr(k) {
			dstAttr = k
		}
	}
	var why []string
	if dst != "" {
		p, err := parsePrefix(dst)
		if err != nil {
			b.fail(r.addr, "route destination: %v", err)
			return x, false
		}
		x.Dest = p
	} else if pl, plWhy := get("destination_prefix_list_id"); pl != "" {
		x.DestPrefixList = pl
	} else if dstAttr != "" || plWhy != "" {
		if plWhy != "" {
			why = append(why, plWhy)
		} else {
			why = append(why, fmt.Sprintf("%s %s is known only after apply", where, dstAttr))
		}
	} else {
		b.warn(r.addr, "route without a destination: left out")
		return x, false
	}
	var targetWhy string
	var targetKind model.TargetKind
	for _, t := range routeTargets {
		id, tw := get(t.attr)
		if id == "" {
			if tw != "" && targetWhy == "" {
				targetWhy, targetKind = tw, t.kind
			}
			continue
		}
		k := t.kind
		if k == "" {
			k = model.TargetKindOf(id)
			if k == model.TargetUnknown && IsPlaceholder(id) {
				if src := b.p.byAddr[strings.TrimSuffix(id[strings.Index(id, "(")+1:], ")")]; src != nil {
					switch src.typ {
					case "aws_internet_gateway":
						k = model.TargetIGW
					case "aws_vpn_gateway":
						k = model.TargetVPNGateway
					}
				}
			}
		}
		x.Target = model.Target{Kind: k, ID: id}
		x.Unknown = strings.Join(why, "; ")
		return x, true
	}
	if targetWhy == "" {
		b.warn(r.addr, "route to %s has no target: left out", x.DestString())
		return x, false
	}
	if targetKind == "" {
		targetKind = model.TargetUnknown
	}
	x.Target = model.Target{Kind: targetKind, ID: "(unknown)"}
	x.Unknown = strings.Join(append(why, targetWhy), "; ")
	b.warn(r.addr, "%s: the route to %s is kept with an unknown target", targetWhy, x.DestString())
	return x, true
}

func (b *builder) route(r *resource, add bool) {
	rtID := b.id(r, "route_table_id")
	if b.m.RouteTables[rtID] == nil {
		if add {
			b.dangling(r, "route_table_id", rtID, model.KindRouteTable)
		}
		return
	}
	x, ok := b.routeOf(r, "", 0, r.vals)
	if !ok {
		return
	}
	rt := b.editRT(rtID, nil)
	rt.Routes = filterRoutes(rt.Routes, func(y model.Route) bool {
		// Another resource's route to the same destination stays: AWS
		// would refuse the second one (RouteAlreadyExists), and
		// model.Validate says so.
		return y.Dest != x.Dest || y.DestPrefixList != x.DestPrefixList || !x.Dest.IsValid() && x.DestPrefixList == "" ||
			add && b.writtenTwice(y.Source, x.Source, "aws_route", "route")
	})
	if add {
		rt.Routes = append(rt.Routes, x)
	}
}

// writtenTwice reports whether an existing route or ACL entry (from
// resource ySrc) and a new one of a separate resource (xSrc) with the same
// key are both written in the configuration: ySrc is another separate
// resource of that type, or the parent whose configuration writes the
// block inline (not a parent's refreshed copy of what other resources
// manage). AWS refuses the second (RouteAlreadyExists,
// NetworkAclEntryAlreadyExists): both stay, and model.Validate says so.
func (b *builder) writtenTwice(ySrc, xSrc, separate, inline string) bool {
	if ySrc == "" || ySrc == xSrc {
		return false
	}
	src := b.p.byAddr[ySrc]
	if src == nil {
		return false
	}
	if src.typ == separate {
		return true
	}
	return src.typ != separate && src.cfg != nil && src.configured(inline)
}

func (b *builder) rtAssociation(r *resource, add bool) {
	rtID := b.id(r, "route_table_id")
	sid, why := b.idOf(r, "subnet_id")
	gw := b.id(r, "gateway_id")
	if sid == "" && why != "" && add {
		b.rtAssociationSet(r, rtID, why)
		return
	}
	if b.m.RouteTables[rtID] == nil {
		if add {
			b.dangling(r, "route_table_id", rtID, model.KindRouteTable)
		}
		return
	}
	if !add {
		rt := b.editRT(rtID, nil)
		rt.Subnets = remove(rt.Subnets, sid)
		rt.Gateways = remove(rt.Gateways, gw)
		return
	}
	if sid != "" {
		for id, t := range b.m.RouteTables {
			if id != rtID && slices.Contains(t.Subnets, sid) {
				b.editRT(id, nil).Subnets = remove(t.Subnets, sid)
			}
		}
		rt := b.editRT(rtID, nil)
		rt.Subnets = appendUniq(rt.Subnets, sid)
	}
	if gw != "" {
		rt := b.editRT(rtID, nil)
		rt.Gateways = appendUniq(rt.Gateways, gw)
	}
}

// rtAssociationSet ties the associations of a for_each or count resource
// whose subnet each is undecided (for_each = { a = aws_subnet.a.id, ... }):
// when every instance associates the same table and there are as many
// instances as candidate subnets, each candidate is associated with the
// table, whichever instance takes which. Otherwise the association is left
// out with a warning.
func (b *builder) rtAssociationSet(r *resource, rtID, why string) {
	var sibs []*resource
	for _, x := range b.p.resources {
		if x.typ == r.typ && x.name == r.name && x.module == r.module {
			sibs = append(sibs, x)
		}
	}
	same := true
	for _, x := range sibs {
		same = same && b.id(x, "route_table_id") == rtID
	}
	ts, _ := b.p.resolve(r.module, expandEach(r, r.exprRefs("subnet_id")), nil, false, 0)
	ts, _ = typed("subnet_id", ts)
	var cands []string
	for _, t := range ts {
		cands = appendUniq(cands, b.valueOf(t.res, t.attr))
	}
	if !same || len(cands) != len(sibs) || b.m.RouteTables[rtID] == nil {
		b.warn(r.addr, "%s: association left out (the subnet's table may be this one or the main one)", why)
		return
	}
	for _, sid := range cands {
		for id, t := range b.m.RouteTables {
			if id != rtID && slices.Contains(t.Subnets, sid) {
				b.editRT(id, nil).Subnets = remove(t.Subnets, sid)
			}
		}
		rt := b.editRT(rtID, nil)
		rt.Subnets = appendUniq(rt.Subnets, sid)
	}
}

func (b *builder) mainRTAssociation(r *resource, add bool) {
	rtID, vpc := b.id(r, "route_table_id"), b.id(r, "vpc_id")
	if !add {
		return // AWS makes the original main table main again; the plan's values say which
	}
	if b.m.RouteTables[rtID] == nil {
		b.dangling(r, "route_table_id", rtID, model.KindRouteTable)
		return
	}
	for id, t := range b.m.RouteTables {
		if t.Main && t.VPCID == vpc && id != rtID {
			b.editRT(id, nil).Main = false
		}
	}
	b.editRT(rtID, nil).Main = true
}

func (b *builder) editRT(id string, fn func(*model.RouteTable)) *model.RouteTable {
	rt := b.m.RouteTables[id]
	if !b.owned(rt) {
		c := *rt
		c.Subnets = append([]string{}, rt.Subnets...)
		c.Gateways = append([]string{}, rt.Gateways...)
		c.Routes = append([]model.Route{}, rt.Routes...)
		c.Tags = rt.Tags
		rt = &c
		b.m.RouteTables[id] = rt
		b.own(rt)
	}
	if fn != nil {
		fn(rt)
	}
	return rt
}

func (b *builder) editSG(id string) *model.SecurityGroup {
	g := b.m.SecurityGroups[id]
	if !b.owned(g) {
		c := *g
		c.Ingress = append([]model.SGRule{}, g.Ingress...)
		c.Egress = append([]model.SGRule{}, g.Egress...)
		g = &c
		b.m.SecurityGroups[id] = g
		b.own(g)
	}
	return g
}

func (b *builder) editACL(id string) *model.NetworkACL {
	a := b.m.NetworkACLs[id]
	if !b.owned(a) {
		c := *a
		c.Inbound = append([]model.NACLEntry{}, a.Inbound...)
		c.Outbound = append([]model.NACLEntry{}, a.Outbound...)
		c.Subnets = append([]string{}, a.Subnets...)
		a = &c
		b.m.NetworkACLs[id] = a
		b.own(a)
	}
	return a
}

func (b *builder) editEP(id string) *model.VPCEndpoint {
	ep := b.m.Endpoints[id]
	if !b.owned(ep) {
		c := *ep
		c.Subnets = append([]string{}, ep.Subnets...)
		c.ENIs = append([]string{}, ep.ENIs...)
		c.Groups = append([]string{}, ep.Groups...)
		c.RouteTables = append([]string{}, ep.RouteTables...)
		ep = &c
		b.m.Endpoints[id] = ep
		b.own(ep)
	}
	return ep
}

func (b *builder) editENI(id string) *model.ENI {
	e := b.m.ENIs[id]
	if !b.owned(e) {
		c := *e
		c.Groups = append([]string{}, e.Groups...)
		e = &c
		b.m.ENIs[id] = e
		b.own(e)
	}
	return e
}

var _ = fmt.Sprint
