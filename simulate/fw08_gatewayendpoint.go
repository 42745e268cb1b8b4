package simulate

import (
	"fmt"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// gatewayEndpoint is a gateway VPC endpoint, reached by a prefix-list
// route (aws-semantics: VPC endpoints; PrivateLink guide, "Gateway
// endpoints"). Forward: the subnet's outbound ACL, the endpoint's state,
// TCP only; the service answers inside AWS. Reply: it comes back through
// the endpoint.
func (t *tracer) gatewayEndpoint(f *flight) bool {
	id := f.at.id
	if t.ret {
		t.allow(Hop{Component: CompVPCEndpoint, ID: id, Direction: Ingress, Code: CodeEndpointForwards, Rule: t.m.Endpoints[id].ServiceName, Ref: resourceRef(id), Reason: "the reply comes back through the endpoint from " + f.src.String()})
		f.at = loc{el: elArrive, vpc: t.src.VPCID, eni: t.src}
		return true
	}
	p := f.packet
	ep := t.m.Endpoints[id]
	if ep == nil {
		t.unknown(Hop{Component: CompVPCEndpoint, ID: id, Direction: Forward, Code: CodeMissingData, Reason: missingRef(t.m, id, model.KindVPCEndpoint)},
			"add describe-vpc-endpoints output to the snapshot")
		return false
	}
	if ep.Type == model.EndpointGWLB {
		f.at.el = elAppliance
		return t.appliance(f)
	}
	if ep.Type != model.EndpointGateway {
		t.unknown(Hop{Component: CompVPCEndpoint, ID: id, Direction: Forward, Code: CodeOutsideModel,
			Reason: fmt.Sprintf("%s is a %s endpoint: traffic goes to an appliance behind it, which vpcpath does not model yet", id, ep.Type)}, "")
		return false
	}
	t.naclCheck(f.at.sub, true, p)
	if t.dead() {
		return false
	}
	if !strings.EqualFold(ep.State, "available") {
		t.deny(Hop{Component: CompVPCEndpoint, ID: id, Direction: Forward, Code: CodeEndpointNotAvailable, Rule: "state " + ep.State, Ref: resourceRef(id),
			Reason: fmt.Sprintf("%s (%s) is %s, not available", id, ep.ServiceName, ep.State)}, "recreate "+id)
		return false
	}
	if p.proto != model.ProtoTCP {
		t.deny(Hop{Component: CompVPCEndpoint, ID: id, Direction: Forward, Code: CodeEndpointTCPOnly, Rule: "TCP only", Ref: resourceRef(id),
			Reason: fmt.Sprintf("gateway endpoints carry TCP only; %s to %s is dropped", p.proto, ep.ServiceName)}, "use TCP")
		return false
	}
	t.allow(Hop{Component: CompVPCEndpoint, ID: id, Direction: Forward, Code: CodeEndpointForwards, Rule: ep.ServiceName, Ref: resourceRef(id),
		Reason: fmt.Sprintf("gateway endpoint delivers to %s inside AWS, not through the internet", ep.ServiceName)})
	t.assume(fmt.Sprintf("the endpoint policy of %s and the resource's own policy allow the request (vpcpath models the network, not IAM)", id))
	t.turn(f, loc{el: elGatewayEndpoint, vpc: f.at.vpc, id: id}, t.q.Ephemeral)
	return true
}
