package simulate

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/snapshot"
)

// Batfish's own scenario tests assert these flows over its public
// snapshots (AwsConfigurationTransitGatewayTest in batfish/batfish); the
// snapshots are in the workplace's shared fixtures, not in the repository.
// Where Batfish departs from AWS the row says so, and AWS wins.
func TestBatfishTransitGatewayFlowsAgree(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "fixtures", "external", "batfish__batfish", "test-transit-gateway", "aws_configs")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared/fixtures/external is absent (a user's clone): skipping Batfish's transit gateway scenario")
	}
	m, _, err := snapshot.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	const (
		a, a2, b = "i-06ba034d88c84ef07", "i-075e846ed41670385", "i-0b14080af811fda3d"
	)
	for _, tc := range []struct {
		name, from, to string
		verdict        Verdict
		comp           Component
		id             string
	}{
		// testFromAtoB / testFromBtoA: across the gateway, denied at the
		// destination instance (its group admits no ICMP).
		{"A to B", a, b, Blocked, CompSecurityGroup, "sg-065c26b39e45ae384"},
		{"B to A", b, a, Blocked, CompSecurityGroup, "sg-09606ce9642cac154"},
		// testFromA2toB: null-routed at A2's subnet, whose zone has no
		// attachment subnet: blocked at the attachment (AWS: a subnet route
		// to the gateway works only in the attachment's zones).
		{"A2 to B", a2, b, Blocked, CompTGWAttachment, "tgw-attach-07f5ec59e9f540021"},
		// testFromBtoA2: Batfish null-routes at VPC A. AWS delivers into VPC
		// A through the attachment subnet and on by the local route, so the
		// packet reaches A2 and its group denies the ICMP; either way
		// blocked.
		{"B to A2", b, a2, Blocked, CompSecurityGroup, "sg-051f619de836dbaf3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Trace(m, Query{From: tc.from, To: tc.to, Protocol: model.ProtoICMP})
			if err != nil {
				t.Fatal(err)
			}
			expect(t, r, tc.verdict, tc.comp, tc.id, false)
			if tc.name != "A2 to B" && !hasHop(r.Hops, CompTransitGateway) {
				t.Errorf("the path should cross the gateway: %v", components(r.Hops))
			}
		})
	}
}

// AwsConfigurationVpcPeeringTest's flows over Batfish's test-vpc-peering:
// A peers with B and C, which share 192.168.0.0/16.
func TestBatfishVPCPeeringFlowsAgree(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "fixtures", "external", "batfish__batfish", "test-vpc-peering", "aws_configs")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared/fixtures/external is absent (a user's clone): skipping Batfish's peering scenario")
	}
	m, _, err := snapshot.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	const a, b = "i-06ba034d88c84ef07", "i-0b14080af811fda3d"
	for _, tc := range []struct {
		name, from, to string
		verdict        Verdict
		comp           Component
		id             string
	}{
		// testFromAtoB / testFromBtoA: denied at the destination instance.
		{"A to B", a, "192.168.1.106", Blocked, CompSecurityGroup, "sg-065c26b39e45ae384"},
		{"B to A", b, "10.10.10.157", Blocked, CompSecurityGroup, "sg-09606ce9642cac154"},
		// testFromAtoUnusedSubnet: no route at A's subnet.
		{"A to an unused subnet of B and C", a, "192.168.100.1", Blocked, CompRouteTable, "rtb-0891861fffaea6d52"},
		// testFromBtoUnusedSubnet: null-routed in VPC A (no subnet holds it).
		{"B to an unused subnet of A", b, "10.10.100.1", Blocked, CompSubnet, "vpc-0404e08ceddf7f650"},
		// testFromBtoUnusedIp: Batfish delivers to A's subnet; no interface
		// holds the address in the snapshot, so whether it is dropped is
		// unknown (an interface the snapshot lacks may hold it).
		{"B to an unused address of A's subnet", b, "10.10.10.11", Unknown, CompENI, "10.10.10.11"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Trace(m, Query{From: tc.from, To: tc.to, Protocol: model.ProtoICMP})
			if err != nil {
				t.Fatal(err)
			}
			expect(t, r, tc.verdict, tc.comp, tc.id, false)
		})
	}
}
