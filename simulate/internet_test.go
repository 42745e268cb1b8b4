package simulate

import (
	"net/netip"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// internetModel is one VPC with an internet gateway: web (public IP, in a
// subnet routed to the gateway), lost (public IP, in a subnet whose table
// has only the local route) and private (no public IP).
func internetModel(t *testing.T) *model.Model {
	t.Helper()
	m := model.New()
	m.VPCs["vpc-1"] = &model.VPC{ID: "vpc-1", CIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}}
	m.InternetGateways["igw-1"] = &model.InternetGateway{ID: "igw-1", VPCs: []string{"vpc-1"}}
	for _, s := range []struct{ id, cidr string }{{"subnet-pub", "10.0.1.0/24"}, {"subnet-lost", "10.0.2.0/24"}} {
		m.Subnets[s.id] = &model.Subnet{ID: s.id, VPCID: "vpc-1", CIDR: netip.MustParsePrefix(s.cidr), AZ: "us-east-1a"}
	}
	local := model.Route{Dest: netip.MustParsePrefix("10.0.0.0/16"), Target: model.Target{Kind: model.TargetLocal, ID: "local"}}
	m.RouteTables["rtb-main"] = &model.RouteTable{ID: "rtb-main", VPCID: "vpc-1", Main: true, Routes: []model.Route{local}}
	m.RouteTables["rtb-pub"] = &model.RouteTable{ID: "rtb-pub", VPCID: "vpc-1", Subnets: []string{"subnet-pub"}, Routes: []model.Route{local,
		{Dest: netip.MustParsePrefix("0.0.0.0/0"), Target: model.Target{Kind: model.TargetIGW, ID: "igw-1"}}}}
	all := []model.NACLEntry{{Number: 100, Protocol: model.ProtoAll, Ports: model.AllPorts, CIDR: netip.MustParsePrefix("0.0.0.0/0"), Allow: true}}
	m.NetworkACLs["acl-1"] = &model.NetworkACL{ID: "acl-1", VPCID: "vpc-1", IsDefault: true, Inbound: all, Outbound: all}
	m.SecurityGroups["sg-web"] = &model.SecurityGroup{ID: "sg-web", VPCID: "vpc-1",
		Ingress: []model.SGRule{{Protocol: model.ProtoTCP, Ports: model.PortRange{First: 443, Last: 443}, CIDR: netip.MustParsePrefix("0.0.0.0/0")}},
		Egress:  []model.SGRule{{Protocol: model.ProtoAll, Ports: model.AllPorts, CIDR: netip.MustParsePrefix("0.0.0.0/0")}}}
	eni := func(id, sub, ip, pub string) {
		e := &model.ENI{ID: id, VPCID: "vpc-1", SubnetID: sub, AZ: "us-east-1a", PrivateIPs: []netip.Addr{netip.MustParseAddr(ip)}, Groups: []string{"sg-web"}, Type: "interface"}
		if pub != "" {
			e.PublicIPs = map[netip.Addr]netip.Addr{netip.MustParseAddr(ip): netip.MustParseAddr(pub)}
		}
		m.ENIs[id] = e
	}
	eni("eni-web", "subnet-pub", "10.0.1.10", "203.0.113.20")
	eni("eni-lost", "subnet-lost", "10.0.2.10", "203.0.113.21")
	eni("eni-private", "subnet-pub", "10.0.1.11", "")
	m.Index()
	return m
}

// Facts of aws-semantics "Gateways and translation" (inbound from the
// internet needs the destination's public IP and a route back to the
// gateway; the groups and the subnet's ACL check the packet) and "Virtual
// private gateways, Site-to-Site VPN" (a flow from on-premises arrives by
// an UP tunnel, all DOWN: blocked, no telemetry: unknown; it enters only
// the gateway's VPC; its reply needs the destination subnet's route for
// the on-premises prefix to the gateway).
func TestTraceFromOutside(t *testing.T) {
	m := onPremModel(t)
	const onPrem = "192.168.10.5"
	for _, tc := range []struct {
		name, from, via, to string
		port                uint16
		verdict             Verdict
		at                  Component // where it starts (reachable) or is blocked
		ret                 bool
	}{
		{"internet: public IP admitted by the group", "internet", "", "203.0.113.20", 443, Reachable, CompInternet, false},
		{"internet: named by its interface", "192.0.2.7", "", "eni-web", 443, Reachable, CompInternet, false},
		{"internet: port the group does not open", "192.0.2.7", "", "eni-web", 23, Blocked, CompSecurityGroup, false},
		{"internet: no public IPv4, dropped at the gateway", "internet", "", "eni-private", 443, Blocked, CompInternetGateway, false},
		{"internet: reply has no route to the gateway", "internet", "", "eni-lost", 443, Blocked, CompRouteTable, true},
		{"on-premises: tunnel UP, route back to the gateway", onPrem, "vpn-up", "eni-web", 22, Reachable, CompVPNConnection, false},
		{"on-premises: by the gateway, a connection with a tunnel UP", onPrem, "vgw-1", "10.0.1.10", 22, Reachable, CompVPNConnection, false},
		{"on-premises: all tunnels DOWN", onPrem, "vpn-down", "eni-web", 22, Blocked, CompVPNConnection, false},
		{"on-premises: no tunnel telemetry", onPrem, "vpn-nodata", "eni-web", 22, Unknown, CompVPNConnection, false},
		{"on-premises: gateway not attached to the destination's VPC", onPrem, "vpn-other", "eni-web", 22, Blocked, CompVGW, false},
		{"on-premises: no route back for the on-premises prefix", onPrem, "vpn-up", "eni-lost", 22, Blocked, CompRouteTable, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Trace(m, Query{From: tc.from, Via: tc.via, To: tc.to, Protocol: model.ProtoTCP, Port: tc.port})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != tc.verdict {
				t.Fatalf("verdict %s, want %s (%+v)", r.Verdict, tc.verdict, r.BlockedBy)
			}
			if tc.verdict == Reachable {
				first, last := r.Hops[0], r.ReturnHops[len(r.ReturnHops)-1]
				if first.Component != tc.at || last.Component != tc.at || last.ID != first.ID && tc.at != CompInternet {
					t.Errorf("path does not start and end at the same %s: %+v / %+v", tc.at, first, last)
				}
				return
			}
			if r.BlockedBy.Component != tc.at || r.BlockedBy.Return != tc.ret {
				t.Errorf("blocked at %s (return %v), want %s (return %v)", r.BlockedBy.Component, r.BlockedBy.Return, tc.at, tc.ret)
			}
		})
	}
}

func TestTraceFromInternetBadQuestions(t *testing.T) {
	m := internetModel(t)
	for _, to := range []string{"10.0.1.10", "198.51.100.99", "vpce-1"} {
		if _, err := Trace(m, Query{From: "internet", To: to, Protocol: model.ProtoTCP, Port: 443}); err == nil {
			t.Errorf("--to %s from the internet: no error", to)
		}
	}
	// A public address held by an interface of the model is not the internet.
	if _, ok := outsideSource(m, "203.0.113.20"); ok {
		t.Error("203.0.113.20 (eni-web's public IP) taken for an internet source")
	}
	if _, ok := outsideSource(m, "10.9.9.9"); ok {
		t.Error("a private address taken for an internet source")
	}
}
