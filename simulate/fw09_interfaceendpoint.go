package simulate

import (
	"fmt"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// interfaceEndpoint records the packet arriving at an interface endpoint's
// interface (aws-semantics: VPC endpoints; PrivateLink guide, "Interface
// endpoints": TCP only).
func (t *tracer) interfaceEndpoint(ep *model.VPCEndpoint, e *model.ENI, p packet) bool {
	svc := ep.ServiceName
	if !strings.EqualFold(ep.State, "available") {
		t.deny(Hop{Component: CompVPCEndpoint, ID: ep.ID, Direction: Ingress, Code: CodeEndpointNotAvailable, Rule: "state " + ep.State, Ref: resourceRef(ep.ID),
			Reason: fmt.Sprintf("%s (%s) is %s, not available: it forwards nothing", ep.ID, svc, ep.State)},
			"get "+ep.ID+" to available (accept the connection on the service side, or recreate the endpoint)")
		return false
	}
	if p.proto != model.ProtoTCP {
		t.deny(Hop{Component: CompVPCEndpoint, ID: ep.ID, Direction: Ingress, Code: CodeEndpointTCPOnly, Rule: "TCP only", Ref: resourceRef(ep.ID),
			Reason: fmt.Sprintf("interface endpoints carry TCP only; %s is not forwarded to %s", p.proto, svc)},
			"use TCP: interface endpoints forward nothing else")
		return false
	}
	t.allow(Hop{Component: CompVPCEndpoint, ID: ep.ID, Direction: Ingress, Code: CodeEndpointForwards, Rule: svc, Ref: resourceRef(ep.ID),
		Reason: fmt.Sprintf("interface %s of %s forwards to %s over PrivateLink", e.ID, ep.ID, svc)})
	t.listenerAssumption("the service behind " + ep.ID + " (" + svc + ")")
	return true
}
