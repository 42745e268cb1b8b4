package simulate

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// The fixes below are each one concrete change, with the AWS CLI command
// that makes it. They open the least that lets the flow through: a group
// reference where both ends are interfaces of the VPC, else the single
// address.

func ipPermissions(p packet, peerSpec string) string {
	switch {
	case p.proto == model.ProtoAll:
		return "IpProtocol=-1," + peerSpec
	case p.proto.HasPorts():
		return fmt.Sprintf("IpProtocol=%s,FromPort=%d,ToPort=%d,%s", p.proto, p.ports.First, p.ports.Last, peerSpec)
	case p.proto.IsICMP():
		return fmt.Sprintf("IpProtocol=%s,FromPort=%d,ToPort=-1,%s", p.proto, p.icmpType, peerSpec)
	}
	return fmt.Sprintf("IpProtocol=%d,%s", int(p.proto), peerSpec)
}

func hostPrefix(a netip.Addr) netip.Prefix { return netip.PrefixFrom(a, a.BitLen()) }

func cidrSpec(c netip.Prefix) string {
	if c.Addr().Is4() {
		return "IpRanges=[{CidrIp=" + c.String() + "}]"
	}
	return "Ipv6Ranges=[{CidrIpv6=" + c.String() + "}]"
}

// sgFix proposes a rule on the interface's first group.
func (t *tracer) sgFix(eni *model.ENI, egress bool, p packet, other peer) proposal {
	if len(eni.Groups) == 0 {
		return proposal{}
	}
	if p.proto != model.ProtoTCP {
		for _, e := range []*model.ENI{eni, other.eni} {
			if e != nil && t.m.EndpointOfENI(e.ID) != nil {
				return proposal{text: "use TCP: interface endpoints carry TCP only, so no rule change lets " + p.proto.String() + " through"}
			}
		}
	}
	r := model.SGRule{GroupID: eni.Groups[0], Egress: egress, Protocol: p.proto, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: hostPrefix(other.addr)}
	switch {
	case p.proto.HasPorts():
		r.Ports = p.ports
	case p.proto.IsICMP():
		r.ICMP = model.ICMPMatch{Type: p.icmpType, Code: -1}
	}
	if t.src == nil {
		r.CIDR = t.clientPrefix(other.addr)
	}
	if other.eni != nil && len(other.eni.Groups) > 0 {
		r.CIDR, r.PeerGroup = netip.Prefix{}, other.eni.Groups[0]
	}
	return changed(Change{Kind: AddSecurityGroupRule, Rule: r})
}

// naclFix proposes an allow entry numbered just below the entry that
// denied, so that it is evaluated first.
func (t *tracer) naclFix(acl *model.NetworkACL, outbound bool, p packet, v naclVerdict) proposal {
	entries := acl.Inbound
	addr := p.src
	if outbound {
		entries, addr = acl.Outbound, p.dst
	}
	used := map[int]bool{}
	for _, e := range entries {
		used[e.Number] = true
	}
	deniedAt := v.entry.Number
	num := 0
	if deniedAt == model.FinalRuleNumber {
		// Below the final rule: after every numbered rule, in steps of 10.
		last := 0
		for _, e := range entries {
			if e.Number != model.FinalRuleNumber && e.Number > last {
				last = e.Number
			}
		}
		num = (last/10 + 1) * 10
		if num >= model.FinalRuleNumber {
			num = 0
		}
	}
	if num == 0 || used[num] {
		for n := deniedAt - 1; n >= 1; n-- {
			if !used[n] {
				num = n
				break
			}
		}
	}
	cidr, note := t.naclPeerCIDR(addr)
	ports := p.ports
	if len(v.denied) > 0 {
		lo, hi := v.denied[0].ports.First, v.denied[0].ports.Last
		for _, s := range v.denied {
			lo, hi = min(lo, s.ports.First), max(hi, s.ports.Last)
		}
		ports = model.PortRange{First: lo, Last: hi}
	}
	e := model.NACLEntry{Number: num, Egress: outbound, Allow: true, Protocol: p.proto, Ports: model.AllPorts, ICMP: model.AnyICMP, CIDR: cidr}
	switch {
	case p.proto.HasPorts():
		e.Ports = ports
	case p.proto.IsICMP():
		e.ICMP = model.ICMPMatch{Type: p.icmpType, Code: -1}
	}
	return changed(Change{Kind: AddNetworkACLEntry, ACLID: acl.ID, Entry: e, DeniedAt: deniedAt, Note: note})
}

// naclPeerCIDR is the CIDR for an ACL entry: the VPC block that holds the
// peer when it is inside the VPC (an endpoint or a group spans several
// subnets, and ACLs are usually written per VPC), else the address itself.
//
// A service address of a gateway endpoint's prefix list (S3, DynamoDB) gets
// the list entry that holds it, with a note: the service answers from every
// CIDR of the list, and ACLs cannot name prefix lists.
func (t *tracer) naclPeerCIDR(a netip.Addr) (netip.Prefix, string) {
	if t.src == nil {
		return t.clientPrefix(a), ""
	}
	if v := t.m.VPCs[t.src.VPCID]; v != nil {
		for _, c := range append(append([]netip.Prefix{}, v.CIDRs...), v.IPv6CIDRs...) {
			if c.Contains(a) {
				return c, ""
			}
		}
	}
	for _, ep := range t.m.EndpointsOf(t.src.VPCID) {
		if ep.Type != model.EndpointGateway {
			continue
		}
		if pl := t.m.PrefixListByName(ep.ServiceName); pl != nil {
			if c, ok := pl.Contains(a); ok {
				var others []string
				for _, x := range pl.CIDRs {
					if x != c {
						others = append(others, x.String())
					}
				}
				note := ""
				if len(others) > 0 {
					note = fmt.Sprintf(", and the same for the other CIDRs of %s (%s): the service answers from all of them and ACLs cannot name prefix lists", pl.ID, strings.Join(others, ", "))
				}
				return c, note
			}
		}
	}
	return hostPrefix(a), ""
}

// noRouteFix proposes the route that the destination needs.
func (t *tracer) noRouteFix(rt *model.RouteTable, dst netip.Addr) proposal {
	// A gateway endpoint of this VPC whose prefix list holds dst.
	for _, ep := range t.m.EndpointsOf(t.src.VPCID) {
		if ep.Type != model.EndpointGateway {
			continue
		}
		if pl := t.m.PrefixListByName(ep.ServiceName); pl != nil {
			if _, ok := pl.Contains(dst); ok {
				return changed(Change{Kind: AddEndpointRouteTable, EndpointID: ep.ID, ServiceName: ep.ServiceName, PrefixListID: pl.ID, RouteTableID: rt.ID,
					lead: fmt.Sprintf("associate %s (%s) with %s", ep.ID, ep.ServiceName, rt.ID)})
			}
		}
	}
	if !isPublic(dst) {
		return proposal{text: fmt.Sprintf("add a route for %s in %s to the peering connection, transit gateway or VPN that reaches it", dst, rt.ID)}
	}
	// A NAT gateway of this VPC, in the source's AZ if there is one.
	var nat *model.NATGateway
	for _, n := range t.m.NATGatewaysOf(t.src.VPCID) {
		if n.State != "available" || n.Connectivity == "private" {
			continue
		}
		if nat == nil {
			nat = n
		}
		if s := t.m.Subnets[n.SubnetID]; s != nil && s.AZ == t.srcSub.AZ {
			nat = n
			break
		}
	}
	if nat != nil {
		return changed(newRoute(rt.ID, defaultRoute, model.Target{Kind: model.TargetNAT, ID: nat.ID}, fmt.Sprintf("add a default route to %s in %s", nat.ID, rt.ID)))
	}
	if igws := t.m.InternetGatewaysOf(t.src.VPCID); len(igws) > 0 {
		c := newRoute(rt.ID, defaultRoute, model.Target{Kind: model.TargetIGW, ID: igws[0].ID}, fmt.Sprintf("add a default route to %s in %s", igws[0].ID, rt.ID))
		c.tail = "; the source then also needs a public IP"
		return changed(c)
	}
	return proposal{text: fmt.Sprintf("%s has no way to the internet: add a NAT gateway in a public subnet and a default route to it in %s", t.src.VPCID, rt.ID)}
}

func (t *tracer) noPublicIPFix() proposal {
	c := Change{Kind: AssociateAddress, ENIID: t.src.ID, lead: "give " + t.src.ID + " a public address"}
	rt, _ := t.m.SubnetRouteTable(t.srcSub.ID)
	if rt == nil {
		return changed(c)
	}
	// A table that a NAT gateway's own subnet uses must keep its route to
	// the internet gateway: moving it to the NAT would cut every NAT flow.
	for _, n := range t.m.NATGatewaysOf(t.src.VPCID) {
		if nrt, _ := t.m.SubnetRouteTable(n.SubnetID); nrt == rt {
			c.tail = fmt.Sprintf(", or move it to a private subnet whose route table sends 0.0.0.0/0 to a NAT gateway (%s also carries %s's traffic to the internet gateway)", rt.ID, n.ID)
			return changed(c)
		}
	}
	for _, n := range t.m.NATGatewaysOf(t.src.VPCID) {
		if n.State == "available" && n.Connectivity != "private" {
			c.tail = fmt.Sprintf(", or send 0.0.0.0/0 from %s to %s", rt.ID, n.ID)
			break
		}
	}
	return changed(c)
}

// proposal is what the tracer proposes at the hop that drops a packet:
// the fix as text, and the change it makes when it is one (nil for
// advice, or a change the model cannot express).
type proposal struct {
	text   string
	change *Change
}

// changed is the proposal of change c: its text is c's.
func changed(c Change) proposal { return proposal{text: c.Text(), change: &c} }

var defaultRoute = netip.MustParsePrefix("0.0.0.0/0")

// routeFix routes dest to target in rt, said as lead: CreateRoute, or
// ReplaceRoute when rt has a route for dest already (a blackhole, or to
// another target), since AWS refuses to create a second one
// (RouteAlreadyExists; EC2 API error codes,
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
func routeFix(rt *model.RouteTable, dest netip.Prefix, target model.Target, lead string) Change {
	c := newRoute(rt.ID, dest, target, lead)
	for _, r := range rt.Routes {
		if r.Dest.IsValid() && r.Dest == dest {
			c.Kind = ReplaceRoute
			if !r.Blackhole {
				// Not only this flow takes the route: say what moves.
				c.tail = fmt.Sprintf("; today it goes to %s, for every flow that takes it", r.Target.ID)
			}
		}
	}
	return c
}

// newRoute is a CreateRoute change for dest to target in table rtID,
// said as lead.
func newRoute(rtID string, dest netip.Prefix, target model.Target, lead string) Change {
	return Change{Kind: CreateRoute, RouteTableID: rtID, Route: model.Route{Dest: dest, Target: target}, lead: lead}
}

// startFix proposes starting a stopped instance.
func startFix(id string) proposal {
	return changed(Change{Kind: StartInstances, InstanceID: id, lead: "start " + id})
}
