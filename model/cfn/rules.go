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
		g.Ingress = append(g.Ingress, model.SGRule{GroupID: g.ID, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: anyV4, Source: r.logical, Unknown: r.logical + ".SecurityGroupIngress: " + u.why})
	}
	// EC2 gives a new group an allow-all egress rule; inline egress rules
	// replace it, separate AWS::EC2::SecurityGroupEgress resources are
	// added beside it (CloudFormation Template Reference,
	// AWS::EC2::SecurityGroup).
	egress, has := v["SecurityGroupEgress"]
	l, isList := egress.([]any)
	switch u, isU := egress.(unknown); {
	case isU:
		g.Egress = append(g.Egress, model.SGRule{GroupID: g.ID, Egress: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: anyV4, Source: r.logical, Unknown: r.logical + ".SecurityGroupEgress: " + u.why})
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
			rule.CIDR = anyV4
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
		if !rule.CIDR.IsValid() && rule.PeerGroup == "" && rule.PrefixListID == "" {
			rule.CIDR = anyV4
		}
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
		b.warn(r.logical, "%s: the group the rule belongs to is unknown, so it is in no group of the model", gid.why)
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
	id := b.ref(r, v, "NetworkAclId", model.KindNetworkACL, b.aclExists)
	a := b.m.NetworkACLs[id]
	if a == nil {
		return
	}
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
		b.warn(r.logical, "%s: the entry is taken as inbound", f.why)
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
	if !e.CIDR.IsValid() {
		e.CIDR = anyV4
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
	e.Unknown = strings.Join(unk, "; ")
	list := &a.Inbound
	if e.Egress {
		list = &a.Outbound
	}
	for _, x := range *list {
		if x.Number == e.Number && e.Number != 0 {
			b.warn(r.logical, "rule number %d is used twice in %s's %s entries (AWS refuses the second: NetworkAclEntryAlreadyExists)", e.Number, id, map[bool]string{true: "outbound", false: "inbound"}[e.Egress])
		}
	}
	*list = append(*list, e)
}

func (b *builder) naclAssociation(r *resource, v map[string]any) {
	sub := b.ref(r, v, "SubnetId", model.KindSubnet, b.subnetExists)
	acl := b.ref(r, v, "NetworkAclId", model.KindNetworkACL, b.aclExists)
	if sub == "" || b.m.NetworkACLs[acl] == nil {
		return
	}
	for _, a := range b.m.NetworkACLs {
		a.Subnets = remove(a.Subnets, sub)
	}
	b.m.NetworkACLs[acl].Subnets = appendUniq(b.m.NetworkACLs[acl].Subnets, sub)
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

// gatewayKind tells a GatewayId's kind from its prefix.
func gatewayKind(id string) model.TargetKind {
	switch {
	case id == "local":
		return model.TargetLocal
	case strings.HasPrefix(id, "igw-"):
		return model.TargetIGW
	case strings.HasPrefix(id, "vgw-"):
		return model.TargetVPNGateway
	case strings.HasPrefix(id, "vpce-"):
		return model.TargetVPCEndpoint
	case strings.HasPrefix(id, "eigw-"):
		return model.TargetEgressOnlyIGW
	}
	return model.TargetUnknown
}

func (b *builder) route(r *resource, v map[string]any) {
	rtID := b.f(r, v, "RouteTableId")
	if rtID.why != "" {
		b.warn(r.logical, "%s: the table the route belongs to is unknown, so it is in no table of the model", rtID.why)
		return
	}
	rt := b.m.RouteTables[rtID.s]
	if rt == nil {
		b.outsideRef(r, "RouteTableId", rtID.s, model.KindRouteTable)
		return
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
			kind = gatewayKind(f.s)
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
	route.Unknown = strings.Join(unk, "; ")
	rt.Routes = append(rt.Routes, route)
}

func (b *builder) rtAssociation(r *resource, v map[string]any) {
	sub := b.ref(r, v, "SubnetId", model.KindSubnet, b.subnetExists)
	id := b.ref(r, v, "RouteTableId", model.KindRouteTable, b.rtExists)
	if sub == "" || b.m.RouteTables[id] == nil {
		if sub != "" && id == "" {
			b.warn(r.logical, "the subnet's route table is unknown: %s keeps the main table in the model", sub)
		}
		return
	}
	for _, t := range b.m.RouteTables {
		t.Subnets = remove(t.Subnets, sub)
	}
	b.m.RouteTables[id].Subnets = appendUniq(b.m.RouteTables[id].Subnets, sub)
}

func (b *builder) gatewayRTAssociation(r *resource, v map[string]any) {
	gw := b.f(r, v, "GatewayId")
	id := b.ref(r, v, "RouteTableId", model.KindRouteTable, b.rtExists)
	if t := b.m.RouteTables[id]; t != nil && gw.known() {
		t.Gateways = appendUniq(t.Gateways, gw.s)
	}
}
