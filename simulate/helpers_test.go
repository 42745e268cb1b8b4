package simulate

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// testNet builds small networks for table tests: one VPC 10.0.0.0/16 in
// us-east-1 with subnets a (10.0.1.0/24, us-east-1a), b (10.0.2.0/24,
// us-east-1b) and pub (10.0.0.0/24); a main route table with the local
// route; a default network ACL that allows everything; DNS attributes on.
type testNet struct {
	t *testing.T
	m *model.Model
}

func newNet(t *testing.T) *testNet {
	m := model.New()
	for _, k := range []model.Kind{model.KindVPC, model.KindSubnet, model.KindRouteTable, model.KindSecurityGroup,
		model.KindNetworkACL, model.KindENI, model.KindInstance, model.KindVPCEndpoint, model.KindNATGateway,
		model.KindInternetGateway, model.KindPrefixList, model.KindPeering} {
		m.Present[k] = true
	}
	m.VPCs["vpc-1"] = &model.VPC{ID: "vpc-1", Region: "us-east-1", CIDRs: []netip.Prefix{pfx("10.0.0.0/16")}, DNSSupport: model.Yes, DNSHostnames: model.Yes}
	m.VPCRegion["vpc-1"] = "us-east-1"
	for _, s := range []struct{ id, cidr, az string }{
		{"subnet-a", "10.0.1.0/24", "us-east-1a"}, {"subnet-b", "10.0.2.0/24", "us-east-1b"}, {"subnet-pub", "10.0.0.0/24", "us-east-1a"},
	} {
		m.Subnets[s.id] = &model.Subnet{ID: s.id, VPCID: "vpc-1", CIDR: pfx(s.cidr), AZ: s.az, AvailableIPs: -1}
	}
	m.RouteTables["rtb-main"] = &model.RouteTable{ID: "rtb-main", VPCID: "vpc-1", Main: true,
		Routes: []model.Route{{Dest: pfx("10.0.0.0/16"), Target: model.Target{Kind: model.TargetLocal, ID: "local"}}}}
	m.NetworkACLs["acl-default"] = &model.NetworkACL{ID: "acl-default", VPCID: "vpc-1", IsDefault: true,
		Inbound: acl("100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"), Outbound: egressACL("100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0")}
	n := &testNet{t: t, m: m}
	n.sg("sg-open", []string{"all 0.0.0.0/0"}, []string{"all 0.0.0.0/0"})
	return n
}

// vpc adds another VPC, built like vpc-1: blocks cidr (a /16), subnets
// <id>-a (x.y.1.0/24, zone a) and <id>-b (x.y.2.0/24, zone b) of region,
// a main table <id>-main with the local route, a default ACL that allows
// everything, DNS attributes on, and an open group sg-<id>. Multi-VPC
// tests then read like single-VPC ones: n.eni("eni-x", "vpc-2-a", ...).
func (n *testNet) vpc(id, cidr, region string) *model.VPC {
	p := pfx(cidr)
	v := &model.VPC{ID: id, Region: region, CIDRs: []netip.Prefix{p}, DNSSupport: model.Yes, DNSHostnames: model.Yes}
	n.m.VPCs[id] = v
	n.m.VPCRegion[id] = region
	b := p.Addr().As4()
	for i, az := range []string{"a", "b"} {
		s := netip.PrefixFrom(netip.AddrFrom4([4]byte{b[0], b[1], byte(i + 1), 0}), 24)
		n.m.Subnets[id+"-"+az] = &model.Subnet{ID: id + "-" + az, VPCID: id, CIDR: s, AZ: region + az, AvailableIPs: -1}
	}
	n.m.RouteTables[id+"-main"] = &model.RouteTable{ID: id + "-main", VPCID: id, Main: true,
		Routes: []model.Route{{Dest: p, Target: model.Target{Kind: model.TargetLocal, ID: "local"}}}}
	n.m.NetworkACLs[id+"-acl"] = &model.NetworkACL{ID: id + "-acl", VPCID: id, IsDefault: true,
		Inbound: acl("100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"), Outbound: egressACL("100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0")}
	g := n.sg("sg-"+id, []string{"all 0.0.0.0/0"}, []string{"all 0.0.0.0/0"})
	g.VPCID = id
	return v
}

// peering adds an active peering connection between two VPCs of the net.
func (n *testNet) peering(id, requester, accepter string) *model.Peering {
	side := func(v string) model.PeeringSide {
		vpc := n.m.VPCs[v]
		return model.PeeringSide{VPCID: v, Region: vpc.Region, CIDRs: vpc.CIDRs}
	}
	p := &model.Peering{ID: id, Status: model.PeeringActive, Requester: side(requester), Accepter: side(accepter)}
	n.m.Peerings[id] = p
	return p
}

// subnet adds a subnet to a VPC.
func (n *testNet) subnet(id, vpc, cidr, az string) {
	n.m.Subnets[id] = &model.Subnet{ID: id, VPCID: vpc, CIDR: pfx(cidr), AZ: az, AvailableIPs: -1}
}

// tgw adds an available transit gateway with group referencing off.
func (n *testNet) tgw(id string) *model.TransitGateway {
	for _, k := range []model.Kind{model.KindTransitGateway, model.KindTGWAttachment, model.KindTGWRouteTable} {
		n.m.Present[k] = true
	}
	g := &model.TransitGateway{ID: id, State: "available", SecurityGroupReferencing: model.No}
	n.m.TransitGateways[id] = g
	return g
}

// attach adds an available VPC attachment of tgw with subnets, in the VPC
// of the first subnet, associated with route table rt.
func (n *testNet) attach(id, tgw, rt string, subnets ...string) *model.TGWAttachment {
	vpc := n.m.Subnets[subnets[0]].VPCID
	a := &model.TGWAttachment{ID: id, TransitGatewayID: tgw, ResourceType: model.TGWAttachVPC, ResourceID: vpc, State: "available",
		Subnets: subnets, Association: &model.TGWAssociation{RouteTableID: rt, State: "associated"}}
	n.m.TGWAttachments[id] = a
	return a
}

// tgwRoutes adds a transit gateway route table with routes
// "10.2.0.0/16 tgw-attach-2" (static), "... propagated", "10.9.0.0/16 blackhole".
func (n *testNet) tgwRoutes(id, tgw string, routes ...string) *model.TGWRouteTable {
	rt := &model.TGWRouteTable{ID: id, TransitGatewayID: tgw, State: "available", RoutesFrom: model.TGWRoutesSearched, AssociationsKnown: true, PropagationsKnown: true}
	for _, s := range routes {
		f := strings.Fields(s)
		r := model.TGWRoute{Dest: pfx(f[0]), Type: model.TGWRouteStatic, State: model.TGWRouteActive}
		if f[1] == "blackhole" {
			r.State = model.TGWRouteBlackhole
		} else {
			r.Attachments = []string{f[1]}
		}
		if len(f) > 2 && f[2] == "propagated" {
			r.Type = model.TGWRoutePropagated
		}
		rt.Routes = append(rt.Routes, r)
	}
	n.m.TGWRouteTables[id] = rt
	return rt
}

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func addr(s string) netip.Addr  { return netip.MustParseAddr(s) }

// parseProtoPorts reads "tcp 443", "tcp 8443-8451", "udp all", "all",
// "icmp 8" (type).
func parseProtoPorts(fields []string) (model.Protocol, model.PortRange, model.ICMPMatch, []string) {
	proto, err := model.ParseProtocol(fields[0])
	if err != nil {
		panic(err)
	}
	ports, icmp := model.AllPorts, model.AnyICMP
	rest := fields[1:]
	switch {
	case proto.HasPorts():
		ports, err = model.ParsePortRange(rest[0])
		if err != nil {
			panic(err)
		}
		rest = rest[1:]
	case proto.IsICMP() && len(rest) > 1:
		t, _ := strconv.Atoi(rest[0])
		icmp = model.ICMPMatch{Type: int16(t), Code: -1}
		rest = rest[1:]
	}
	return proto, ports, icmp, rest
}

// sgRule parses "tcp 443 10.0.0.0/16", "all sg-x", "tcp 443 pl-1".
func sgRule(group string, egress bool, s string) model.SGRule {
	proto, ports, icmp, rest := parseProtoPorts(strings.Fields(s))
	r := model.SGRule{GroupID: group, Egress: egress, Protocol: proto, Ports: ports, ICMP: icmp}
	switch p := rest[0]; {
	case strings.HasPrefix(p, "sg-"):
		r.PeerGroup = p
	case strings.HasPrefix(p, "pl-"):
		r.PrefixListID = p
	default:
		r.CIDR = pfx(p)
	}
	return r
}

func (n *testNet) sg(id string, ingress, egress []string) *model.SecurityGroup {
	g := &model.SecurityGroup{ID: id, Name: id, VPCID: "vpc-1"}
	for _, s := range ingress {
		g.Ingress = append(g.Ingress, sgRule(id, false, s))
	}
	for _, s := range egress {
		g.Egress = append(g.Egress, sgRule(id, true, s))
	}
	n.m.SecurityGroups[id] = g
	return g
}

// acl parses entries "100 allow tcp 443 0.0.0.0/0" ("*" for 32767).
func acl(lines ...string) []model.NACLEntry { return aclEntries(false, lines) }

func egressACL(lines ...string) []model.NACLEntry { return aclEntries(true, lines) }

func aclEntries(egress bool, lines []string) []model.NACLEntry {
	var out []model.NACLEntry
	for _, l := range lines {
		f := strings.Fields(l)
		num := model.FinalRuleNumber
		if f[0] != "*" {
			num, _ = strconv.Atoi(f[0])
		}
		proto, ports, icmp, rest := parseProtoPorts(f[2:])
		out = append(out, model.NACLEntry{Number: num, Egress: egress, Allow: f[1] == "allow", Protocol: proto, Ports: ports, ICMP: icmp, CIDR: pfx(rest[0])})
	}
	return out
}

// nacl adds a network ACL associated with subnets.
func (n *testNet) nacl(id string, subnets []string, inbound, outbound []string) {
	n.m.NetworkACLs[id] = &model.NetworkACL{ID: id, VPCID: n.m.Subnets[subnets[0]].VPCID, Inbound: acl(inbound...), Outbound: egressACL(outbound...), Subnets: subnets}
}

// eni adds an interface; groups may be empty.
func (n *testNet) eni(id, subnet, ip string, groups ...string) *model.ENI {
	e := &model.ENI{ID: id, SubnetID: subnet, VPCID: n.m.Subnets[subnet].VPCID, AZ: n.m.Subnets[subnet].AZ, PrivateIPs: []netip.Addr{addr(ip)},
		Groups: groups, Type: "interface", Status: "in-use", SourceDestCheck: true, DeviceIndex: 0}
	n.m.ENIs[id] = e
	return e
}

// route adds a route table for subnets with routes "0.0.0.0/0 nat-1".
func (n *testNet) routes(id string, subnets []string, routes ...string) *model.RouteTable {
	vpc := n.m.VPCs["vpc-1"] // a table with no subnets (an edge table) is vpc-1's
	if len(subnets) > 0 {
		vpc = n.m.VPCs[n.m.Subnets[subnets[0]].VPCID]
	}
	rt := &model.RouteTable{ID: id, VPCID: vpc.ID, Subnets: subnets}
	rt.Routes = append(rt.Routes, model.Route{Dest: vpc.CIDRs[0], Target: model.Target{Kind: model.TargetLocal, ID: "local"}})
	for _, r := range routes {
		f := strings.Fields(r)
		route := model.Route{Target: target2(f[1])}
		if strings.HasPrefix(f[0], "pl-") {
			route.DestPrefixList = f[0]
		} else {
			route.Dest = pfx(f[0])
		}
		for _, opt := range f[2:] {
			switch opt {
			case "blackhole":
				route.Blackhole = true
			case "propagated":
				route.Origin = "EnableVgwRoutePropagation"
			}
		}
		rt.Routes = append(rt.Routes, route)
	}
	n.m.RouteTables[id] = rt
	return rt
}

func target2(id string) model.Target {
	kinds := map[string]model.TargetKind{"igw-": model.TargetIGW, "nat-": model.TargetNAT, "vpce-": model.TargetVPCEndpoint,
		"pcx-": model.TargetPeering, "tgw-": model.TargetTransitGateway, "vgw-": model.TargetVPNGateway, "eni-": model.TargetENI}
	for p, k := range kinds {
		if strings.HasPrefix(id, p) {
			return model.Target{Kind: k, ID: id}
		}
	}
	if id == "local" {
		return model.Target{Kind: model.TargetLocal, ID: id}
	}
	panic("unknown target " + id)
}

// internet adds igw-1 attached to the VPC and nat-1 in subnet-pub, with a
// public route table for subnet-pub.
func (n *testNet) internet() {
	n.m.InternetGateways["igw-1"] = &model.InternetGateway{ID: "igw-1", VPCs: []string{"vpc-1"}}
	n.m.NATGateways["nat-1"] = &model.NATGateway{ID: "nat-1", VPCID: "vpc-1", SubnetID: "subnet-pub", State: "available",
		Connectivity: "public", ENIID: "eni-nat", PrivateIP: addr("10.0.0.10"), PublicIP: addr("203.0.113.10")}
	e := n.eni("eni-nat", "subnet-pub", "10.0.0.10")
	e.Type, e.SourceDestCheck = "nat_gateway", false
	e.PublicIPs = map[netip.Addr]netip.Addr{addr("10.0.0.10"): addr("203.0.113.10")}
	n.routes("rtb-pub", []string{"subnet-pub"}, "0.0.0.0/0 igw-1")
}

// s3 adds the S3 prefix list and gateway endpoint vpce-s3 (route tables
// must route pl-s3 to it themselves).
func (n *testNet) s3() {
	n.m.PrefixLists["pl-s3"] = &model.PrefixList{ID: "pl-s3", Name: "com.amazonaws.us-east-1.s3", CIDRs: []netip.Prefix{pfx("52.216.0.0/15"), pfx("3.5.0.0/19")}, CIDRsKnown: true}
	n.m.Endpoints["vpce-s3"] = &model.VPCEndpoint{ID: "vpce-s3", VPCID: "vpc-1", Type: model.EndpointGateway, ServiceName: "com.amazonaws.us-east-1.s3", State: "available"}
}

// interfaceEndpoint adds an interface endpoint with one interface per
// (subnet, ip) pair, carrying group.
func (n *testNet) interfaceEndpoint(id, group string, subnetIPs ...string) *model.VPCEndpoint {
	ep := &model.VPCEndpoint{ID: id, VPCID: "vpc-1", Type: model.EndpointInterface, ServiceName: "com.amazonaws.us-east-1.sts", State: "available", PrivateDNS: true, Groups: []string{group}}
	for i := 0; i < len(subnetIPs); i += 2 {
		eid := id + "-eni-" + strconv.Itoa(i/2)
		e := n.eni(eid, subnetIPs[i], subnetIPs[i+1], group)
		e.Type, e.RequesterManaged = "vpc_endpoint", true
		ep.ENIs = append(ep.ENIs, eid)
		ep.Subnets = append(ep.Subnets, subnetIPs[i])
	}
	n.m.Endpoints[id] = ep
	return ep
}

func (n *testNet) trace(from, to, proto string, port uint16) Result {
	n.t.Helper()
	n.m.Index()
	p, err := model.ParseProtocol(proto)
	if err != nil {
		n.t.Fatal(err)
	}
	r, err := Trace(n.m, Query{From: from, To: to, Protocol: p, Port: port})
	if err != nil {
		n.t.Fatalf("Trace(%s -> %s %s/%d): %v", from, to, proto, port, err)
	}
	return r
}

// expect checks a result's verdict and, for blocked or unknown ones, the
// component and ID where it stopped, and whether that is on the return path.
func expect(t *testing.T, r Result, verdict Verdict, comp Component, id string, onReturn bool) {
	t.Helper()
	if r.Verdict != verdict {
		t.Fatalf("verdict %s, want %s; blocked_by %+v\nhops: %+v\nreturn: %+v", r.Verdict, verdict, r.BlockedBy, r.Hops, r.ReturnHops)
	}
	if verdict == Reachable {
		if r.BlockedBy != nil || r.Fix != nil {
			t.Fatalf("reachable with blocked_by %+v fix %v", r.BlockedBy, r.Fix)
		}
		return
	}
	if r.BlockedBy == nil {
		t.Fatalf("verdict %s without blocked_by", verdict)
	}
	if r.BlockedBy.Component != comp || r.BlockedBy.ID != id || r.BlockedBy.Return != onReturn {
		t.Fatalf("stopped at %s %s (return %v): %s; want %s %s (return %v)", r.BlockedBy.Component, r.BlockedBy.ID, r.BlockedBy.Return, r.BlockedBy.Reason, comp, id, onReturn)
	}
}

// components lists the components of hops, in order.
func components(hs []Hop) []string {
	var out []string
	for _, h := range hs {
		out = append(out, string(h.Component)+":"+h.ID)
	}
	return out
}

func hasHop(hs []Hop, comp Component) bool {
	for _, h := range hs {
		if h.Component == comp {
			return true
		}
	}
	return false
}
