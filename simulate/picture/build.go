package picture

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// Special node IDs.
const (
	InternetID   = "internet"
	OnPremisesID = "on-premises"
)

// builder fills a Graph from a model.
type builder struct {
	m *model.Model
	g *Graph
}

// Build returns the resource topology of m (read-only).
func Build(m *model.Model) *Graph { return build(m).g }

func build(m *model.Model) *builder {
	b := &builder{m: m, g: newGraph()}
	for _, id := range model.SortedKeys(m.VPCs) {
		b.vpc(id)
	}
	for _, id := range model.SortedKeys(m.Subnets) {
		b.subnet(m.Subnets[id])
	}
	// Route targets first, so a route finds the node of what it targets.
	for _, id := range model.SortedKeys(m.InternetGateways) {
		b.internetGateway(m.InternetGateways[id])
	}
	for _, id := range model.SortedKeys(m.NATGateways) {
		b.natGateway(m.NATGateways[id])
	}
	for _, id := range model.SortedKeys(m.Endpoints) {
		b.endpoint(m.Endpoints[id])
	}
	for _, id := range model.SortedKeys(m.Peerings) {
		b.peering(m.Peerings[id])
	}
	for _, id := range model.SortedKeys(m.TransitGateways) {
		b.transitGateway(id)
	}
	for _, id := range model.SortedKeys(m.TGWAttachments) {
		b.tgwAttachment(m.TGWAttachments[id])
	}
	for _, id := range model.SortedKeys(m.TGWRouteTables) {
		b.tgwRouteTable(m.TGWRouteTables[id])
	}
	for _, id := range model.SortedKeys(m.VPNGateways) {
		b.vpnGateway(m.VPNGateways[id])
	}
	for _, id := range model.SortedKeys(m.VPNConnections) {
		b.vpnConnection(m.VPNConnections[id])
	}
	for _, id := range model.SortedKeys(m.DXGateways) {
		b.dxGateway(m.DXGateways[id])
	}
	for _, id := range model.SortedKeys(m.VirtualInterfaces) {
		b.virtualInterface(m.VirtualInterfaces[id])
	}
	for _, id := range model.SortedKeys(m.RouteTables) {
		b.routeTable(m.RouteTables[id])
	}
	return b
}

// vpc adds a VPC's node (the VPC and its router) and returns it.
func (b *builder) vpc(id string) *Node {
	if n := b.g.nodes[id]; n != nil {
		return n
	}
	n := &Node{ID: id, Kind: KindVPC}
	if v := b.m.VPCs[id]; v != nil {
		n.Name, n.Account, n.Region = v.Tags.Name(), v.OwnerID, v.Region
		var cidrs []string
		for _, c := range append(append([]netip.Prefix(nil), v.CIDRs...), v.IPv6CIDRs...) {
			cidrs = append(cidrs, c.String())
		}
		if v.CIDRsIncomplete {
			cidrs = append(cidrs, "?")
		}
		n.Detail = strings.Join(cidrs, " ")
	} else {
		n.Note = "not in the model"
	}
	if n.Region == "" {
		n.Region = b.m.VPCRegion[id]
	}
	n.VPC = id
	return b.g.add(n)
}

// inVPC is a node placed in vpcID's account, region and VPC.
func (b *builder) inVPC(id string, kind Kind, vpcID string, tags model.Tags) *Node {
	if n := b.g.nodes[id]; n != nil {
		return n
	}
	n := &Node{ID: id, Kind: kind, Name: tags.Name()}
	if vpcID != "" {
		v := b.vpc(vpcID)
		n.Account, n.Region, n.VPC = v.Account, v.Region, vpcID
	}
	return b.g.add(n)
}

func (b *builder) subnet(s *model.Subnet) {
	n := b.inVPC(s.ID, KindSubnet, s.VPCID, s.Tags)
	var d []string
	if s.CIDR.IsValid() {
		d = append(d, s.CIDR.String())
	}
	for _, c := range s.IPv6CIDRs {
		d = append(d, c.String())
	}
	if s.AZ != "" {
		d = append(d, s.AZ)
	}
	n.Detail = strings.Join(d, " ")
	if rt, explicit := b.m.SubnetRouteTable(s.ID); rt != nil {
		b.inVPC(rt.ID, KindRouteTable, rt.VPCID, rt.Tags)
		label := ""
		if !explicit {
			label = "main"
		}
		b.g.link(Edge{From: s.ID, To: rt.ID, Kind: EdgeAssociation, Label: label, State: Active})
	}
	if acl, explicit := b.m.SubnetACL(s.ID); acl != nil {
		b.inVPC(acl.ID, KindNetworkACL, acl.VPCID, acl.Tags)
		label := ""
		if !explicit {
			label = "default"
		}
		b.g.link(Edge{From: s.ID, To: acl.ID, Kind: EdgeAssociation, Label: label, State: Active})
	}
}

// target returns the node a VPC route target stands for, adding it when
// the model does not hold it (noted as such).
func (b *builder) target(rt *model.RouteTable, t model.Target) *Node {
	if t.Kind == model.TargetLocal {
		return b.vpc(rt.VPCID)
	}
	if t.ID == "" || strings.HasPrefix(t.ID, "(") {
		// Undecided (a plan's target known only after apply): a node of its
		// own per table, never the node of some gateway.
		n := &Node{ID: "(unknown target of " + rt.ID + ")", Kind: KindUnknown}
		if t.Kind != model.TargetUnknown {
			n.Detail = "a " + string(t.Kind) + "?"
		}
		v := b.vpc(rt.VPCID)
		n.Account, n.Region, n.VPC = v.Account, v.Region, rt.VPCID
		return b.g.add(n)
	}
	if t.Kind == model.TargetTransitGateway {
		// The VPC's attachment to the gateway, where the packet goes.
		if as := b.m.TGWAttachmentsFor(t.ID, rt.VPCID); len(as) > 0 {
			return b.tgwAttachmentNode(as[0])
		}
		return b.transitGateway(t.ID)
	}
	if n := b.g.nodes[t.ID]; n != nil {
		return n
	}
	switch t.Kind {
	case model.TargetIGW:
		return b.gateway(t.ID, KindInternetGateway, rt.VPCID, "not in the model")
	case model.TargetEgressOnlyIGW:
		// The model holds no list of egress-only gateways: the route says
		// which VPC it serves.
		n := b.inVPC(t.ID, KindEgressOnlyIGW, rt.VPCID, nil)
		b.g.link(Edge{From: n.ID, To: b.special(InternetID).ID, Kind: EdgeInternet, Label: "IPv6 out only", State: Active})
		return n
	case model.TargetVPNGateway:
		return b.vpnGatewayNode(t.ID)
	case model.TargetENI, model.TargetInstance:
		id := t.ID
		if t.Kind == model.TargetInstance {
			if e := b.m.PrimaryENI(t.ID); e != nil {
				id = e.ID
			}
		}
		return b.eni(id)
	}
	kind := map[model.TargetKind]Kind{
		model.TargetNAT: KindNATGateway, model.TargetVPCEndpoint: KindVPCEndpoint,
		model.TargetPeering: KindPeering,
	}[t.Kind]
	if kind == "" {
		kind = KindOther
	}
	n := b.inVPC(t.ID, kind, rt.VPCID, nil)
	if kind == KindPeering {
		n.VPC = "" // a connection between VPCs
	}
	n.Note = "not in the model"
	if t.Kind != "" && kind == KindOther {
		n.Detail = string(t.Kind)
	}
	return n
}

func (b *builder) routeTable(rt *model.RouteTable) {
	n := b.inVPC(rt.ID, KindRouteTable, rt.VPCID, rt.Tags)
	if rt.Main {
		n.Detail = "main table"
	}
	for _, r := range rt.Routes {
		to := b.target(rt, r.Target)
		e := Edge{From: rt.ID, To: to.ID, Kind: EdgeRoute, Label: r.DestString(), State: Active}
		switch {
		case r.Unknown != "":
			e.State, e.Note = Undecided, r.Unknown
		case r.Blackhole:
			e.State, e.Note = Inactive, "blackhole: the target is gone"
		case to.Note != "":
			e.State, e.Note = Undecided, to.ID+" is not in the model"
		}
		b.g.link(e)
	}
	for _, gw := range rt.Gateways {
		if n := b.g.nodes[gw]; n != nil {
			b.g.link(Edge{From: gw, To: rt.ID, Kind: EdgeAssociation, Label: "edge", State: Active})
		}
	}
}

// special adds the internet or on-premises.
func (b *builder) special(id string) *Node {
	kind := KindInternet
	if id == OnPremisesID {
		kind = KindOnPremises
	}
	return b.g.add(&Node{ID: id, Kind: kind})
}

// gateway adds a gateway attached to a VPC (an internet gateway seen in a
// route when the model does not list it).
func (b *builder) gateway(id string, kind Kind, vpcID, note string) *Node {
	n := b.inVPC(id, kind, vpcID, nil)
	n.VPC = "" // attached to the VPC, drawn at its edge
	n.Note = note
	if kind == KindInternetGateway {
		b.g.link(Edge{From: id, To: b.special(InternetID).ID, Kind: EdgeInternet, State: Active})
	}
	return n
}

func (b *builder) internetGateway(g *model.InternetGateway) {
	vpc := ""
	if len(g.VPCs) == 1 {
		vpc = g.VPCs[0]
	}
	n := b.gateway(g.ID, KindInternetGateway, vpc, "")
	n.Name, n.Note = g.Tags.Name(), ""
	if len(g.VPCs) == 1 {
		n.VPC = vpc
	}
	for _, v := range g.VPCs {
		b.vpc(v)
		b.g.link(Edge{From: v, To: g.ID, Kind: EdgeAttachment, State: Active})
	}
}

func (b *builder) natGateway(g *model.NATGateway) {
	n := b.inVPC(g.ID, KindNATGateway, g.VPCID, g.Tags)
	n.Detail = strings.TrimSpace(g.Connectivity + " " + g.State)
	if b.m.Subnets[g.SubnetID] != nil {
		st, note := Active, ""
		if g.State != "" && g.State != "available" {
			st, note = Inactive, "state "+g.State
		}
		b.g.link(Edge{From: g.ID, To: g.SubnetID, Kind: EdgePlacement, State: st, Note: note})
	}
}

func (b *builder) endpoint(ep *model.VPCEndpoint) {
	n := b.inVPC(ep.ID, KindVPCEndpoint, ep.VPCID, ep.Tags)
	n.Detail = strings.TrimSpace(ep.Type + " " + ep.ServiceName)
	st, note := Active, ""
	if ep.State != "" && !strings.EqualFold(ep.State, "available") {
		st, note = Inactive, "state "+ep.State
	}
	for _, s := range ep.Subnets {
		if b.m.Subnets[s] != nil {
			b.g.link(Edge{From: ep.ID, To: s, Kind: EdgePlacement, State: st, Note: note})
		}
	}
}

// eni adds an interface (an appliance a route targets, or a hop of a
// trace) in its subnet.
func (b *builder) eni(id string) *Node {
	if n := b.g.nodes[id]; n != nil {
		return n
	}
	e := b.m.ENIs[id]
	if e == nil {
		n := b.g.add(&Node{ID: id, Kind: KindENI, Note: "not in the model"})
		return n
	}
	n := b.inVPC(id, KindENI, e.VPCID, e.Tags)
	if ip := e.PrimaryIP(); ip.IsValid() {
		n.Detail = ip.String()
	}
	if e.InstanceID != "" {
		n.Detail = strings.TrimSpace(e.InstanceID + " " + n.Detail)
		if in := b.m.Instances[e.InstanceID]; in != nil && n.Name == "" {
			n.Name = in.Tags.Name()
		}
	}
	if b.m.Subnets[e.SubnetID] != nil {
		b.g.link(Edge{From: id, To: e.SubnetID, Kind: EdgePlacement, State: Active})
	}
	return n
}

// peeringState is a peering connection's line state.
func peeringState(p *model.Peering) (State, string) {
	switch {
	case p.Unknown != "":
		return Undecided, p.Unknown
	case p.Status != model.PeeringActive:
		return Inactive, "status " + p.Status
	}
	return Active, ""
}

func (b *builder) peering(p *model.Peering) {
	n := &Node{ID: p.ID, Kind: KindPeering, Name: p.Tags.Name()}
	// Drawn in the account and region both ends share, else between them.
	if p.Requester.OwnerID == p.Accepter.OwnerID {
		n.Account = p.Requester.OwnerID
		if p.Requester.Region == p.Accepter.Region {
			n.Region = p.Requester.Region
		}
	}
	if p.CrossRegion() {
		n.Detail = "inter-region"
	}
	b.g.add(n)
	st, note := peeringState(p)
	for _, side := range []model.PeeringSide{p.Requester, p.Accepter} {
		if side.VPCID == "" {
			continue
		}
		v := b.vpc(side.VPCID)
		if v.Account == "" {
			v.Account = side.OwnerID
		}
		if v.Region == "" {
			v.Region = side.Region
		}
		b.g.link(Edge{From: side.VPCID, To: p.ID, Kind: EdgePeering, State: st, Note: note})
	}
}

func (b *builder) transitGateway(id string) *Node {
	if n := b.g.nodes[id]; n != nil {
		return n
	}
	n := &Node{ID: id, Kind: KindTransitGateway}
	if t := b.m.TransitGateways[id]; t != nil {
		n.Name, n.Account, n.Region = t.Tags.Name(), t.OwnerID, t.Region
		if t.ASN != 0 {
			n.Detail = fmt.Sprintf("ASN %d", t.ASN)
		}
	} else {
		n.Note = "not in the model"
	}
	return b.g.add(n)
}

// attachmentState is an attachment's line state.
func attachmentState(a *model.TGWAttachment) (State, string) {
	switch {
	case a.State == "":
		return Undecided, "the state of " + a.ID + " is not known"
	case !a.Available():
		return Inactive, "state " + a.State
	}
	return Active, ""
}

// tgwAttachmentNode adds an attachment's node: in its VPC for a VPC
// attachment (its interfaces are there), else beside its gateway.
func (b *builder) tgwAttachmentNode(a *model.TGWAttachment) *Node {
	if n := b.g.nodes[a.ID]; n != nil {
		return n
	}
	var n *Node
	if a.ResourceType == model.TGWAttachVPC && a.ResourceID != "" {
		n = b.inVPC(a.ID, KindTGWAttachment, a.ResourceID, a.Tags)
	} else {
		t := b.transitGateway(a.TransitGatewayID)
		n = b.g.add(&Node{ID: a.ID, Kind: KindTGWAttachment, Name: a.Tags.Name(), Account: t.Account, Region: t.Region})
		if n.Region == "" {
			n.Region = a.Region
		}
	}
	n.Detail = a.ResourceType
	return n
}

func (b *builder) tgwAttachment(a *model.TGWAttachment) {
	n := b.tgwAttachmentNode(a)
	st, note := attachmentState(a)
	assoc := func(tgw string, as *model.TGWAssociation) {
		if rt := b.m.TGWRouteTableOf(tgw, a.ID); rt != nil {
			b.tgwRouteTableNode(rt)
			e := Edge{From: n.ID, To: rt.ID, Kind: EdgeAssociation, State: Active}
			if as != nil && as.Unknown != "" {
				e.State, e.Note = Undecided, as.Unknown
			}
			b.g.link(e)
		} else if as != nil && as.Unknown != "" && b.m.TGWRouteTables[as.RouteTableID] != nil {
			b.tgwRouteTableNode(b.m.TGWRouteTables[as.RouteTableID])
			b.g.link(Edge{From: n.ID, To: as.RouteTableID, Kind: EdgeAssociation, State: Undecided, Note: as.Unknown})
		}
	}
	switch a.ResourceType {
	case model.TGWAttachPeering, model.TGWAttachTGWPeering:
		for _, sd := range a.Sides {
			b.transitGateway(sd.TransitGatewayID)
			b.g.link(Edge{From: sd.TransitGatewayID, To: a.ID, Kind: EdgeAttachment, Label: "peering", State: st, Note: note})
			assoc(sd.TransitGatewayID, sd.Association)
		}
		if len(a.Sides) == 0 {
			b.transitGateway(a.TransitGatewayID)
			b.g.link(Edge{From: a.TransitGatewayID, To: a.ID, Kind: EdgeAttachment, Label: "peering", State: st, Note: note})
			assoc(a.TransitGatewayID, a.Association)
		}
		return
	}
	b.transitGateway(a.TransitGatewayID)
	b.g.link(Edge{From: a.ID, To: a.TransitGatewayID, Kind: EdgeAttachment, State: st, Note: note})
	if res := b.attachedResource(a); res != nil {
		b.g.link(Edge{From: res.ID, To: a.ID, Kind: EdgeAttachment, State: st, Note: note})
	}
	assoc(a.TransitGatewayID, a.Association)
}

// attachedResource is the node of what an attachment attaches: a VPC, a
// VPN connection, a Direct Connect gateway; nil for others.
func (b *builder) attachedResource(a *model.TGWAttachment) *Node {
	if a.ResourceID == "" {
		return nil
	}
	switch a.ResourceType {
	case model.TGWAttachVPC:
		return b.vpc(a.ResourceID)
	case model.TGWAttachVPN:
		return b.vpnConnectionNode(a.ResourceID)
	case model.TGWAttachDXGateway:
		return b.dxGatewayNode(a.ResourceID)
	case model.TGWAttachConnect:
		if t := b.m.TGWAttachments[a.TransportAttachmentID]; t != nil {
			return b.tgwAttachmentNode(t)
		}
	}
	return nil
}

func (b *builder) tgwRouteTableNode(rt *model.TGWRouteTable) *Node {
	if n := b.g.nodes[rt.ID]; n != nil {
		return n
	}
	t := b.transitGateway(rt.TransitGatewayID)
	n := b.g.add(&Node{ID: rt.ID, Kind: KindTGWRouteTable, Name: rt.Tags.Name(), Account: t.Account, Region: t.Region})
	var d []string
	if rt.DefaultAssociation {
		d = append(d, "default association")
	}
	if rt.DefaultPropagation {
		d = append(d, "default propagation")
	}
	if rt.RoutesFrom == model.TGWRoutesNone {
		d = append(d, "routes not collected")
	}
	n.Detail = strings.Join(d, ", ")
	b.g.link(Edge{From: t.ID, To: rt.ID, Kind: EdgeRouteTable, State: Active})
	return n
}

func (b *builder) tgwRouteTable(rt *model.TGWRouteTable) {
	n := b.tgwRouteTableNode(rt)
	for _, p := range rt.Propagations {
		a := b.m.TGWAttachments[p.AttachmentID]
		if a == nil {
			continue
		}
		b.tgwAttachmentNode(a)
		e := Edge{From: a.ID, To: rt.ID, Kind: EdgePropagation, State: Active}
		switch {
		case p.Unknown != "":
			e.State, e.Note = Undecided, p.Unknown
		case p.State != "" && p.State != "enabled":
			e.State, e.Note = Inactive, "state "+p.State
		}
		b.g.link(e)
	}
	for _, r := range rt.Routes {
		e := Edge{From: rt.ID, Kind: EdgeRoute, Label: r.DestString(), State: Active}
		if !r.Dest.IsValid() && r.DestPrefixList == "" {
			e.Label = "?"
		}
		if r.Unknown != "" {
			e.State, e.Note = Undecided, r.Unknown
		}
		if r.Blackhole() || len(r.Attachments) == 0 {
			bh := b.g.add(&Node{ID: "(blackhole of " + rt.ID + ")", Kind: KindBlackhole, Account: n.Account, Region: n.Region, Detail: "dropped"})
			e.To = bh.ID
			if e.State == Active {
				e.State, e.Note = Inactive, "blackhole"
			}
			b.g.link(e)
			continue
		}
		for _, aid := range r.Attachments {
			a := b.m.TGWAttachments[aid]
			if a == nil {
				miss := b.g.add(&Node{ID: aid, Kind: KindTGWAttachment, Account: n.Account, Region: n.Region, Note: "not in the model"})
				e.To = miss.ID
				x := e
				if x.State == Active {
					x.State, x.Note = Undecided, aid+" is not in the model"
				}
				b.g.link(x)
				continue
			}
			e.To = b.tgwAttachmentNode(a).ID
			b.g.link(e)
		}
	}
}

// vpnGatewayNode adds a virtual private gateway, placed with the first VPC
// it is attached to.
func (b *builder) vpnGatewayNode(id string) *Node {
	if n := b.g.nodes[id]; n != nil {
		return n
	}
	g := b.m.VPNGateways[id]
	n := &Node{ID: id, Kind: KindVPNGateway}
	if g == nil {
		n.Note = "not in the model"
		return b.g.add(n)
	}
	n.Name = g.Tags.Name()
	for _, at := range g.Attachments {
		if v := b.vpc(at.VPCID); v != nil {
			n.Account, n.Region = v.Account, v.Region
			break
		}
	}
	if g.ASN != 0 {
		n.Detail = fmt.Sprintf("ASN %d", g.ASN)
	}
	return b.g.add(n)
}

func (b *builder) vpnGateway(g *model.VPNGateway) {
	b.vpnGatewayNode(g.ID)
	for _, at := range g.Attachments {
		st, note := Active, ""
		if at.State != "attached" {
			st, note = Inactive, "state "+at.State
			if at.State == "" {
				st, note = Undecided, "the attachment state is not known"
			}
		}
		b.vpc(at.VPCID)
		b.g.link(Edge{From: at.VPCID, To: g.ID, Kind: EdgeAttachment, State: st, Note: note})
	}
	for _, v := range b.m.VirtualInterfacesOf(g.ID) {
		b.vifLine(g.ID, v)
	}
}

func (b *builder) vpnConnectionNode(id string) *Node {
	if n := b.g.nodes[id]; n != nil {
		return n
	}
	c := b.m.VPNConnections[id]
	n := &Node{ID: id, Kind: KindVPNConnection}
	if c == nil {
		n.Note = "not in the model"
		return b.g.add(n)
	}
	n.Name = c.Tags.Name()
	gw := c.VPNGatewayID
	if gw == "" {
		gw = c.TransitGatewayID
	}
	var gn *Node
	if strings.HasPrefix(gw, "tgw-") {
		gn = b.transitGateway(gw)
	} else if gw != "" {
		gn = b.vpnGatewayNode(gw)
	}
	if gn != nil {
		n.Account, n.Region = gn.Account, gn.Region
	}
	return b.g.add(n)
}

func (b *builder) vpnConnection(c *model.VPNConnection) {
	n := b.vpnConnectionNode(c.ID)
	if c.VPNGatewayID != "" {
		b.g.link(Edge{From: c.VPNGatewayID, To: n.ID, Kind: EdgeVPN, State: Active})
	}
	// A connection on a transit gateway reaches it by its attachment.
	st, note := Active, ""
	switch {
	case c.State != "" && c.State != "available":
		st, note = Inactive, "state "+c.State
	case c.AnyTunnelUp() == model.Unknown:
		st, note = Undecided, "tunnel status not known (no VgwTelemetry)"
	case c.AnyTunnelUp() == model.No:
		st, note = Inactive, "every tunnel down"
	}
	end := b.special(OnPremisesID).ID
	if c.CustomerGatewayID != "" {
		cg := &Node{ID: c.CustomerGatewayID, Kind: KindCustomerGateway}
		if g := b.m.CustomerGateways[c.CustomerGatewayID]; g != nil {
			cg.Name = g.Tags.Name()
			if g.IP.IsValid() {
				cg.Detail = g.IP.String()
			}
		} else {
			cg.Note = "not in the model"
		}
		cg = b.g.add(cg)
		b.g.link(Edge{From: cg.ID, To: end, Kind: EdgeVPN, State: Active})
		end = cg.ID
	}
	b.g.link(Edge{From: n.ID, To: end, Kind: EdgeVPN, Label: "tunnels", State: st, Note: note})
}

func (b *builder) dxGatewayNode(id string) *Node {
	if n := b.g.nodes[id]; n != nil {
		return n
	}
	n := &Node{ID: id, Kind: KindDXGateway}
	if g := b.m.DXGateways[id]; g != nil {
		n.Name, n.Account = g.Name, g.OwnerAccount
		if g.ASN != 0 {
			n.Detail = fmt.Sprintf("ASN %d", g.ASN)
		}
	} else {
		n.Note = "not in the model"
	}
	return b.g.add(n)
}

func (b *builder) dxGateway(g *model.DXGateway) {
	n := b.dxGatewayNode(g.ID)
	for _, a := range g.Associations {
		var gw *Node
		switch {
		case strings.HasPrefix(a.GatewayID, "tgw-"):
			gw = b.transitGateway(a.GatewayID)
		case a.GatewayID != "":
			gw = b.vpnGatewayNode(a.GatewayID)
		default:
			continue
		}
		st, note := Active, ""
		if a.State != "associated" {
			st, note = Inactive, "state "+a.State
			if a.State == "" {
				st, note = Undecided, "the association state is not known"
			}
		}
		b.g.link(Edge{From: n.ID, To: gw.ID, Kind: EdgeAssociation, Label: a.ID, State: st, Note: note})
	}
}

func (b *builder) virtualInterface(v *model.VirtualInterface) {
	if v.DXGatewayID != "" {
		b.dxGatewayNode(v.DXGatewayID)
		b.vifLine(v.DXGatewayID, v)
	}
}

// vifLine is a virtual interface from a gateway to on-premises.
func (b *builder) vifLine(gw string, v *model.VirtualInterface) {
	st, note := Active, ""
	if !v.Up() {
		st, note = Inactive, "state "+v.State+", no BGP peer up"
	}
	b.g.link(Edge{From: gw, To: b.special(OnPremisesID).ID, Kind: EdgeVirtualInterface, Label: v.ID, State: st, Note: note})
}
