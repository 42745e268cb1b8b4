package model

import "testing"

// TestTargetKindOf: the loaders read a route target's kind from its ID
// alone (a GatewayId or gateway_id may hold any gateway's ID).
func TestTargetKindOf(t *testing.T) {
	for id, want := range map[string]TargetKind{
		"local":                           TargetLocal,
		"igw-0a1":                         TargetIGW,
		"eigw-0a1":                        TargetEgressOnlyIGW,
		"vgw-0a1":                         TargetVPNGateway,
		"vpce-0a1":                        TargetVPCEndpoint,
		"nat-0a1":                         TargetNAT,
		"tgw-0a1":                         TargetTransitGateway,
		"pcx-0a1":                         TargetPeering,
		"eni-0a1":                         TargetENI,
		"i-0a1":                           TargetInstance,
		"lgw-0a1":                         TargetLocalGateway,
		"cagw-0a1":                        TargetCarrierGateway,
		"igw-(aws_internet_gateway.main)": TargetIGW,
		"arn:aws:networkmanager::123456789012:core-network/core-network-0a1": TargetCoreNetwork,
		"":        TargetUnknown,
		"sg-0a1":  TargetUnknown,
		"gateway": TargetUnknown,
	} {
		if got := TargetKindOf(id); got != want {
			t.Errorf("TargetKindOf(%q) = %q, want %q", id, got, want)
		}
	}
}
