package simulate

import (
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// middlebox returns vpc-1 with a firewall eni-fw (source/destination check
// off) in subnet-pub, and tables of subnet-a and subnet-b sending each
// other's block through it (more specific than the local route).
func middlebox(t *testing.T) *testNet {
	n := newNet(t)
	fw := n.eni("eni-fw", "subnet-pub", "10.0.0.50", "sg-open")
	fw.SourceDestCheck = false
	n.routes("rtb-a", []string{"subnet-a"}, "10.0.2.0/24 eni-fw")
	n.routes("rtb-b", []string{"subnet-b"}, "10.0.1.0/24 eni-fw")
	n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
	n.eni("eni-b", "subnet-b", "10.0.2.10", "sg-open")
	return n
}

func TestApplianceForwardsWithAnExplicitAssumption(t *testing.T) {
	n := middlebox(t)
	r := n.trace("eni-a", "eni-b", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	if !hasHop(r.Hops, CompAppliance) || !hasHop(r.ReturnHops, CompAppliance) {
		t.Errorf("both directions pass the appliance: %v / %v", components(r.Hops), components(r.ReturnHops))
	}
	found := false
	for _, a := range r.Assumptions {
		found = found || strings.Contains(a, "the appliance eni-fw forwards the packet unchanged")
	}
	if !found || len(r.Findings) > 0 {
		t.Errorf("assumptions %v findings %v", r.Assumptions, r.Findings)
	}
}

func TestApplianceStrictAnswersUnknown(t *testing.T) {
	n := middlebox(t)
	n.m.Index()
	r, err := Trace(n.m, Query{From: "eni-a", To: "eni-b", Protocol: model.ProtoTCP, Port: 443, Appliances: AppliancesStrict})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, r, Unknown, CompAppliance, "eni-fw", false)
}

func TestApplianceWithSourceDestCheckOnDropsTransit(t *testing.T) {
	n := middlebox(t)
	n.m.ENIs["eni-fw"].SourceDestCheck = true
	r := n.trace("eni-a", "eni-b", "tcp", 443)
	expect(t, r, Blocked, CompAppliance, "eni-fw", false)
	if r.Fix == nil || !strings.Contains(*r.Fix, "--no-source-dest-check") {
		t.Errorf("fix: %v", r.Fix)
	}
}

func TestApplianceAsymmetricReturnIsAFinding(t *testing.T) {
	n := middlebox(t)
	n.routes("rtb-b", []string{"subnet-b"}) // the reply goes straight back
	r := n.trace("eni-a", "eni-b", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	if len(r.Findings) == 0 || !strings.Contains(r.Findings[0], "asymmetric path") {
		t.Errorf("want an asymmetric-path finding: %v", r.Findings)
	}
	// The reply passing an appliance the request did not is dropped there.
	n = middlebox(t)
	n.routes("rtb-a", []string{"subnet-a"})
	expect(t, n.trace("eni-a", "eni-b", "tcp", 443), Blocked, CompAppliance, "eni-fw", true)
}

// inspection puts firewalls eni-fwa (zone a) and eni-fwb (zone b) in vpc-9 between
// the spokes of hub: each attachment subnet of vpc-9 sends everything to the
// firewall of its zone, whose subnet sends it back to the gateway.
func inspection(t *testing.T, applianceMode model.Tri) *testNet {
	n := hub(t)
	n.subnet("vpc-9-ta", "vpc-9", "10.9.10.0/24", "us-east-1a")
	n.subnet("vpc-9-tb", "vpc-9", "10.9.20.0/24", "us-east-1b")
	n.m.TGWAttachments["att-9"].Subnets = []string{"vpc-9-ta", "vpc-9-tb"}
	n.m.TGWAttachments["att-9"].ApplianceMode = applianceMode
	for _, z := range []string{"a", "b"} {
		fw := n.eni("eni-fw"+z, "vpc-9-"+z, "10.9."+map[string]string{"a": "1", "b": "2"}[z]+".50", "sg-vpc-9")
		fw.SourceDestCheck = false
		n.routes("rtb-9t"+z, []string{"vpc-9-t" + z}, "0.0.0.0/0 eni-fw"+z)
	}
	n.routes("rtb-9", []string{"vpc-9-a", "vpc-9-b"}, "10.0.0.0/8 tgw-1")
	// Spokes go to the inspection VPC; it goes back to the spokes.
	n.tgwRoutes("rt-spoke", "tgw-1", "0.0.0.0/0 att-9")
	n.tgwRoutes("rt-shared", "tgw-1", "10.0.0.0/16 att-1", "10.2.0.0/16 att-2")
	n.eni("eni-2b", "vpc-2-b", "10.2.2.10", "sg-vpc-2") // spoke 2, zone b
	return n
}

func TestApplianceModeKeepsBothDirectionsOnOneAppliance(t *testing.T) {
	// Without appliance mode the reply from zone b enters the inspection VPC
	// in zone b and meets eni-fwb, which never saw the request (eni-fwa did).
	r := inspection(t, model.No).trace("eni-a", "eni-2b", "tcp", 443)
	expect(t, r, Blocked, CompAppliance, "eni-fwb", true)
	if r.Fix == nil || !strings.Contains(*r.Fix, "ApplianceModeSupport=enable") {
		t.Errorf("fix: %v", r.Fix)
	}
	r = inspection(t, model.Yes).trace("eni-a", "eni-2b", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	for _, h := range r.ReturnHops {
		if h.Component == CompAppliance && h.ID != "eni-fwa" {
			t.Errorf("with appliance mode the reply should pass eni-fwa: %v", components(r.ReturnHops))
		}
	}
}

// A Gateway Load Balancer endpoint (AWS Network Firewall's too) is an
// appliance: the packet passes it with the assumption, and its subnet's
// table forwards it on.
func TestGatewayLoadBalancerEndpointIsAnAppliance(t *testing.T) {
	n := newNet(t)
	n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
	n.eni("eni-b", "subnet-b", "10.0.2.10", "sg-open")
	e := n.eni("eni-gwlbe", "subnet-pub", "10.0.0.60")
	e.Type, e.SourceDestCheck, e.RequesterManaged = "gateway_load_balancer_endpoint", true, true
	n.m.Endpoints["vpce-fw"] = &model.VPCEndpoint{ID: "vpce-fw", VPCID: "vpc-1", Type: model.EndpointGWLB, ServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-fw",
		State: "available", ENIs: []string{"eni-gwlbe"}, Subnets: []string{"subnet-pub"}}
	n.routes("rtb-a", []string{"subnet-a"}, "10.0.2.0/24 vpce-fw")
	n.routes("rtb-b", []string{"subnet-b"}, "10.0.1.0/24 vpce-fw")
	r := n.trace("eni-a", "eni-b", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	if !hasHop(r.Hops, CompAppliance) || !hasHop(r.ReturnHops, CompAppliance) {
		t.Errorf("the endpoint is an appliance both ways: %v / %v", components(r.Hops), components(r.ReturnHops))
	}
}
