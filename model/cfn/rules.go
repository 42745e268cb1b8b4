package cfn

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

var anyV4 = netip.MustParsePrefix("0.0.0.0/0")

func (b *builder) securityGroup(r *resource, v map[string]any) {
	g := &model.SecurityGroup{ID: r.id, OwnerID: b.account(), Tags: tags(v)}
	if f := b.f(r, v, "GroupName"); f.known() {
		g.Name = f.s
	} else {
		g.Name = r.logical
	}
	g.VPCID = b.ref(r, v, "VpcId", model.KindVPC, b.vpcExists)
	if _, has := v["VpcId"]; !has {
		b.warn(r.logical, "no VpcId: AWS makes the group in the region's default VPC, which the template does not describe")
	}
	if l, ok := v["SecurityGroupIngress"].([]any); ok {
		for i, e := range l {
			g.Ingress = append(g.Ingress, b.sgRule(r, e, false, g.ID, fmt.Sprintf("SecurityGroupIngress[%d]", i)))
		}
	} else if u, ok := v["SecurityGroupIngress"].(unknown); ok {
		g.Ingress = append(g.Ingress, model.SGRule{GroupID: g.ID, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, Source: r.logical, Unknown: r.logical + ".SecurityGroupIngress: " + u.why})
	}
	// EC2 gives a new group an allow-all egress rule; inline egress rules
	// replace it, separate AWS::EC2::SecurityGroupEgress resources are
	// added beside it (CloudFormation Template Reference,
	// AWS::EC2::SecurityGroup).
	egress, has := v["SecurityGroupEgress"]
	l, isList := egress.([]any)
	switch u, isU := egress.(unknown); {
	case isU:
		g.Egress = append(g.Egress, model.SGRule{GroupID: g.ID, Egress: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, Source: r.logical, Unknown: r.logical + ".SecurityGroupEgress: " + u.why})
	case has && isList && len(l) > 0:
		for i, e := range l {
			g.Egress = append(g.Egress, b.sgRule(r, e, true, g.ID, fmt.Sprintf("SecurityGroupEgress[%d]", i)))
		}
	default:
		g.Egress = append(g.Egress, model.SGRule{GroupID: g.ID, Egress: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: anyV4, Source: r.logical, Description: "EC2's default egress rule (no inline SecurityGroupEgress)"})
	}
	b.m.SecurityGroups[g.ID] = g
	b.source(g.ID, r)
}

// sgRule reads one rule (inline or a separate resource's properties).
func (b *builder) sgRule(r *resource, e any, egress bool, groupID, at string) model.SGRule {
	rule := model.SGRule{GroupID: groupID, Egress: egress, Source: r.logical, Ports: model.AllPorts, ICMP: model.AnyICMP, Protocol: model.ProtoAll}
	var unk []string
	m, ok := e.(map[string]any)
	if !ok {
		if u, isU := e.(unknown); isU {
			rule.Unknown = fmt.Sprintf("%s.%s: %s", r.logical, at, u.why)
			return rule
		}
		b.fail(r, at, "want a rule mapping")
		return rule
	}
	get := func(k string) field { return fieldOf(r.logical, at+"."+k, m[k], m[k] != nil) }
	if d := get("Description"); d.known() {
		rule.Description = d.s
	}
	proto := get("IpProtocol")
	switch {
	case proto.why != "":
		unk = append(unk, proto.why)
	case !proto.present:
		b.fail(r, at, "no IpProtocol")
		return rule
	default:
		p, err := model.ParseProtocol(proto.s)
		if err != nil {
			b.fail(r, at, "IpProtocol: %v", err)
			return rule
		}
		rule.Protocol = p
	}
	from, to := get("FromPort"), get("ToPort")
	for _, f := range []field{from, to} {
		if f.why != "" {
			unk = append(unk, f.why)
		}
	}
	if from.known() && to.known() {
		fp, err1 := strconv.Atoi(from.s)
		tp, err2 := strconv.Atoi(to.s)
		switch {
		case err1 != nil || err2 != nil:
			b.fail(r, at, "FromPort %q ToPort %q: want numbers", from.s, to.s)
		case rule.Protocol.HasPorts() && fp == -1 && tp == -1:
		case rule.Protocol.HasPorts():
			if fp < 0 || tp > 65535 || fp > tp {
				b.fail(r, at, "FromPort %d ToPort %d: want 0-65535, FromPort <= ToPort", fp, tp)
			} else {
				rule.Ports = model.PortRange{First: uint16(fp), Last: uint16(tp)}
			}
		case rule.Protocol.IsICMP():
			rule.ICMP = model.ICMPMatch{Type: int16(fp), Code: int16(tp)}
		}
	}
	peerKeys := []string{"CidrIp", "CidrIpv6", "SourceSecurityGroupId", "SourcePrefixListId", "SourceSecurityGroupName"}
	if egress {
		peerKeys = []string{"CidrIp", "CidrIpv6", "DestinationSecurityGroupId", "DestinationPrefixListId"}
	}
	peers := 0
	for _, k := range peerKeys {
		f := get(k)
		if !f.present {
			continue
		}
		peers++
		if f.why != "" {
			unk = append(unk, f.why)
			continue
		}
		switch k {
		case "CidrIp", "CidrIpv6":
			p, err := netip.ParsePrefix(strings.TrimSpace(f.s))
			if err != nil {
				b.fail(r, at, "%s: %q is not a CIDR block", k, f.s)
				return rule
			}
			rule.CIDR = p.Masked()
		case "SourceSecurityGroupId", "DestinationSecurityGroupId":
			rule.PeerGroup = f.s
			if b.m.SecurityGroups[f.s] == nil && !IsPlaceholder(f.s) {
				b.outsideRef(r, at+"."+k, f.s, model.KindSecurityGroup)
			}
		case "SourcePrefixListId", "DestinationPrefixListId":
			rule.PrefixListID = f.s
		case "SourceSecurityGroupName":
			unk = append(unk, fmt.Sprintf("%s.%s.%s: a group named %s (names work only in the default VPC)", r.logical, at, k, f.s))
		}
	}
	if owner := get("SourceSecurityGroupOwnerId"); owner.known() {
		rule.PeerAccount = owner.s
	}
	if peers == 0 {
		b.fail(r, at, "no peer (CidrIp, CidrIpv6, a security group or a prefix list)")
	}
	if len(unk) > 0 {
		// Undecided parts stay at their widest (every protocol and port)
		// or unset (the peer): the simulator takes the rule as one that
		// may match.
		rule.Unknown = strings.Join(unk, "; ")
	}
	return rule
}

// sgRuleResource adds an AWS::EC2::SecurityGroupIngress or Egress to its
// group, beside what the group has (for egress: beside EC2's allow-all
// rule, unless the group's inline egress replaced it).
func (b *builder) sgRuleResource(r *resource, v map[string]any) {
	egress := r.typ == "AWS::EC2::SecurityGroupEgress"
	gid := b.f(r, v, "GroupId")
	if gid.why != "" {
		// The rule may belong to any group: each may hold it, undecided.
		b.warn(r.logical, "%s: the rule may be in any group, and is in each, undecided", gid.why)
		for _, id := range model.SortedKeys(b.m.SecurityGroups) {
			g := b.m.SecurityGroups[id]
			rule := b.sgRule(r, map[string]any(v), egress, g.ID, "Properties")
			rule.Unknown = strings.Trim(strings.ReplaceAll(rule.Unknown, r.logical+".Properties.", r.logical+".")+"; "+gid.why, "; ")
			if egress {
				g.Egress = append(g.Egress, rule)
			} else {
				g.Ingress = append(g.Ingress, rule)
			}
		}
		return
	}
	if !gid.present {
		b.warn(r.logical, "no GroupId (GroupName names a default-VPC group the template does not describe): the rule is in no group of the model")
		return
	}
	g := b.m.SecurityGroups[gid.s]
	if g == nil {
		b.outsideRef(r, "GroupId", gid.s, model.KindSecurityGroup)
		return
	}
	rule := b.sgRule(r, map[string]any(v), egress, g.ID, "Properties")
	rule.Unknown = strings.ReplaceAll(rule.Unknown, r.logical+".Properties.", r.logical+".")
	if egress {
		g.Egress = append(g.Egress, rule)
	} else {
		g.Ingress = append(g.Ingress, rule)
	}
}

func finalDeny(egress bool) model.NACLEntry {
	return model.NACLEntry{Number: model.FinalRuleNumber, Egress: egress, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: anyV4}
}

func (b *builder) networkACL(r *resource, v map[string]any) {
	// A new custom ACL denies everything until entries are added.
	a := &model.NetworkACL{ID: r.id, VPCID: b.ref(r, v, "VpcId", model.KindVPC, b.vpcExists), Tags: tags(v),
		Inbound: []model.NACLEntry{finalDeny(false)}, Outbound: []model.NACLEntry{finalDeny(true)}}
	b.m.NetworkACLs[a.ID] = a
	b.source(a.ID, r)
}

func (b *builder) naclEntryResource(r *resource, v map[string]any) {
	if f := b.f(r, v, "NetworkAclId"); f.why != "" {
		// The entry may be in any network ACL: each may hold it, undecided.
		b.warn(r.logical, "%s: the entry may be in any network ACL, and is in each, undecided", f.why)
		for _, id := range model.SortedKeys(b.m.NetworkACLs) {
			b.naclEntry(r, v, b.m.NetworkACLs[id], f.why)
		}
		return
	}
	id := b.ref(r, v, "NetworkAclId", model.KindNetworkACL, b.aclExists)
	if a := b.m.NetworkACLs[id]; a != nil {
		b.naclEntry(r, v, a, "")
	}
}

// naclEntry adds an AWS::EC2::NetworkAclEntry to acl; extra is a reason
// the entry is undecided besides its own properties.
func (b *builder) naclEntry(r *resource, v map[string]any, a *model.NetworkACL, extra string) {
	id := a.ID
	e := model.NACLEntry{Source: r.logical, Ports: model.AllPorts, ICMP: model.AnyICMP, Protocol: model.ProtoAll}
	var unk []string
	note := func(f field) bool {
		if f.why != "" {
			unk = append(unk, f.why)
			return false
		}
		return f.present
	}
	e.Egress = boolField(b.f(r, v, "Egress"), false)
	if f := b.f(r, v, "Egress"); f.why != "" {
		b.warn(r.logical, "%s: the entry may be inbound or outbound, and is in both lists, undecided", f.why)
		unk = append(unk, f.why)
	}
	if f := b.f(r, v, "RuleNumber"); note(f) {
		n, err := strconv.Atoi(f.s)
		if err != nil || n < 1 || n > 32766 {
			b.fail(r, "RuleNumber", "%q: want 1-32766", f.s)
			return
		}
		e.Number = n
	}
	if f := b.f(r, v, "RuleAction"); note(f) {
		e.Allow = strings.EqualFold(f.s, "allow")
	}
	if f := b.f(r, v, "Protocol"); note(f) {
		p, err := model.ParseProtocol(f.s)
		if err != nil {
			b.fail(r, "Protocol", "%v", err)
			return
		}
		e.Protocol = p
	}
	cidr := b.f(r, v, "CidrBlock")
	if !cidr.present {
		cidr = b.f(r, v, "Ipv6CidrBlock")
	}
	if note(cidr) {
		p, err := netip.ParsePrefix(strings.TrimSpace(cidr.s))
		if err != nil {
			b.fail(r, "CidrBlock", "%q is not a CIDR block", cidr.s)
			return
		}
		e.CIDR = p.Masked()
	}
	if !cidr.present {
		b.fail(r, "CidrBlock", "no CidrBlock or Ipv6CidrBlock (AWS requires one)")
		return
	}
	if e.Protocol.HasPorts() {
		from, to := b.f(r, v, "PortRange.From"), b.f(r, v, "PortRange.To")
		okF, okT := note(from), note(to)
		if okF && okT {
			fp, err1 := strconv.Atoi(from.s)
			tp, err2 := strconv.Atoi(to.s)
			if err1 != nil || err2 != nil || fp < 0 || tp > 65535 || fp > tp {
				b.fail(r, "PortRange", "From %q To %q: want 0-65535, From <= To", from.s, to.s)
				return
			}
			e.Ports = model.PortRange{First: uint16(fp), Last: uint16(tp)}
		}
	}
	if e.Protocol.IsICMP() {
		t, c := b.f(r, v, "Icmp.Type"), b.f(r, v, "Icmp.Code")
		ti, ci := -1, -1
		if note(t) {
			ti, _ = strconv.Atoi(t.s)
		}
		if note(c) {
			ci, _ = strconv.Atoi(c.s)
		}
		e.ICMP = model.ICMPMatch{Type: int16(ti), Code: int16(ci)}
	}
	if extra != "" {
		unk = append(unk, extra)
	}
	e.Unknown = strings.Join(unk, "; ")
	lists := []*[]model.NACLEntry{&a.Inbound}
	switch {
	case b.f(r, v, "Egress").why != "":
		lists = append(lists, &a.Outbound) // either direction: the entry may be in both
	case e.Egress:
		lists = []*[]model.NACLEntry{&a.Outbound}
	}
	for _, list := range lists {
		for _, x := range *list {
			if x.Number == e.Number && e.Number != 0 {
				b.warn(r.logical, "rule number %d is used twice in %s's %s entries (AWS refuses the second: NetworkAclEntryAlreadyExists)", e.Number, id, map[bool]string{true: "outbound", false: "inbound"}[e.Egress])
			}
		}
		x := e
		x.Egress = list == &a.Outbound
		*list = append(*list, x)
	}
}

func (b *builder) naclAssociation(r *resource, v map[string]any) {
	sub, acl := b.f(r, v, "SubnetId"), b.f(r, v, "NetworkAclId")
	if sub.why != "" || acl.why != "" {
		b.undecidedAssociation(r, sub, acl.s, acl.why, "NetworkAclId")
		return
	}
	id := b.ref(r, v, "NetworkAclId", model.KindNetworkACL, b.aclExists)
	if b.m.Subnets[sub.s] == nil {
		b.outsideRef(r, "SubnetId", sub.s, model.KindSubnet)
	}
	if sub.s == "" || b.m.NetworkACLs[id] == nil {
		return
	}
	for _, a := range b.m.NetworkACLs {
		a.Subnets = remove(a.Subnets, sub.s)
	}
	b.m.NetworkACLs[id].Subnets = appendUniq(b.m.NetworkACLs[id].Subnets, sub.s)
}

func remove(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func (b *builder) routeTable(r *resource, v map[string]any) {
	t := &model.RouteTable{ID: r.id, VPCID: b.ref(r, v, "VpcId", model.KindVPC, b.vpcExists), Tags: tags(v)}
	if b.inBase(func(m *model.Model) bool { return m.RouteTables[r.id] != nil }) {
		t.Main = b.base.RouteTables[r.id].Main
	}
	b.m.RouteTables[t.ID] = t
	b.source(t.ID, r)
}

// routeTargets are the target properties of AWS::EC2::Route with the kind
// each names.
var routeTargets = []struct {
	key  string
	kind model.TargetKind
}{
	{"GatewayId", ""}, // an internet gateway, a virtual private gateway or "local"
	{"NatGatewayId", model.TargetNAT},
	{"TransitGatewayId", model.TargetTransitGateway},
	{"VpcPeeringConnectionId", model.TargetPeering},
	{"NetworkInterfaceId", model.TargetENI},
	{"InstanceId", model.TargetInstance},
	{"VpcEndpointId", model.TargetVPCEndpoint},
	{"EgressOnlyInternetGatewayId", model.TargetEgressOnlyIGW},
	{"CarrierGatewayId", model.TargetCarrierGateway},
	{"LocalGatewayId", model.TargetLocalGateway},
	{"CoreNetworkArn", model.TargetCoreNetwork},
}

func (b *builder) route(r *resource, v map[string]any) {
	rtID := b.f(r, v, "RouteTableId")
	var tables []*model.RouteTable
	switch {
	case rtID.why != "":
		// The route may be in any table: each may hold it, undecided.
		b.warn(r.logical, "%s: the route may be in any route table, and is in each, undecided", rtID.why)
		for _, id := range model.SortedKeys(b.m.RouteTables) {
			tables = append(tables, b.m.RouteTables[id])
		}
	case b.m.RouteTables[rtID.s] == nil:
		b.outsideRef(r, "RouteTableId", rtID.s, model.KindRouteTable)
		return
	default:
		tables = []*model.RouteTable{b.m.RouteTables[rtID.s]}
	}
	route := model.Route{Origin: "CreateRoute", Source: r.logical}
	var unk []string
	switch {
	case b.f(r, v, "DestinationCidrBlock").present || b.f(r, v, "DestinationIpv6CidrBlock").present:
		k := "DestinationCidrBlock"
		if !b.f(r, v, k).present {
			k = "DestinationIpv6CidrBlock"
		}
		p, why, _ := b.prefix(r, v, k)
		if b.err != nil {
			return
		}
		if why != "" {
			unk = append(unk, why)
		}
		route.Dest = p
	case b.f(r, v, "DestinationPrefixListId").present:
		f := b.f(r, v, "DestinationPrefixListId")
		if f.why != "" {
			unk = append(unk, f.why)
		}
		route.DestPrefixList = f.s
	default:
		b.fail(r, "DestinationCidrBlock", "no destination (DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId)")
		return
	}
	targets := 0
	for _, t := range routeTargets {
		f := b.f(r, v, t.key)
		if !f.present {
			continue
		}
		targets++
		if f.why != "" {
			unk = append(unk, f.why)
			route.Target = model.Target{Kind: model.TargetUnknown, ID: r.logical + "." + t.key}
			continue
		}
		kind := t.kind
		if kind == "" {
			kind = model.TargetKindOf(f.s)
			if kind == model.TargetUnknown && b.m.InternetGateways[f.s] != nil {
				kind = model.TargetIGW
			}
		}
		route.Target = model.Target{Kind: kind, ID: f.s}
	}
	if targets != 1 {
		b.fail(r, "GatewayId", "want exactly one target, have %d", targets)
		return
	}
	if rtID.why != "" {
		unk = append(unk, rtID.why)
	}
	route.Unknown = strings.Join(unk, "; ")
	for _, rt := range tables {
		rt.Routes = append(rt.Routes, route)
	}
}

func (b *builder) rtAssociation(r *resource, v map[string]any) {
	sub, rt := b.f(r, v, "SubnetId"), b.f(r, v, "RouteTableId")
	if sub.why != "" || rt.why != "" {
		b.undecidedAssociation(r, sub, rt.s, rt.why, "RouteTableId")
		return
	}
	id := b.ref(r, v, "RouteTableId", model.KindRouteTable, b.rtExists)
	if b.m.Subnets[sub.s] == nil {
		b.outsideRef(r, "SubnetId", sub.s, model.KindSubnet)
	}
	if sub.s == "" || b.m.RouteTables[id] == nil {
		return
	}
	for _, t := range b.m.RouteTables {
		t.Subnets = remove(t.Subnets, sub.s)
	}
	b.m.RouteTables[id].Subnets = appendUniq(b.m.RouteTables[id].Subnets, sub.s)
}

// undecidedAssociation handles a route table or network ACL association
// the template does not decide: the subnet (or each subnet it may be, those
// without an association yet) gets a stand-in table or ACL whose routes or
// entries are undecided, named after the association.
func (b *builder) undecidedAssociation(r *resource, sub field, target, targetWhy, k string) {
	why := strings.Trim(sub.why+"; "+targetWhy, "; ")
	var subnets []string
	if sub.why == "" {
		subnets = []string{sub.s}
	} else {
		vpc := ""
		if t := b.m.RouteTables[target]; t != nil && k == "RouteTableId" {
			vpc = t.VPCID
		}
		if a := b.m.NetworkACLs[target]; a != nil && k == "NetworkAclId" {
			vpc = a.VPCID
		}
		for _, id := range model.SortedKeys(b.m.Subnets) {
			s := b.m.Subnets[id]
			if vpc != "" && s.VPCID != vpc {
				continue
			}
			if k == "RouteTableId" {
				if _, explicit := b.subnetTable(id); !explicit {
					subnets = append(subnets, id)
				}
			} else if !b.subnetHasACL(id) {
				subnets = append(subnets, id)
			}
		}
	}
	b.warn(r.logical, "%s: the association is undecided; the subnets it may be (%s) answer unknown", why, strings.Join(subnets, ", "))
	for _, sid := range subnets {
		s := b.m.Subnets[sid]
		if s == nil {
			continue
		}
		if k == "RouteTableId" {
			id := placeholder("rtb", r.logical+"."+k)
			t := b.m.RouteTables[id]
			if t == nil {
				t = &model.RouteTable{ID: id, VPCID: s.VPCID, Routes: []model.Route{{Target: model.Target{Kind: model.TargetUnknown, ID: r.logical + "." + k}, Origin: "CreateRoute", Source: r.logical, Unknown: r.logical + ": " + why}}}
				b.m.RouteTables[id] = t
				b.m.Sources[id] = r.logical
			}
			for _, o := range b.m.RouteTables {
				o.Subnets = remove(o.Subnets, sid)
			}
			t.Subnets = appendUniq(t.Subnets, sid)
			continue
		}
		id := placeholder("acl", r.logical+"."+k)
		a := b.m.NetworkACLs[id]
		if a == nil {
			any := model.NACLEntry{Number: 1, Allow: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, Source: r.logical, Unknown: r.logical + ": " + why}
			out := any
			out.Egress = true
			a = &model.NetworkACL{ID: id, VPCID: s.VPCID, Inbound: []model.NACLEntry{any, finalDeny(false)}, Outbound: []model.NACLEntry{out, finalDeny(true)}}
			b.m.NetworkACLs[id] = a
			b.m.Sources[id] = r.logical
		}
		for _, o := range b.m.NetworkACLs {
			o.Subnets = remove(o.Subnets, sid)
		}
		a.Subnets = appendUniq(a.Subnets, sid)
	}
}

func (b *builder) subnetTable(id string) (string, bool) {
	for _, t := range b.m.RouteTables {
		for _, s := range t.Subnets {
			if s == id {
				return t.ID, true
			}
		}
	}
	return "", false
}

func (b *builder) subnetHasACL(id string) bool {
	for _, a := range b.m.NetworkACLs {
		for _, s := range a.Subnets {
			if s == id {
				return true
			}
		}
	}
	return false
}

func (b *builder) gatewayRTAssociation(r *resource, v map[string]any) {
	gw := b.f(r, v, "GatewayId")
	id := b.ref(r, v, "RouteTableId", model.KindRouteTable, b.rtExists)
	if t := b.m.RouteTables[id]; t != nil && gw.known() {
		t.Gateways = appendUniq(t.Gateways, gw.s)
	}
}
