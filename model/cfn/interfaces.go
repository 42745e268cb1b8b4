package cfn

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

func (b *builder) endpoint(r *resource, v map[string]any) {
	ep := &model.VPCEndpoint{ID: r.id, Type: model.EndpointGateway, Tags: tags(v)}
	ep.VPCID = b.ref(r, v, "VpcId", model.KindVPC, b.vpcExists)
	svc := b.f(r, v, "ServiceName")
	if f := b.f(r, v, "VpcEndpointType"); f.known() {
		ep.Type = f.s
	} else if f.why != "" {
		ep.Type = b.endpointType(r, v, svc.s, f.why)
	}
	if svc.why != "" {
		b.warn(r.logical, "%s: the endpoint's service is unknown", svc.why)
	}
	ep.ServiceName = svc.s
	ep.PrivateDNS = boolField(b.f(r, v, "PrivateDnsEnabled"), false)
	if f := b.f(r, v, "PrivateDnsEnabled"); f.why != "" {
		ep.PrivateDNSUnknown = f.why
		b.warn(r.logical, "%s: whether the endpoint's private DNS is on is unknown, and so is what it would answer", f.why)
	}
	ep.Subnets = sorted(b.refs(r, v, "SubnetIds", model.KindSubnet))
	ep.Groups = b.refs(r, v, "SecurityGroupIds", model.KindSecurityGroup)
	ep.RouteTables = b.refs(r, v, "RouteTableIds", model.KindRouteTable)
	if svc.why != "" && ep.Type == model.EndpointGateway {
		ep.ServiceName = placeholder("service", r.logical+".ServiceName")
	}
	if b.inBase(func(m *model.Model) bool { return m.Endpoints[ep.ID] != nil }) {
		o := b.base.Endpoints[ep.ID]
		ep.State, ep.ENIs, ep.DNSNames = o.State, append([]string{}, o.ENIs...), o.DNSNames
		for _, rt := range b.m.RouteTables {
			var keep []model.Route
			for _, x := range rt.Routes {
				if x.Target.ID != ep.ID {
					keep = append(keep, x)
				}
			}
			rt.Routes = keep // endpointRoutes puts back those of the template's tables
		}
	} else {
		ep.State = "available"
		b.assume(ep.ID, fmt.Sprintf("%s is created by the stack: taken as available (a service that requires acceptance leaves it pendingAcceptance until accepted)", r.logical))
	}
	b.m.Endpoints[ep.ID] = ep
	b.source(ep.ID, r)
	b.newEPs = append(b.newEPs, ep.ID)
}

// endpointType is the type of an endpoint whose VpcEndpointType the
// template does not decide (why): what the template gives the endpoint
// and its service tell it (model.EndpointTypeFrom); else it is taken as
// Gateway, CloudFormation's default, with a warning.
func (b *builder) endpointType(r *resource, v map[string]any, service, why string) string {
	given := func(k string) bool { _, ok := get(v, k); return ok }
	t, how := model.EndpointTypeFrom(service, given("RouteTableIds"), given("SubnetIds"), given("SecurityGroupIds"))
	if t == "" {
		b.warn(r.logical, "%s: the endpoint's type is unknown and what it is given does not tell: taken as Gateway, the default; answers through the endpoint assume it", why)
		b.assume(r.id, fmt.Sprintf("%s: VpcEndpointType is not decided by the template; taken as Gateway, the default", r.logical))
		return model.EndpointGateway
	}
	b.assume(r.id, fmt.Sprintf("%s: VpcEndpointType is not decided by the template; taken as %s: %s", r.logical, t, how))
	return t
}

// endpointPL is the prefix list of a gateway endpoint's service: a list of
// that name in the network under the template, else a placeholder whose
// entries are unknown.
func (b *builder) endpointPL(ep *model.VPCEndpoint) string {
	for _, id := range model.SortedKeys(b.m.PrefixLists) {
		if b.m.PrefixLists[id].Name == ep.ServiceName {
			return id
		}
	}
	id := placeholder("pl", ep.ServiceName)
	if strings.HasPrefix(ep.ServiceName, "service-(") {
		id = placeholder("pl", strings.TrimSuffix(strings.TrimPrefix(ep.ServiceName, "service-("), ")"))
	}
	if b.m.PrefixLists[id] == nil {
		b.m.PrefixLists[id] = &model.PrefixList{ID: id, Name: ep.ServiceName, OwnerID: "AWS"}
		b.warn(b.m.Sources[ep.ID], "the prefix list of %s is not in the template (give a snapshot with describe-prefix-lists under it): its addresses are unknown", ep.ServiceName)
	}
	return id
}

// endpointRoutes puts each gateway endpoint's prefix-list route in the
// tables it is associated with (AWS adds them).
func (b *builder) endpointRoutes() {
	for _, id := range b.newEPs {
		ep := b.m.Endpoints[id]
		if ep.Type != model.EndpointGateway || ep.ServiceName == "" {
			continue
		}
		pl := b.endpointPL(ep)
		for _, rtID := range ep.RouteTables {
			rt := b.m.RouteTables[rtID]
			if rt == nil && IsPlaceholder(rtID) && strings.HasSuffix(rtID, ".RouteTableIds)") {
				// Tables the template does not decide: the route may be in
				// any table of the endpoint's VPC.
				why := "the endpoint's RouteTableIds are undecided: this table may hold its route"
				if d, ok := b.m.DanglingRef(rtID); ok {
					why = d.Field
				}
				for _, tid := range model.SortedKeys(b.m.RouteTables) {
					if t := b.m.RouteTables[tid]; t.VPCID == ep.VPCID && !slices.Contains(ep.RouteTables, tid) {
						t.Routes = append(t.Routes, model.Route{DestPrefixList: pl, Target: model.Target{Kind: model.TargetVPCEndpoint, ID: id}, Origin: "CreateRoute", Source: b.m.Sources[id], Unknown: why})
					}
				}
				continue
			}
			if rt == nil {
				b.outsideRef(b.t.resources[b.m.Sources[id]], "RouteTableIds", rtID, model.KindRouteTable)
				continue
			}
			rt.Routes = append(rt.Routes, model.Route{DestPrefixList: pl, Target: model.Target{Kind: model.TargetVPCEndpoint, ID: id}, Origin: "CreateRoute", Source: b.m.Sources[id]})
		}
	}
}

// addrIn hands out a representative address in a subnet for an interface
// whose address AWS picks at creation.
func (b *builder) addrIn(subnetID, eniID, logical string) netip.Addr {
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
			b.assume(eniID, fmt.Sprintf("%s (%s) gets its address at creation: %s stands for it, somewhere in %s %s", eniID, logical, a, subnetID, p))
			return a
		}
	}
	return netip.Addr{}
}

func (b *builder) defaultSG(vpcID string) string {
	for _, id := range model.SortedKeys(b.m.SecurityGroups) {
		if g := b.m.SecurityGroups[id]; g.VPCID == vpcID && g.Name == "default" {
			return id
		}
	}
	return ""
}

// endpointInterfaces gives each interface endpoint one interface per subnet.
func (b *builder) endpointInterfaces() {
	for _, id := range b.newEPs {
		ep := b.m.Endpoints[id]
		if ep.Type == model.EndpointGateway {
			continue
		}
		groups := ep.Groups
		if len(groups) == 0 {
			if d := b.defaultSG(ep.VPCID); d != "" {
				groups = []string{d}
			}
		}
		logical := b.m.Sources[id]
		bySubnet := map[string]string{}
		for _, e := range ep.ENIs {
			if x := b.m.ENIs[e]; x != nil {
				bySubnet[x.SubnetID] = e
			}
		}
		ep.ENIs = nil
		for n, sid := range ep.Subnets {
			if e := bySubnet[sid]; e != "" {
				b.m.ENIs[e].Groups = append([]string{}, groups...)
				ep.ENIs = append(ep.ENIs, e)
				delete(bySubnet, sid)
				continue
			}
			eid := placeholder("eni", fmt.Sprintf("%s#%d", logical, n+1))
			x := &model.ENI{ID: eid, SubnetID: sid, VPCID: ep.VPCID, Groups: append([]string{}, groups...), Type: "vpc_endpoint", Status: "in-use", RequesterManaged: true,
				Description: "VPC Endpoint Interface " + id}
			if s := b.m.Subnets[sid]; s != nil {
				x.AZ = s.AZ
			} else {
				b.outsideRef(b.t.resources[logical], "SubnetIds", sid, model.KindSubnet)
			}
			if a := b.addrIn(sid, eid, logical); a.IsValid() {
				x.PrivateIPs = []netip.Addr{a}
			}
			b.m.ENIs[eid] = x
			b.m.Sources[eid] = logical
			ep.ENIs = append(ep.ENIs, eid)
		}
		for _, e := range bySubnet {
			delete(b.m.ENIs, e) // the endpoint left that subnet
		}
	}
}

// natInterfaces gives each NAT gateway of the stack its interface.
func (b *builder) natInterfaces() {
	for _, id := range model.SortedKeys(b.m.NATGateways) {
		n := b.m.NATGateways[id]
		if !b.created[id] {
			continue
		}
		logical := b.m.Sources[id]
		eid := placeholder("eni", logical)
		x := &model.ENI{ID: eid, SubnetID: n.SubnetID, VPCID: n.VPCID, Type: "nat_gateway", Status: "in-use", RequesterManaged: true, Description: "Interface for NAT Gateway " + id}
		if s := b.m.Subnets[n.SubnetID]; s != nil {
			x.AZ = s.AZ
		}
		if !n.PrivateIP.IsValid() {
			n.PrivateIP = b.addrIn(n.SubnetID, eid, logical)
		}
		if n.PrivateIP.IsValid() {
			x.PrivateIPs = []netip.Addr{n.PrivateIP}
			if n.PublicIP.IsValid() {
				x.PublicIPs = map[netip.Addr]netip.Addr{n.PrivateIP: n.PublicIP}
			}
		}
		n.ENIID = eid
		b.m.ENIs[eid] = x
		b.m.Sources[eid] = logical
	}
}

func (b *builder) networkInterface(r *resource, v map[string]any) {
	e := &model.ENI{ID: r.id, Type: "interface", Status: "available", Tags: tags(v)}
	e.SubnetID = b.ref(r, v, "SubnetId", model.KindSubnet, b.subnetExists)
	e.SourceDestCheck = boolField(b.f(r, v, "SourceDestCheck"), true)
	if f := b.f(r, v, "Description"); f.known() {
		e.Description = f.s
	}
	e.Groups = b.refs(r, v, "GroupSet", model.KindSecurityGroup)
	why := ""
	if s := b.m.Subnets[e.SubnetID]; s != nil {
		e.VPCID, e.AZ = s.VPCID, s.AZ
	}
	if len(e.Groups) == 0 && why == "" {
		if d := b.defaultSG(e.VPCID); d != "" {
			e.Groups = []string{d}
		}
	}
	if f := b.f(r, v, "PrivateIpAddress"); f.known() {
		if a, err := netip.ParseAddr(f.s); err == nil {
			e.PrivateIPs = []netip.Addr{a}
		}
	}
	if l, ok := v["PrivateIpAddresses"].([]any); ok {
		for _, x := range l {
			m, _ := x.(map[string]any)
			f := fieldOf(r.logical, "PrivateIpAddresses.PrivateIpAddress", m["PrivateIpAddress"], m != nil)
			if a, err := netip.ParseAddr(f.s); err == nil && !slices.Contains(e.PrivateIPs, a) {
				if boolField(fieldOf(r.logical, "Primary", m["Primary"], true), false) {
					e.PrivateIPs = append([]netip.Addr{a}, e.PrivateIPs...)
				} else {
					e.PrivateIPs = append(e.PrivateIPs, a)
				}
			}
		}
	}
	b.putENI(r, e)
}

func (b *builder) putENI(r *resource, e *model.ENI) {
	if b.inBase(func(m *model.Model) bool { return m.ENIs[e.ID] != nil }) && len(e.PrivateIPs) == 0 {
		o := b.base.ENIs[e.ID]
		e.PrivateIPs, e.PublicIPs, e.IPv6s = o.PrivateIPs, o.PublicIPs, o.IPv6s
	}
	for _, a := range e.PrivateIPs {
		b.taken[a] = true
	}
	b.m.ENIs[e.ID] = e
	b.m.Sources[e.ID] = r.logical
	b.pending = append(b.pending, e)
}

func (b *builder) instance(r *resource, v map[string]any) {
	in := &model.Instance{ID: r.id, State: "running", Tags: tags(v)}
	type nic struct {
		subnet, ip, existing string
		groups               []string
		public, publicSet    bool
		index                int
		publicWhy            string // AssociatePublicIpAddress undecided
	}
	var nics []nic
	if l, ok := v["NetworkInterfaces"].([]any); ok {
		for i, x := range l {
			m, _ := x.(map[string]any)
			if m == nil {
				continue
			}
			get := func(k string) field {
				return fieldOf(r.logical, fmt.Sprintf("NetworkInterfaces[%d].%s", i, k), m[k], m[k] != nil)
			}
			n := nic{index: i}
			if f := get("DeviceIndex"); f.known() {
				n.index, _ = strconv.Atoi(f.s)
			}
			n.subnet, n.ip, n.existing = get("SubnetId").s, get("PrivateIpAddress").s, get("NetworkInterfaceId").s
			if f := get("SubnetId"); f.why != "" {
				n.subnet = b.undecided(r, fmt.Sprintf("NetworkInterfaces[%d].SubnetId", i), model.KindSubnet, f.why)
			}
			if f := get("NetworkInterfaceId"); f.why != "" {
				n.existing = b.undecided(r, fmt.Sprintf("NetworkInterfaces[%d].NetworkInterfaceId", i), model.KindENI, f.why)
			}
			gs, why := listOf(r.logical, fmt.Sprintf("NetworkInterfaces[%d].GroupSet", i), m["GroupSet"], m["GroupSet"] != nil)
			if why != "" {
				gs = append(gs, b.undecided(r, fmt.Sprintf("NetworkInterfaces[%d].GroupSet", i), model.KindSecurityGroup, why))
			}
			n.groups = gs
			if f := get("AssociatePublicIpAddress"); f.present {
				n.publicSet, n.public, n.publicWhy = true, boolField(f, false), f.why
			}
			nics = append(nics, n)
		}
		slices.SortStableFunc(nics, func(a, c nic) int { return a.index - c.index })
	}
	if len(nics) == 0 {
		n := nic{subnet: b.ref(r, v, "SubnetId", model.KindSubnet, b.subnetExists), ip: b.f(r, v, "PrivateIpAddress").s}
		n.groups = b.refs(r, v, "SecurityGroupIds", model.KindSecurityGroup)
		if names, _ := b.l(r, v, "SecurityGroups"); len(names) > 0 {
			b.warn(r.logical, "SecurityGroups names groups %v (default VPC only): left out of the instance", names)
		}
		nics = []nic{n}
	}
	in.SubnetID = nics[0].subnet
	if s := b.m.Subnets[in.SubnetID]; s != nil {
		in.VPCID = s.VPCID
	}
	b.m.Instances[in.ID] = in
	b.source(in.ID, r)
	for i, n := range nics {
		if n.existing != "" {
			if e := b.m.ENIs[n.existing]; e != nil {
				e.InstanceID, e.DeviceIndex, e.Status = in.ID, n.index, "in-use"
			}
			in.ENIs = append(in.ENIs, n.existing)
			continue
		}
		eid := placeholder("eni", r.logical)
		if i > 0 {
			eid = placeholder("eni", fmt.Sprintf("%s#%d", r.logical, n.index))
		}
		if b.inBase(func(m *model.Model) bool { return m.Instances[in.ID] != nil && len(m.Instances[in.ID].ENIs) > i }) {
			eid = b.base.Instances[in.ID].ENIs[i] // the deployed instance's interface
		}
		e := &model.ENI{ID: eid, SubnetID: n.subnet, Groups: n.groups, Type: "interface", Status: "in-use", InstanceID: in.ID, DeviceIndex: n.index, Tags: in.Tags,
			SourceDestCheck: boolField(b.f(r, v, "SourceDestCheck"), true)}
		if s := b.m.Subnets[n.subnet]; s != nil {
			e.VPCID, e.AZ = s.VPCID, s.AZ
		}
		if len(e.Groups) == 0 {
			if d := b.defaultSG(e.VPCID); d != "" {
				e.Groups = []string{d}
			}
		}
		if a, err := netip.ParseAddr(n.ip); err == nil {
			e.PrivateIPs = []netip.Addr{a}
		}
		if n.index == 0 {
			b.launchPublicIP(r, e, n.subnet, n.publicSet, n.public, n.publicWhy)
		}
		in.ENIs = append(in.ENIs, eid)
		b.putENI(r, e)
	}
}

// launchPublicIP decides whether an instance's primary interface e gets a
// public IPv4 at launch: AssociatePublicIpAddress when set, else the
// subnet's MapPublicIpOnLaunch (EC2 User Guide, "Public IPv4 addresses",
// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-instance-addressing.html#concepts-public-addresses).
// Where the template leaves that open, e keeps the question, named.
func (b *builder) launchPublicIP(r *resource, e *model.ENI, subnet string, set, public bool, why string) {
	mapPublic, ours := b.mapPublic[subnet]
	outside := model.Unknown // a subnet of the network under the template
	if s := b.m.Subnets[subnet]; s != nil && !ours {
		outside = s.MapPublicIP
	}
	switch {
	case set && why != "":
		e.PublicIPUnknown = why
	case set && public, !set && mapPublic:
		b.wantPub = append(b.wantPub, e.ID)
	case set:
	case b.mapPublicWhy[subnet] != "":
		e.PublicIPUnknown = fmt.Sprintf("%s sets no AssociatePublicIpAddress, and %s", r.logical, b.mapPublicWhy[subnet])
	case ours || b.m.Subnets[subnet] == nil || outside == model.No:
	case outside == model.Yes:
		b.wantPub = append(b.wantPub, e.ID)
		b.assume(e.ID, fmt.Sprintf("%s sets no AssociatePublicIpAddress: it gets a public IPv4 because %s maps public IPs on launch", r.logical, subnet))
	default:
		e.PublicIPUnknown = fmt.Sprintf("%s sets no AssociatePublicIpAddress, and whether %s maps public IPs on launch is in neither the template nor the snapshot", r.logical, subnet)
	}
}

func (b *builder) eniAttachment(r *resource, v map[string]any) {
	e := b.m.ENIs[b.f(r, v, "NetworkInterfaceId").s]
	in := b.m.Instances[b.f(r, v, "InstanceId").s]
	if e == nil || in == nil {
		return
	}
	e.InstanceID, e.Status = in.ID, "in-use"
	if f := b.f(r, v, "DeviceIndex"); f.known() {
		e.DeviceIndex, _ = strconv.Atoi(f.s)
	}
	in.ENIs = appendUniq(in.ENIs, e.ID)
}

// assignAddresses gives interfaces without a given address a
// representative one, after every given address is taken, and public
// IPs to those that get one at launch.
func (b *builder) assignAddresses() {
	for _, e := range b.pending {
		if len(e.PrivateIPs) == 0 {
			if a := b.addrIn(e.SubnetID, e.ID, b.m.Sources[e.ID]); a.IsValid() {
				e.PrivateIPs = []netip.Addr{a}
			}
		}
	}
	for _, eid := range b.wantPub {
		e := b.m.ENIs[eid]
		if e == nil || len(e.PrivateIPs) == 0 || len(e.PublicIPs) > 0 {
			continue // a deployed interface keeps the public IP it has
		}
		b.pub++
		pub := netip.AddrFrom4([4]byte{198, 51, 100, byte(b.pub)})
		e.PublicIPs = map[netip.Addr]netip.Addr{e.PrivateIPs[0]: pub}
		b.assume(eid, fmt.Sprintf("%s's public IP is assigned at launch: %s stands for it (TEST-NET-2, a documentation range)", eid, pub))
	}
}

// eipAssociation maps an Elastic IP to an interface: an
// AWS::EC2::EIPAssociation, or an AWS::EC2::EIP with InstanceId.
func (b *builder) eipAssociation(r *resource, v map[string]any) {
	var pub netip.Addr
	eipLogical := ""
	if r.typ == "AWS::EC2::EIP" {
		eipLogical = r.logical
	} else {
		alloc, eip := b.f(r, v, "AllocationId"), b.f(r, v, "EIP")
		for l, x := range b.t.resources {
			if x.typ != "AWS::EC2::EIP" {
				continue
			}
			if (alloc.known() && alloc.s == placeholder("eipalloc", l)) || (eip.known() && eip.s == b.eipAddr(l).String()) {
				eipLogical = l
			}
		}
	}
	if eipLogical != "" {
		pub = b.eipAddr(eipLogical)
	} else {
		pub = b.eipAddr(r.logical)
	}
	if b.eipTargetUndecided(r, v) {
		return
	}
	eid := b.f(r, v, "NetworkInterfaceId").s
	if eid == "" {
		if in := b.m.Instances[b.f(r, v, "InstanceId").s]; in != nil && len(in.ENIs) > 0 {
			eid = in.ENIs[0]
		}
	}
	e := b.m.ENIs[eid]
	if e == nil || len(e.PrivateIPs) == 0 {
		if r.typ != "AWS::EC2::EIP" || b.f(r, v, "InstanceId").present {
			b.warn(r.logical, "the interface the Elastic IP goes to is not in the model: left out")
		}
		return
	}
	priv := e.PrivateIPs[0]
	if f := b.f(r, v, "PrivateIpAddress"); f.known() {
		if a, err := netip.ParseAddr(f.s); err == nil {
			priv = a
		}
	}
	if e.PublicIPs == nil {
		e.PublicIPs = map[netip.Addr]netip.Addr{}
	}
	e.PublicIPs[priv] = pub
	b.assume(eid, fmt.Sprintf("%s's Elastic IP is allocated at creation: %s stands for it (TEST-NET-2, a documentation range)", eid, pub))
}

// eipTargetUndecided handles an Elastic IP whose InstanceId or
// NetworkInterfaceId the template leaves open: it may go to any instance's
// primary interface (any interface, for NetworkInterfaceId) in the
// network, the stack's or not, so each such interface without a public IP
// is marked as possibly public, naming the Elastic IP. It reports whether
// the target was undecided.
func (b *builder) eipTargetUndecided(r *resource, v map[string]any) bool {
	inst, ni := b.f(r, v, "InstanceId"), b.f(r, v, "NetworkInterfaceId")
	why, anyENI := inst.why, false
	if ni.why != "" {
		why, anyENI = ni.why, true
	}
	if why == "" {
		return false
	}
	n := 0
	for _, id := range model.SortedKeys(b.m.ENIs) {
		e := b.m.ENIs[id]
		if managed := e.Type != "" && e.Type != "interface"; managed || len(e.PublicIPs) > 0 || e.PublicIPUnknown != "" ||
			!anyENI && (e.InstanceID == "" || e.DeviceIndex != 0) {
			continue
		}
		e.PublicIPUnknown = fmt.Sprintf("%s: the Elastic IP of %s may be associated with it", why, r.logical)
		n++
	}
	b.warn(r.logical, "%s: the Elastic IP's target is unknown; %d interfaces may have it", why, n)
	return true
}

// implicitDefaults adds what AWS creates with each new VPC: a main route
// table, a default network ACL allowing everything and a default security
// group (all from itself, all out) (VPC guide, "Default security group",
// "Default network ACL", "Main route table").
func (b *builder) implicitDefaults() {
	for _, vid := range model.SortedKeys(b.m.VPCs) {
		if !b.created[vid] {
			continue
		}
		logical := b.m.Sources[vid]
		id := placeholder("sg", logical+":default")
		g := &model.SecurityGroup{ID: id, Name: "default", VPCID: vid, OwnerID: b.account()}
		g.Ingress = []model.SGRule{{GroupID: id, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, PeerGroup: id, Source: logical}}
		g.Egress = []model.SGRule{{GroupID: id, Egress: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: anyV4, Source: logical}}
		b.m.SecurityGroups[id] = g
		b.m.Sources[id] = logical
		aid := placeholder("acl", logical+":default")
		b.m.NetworkACLs[aid] = &model.NetworkACL{ID: aid, VPCID: vid, IsDefault: true,
			Inbound:  []model.NACLEntry{{Number: 100, Allow: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: anyV4, Source: logical}, finalDeny(false)},
			Outbound: []model.NACLEntry{{Number: 100, Egress: true, Allow: true, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: anyV4, Source: logical}, finalDeny(true)}}
		b.m.Sources[aid] = logical
		rid := placeholder("rtb", logical+":main")
		b.m.RouteTables[rid] = &model.RouteTable{ID: rid, VPCID: vid, Main: true}
		b.m.Sources[rid] = logical
	}
}

// localRoutes gives every table of a VPC the local route of each of the
// VPC's blocks (AWS adds it; a template does not list it).
func (b *builder) localRoutes() {
	for _, id := range model.SortedKeys(b.m.RouteTables) {
		rt := b.m.RouteTables[id]
		v := b.m.VPCs[rt.VPCID]
		if d, ok := b.m.DanglingRef(rt.VPCID); v == nil && ok && d.Origin == b.t.File {
			// A table of an undecided VPC: its local routes are unknown.
			rt.Routes = append([]model.Route{{Target: model.Target{Kind: model.TargetUnknown, ID: rt.VPCID}, Origin: "CreateRouteTable", Source: b.m.Sources[id], Unknown: "the local routes of " + rt.VPCID + ", which neither the template nor the network under it describes (" + d.Field + ")"}}, rt.Routes...)
			continue
		}
		if v == nil {
			continue
		}
		if why := b.cidrUnknown[v.ID]; why != "" {
			rt.Routes = append([]model.Route{{Target: model.Target{Kind: model.TargetUnknown, ID: "local"}, Origin: "CreateRouteTable", Source: b.m.Sources[v.ID], Unknown: "the local route of " + v.ID + ": " + why}}, rt.Routes...)
		}
		var local []model.Route
		for _, c := range append(append([]netip.Prefix{}, v.CIDRs...), v.IPv6CIDRs...) {
			has := false
			for _, x := range rt.Routes {
				has = has || (x.Dest == c && x.Target.Kind == model.TargetLocal)
			}
			if !has {
				local = append(local, model.Route{Dest: c, Target: model.Target{Kind: model.TargetLocal, ID: "local"}, Origin: "CreateRouteTable"})
			}
		}
		rt.Routes = append(local, rt.Routes...)
	}
}

// capacity sets the free addresses of the stack's subnets: size less AWS's
// five reserved less the model's interfaces.
func (b *builder) capacity() {
	count := map[string]int{}
	for _, e := range b.m.ENIs {
		count[e.SubnetID] += max(1, len(e.PrivateIPs))
	}
	for _, id := range model.SortedKeys(b.m.Subnets) {
		s := b.m.Subnets[id]
		if b.created[id] && s.CIDR.IsValid() && s.CIDR.Addr().Is4() {
			s.AvailableIPs = max(0, 1<<(32-s.CIDR.Bits())-5-count[id])
		}
	}
}
