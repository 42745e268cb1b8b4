package check

import (
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// The Databricks profiles take a default route to a transit gateway as
// egress through a shared NAT (the requirements then follow it there); a
// blackholed one is no way out.
func TestDatabricksEgressThroughTransitGateway(t *testing.T) {
	for _, tc := range []struct {
		name      string
		blackhole bool
		want      string
	}{
		{"default route to a transit gateway", false, "egress: nat (the workspace subnets' default route goes to tgw-1, towards a shared NAT)"},
		{"blackholed default route to a transit gateway", true, "egress: isolated (the workspace subnets' default route)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := example(t)
			rt, _ := m.SubnetRouteTable("subnet-0a0000000000000b1")
			changed := false
			for i := range rt.Routes {
				if r := &rt.Routes[i]; r.Dest.Bits() == 0 {
					r.Target = model.Target{Kind: model.TargetTransitGateway, ID: "tgw-1"}
					r.Blackhole, changed = tc.blackhole, true
				}
			}
			if !changed {
				t.Fatal("the example's workspace table has no default route")
			}
			_, _, notes, err := databricksPrivateLink.Build(m, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(notes, "\n"), tc.want) {
				t.Errorf("notes %q lack %q", notes, tc.want)
			}
		})
	}
}
