package tfplan

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// This file reads what lies beyond one VPC from a plan: VPC peering
// (connection, accepter, options), transit gateways with their route
// tables, attachments (VPC, peering, and the ones a VPN connection or a
// Direct Connect gateway association makes), routes, associations and
// propagations, virtual private gateways with their attachments and route
// propagation, VPN connections and their static routes, customer gateways,
// and Direct Connect gateways with their associations.

func init() {
	for t, p := range map[string]string{
		"aws_ec2_transit_gateway_peering_attachment": "tgw-attach",
		"aws_vpn_gateway":      "vgw",
		"aws_vpn_connection":   "vpn",
		"aws_customer_gateway": "cgw",
		"aws_dx_gateway":       "dxgw",
	} {
		idPrefix[t] = p
	}
}

// transitTypes are the types transit reads, in the order it reads them.
var transitTypes = []string{
	"aws_vpc_peering_connection", "aws_vpc_peering_connection_accepter", "aws_vpc_peering_connection_options",
	"aws_ec2_transit_gateway", "aws_ec2_transit_gateway_route_table",
	"aws_ec2_transit_gateway_vpc_attachment", "aws_ec2_transit_gateway_vpc_attachment_accepter",
	"aws_ec2_transit_gateway_peering_attachment", "aws_ec2_transit_gateway_peering_attachment_accepter",
	"aws_customer_gateway", "aws_vpn_gateway", "aws_vpn_gateway_attachment", "aws_vpn_connection", "aws_vpn_connection_route",
	"aws_dx_gateway", "aws_dx_gateway_association",
}

// transitSubTypes change a transit gateway route table.
var transitSubTypes = map[string]bool{
	"aws_ec2_transit_gateway_route": true, "aws_ec2_transit_gateway_prefix_list_reference": true,
	"aws_ec2_transit_gateway_route_table_association": true, "aws_ec2_transit_gateway_route_table_propagation": true,
}

// transitValueOf is the value of a referenced attribute that only exists
// after apply and names another object: a gateway's default route table,
// the attachment a VPN connection or Direct Connect association makes.
func transitValueOf(r *resource, attr string) string {
	if v := str(r.vals, attr); v != "" && !r.isUnknown(attr) {
		return ""
	}
	switch r.typ + "." + attr {
	case "aws_ec2_transit_gateway.association_default_route_table_id", "aws_ec2_transit_gateway.propagation_default_route_table_id":
		return placeholder("tgw-rtb", r.addr+":default")
	case "aws_vpn_connection.transit_gateway_attachment_id", "aws_dx_gateway_association.transit_gateway_attachment_id":
		return placeholder("tgw-attach", r.addr)
	}
	return ""
}

// tid is id for a transit resource's reference that may go through an
// instance of a module called with for_each or count
// (module.spoke[each.key].attachment_id): the plan's configuration then
// lists only "module.spoke" and "each.key", not the output. When that
// module instance holds exactly one resource of the wanted types, that is
// the one, and a warning says so.
func (b *builder) tid(r *resource, attr string, types ...string) string {
	if v := b.id(r, attr); v != "" {
		return v
	}
	refs := r.exprRefs(attr)
	if hasLocal(refs) {
		// Locals' expressions are not in the plan either.
		var found []*resource
		for _, x := range b.p.resources {
			if x.module == r.module && x.mode == "managed" && slices.Contains(types, x.typ) {
				found = append(found, x)
			}
		}
		if len(found) == 1 {
			b.warn(r.addr, "%s comes from %s, which a plan does not spell out: taken as the module's only %s, %s", attr, strings.Join(refs, ", "), found[0].typ, found[0].addr)
			return found[0].id
		}
		return ""
	}
	if slices.Contains(refs, "each.value") && r.cfg != nil && r.cfg.ForEachExpression != nil && r.cfg.ForEachExpression.ExpressionData != nil {
		// for_each = module.vpcs, attr = each.value.<output>.
		refs = append(append([]string{}, r.cfg.ForEachExpression.References...), "each.key")
	}
	if !slices.Contains(refs, "each.key") && !slices.Contains(refs, "count.index") {
		return ""
	}
	var key string
	switch x := r.index.(type) {
	case string:
		key = "[" + strconv.Quote(x) + "]"
	case float64:
		key = "[" + strconv.FormatFloat(x, 'f', -1, 64) + "]"
	default:
		return ""
	}
	for _, ref := range refs {
		if parts := strings.Split(ref, "."); len(parts) != 2 || parts[0] != "module" {
			continue
		}
		inst := ref + key
		if r.module != "" {
			inst = r.module + "." + inst
		}
		var found []*resource
		for _, x := range b.p.resources {
			if (x.module == inst || strings.HasPrefix(x.module, inst+".")) && slices.Contains(types, x.typ) {
				found = append(found, x)
			}
		}
		if len(found) == 1 {
			b.warn(r.addr, "%s comes from an output of %s, which a plan does not name: taken as its only %s, %s", attr, inst, found[0].typ, found[0].addr)
			return found[0].id
		}
	}
	return ""
}

// transitState is what transit carries from the top-level resources to the
// routes and links.
type transitState struct {
	// defaults are attachments that take the gateway's default association
	// and propagation, with the resource that asks.
	defaults []defaultLink
	// linked are the (tgw, attachment) pairs explicitly associated.
	linked map[[2]string]string
	// newProps are the propagations the plan adds, by table.
	newProps map[string][]model.TGWRouteTableLink
	// madeTables are the tables the plan creates.
	madeTables map[string]bool
}

type defaultLink struct {
	addr, tgw, att, typ, res string
	assoc, prop              bool
	// assocUnknown, propUnknown say why the attachment's own
	// default-table flag is undecided.
	assocUnknown, propUnknown string
}

// regionOf is the region of r's provider configuration (an aliased
// provider may name another region than the plan's).
func (b *builder) regionOf(r *resource) string {
	if r.cfg != nil && b.p.raw.Config != nil {
		key := r.cfg.ProviderConfigKey
		if i := strings.LastIndex(key, ":"); i >= 0 {
			key = key[i+1:]
		}
		if pc := b.p.raw.Config.ProviderConfigs[key]; pc != nil && pc.Expressions != nil {
			if e := pc.Expressions["region"]; e != nil && e.ExpressionData != nil {
				if s, ok := e.ConstantValue.(string); ok && s != "" {
					return s
				}
			}
		}
	}
	return b.region
}

// transit reads the transit resources, then the transit gateway routes,
// associations and propagations.
func (b *builder) transit(byType map[string][]*resource) {
	b.tr = &transitState{linked: map[[2]string]string{}, newProps: map[string][]model.TGWRouteTableLink{}, madeTables: map[string]bool{}}
	b.attachmentLookups()
	fns := map[string]func(*resource){
		"aws_vpc_peering_connection": b.peering, "aws_vpc_peering_connection_accepter": b.peeringAccepter,
		"aws_vpc_peering_connection_options": b.peeringOptions,
		"aws_ec2_transit_gateway":            b.tgw, "aws_ec2_transit_gateway_route_table": b.tgwRouteTable,
		"aws_ec2_transit_gateway_vpc_attachment": b.tgwAttachment, "aws_ec2_transit_gateway_vpc_attachment_accepter": b.tgwAttachmentAccepter,
		"aws_ec2_transit_gateway_peering_attachment": b.tgwPeering, "aws_ec2_transit_gateway_peering_attachment_accepter": b.tgwPeeringAccepter,
		"aws_customer_gateway": b.customerGateway, "aws_vpn_gateway": b.vpnGateway, "aws_vpn_gateway_attachment": b.vpnGatewayAttachment,
		"aws_vpn_connection": b.vpnConnection, "aws_vpn_connection_route": b.vpnConnectionRoute,
		"aws_dx_gateway": b.dxGateway, "aws_dx_gateway_association": b.dxAssociation,
	}
	for _, typ := range transitTypes {
		for _, r := range byType[typ] {
			fns[typ](r)
			if b.err != nil {
				return
			}
		}
	}
	for _, r := range b.p.deleted {
		if transitSubTypes[r.typ] {
			b.tgwSub(r, false)
		}
	}
	for _, r := range b.p.resources {
		if transitSubTypes[r.typ] {
			b.tgwSub(r, true)
		}
		if b.err != nil {
			return
		}
	}
	b.tgwDefaults()
}

// attachmentLookups gives the data sources that look up the attachment a
// VPN connection or a Direct Connect association makes
// (aws_ec2_transit_gateway_vpn_attachment,
// aws_ec2_transit_gateway_dx_gateway_attachment) that attachment's ID, so
// that associations and routes naming them tie to it.
func (b *builder) attachmentLookups() {
	for _, r := range b.p.resources {
		if r.mode != "data" || (str(r.vals, "id") != "" && !r.isUnknown("id")) {
			continue
		}
		var made []*resource
		switch r.typ {
		case "aws_ec2_transit_gateway_vpn_attachment":
			vpn := b.id(r, "vpn_connection_id")
			for _, x := range b.p.resources {
				if x.typ == "aws_vpn_connection" && x.id == vpn {
					made = append(made, x)
				}
			}
		case "aws_ec2_transit_gateway_dx_gateway_attachment":
			tgw := b.id(r, "transit_gateway_id")
			for _, x := range b.p.resources {
				if x.typ == "aws_dx_gateway_association" && b.id(x, "associated_gateway_id") == tgw {
					made = append(made, x)
				}
			}
		default:
			continue
		}
		if len(made) == 1 {
			if v := transitValueOf(made[0], "transit_gateway_attachment_id"); v != "" {
				r.id = v
			} else {
				r.id = str(made[0].vals, "transit_gateway_attachment_id")
			}
		}
	}
}

// deleteTransit removes a deleted top-level transit resource from the base.
func (b *builder) deleteTransit(r *resource) {
	switch r.typ {
	case "aws_ec2_transit_gateway_route_table":
		delete(b.m.TGWRouteTables, r.id)
	case "aws_ec2_transit_gateway_peering_attachment":
		delete(b.m.TGWAttachments, r.id)
	case "aws_vpn_gateway":
		delete(b.m.VPNGateways, r.id)
	case "aws_vpn_connection":
		if c := b.m.VPNConnections[r.id]; c != nil {
			for _, a := range b.m.TGWAttachments {
				if a.ResourceType == model.TGWAttachVPN && a.ResourceID == r.id {
					delete(b.m.TGWAttachments, a.ID)
				}
			}
		}
		delete(b.m.VPNConnections, r.id)
	case "aws_customer_gateway":
		delete(b.m.CustomerGateways, r.id)
	case "aws_dx_gateway":
		delete(b.m.DXGateways, r.id)
	}
}

func (b *builder) peering(r *resource) {
	pc := &model.Peering{ID: r.id, Tags: tags(r.vals)}
	region := b.regionOf(r)
	pc.Requester = model.PeeringSide{VPCID: b.tid(r, "vpc_id", "aws_vpc"), OwnerID: str(r.vals, "owner_id"), Region: region}
	pc.Accepter = model.PeeringSide{VPCID: b.tid(r, "peer_vpc_id", "aws_vpc"), OwnerID: str(r.vals, "peer_owner_id"), Region: str(r.vals, "peer_region")}
	if pc.Accepter.Region == "" {
		pc.Accepter.Region = region
	}
	if old := b.m.Peerings[r.id]; old != nil {
		pc.Requester.CIDRs, pc.Accepter.CIDRs = old.Requester.CIDRs, old.Accepter.CIDRs
	}
	b.peeringCIDRs(pc)
	b.peeringDNS(r, pc)
	pc.Status = str(r.vals, "accept_status")
	if pc.Status == "" && r.isUnknown("auto_accept") {
		pc.Status = model.PeeringPendingAcceptance
		pc.Unknown = r.addr + " auto_accept is known only after apply"
	}
	if pc.Status == "" {
		if boolOr(r.vals, "auto_accept", false) {
			pc.Status = model.PeeringActive
		} else {
			pc.Status = model.PeeringPendingAcceptance
			if b.accepterOf(r.id) == nil {
				b.assume(pc.ID, pc.ID+" is pending acceptance: the plan neither auto-accepts it nor holds an aws_vpc_peering_connection_accepter for it")
			}
		}
	}
	b.m.Peerings[pc.ID] = pc
	b.own(pc)
	b.source(pc.ID, r)
}

func (b *builder) peeringCIDRs(pc *model.Peering) {
	for _, side := range []*model.PeeringSide{&pc.Requester, &pc.Accepter} {
		if v := b.m.VPCs[side.VPCID]; v != nil {
			side.CIDRs, side.IPv6CIDRs = v.CIDRs, v.IPv6CIDRs
		}
	}
}

// peeringDNS reads the requester and accepter blocks (of the connection or
// of aws_vpc_peering_connection_options).
func (b *builder) peeringDNS(r *resource, pc *model.Peering) {
	for block, side := range map[string]*model.PeeringSide{"requester": &pc.Requester, "accepter": &pc.Accepter} {
		for _, e := range blocks(r.vals, block) {
			if v, ok := e["allow_remote_vpc_dns_resolution"].(bool); ok {
				side.AllowRemoteDNS = model.TriOf(v)
			}
		}
	}
}

// accepterOf returns the plan's accepter of a peering connection.
func (b *builder) accepterOf(id string) *resource {
	for _, r := range b.p.resources {
		if r.typ == "aws_vpc_peering_connection_accepter" && b.id(r, "vpc_peering_connection_id") == id {
			return r
		}
	}
	return nil
}

// editObj returns object id of objs ready to change: the build's own copy
// (the base network's objects stay untouched), with clone deepening what
// a plain copy would share.
func editObj[T any](b *builder, objs map[string]*T, id string, clone func(*T)) *T {
	x := objs[id]
	if x == nil || b.owned(x) {
		return x
	}
	c := *x
	if clone != nil {
		clone(&c)
	}
	objs[id] = &c
	b.own(&c)
	return &c
}

func (b *builder) editPeering(id string) *model.Peering { return editObj(b, b.m.Peerings, id, nil) }

// peeringAccepter accepts a connection (in the peer's account or region):
// with auto_accept it becomes active. A connection made in another
// configuration appears from the accepter's values.
func (b *builder) peeringAccepter(r *resource) {
	id := b.id(r, "vpc_peering_connection_id")
	pc := b.editPeering(id)
	if pc == nil {
		if id == "" {
			b.warn(r.addr, "vpc_peering_connection_id is unknown: left out")
			return
		}
		pc = &model.Peering{ID: id, Tags: tags(r.vals)}
		pc.Accepter = model.PeeringSide{VPCID: b.id(r, "vpc_id"), OwnerID: str(r.vals, "accepter_owner_id"), Region: b.regionOf(r)}
		pc.Requester = model.PeeringSide{VPCID: b.id(r, "peer_vpc_id"), OwnerID: str(r.vals, "peer_owner_id"), Region: str(r.vals, "peer_region")}
		b.peeringCIDRs(pc)
		b.m.Peerings[id] = pc
		b.own(pc)
		b.source(id, r)
	}
	switch {
	case r.isUnknown("auto_accept"):
		pc.Unknown = r.addr + " auto_accept is known only after apply"
	case boolOr(r.vals, "auto_accept", false):
		pc.Status, pc.Unknown = model.PeeringActive, ""
		delete(b.m.Assumptions, id)
	}
	b.peeringDNS(r, pc)
	b.touch(r.addr, id)
}

func (b *builder) peeringOptions(r *resource) {
	id := b.id(r, "vpc_peering_connection_id")
	pc := b.editPeering(id)
	if pc == nil {
		b.unresolved(r, "vpc_peering_connection_id", id, model.KindPeering)
		return
	}
	b.peeringDNS(r, pc)
	b.touch(r.addr, id)
}

func enableTri(v map[string]any, k string) model.Tri {
	switch strings.ToLower(str(v, k)) {
	case "enable", "true":
		return model.Yes
	case "disable", "false":
		return model.No
	}
	return model.Unknown
}

func int64Of(v map[string]any, k string) int64 {
	n, _ := strconv.ParseInt(str(v, k), 10, 64)
	return n
}

func (b *builder) tgw(r *resource) {
	g := &model.TransitGateway{ID: r.id, OwnerID: str(r.vals, "owner_id"), Region: b.regionOf(r), State: "available", Tags: tags(r.vals),
		ASN: int64Of(r.vals, "amazon_side_asn"), DefaultAssociation: enableTri(r.vals, "default_route_table_association"),
		DefaultPropagation: enableTri(r.vals, "default_route_table_propagation"), DNSSupport: enableTri(r.vals, "dns_support"),
		VPNECMPSupport: enableTri(r.vals, "vpn_ecmp_support"), SecurityGroupReferencing: enableTri(r.vals, "security_group_referencing_support")}
	for _, c := range strs(r.vals, "transit_gateway_cidr_blocks") {
		if p, err := parsePrefix(c); err == nil {
			g.CIDRBlocks = append(g.CIDRBlocks, p)
		}
	}
	def := placeholder("tgw-rtb", r.addr+":default")
	if old := b.m.TransitGateways[r.id]; old != nil {
		g.AssociationDefaultRouteTableID, g.PropagationDefaultRouteTableID = old.AssociationDefaultRouteTableID, old.PropagationDefaultRouteTableID
	}
	for _, x := range []struct {
		on   model.Tri
		attr string
		dst  *string
	}{{g.DefaultAssociation, "association_default_route_table_id", &g.AssociationDefaultRouteTableID}, {g.DefaultPropagation, "propagation_default_route_table_id", &g.PropagationDefaultRouteTableID}} {
		if v := str(r.vals, x.attr); v != "" && !r.isUnknown(x.attr) {
			*x.dst = v
		} else if x.on != model.No && *x.dst == "" {
			*x.dst = def // on, or undecided: the table may exist
		}
	}
	b.m.TransitGateways[g.ID] = g
	b.source(g.ID, r)
	// The default route table AWS makes with the gateway (Transit Gateways
	// Guide, "Default route table"); it exists only after apply.
	for _, id := range []string{g.AssociationDefaultRouteTableID, g.PropagationDefaultRouteTableID} {
		if id == def && b.m.TGWRouteTables[def] == nil {
			rt := &model.TGWRouteTable{ID: def, TransitGatewayID: g.ID, State: "available", AssociationsKnown: true, PropagationsKnown: true, RoutesFrom: model.TGWRoutesDerived,
				DefaultAssociation: g.AssociationDefaultRouteTableID == def, DefaultPropagation: g.PropagationDefaultRouteTableID == def}
			b.m.TGWRouteTables[def] = rt
			b.own(rt)
			b.tr.madeTables[def] = true
			b.m.Sources[def] = r.addr
			b.assume(def, def+" is the default route table "+r.addr+" gets at apply")
		}
	}
}

func (b *builder) tgwRouteTable(r *resource) {
	rt := &model.TGWRouteTable{ID: r.id, TransitGatewayID: b.id(r, "transit_gateway_id"), State: "available", Tags: tags(r.vals),
		DefaultAssociation: boolOr(r.vals, "default_association_route_table", false), DefaultPropagation: boolOr(r.vals, "default_propagation_route_table", false),
		AssociationsKnown: true, PropagationsKnown: true, RoutesFrom: model.TGWRoutesDerived}
	if old := b.m.TGWRouteTables[r.id]; old != nil {
		c := *old
		c.Tags = rt.Tags
		rt = &c
	} else {
		b.tr.madeTables[rt.ID] = true
	}
	b.m.TGWRouteTables[rt.ID] = rt
	b.own(rt)
	b.source(rt.ID, r)
}

func (b *builder) editTGWTable(id string) *model.TGWRouteTable {
	return editObj(b, b.m.TGWRouteTables, id, func(c *model.TGWRouteTable) {
		c.Routes = slices.Clone(c.Routes)
		c.Associations = slices.Clone(c.Associations)
		c.Propagations = slices.Clone(c.Propagations)
	})
}

func (b *builder) editTGWAttachment(id string) *model.TGWAttachment {
	return editObj(b, b.m.TGWAttachments, id, func(c *model.TGWAttachment) { c.Sides = slices.Clone(c.Sides) })
}

// addAttachment puts an attachment in the model and, when it takes the
// gateway's defaults, queues its default association and propagation.
func (b *builder) addAttachment(r *resource, a *model.TGWAttachment, assoc, prop bool) {
	if old := b.m.TGWAttachments[a.ID]; old != nil && a.Association == nil {
		a.Association = old.Association
	}
	b.m.TGWAttachments[a.ID] = a
	b.own(a)
	b.source(a.ID, r)
	d := defaultLink{addr: r.addr, tgw: a.TransitGatewayID, att: a.ID, typ: a.ResourceType, res: a.ResourceID, assoc: assoc, prop: prop}
	for attr, why := range map[string]*string{"transit_gateway_default_route_table_association": &d.assocUnknown, "transit_gateway_default_route_table_propagation": &d.propUnknown} {
		if r.isUnknown(attr) {
			*why = r.addr + " " + attr + " is known only after apply"
		}
	}
	if assoc || prop || d.assocUnknown != "" || d.propUnknown != "" {
		b.tr.defaults = append(b.tr.defaults, d)
	}
}

func (b *builder) tgwAttachment(r *resource) {
	a := &model.TGWAttachment{ID: r.id, TransitGatewayID: b.tid(r, "transit_gateway_id", "aws_ec2_transit_gateway"), ResourceType: model.TGWAttachVPC, ResourceID: b.tid(r, "vpc_id", "aws_vpc"),
		ResourceOwnerID: str(r.vals, "vpc_owner_id"), Region: b.regionOf(r), State: model.TGWAttachmentAvailable, Subnets: b.ids(r, "subnet_ids", false),
		ApplianceMode: enableTri(r.vals, "appliance_mode_support"), DNSSupport: enableTri(r.vals, "dns_support"), IPv6Support: enableTri(r.vals, "ipv6_support"),
		SecurityGroupReferencing: enableTri(r.vals, "security_group_referencing_support"), Tags: tags(r.vals)}
	if a.ApplianceMode == model.Unknown && !r.isUnknown("appliance_mode_support") {
		a.ApplianceMode = model.No // the provider's default
	}
	b.addAttachment(r, a, boolOr(r.vals, "transit_gateway_default_route_table_association", true), boolOr(r.vals, "transit_gateway_default_route_table_propagation", true))
}

// tgwAttachmentAccepter accepts a VPC attachment shared from another
// account; its own default-table flags apply.
func (b *builder) tgwAttachmentAccepter(r *resource) {
	id := b.id(r, "transit_gateway_attachment_id")
	a := b.editTGWAttachment(id)
	if a == nil {
		a = &model.TGWAttachment{ID: id, TransitGatewayID: b.id(r, "transit_gateway_id"), ResourceType: model.TGWAttachVPC, ResourceID: b.id(r, "vpc_id"),
			Region: b.regionOf(r), Subnets: b.ids(r, "subnet_ids", false)}
	}
	a.State = model.TGWAttachmentAvailable
	b.addAttachment(r, a, boolOr(r.vals, "transit_gateway_default_route_table_association", true), boolOr(r.vals, "transit_gateway_default_route_table_propagation", true))
}

// tgwPeering is a transit gateway peering attachment; until accepted it is
// pendingAcceptance, which carries nothing. Peering attachments are never
// associated or propagated by default (Transit Gateways Guide, "Transit
// gateway peering attachments").
func (b *builder) tgwPeering(r *resource) {
	region, peerRegion := b.regionOf(r), str(r.vals, "peer_region")
	if peerRegion == "" {
		peerRegion = region
	}
	tgw, peer := b.id(r, "transit_gateway_id"), b.id(r, "peer_transit_gateway_id")
	a := &model.TGWAttachment{ID: r.id, TransitGatewayID: tgw, ResourceType: model.TGWAttachPeering, ResourceID: peer, ResourceOwnerID: str(r.vals, "peer_account_id"),
		Region: region, State: "pendingAcceptance", Tags: tags(r.vals),
		Sides: []model.TGWPeeringSide{{TransitGatewayID: tgw, Region: region, Role: "requester"}, {TransitGatewayID: peer, Region: peerRegion, OwnerID: str(r.vals, "peer_account_id"), Role: "accepter"}}}
	if old := b.m.TGWAttachments[r.id]; old != nil {
		a.State = old.State
		for i := range a.Sides {
			if s := old.SideOf(a.Sides[i].TransitGatewayID); s != nil {
				a.Sides[i].Association = s.Association
			}
		}
	}
	b.addAttachment(r, a, false, false)
	if a.State != model.TGWAttachmentAvailable {
		accepted := false
		for _, x := range b.p.resources {
			accepted = accepted || (x.typ == "aws_ec2_transit_gateway_peering_attachment_accepter" && b.id(x, "transit_gateway_attachment_id") == a.ID)
		}
		if !accepted {
			b.assume(a.ID, a.ID+" is pending acceptance: the plan holds no aws_ec2_transit_gateway_peering_attachment_accepter for it")
		}
	}
}

func (b *builder) tgwPeeringAccepter(r *resource) {
	id := b.id(r, "transit_gateway_attachment_id")
	a := b.editTGWAttachment(id)
	if a == nil {
		if id == "" {
			b.warn(r.addr, "transit_gateway_attachment_id is unknown: left out")
			return
		}
		tgw, peer := b.id(r, "transit_gateway_id"), b.id(r, "peer_transit_gateway_id")
		a = &model.TGWAttachment{ID: id, TransitGatewayID: tgw, ResourceType: model.TGWAttachPeering, ResourceID: peer, Region: b.regionOf(r),
			Sides: []model.TGWPeeringSide{{TransitGatewayID: tgw, Region: b.regionOf(r), Role: "accepter"}, {TransitGatewayID: peer, Region: str(r.vals, "peer_region"), Role: "requester"}}}
		b.addAttachment(r, a, false, false)
	}
	a.State = model.TGWAttachmentAvailable
	b.touch(r.addr, id)
}

func (b *builder) customerGateway(r *resource) {
	g := &model.CustomerGateway{ID: r.id, State: "available", Type: str(r.vals, "type"), DeviceName: str(r.vals, "device_name"), ASN: int64Of(r.vals, "bgp_asn"), Tags: tags(r.vals)}
	if a, err := netip.ParseAddr(str(r.vals, "ip_address")); err == nil {
		g.IP = a
	}
	b.m.CustomerGateways[g.ID] = g
	b.source(g.ID, r)
}

func (b *builder) vpnGateway(r *resource) {
	g := &model.VPNGateway{ID: r.id, State: "available", Type: "ipsec.1", AZ: str(r.vals, "availability_zone"), ASN: int64Of(r.vals, "amazon_side_asn"), Tags: tags(r.vals)}
	if old := b.m.VPNGateways[r.id]; old != nil {
		g.Attachments = append(g.Attachments, old.Attachments...)
	}
	if v := b.id(r, "vpc_id"); v != "" {
		g.Attachments = []model.VGWAttachment{{VPCID: v, State: "attached"}}
	}
	b.m.VPNGateways[g.ID] = g
	b.own(g)
	b.source(g.ID, r)
}

func (b *builder) vpnGatewayAttachment(r *resource) {
	id := b.id(r, "vpn_gateway_id")
	g := b.m.VPNGateways[id]
	if g == nil {
		b.unresolved(r, "vpn_gateway_id", id, model.KindVPNGateway)
		return
	}
	g = editObj(b, b.m.VPNGateways, id, func(c *model.VPNGateway) { c.Attachments = slices.Clone(c.Attachments) })
	vpc := b.tid(r, "vpc_id", "aws_vpc")
	for _, a := range g.Attachments {
		if a.VPCID == vpc {
			return
		}
	}
	g.Attachments = append(g.Attachments, model.VGWAttachment{VPCID: vpc, State: "attached"})
	b.touch(r.addr, id, vpc)
}

// vpnConnection is a Site-to-Site VPN on a virtual private gateway or a
// transit gateway; on a transit gateway it makes an attachment of type vpn
// that takes the gateway's default association and propagation. Tunnel
// status exists only after apply.
func (b *builder) vpnConnection(r *resource) {
	c := &model.VPNConnection{ID: r.id, State: "available", Type: str(r.vals, "type"), CustomerGatewayID: b.id(r, "customer_gateway_id"),
		VPNGatewayID: b.id(r, "vpn_gateway_id"), TransitGatewayID: b.id(r, "transit_gateway_id"), Tags: tags(r.vals)}
	if v, ok := r.vals["static_routes_only"].(bool); ok {
		c.StaticRoutesOnly = model.TriOf(v)
	}
	for name, dst := range map[string]*netip.Prefix{"local_ipv4_network_cidr": &c.LocalNetworkCIDR, "remote_ipv4_network_cidr": &c.RemoteNetworkCIDR} {
		if p, err := parsePrefix(str(r.vals, name)); err == nil {
			*dst = p
		}
	}
	if old := b.m.VPNConnections[r.id]; old != nil {
		c.Routes, c.Tunnels, c.TunnelsKnown = old.Routes, old.Tunnels, old.TunnelsKnown
	} else {
		b.assume(c.ID, "the tunnels of "+c.ID+" come up only after apply: whether one is UP is unknown")
	}
	b.m.VPNConnections[c.ID] = c
	b.own(c)
	b.source(c.ID, r)
	if c.TransitGatewayID != "" {
		att := str(r.vals, "transit_gateway_attachment_id")
		if att == "" || r.isUnknown("transit_gateway_attachment_id") {
			att = placeholder("tgw-attach", r.addr)
		}
		b.addAttachment(r, &model.TGWAttachment{ID: att, TransitGatewayID: c.TransitGatewayID, ResourceType: model.TGWAttachVPN, ResourceID: c.ID,
			Region: b.regionOf(r), State: model.TGWAttachmentAvailable}, true, true)
	}
}

func (b *builder) vpnConnectionRoute(r *resource) {
	id := b.id(r, "vpn_connection_id")
	c := b.m.VPNConnections[id]
	if c == nil {
		b.unresolved(r, "vpn_connection_id", id, model.KindVPNConnection)
		return
	}
	sr := model.VPNStaticRoute{State: "available", Source: r.addr}
	if r.isUnknown("destination_cidr_block") {
		sr.Unknown = r.addr + " destination_cidr_block is known only after apply"
	} else if p, err := parsePrefix(str(r.vals, "destination_cidr_block")); err != nil {
		b.fail(r.addr, "destination_cidr_block: %v", err)
		return
	} else {
		sr.Dest = p
	}
	c = editObj(b, b.m.VPNConnections, id, func(x *model.VPNConnection) { x.Routes = slices.Clone(x.Routes) })
	c.Routes = append(c.Routes, sr)
	b.touch(r.addr, id)
}

func (b *builder) dxGateway(r *resource) {
	g := &model.DXGateway{ID: r.id, Name: str(r.vals, "name"), ASN: int64Of(r.vals, "amazon_side_asn"), OwnerAccount: str(r.vals, "owner_account_id"),
		State: "available", AssociationsKnown: true}
	if old := b.m.DXGateways[r.id]; old != nil {
		g.Associations = append(g.Associations, old.Associations...)
	}
	b.m.DXGateways[g.ID] = g
	b.own(g)
	b.source(g.ID, r)
}

// dxAssociation associates a Direct Connect gateway with a virtual private
// gateway or a transit gateway; with a transit gateway it makes an
// attachment of type direct-connect-gateway.
func (b *builder) dxAssociation(r *resource) {
	id := b.tid(r, "dx_gateway_id", "aws_dx_gateway")
	g := b.m.DXGateways[id]
	if g == nil {
		b.unresolved(r, "dx_gateway_id", id, model.KindDXGateway)
		return
	}
	gw := b.tid(r, "associated_gateway_id", "aws_ec2_transit_gateway", "aws_vpn_gateway")
	if gw == "" {
		gw = b.id(r, "vpn_gateway_id")
	}
	a := model.DXGatewayAssociation{ID: str(r.vals, "dx_gateway_association_id"), GatewayID: gw, GatewayOwnerAccount: str(r.vals, "associated_gateway_owner_account_id"),
		State: "associated", Source: r.addr}
	switch {
	case b.m.TransitGateways[gw] != nil || strings.HasPrefix(gw, "tgw-"):
		a.GatewayType = "transitGateway"
	case b.m.VPNGateways[gw] != nil || strings.HasPrefix(gw, "vgw-"):
		a.GatewayType = "virtualPrivateGateway"
	}
	for _, c := range strs(r.vals, "allowed_prefixes") {
		if p, err := parsePrefix(c); err == nil {
			a.AllowedPrefixes = append(a.AllowedPrefixes, p)
		}
	}
	g = editObj(b, b.m.DXGateways, id, func(c *model.DXGateway) { c.Associations = slices.Clone(c.Associations) })
	g.Associations = append(g.Associations, a)
	b.touch(r.addr, id, gw)
	if a.GatewayType == "transitGateway" {
		att := str(r.vals, "transit_gateway_attachment_id")
		if att == "" || r.isUnknown("transit_gateway_attachment_id") {
			att = placeholder("tgw-attach", r.addr)
		}
		b.addAttachment(r, &model.TGWAttachment{ID: att, TransitGatewayID: gw, ResourceType: model.TGWAttachDXGateway, ResourceID: id,
			Region: b.regionOf(r), State: model.TGWAttachmentAvailable}, true, true)
	}
}

// tgwSub applies a transit gateway route, prefix-list reference,
// association or propagation (add), or removes a deleted one.
func (b *builder) tgwSub(r *resource, add bool) {
	rtID := b.tid(r, "transit_gateway_route_table_id", "aws_ec2_transit_gateway_route_table")
	if b.m.TGWRouteTables[rtID] == nil {
		if add {
			b.unresolved(r, "transit_gateway_route_table_id", rtID, model.KindTGWRouteTable)
		}
		return
	}
	rt := b.editTGWTable(rtID)
	att := b.tid(r, "transit_gateway_attachment_id", "aws_ec2_transit_gateway_vpc_attachment", "aws_ec2_transit_gateway_peering_attachment")
	b.touch(r.addr, rtID)
	switch r.typ {
	case "aws_ec2_transit_gateway_route", "aws_ec2_transit_gateway_prefix_list_reference":
		x := model.TGWRoute{Type: model.TGWRouteStatic, State: model.TGWRouteActive, Source: r.addr}
		var why []string
		if r.typ == "aws_ec2_transit_gateway_route" {
			if r.isUnknown("destination_cidr_block") {
				why = append(why, r.addr+" destination_cidr_block is known only after apply")
			} else if p, err := parsePrefix(str(r.vals, "destination_cidr_block")); err != nil {
				b.fail(r.addr, "destination_cidr_block: %v", err)
				return
			} else {
				x.Dest = p
			}
		} else if x.DestPrefixList = b.id(r, "prefix_list_id"); x.DestPrefixList == "" {
			why = append(why, r.addr+" prefix_list_id is known only after apply and references nothing")
		}
		if len(why) == 0 {
			rt.Routes = slices.DeleteFunc(rt.Routes, func(y model.TGWRoute) bool { return y.DestString() == x.DestString() && y.Type == model.TGWRouteStatic })
		}
		if !add {
			return
		}
		switch {
		case r.isUnknown("blackhole"):
			why = append(why, r.addr+" blackhole is known only after apply")
			if att != "" {
				x.Attachments = []string{att}
			}
		case boolOr(r.vals, "blackhole", false):
			x.State = model.TGWRouteBlackhole
		case att != "":
			x.Attachments = []string{att}
		default:
			why = append(why, r.addr+" transit_gateway_attachment_id is known only after apply and references nothing")
		}
		x.Unknown = strings.Join(why, "; ")
		rt.Routes = append(rt.Routes, x)
	case "aws_ec2_transit_gateway_route_table_association", "aws_ec2_transit_gateway_route_table_propagation":
		prop := r.typ == "aws_ec2_transit_gateway_route_table_propagation"
		list := &rt.Associations
		if prop {
			list = &rt.Propagations
		}
		*list = withoutLink(*list, att)
		a := b.m.TGWAttachments[att]
		if !add {
			if !prop && a != nil && a.Association != nil && a.Association.RouteTableID == rtID {
				a = b.editTGWAttachment(att)
				a.Association = nil
			}
			return
		}
		link := model.TGWRouteTableLink{AttachmentID: att, State: "associated", Source: r.addr}
		if prop {
			link.State = "enabled"
			b.tr.newProps[rtID] = append(b.tr.newProps[rtID], link)
		}
		if a != nil {
			link.ResourceType, link.ResourceID = a.ResourceType, a.ResourceID
		} else if att == "" {
			// Kept: which attachment it links is undecided, not absent.
			link.Unknown = r.addr + " transit_gateway_attachment_id is known only after apply and references nothing"
			b.warn(r.addr, "transit_gateway_attachment_id is unknown until apply and ties to no resource of the plan: kept as an undecided link")
			*list = append(*list, link)
			return
		} else {
			b.unresolved(r, "transit_gateway_attachment_id", att, model.KindTGWAttachment)
		}
		*list = append(*list, link)
		if !prop {
			b.tr.linked[[2]string{rt.TransitGatewayID, att}] = r.addr
			b.setAssociation(att, rt.TransitGatewayID, rtID)
		}
	}
}

// setAssociation records on the attachment (or its side, for a peering
// attachment) the table it is associated with.
func (b *builder) setAssociation(att, tgw, rtID string) {
	a := b.editTGWAttachment(att)
	if a == nil {
		return
	}
	as := &model.TGWAssociation{RouteTableID: rtID, State: "associated"}
	if s := a.SideOf(tgw); s != nil {
		s.Association = as
	}
	if a.TransitGatewayID == tgw {
		a.Association = as
	}
}

// withoutLink returns ls without attachment att's link.
func withoutLink(ls []model.TGWRouteTableLink, att string) []model.TGWRouteTableLink {
	return slices.DeleteFunc(slices.Clone(ls), func(l model.TGWRouteTableLink) bool { return l.AttachmentID == att })
}

// tgwDefaults associates and propagates the attachments that take their
// gateway's defaults (Transit Gateways Guide, "Default route table"): an
// explicit association in the plan wins (AWS would refuse the second one
// without replace_existing_association).
func (b *builder) tgwDefaults() {
	for _, d := range b.tr.defaults {
		g := b.m.TransitGateways[d.tgw]
		if g == nil {
			continue
		}
		// Either flag undecided (the gateway's option or the attachment's)
		// leaves the link in place, marked undecided.
		assocWhy, propWhy := d.assocUnknown, d.propUnknown
		if g.DefaultAssociation == model.Unknown && g.AssociationDefaultRouteTableID != "" {
			assocWhy = b.m.Sources[g.ID] + " default_route_table_association is known only after apply"
		}
		if g.DefaultPropagation == model.Unknown && g.PropagationDefaultRouteTableID != "" {
			propWhy = b.m.Sources[g.ID] + " default_route_table_propagation is known only after apply"
		}
		if (d.assoc || d.assocUnknown != "") && (g.DefaultAssociation == model.Yes || assocWhy != "") && g.AssociationDefaultRouteTableID != "" {
			if by := b.tr.linked[[2]string{d.tgw, d.att}]; by != "" {
				if assocWhy == "" {
					b.warn(by, "%s is already associated with %s's default route table (default association is on): apply fails unless replace_existing_association is set; the explicit association is used", d.att, d.tgw)
				}
			} else if rt := b.editTGWTable(g.AssociationDefaultRouteTableID); rt != nil {
				rt.Associations = append(withoutLink(rt.Associations, d.att), model.TGWRouteTableLink{AttachmentID: d.att, ResourceType: d.typ, ResourceID: d.res, State: "associated", Source: d.addr, Unknown: assocWhy})
				b.setAssociation(d.att, d.tgw, rt.ID)
				if assocWhy != "" {
					b.m.TGWAttachments[d.att].Association.Unknown = assocWhy
				}
			}
		}
		if (d.prop || d.propUnknown != "") && (g.DefaultPropagation == model.Yes || propWhy != "") && g.PropagationDefaultRouteTableID != "" {
			if rt := b.editTGWTable(g.PropagationDefaultRouteTableID); rt != nil {
				link := model.TGWRouteTableLink{AttachmentID: d.att, ResourceType: d.typ, ResourceID: d.res, State: "enabled", Source: d.addr, Unknown: propWhy}
				rt.Propagations = append(withoutLink(rt.Propagations, d.att), link)
				b.tr.newProps[rt.ID] = append(b.tr.newProps[rt.ID], link)
			}
		}
	}
}

// transitAfter runs once the VPC route tables are final: virtual private
// gateway route propagation into them, and the propagated routes of the
// transit gateway route tables.
func (b *builder) transitAfter() {
	if b.tr == nil {
		return
	}
	if b.base == nil {
		for _, k := range []model.Kind{model.KindTGWRouteTable, model.KindVPNGateway, model.KindVPNConnection, model.KindCustomerGateway, model.KindDXGateway} {
			b.m.Present[k] = true
		}
	}
	for _, r := range b.p.resources {
		switch r.typ {
		case "aws_vpn_gateway_route_propagation":
			b.vgwPropagation(r, b.id(r, "vpn_gateway_id"), b.tid(r, "route_table_id", "aws_route_table"))
		case "aws_route_table":
			for _, vgw := range b.ids(r, "propagating_vgws", false) {
				b.vgwPropagation(r, vgw, r.id)
			}
		}
	}
	for _, id := range model.SortedKeys(b.m.TGWRouteTables) {
		rt := b.m.TGWRouteTables[id]
		var bgp []string
		switch {
		case b.tr.madeTables[id]:
			bgp = b.m.DerivePropagatedRoutes(rt)
		case len(b.tr.newProps[id]) > 0:
			// A loaded table gains propagations: derive their routes only.
			rt = b.editTGWTable(id)
			tmp := &model.TGWRouteTable{Routes: rt.Routes, Propagations: b.tr.newProps[id]}
			bgp = b.m.DerivePropagatedRoutes(tmp)
			rt.Routes = tmp.Routes
		}
		for _, s := range bgp {
			b.assume(id, s+" (a plan holds only static routes and propagations)")
		}
	}
}

// vgwPropagation puts a virtual private gateway's routes in a VPC route
// table, with Origin EnableVgwRoutePropagation (VPC guide, "Route
// priority"; Site-to-Site VPN guide, "Route tables and VPN route
// priority"): each static route of its static VPN connections; what a BGP
// connection learns is in no plan, which an assumption says.
func (b *builder) vgwPropagation(r *resource, vgw, rtID string) {
	if b.m.RouteTables[rtID] == nil {
		b.unresolved(r, "route_table_id", rtID, model.KindRouteTable)
		return
	}
	if b.m.VPNGateways[vgw] == nil {
		b.unresolved(r, "vpn_gateway_id", vgw, model.KindVPNGateway)
	}
	b.touch(r.addr, rtID, vgw)
	for _, cid := range model.SortedKeys(b.m.VPNConnections) {
		c := b.m.VPNConnections[cid]
		if c.VPNGatewayID != vgw {
			continue
		}
		if c.StaticRoutesOnly != model.Yes {
			b.assume(rtID, fmt.Sprintf("routes %s learns by BGP over %s are propagated into %s after apply; the plan holds none of them", vgw, cid, rtID))
			if c.StaticRoutesOnly == model.No {
				continue
			}
		}
		for _, sr := range c.Routes {
			why := sr.Unknown
			if c.StaticRoutesOnly == model.Unknown {
				why = strings.TrimPrefix(why+"; "+cid+" static_routes_only is known only after apply", "; ")
			}
			b.editRT(rtID, func(t *model.RouteTable) {
				for _, x := range t.Routes {
					if x.Dest == sr.Dest && x.Target.ID == vgw && x.Propagated() && x.Unknown == why && why == "" {
						return
					}
				}
				t.Routes = append(t.Routes, model.Route{Dest: sr.Dest, Target: model.Target{Kind: model.TargetVPNGateway, ID: vgw}, Origin: "EnableVgwRoutePropagation", Source: r.addr, Unknown: why})
			})
		}
	}
}

// unresolved records a reference the model cannot follow: an ID not in the
// model is dangling; an ID unknown until apply that ties to nothing is a
// warning (the resource is left out).
func (b *builder) unresolved(r *resource, attr, id string, kind model.Kind) {
	if id == "" {
		b.warn(r.addr, "%s is unknown until apply and ties to no resource of the plan: left out", attr)
		return
	}
	b.dangling(r, attr, id, kind)
}
