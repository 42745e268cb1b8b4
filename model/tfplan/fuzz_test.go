package tfplan

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// FuzzPlan feeds arbitrary bytes to the loader, alone and over a small
// network: an error is fine, a panic is not.
func FuzzPlan(f *testing.F) {
	// The bundled fresh-deployment plan (90 KB) as a seed; the fuzzer
	// mutates the small ones below far faster.
	if data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "plans", "databricks-privatelink.plan.json")); err == nil && testing.Short() {
		f.Add(data)
	}
	f.Add(planJSON(vpc, subnet, sgWS, sgEP))
	f.Add(planJSON(vpc, subnet, res{addr: "aws_ec2_transit_gateway.t", vals: map[string]any{"default_route_table_association": "enable", "default_route_table_propagation": "enable"}},
		res{addr: "aws_ec2_transit_gateway_vpc_attachment.a", refs: map[string][]string{"transit_gateway_id": {"aws_ec2_transit_gateway.t.id"}, "vpc_id": {"aws_vpc.main.id"}}},
		res{addr: "aws_ec2_transit_gateway_route.r", vals: map[string]any{"destination_cidr_block": "10.0.0.0/8", "transit_gateway_route_table_id": "tgw-rtb-1"}},
		res{addr: "aws_vpn_connection.v", vals: map[string]any{"static_routes_only": true}, refs: map[string][]string{"transit_gateway_id": {"aws_ec2_transit_gateway.t.id"}}}))
	f.Add([]byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_route.r","type":"aws_route","name":"r","values":{"route_table_id":"rtb-1","destination_prefix_list_id":"pl-1"}}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.json", data)
		if err != nil {
			return
		}
		if m, err := p.Model(); err == nil && m == nil {
			t.Fatal("nil model without error")
		}
		base, _ := load(t, vpc, subnet)
		_, _ = Overlay(base, p)
		_ = p.Changes()
	})
}

var _ = model.New
