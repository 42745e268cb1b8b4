package snapshot

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// finish ties what only makes sense once every file is read: instances to
// their interfaces, prefix-list entries to lists, VPC attributes to VPCs;
// then checks references and builds the indexes.
func (l *loader) finish() error {
	m := l.m
	for _, pi := range l.instances {
		if err := l.instance(pi); err != nil {
			return err
		}
	}
	for _, pe := range l.entries {
		pl := m.PrefixLists[pe.plID]
		if pl == nil {
			pl = &model.PrefixList{ID: pe.plID}
			m.PrefixLists[pe.plID] = pl
			m.Present[model.KindPrefixList] = true
		}
		pl.CIDRs = pl.CIDRs[:0]
		for j, c := range pe.cidrs {
			p, err := parsePrefix(c)
			if err != nil {
				return &Error{File: pe.file, Field: fmt.Sprintf("Entries[%d].Cidr", j), Err: err}
			}
			pl.CIDRs = append(pl.CIDRs, p)
		}
		pl.CIDRsKnown = true
	}
	for _, pr := range l.records {
		z := l.zone(pr.zone)
		m.Present[model.KindRecordSet] = true
		z.RecordsKnown = true
		for _, w := range pr.sets {
			r := model.Record{Name: model.FQDN(strings.ReplaceAll(w.Name, `\052`, "*")), Type: strings.ToUpper(w.Type), TTL: w.TTL}
			for _, v := range w.ResourceRecords {
				r.Values = append(r.Values, v.Value)
			}
			if w.AliasTarget != nil {
				r.Alias = &model.Alias{DNSName: model.FQDN(w.AliasTarget.DNSName), HostedZoneID: w.AliasTarget.HostedZoneId}
			}
			if z.Name == "" && r.Type == "SOA" {
				z.Name = r.Name
			}
			z.Records = append(z.Records, r)
		}
	}
	for _, ra := range l.ruleVPCs {
		r := m.ResolverRules[ra.rule]
		if r == nil {
			if m.Present[model.KindResolverRule] {
				m.Dangling = append(m.Dangling, model.Dangling{Origin: ra.file, Field: "ResolverRuleAssociations (" + ra.rule + ").ResolverRuleId", ID: ra.rule, Kind: model.KindResolverRule})
			}
			continue
		}
		if !slices.Contains(r.VPCs, ra.vpc) {
			r.VPCs = append(r.VPCs, ra.vpc)
		}
	}
	for _, a := range l.attrs {
		v := m.VPCs[a.vpc]
		if v == nil {
			if m.Present[model.KindVPC] {
				return &Error{File: a.file, Field: "VpcId", Err: fmt.Errorf("%s is not among the snapshot's Vpcs", a.vpc)}
			}
			v = &model.VPC{ID: a.vpc}
			m.VPCs[a.vpc] = v
		}
		switch a.attr {
		case "EnableDnsSupport":
			v.DNSSupport = model.TriOf(*a.val)
		case "EnableDnsHostnames":
			v.DNSHostnames = model.TriOf(*a.val)
		}
		m.Present[model.KindVPCAttribute] = true
	}
	// Regions: a VPC's own file folder wins, then its subnets' folder or AZ.
	for id, r := range l.vpcFile {
		m.VPCRegion[id] = r
	}
	for _, s := range m.Subnets {
		if r := l.azRegion[s.AZ]; r != "" && m.VPCRegion[s.VPCID] == "" {
			m.VPCRegion[s.VPCID] = r
		}
	}
	for id, v := range m.VPCs {
		if v.Region == "" {
			v.Region = m.VPCRegion[id]
		}
		if v.Region != "" {
			m.VPCRegion[id] = v.Region
		}
	}
	if err := l.finishTransit(); err != nil {
		return err
	}
	// Endpoint and NAT interfaces carry their owner's VPC when only the
	// owner was described.
	l.checkRefs()
	l.checkTransitRefs()
	for _, d := range m.Dangling {
		l.warns = append(l.warns, Warning{File: d.Origin, Message: d.Field + ": " + d.ID + " is not among the snapshot's " + string(d.Kind) + " (dangling reference); traces that need it answer unknown, or fail when the question names it"})
	}
	var absent []string
	for _, k := range coreKinds {
		if !m.Present[k] {
			absent = append(absent, string(k))
		}
	}
	if len(absent) > 0 {
		l.warns = append(l.warns, Warning{File: l.root, Message: "partial snapshot: no " + strings.Join(absent, ", ") +
			" described; flows that depend on them answer unknown"})
	}
	m.Index()
	return nil
}

// coreKinds are the kinds every trace reads.
var coreKinds = []model.Kind{model.KindVPC, model.KindSubnet, model.KindRouteTable, model.KindSecurityGroup, model.KindNetworkACL, model.KindENI}

func (l *loader) instance(pi pendingInstance) error {
	m := l.m
	w := pi.in
	in := &model.Instance{ID: w.InstanceId, SubnetID: w.SubnetId, VPCID: w.VpcId, Tags: tags(w.Tags)}
	if w.State != nil {
		in.State = w.State.Name
	}
	az := ""
	if w.Placement != nil {
		az = w.Placement.AvailabilityZone
	}
	type ix struct {
		id  string
		idx int
	}
	var enis []ix
	for k, wn := range w.NetworkInterfaces {
		if wn.NetworkInterfaceId == "" {
			return &Error{File: pi.file, Field: fmt.Sprintf("Reservations[].Instances[] (%s).NetworkInterfaces[%d].NetworkInterfaceId", w.InstanceId, k), Err: missing()}
		}
		idx := k
		if wn.Attachment != nil && wn.Attachment.DeviceIndex != nil {
			idx = *wn.Attachment.DeviceIndex
		}
		enis = append(enis, ix{wn.NetworkInterfaceId, idx})
		if e := m.ENIs[wn.NetworkInterfaceId]; e != nil {
			// describe-network-interfaces is authoritative; fill gaps only.
			// An ID that another instance already holds with other
			// addresses is a broken record (the cloudmapper demo reuses
			// one ENI ID for three instances): never lend one instance
			// another's address, subnet and groups.
			if e.InstanceID != "" && e.InstanceID != w.InstanceId {
				l.warns = append(l.warns, Warning{File: pi.file, Message: fmt.Sprintf(
					"Reservations[].Instances[] (%s).NetworkInterfaces[%d]: %s is already %s's interface (%s in %s); the duplicate ID is not used for %s",
					w.InstanceId, k, e.ID, e.InstanceID, e.PrimaryIP(), e.SubnetID, w.InstanceId)})
				enis = enis[:len(enis)-1]
				continue
			}
			if e.InstanceID == "" {
				e.InstanceID = w.InstanceId
			}
			continue
		}
		if wn.SubnetId == "" {
			wn.SubnetId = w.SubnetId
		}
		if wn.VpcId == "" {
			wn.VpcId = w.VpcId
		}
		e, err := l.eniFrom(pi.file, fmt.Sprintf("Reservations[].Instances[] (%s).NetworkInterfaces[%d]", w.InstanceId, k), wn, az)
		if err != nil {
			return err
		}
		e.InstanceID = w.InstanceId
		if e.DeviceIndex < 0 {
			e.DeviceIndex = idx
		}
		if idx == 0 && w.PublicIpAddress != "" && len(e.PublicIPs) == 0 && len(e.PrivateIPs) > 0 {
			if pub, err := parseAddr(w.PublicIpAddress); err == nil {
				e.PublicIPs = map[netip.Addr]netip.Addr{e.PrivateIPs[0]: pub}
			}
		}
		m.ENIs[e.ID] = e
		l.define("NetworkInterfaces", e.ID, pi.file)
	}
	sort.SliceStable(enis, func(a, b int) bool { return enis[a].idx < enis[b].idx })
	for _, e := range enis {
		in.ENIs = append(in.ENIs, e.id)
	}
	m.Instances[in.ID] = in
	return nil
}

// checkRefs records dangling references in the model. A reference is
// dangling when the snapshot describes the referenced kind but holds no
// resource with that ID. Real snapshots have them: boto recordings of
// filtered describe calls, hand-trimmed demos, even Batfish's test
// snapshots. So they are not fatal at load time: they are warnings naming
// the file and field, and a trace that needs the missing resource answers
// unknown (or, when the question itself names it, fails with the same
// file and field). When the kind was not described at all the reference is
// a gap in the data, recorded nowhere: traces that need it answer unknown.
//
// Blackhole routes may name deleted targets (that is what blackhole means),
// so their targets are not checked.
func (l *loader) checkRefs() {
	m := l.m
	has := func(kind model.Kind, id string, exists bool) bool {
		return id == "" || !m.Present[kind] || exists
	}
	vpc := func(id string) bool { _, ok := m.VPCs[id]; return has(model.KindVPC, id, ok) }
	subnet := func(id string) bool { _, ok := m.Subnets[id]; return has(model.KindSubnet, id, ok) }

	dangling := func(file, fieldName, id string, kind model.Kind) {
		m.Dangling = append(m.Dangling, model.Dangling{Origin: file, Field: fieldName, ID: id, Kind: kind})
	}
	for _, id := range model.SortedKeys(m.Subnets) {
		s := m.Subnets[id]
		if !vpc(s.VPCID) {
			dangling(l.fileOf("Subnets", id), "Subnets ("+id+").VpcId", s.VPCID, model.KindVPC)
		}
	}
	for _, id := range model.SortedKeys(m.RouteTables) {
		rt := m.RouteTables[id]
		file := l.fileOf("RouteTables", id)
		if !vpc(rt.VPCID) {
			dangling(file, "RouteTables ("+id+").VpcId", rt.VPCID, model.KindVPC)
		}
		for _, s := range rt.Subnets {
			if !subnet(s) {
				dangling(file, "RouteTables ("+id+").Associations.SubnetId", s, model.KindSubnet)
			}
		}
		for _, r := range rt.Routes {
			if r.Blackhole {
				continue
			}
			var ok bool
			var kind model.Kind
			switch r.Target.Kind {
			case model.TargetNAT:
				_, ok = m.NATGateways[r.Target.ID]
				kind = model.KindNATGateway
			case model.TargetIGW:
				_, ok = m.InternetGateways[r.Target.ID]
				kind = model.KindInternetGateway
			case model.TargetVPCEndpoint:
				_, ok = m.Endpoints[r.Target.ID]
				kind = model.KindVPCEndpoint
			case model.TargetPeering:
				_, ok = m.Peerings[r.Target.ID]
				kind = model.KindPeering
			default:
				continue
			}
			if !has(kind, r.Target.ID, ok) {
				dangling(file, "RouteTables ("+id+").Routes ("+r.DestString()+")", r.Target.ID, kind)
			}
		}
	}
	for _, id := range model.SortedKeys(m.NetworkACLs) {
		acl := m.NetworkACLs[id]
		file := l.fileOf("NetworkAcls", id)
		if !vpc(acl.VPCID) {
			dangling(file, "NetworkAcls ("+id+").VpcId", acl.VPCID, model.KindVPC)
		}
		for _, s := range acl.Subnets {
			if !subnet(s) {
				dangling(file, "NetworkAcls ("+id+").Associations.SubnetId", s, model.KindSubnet)
			}
		}
	}
	for _, id := range model.SortedKeys(m.ENIs) {
		e := m.ENIs[id]
		file := l.fileOf("NetworkInterfaces", id)
		if !subnet(e.SubnetID) {
			dangling(file, "NetworkInterfaces ("+id+").SubnetId", e.SubnetID, model.KindSubnet)
		}
		if s := m.Subnets[e.SubnetID]; s != nil {
			if e.VPCID == "" {
				e.VPCID = s.VPCID
			} else if e.VPCID != s.VPCID {
				l.warns = append(l.warns, Warning{File: file, Message: fmt.Sprintf("NetworkInterfaces (%s).VpcId: %s, but its subnet %s is in %s; using the subnet's VPC", id, e.VPCID, s.ID, s.VPCID)})
				e.VPCID = s.VPCID
			}
			if e.AZ == "" {
				e.AZ = s.AZ
			}
			for _, a := range e.PrivateIPs {
				if s.CIDR.IsValid() && !s.Contains(a) {
					l.warns = append(l.warns, Warning{File: file, Message: fmt.Sprintf("NetworkInterfaces (%s).PrivateIpAddress: %s is outside its subnet %s (%s)", id, a, s.ID, s.CIDR)})
				}
			}
		}
		for _, g := range e.Groups {
			if _, ok := m.SecurityGroups[g]; !has(model.KindSecurityGroup, g, ok) {
				dangling(file, "NetworkInterfaces ("+id+").Groups", g, model.KindSecurityGroup)
			}
		}
	}
	for _, id := range model.SortedKeys(m.Endpoints) {
		ep := m.Endpoints[id]
		file := l.fileOf("VpcEndpoints", id)
		if !vpc(ep.VPCID) {
			dangling(file, "VpcEndpoints ("+id+").VpcId", ep.VPCID, model.KindVPC)
		}
		for _, s := range ep.Subnets {
			if !subnet(s) {
				dangling(file, "VpcEndpoints ("+id+").SubnetIds", s, model.KindSubnet)
			}
		}
		for _, r := range ep.RouteTables {
			if _, ok := m.RouteTables[r]; !has(model.KindRouteTable, r, ok) {
				dangling(file, "VpcEndpoints ("+id+").RouteTableIds", r, model.KindRouteTable)
			}
		}
		for _, e := range ep.ENIs {
			if _, ok := m.ENIs[e]; !has(model.KindENI, e, ok) {
				dangling(file, "VpcEndpoints ("+id+").NetworkInterfaceIds", e, model.KindENI)
			}
		}
	}
	for _, id := range model.SortedKeys(m.NATGateways) {
		n := m.NATGateways[id]
		if n.State == "deleted" || n.State == "failed" {
			continue
		}
		if !subnet(n.SubnetID) {
			dangling(l.fileOf("NatGateways", id), "NatGateways ("+id+").SubnetId", n.SubnetID, model.KindSubnet)
		}
	}
	for _, id := range model.SortedKeys(m.InternetGateways) {
		for _, v := range m.InternetGateways[id].VPCs {
			if !vpc(v) {
				dangling(l.fileOf("InternetGateways", id), "InternetGateways ("+id+").Attachments.VpcId", v, model.KindVPC)
			}
		}
	}
}
