package tfplan

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// builder applies a plan to a model: an empty one (the plan alone) or a
// copy of a loaded network (Overlay).
type builder struct {
	p      *Plan
	m      *model.Model
	base   *model.Model // the network under the plan; nil for the plan alone
	err    error
	region string
	// taken are addresses handed to interfaces whose address is unknown.
	taken     map[netip.Addr]bool
	publicSeq int
	// created are the IDs of resources the plan creates, for capacity.
	created map[string]bool
	owns    map[any]bool // objects this build made or copied (the base's stay untouched)
	planEPs []string     // endpoints the plan defines or associates
	newENIs []string     // interfaces the plan adds
	// pendingAddr are planned interfaces, some without a known address.
	pendingAddr []pending
	wantPublic  []string // interfaces that get a public IP at apply
	// unknownCIDR says why a VPC's address range is undecided, by VPC ID.
	unknownCIDR map[string]string
	// mapPublic is map_public_ip_on_launch of the plan's subnets.
	mapPublic map[string]model.Tri
	tr        *transitState
}

// touch records the model IDs a plan resource changes, for Changes.
func (b *builder) touch(addr string, ids ...string) {
	b.p.touched[addr] = appendUniq(b.p.touched[addr], ids...)
}

// Model returns the network the plan describes, on its own: its planned
// values, with AWS's implicit resources (a new VPC's main route table,
// default network ACL and default security group, every table's local
// route, interface endpoints' interfaces) added.
func (p *Plan) Model() (*model.Model, error) {
	return p.build(nil)
}

// Overlay applies the plan's creates, updates and deletes over base, a
// loaded network, matching resources by ID where the plan knows it (the
// resource_changes' before and after id), so that a plan that touches one
// security group is judged in the whole VPC. base is not modified.
func Overlay(base *model.Model, p *Plan) (*model.Model, error) {
	return p.build(base)
}

func (p *Plan) build(base *model.Model) (*model.Model, error) {
	p.Warnings = p.Warnings[:0:0]
	if p.raw.FormatVersion == "" {
		p.Warnings = append(p.Warnings, Warning{File: p.File, Msg: "no format_version: read as plan format 1.x (terraform show -json always writes one; was the file trimmed?)"})
	}
	p.assignIDs()
	p.touched = map[string][]string{}
	b := &builder{p: p, base: base, taken: map[netip.Addr]bool{}, created: map[string]bool{}, owns: map[any]bool{}, unknownCIDR: map[string]string{}, mapPublic: map[string]model.Tri{}}
	if base != nil {
		b.m = base.Clone()
	} else {
		b.m = model.New()
		for _, k := range []model.Kind{model.KindVPC, model.KindSubnet, model.KindRouteTable, model.KindSecurityGroup,
			model.KindNetworkACL, model.KindENI, model.KindInstance, model.KindVPCEndpoint, model.KindNATGateway,
			model.KindInternetGateway, model.KindPrefixList, model.KindPeering, model.KindTransitGateway,
			model.KindTGWAttachment, model.KindVPCAttribute} {
			b.m.Present[k] = true
		}
	}
	for _, e := range b.m.ENIs {
		for _, a := range e.PrivateIPs {
			b.taken[a] = true
		}
	}
	b.m.SourceKind = model.SourceTerraform
	b.region = p.region()
	b.run()
	if b.err != nil {
		return nil, b.err
	}
	b.m.Index()
	return b.m, nil
}

func (b *builder) warn(addr, format string, args ...any) {
	w := Warning{File: b.p.File, Address: addr, Msg: fmt.Sprintf(format, args...)}
	for _, x := range b.p.Warnings {
		if x == w {
			return
		}
	}
	b.p.Warnings = append(b.p.Warnings, w)
}

func (b *builder) fail(addr, format string, args ...any) {
	if b.err == nil {
		b.err = &Error{File: b.p.File, Field: addr, Err: fmt.Errorf(format, args...)}
	}
}

func (b *builder) assume(id, text string) {
	for _, a := range b.m.Assumptions[id] {
		if a == text {
			return
		}
	}
	b.m.Assumptions[id] = append(b.m.Assumptions[id], text)
}

// region is the plan's AWS region: the aws provider's region, else the
// region in a service name or an availability zone.
func (p *Plan) region() string {
	if p.raw.Config != nil {
		for key, pc := range p.raw.Config.ProviderConfigs {
			if (key == "aws" || pc.Name == "aws") && pc.Expressions != nil {
				if e := pc.Expressions["region"]; e != nil && e.ExpressionData != nil {
					if s, ok := e.ConstantValue.(string); ok && s != "" {
						return s
					}
				}
			}
		}
	}
	for _, r := range p.resources {
		if sn := str(r.vals, "service_name"); strings.HasPrefix(sn, "com.amazonaws.") {
			parts := strings.Split(sn, ".")
			if len(parts) > 2 && parts[2] != "vpce" {
				return parts[2]
			}
			if len(parts) > 3 {
				return parts[3]
			}
		}
		if az := str(r.vals, "availability_zone"); len(az) > 1 {
			return az[:len(az)-1]
		}
	}
	return ""
}

// ids returns the IDs attribute attr of r holds (idsOf without the why).
func (b *builder) ids(r *resource, attr string, scalar bool) []string {
	v, _ := b.idsOf(r, attr, scalar)
	return v
}

// idsOf returns the IDs attribute attr of r holds: its planned value, and
// when that is unknown until apply, the IDs of the resources its
// expression references, type-checked. scalar picks one instance of a
// counted resource. why, when set, says that the value is unknown until
// apply and cannot be tied, naming the resource and attribute: whatever
// depends on it is unknown, never dropped.
func (b *builder) idsOf(r *resource, attr string, scalar bool) ([]string, string) {
	known := strs(r.vals, attr)
	if len(known) > 0 && !r.isUnknown(attr) {
		return known, ""
	}
	unknown := r.isUnknown(attr) && r.configured(attr)
	return b.tie(r, attr, r.exprRefs(attr), known, scalar, unknown, scalar)
}

// tie adds to known the IDs the references point to. unknown says the
// value is unknown until apply (so a failed tie is reported in why);
// single says the value is one reference, so that several candidates
// leave it undecided rather than pick one.
func (b *builder) tie(r *resource, attr string, refs []string, known []string, scalar, unknown, single bool) ([]string, string) {
	refs = expandEach(r, refs)
	if len(refs) == 0 {
		if unknown {
			b.warn(r.addr, "%s is unknown until apply and its configuration references no resource: kept as unknown", attr)
			return known, fmt.Sprintf("%s %s is known only after apply and its configuration references no resource", r.addr, attr)
		}
		return known, ""
	}
	ts, seen := b.p.resolve(r.module, mostSpecific(refs), r.index, scalar, 0)
	ts, dropped := typed(attr, ts)
	if len(ts) == 0 {
		for _, t := range dropped {
			b.warn(r.addr, "%s's expression mentions %s, which is not a %s: not taken as its value", attr, t.res.addr, strings.Join(wantKinds(attr), " or "))
		}
	}
	if len(ts) == 0 && attr == "vpc_id" && hasLocal(refs) {
		// Locals' expressions are not in the plan: a module's only VPC is
		// the one its local names.
		var vpcs []*resource
		for _, x := range b.p.resources {
			if x.typ == "aws_vpc" && x.module == r.module {
				vpcs = append(vpcs, x)
			}
		}
		if len(vpcs) == 1 {
			b.warn(r.addr, "%s comes from %s, which a plan does not spell out: taken as the module's only VPC, %s", attr, strings.Join(refs, ", "), vpcs[0].addr)
			return appendUniq(known, vpcs[0].id), ""
		}
	}
	if len(ts) == 0 {
		if seen && len(dropped) == 0 && (r.isUnknown(attr) || len(known) == 0) && r.action != "delete" {
			b.fail(r.addr, "%s refers to %s, which is not in the plan's planned values", attr, strings.Join(refs, ", "))
		}
		if unknown {
			return known, fmt.Sprintf("%s %s is known only after apply and comes from %s, which the plan does not spell out", r.addr, attr, strings.Join(refs, ", "))
		}
		return known, ""
	}
	var vals []string
	for _, t := range ts {
		vals = appendUniq(vals, b.valueOf(t.res, t.attr))
	}
	if single && unknown && len(vals) > 1 {
		return known, fmt.Sprintf("%s %s is known only after apply and may be any of %s", r.addr, attr, strings.Join(vals, ", "))
	}
	return appendUniq(append([]string{}, known...), vals...), ""
}

func hasLocal(refs []string) bool {
	for _, r := range refs {
		if strings.HasPrefix(r, "local.") {
			return true
		}
	}
	return false
}

func (b *builder) id(r *resource, attr string) string {
	v := b.ids(r, attr, true)
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// idOf is id with the why of idsOf.
func (b *builder) idOf(r *resource, attr string) (string, string) {
	v, why := b.idsOf(r, attr, true)
	if len(v) == 0 {
		return "", why
	}
	return v[0], ""
}

// elemUnknown reports whether attribute attr of the ith element of nested
// block (or attribute list) block is unknown until apply.
func (r *resource) elemUnknown(block string, i int, attr string) bool {
	list, _ := r.unknown[block].([]any)
	if i < 0 || i >= len(list) {
		return false
	}
	m, _ := list[i].(map[string]any)
	return unknownVal(m[attr])
}

func unknownVal(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case []any:
		for _, e := range x {
			if unknownVal(e) {
				return true
			}
		}
	}
	return false
}

// nestedIDs is ids for an attribute of a nested block element (an inline
// rule or route): the element's value, else the references of the
// matching block in the configuration. The aws provider's route, ingress
// and egress are attributes written as blocks: the configuration holds one
// expression for the whole list, and an unknown value is tied only when
// the list references a single candidate of the right kind. A dynamic
// block, or a plan of format 0.1 (Terraform 0.12-0.13), leaves no
// expression at all. why says the value stays unknown, and why.
func (b *builder) nestedIDs(r *resource, block string, i int, elem map[string]any, attr string, scalar bool) ([]string, string) {
	known := strs(elem, attr)
	unknown := r.elemUnknown(block, i, attr)
	if len(known) > 0 && !unknown {
		return known, ""
	}
	where := fmt.Sprintf("%s %s[%d].%s", r.addr, block, i, attr)
	if r.cfg == nil || r.cfg.Expressions == nil || r.cfg.Expressions[block] == nil || r.cfg.Expressions[block].ExpressionData == nil {
		if unknown {
			return known, where + " is known only after apply and the plan's configuration holds no expression for " + block + " (a dynamic block, or a plan format before 0.14 that leaves nested blocks out)"
		}
		return known, ""
	}
	ex := r.cfg.Expressions[block]
	nbs := ex.NestedBlocks
	if len(nbs) == 0 {
		if !unknown {
			return known, ""
		}
		v, why := b.tie(r, block+"."+attr, ex.References, known, scalar, true, true)
		if why != "" {
			why = where + " is known only after apply, and the expression of " + block + " does not say which of its references it is (" + strings.Join(ex.References, ", ") + ")"
		}
		return v, why
	}
	pick := -1
	for j, nb := range nbs {
		ok := true
		for k, e := range nb {
			if e == nil || e.ExpressionData == nil || e.ConstantValue == nil || len(e.References) > 0 {
				continue
			}
			if v, has := elem[k]; has && fmt.Sprint(v) != fmt.Sprint(e.ConstantValue) {
				ok = false
				break
			}
		}
		if ok {
			if pick >= 0 {
				pick = -2
				break
			}
			pick = j
		}
	}
	if pick < 0 && len(nbs) == len(blocks(r.vals, block)) && i < len(nbs) {
		pick = i
	}
	if pick < 0 {
		if unknown {
			return known, where + " is known only after apply and the configuration's " + block + " blocks do not say which one it is"
		}
		return known, ""
	}
	e := nbs[pick][attr]
	if e == nil || e.ExpressionData == nil {
		if unknown {
			return known, where + " is known only after apply and its block has no expression for it"
		}
		return known, ""
	}
	v, why := b.tie(r, block+"."+attr, e.References, known, scalar, unknown, scalar)
	if why != "" {
		why = where + why[strings.Index(why, " is known"):]
	}
	return v, why
}

// valueOf is the value of attribute attr of a referenced resource.
func (b *builder) valueOf(r *resource, attr string) string {
	if attr == "" || attr == "id" {
		return r.id
	}
	if v := str(r.vals, attr); v != "" && !r.isUnknown(attr) {
		return v
	}
	if v := transitValueOf(r, attr); v != "" {
		return v
	}
	switch r.typ + "." + attr {
	case "aws_vpc.default_network_acl_id":
		return placeholder("acl", r.addr+":default")
	case "aws_vpc.default_security_group_id":
		return placeholder("sg", r.addr+":default")
	case "aws_vpc.main_route_table_id", "aws_vpc.default_route_table_id":
		return placeholder("rtb", r.addr+":main")
	case "aws_vpc_endpoint.prefix_list_id":
		return b.endpointPL(r)
	case "aws_instance.primary_network_interface_id", "aws_nat_gateway.network_interface_id":
		return placeholder("eni", r.addr)
	case "aws_eip.allocation_id":
		return r.id
	}
	if strings.HasSuffix(attr, "_id") {
		if v := b.id(r, attr); v != "" {
			return v
		}
	}
	return r.id
}

// put registers where an ID comes from.
func (b *builder) source(id string, r *resource) {
	b.m.Sources[id] = r.addr
	b.touch(r.addr, id)
}

func (b *builder) run() {
	byType := map[string][]*resource{}
	for _, r := range b.p.resources {
		byType[r.typ] = append(byType[r.typ], r)
	}
	// Deleted top-level resources leave the base network.
	for _, r := range b.p.deleted {
		if b.p.byAddr[r.addr] != nil && b.p.byAddr[r.addr].id == r.id {
			continue // replaced in place: the new one takes its ID
		}
		b.deleteObject(r)
	}
	steps := []struct {
		typ string
		fn  func(*resource)
	}{
		{"aws_vpc", b.vpc},
		{"aws_default_vpc", b.vpc},
		{"aws_vpc_ipv4_cidr_block_association", b.vpcCIDR},
		{"aws_subnet", b.subnet},
		{"aws_default_subnet", b.subnet},
		{"aws_prefix_list", b.prefixList},
		{"aws_ec2_managed_prefix_list", b.prefixList},
		{"aws_ec2_managed_prefix_list_entry", b.prefixListEntry},
		{"aws_internet_gateway", b.igw},
		{"aws_internet_gateway_attachment", b.igwAttachment},
		{"aws_eip", nil},
		{"aws_nat_gateway", b.nat},
		{"aws_security_group", b.securityGroup},
		{"aws_default_security_group", b.securityGroup},
		{"aws_network_acl", b.networkACL},
		{"aws_default_network_acl", b.networkACL},
		{"aws_route_table", b.routeTable},
		{"aws_default_route_table", b.routeTable},
		{"aws_vpc_endpoint", b.endpoint},
		{"aws_network_interface", b.networkInterface},
		{"aws_instance", b.instance},
		{"aws_route53_zone", b.zone},
	}
	for _, s := range steps {
		if s.fn == nil {
			continue
		}
		for _, r := range byType[s.typ] {
			if r.typ == "aws_prefix_list" || r.typ == "aws_ec2_managed_prefix_list" {
				if r.mode == "managed" && r.typ == "aws_prefix_list" {
					continue
				}
			}
			s.fn(r)
		}
		if b.err != nil {
			return
		}
	}
	b.transit(byType)
	if b.err != nil {
		return
	}
	b.implicitDefaults()
	b.assignAddresses()
	b.eips()
	// Rules, entries, routes and associations: what the plan deletes goes
	// first, then what it plans.
	for _, r := range b.p.deleted {
		b.subResource(r, false)
	}
	for _, r := range b.p.resources {
		b.subResource(r, true)
		if b.err != nil {
			return
		}
	}
	b.endpointRoutes()
	b.endpointInterfaces()
	b.natInterfaces()
	b.localRoutes()
	b.transitAfter()
	b.unreadRouting()
	b.capacity()
}

// unreadRouting keeps routing the loader does not read from passing for
// none: a route table or subnet association of the awscc provider
// (awscc_ec2_route_table, awscc_ec2_subnet_route_table_association) may
// take a subnet off its VPC's main table. The main tables of the VPCs of
// its module (of every VPC of the plan when its module has none) get a
// route of unknown destination and target naming it, so what they would
// decide beyond the local route is unknown.
func (b *builder) unreadRouting() {
	for _, r := range b.p.resources {
		if r.mode != "managed" || !strings.HasPrefix(r.typ, "awscc_ec2_") || !strings.Contains(r.typ, "route") {
			continue
		}
		var vpcs []string
		for _, x := range b.p.resources {
			if (x.typ == "aws_vpc" || x.typ == "aws_default_vpc") && x.mode == "managed" && x.module == r.module {
				vpcs = append(vpcs, x.id)
			}
		}
		if len(vpcs) == 0 {
			vpcs = model.SortedKeys(b.m.VPCs)
		}
		b.warn(r.addr, "%s is not read: the main route tables of %s may not be what its subnets use", r.typ, strings.Join(vpcs, ", "))
		for _, id := range model.SortedKeys(b.m.RouteTables) {
			rt := b.m.RouteTables[id]
			if !rt.Main || !slices.Contains(vpcs, rt.VPCID) {
				continue
			}
			why := r.addr + " (" + r.typ + ", not read) may route or associate subnets of " + rt.VPCID
			if slices.ContainsFunc(rt.Routes, func(x model.Route) bool { return x.Unknown == why }) {
				continue
			}
			t := b.editRT(id, nil)
			t.Routes = append(t.Routes, model.Route{Target: model.Target{Kind: model.TargetUnknown, ID: "(unknown)"}, Origin: "CreateRoute", Source: r.addr, Unknown: why})
		}
	}
}

var subTypes = map[string]bool{"aws_security_group_rule": true, "aws_vpc_security_group_ingress_rule": true, "aws_vpc_security_group_egress_rule": true,
	"aws_network_acl_rule": true, "aws_network_acl_association": true, "aws_route": true, "aws_route_table_association": true,
	"aws_main_route_table_association": true, "aws_vpc_endpoint_route_table_association": true, "aws_vpc_endpoint_subnet_association": true,
	"aws_vpc_endpoint_security_group_association": true, "aws_eip_association": true, "aws_route53_record": true, "aws_route53_zone_association": true}

func (b *builder) subResource(r *resource, add bool) {
	if !subTypes[r.typ] {
		return
	}
	defer func() {
		for _, k := range []string{"security_group_id", "source_security_group_id", "referenced_security_group_id", "network_acl_id", "subnet_id", "route_table_id", "vpc_endpoint_id", "vpc_id"} {
			if _, ok := r.vals[k]; ok || r.exprRefs(k) != nil {
				if v := b.id(r, k); v != "" {
					b.touch(r.addr, v)
				}
			}
		}
	}()
	switch r.typ {
	case "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule":
		b.sgRuleResource(r, add)
	case "aws_network_acl_rule":
		b.naclRule(r, add)
	case "aws_network_acl_association":
		b.naclAssociation(r, add)
	case "aws_route":
		b.route(r, add)
	case "aws_route_table_association":
		b.rtAssociation(r, add)
	case "aws_main_route_table_association":
		b.mainRTAssociation(r, add)
	case "aws_vpc_endpoint_route_table_association", "aws_vpc_endpoint_subnet_association", "aws_vpc_endpoint_security_group_association":
		b.endpointAssociation(r, add)
	case "aws_eip_association":
		if add {
			b.eipAssociation(r)
		}
	case "aws_route53_record":
		if add {
			b.record(r)
		}
	case "aws_route53_zone_association":
		if add {
			if z := b.m.HostedZones[strings.TrimPrefix(b.id(r, "zone_id"), "/hostedzone/")]; z != nil {
				z.VPCs = appendUniq(z.VPCs, b.id(r, "vpc_id"))
			}
		}
	}
}

// deleteObject removes a deleted top-level resource from the base.
func (b *builder) deleteObject(r *resource) {
	id := r.id
	switch r.typ {
	case "aws_vpc":
		delete(b.m.VPCs, id)
	case "aws_subnet":
		delete(b.m.Subnets, id)
	case "aws_route_table":
		delete(b.m.RouteTables, id)
	case "aws_security_group":
		delete(b.m.SecurityGroups, id)
	case "aws_network_acl":
		delete(b.m.NetworkACLs, id)
	case "aws_vpc_endpoint":
		if ep := b.m.Endpoints[id]; ep != nil {
			for _, e := range ep.ENIs {
				delete(b.m.ENIs, e)
			}
			for _, rt := range b.m.RouteTables {
				if hasRouteTo(rt, id) {
					b.editRT(rt.ID, func(t *model.RouteTable) {
						t.Routes = filterRoutes(t.Routes, func(x model.Route) bool { return x.Target.ID != id })
					})
				}
			}
		}
		delete(b.m.Endpoints, id)
	case "aws_nat_gateway":
		if n := b.m.NATGateways[id]; n != nil && n.ENIID != "" {
			delete(b.m.ENIs, n.ENIID)
		}
		delete(b.m.NATGateways, id)
	case "aws_internet_gateway":
		delete(b.m.InternetGateways, id)
	case "aws_instance":
		if in := b.m.Instances[id]; in != nil {
			for _, e := range in.ENIs {
				delete(b.m.ENIs, e)
			}
		}
		delete(b.m.Instances, id)
	case "aws_network_interface":
		delete(b.m.ENIs, id)
	case "aws_ec2_managed_prefix_list":
		delete(b.m.PrefixLists, id)
	case "aws_vpc_peering_connection":
		delete(b.m.Peerings, id)
	case "aws_ec2_transit_gateway":
		delete(b.m.TransitGateways, id)
	case "aws_ec2_transit_gateway_vpc_attachment":
		delete(b.m.TGWAttachments, id)
	case "aws_route53_zone":
		delete(b.m.HostedZones, strings.TrimPrefix(id, "/hostedzone/"))
	default:
		b.deleteTransit(r)
	}
}

func hasRouteTo(rt *model.RouteTable, id string) bool {
	for _, x := range rt.Routes {
		if x.Target.ID == id {
			return true
		}
	}
	return false
}

func filterRoutes(rs []model.Route, keep func(model.Route) bool) []model.Route {
	var out []model.Route
	for _, r := range rs {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

func (b *builder) vpc(r *resource) {
	v := &model.VPC{ID: r.id, Region: b.region, Tags: tags(r.vals), OwnerID: str(r.vals, "owner_id")}
	if old := b.m.VPCs[r.id]; old != nil {
		v.Region = old.Region
		if v.OwnerID == "" {
			v.OwnerID = old.OwnerID
		}
	}
	if c := str(r.vals, "cidr_block"); c != "" {
		p, err := parsePrefix(c)
		if err != nil {
			b.fail(r.addr, "cidr_block: %v", err)
			return
		}
		v.CIDRs = []netip.Prefix{p}
	} else if old := b.m.VPCs[r.id]; old != nil {
		v.CIDRs = old.CIDRs
	} else {
		why := r.addr + " cidr_block is known only after apply"
		if r.typ == "aws_default_vpc" || r.mode == "data" {
			why = r.addr + " cidr_block is not in the plan (an existing VPC the plan does not read)"
		}
		b.unknownCIDR[v.ID] = why
		b.warn(r.addr, "cidr_block is unknown until apply (IPAM, or a VPC the plan does not read): the VPC stays with an unknown address range, and what depends on it is unknown")
	}
	if c := str(r.vals, "ipv6_cidr_block"); c != "" {
		if p, err := parsePrefix(c); err == nil {
			v.IPv6CIDRs = []netip.Prefix{p}
		}
	}
	v.DNSSupport = model.TriOf(boolOr(r.vals, "enable_dns_support", true))
	v.DNSHostnames = model.TriOf(boolOr(r.vals, "enable_dns_hostnames", false))
	b.m.VPCs[v.ID] = v
	if v.Region != "" {
		b.m.VPCRegion[v.ID] = v.Region
	}
	b.source(v.ID, r)
	if r.typ == "aws_default_vpc" {
		b.defaultVPC(v, r)
		return
	}
	if (r.action == "create" || r.action == "replace") && r.mode == "managed" {
		b.created[v.ID] = true
	}
}

// defaultVPC gives an adopted default VPC (aws_default_vpc) the main route
// table AWS made it, whose routes the plan does not read: AWS gives it a
// route to the default internet gateway ("Default VPCs" in the VPC guide),
// but the table may have changed since, so its routes are unknown.
func (b *builder) defaultVPC(v *model.VPC, r *resource) {
	for _, t := range b.m.RouteTables {
		if t.VPCID == v.ID && t.Main {
			return // the base or the plan knows it
		}
	}
	id := placeholder("rtb", r.addr+":main")
	b.m.RouteTables[id] = &model.RouteTable{ID: id, VPCID: v.ID, Main: true, Routes: []model.Route{{
		Target: model.Target{Kind: model.TargetUnknown, ID: "(unknown)"}, Origin: "CreateRouteTable", Source: r.addr,
		Unknown: "the main route table of the default VPC " + r.addr + " is not in the plan (AWS creates it with 0.0.0.0/0 to the default internet gateway)"}}}
	b.m.Sources[id] = r.addr
}

func (b *builder) vpcCIDR(r *resource) {
	v := b.m.VPCs[b.id(r, "vpc_id")]
	if v == nil {
		return
	}
	if p, err := parsePrefix(str(r.vals, "cidr_block")); err == nil {
		v.CIDRs = append(v.CIDRs, p)
	} else {
		v.CIDRsIncomplete = true // known after apply (IPAM): the VPC's extent is not known
	}
}

func (b *builder) subnet(r *resource) {
	s := &model.Subnet{ID: r.id, VPCID: b.id(r, "vpc_id"), AZ: str(r.vals, "availability_zone"), AZID: str(r.vals, "availability_zone_id"), AvailableIPs: -1, Tags: tags(r.vals)}
	if old := b.m.Subnets[r.id]; old != nil {
		s.AvailableIPs = old.AvailableIPs
		if s.AZ == "" {
			s.AZ = old.AZ
		}
		if s.AZID == "" {
			s.AZID = old.AZID
		}
	}
	if c := str(r.vals, "cidr_block"); c != "" {
		p, err := parsePrefix(c)
		if err != nil {
			b.fail(r.addr, "cidr_block: %v", err)
			return
		}
		s.CIDR = p
	} else if old := b.m.Subnets[r.id]; old != nil {
		s.CIDR = old.CIDR
	} else {
		b.warn(r.addr, "cidr_block is unknown until apply: the subnet stays, and its interfaces' addresses are unknown")
	}
	// map_public_ip_on_launch: AWS's default is off, except in a default
	// subnet ("Default subnets" in the VPC guide).
	switch v, ok := r.vals["map_public_ip_on_launch"].(bool); {
	case ok:
		b.mapPublic[s.ID] = model.TriOf(v)
	case r.typ == "aws_default_subnet":
		b.mapPublic[s.ID] = model.Yes
	case !r.isUnknown("map_public_ip_on_launch") && r.mode == "managed":
		b.mapPublic[s.ID] = model.No
	}
	s.MapPublicIP = b.mapPublic[s.ID]
	if old := b.m.Subnets[r.id]; old != nil && s.MapPublicIP == model.Unknown {
		s.MapPublicIP = old.MapPublicIP
	}
	if c := str(r.vals, "ipv6_cidr_block"); c != "" {
		if p, err := parsePrefix(c); err == nil {
			s.IPv6CIDRs = []netip.Prefix{p}
		}
	}
	if s.VPCID == "" && r.typ == "aws_default_subnet" {
		for _, x := range b.p.resources {
			if x.typ == "aws_default_vpc" {
				s.VPCID = x.id // a default subnet is in the default VPC
			}
		}
	}
	if s.VPCID == "" {
		b.warn(r.addr, "no vpc_id")
	}
	b.m.Subnets[s.ID] = s
	b.source(s.ID, r)
	if r.action == "create" || r.action == "replace" {
		b.created[s.ID] = true
	}
}

func (b *builder) prefixList(r *resource) {
	pl := &model.PrefixList{ID: r.id, Name: str(r.vals, "name"), OwnerID: str(r.vals, "owner_id")}
	if pl.ID == "" || IsPlaceholder(pl.ID) && str(r.vals, "prefix_list_id") != "" {
		pl.ID = str(r.vals, "prefix_list_id")
	}
	for _, c := range strs(r.vals, "cidr_blocks") {
		if p, err := parsePrefix(c); err == nil {
			pl.CIDRs = append(pl.CIDRs, p)
		}
	}
	for _, e := range blocks(r.vals, "entry") {
		if p, err := parsePrefix(str(e, "cidr")); err == nil {
			pl.CIDRs = append(pl.CIDRs, p)
		}
	}
	for _, e := range blocks(r.vals, "entries") {
		if p, err := parsePrefix(str(e, "cidr")); err == nil {
			pl.CIDRs = append(pl.CIDRs, p)
		}
	}
	pl.CIDRsKnown = len(pl.CIDRs) > 0 || (r.mode == "managed" && !r.isUnknown("entry"))
	if r.mode == "data" && !pl.CIDRsKnown {
		if old := b.m.PrefixLists[pl.ID]; old != nil {
			return // the base knows it better
		}
	}
	b.m.PrefixLists[pl.ID] = pl
	b.source(pl.ID, r)
}

func (b *builder) prefixListEntry(r *resource) {
	pl := b.m.PrefixLists[b.id(r, "prefix_list_id")]
	if pl == nil {
		return
	}
	if p, err := parsePrefix(str(r.vals, "cidr")); err == nil {
		pl.CIDRs = append(pl.CIDRs, p)
		pl.CIDRsKnown = true
	}
}

func (b *builder) igw(r *resource) {
	g := &model.InternetGateway{ID: r.id, Tags: tags(r.vals)}
	if v := b.id(r, "vpc_id"); v != "" {
		g.VPCs = []string{v}
	}
	b.m.InternetGateways[g.ID] = g
	b.source(g.ID, r)
}

func (b *builder) igwAttachment(r *resource) {
	if g := b.m.InternetGateways[b.id(r, "internet_gateway_id")]; g != nil {
		g.VPCs = appendUniq(g.VPCs, b.id(r, "vpc_id"))
	}
}

func (b *builder) nat(r *resource) {
	n := &model.NATGateway{ID: r.id, SubnetID: b.id(r, "subnet_id"), State: "available", Connectivity: str(r.vals, "connectivity_type"), Tags: tags(r.vals)}
	if n.Connectivity == "" {
		n.Connectivity = "public"
	}
	if s := b.m.Subnets[n.SubnetID]; s != nil {
		n.VPCID = s.VPCID
	}
	if old := b.m.NATGateways[r.id]; old != nil {
		n.ENIID, n.PrivateIP, n.PublicIP = old.ENIID, old.PrivateIP, old.PublicIP
	}
	if a, err := netip.ParseAddr(str(r.vals, "private_ip")); err == nil {
		n.PrivateIP = a
	}
	if a, err := netip.ParseAddr(str(r.vals, "public_ip")); err == nil {
		n.PublicIP = a
	}
	if n.Connectivity == "public" && !n.PublicIP.IsValid() {
		alloc := b.id(r, "allocation_id")
		for _, e := range b.p.resources {
			if e.typ == "aws_eip" && e.id == alloc {
				if a, err := netip.ParseAddr(str(e.vals, "public_ip")); err == nil {
					n.PublicIP = a
				}
			}
		}
		if !n.PublicIP.IsValid() {
			n.PublicIP = b.publicPlaceholder()
			b.assume(n.ID, fmt.Sprintf("%s's Elastic IP is unknown until apply: %s stands for it (TEST-NET-2, a documentation range)", n.ID, n.PublicIP))
		}
	}
	b.m.NATGateways[n.ID] = n
	b.source(n.ID, r)
	if r.action == "create" || r.action == "replace" {
		b.created[n.ID] = true
	}
}

func (b *builder) publicPlaceholder() netip.Addr {
	b.publicSeq++
	return netip.AddrFrom4([4]byte{198, 51, 100, byte(b.publicSeq)})
}
