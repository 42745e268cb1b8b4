package tfplan

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

func (b *builder) own(x any)        { b.owns[x] = true }
func (b *builder) owned(x any) bool { return b.base == nil || b.owns[x] }

// endpointPL is the prefix list of a gateway endpoint's service: the
// planned prefix_list_id, a list of that name in the plan's data sources
// or the base, else a placeholder whose entries are unknown.
func (b *builder) endpointPL(r *resource) string {
	if v := str(r.vals, "prefix_list_id"); v != "" && !r.isUnknown("prefix_list_id") {
		return v
	}
	svc := str(r.vals, "service_name")
	for _, id := range model.SortedKeys(b.m.PrefixLists) {
		if b.m.PrefixLists[id].Name == svc {
			return id
		}
	}
	id := placeholder("pl", svc)
	b.m.PrefixLists[id] = &model.PrefixList{ID: id, Name: svc, OwnerID: "AWS"}
	b.warn(r.addr, "the prefix list of %s is not in the plan (add data \"aws_prefix_list\" with name = %q): its addresses are unknown", svc, svc)
	return id
}

func (b *builder) endpoint(r *resource) {
	ep := &model.VPCEndpoint{ID: r.id, VPCID: b.id(r, "vpc_id"), Type: b.endpointType(r), ServiceName: str(r.vals, "service_name"), State: str(r.vals, "state"), Tags: tags(r.vals)}
	ep.PrivateDNS = boolOr(r.vals, "private_dns_enabled", false)
	// Unknown until apply: from an expression the plan cannot resolve, or
	// with no configuration to tell. Unset, it is the provider's false.
	if _, known := r.vals["private_dns_enabled"].(bool); !known && r.isUnknown("private_dns_enabled") && r.configured("private_dns_enabled") {
		ep.PrivateDNSUnknown = r.addr + " private_dns_enabled is known only after apply"
		b.warn(r.addr, "private_dns_enabled is known only after apply: what the endpoint's private DNS would answer is unknown")
	}
	ep.Subnets = sorted(b.ids(r, "subnet_ids", false))
	ep.Groups = b.undecidedIDs(r, "security_group_ids", "sg")
	ep.RouteTables = b.ids(r, "route_table_ids", false)
	if old := b.m.Endpoints[r.id]; old != nil {
		ep.ENIs = append([]string{}, old.ENIs...)
		ep.DNSNames = old.DNSNames
		if ep.State == "" {
			ep.State = old.State
		}
	}
	if ep.State == "" {
		ep.State = "available"
		b.assume(ep.ID, fmt.Sprintf("%s (%s) is planned: its state is unknown until apply and taken as available (a service that requires acceptance leaves it pendingAcceptance until accepted)", ep.ID, r.addr))
	}
	b.m.Endpoints[ep.ID] = ep
	b.own(ep)
	b.source(ep.ID, r)
	b.planEPs = append(b.planEPs, ep.ID)
}

// endpointType is the endpoint's vpc_endpoint_type: the provider's
// default, Gateway, when unset. When the plan knows it only after apply
// (an expression of another resource's attributes), what the
// configuration gives the endpoint and its service tell it
// (model.EndpointTypeFrom); else it stays the default, with a warning that
// answers through the endpoint assume it.
func (b *builder) endpointType(r *resource) string {
	if t := str(r.vals, "vpc_endpoint_type"); t != "" || !r.isUnknown("vpc_endpoint_type") {
		return cmp.Or(t, model.EndpointGateway)
	}
	// The plan's values of these are unknown too (the provider computes
	// them): only the configuration says whether they are given.
	given := func(attr string) bool { return r.cfg != nil && r.configured(attr) }
	t, why := model.EndpointTypeFrom(str(r.vals, "service_name"), given("route_table_ids"), given("subnet_ids"), given("security_group_ids"))
	if t == "" {
		b.warn(r.addr, "vpc_endpoint_type is known only after apply and its configuration does not tell: taken as Gateway, the provider's default; answers through the endpoint assume it")
		b.assume(r.id, fmt.Sprintf("%s (%s): vpc_endpoint_type is known only after apply; taken as Gateway, the provider's default", r.id, r.addr))
		return model.EndpointGateway
	}
	b.assume(r.id, fmt.Sprintf("%s (%s): vpc_endpoint_type is known only after apply; taken as %s: %s", r.id, r.addr, t, why))
	return t
}

func (b *builder) endpointAssociation(r *resource, add bool) {
	id := b.id(r, "vpc_endpoint_id")
	if b.m.Endpoints[id] == nil {
		if add {
			b.dangling(r, "vpc_endpoint_id", id, model.KindVPCEndpoint)
		}
		return
	}
	ep := b.editEP(id)
	b.planEPs = appendUniq(b.planEPs, id)
	edit := func(list []string, v string) []string {
		if add {
			return appendUniq(list, v)
		}
		return remove(list, v)
	}
	switch r.typ {
	case "aws_vpc_endpoint_route_table_association":
		ep.RouteTables = edit(ep.RouteTables, b.id(r, "route_table_id"))
	case "aws_vpc_endpoint_subnet_association":
		ep.Subnets = sorted(edit(ep.Subnets, b.id(r, "subnet_id")))
	case "aws_vpc_endpoint_security_group_association":
		ep.Groups = edit(ep.Groups, b.id(r, "security_group_id"))
	}
}

// endpointRoutes puts each gateway endpoint's prefix-list route in the
// tables it is associated with (AWS adds them; a plan does not list them),
// and takes it out of tables it no longer is.
func (b *builder) endpointRoutes() {
	for _, id := range b.planEPs {
		ep := b.m.Endpoints[id]
		if ep == nil || ep.Type != model.EndpointGateway {
			continue
		}
		pl := ""
		if r := b.p.byAddr[b.m.Sources[id]]; r != nil {
			pl = b.endpointPL(r)
		} else {
			for _, pid := range model.SortedKeys(b.m.PrefixLists) {
				if b.m.PrefixLists[pid].Name == ep.ServiceName {
					pl = pid
				}
			}
		}
		for _, rtID := range model.SortedKeys(b.m.RouteTables) {
			rt := b.m.RouteTables[rtID]
			want := slices.Contains(ep.RouteTables, rtID)
			has := hasRouteTo(rt, id)
			switch {
			case want && !has && pl != "":
				b.editRT(rtID, nil).Routes = append(b.editRT(rtID, nil).Routes, model.Route{DestPrefixList: pl, Target: model.Target{Kind: model.TargetVPCEndpoint, ID: id}, Origin: "CreateRoute", Source: b.m.Sources[id]})
			case !want && has:
				t := b.editRT(rtID, nil)
				t.Routes = filterRoutes(t.Routes, func(x model.Route) bool { return x.Target.ID != id })
			}
		}
	}
}

// addrIn hands out a representative address in a subnet for an interface
// whose address is unknown until apply.
func (b *builder) addrIn(subnetID, eniID, addr string) netip.Addr {
	s := b.m.Subnets[subnetID]
	if s == nil || !s.CIDR.IsValid() || !s.CIDR.Addr().Is4() {
		return netip.Addr{}
	}
	p := s.CIDR.Masked()
	a := p.Addr()
	for i := 0; i < 4; i++ {
		a = a.Next()
	}
	for ; p.Contains(a) && p.Contains(a.Next()); a = a.Next() {
		if !b.taken[a] {
			b.taken[a] = true
			b.assume(eniID, fmt.Sprintf("%s (%s) gets its address at apply: %s stands for it, somewhere in %s %s", eniID, addr, a, subnetID, p))
			return a
		}
	}
	return netip.Addr{}
}

// endpointInterfaces gives each interface endpoint one interface per
// subnet: the base's where it has one, else a planned one.
func (b *builder) endpointInterfaces() {
	for _, id := range b.planEPs {
		ep := b.m.Endpoints[id]
		if ep == nil || ep.Type == model.EndpointGateway {
			continue
		}
		ep = b.editEP(id)
		groups := ep.Groups
		if len(groups) == 0 {
			if d := b.defaultSG(ep.VPCID); d != "" {
				groups = []string{d}
			}
		}
		bySubnet := map[string]string{}
		for _, e := range ep.ENIs {
			if x := b.m.ENIs[e]; x != nil {
				bySubnet[x.SubnetID] = e
			}
		}
		var enis []string
		addr := b.m.Sources[id]
		for n, sid := range ep.Subnets {
			if e := bySubnet[sid]; e != "" {
				x := b.editENI(e)
				x.Groups = append([]string{}, groups...)
				enis = append(enis, e)
				delete(bySubnet, sid)
				continue
			}
			eid := placeholder("eni", fmt.Sprintf("%s#%d", addr, n+1))
			x := &model.ENI{ID: eid, SubnetID: sid, VPCID: ep.VPCID, Groups: append([]string{}, groups...), Type: "vpc_endpoint", Status: "in-use", RequesterManaged: true,
				Description: "VPC Endpoint Interface " + id + " (planned)"}
			if s := b.m.Subnets[sid]; s != nil {
				x.AZ = s.AZ
			}
			if a := b.addrIn(sid, eid, addr); a.IsValid() {
				x.PrivateIPs = []netip.Addr{a}
			}
			b.m.ENIs[eid] = x
			b.own(x)
			b.m.Sources[eid] = addr
			b.newENIs = append(b.newENIs, eid)
			enis = append(enis, eid)
		}
		for _, e := range bySubnet {
			delete(b.m.ENIs, e)
		}
		ep.ENIs = enis
	}
}

func (b *builder) defaultSG(vpcID string) string {
	for _, id := range model.SortedKeys(b.m.SecurityGroups) {
		if g := b.m.SecurityGroups[id]; g.VPCID == vpcID && g.Name == "default" {
			return id
		}
	}
	return ""
}

// natInterfaces gives each planned NAT gateway its interface.
func (b *builder) natInterfaces() {
	for _, id := range model.SortedKeys(b.m.NATGateways) {
		n := b.m.NATGateways[id]
		if n.ENIID != "" && b.m.ENIs[n.ENIID] != nil {
			continue
		}
		r := b.p.byAddr[b.m.Sources[id]]
		if r == nil {
			continue
		}
		eid := b.valueOf(r, "network_interface_id")
		x := &model.ENI{ID: eid, SubnetID: n.SubnetID, VPCID: n.VPCID, Type: "nat_gateway", Status: "in-use", RequesterManaged: true, Description: "Interface for NAT Gateway " + id}
		if !n.PrivateIP.IsValid() {
			n.PrivateIP = b.addrIn(n.SubnetID, eid, r.addr)
		}
		if n.PrivateIP.IsValid() {
			x.PrivateIPs = []netip.Addr{n.PrivateIP}
			if n.PublicIP.IsValid() {
				x.PublicIPs = map[netip.Addr]netip.Addr{n.PrivateIP: n.PublicIP}
			}
		}
		n.ENIID = eid
		b.m.ENIs[eid] = x
		b.m.Sources[eid] = r.addr
		b.newENIs = append(b.newENIs, eid)
	}
}

func (b *builder) networkInterface(r *resource) {
	e := &model.ENI{ID: r.id, SubnetID: first(b.undecidedIDs(r, "subnet_id", "subnet")), Type: "interface", Status: "in-use", SourceDestCheck: boolOr(r.vals, "source_dest_check", true), Description: str(r.vals, "description"), Tags: tags(r.vals)}
	e.Groups = b.undecidedIDs(r, "security_groups", "sg")
	if s := b.m.Subnets[e.SubnetID]; s != nil {
		e.VPCID, e.AZ = s.VPCID, s.AZ
	}
	ips := strs(r.vals, "private_ips")
	if p := str(r.vals, "private_ip"); p != "" {
		ips = append([]string{p}, remove(ips, p)...)
	}
	for _, s := range ips {
		if a, err := netip.ParseAddr(s); err == nil {
			e.PrivateIPs = append(e.PrivateIPs, a)
		}
	}
	for _, at := range blocks(r.vals, "attachment") {
		e.InstanceID = str(at, "instance")
		e.DeviceIndex, _ = num(at, "device_index")
	}
	b.putENI(r, e)
}

func (b *builder) putENI(r *resource, e *model.ENI) {
	if old := b.m.ENIs[e.ID]; old != nil && len(e.PrivateIPs) == 0 {
		e.PrivateIPs, e.PublicIPs = old.PrivateIPs, old.PublicIPs
	}
	b.m.ENIs[e.ID] = e
	b.own(e)
	b.source(e.ID, r)
	b.newENIs = append(b.newENIs, e.ID)
	b.pendingAddr = append(b.pendingAddr, pending{e, r.addr})
}

type pending struct {
	e    *model.ENI
	addr string
}

func (b *builder) instance(r *resource) {
	in := &model.Instance{ID: r.id, State: "running", SubnetID: first(b.undecidedIDs(r, "subnet_id", "subnet")), Tags: tags(r.vals)}
	if s := str(r.vals, "instance_state"); s != "" {
		in.State = s
	}
	if s := b.m.Subnets[in.SubnetID]; s != nil {
		in.VPCID = s.VPCID
	}
	eid := str(r.vals, "primary_network_interface_id")
	if eid == "" {
		eid = placeholder("eni", r.addr)
	}
	// An instance launched on an interface of its own (network_interface
	// with device_index 0) takes that interface as its primary one.
	for i, ni := range blocks(r.vals, "network_interface") {
		if d, _ := num(ni, "device_index"); d != 0 {
			continue
		}
		ids, _ := b.nestedIDs(r, "network_interface", i, ni, "network_interface_id", true)
		if len(ids) == 0 {
			continue
		}
		if e := b.m.ENIs[ids[0]]; e != nil {
			e = b.editENI(ids[0])
			e.InstanceID = in.ID
			in.SubnetID, in.VPCID = e.SubnetID, e.VPCID
			in.ENIs = []string{e.ID}
			b.m.Instances[in.ID] = in
			b.own(in)
			b.source(in.ID, r)
			return
		}
	}
	if old := b.m.Instances[r.id]; old != nil && len(old.ENIs) > 0 {
		eid = old.ENIs[0]
		in.ENIs = append([]string{}, old.ENIs...)
	} else {
		in.ENIs = []string{eid}
	}
	groups := b.undecidedIDs(r, "vpc_security_group_ids", "sg")
	if len(groups) == 0 {
		groups = b.undecidedIDs(r, "security_groups", "sg")
	}
	if len(groups) == 0 {
		if d := b.defaultSG(in.VPCID); d != "" {
			groups = []string{d}
		}
	}
	e := &model.ENI{ID: eid, SubnetID: in.SubnetID, VPCID: in.VPCID, Groups: groups, Type: "interface", Status: "in-use", InstanceID: in.ID, SourceDestCheck: boolOr(r.vals, "source_dest_check", true), Tags: in.Tags}
	if s := b.m.Subnets[in.SubnetID]; s != nil {
		e.AZ = s.AZ
	}
	if a, err := netip.ParseAddr(str(r.vals, "private_ip")); err == nil {
		e.PrivateIPs = []netip.Addr{a}
	}
	for _, s := range strs(r.vals, "secondary_private_ips") {
		if a, err := netip.ParseAddr(s); err == nil {
			e.PrivateIPs = append(e.PrivateIPs, a)
		}
	}
	// A public IPv4: the one the plan knows, else what
	// associate_public_ip_address says, else the subnet's
	// map_public_ip_on_launch (VPC guide, "Public IPv4 addresses").
	assoc, set := r.vals["associate_public_ip_address"].(bool)
	switch a, err := netip.ParseAddr(str(r.vals, "public_ip")); {
	case err == nil && len(e.PrivateIPs) > 0:
		e.PublicIPs = map[netip.Addr]netip.Addr{e.PrivateIPs[0]: a}
	case set && !r.isUnknown("associate_public_ip_address") && assoc:
		b.wantPublic = append(b.wantPublic, eid)
	case set:
	case r.isUnknown("associate_public_ip_address") && r.cfg != nil && r.cfg.Expressions["associate_public_ip_address"] != nil:
		e.PublicIPUnknown = r.addr + " associate_public_ip_address is known only after apply"
	case b.subnetMapsPublic(in.SubnetID) == model.Yes:
		b.wantPublic = append(b.wantPublic, eid)
		b.assume(eid, fmt.Sprintf("%s sets no associate_public_ip_address: it gets a public IPv4 because %s maps public IPs on launch", r.addr, in.SubnetID))
	case b.subnetMapsPublic(in.SubnetID) == model.No:
	case in.SubnetID != "":
		e.PublicIPUnknown = fmt.Sprintf("%s sets no associate_public_ip_address and whether %s maps public IPs on launch is not in the plan", r.addr, in.SubnetID)
	}
	b.m.Instances[in.ID] = in
	b.own(in)
	b.source(in.ID, r)
	b.putENI(r, e)
	b.m.Sources[eid] = r.addr
}

// assignAddresses gives planned interfaces without a known address a
// representative one, after every known address is taken.
func (b *builder) assignAddresses() {
	for _, n := range b.m.NATGateways {
		if n.PrivateIP.IsValid() {
			b.taken[n.PrivateIP] = true
		}
	}
	for _, p := range b.pendingAddr {
		for _, a := range p.e.PrivateIPs {
			b.taken[a] = true
		}
	}
	for _, p := range b.pendingAddr {
		if len(p.e.PrivateIPs) == 0 {
			if a := b.addrIn(p.e.SubnetID, p.e.ID, p.addr); a.IsValid() {
				p.e.PrivateIPs = []netip.Addr{a}
			}
		}
	}
	for _, eid := range b.wantPublic {
		e := b.m.ENIs[eid]
		if e == nil || len(e.PrivateIPs) == 0 {
			continue
		}
		pub := b.publicPlaceholder()
		e.PublicIPs = map[netip.Addr]netip.Addr{e.PrivateIPs[0]: pub}
		b.assume(eid, fmt.Sprintf("%s's public IP is unknown until apply: %s stands for it (TEST-NET-2, a documentation range)", eid, pub))
	}
}

func (b *builder) eipAssociation(r *resource) {
	pub := ""
	alloc := b.id(r, "allocation_id")
	for _, e := range b.p.resources {
		if e.typ == "aws_eip" && e.id == alloc {
			pub = str(e.vals, "public_ip")
		}
	}
	eid := b.id(r, "network_interface_id")
	if eid == "" {
		if in := b.m.Instances[b.id(r, "instance_id")]; in != nil && len(in.ENIs) > 0 {
			eid = in.ENIs[0]
		}
	}
	e := b.m.ENIs[eid]
	if e == nil || len(e.PrivateIPs) == 0 {
		return
	}
	a, err := netip.ParseAddr(pub)
	if err != nil {
		a = b.publicPlaceholder()
		b.assume(eid, fmt.Sprintf("%s's Elastic IP is unknown until apply: %s stands for it (TEST-NET-2, a documentation range)", eid, a))
	}
	e = b.editENI(eid)
	e.PublicIPs = map[netip.Addr]netip.Addr{e.PrivateIPs[0]: a}
	e.PublicIPUnknown = ""
}

// eips gives the interfaces that aws_eip's instance or network_interface
// names their Elastic IP (EC2 guide, "Elastic IP addresses": it replaces
// any public IPv4 the interface had).
func (b *builder) eips() {
	for _, r := range b.p.resources {
		if r.typ != "aws_eip" || r.mode != "managed" {
			continue
		}
		eid, why := b.idOf(r, "network_interface")
		if eid == "" && why == "" {
			var inst string
			inst, why = b.idOf(r, "instance")
			if in := b.m.Instances[inst]; in != nil && len(in.ENIs) > 0 {
				eid = in.ENIs[0]
			}
		}
		if why != "" {
			b.warn(r.addr, "%s: which interface gets this Elastic IP is unknown", why)
		}
		e := b.m.ENIs[eid]
		if e == nil || len(e.PrivateIPs) == 0 {
			continue
		}
		a, err := netip.ParseAddr(str(r.vals, "public_ip"))
		if err != nil {
			a = b.publicPlaceholder()
			b.assume(eid, fmt.Sprintf("%s's Elastic IP (%s) is unknown until apply: %s stands for it (TEST-NET-2, a documentation range)", eid, r.addr, a))
		}
		e = b.editENI(eid)
		e.PublicIPs = map[netip.Addr]netip.Addr{e.PrivateIPs[0]: a}
		e.PublicIPUnknown = ""
	}
}

func (b *builder) zone(r *resource) {
	zid := str(r.vals, "zone_id")
	if zid == "" {
		zid = r.id
	}
	z := &model.HostedZone{ID: strings.TrimPrefix(zid, "/hostedzone/"), Name: model.FQDN(str(r.vals, "name")), VPCsKnown: true}
	for i, v := range blocks(r.vals, "vpc") {
		ids, why := b.nestedIDs(r, "vpc", i, v, "vpc_id", true)
		z.VPCs = appendUniq(z.VPCs, ids...)
		if why != "" {
			z.VPCsKnown = false
			b.warn(r.addr, "%s: the zone's associations are unknown", why)
		}
	}
	z.Private = len(z.VPCs) > 0 || len(blocks(r.vals, "vpc")) > 0
	z.RecordsKnown = r.action == "create"
	if old := b.m.HostedZones[z.ID]; old != nil {
		z.Records, z.RecordsKnown = old.Records, old.RecordsKnown
	}
	b.m.HostedZones[z.ID] = z
	b.m.Present[model.KindHostedZone] = true
	b.m.Present[model.KindRecordSet] = true
	b.source(z.ID, r)
	r.id = z.ID
}

func (b *builder) record(r *resource) {
	z := b.m.HostedZones[strings.TrimPrefix(b.id(r, "zone_id"), "/hostedzone/")]
	if z == nil {
		return
	}
	name := model.FQDN(str(r.vals, "name"))
	if !model.InDomain(name, z.Name) {
		name = model.FQDN(strings.TrimSuffix(name, ".") + "." + z.Name)
	}
	rec := model.Record{Name: name, Type: str(r.vals, "type"), Values: strs(r.vals, "records")}
	rec.TTL, _ = num(r.vals, "ttl")
	for _, a := range blocks(r.vals, "alias") {
		rec.Alias = &model.Alias{DNSName: model.FQDN(str(a, "name")), HostedZoneID: str(a, "zone_id")}
	}
	out := z.Records[:0:0]
	for _, x := range z.Records {
		if x.Name != rec.Name || x.Type != rec.Type {
			out = append(out, x)
		}
	}
	z.Records = append(out, rec)
}

// implicitDefaults adds what AWS creates with each new VPC: a main route
// table, a default network ACL allowing everything, a default security
// group (all from itself, all out), unless the plan manages them.
func (b *builder) implicitDefaults() {
	for _, vid := range model.SortedKeys(b.m.VPCs) {
		if !b.created[vid] {
			continue
		}
		v := b.m.VPCs[vid]
		addr := b.m.Sources[vid]
		if b.defaultSG(vid) == "" {
			id := placeholder("sg", addr+":default")
			g := &model.SecurityGroup{ID: id, Name: "default", VPCID: vid}
			g.Ingress = []model.SGRule{{GroupID: id, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, PeerGroup: id, Source: addr}}
			g.Egress = []model.SGRule{{GroupID: id, Egress: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: netip.MustParsePrefix("0.0.0.0/0"), Source: addr}}
			b.m.SecurityGroups[id] = g
			b.own(g)
			b.m.Sources[id] = addr
		}
		hasACL := false
		for _, a := range b.m.NetworkACLs {
			hasACL = hasACL || (a.VPCID == vid && a.IsDefault)
		}
		if !hasACL {
			id := placeholder("acl", addr+":default")
			all := netip.MustParsePrefix("0.0.0.0/0")
			a := &model.NetworkACL{ID: id, VPCID: vid, IsDefault: true,
				Inbound:  []model.NACLEntry{{Number: 100, Allow: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: all, Source: addr}, finalDeny(false)},
				Outbound: []model.NACLEntry{{Number: 100, Egress: true, Allow: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: all, Source: addr}, finalDeny(true)}}
			b.m.NetworkACLs[id] = a
			b.own(a)
			b.m.Sources[id] = addr
		}
		hasMain := false
		for _, t := range b.m.RouteTables {
			hasMain = hasMain || (t.VPCID == vid && t.Main)
		}
		if !hasMain {
			id := placeholder("rtb", addr+":main")
			t := &model.RouteTable{ID: id, VPCID: vid, Main: true}
			b.m.RouteTables[id] = t
			b.own(t)
			b.m.Sources[id] = addr
		}
		_ = v
	}
}

// localRoutes gives every table of the plan the local route of each of
// its VPC's blocks (AWS adds it; a plan does not list it).
func (b *builder) localRoutes() {
	for _, id := range model.SortedKeys(b.m.RouteTables) {
		rt := b.m.RouteTables[id]
		v := b.m.VPCs[rt.VPCID]
		if v == nil {
			continue
		}
		if why := b.unknownCIDR[rt.VPCID]; why != "" {
			// The local route is there, to a range the plan does not know:
			// every lookup it could win is unknown (simulate: lookupRoute).
			has := false
			for _, x := range rt.Routes {
				has = has || (x.Target.Kind == model.TargetLocal && x.Unknown != "")
			}
			if !has {
				t := b.editRT(id, nil)
				t.Routes = append([]model.Route{{Target: model.Target{Kind: model.TargetLocal, ID: "local"}, Origin: "CreateRouteTable", Unknown: why}}, t.Routes...)
			}
		}
		for _, c := range append(append([]netip.Prefix{}, v.CIDRs...), v.IPv6CIDRs...) {
			has := false
			for _, x := range rt.Routes {
				has = has || (x.Dest == c && x.Target.Kind == model.TargetLocal)
			}
			if !has {
				t := b.editRT(id, nil)
				t.Routes = append([]model.Route{{Dest: c, Target: model.Target{Kind: model.TargetLocal, ID: "local"}, Origin: "CreateRouteTable"}}, t.Routes...)
			}
		}
	}
}

// capacity sets the free addresses of subnets the plan creates (size less
// AWS's five reserved less the model's interfaces) and takes the plan's
// new interfaces off the base's count.
func (b *builder) capacity() {
	count := map[string]int{}
	for _, e := range b.m.ENIs {
		count[e.SubnetID] += max(1, len(e.PrivateIPs))
	}
	newIn := map[string]int{}
	for _, id := range b.newENIs {
		if e := b.m.ENIs[id]; e != nil {
			newIn[e.SubnetID]++
		}
	}
	for _, id := range model.SortedKeys(b.m.Subnets) {
		s := b.m.Subnets[id]
		switch {
		case b.created[id] && s.CIDR.IsValid() && s.CIDR.Addr().Is4():
			size := 1 << (32 - s.CIDR.Bits())
			c := *s
			c.AvailableIPs = max(0, size-5-count[id])
			b.m.Subnets[id] = &c
		case s.AvailableIPs >= 0 && newIn[id] > 0:
			c := *s
			c.AvailableIPs = max(0, s.AvailableIPs-newIn[id])
			b.m.Subnets[id] = &c
		}
	}
}

var _ = sort.Strings

// undecidedIDs is ids, except that a value unknown until apply that the
// configuration does not tie becomes one ID naming the resource and the
// attribute, <prefix>-(<address> <attribute>): it is in no model, so every
// answer that depends on it is unknown (a group "not in the snapshot", a
// subnet that cannot be placed) rather than the default group or subnet.
func (b *builder) undecidedIDs(r *resource, attr, prefix string) []string {
	v, why := b.idsOf(r, attr, prefix == "subnet")
	if len(v) == 0 && why != "" {
		b.warn(r.addr, "%s: kept as %s", why, placeholder(prefix, r.addr+" "+attr))
		return []string{placeholder(prefix, r.addr+" "+attr)}
	}
	return v
}

func first(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

// subnetMapsPublic is map_public_ip_on_launch of a subnet of the plan, else
// MapPublicIpOnLaunch of one of the network under it.
func (b *builder) subnetMapsPublic(id string) model.Tri {
	if v := b.mapPublic[id]; v != model.Unknown {
		return v
	}
	if s := b.m.Subnets[id]; s != nil {
		return s.MapPublicIP
	}
	return model.Unknown
}
