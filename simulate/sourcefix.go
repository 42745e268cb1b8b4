package simulate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// SourceFix is a fix written in the language of the input the network came
// from: the Terraform resource or CloudFormation logical ID to change, and
// the HCL or template YAML that makes a Change. SourceFixes writes it.
type SourceFix struct {
	// Language is model.SourceKind: "terraform" or "cloudformation".
	Language string `json:"language"`
	// Resource is the Terraform address or logical ID the change is about
	// (the group, ACL, table or endpoint); Module is the Terraform module
	// whose configuration gets the change ("" for the root module).
	Resource string `json:"resource"`
	Module   string `json:"module,omitempty"`
	// Summary says what to do with Code: add a block to Resource, or add
	// a new resource.
	Summary string `json:"summary"`
	Code    string `json:"code"`
}

// SourceFixes writes change c in the language of m's sources
// (Model.SourceLanguage), for the resources the input defines. Nothing
// when c is nil, the network came from a snapshot, or the resource the
// change is about is not in the input.
func SourceFixes(m *model.Model, c *Change) []SourceFix {
	lang := m.SourceLanguage()
	if lang == model.SourceNone || c == nil {
		return nil
	}
	w := fixWriter{m: m, lang: lang}
	var f SourceFix
	ok := false
	switch c.Kind {
	case AddSecurityGroupRule:
		f, ok = w.groupRule(c.Rule)
	case AddNetworkACLEntry:
		f, ok = w.aclEntry(c.ACLID, c.Entry)
	case CreateRoute:
		f, ok = w.route(c.RouteTableID, c.Route)
	case ReplaceRoute:
		f, ok = w.replaceRoute(c.RouteTableID, c.Route)
	case AddEndpointRouteTable:
		f, ok = w.endpointTable(c.EndpointID, c.RouteTableID)
	case EnableDNSSupport:
		f, ok = w.dnsSupport(c.VPCID)
	case AssociateAddress:
		f, ok = w.elasticIP(c.ENIID)
	}
	if !ok {
		return nil
	}
	return []SourceFix{f}
}

// cliProtocol is a protocol as the AWS CLI's IpProtocol and --protocol
// take it: -1 for all, a name for those with one, else the number.
func cliProtocol(p model.Protocol) string {
	switch {
	case p == model.ProtoAll:
		return "-1"
	case p.HasPorts() || p.IsICMP():
		return p.String()
	}
	return strconv.Itoa(int(p))
}

type fixWriter struct {
	m    *model.Model
	lang model.SourceKind
}

// splitAddr splits a Terraform address into its module path and the
// resource in it: module.net.aws_subnet.a -> ("module.net", "aws_subnet.a").
func splitAddr(addr string) (module, res string) {
	parts := strings.Split(addr, ".")
	i := 0
	for i+1 < len(parts) && parts[i] == "module" {
		i += 2
	}
	return strings.Join(parts[:i], "."), strings.Join(parts[i:], ".")
}

// tfRef is the HCL expression for a resource's ID, seen from module: a
// reference when the resource is in that module, else the ID as a string
// (with the address it stands for in a comment).
func (w fixWriter) tfRef(id, module, attr string) string {
	addr := w.m.Sources[id]
	if addr == "" {
		return strconv.Quote(id)
	}
	mod, res := splitAddr(addr)
	if mod != module {
		return strconv.Quote(id) + " # " + addr
	}
	if strings.HasPrefix(res, "aws_vpc.") && strings.Contains(id, ":") {
		// What AWS creates with a VPC, named after it (sg-(aws_vpc.a:default)).
		switch {
		case strings.HasPrefix(id, "sg-"):
			return res + ".default_security_group_id"
		case strings.HasPrefix(id, "acl-"):
			return res + ".default_network_acl_id"
		case strings.HasPrefix(id, "rtb-"):
			return res + ".main_route_table_id"
		}
	}
	if attr == "" {
		attr = "id"
	}
	return res + "." + attr
}

// cfnRef is the template expression for a resource's ID.
func (w fixWriter) cfnRef(id, getAtt string) string {
	lid := w.m.Sources[id]
	switch {
	case lid == "":
		return id
	case getAtt != "":
		return "!GetAtt " + lid + "." + getAtt
	}
	return "!Ref " + lid
}

// inline reports whether a resource's rules are written inline in it (its
// own address is their source, and no separate rule resource adds to it):
// the fix then adds a block to it, since Terraform must not mix inline
// rules with separate rule resources. A parent's planned values repeat
// the rules separate resources manage (a refresh), so one separate rule
// says the configuration uses them.
func inline(src string, sources []string) bool {
	own := false
	for _, s := range sources {
		if s == "" {
			continue
		}
		if s != src {
			return false
		}
		own = true
	}
	return own
}

// ownType reports whether a resource address is of one of the types (a
// group AWS made with a VPC has the VPC's address, and no block of its own).
func ownType(res string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(res, p) {
			return true
		}
	}
	return false
}

func fixName(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	s := strings.ToLower(strings.Join(keep, "_"))
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

func cfnName(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		for _, f := range strings.FieldsFunc(p, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }) {
			b.WriteString(strings.ToUpper(f[:1]) + f[1:])
		}
	}
	return b.String()
}

func (w fixWriter) groupRule(r model.SGRule) (SourceFix, bool) {
	group, egress, peer := r.GroupID, r.Egress, r.PeerGroup
	src := w.m.Sources[group]
	g := w.m.SecurityGroups[group]
	if src == "" || g == nil {
		return SourceFix{}, false
	}
	proto, from, to, cidr, cidr6 := cliProtocol(r.Protocol), "", "", "", ""
	switch {
	case r.Protocol.HasPorts():
		from, to = strconv.Itoa(int(r.Ports.First)), strconv.Itoa(int(r.Ports.Last))
	case r.Protocol.IsICMP():
		from, to = strconv.Itoa(int(r.ICMP.Type)), "-1"
	}
	if peer == "" && r.CIDR.Addr().Is4() {
		cidr = r.CIDR.String()
	} else if peer == "" {
		cidr6 = r.CIDR.String()
	}
	dir := "ingress"
	if egress {
		dir = "egress"
	}
	f := SourceFix{Language: string(w.lang), Resource: src}
	if w.lang == model.SourceCloudFormation {
		typ, peerKey := "AWS::EC2::SecurityGroupIngress", "SourceSecurityGroupId"
		if egress {
			typ, peerKey = "AWS::EC2::SecurityGroupEgress", "DestinationSecurityGroupId"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s:\n  Type: %s\n  Properties:\n    GroupId: %s\n    IpProtocol: %s\n", cfnName(src, dir, from), typ, w.cfnRef(group, "GroupId"), proto)
		if from != "" {
			fmt.Fprintf(&b, "    FromPort: %s\n    ToPort: %s\n", from, to)
		}
		switch {
		case peer != "":
			fmt.Fprintf(&b, "    %s: %s\n", peerKey, w.cfnRef(peer, "GroupId"))
		case cidr != "":
			fmt.Fprintf(&b, "    CidrIp: %s\n", cidr)
		default:
			fmt.Fprintf(&b, "    CidrIpv6: %s\n", cidr6)
		}
		f.Summary = "add to the template's Resources"
		f.Code = b.String()
		return f, true
	}
	mod, res := splitAddr(src)
	f.Module = mod
	var rules []string
	separateOld := false // the group's other rules are aws_security_group_rule resources
	for _, x := range append(append([]model.SGRule{}, g.Ingress...), g.Egress...) {
		rules = append(rules, x.Source)
		_, rr := splitAddr(x.Source)
		separateOld = separateOld || strings.HasPrefix(rr, "aws_security_group_rule.")
	}
	var kv [][2]string
	if from == "" && (inline(src, rules) && ownType(res, "aws_security_group.", "aws_default_security_group.") || separateOld) {
		from, to = "0", "0"
	}
	peerKV := func(groupKey, cidrKey, cidr6Key string, list bool) [2]string {
		q := func(v string) string {
			if list {
				return "[" + strconv.Quote(v) + "]"
			}
			return strconv.Quote(v)
		}
		switch {
		case peer == group && list:
			// The group itself: a reference to it inside its own block
			// (or rule) is a cycle; Terraform writes self = true.
			return [2]string{"self", "true"}
		case peer != "":
			ref := w.tfRef(peer, mod, "")
			if list {
				ref = "[" + ref + "]"
			}
			return [2]string{groupKey, ref}
		case cidr != "":
			return [2]string{cidrKey, q(cidr)}
		}
		return [2]string{cidr6Key, q(cidr6)}
	}
	if inline(src, rules) && ownType(res, "aws_security_group.", "aws_default_security_group.") {
		kv = [][2]string{{"protocol", strconv.Quote(proto)}, {"from_port", from}, {"to_port", to}, peerKV("security_groups", "cidr_blocks", "ipv6_cidr_blocks", true)}
		f.Summary = "add to resource " + res + " (its rules are inline)"
		f.Code = hclBlock(dir, kv)
		return f, true
	}
	name := strconv.Quote(fixName(strings.Split(res, ".")[1], dir, from))
	if separateOld {
		kv = [][2]string{{"type", strconv.Quote(dir)}, {"security_group_id", w.tfRef(group, mod, "")}, {"protocol", strconv.Quote(proto)},
			{"from_port", from}, {"to_port", to}, peerKV("source_security_group_id", "cidr_blocks", "ipv6_cidr_blocks", peer == "" || peer == group)}
		f.Code = hclBlock("resource \"aws_security_group_rule\" "+name, kv)
	} else {
		kv = [][2]string{{"security_group_id", w.tfRef(group, mod, "")}, {"ip_protocol", strconv.Quote(proto)}}
		if from != "" {
			kv = append(kv, [2]string{"from_port", from}, [2]string{"to_port", to})
		}
		kv = append(kv, peerKV("referenced_security_group_id", "cidr_ipv4", "cidr_ipv6", false))
		f.Code = hclBlock("resource \"aws_vpc_security_group_"+dir+"_rule\" "+name, kv)
	}
	f.Summary = "add a resource beside " + res
	return f, true
}

// hclBlock writes a block with its arguments aligned as terraform fmt does.
func hclBlock(header string, kv [][2]string) string {
	width := 0
	for _, p := range kv {
		width = max(width, len(p[0]))
	}
	var b strings.Builder
	b.WriteString(header + " {\n")
	for _, p := range kv {
		fmt.Fprintf(&b, "  %-*s = %s\n", width, p[0], p[1])
	}
	b.WriteString("}\n")
	return b.String()
}

func (w fixWriter) aclEntry(aclID string, e model.NACLEntry) (SourceFix, bool) {
	src := w.m.Sources[aclID]
	acl := w.m.NetworkACLs[aclID]
	if src == "" || acl == nil {
		return SourceFix{}, false
	}
	egress, num, proto, from, to, cidr := e.Egress, e.Number, cliProtocol(e.Protocol), "", "", e.CIDR.String()
	if e.Protocol.HasPorts() {
		from, to = strconv.Itoa(int(e.Ports.First)), strconv.Itoa(int(e.Ports.Last))
	}
	f := SourceFix{Language: string(w.lang), Resource: src}
	v6 := e.CIDR.Addr().Is6()
	if w.lang == model.SourceCloudFormation {
		var b strings.Builder
		fmt.Fprintf(&b, "%s:\n  Type: AWS::EC2::NetworkAclEntry\n  Properties:\n    NetworkAclId: %s\n    RuleNumber: %d\n    Protocol: %s\n    RuleAction: allow\n    Egress: %t\n",
			cfnName(src, "entry", strconv.Itoa(num)), w.cfnRef(aclID, ""), num, strconv.Itoa(int(e.Protocol)), egress)
		if v6 {
			fmt.Fprintf(&b, "    Ipv6CidrBlock: %s\n", cidr)
		} else {
			fmt.Fprintf(&b, "    CidrBlock: %s\n", cidr)
		}
		if from != "" {
			fmt.Fprintf(&b, "    PortRange:\n      From: %s\n      To: %s\n", from, to)
		}
		f.Summary = "add to the template's Resources"
		f.Code = b.String()
		return f, true
	}
	mod, res := splitAddr(src)
	f.Module = mod
	var entries []string
	for _, e := range append(append([]model.NACLEntry{}, acl.Inbound...), acl.Outbound...) {
		entries = append(entries, e.Source)
	}
	if from == "" {
		from, to = "0", "0"
	}
	cidrKey := "cidr_block"
	if v6 {
		cidrKey = "ipv6_cidr_block"
	}
	if inline(src, entries) && ownType(res, "aws_network_acl.", "aws_default_network_acl.") {
		dir := "ingress"
		if egress {
			dir = "egress"
		}
		f.Summary = "add to resource " + res + " (its entries are inline)"
		f.Code = hclBlock(dir, [][2]string{{"rule_no", strconv.Itoa(num)}, {"action", `"allow"`}, {"protocol", strconv.Quote(proto)},
			{"from_port", from}, {"to_port", to}, {cidrKey, strconv.Quote(cidr)}})
		return f, true
	}
	f.Summary = "add a resource beside " + res
	f.Code = hclBlock("resource \"aws_network_acl_rule\" "+strconv.Quote(fixName(strings.Split(res, ".")[1], strconv.Itoa(num))),
		[][2]string{{"network_acl_id", w.tfRef(aclID, mod, "")}, {"rule_number", strconv.Itoa(num)}, {"egress", strconv.FormatBool(egress)},
			{"protocol", strconv.Quote(proto)}, {"rule_action", `"allow"`}, {cidrKey, strconv.Quote(cidr)}, {"from_port", from}, {"to_port", to}})
	return f, true
}

// routeKeys are a route target's argument in Terraform and property in
// CloudFormation.
var routeKeys = map[model.TargetKind][2]string{
	model.TargetNAT:            {"nat_gateway_id", "NatGatewayId"},
	model.TargetIGW:            {"gateway_id", "GatewayId"},
	model.TargetVPNGateway:     {"gateway_id", "GatewayId"},
	model.TargetPeering:        {"vpc_peering_connection_id", "VpcPeeringConnectionId"},
	model.TargetTransitGateway: {"transit_gateway_id", "TransitGatewayId"},
}

func (w fixWriter) route(rtID string, r model.Route) (SourceFix, bool) {
	src := w.m.Sources[rtID]
	rt := w.m.RouteTables[rtID]
	keys, known := routeKeys[r.Target.Kind]
	if src == "" || rt == nil || !known {
		return SourceFix{}, false
	}
	dest, target := r.Dest.String(), r.Target.ID
	f := SourceFix{Language: string(w.lang), Resource: src}
	if w.lang == model.SourceCloudFormation {
		key := keys[1]
		f.Summary = "add to the template's Resources"
		f.Code = fmt.Sprintf("%s:\n  Type: AWS::EC2::Route\n  Properties:\n    RouteTableId: %s\n    DestinationCidrBlock: %s\n    %s: %s\n",
			cfnName(src, "default", "route"), w.cfnRef(rtID, ""), dest, key, w.cfnRef(target, ""))
		return f, true
	}
	mod, res := splitAddr(src)
	f.Module = mod
	key := keys[0]
	var sources []string
	for _, x := range rt.Routes {
		sources = append(sources, x.Source)
	}
	if inline(src, sources) && ownType(res, "aws_route_table.", "aws_default_route_table.") {
		f.Summary = "add to resource " + res + " (its routes are inline)"
		f.Code = hclBlock("route", [][2]string{{"cidr_block", strconv.Quote(dest)}, {key, w.tfRef(target, mod, "")}})
		return f, true
	}
	f.Summary = "add a resource beside " + res
	f.Code = hclBlock("resource \"aws_route\" "+strconv.Quote(fixName(strings.Split(res, ".")[1], "default")),
		[][2]string{{"route_table_id", w.tfRef(rtID, mod, "")}, {"destination_cidr_block", strconv.Quote(dest)}, {key, w.tfRef(target, mod, "")}})
	return f, true
}

func (w fixWriter) endpointTable(epID, rtID string) (SourceFix, bool) {
	src := w.m.Sources[epID]
	if src == "" || w.m.Endpoints[epID] == nil {
		return SourceFix{}, false
	}
	f := SourceFix{Language: string(w.lang), Resource: src}
	if w.lang == model.SourceCloudFormation {
		f.Summary = "add to RouteTableIds of " + src
		f.Code = "- " + w.cfnRef(rtID, "") + "\n"
		return f, true
	}
	mod, res := splitAddr(src)
	f.Module = mod
	f.Summary = "add a resource beside " + res + " (or add the table to its route_table_ids)"
	f.Code = hclBlock("resource \"aws_vpc_endpoint_route_table_association\" "+strconv.Quote(fixName(strings.Split(res, ".")[1], "table")),
		[][2]string{{"vpc_endpoint_id", w.tfRef(epID, mod, "")}, {"route_table_id", w.tfRef(rtID, mod, "")}})
	return f, true
}

// replaceRoute points the route the input defines for r.Dest in table
// rtID at r.Target: the argument (or property) that names its target is
// replaced, in the aws_route resource, the inline route block, or the
// AWS::EC2::Route the route came from.
func (w fixWriter) replaceRoute(rtID string, r model.Route) (SourceFix, bool) {
	rt := w.m.RouteTables[rtID]
	keys, known := routeKeys[r.Target.Kind]
	if rt == nil || !known || !r.Dest.IsValid() {
		return SourceFix{}, false
	}
	// The route Change.Apply replaces. Only a route the input wrote with a
	// target argument of its own (not the local route, nor an endpoint's,
	// whose source is the VPC or the endpoint).
	i := slices.IndexFunc(rt.Routes, func(x model.Route) bool { return x.Dest.IsValid() && x.Dest == r.Dest })
	if i < 0 || rt.Routes[i].Source == "" {
		return SourceFix{}, false
	}
	old := &rt.Routes[i]
	oldKeys, ok := routeKeys[old.Target.Kind]
	if !ok {
		return SourceFix{}, false
	}
	was := oldKeys[0]
	if w.lang == model.SourceCloudFormation {
		was = oldKeys[1]
	}
	dest, target := r.Dest.String(), r.Target.ID
	f := SourceFix{Language: string(w.lang), Resource: old.Source}
	if w.lang == model.SourceCloudFormation {
		f.Summary = "replace " + was + " in the Properties of " + old.Source + " with"
		f.Code = fmt.Sprintf("%s: %s\n", keys[1], w.cfnRef(target, ""))
		return f, true
	}
	mod, res := splitAddr(old.Source)
	f.Module = mod
	switch {
	case ownType(res, "aws_route."):
		f.Summary = "replace " + was + " in resource " + res + " with"
		f.Code = fmt.Sprintf("%s = %s\n", keys[0], w.tfRef(target, mod, ""))
	case ownType(res, "aws_route_table.", "aws_default_route_table."):
		f.Summary = "replace the route block for " + dest + " in resource " + res + " with"
		f.Code = hclBlock("route", [][2]string{{"cidr_block", strconv.Quote(dest)}, {keys[0], w.tfRef(target, mod, "")}})
	default:
		return SourceFix{}, false
	}
	return f, true
}

// dnsSupport turns on DNS support in the VPC resource the input defines.
func (w fixWriter) dnsSupport(vpcID string) (SourceFix, bool) {
	src := w.m.Sources[vpcID]
	if src == "" || w.m.VPCs[vpcID] == nil {
		return SourceFix{}, false
	}
	f := SourceFix{Language: string(w.lang), Resource: src}
	if w.lang == model.SourceCloudFormation {
		f.Summary = "set in the Properties of " + src
		f.Code = "EnableDnsSupport: true\n"
		return f, true
	}
	mod, res := splitAddr(src)
	if !ownType(res, "aws_vpc.", "aws_default_vpc.") {
		return SourceFix{}, false
	}
	f.Module = mod
	f.Summary = "set in resource " + res
	f.Code = "enable_dns_support = true\n"
	return f, true
}

// elasticIP gives an interface the input defines an Elastic IP: on its
// instance (aws_eip with instance, AWS::EC2::EIP with InstanceId) when the
// interface is an instance's primary one the input launches, else on the
// interface (aws_eip with network_interface; AWS::EC2::EIP and an
// AWS::EC2::EIPAssociation).
func (w fixWriter) elasticIP(eniID string) (SourceFix, bool) {
	eni := w.m.ENIs[eniID]
	if eni == nil {
		return SourceFix{}, false
	}
	id, arg, prop := eni.InstanceID, "instance", "InstanceId"
	src := w.m.Sources[id]
	if id == "" || src == "" {
		id, arg, prop = eniID, "network_interface", "NetworkInterfaceId"
		src = w.m.Sources[eniID]
	}
	if src == "" {
		return SourceFix{}, false
	}
	f := SourceFix{Language: string(w.lang), Resource: src, Summary: "add to the template's Resources"}
	if w.lang == model.SourceCloudFormation {
		name := cfnName(src, "eip")
		f.Code = fmt.Sprintf("%s:\n  Type: AWS::EC2::EIP\n  Properties:\n    Domain: vpc\n", name)
		if arg == "instance" {
			f.Code += fmt.Sprintf("    InstanceId: %s\n", w.cfnRef(id, ""))
			return f, true
		}
		f.Code += fmt.Sprintf("%s:\n  Type: AWS::EC2::EIPAssociation\n  Properties:\n    AllocationId: !GetAtt %s.AllocationId\n    %s: %s\n",
			cfnName(src, "eip", "association"), name, prop, w.cfnRef(id, ""))
		return f, true
	}
	mod, res := splitAddr(src)
	if !ownType(res, "aws_instance.", "aws_network_interface.") {
		return SourceFix{}, false
	}
	f.Module = mod
	f.Summary = "add a resource beside " + res
	f.Code = hclBlock("resource \"aws_eip\" "+strconv.Quote(fixName(strings.Split(res, ".")[1], "eip")),
		[][2]string{{"domain", strconv.Quote("vpc")}, {arg, w.tfRef(id, mod, "")}})
	return f, true
}
