package simulate

import (
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// What the input does not decide about peering, gateways and VPN stays
// unknown: never a confident verdict.
func TestUndecidedTransitAttributesAreUnknown(t *testing.T) {
	t.Run("peering status", func(t *testing.T) {
		n := peered(t)
		n.m.Peerings["pcx-12"].Unknown = "aws_vpc_peering_connection.ab auto_accept is known only after apply"
		expect(t, n.trace("eni-a", "eni-b", "tcp", 443), Unknown, CompVPCPeering, "pcx-12", false)
	})
	t.Run("peer VPC range", func(t *testing.T) {
		n := peered(t)
		n.m.VPCs["vpc-2"].CIDRs = nil
		expect(t, n.trace("eni-a", "10.2.1.10", "tcp", 443), Unknown, CompVPCPeering, "pcx-12", false)
	})
	t.Run("gateway association", func(t *testing.T) {
		n := hub(t)
		n.m.TGWAttachments["att-1"].Association.Unknown = "default association known only after apply"
		expect(t, n.trace("eni-a", "eni-9", "tcp", 443), Unknown, CompTransitGateway, "tgw-1", false)
	})
	t.Run("VPN static route", func(t *testing.T) {
		n := onPrem(t, "UP")
		c := n.m.VPNConnections["vpn-1"]
		c.StaticRoutesOnly = model.Yes
		c.Routes = []model.VPNStaticRoute{{Unknown: "aws_vpn_connection_route.r destination_cidr_block is known only after apply"}}
		expect(t, n.trace("eni-a", "192.168.5.5", "tcp", 443), Unknown, CompVPNConnection, "vpn-1", false)
	})
}
