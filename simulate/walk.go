package simulate

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// The forwarding elements, one file each, in the order AWS meets them
// (VPC guide, "How Amazon VPC works"; aws-semantics.md):
//
//	fw01_interface.go         the network interface: where a packet starts and arrives
//	fw02_securitygroup.go     security groups, checked at the interface
//	fw03_networkacl.go        network ACLs, at subnet boundaries
//	fw04_vpcrouter.go         the VPC router: the subnet's route table
//	fw05_awsservice.go        addresses AWS serves inside the VPC
//	fw06_internetgateway.go   internet gateways
//	fw07_natgateway.go        NAT gateways
//	fw08_gatewayendpoint.go   gateway VPC endpoints
//	fw09_interfaceendpoint.go interface VPC endpoints
//	fw10_peering.go           VPC peering connections
//	fw11_transitgateway.go    transit gateways: attachments and route tables
//	fw12_vpn.go               virtual private gateways, VPN and Direct Connect: the edge
//	fw13_appliance.go         appliances: interfaces, instances, Gateway Load Balancer endpoints
//
// The pure evaluators they call (group, ACL and route matching) are in
// rules.go. One loop, run, moves a packet from element to element: the
// forward path from the source interface, then the reply from the
// destination back, each element naming the next.

// elem is the forwarding element a packet is at.
type elem uint8

const (
	elSource          elem = iota // leaving an interface (the source, or the destination replying)
	elArrive                      // arriving at an interface
	elRouter                      // the VPC router, with the route table of at.sub
	elInternetGateway             // an internet gateway
	elNATGateway                  // a NAT gateway
	elGatewayEndpoint             // a gateway VPC endpoint
	elPeering                     // a VPC peering connection
	elTGWAttachment               // leaving a VPC through its transit gateway attachment
	elTGW                         // a transit gateway's route table
	elVGW                         // a virtual private gateway
	elAppliance                   // a network appliance
)

// component is the hop component that stands for an element.
func (e elem) component() Component {
	switch e {
	case elRouter:
		return CompRouteTable
	case elInternetGateway:
		return CompInternetGateway
	case elNATGateway:
		return CompNATGateway
	case elGatewayEndpoint:
		return CompVPCEndpoint
	case elPeering:
		return CompVPCPeering
	case elTGWAttachment:
		return CompTGWAttachment
	case elTGW:
		return CompTransitGateway
	case elVGW:
		return CompVGW
	case elAppliance:
		return CompAppliance
	case elInternet:
		return CompInternet
	case elOnPrem:
		return CompVPNConnection
	}
	return CompENI
}

// loc is where a packet is: the element about to handle it, in which VPC
// and subnet, at which interface.
type loc struct {
	el  elem
	vpc string        // the VPC the packet is in ("" outside every VPC)
	sub *model.Subnet // the subnet it is in; nil at a gateway or outside
	eni *model.ENI    // elSource: the interface sending; elArrive: the one receiving (nil: none holds the address)
	id  string        // the gateway or endpoint of a gateway element
	// via is the attachment a packet arrived on: at a transit gateway, the
	// one whose associated table routes it; in a VPC, the one it entered by.
	via string
}

// label names a location in a routing loop's description.
func (l loc) label() string {
	switch {
	case l.el == elTGW:
		return l.id + " (arriving on " + l.via + ")"
	case l.el == elTGWAttachment:
		return l.vpc + "'s attachment to " + l.id
	case l.id != "":
		return l.id
	case l.el == elRouter && l.sub != nil:
		return "the route table of " + l.sub.ID
	case l.eni != nil:
		return l.eni.ID
	case l.sub != nil:
		return l.sub.ID
	}
	return l.vpc
}

// flight is a packet in flight: its header, where it is, and the state the
// reply needs to retrace the way.
type flight struct {
	packet
	at loc
	// nat is the NAT gateway that rewrote the source, natSub its subnet and
	// preNAT the packet before: the reply is translated back there.
	nat    *model.NATGateway
	natSub *model.Subnet
	preNAT packet
	// srcRef is the interface whose groups a security group reference can
	// match at the destination: the source, until a translation or a
	// crossing that group references do not survive (NAT, a peering across
	// Regions) sets it nil.
	srcRef *model.ENI
	// crossed are the connections the packet crossed from VPC to VPC, in
	// order; the reply must come back over them.
	crossed []crossing
	// appl and replAppl are the appliances the request and the reply
	// passed; noApplianceMode names a transit gateway attachment without
	// appliance mode the request entered an appliance's VPC by.
	appl, replAppl  []string
	noApplianceMode string
	entered         *model.TGWAttachment // the attachment the request last entered a VPC by
	// pins are the attachment subnets the request entered VPCs by, which
	// appliance mode keeps for the reply.
	pins []pin
	// az is the Availability Zone the packet entered its transit gateway
	// in: the gateway keeps it there where it can.
	az string
	// route is the source subnet's route lookup, made before the security
	// group check (group references match only interfaces the local route
	// reaches) and used again by the VPC router.
	route routeLookup
}

// pin is the subnet a transit gateway attachment delivered the request by.
type pin struct {
	att string
	sub *model.Subnet
}

// crossing is a connection between two VPCs the packet crossed.
type crossing struct {
	id       string // pcx- or tgw-: the route target that crosses
	from, to string // VPC IDs
}

type routeLookup struct {
	sub *model.Subnet // the subnet whose table was looked up; nil: none yet
	rt  *model.RouteTable
	rc  routeChoice
	ok  bool
	dst *model.ENI // the interface the local route reaches, if any
}

// hopLimit bounds a walk; no real path comes near it.
const hopLimit = 64

// visit is one element a walk passed, with the header it had there: the
// same element twice with the same header is a routing loop.
type visit struct {
	at       loc
	ret      bool
	src, dst netip.Addr
}

// run moves f from element to element until one stops it (delivered,
// dropped, undecided, or at the edge of the model). step is the element
// dispatch; tests give their own.
func (t *tracer) run(f *flight, step func(*flight) bool) {
	// Every cycle passes a router (a VPC's or a transit gateway's), so
	// only routers are remembered and compared.
	var seen [8]visit
	visited := seen[:0]
	for n := 0; ; n++ {
		if el := f.at.el; el == elRouter || el == elTGW {
			v := visit{at: f.at, ret: t.ret, src: f.src, dst: f.dst}
			for i := range visited {
				if visited[i] == v {
					t.loop(f, visited[i:])
					return
				}
			}
			visited = append(visited, v)
		}
		if n >= hopLimit {
			t.deny(Hop{Component: f.at.el.component(), ID: f.at.label(), Direction: Forward, Code: CodeHopLimit, Rule: fmt.Sprintf("hop limit %d", hopLimit), Ref: resourceRef(f.at.label()),
				Reason: fmt.Sprintf("the packet passed %d forwarding elements without arriving; vpcpath stops there", hopLimit)}, "")
			return
		}
		if !step(f) {
			return
		}
	}
}

// loop records a routing loop: the packet came back to where it was with
// the same header, so it circles until its TTL runs out.
func (t *tracer) loop(f *flight, cycle []visit) {
	names := make([]string, 0, len(cycle)+1)
	for _, v := range cycle {
		names = append(names, v.at.label())
	}
	names = append(names, cycle[0].at.label())
	t.deny(Hop{Component: f.at.el.component(), ID: cycle[0].at.label(), Direction: Forward, Code: CodeRoutingLoop, Rule: "routing loop", Ref: resourceRef(cycle[0].at.label()),
		Reason: fmt.Sprintf("the packet to %s circles %s until its TTL runs out", f.dst, strings.Join(names, " -> "))},
		"change one route of the loop so that it leads to "+f.dst.String())
}

// step hands f to the element it is at; false means the walk ends there.
func (t *tracer) step(f *flight) bool {
	switch f.at.el {
	case elSource:
		return t.leaveInterface(f)
	case elArrive:
		return t.arrive(f)
	case elRouter:
		return t.route(f)
	case elInternetGateway:
		return t.internetGateway(f)
	case elNATGateway:
		return t.natGateway(f)
	case elGatewayEndpoint:
		return t.gatewayEndpoint(f)
	case elPeering:
		return t.peering(f)
	case elTGWAttachment:
		return t.leaveByAttachment(f)
	case elTGW:
		return t.transitGateway(f)
	case elVGW:
		return t.virtualGateway(f)
	case elAppliance:
		return t.appliance(f)
	case elInternet:
		return t.internet(f)
	case elOnPrem:
		return t.onPremises(f)
	}
	panic(fmt.Sprintf("simulate: no forwarding element %d", f.at.el))
}

// turn ends the forward path at the destination and starts the reply
// there, at loc at, to the client's ports.
func (t *tracer) turn(f *flight, at loc, clientPorts model.PortRange) {
	t.ret = true
	f.packet = t.reply(f.packet, clientPorts)
	f.at = at
}

// walk traces the question's packet there and back.
func (t *tracer) walk() {
	// The flight lives in the tracer, which is allocated anyway.
	t.fl = flight{packet: t.forward(), at: loc{el: elSource, vpc: t.src.VPCID, sub: t.srcSub, eni: t.src}, srcRef: t.src,
		crossed: t.fl.crossed[:0], pins: t.fl.pins[:0]}
	t.run(&t.fl, t.step)
}
