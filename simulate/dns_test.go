package simulate

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// dnsNet is the test network with a workspace node in subnet-a, a NAT
// gateway, a REST-like partner endpoint (vpce-rest), a relay endpoint
// (vpce-relay) and an STS endpoint (vpce-sts), all with private DNS on.
func dnsNet(t *testing.T) *testNet {
	n := newNet(t)
	n.internet()
	n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1")
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
	rest := n.interfaceEndpoint("vpce-rest", "sg-open", "subnet-b", "10.0.2.10")
	rest.ServiceName = "com.amazonaws.vpce.us-east-1.vpce-svc-rest"
	relay := n.interfaceEndpoint("vpce-relay", "sg-open", "subnet-b", "10.0.2.11")
	relay.ServiceName = "com.amazonaws.vpce.us-east-1.vpce-svc-relay"
	n.interfaceEndpoint("vpce-sts", "sg-open", "subnet-b", "10.0.2.12")
	return n
}

const (
	workspace = "dbc-1234abcd-5678.cloud.databricks.com"
	relayName = "tunnel.privatelink.us-east-1.cloud.databricks.com"
)

func dnsOpts(public ...string) DNSOptions {
	o := DNSOptions{Public: map[string][]netip.Addr{}, EndpointNames: map[string]string{
		model.FQDN(workspace): "vpce-rest", model.FQDN(relayName): "vpce-relay"}}
	for i := 0; i+1 < len(public); i += 2 {
		o.Public[model.FQDN(public[i])] = []netip.Addr{netip.MustParseAddr(public[i+1])}
	}
	return o
}

func (n *testNet) dnsTrace(to string, port uint16, opts DNSOptions) Result {
	n.t.Helper()
	n.m.Index()
	r, err := Trace(n.m, Query{From: "eni-a", To: to, Protocol: model.ProtoTCP, Port: port, DNS: opts})
	if err != nil {
		n.t.Fatal(err)
	}
	if len(r.Hops) == 0 || r.Hops[0].Component != CompDNS || r.Hops[0].Question != to {
		n.t.Fatalf("a trace by name starts with the dns hop: %+v", r.Hops)
	}
	return r
}

func TestDNSWorkspaceNameThroughPrivateLink(t *testing.T) {
	r := dnsNet(t).dnsTrace(workspace, 443, dnsOpts())
	expect(t, r, Reachable, "", "", false)
	h := r.Hops[0]
	if !slices.Equal(h.Answers, []string{"10.0.2.10"}) || !strings.Contains(h.AnsweredBy, "vpce-rest") {
		t.Fatalf("dns hop %+v", h)
	}
	if hasHop(r.Hops, CompNATGateway) || !hasHop(r.Hops, CompVPCEndpoint) {
		t.Fatalf("stays inside through the endpoint: %v", components(r.Hops))
	}
}

func TestDNSPrivateDNSOffBypassesPrivateLink(t *testing.T) {
	n := dnsNet(t)
	n.m.Endpoints["vpce-rest"].PrivateDNS = false
	// Without a public answer, the verdict is unknown, never a guess.
	r := n.dnsTrace(workspace, 443, dnsOpts())
	expect(t, r, Unknown, CompDNS, workspace, false)
	// With one, the path leaves through the NAT gateway, and the hop says so.
	r = n.dnsTrace(workspace, 443, dnsOpts(workspace, "34.200.1.1"))
	expect(t, r, Reachable, "", "", false)
	if !hasHop(r.Hops, CompNATGateway) || !strings.Contains(r.Hops[0].Reason, "PrivateLink bypassed: vpce-rest has private DNS off") {
		t.Fatalf("want the NAT path and the bypass: %v %s", components(r.Hops), r.Hops[0].Reason)
	}
	if len(r.Findings) == 0 {
		t.Fatal("the bypass is a finding")
	}
	// In an isolated VPC (no default route) the same flow dies at the route table.
	n.m.RouteTables["rtb-a"].Routes = n.m.RouteTables["rtb-a"].Routes[:1]
	expect(t, n.dnsTrace(workspace, 443, dnsOpts(workspace, "34.200.1.1")), Blocked, CompRouteTable, "rtb-a", false)
}

func TestDNSHostnamesOffBypassesPrivateLink(t *testing.T) {
	n := dnsNet(t)
	n.m.VPCs["vpc-1"].DNSHostnames = model.No
	for _, name := range []string{workspace, "sts.us-east-1.amazonaws.com"} {
		n.m.Index()
		a := Resolve(n.m, "vpc-1", name, dnsOpts())
		if a.Decision != Undecided || len(a.Findings) == 0 || !strings.Contains(a.Findings[0], "enableDnsHostnames is off") {
			t.Fatalf("%s: %+v", name, a)
		}
		if !strings.Contains(a.Fix, "--enable-dns-hostnames") {
			t.Fatalf("%s fix: %q", name, a.Fix)
		}
	}
}

func TestDNSParentZoneShadowsTheWorkspaceName(t *testing.T) {
	n := dnsNet(t)
	n.m.HostedZones["Z1"] = &model.HostedZone{ID: "Z1", Name: "cloud.databricks.com.", Private: true, VPCsKnown: true, VPCs: []string{"vpc-1"}, RecordsKnown: true,
		Records: []model.Record{{Name: "other.cloud.databricks.com.", Type: "A", Values: []string{"10.0.2.99"}}}}
	r := n.dnsTrace(workspace, 443, dnsOpts())
	expect(t, r, Blocked, CompDNS, workspace, false)
	if !strings.Contains(r.BlockedBy.Reason, "shadows") || r.Hops[0].Rule != "NXDOMAIN" {
		t.Fatalf("want NXDOMAIN from the shadowing zone: %+v", r.BlockedBy)
	}
	if r.Fix == nil || !strings.Contains(*r.Fix, "disassociate-vpc-from-hosted-zone --hosted-zone-id Z1") {
		t.Fatalf("fix: %v", r.Fix)
	}
	// A zone associated with another VPC shadows nothing here.
	n.m.HostedZones["Z1"].VPCs = []string{"vpc-2"}
	expect(t, n.dnsTrace(workspace, 443, dnsOpts()), Reachable, "", "", false)
}

func TestDNSRelayNameAnsweringWithTheRESTEndpoint(t *testing.T) {
	n := dnsNet(t)
	n.m.HostedZones["Z2"] = &model.HostedZone{ID: "Z2", Name: model.FQDN(relayName), Private: true, VPCsKnown: true, VPCs: []string{"vpc-1"}, RecordsKnown: true,
		Records: []model.Record{{Name: model.FQDN(relayName), Type: "A", Values: []string{"10.0.2.10"}}}}
	r := n.dnsTrace(relayName, 6666, dnsOpts())
	expect(t, r, Blocked, CompDNS, relayName, false)
	if !strings.Contains(r.BlockedBy.Reason, "belongs to vpce-relay") || !strings.Contains(r.BlockedBy.Reason, "vpce-rest") {
		t.Fatalf("reason: %s", r.BlockedBy.Reason)
	}
	delete(n.m.HostedZones, "Z2")
	r = n.dnsTrace(relayName, 6666, dnsOpts())
	expect(t, r, Reachable, "", "", false)
	if r.Hops[0].Answers[0] != "10.0.2.11" {
		t.Fatalf("relay answers with its own endpoint: %+v", r.Hops[0])
	}
}

func TestDNSGlobalSTSLeavesTheVPC(t *testing.T) {
	n := dnsNet(t)
	r := n.dnsTrace("sts.us-east-1.amazonaws.com", 443, dnsOpts())
	expect(t, r, Reachable, "", "", false)
	if r.Hops[0].Answers[0] != "10.0.2.12" || hasHop(r.Hops, CompNATGateway) {
		t.Fatalf("regional STS stays inside: %+v", r.Hops[0])
	}
	r = n.dnsTrace("sts.amazonaws.com", 443, dnsOpts("sts.amazonaws.com", "209.54.177.164"))
	expect(t, r, Reachable, "", "", false)
	if !hasHop(r.Hops, CompNATGateway) || len(r.Findings) == 0 || !strings.Contains(r.Findings[0], "not the global sts.amazonaws.com") {
		t.Fatalf("global STS leaves through NAT with a finding: %v %v", components(r.Hops), r.Findings)
	}
}

func TestDNSCNAMEChainAcrossTwoZones(t *testing.T) {
	n := dnsNet(t)
	n.eni("eni-db", "subnet-b", "10.0.2.50", "sg-open")
	n.m.HostedZones["ZA"] = &model.HostedZone{ID: "ZA", Name: "corp.example.", Private: true, VPCsKnown: true, VPCs: []string{"vpc-1"}, RecordsKnown: true,
		Records: []model.Record{{Name: "db.corp.example.", Type: "CNAME", Values: []string{"primary.data.internal."}}}}
	n.m.HostedZones["ZB"] = &model.HostedZone{ID: "ZB", Name: "data.internal.", Private: true, VPCsKnown: true, VPCs: []string{"vpc-1"}, RecordsKnown: true,
		Records: []model.Record{{Name: "*.data.internal.", Type: "A", Values: []string{"10.0.2.99"}}, {Name: "primary.data.internal.", Type: "A", Values: []string{"10.0.2.50"}}}}
	n.m.Index()
	a := Resolve(n.m, "vpc-1", "db.corp.example", DNSOptions{})
	if a.Decision != Allow || !slices.Equal(a.Chain, []string{"db.corp.example", "primary.data.internal"}) || !slices.Equal(a.Answers, []string{"10.0.2.50"}) {
		t.Fatalf("chain: %+v", a)
	}
	expect(t, n.dnsTrace("db.corp.example", 5432, DNSOptions{}), Reachable, "", "", false)
	// A loop is unknown, not a hang.
	n.m.HostedZones["ZB"].Records = []model.Record{{Name: "primary.data.internal.", Type: "CNAME", Values: []string{"db.corp.example."}}}
	if a := Resolve(n.m, "vpc-1", "db.corp.example", DNSOptions{}); a.Decision != Undecided || !strings.Contains(a.Reason, "loop") {
		t.Fatalf("loop: %+v", a)
	}
}

func TestDNSResolverRulesAndSupport(t *testing.T) {
	n := dnsNet(t)
	n.m.ResolverRules["rslvr-rr-1"] = &model.ResolverRule{ID: "rslvr-rr-1", Domain: "corp.example.", Type: "FORWARD", Targets: []string{"10.9.0.2"}, VPCs: []string{"vpc-1"}}
	n.m.HostedZones["ZA"] = &model.HostedZone{ID: "ZA", Name: "corp.example.", Private: true, VPCsKnown: true, VPCs: []string{"vpc-1"}, RecordsKnown: true}
	n.m.Index()
	a := Resolve(n.m, "vpc-1", "db.corp.example", DNSOptions{})
	if a.Decision != Undecided || !strings.Contains(a.AnsweredBy, "rslvr-rr-1") || !strings.Contains(a.Reason, "outside the model") {
		t.Fatalf("a forwarded name leaves the model: %+v", a)
	}
	n.m.VPCs["vpc-1"].DNSSupport = model.No
	if a := Resolve(n.m, "vpc-1", "db.corp.example", DNSOptions{}); a.Decision != Deny || !strings.Contains(a.Reason, "enableDnsSupport is off") {
		t.Fatalf("resolver off: %+v", a)
	}
}

func TestDNSTwoEndpointsClaimingOneName(t *testing.T) {
	n := dnsNet(t)
	n.interfaceEndpoint("vpce-sts2", "sg-open", "subnet-a", "10.0.1.12")
	n.m.Index()
	a := Resolve(n.m, "vpc-1", "sts.us-east-1.amazonaws.com", DNSOptions{})
	if a.Decision != Undecided || len(a.Findings) == 0 || !strings.Contains(a.Findings[0], "both claim sts.us-east-1.amazonaws.com") {
		t.Fatalf("%+v", a)
	}
}

func TestDNSAliasToEndpointName(t *testing.T) {
	n := dnsNet(t)
	n.m.Endpoints["vpce-rest"].DNSNames = []string{"vpce-rest-abcd.vpce-svc-rest.us-east-1.vpce.amazonaws.com", "vpce-rest-abcd-us-east-1b.vpce-svc-rest.us-east-1.vpce.amazonaws.com"}
	n.m.HostedZones["ZA"] = &model.HostedZone{ID: "ZA", Name: "corp.example.", Private: true, VPCsKnown: true, VPCs: []string{"vpc-1"}, RecordsKnown: true,
		Records: []model.Record{{Name: "api.corp.example.", Type: "A", Alias: &model.Alias{DNSName: "vpce-rest-abcd-us-east-1b.vpce-svc-rest.us-east-1.vpce.amazonaws.com."}}}}
	n.m.Index()
	a := Resolve(n.m, "vpc-1", "api.corp.example", DNSOptions{})
	if a.Decision != Allow || a.Endpoint != "vpce-rest" || !slices.Equal(a.Answers, []string{"10.0.2.10"}) {
		t.Fatalf("%+v", a)
	}
	// The endpoint's own regional name answers publicly with its interfaces.
	a = Resolve(n.m, "vpc-1", "vpce-rest-abcd.vpce-svc-rest.us-east-1.vpce.amazonaws.com", DNSOptions{})
	if a.Decision != Allow || !slices.Equal(a.Answers, []string{"10.0.2.10"}) {
		t.Fatalf("%+v", a)
	}
}

func TestDNSZoneWithUnknownAssociationsIsUnknown(t *testing.T) {
	n := dnsNet(t)
	n.m.HostedZones["Z1"] = &model.HostedZone{ID: "Z1", Name: "cloud.databricks.com.", Private: true, RecordsKnown: true}
	n.m.Index()
	a := Resolve(n.m, "vpc-1", workspace, dnsOpts())
	if a.Decision != Undecided || !strings.Contains(a.Fix, "get-hosted-zone --id Z1") {
		t.Fatalf("%+v", a)
	}
}

func TestDNSPrivateZonesNeedHostnames(t *testing.T) {
	n := dnsNet(t)
	n.eni("eni-db", "subnet-b", "10.0.2.50", "sg-open")
	n.m.HostedZones["ZA"] = &model.HostedZone{ID: "ZA", Name: "corp.example.", Private: true, VPCsKnown: true, VPCs: []string{"vpc-1"}, RecordsKnown: true,
		Records: []model.Record{{Name: "db.corp.example.", Type: "A", Values: []string{"10.0.2.50"}}}}
	n.m.VPCs["vpc-1"].DNSHostnames = model.No
	n.m.Index()
	a := Resolve(n.m, "vpc-1", "db.corp.example", DNSOptions{})
	if a.Decision != Undecided || len(a.Findings) == 0 || !strings.Contains(a.Findings[0], "enableDnsHostnames is off, so it does not answer") {
		t.Fatalf("%+v", a)
	}
}

func TestDNSPrivateNameEntryIsNotAPublicRecord(t *testing.T) {
	n := dnsNet(t)
	n.m.Endpoints["vpce-sts"].DNSNames = []string{"vpce-sts-abcd.sts.us-east-1.vpce.amazonaws.com", "sts.us-east-1.amazonaws.com"}
	n.m.VPCs["vpc-1"].DNSHostnames = model.No
	n.m.Index()
	a := Resolve(n.m, "vpc-1", "sts.us-east-1.amazonaws.com", DNSOptions{})
	if a.Decision != Undecided || a.Private || len(a.Answers) != 0 {
		t.Fatalf("with hostnames off the private name answers publicly (unknown offline): %+v", a)
	}
}

func TestDNSCustomServersFromDHCPOptions(t *testing.T) {
	n := dnsNet(t)
	n.m.VPCs["vpc-1"].DHCPOptionsID = "dopt-1"
	n.m.DHCPOptions["dopt-1"] = &model.DHCPOptions{ID: "dopt-1", DNSServers: []string{"AmazonProvidedDNS"}}
	n.m.Index()
	if a := Resolve(n.m, "vpc-1", "sts.us-east-1.amazonaws.com", DNSOptions{}); a.Decision != Allow {
		t.Fatalf("AmazonProvidedDNS: %+v", a)
	}
	n.m.DHCPOptions["dopt-1"].DNSServers = []string{"10.9.0.2", "10.9.0.3"}
	a := Resolve(n.m, "vpc-1", "sts.us-east-1.amazonaws.com", DNSOptions{})
	if a.Decision != Undecided || !strings.Contains(a.AnsweredBy, "custom DNS servers 10.9.0.2, 10.9.0.3 (DHCP options dopt-1)") {
		t.Fatalf("custom servers: %+v", a)
	}
}
