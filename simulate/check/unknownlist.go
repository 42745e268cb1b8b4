package check

import (
	"fmt"
	"strings"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
)

// viaEndpointWithoutEntries decides a requirement to a prefix list whose
// entries are not known (a plan without a data "aws_prefix_list", a
// snapshot without describe-prefix-lists) when the requirement must pass
// a VPC endpoint: traffic reaches a gateway endpoint only by a route to
// it in the source subnet's table (VPC guide, "Gateway endpoints"), so a
// table with no route that could go to an endpoint fails the requirement
// whatever addresses the list holds. ok is false when that cannot be told
// (no table known, a route whose target is unknown, a route to an
// endpoint): the answer stays unknown.
func (r *runner) viaEndpointWithoutEntries(in *Intent, src *model.ENI) (detail string, fix proposed, ok bool) {
	if in.To.PrefixList == "" || in.Expect == "blocked" || !mustPassEndpoint(in.Via) {
		return "", proposed{}, false
	}
	rt, explicit := r.m.SubnetRouteTable(src.SubnetID)
	if rt == nil {
		return "", proposed{}, false
	}
	for _, x := range rt.Routes {
		if x.Unknown != "" || x.Target.Kind == model.TargetVPCEndpoint || x.Target.Kind == model.TargetUnknown {
			return "", proposed{}, false
		}
	}
	how := "its VPC's main table"
	if explicit {
		how = "explicitly associated"
	}
	detail = fmt.Sprintf("the addresses of %s are not known, but %s (%s with %s) has no route to a VPC endpoint, so the traffic cannot pass the gateway endpoint whatever the list holds",
		in.To.PrefixList, rt.ID, how, src.SubnetID)
	service := in.To.PrefixList
	if pl := r.m.PrefixLists[service]; pl != nil && pl.Name != "" {
		service = pl.Name
	}
	var cmd string
	for _, ep := range r.m.EndpointsOf(src.VPCID) {
		if ep.Type == model.EndpointGateway && ep.ServiceName == service {
			c := simulate.Change{Kind: simulate.AddEndpointRouteTable, EndpointID: ep.ID, ServiceName: service, PrefixListID: in.To.PrefixList, RouteTableID: rt.ID}
			cmd = "associate the gateway endpoint with the table: " + c.Command()
			fix.change = &c
			break
		}
	}
	if cmd == "" && strings.HasPrefix(service, "com.amazonaws.") {
		cmd = fmt.Sprintf("create the gateway endpoint: aws ec2 create-vpc-endpoint --vpc-id %s --vpc-endpoint-type Gateway --service-name %s --route-table-ids %s", src.VPCID, service, rt.ID)
	}
	if cmd != "" {
		fix.text = &cmd
	}
	return detail, fix, true
}

func mustPassEndpoint(via []string) bool {
	for _, v := range via {
		if v == "vpc-endpoint" || strings.HasPrefix(v, "vpce-") {
			return true
		}
	}
	return false
}
