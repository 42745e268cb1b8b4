package simulate

import (
	"net/netip"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// onPremModel is internetModel with virtual private gateway vgw-1 attached
// to vpc-1: vpn-up has a tunnel UP, vpn-down both DOWN, vpn-nodata no
// telemetry. subnet-pub's table sends 192.168.0.0/16 to vgw-1; subnet-lost's
// (the main table) has no route for it.
func onPremModel(t *testing.T) *model.Model {
	t.Helper()
	m := internetModel(t)
	m.VPNGateways["vgw-1"] = &model.VPNGateway{ID: "vgw-1", State: "available", Attachments: []model.VGWAttachment{{VPCID: "vpc-1", State: "attached"}}}
	m.VPNGateways["vgw-2"] = &model.VPNGateway{ID: "vgw-2", State: "available", Attachments: []model.VGWAttachment{{VPCID: "vpc-2", State: "attached"}}}
	tun := func(s string) model.VPNTunnel {
		return model.VPNTunnel{OutsideIP: netip.MustParseAddr("3.0.0.1"), Status: s}
	}
	m.VPNConnections["vpn-up"] = &model.VPNConnection{ID: "vpn-up", State: "available", VPNGatewayID: "vgw-1", Tunnels: []model.VPNTunnel{tun("DOWN"), tun("UP")}, TunnelsKnown: true}
	m.VPNConnections["vpn-down"] = &model.VPNConnection{ID: "vpn-down", State: "available", VPNGatewayID: "vgw-1", Tunnels: []model.VPNTunnel{tun("DOWN"), tun("DOWN")}, TunnelsKnown: true}
	m.VPNConnections["vpn-nodata"] = &model.VPNConnection{ID: "vpn-nodata", State: "available", VPNGatewayID: "vgw-1"}
	m.VPNConnections["vpn-other"] = &model.VPNConnection{ID: "vpn-other", State: "available", VPNGatewayID: "vgw-2", Tunnels: []model.VPNTunnel{tun("UP")}, TunnelsKnown: true}
	rt := m.RouteTables["rtb-pub"]
	rt.Routes = append(rt.Routes, model.Route{Dest: netip.MustParsePrefix("192.168.0.0/16"), Target: model.Target{Kind: model.TargetVPNGateway, ID: "vgw-1"}})
	m.SecurityGroups["sg-web"].Ingress = append(m.SecurityGroups["sg-web"].Ingress,
		model.SGRule{Protocol: model.ProtoTCP, Ports: model.PortRange{First: 22, Last: 22}, CIDR: netip.MustParsePrefix("192.168.0.0/16")})
	m.Index()
	return m
}

// Facts of aws-semantics "Virtual private gateways, Site-to-Site VPN": a
// flow from on-premises arrives by an UP tunnel (all DOWN: blocked; no
// telemetry: unknown), enters only the gateway's VPC, and its reply needs
// the destination subnet's route for the on-premises prefix to the gateway.
func TestTraceFromOnPrem(t *testing.T) {
	m := onPremModel(t)
	for _, tc := range []struct {
		name, via, to string
		verdict       Verdict
		blockedAt     Component
		ret           bool
	}{
		{"tunnel UP, route back to the gateway", "vpn-up", "eni-web", Reachable, "", false},
		{"by the gateway: any connection with a tunnel UP", "vgw-1", "10.0.1.10", Reachable, "", false},
		{"all tunnels DOWN", "vpn-down", "eni-web", Blocked, CompVPNConnection, false},
		{"no tunnel telemetry", "vpn-nodata", "eni-web", Unknown, CompVPNConnection, false},
		{"gateway not attached to the destination's VPC", "vpn-other", "eni-web", Blocked, CompVGW, false},
		{"no route back for the on-premises prefix", "vpn-up", "eni-lost", Blocked, CompRouteTable, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Trace(m, Query{From: "192.168.10.5", Via: tc.via, To: tc.to, Protocol: model.ProtoTCP, Port: 22})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != tc.verdict {
				t.Fatalf("verdict %s, want %s (%+v)", r.Verdict, tc.verdict, r.BlockedBy)
			}
			if tc.verdict == Reachable {
				last := r.ReturnHops[len(r.ReturnHops)-1]
				if r.Hops[0].Component != CompVPNConnection || last.Component != CompVPNConnection || last.ID != "vpn-up" {
					t.Errorf("path does not start and end at vpn-up: %+v / %+v", r.Hops[0], last)
				}
				return
			}
			if r.BlockedBy.Component != tc.blockedAt || r.BlockedBy.Return != tc.ret {
				t.Errorf("blocked at %s (return %v), want %s (return %v)", r.BlockedBy.Component, r.BlockedBy.Return, tc.blockedAt, tc.ret)
			}
		})
	}
	for _, q := range []Query{
		{From: "10.0.1.10", Via: "vpn-up", To: "eni-web"},      // an interface's address is not on-premises
		{From: "192.168.10.5", Via: "vpn-nope", To: "eni-web"}, // not in the model
		{From: "192.168.10.5", Via: "tgw-attach-1", To: "eni-web"},
	} {
		q.Protocol, q.Port = model.ProtoTCP, 22
		if _, err := Trace(m, q); err == nil {
			t.Errorf("%+v: no error", q)
		}
	}
}
