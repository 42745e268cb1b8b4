package snapshot

// References between resources: which field of which kind names which
// other kind, as one table that checkRefs walks.

import "github.com/vpcpath/vpcpath/model"

// ref is one ID a field holds.
type ref struct {
	id string
	// kind, when set, is the kind this ID names instead of the check's
	// target (a route's target is a NAT gateway, an internet gateway, ...).
	kind model.Kind
	// field, when set, is the field instead of the check's (a route is
	// named by its destination: "Routes (0.0.0.0/0)").
	field string
}

// refCheck is one referring field of a kind: the IDs it holds for a
// resource, and the kind they name.
type refCheck struct {
	// field is written after "Kind (id).": "VpcId", "Associations.SubnetId".
	field  string
	target model.Kind
	refs   func(l *loader, id string) []ref
	// kind, when set, is the referring kind as the field is written,
	// instead of the source's (an attachment's subnets are written as
	// TransitGatewayVpcAttachments, the file that holds them).
	kind string
}

// refSource is a kind of resource that refers to others, with its checks
// in the order they are reported.
type refSource struct {
	// kind is the kind as define records its files and as the fields are
	// written: "RouteTables".
	kind string
	ids  func(m *model.Model) []string // the resources, sorted
	// file is where a resource was read; nil is the file define recorded.
	file func(l *loader, id string) string
	// skip leaves a resource out of every check of the source.
	skip   func(l *loader, id string) bool
	checks []refCheck
}

// idsOf is a refSource's lister for one of the model's maps.
func idsOf[V any](get func(m *model.Model) map[string]V) func(m *model.Model) []string {
	return func(m *model.Model) []string { return model.SortedKeys(get(m)) }
}

// refOne is a getter for a field holding one ID.
func refOne(get func(l *loader, id string) string) func(l *loader, id string) []ref {
	return func(l *loader, id string) []ref { return []ref{{id: get(l, id)}} }
}

// refMany is a getter for a field holding a list of IDs.
func refMany(get func(l *loader, id string) []string) func(l *loader, id string) []ref {
	return func(l *loader, id string) []ref {
		var out []ref
		for _, s := range get(l, id) {
			out = append(out, ref{id: s})
		}
		return out
	}
}

// routeTargets is the getter for the targets of a route table's routes
// whose target kind is among kinds. Blackhole routes may name deleted
// targets (that is what blackhole means): they are not checked.
func routeTargets(kinds map[model.TargetKind]model.Kind) func(l *loader, id string) []ref {
	return func(l *loader, id string) []ref {
		var out []ref
		for _, r := range l.m.RouteTables[id].Routes {
			if k, ok := kinds[r.Target.Kind]; ok && !r.Blackhole {
				out = append(out, ref{id: r.Target.ID, kind: k, field: "Routes (" + r.DestString() + ")"})
			}
		}
		return out
	}
}

// holds is an exists lookup in one of the model's maps.
func holds[V any](get func(m *model.Model) map[string]V) func(m *model.Model, id string) bool {
	return func(m *model.Model, id string) bool { _, ok := get(m)[id]; return ok }
}

// exists reports whether the model holds id of kind k.
var exists = map[model.Kind]func(m *model.Model, id string) bool{
	model.KindVPC:             holds(func(m *model.Model) map[string]*model.VPC { return m.VPCs }),
	model.KindSubnet:          holds(func(m *model.Model) map[string]*model.Subnet { return m.Subnets }),
	model.KindSecurityGroup:   holds(func(m *model.Model) map[string]*model.SecurityGroup { return m.SecurityGroups }),
	model.KindRouteTable:      holds(func(m *model.Model) map[string]*model.RouteTable { return m.RouteTables }),
	model.KindENI:             holds(func(m *model.Model) map[string]*model.ENI { return m.ENIs }),
	model.KindNATGateway:      holds(func(m *model.Model) map[string]*model.NATGateway { return m.NATGateways }),
	model.KindInternetGateway: holds(func(m *model.Model) map[string]*model.InternetGateway { return m.InternetGateways }),
	model.KindVPCEndpoint:     holds(func(m *model.Model) map[string]*model.VPCEndpoint { return m.Endpoints }),
	model.KindPeering:         holds(func(m *model.Model) map[string]*model.Peering { return m.Peerings }),
	model.KindTransitGateway:  holds(func(m *model.Model) map[string]*model.TransitGateway { return m.TransitGateways }),
	model.KindTGWAttachment:   holds(func(m *model.Model) map[string]*model.TGWAttachment { return m.TGWAttachments }),
	model.KindTGWRouteTable:   holds(func(m *model.Model) map[string]*model.TGWRouteTable { return m.TGWRouteTables }),
	model.KindVPNGateway:      holds(func(m *model.Model) map[string]*model.VPNGateway { return m.VPNGateways }),
	model.KindVPNConnection:   holds(func(m *model.Model) map[string]*model.VPNConnection { return m.VPNConnections }),
	model.KindCustomerGateway: holds(func(m *model.Model) map[string]*model.CustomerGateway { return m.CustomerGateways }),
	model.KindDXGateway:       holds(func(m *model.Model) map[string]*model.DXGateway { return m.DXGateways }),
}

// refSources are the references a snapshot's resources hold, in the
// order checkRefs reports them: the VPC's own resources, then transit.
var refSources = []refSource{
	{kind: "Subnets", ids: idsOf(func(m *model.Model) map[string]*model.Subnet { return m.Subnets }), checks: []refCheck{
		{field: "VpcId", target: model.KindVPC, refs: refOne(func(l *loader, id string) string { return l.m.Subnets[id].VPCID })},
	}},
	{kind: "RouteTables", ids: idsOf(func(m *model.Model) map[string]*model.RouteTable { return m.RouteTables }), checks: []refCheck{
		{field: "VpcId", target: model.KindVPC, refs: refOne(func(l *loader, id string) string { return l.m.RouteTables[id].VPCID })},
		{field: "Associations.SubnetId", target: model.KindSubnet, refs: refMany(func(l *loader, id string) []string { return l.m.RouteTables[id].Subnets })},
		{refs: routeTargets(map[model.TargetKind]model.Kind{
			model.TargetNAT: model.KindNATGateway, model.TargetIGW: model.KindInternetGateway,
			model.TargetVPCEndpoint: model.KindVPCEndpoint, model.TargetPeering: model.KindPeering})},
	}},
	{kind: "NetworkAcls", ids: idsOf(func(m *model.Model) map[string]*model.NetworkACL { return m.NetworkACLs }), checks: []refCheck{
		{field: "VpcId", target: model.KindVPC, refs: refOne(func(l *loader, id string) string { return l.m.NetworkACLs[id].VPCID })},
		{field: "Associations.SubnetId", target: model.KindSubnet, refs: refMany(func(l *loader, id string) []string { return l.m.NetworkACLs[id].Subnets })},
	}},
	{kind: "NetworkInterfaces", ids: idsOf(func(m *model.Model) map[string]*model.ENI { return m.ENIs }), checks: []refCheck{
		{field: "SubnetId", target: model.KindSubnet, refs: refOne(func(l *loader, id string) string { return l.m.ENIs[id].SubnetID })},
		{field: "Groups", target: model.KindSecurityGroup, refs: refMany(func(l *loader, id string) []string { return l.m.ENIs[id].Groups })},
	}},
	{kind: "VpcEndpoints", ids: idsOf(func(m *model.Model) map[string]*model.VPCEndpoint { return m.Endpoints }), checks: []refCheck{
		{field: "VpcId", target: model.KindVPC, refs: refOne(func(l *loader, id string) string { return l.m.Endpoints[id].VPCID })},
		{field: "SubnetIds", target: model.KindSubnet, refs: refMany(func(l *loader, id string) []string { return l.m.Endpoints[id].Subnets })},
		{field: "RouteTableIds", target: model.KindRouteTable, refs: refMany(func(l *loader, id string) []string { return l.m.Endpoints[id].RouteTables })},
		{field: "NetworkInterfaceIds", target: model.KindENI, refs: refMany(func(l *loader, id string) []string { return l.m.Endpoints[id].ENIs })},
	}},
	{kind: "NatGateways", ids: idsOf(func(m *model.Model) map[string]*model.NATGateway { return m.NATGateways }),
		// A deleted or failed NAT gateway may name a subnet that is gone.
		skip: func(l *loader, id string) bool {
			st := l.m.NATGateways[id].State
			return st == "deleted" || st == "failed"
		},
		checks: []refCheck{
			{field: "SubnetId", target: model.KindSubnet, refs: refOne(func(l *loader, id string) string { return l.m.NATGateways[id].SubnetID })},
		}},
	{kind: "InternetGateways", ids: idsOf(func(m *model.Model) map[string]*model.InternetGateway { return m.InternetGateways }), checks: []refCheck{
		{field: "Attachments.VpcId", target: model.KindVPC, refs: refMany(func(l *loader, id string) []string { return l.m.InternetGateways[id].VPCs })},
	}},

	// Transit: routes to transit and virtual private gateways, and what
	// attachments, route tables, VPN connections and Direct Connect
	// interfaces name.
	{kind: "RouteTables", ids: idsOf(func(m *model.Model) map[string]*model.RouteTable { return m.RouteTables }), checks: []refCheck{
		{refs: routeTargets(map[model.TargetKind]model.Kind{
			model.TargetTransitGateway: model.KindTransitGateway, model.TargetVPNGateway: model.KindVPNGateway})},
	}},
	{kind: "TransitGatewayAttachments", ids: idsOf(func(m *model.Model) map[string]*model.TGWAttachment { return m.TGWAttachments }),
		file: func(l *loader, id string) string {
			for _, k := range []string{"TransitGatewayAttachments", "TransitGatewayVpcAttachments"} {
				if f := l.fileOf(k, id); f != "" {
					return f
				}
			}
			return l.fileOf("TransitGatewayPeeringAttachments", id)
		},
		checks: []refCheck{
			{field: "TransitGatewayId", target: model.KindTransitGateway, refs: refOne(func(l *loader, id string) string { return l.m.TGWAttachments[id].TransitGatewayID })},
			// A VPC of an account whose folder the snapshot lacks is not
			// expected among its VPCs.
			{field: "ResourceId", target: model.KindVPC, refs: func(l *loader, id string) []ref {
				if a := l.m.TGWAttachments[id]; l.vpcAttachmentSeen(a) {
					return []ref{{id: a.ResourceID}}
				}
				return nil
			}},
			{kind: "TransitGatewayVpcAttachments", field: "SubnetIds", target: model.KindSubnet, refs: refMany(func(l *loader, id string) []string {
				if a := l.m.TGWAttachments[id]; l.vpcAttachmentSeen(a) {
					return a.Subnets
				}
				return nil
			})},
			{field: "ResourceId", target: model.KindVPNConnection, refs: func(l *loader, id string) []ref {
				if a := l.m.TGWAttachments[id]; a.ResourceType == model.TGWAttachVPN {
					return []ref{{id: a.ResourceID}}
				}
				return nil
			}},
			// The table of a transit gateway of an account the snapshot
			// lacks is not expected among its tables.
			{field: "Association.TransitGatewayRouteTableId", target: model.KindTGWRouteTable, refs: func(l *loader, id string) []ref {
				a := l.m.TGWAttachments[id]
				if a.Association != nil && (a.TransitGatewayOwnerID == "" || l.accountSeen(a.TransitGatewayOwnerID)) {
					return []ref{{id: a.Association.RouteTableID}}
				}
				return nil
			}},
		}},
	{kind: "TransitGatewayRouteTables", ids: idsOf(func(m *model.Model) map[string]*model.TGWRouteTable { return m.TGWRouteTables }),
		skip: (*loader).undescribedTGWTable,
		checks: []refCheck{
			{field: "TransitGatewayId", target: model.KindTransitGateway, refs: refOne(func(l *loader, id string) string { return l.m.TGWRouteTables[id].TransitGatewayID })},
			{target: model.KindTGWAttachment, refs: func(l *loader, id string) []ref {
				var out []ref
				for _, r := range l.m.TGWRouteTables[id].Routes {
					for _, att := range r.Attachments {
						out = append(out, ref{id: att, field: "Routes (" + r.DestString() + ").TransitGatewayAttachmentId"})
					}
				}
				return out
			}},
		}},
	{kind: "VpnConnections", ids: idsOf(func(m *model.Model) map[string]*model.VPNConnection { return m.VPNConnections }), checks: []refCheck{
		{field: "CustomerGatewayId", target: model.KindCustomerGateway, refs: refOne(func(l *loader, id string) string { return l.m.VPNConnections[id].CustomerGatewayID })},
		// A deleted connection's gateways may be gone too.
		{field: "VpnGatewayId", target: model.KindVPNGateway, refs: refOne(func(l *loader, id string) string {
			return live(l.m.VPNConnections[id], l.m.VPNConnections[id].VPNGatewayID)
		})},
		{field: "TransitGatewayId", target: model.KindTransitGateway, refs: refOne(func(l *loader, id string) string {
			return live(l.m.VPNConnections[id], l.m.VPNConnections[id].TransitGatewayID)
		})},
	}},
	{kind: "VpnGateways", ids: idsOf(func(m *model.Model) map[string]*model.VPNGateway { return m.VPNGateways }), checks: []refCheck{
		{field: "VpcAttachments.VpcId", target: model.KindVPC, refs: refMany(func(l *loader, id string) []string {
			var out []string
			for _, a := range l.m.VPNGateways[id].Attachments {
				if a.State == "attached" {
					out = append(out, a.VPCID)
				}
			}
			return out
		})},
	}},
	{kind: "virtualInterfaces", ids: idsOf(func(m *model.Model) map[string]*model.VirtualInterface { return m.VirtualInterfaces }), checks: []refCheck{
		{field: "virtualGatewayId", target: model.KindVPNGateway, refs: refOne(func(l *loader, id string) string { return l.m.VirtualInterfaces[id].VPNGatewayID })},
		{field: "directConnectGatewayId", target: model.KindDXGateway, refs: refOne(func(l *loader, id string) string { return l.m.VirtualInterfaces[id].DXGatewayID })},
	}},
}

// live is id, or "" (no reference) for a deleted VPN connection.
func live(c *model.VPNConnection, id string) string {
	if c.State == "deleted" {
		return ""
	}
	return id
}

// vpcAttachmentSeen reports whether a is a VPC attachment whose VPC the
// snapshot is expected to hold (its owner's account folder is there).
func (l *loader) vpcAttachmentSeen(a *model.TGWAttachment) bool {
	return a.ResourceType == model.TGWAttachVPC && (a.ResourceOwnerID == "" || l.accountSeen(a.ResourceOwnerID))
}

// undescribedTGWTable reports whether the transit gateway route table id
// is only mentioned (by routes, associations or propagations files) and
// not described; when the snapshot describes tables, the mention is then
// itself the dangling reference.
func (l *loader) undescribedTGWTable(id string) bool {
	if l.fileOf("TransitGatewayRouteTables", id) != "" {
		return false
	}
	if l.m.Present[model.KindTGWRouteTable] {
		l.m.Dangling = append(l.m.Dangling, model.Dangling{Origin: l.fileOf("tgw-rtb-mentioned", id), Field: "TransitGatewayRouteTableId", ID: id, Kind: model.KindTGWRouteTable})
	}
	return true
}

// checkRefs records dangling references in the model, walking refSources.
// A reference is dangling when the snapshot describes the referenced kind
// but holds no resource with that ID. Real snapshots have them: boto
// recordings of filtered describe calls, hand-trimmed demos, even
// Batfish's test snapshots. So they are not fatal at load time: they are
// warnings naming the file and field, and a trace that needs the missing
// resource answers unknown (or, when the question itself names it, fails
// with the same file and field). When the kind was not described at all
// the reference is a gap in the data, recorded nowhere: traces that need
// it answer unknown.
func (l *loader) checkRefs() {
	m := l.m
	for _, src := range refSources {
		for _, id := range src.ids(m) {
			if src.skip != nil && src.skip(l, id) {
				continue
			}
			file := l.fileOf(src.kind, id)
			if src.file != nil {
				file = src.file(l, id)
			}
			for _, c := range src.checks {
				for _, r := range c.refs(l, id) {
					kind, fieldName, from := c.target, c.field, src.kind
					if r.kind != "" {
						kind = r.kind
					}
					if r.field != "" {
						fieldName = r.field
					}
					if c.kind != "" {
						from = c.kind
					}
					if r.id == "" || !m.Present[kind] || exists[kind](m, r.id) {
						continue
					}
					m.Dangling = append(m.Dangling, model.Dangling{Origin: file, Field: from + " (" + id + ")." + fieldName, ID: r.id, Kind: kind})
				}
			}
		}
	}
}
