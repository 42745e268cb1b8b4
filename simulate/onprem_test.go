package simulate

import (
	"net/netip"
	"strings"
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

func TestTraceFromOnPremBadQuestions(t *testing.T) {
	m := onPremModel(t)
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

// A reply that leaves by another way than the request came: towards the
// internet through a NAT gateway the client never gets it (the source is
// rewritten: blocked); to on-premises through a transit gateway it may
// still arrive (a second path to on-premises is outside the model):
// unknown, with the asymmetric path as a finding, never a confident block.
func TestTraceFromOutsideAsymmetricReply(t *testing.T) {
	m := onPremModel(t)
	rt := m.RouteTables["rtb-pub"]
	for i := range rt.Routes {
		switch rt.Routes[i].Dest.String() {
		case "192.168.0.0/16":
			rt.Routes[i].Target = model.Target{Kind: model.TargetTransitGateway, ID: "tgw-1"}
		case "0.0.0.0/0":
			rt.Routes[i].Target = model.Target{Kind: model.TargetNAT, ID: "nat-1"}
		}
	}
	m.Index()
	r, err := Trace(m, Query{From: "192.168.10.5", Via: "vpn-up", To: "eni-web", Protocol: model.ProtoTCP, Port: 22})
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != Unknown || r.BlockedBy == nil || r.BlockedBy.Component != CompRouteTable || !r.BlockedBy.Return {
		t.Fatalf("on-premises reply by a transit gateway: %s at %+v, want unknown at the return route table", r.Verdict, r.BlockedBy)
	}
	found := false
	for _, f := range r.Findings {
		found = found || strings.HasPrefix(f, "asymmetric path:")
	}
	if !found {
		t.Errorf("no asymmetric-path finding in %q", r.Findings)
	}
	r, err = Trace(m, Query{From: "internet", To: "eni-web", Protocol: model.ProtoTCP, Port: 443})
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != Blocked || r.BlockedBy.Component != CompRouteTable || !r.BlockedBy.Return {
		t.Fatalf("internet reply by a NAT gateway: %s at %+v, want blocked at the return route table", r.Verdict, r.BlockedBy)
	}
}
