package matrix

import (
	"fmt"
	"math/rand/v2"
	"net/netip"

	"github.com/vpcpath/vpcpath/model"
)

// randomEstate builds a small random estate from seed: two or three VPCs
// (10.v.0.0/16, one in another Region now and then) joined by a peering
// connection and a transit gateway, each with two to four subnets in two
// zones, random route tables (local, peer, transit gateway, sometimes a
// blackhole), random network ACLs (ordered allow and deny entries on a few
// port ranges and blocks, some naming single hosts), security groups whose
// rules name blocks, hosts, a prefix list and other groups, and interfaces, several per
// subnet, drawing their groups from a small pool so that many share a
// class. Ports come from a small set so that the runs stay few.
func randomEstate(seed uint64) *model.Model {
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	m := model.New()
	for _, k := range []model.Kind{model.KindVPC, model.KindSubnet, model.KindRouteTable, model.KindSecurityGroup,
		model.KindNetworkACL, model.KindENI, model.KindInstance, model.KindPeering, model.KindTransitGateway,
		model.KindTGWAttachment, model.KindTGWRouteTable, model.KindPrefixList} {
		m.Present[k] = true
	}
	ports := []model.PortRange{{First: 22, Last: 22}, {First: 443, Last: 443}, {First: 8440, Last: 8450}, {First: 1024, Last: 65535}, {First: 0, Last: 1023}, model.AllPorts}
	protos := []model.Protocol{model.ProtoTCP, model.ProtoTCP, model.ProtoTCP, model.ProtoUDP, model.ProtoAll}
	nv := 2 + r.IntN(2)
	var subnets []*model.Subnet
	var hosts []netip.Addr
	vpcBlock := func(v int) netip.Prefix { return netip.MustParsePrefix(fmt.Sprintf("10.%d.0.0/16", v)) }
	for v := range nv {
		id := fmt.Sprintf("vpc-%d", v)
		region := "us-east-1"
		if v == 2 && r.IntN(2) == 0 {
			region = "us-west-2"
		}
		m.VPCs[id] = &model.VPC{ID: id, OwnerID: fmt.Sprintf("11111111111%d", v%2), Region: region, CIDRs: []netip.Prefix{vpcBlock(v)}, DNSSupport: model.Yes, DNSHostnames: model.Yes}
		m.VPCRegion[id] = region
		ns := 2 + r.IntN(3)
		for s := range ns {
			sid := fmt.Sprintf("subnet-%d%d", v, s)
			az := region + string(rune('a'+s%2))
			sub := &model.Subnet{ID: sid, VPCID: id, AZ: az, CIDR: netip.MustParsePrefix(fmt.Sprintf("10.%d.%d.0/24", v, s)), AvailableIPs: -1,
				Tags: model.Tags{"Name": fmt.Sprintf("s%d%d", v, s), "tier": []string{"web", "app", "data"}[r.IntN(3)]}}
			m.Subnets[sid] = sub
			subnets = append(subnets, sub)
		}
		// Groups: a default one and a few more.
		for g := range 3 {
			gid := fmt.Sprintf("sg-%d%d", v, g)
			name := fmt.Sprintf("g%d%d", v, g)
			if g == 0 {
				name = "default"
			}
			m.SecurityGroups[gid] = &model.SecurityGroup{ID: gid, Name: name, VPCID: id}
		}
	}
	// Interfaces.
	n := 0
	for _, sub := range subnets {
		k := r.IntN(4) // some subnets hold none: a stand-in then
		for h := range k {
			vpc := sub.VPCID
			var groups []string
			for g := range 3 {
				if r.IntN(3) == 0 || g == 2 && len(groups) == 0 {
					groups = append(groups, fmt.Sprintf("sg-%s%d", vpc[4:], g))
				}
			}
			a := sub.CIDR.Addr().As4()
			a[3] = byte(10 + h*7)
			ip := netip.AddrFrom4(a)
			id := fmt.Sprintf("eni-%03d", n)
			n++
			e := &model.ENI{ID: id, SubnetID: sub.ID, VPCID: vpc, AZ: sub.AZ, PrivateIPs: []netip.Addr{ip}, Groups: groups,
				Type: "interface", Status: "in-use", SourceDestCheck: true}
			switch r.IntN(8) {
			case 0: // a stopped instance sends and answers nothing
				e.InstanceID = "i-" + id[4:]
				m.Instances[e.InstanceID] = &model.Instance{ID: e.InstanceID, State: "stopped", SubnetID: sub.ID, VPCID: vpc, ENIs: []string{id}}
			case 1: // a running one
				e.InstanceID = "i-" + id[4:]
				m.Instances[e.InstanceID] = &model.Instance{ID: e.InstanceID, State: "running", SubnetID: sub.ID, VPCID: vpc, ENIs: []string{id}}
			case 2: // a public address, which no flow between VPCs uses
				e.PublicIPs = map[netip.Addr]netip.Addr{ip: netip.AddrFrom4([4]byte{203, 0, 113, byte(n)})}
			case 3: // not attached to anything
				e.Status = "available"
			}
			m.ENIs[id] = e
			hosts = append(hosts, ip)
		}
	}
	// A customer-managed prefix list of a few hosts and a subnet, which
	// group rules name now and then.
	pl := &model.PrefixList{ID: "pl-hosts", Name: "hosts", OwnerID: "111111111110", CIDRsKnown: true,
		CIDRs: []netip.Prefix{subnets[r.IntN(len(subnets))].CIDR}}
	for range 2 {
		if len(hosts) > 0 {
			pl.CIDRs = append(pl.CIDRs, netip.PrefixFrom(hosts[r.IntN(len(hosts))], 32))
		}
	}
	m.PrefixLists[pl.ID] = pl
	peer := func() netip.Prefix {
		switch r.IntN(5) {
		case 0:
			return netip.MustParsePrefix("0.0.0.0/0")
		case 1:
			if len(hosts) > 0 {
				return netip.PrefixFrom(hosts[r.IntN(len(hosts))], 32)
			}
		case 2:
			return subnets[r.IntN(len(subnets))].CIDR
		}
		return vpcBlock(r.IntN(nv))
	}
	// Group rules.
	for _, gid := range model.SortedKeys(m.SecurityGroups) {
		g := m.SecurityGroups[gid]
		for range 1 + r.IntN(3) {
			rule := model.SGRule{GroupID: gid, Protocol: protos[r.IntN(len(protos))], Ports: ports[r.IntN(len(ports))], ICMP: model.AnyICMP}
			if rule.Protocol == model.ProtoAll {
				rule.Ports = model.AllPorts
			}
			if r.IntN(3) == 0 {
				rule.PeerGroup = fmt.Sprintf("sg-%s%d", g.VPCID[4:], r.IntN(3))
				if r.IntN(4) == 0 { // a group of another VPC: across peering, or nowhere
					rule.PeerGroup = fmt.Sprintf("sg-%d%d", r.IntN(nv), r.IntN(3))
				}
			} else if r.IntN(5) == 0 {
				rule.PrefixListID = pl.ID
			} else {
				rule.CIDR = peer()
			}
			g.Ingress = append(g.Ingress, rule)
		}
		if r.IntN(3) == 0 {
			rule := model.SGRule{GroupID: gid, Egress: true, Protocol: model.ProtoTCP, Ports: ports[r.IntN(len(ports))], CIDR: peer(), ICMP: model.AnyICMP}
			g.Egress = append(g.Egress, rule)
		} else {
			g.Egress = append(g.Egress, model.SGRule{GroupID: gid, Egress: true, Protocol: model.ProtoAll, Ports: model.AllPorts, CIDR: netip.MustParsePrefix("0.0.0.0/0"), ICMP: model.AnyICMP})
		}
	}
	// Peering between VPC 0 and 1, a transit gateway for all.
	m.Peerings["pcx-01"] = &model.Peering{ID: "pcx-01", Status: model.PeeringActive,
		Requester: model.PeeringSide{VPCID: "vpc-0", Region: m.VPCs["vpc-0"].Region, CIDRs: []netip.Prefix{vpcBlock(0)}},
		Accepter:  model.PeeringSide{VPCID: "vpc-1", Region: m.VPCs["vpc-1"].Region, CIDRs: []netip.Prefix{vpcBlock(1)}}}
	m.TransitGateways["tgw-1"] = &model.TransitGateway{ID: "tgw-1", Region: "us-east-1", State: "available", SecurityGroupReferencing: model.No}
	tgwRT := &model.TGWRouteTable{ID: "tgw-rtb-1", TransitGatewayID: "tgw-1", State: "available", RoutesFrom: model.TGWRoutesSearched, AssociationsKnown: true, PropagationsKnown: true}
	m.TGWRouteTables[tgwRT.ID] = tgwRT
	for v := range nv {
		id := fmt.Sprintf("vpc-%d", v)
		if m.VPCs[id].Region != "us-east-1" {
			continue
		}
		att := fmt.Sprintf("tgw-attach-%d", v)
		var subs []string
		for _, s := range subnets {
			if s.VPCID == id && len(subs) < 2 && (len(subs) == 0 || s.AZ != m.Subnets[subs[0]].AZ) {
				subs = append(subs, s.ID)
			}
		}
		m.TGWAttachments[att] = &model.TGWAttachment{ID: att, TransitGatewayID: "tgw-1", ResourceType: model.TGWAttachVPC, ResourceID: id, State: "available",
			Subnets: subs, Association: &model.TGWAssociation{RouteTableID: tgwRT.ID, State: "associated"}}
		route := model.TGWRoute{Dest: vpcBlock(v), Type: model.TGWRoutePropagated, State: model.TGWRouteActive, Attachments: []string{att}}
		if r.IntN(5) == 0 {
			route = model.TGWRoute{Dest: vpcBlock(v), Type: model.TGWRouteStatic, State: model.TGWRouteBlackhole}
		}
		tgwRT.Routes = append(tgwRT.Routes, route)
	}
	// Route tables: a main one per VPC and a random one for some subnets.
	for v := range nv {
		id := fmt.Sprintf("vpc-%d", v)
		mk := func(rid string, main bool) *model.RouteTable {
			rt := &model.RouteTable{ID: rid, VPCID: id, Main: main,
				Routes: []model.Route{{Dest: vpcBlock(v), Target: model.Target{Kind: model.TargetLocal, ID: "local"}}}}
			if v < 2 && r.IntN(4) != 0 {
				rt.Routes = append(rt.Routes, model.Route{Dest: vpcBlock(1 - v), Target: model.Target{Kind: model.TargetPeering, ID: "pcx-01"}})
			}
			if m.VPCs[id].Region == "us-east-1" && r.IntN(4) != 0 {
				rt.Routes = append(rt.Routes, model.Route{Dest: netip.MustParsePrefix("10.0.0.0/8"), Target: model.Target{Kind: model.TargetTransitGateway, ID: "tgw-1"}})
			}
			if r.IntN(6) == 0 {
				rt.Routes = append(rt.Routes, model.Route{Dest: subnets[r.IntN(len(subnets))].CIDR, Blackhole: true, Target: model.Target{Kind: model.TargetNAT, ID: "nat-gone"}})
			}
			m.RouteTables[rid] = rt
			return rt
		}
		mk(fmt.Sprintf("rtb-%d-main", v), true)
		custom := mk(fmt.Sprintf("rtb-%d-x", v), false)
		acls := []*model.NetworkACL{{ID: fmt.Sprintf("acl-%d-default", v), VPCID: id, IsDefault: true,
			Inbound:  []model.NACLEntry{{Number: 100, Allow: true, Protocol: model.ProtoAll, Ports: model.AllPorts, CIDR: netip.MustParsePrefix("0.0.0.0/0"), ICMP: model.AnyICMP}, {Number: model.FinalRuleNumber, Protocol: model.ProtoAll, Ports: model.AllPorts, CIDR: netip.MustParsePrefix("0.0.0.0/0"), ICMP: model.AnyICMP}},
			Outbound: []model.NACLEntry{{Number: 100, Egress: true, Allow: true, Protocol: model.ProtoAll, Ports: model.AllPorts, CIDR: netip.MustParsePrefix("0.0.0.0/0"), ICMP: model.AnyICMP}, {Number: model.FinalRuleNumber, Egress: true, Protocol: model.ProtoAll, Ports: model.AllPorts, CIDR: netip.MustParsePrefix("0.0.0.0/0"), ICMP: model.AnyICMP}}}}
		custom2 := &model.NetworkACL{ID: fmt.Sprintf("acl-%d-x", v), VPCID: id}
		for _, egress := range []bool{false, true} {
			var es []model.NACLEntry
			for k := range 1 + r.IntN(3) {
				p := protos[r.IntN(len(protos))]
				e := model.NACLEntry{Number: 10 * (k + 1), Egress: egress, Allow: r.IntN(3) != 0, Protocol: p, Ports: ports[r.IntN(len(ports))], CIDR: peer(), ICMP: model.AnyICMP}
				if p == model.ProtoAll {
					e.Ports = model.AllPorts
				}
				es = append(es, e)
			}
			es = append(es, model.NACLEntry{Number: 100, Egress: egress, Allow: true, Protocol: model.ProtoTCP, Ports: model.PortRange{First: 1024, Last: 65535}, CIDR: netip.MustParsePrefix("0.0.0.0/0"), ICMP: model.AnyICMP},
				model.NACLEntry{Number: model.FinalRuleNumber, Egress: egress, Protocol: model.ProtoAll, Ports: model.AllPorts, CIDR: netip.MustParsePrefix("0.0.0.0/0"), ICMP: model.AnyICMP})
			if egress {
				custom2.Outbound = es
			} else {
				custom2.Inbound = es
			}
		}
		acls = append(acls, custom2)
		for _, s := range subnets {
			if s.VPCID != id {
				continue
			}
			if r.IntN(2) == 0 {
				custom.Subnets = append(custom.Subnets, s.ID)
			}
			a := acls[r.IntN(2)]
			a.Subnets = append(a.Subnets, s.ID)
		}
		for _, a := range acls {
			m.NetworkACLs[a.ID] = a
		}
	}
	m.Index()
	return m
}
