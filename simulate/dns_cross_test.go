package simulate

import (
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// A private hosted zone associated with several VPCs answers in each; the
// trace by name then crosses to the VPC that holds the address.
func TestDNSPrivateZoneAssociatedWithSeveralVPCs(t *testing.T) {
	n := peered(t)
	n.m.HostedZones["ZDB"] = &model.HostedZone{ID: "ZDB", Name: "db.internal.", Private: true, VPCsKnown: true, VPCs: []string{"vpc-1", "vpc-2"}, RecordsKnown: true,
		Records: []model.Record{{Name: "metastore.db.internal.", Type: "A", Values: []string{"10.2.1.10"}}}}
	r := n.dnsTrace("metastore.db.internal", 3306, DNSOptions{})
	expect(t, r, Reachable, "", "", false)
	if !hasHop(r.Hops, CompVPCPeering) || r.Flow.DstENI != "" && r.Flow.DstENI != "eni-b" {
		t.Errorf("the name should lead over the peering to eni-b: %v", components(r.Hops))
	}
	// Not associated with the source's VPC: the zone does not answer there.
	n.m.HostedZones["ZDB"].VPCs = []string{"vpc-2"}
	n.m.Index()
	if a := Resolve(n.m, "vpc-1", "metastore.db.internal", DNSOptions{}); a.Decision == Allow && len(a.Answers) > 0 && a.Answers[0] == "10.2.1.10" {
		t.Errorf("a zone of vpc-2 only answered in vpc-1: %+v", a)
	}
}

// Centralised interface endpoints: an endpoint in the shared VPC of a hub,
// reached by name through a zone associated with the spokes (an alias to
// the endpoint's regional name), through the transit gateway.
func TestDNSCentralisedInterfaceEndpointThroughATransitGateway(t *testing.T) {
	n := hub(t)
	ep := n.interfaceEndpoint("vpce-sts", "sg-vpc-9", "vpc-9-a", "10.9.1.60")
	ep.VPCID = "vpc-9"
	ep.PrivateDNS = false // private DNS only serves the endpoint's own VPC
	ep.DNSNames = []string{"vpce-sts-1234.sts.us-east-1.vpce.amazonaws.com"}
	n.m.HostedZones["ZSTS"] = &model.HostedZone{ID: "ZSTS", Name: "sts.us-east-1.amazonaws.com.", Private: true, VPCsKnown: true, VPCs: []string{"vpc-1", "vpc-2"}, RecordsKnown: true,
		Records: []model.Record{{Name: "sts.us-east-1.amazonaws.com.", Type: "A", Alias: &model.Alias{DNSName: "vpce-sts-1234.sts.us-east-1.vpce.amazonaws.com."}}}}
	r := n.dnsTrace("sts.us-east-1.amazonaws.com", 443, DNSOptions{})
	expect(t, r, Reachable, "", "", false)
	if !hasHop(r.Hops, CompTransitGateway) || !hasHop(r.Hops, CompVPCEndpoint) {
		t.Errorf("want the gateway and the endpoint on the path: %v", components(r.Hops))
	}
}
