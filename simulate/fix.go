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
func (t *tracer) sgFix(eni *model.ENI, egress bool, p packet, other peer) string {
	if len(eni.Groups) == 0 {
		return ""
	}
	if p.proto != model.ProtoTCP {
		for _, e := range []*model.ENI{eni, other.eni} {
			if e != nil && t.m.EndpointOfENI(e.ID) != nil {
				return "use TCP: interface endpoints carry TCP only, so no rule change lets " + p.proto.String() + " through"
			}
		}
	}
	group := eni.Groups[0]
	peerText, spec := hostPrefix(other.addr).String(), cidrSpec(hostPrefix(other.addr))
	if t.src == nil {
		peerText, spec = t.clientPrefix(other.addr).String(), cidrSpec(t.clientPrefix(other.addr))
	}
	if other.eni != nil && len(other.eni.Groups) > 0 {
		peerText, spec = other.eni.Groups[0], "UserIdGroupPairs=[{GroupId="+other.eni.Groups[0]+"}]"
	}
	what := "ingress"
	prep := "from"
	if egress {
		what, prep = "egress", "to"
	}
	return fmt.Sprintf("add to %s an %s rule %s %s %s (aws ec2 authorize-security-group-%s --group-id %s --ip-permissions '%s')",
		group, what, flowProto(p), prep, peerText, what, group, ipPermissions(p, spec))
}

// naclFix proposes an allow entry numbered just below the entry that
// denied, so that it is evaluated first.
func (t *tracer) naclFix(acl *model.NetworkACL, outbound bool, p packet, v naclVerdict) string {
	entries := acl.Inbound
	addr := p.src
	dir, flag, prep := "inbound", "--ingress", "from"
	if outbound {
		entries, addr = acl.Outbound, p.dst
		dir, flag, prep = "outbound", "--egress", "to"
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
	proto := p.proto.String()
	portFlag := ""
	if p.proto.HasPorts() {
		portFlag = fmt.Sprintf(" --port-range From=%d,To=%d", ports.First, ports.Last)
	}
	if p.proto == model.ProtoAll {
		proto = "-1"
	}
	cidrFlag := "--cidr-block " + cidr.String()
	if cidr.Addr().Is6() {
		cidrFlag = "--ipv6-cidr-block " + cidr.String()
	}
	pp := p
	pp.ports = ports
	before := "#" + v.entry.NumberString()
	if v.entry.Number == model.FinalRuleNumber {
		before = "the final * deny"
	}
	return fmt.Sprintf("add to %s an %s entry #%d allow %s %s %s, before %s%s (aws ec2 create-network-acl-entry --network-acl-id %s %s --rule-number %d --protocol %s%s %s --rule-action allow)",
		acl.ID, dir, num, flowProto(pp), prep, cidr, before, note, acl.ID, flag, num, proto, portFlag, cidrFlag)
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
func (t *tracer) noRouteFix(rt *model.RouteTable, dst netip.Addr) string {
	// A gateway endpoint of this VPC whose prefix list holds dst.
	for _, ep := range t.m.EndpointsOf(t.src.VPCID) {
		if ep.Type != model.EndpointGateway {
			continue
		}
		if pl := t.m.PrefixListByName(ep.ServiceName); pl != nil {
			if _, ok := pl.Contains(dst); ok {
				return fmt.Sprintf("associate %s (%s) with %s (aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --add-route-table-ids %s)",
					ep.ID, ep.ServiceName, rt.ID, ep.ID, rt.ID)
			}
		}
	}
	if !isPublic(dst) {
		return fmt.Sprintf("add a route for %s in %s to the peering connection, transit gateway or VPN that reaches it", dst, rt.ID)
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
		return fmt.Sprintf("add a default route to %s in %s (aws ec2 create-route --route-table-id %s --destination-cidr-block 0.0.0.0/0 --nat-gateway-id %s)", nat.ID, rt.ID, rt.ID, nat.ID)
	}
	if igws := t.m.InternetGatewaysOf(t.src.VPCID); len(igws) > 0 {
		return fmt.Sprintf("add a default route to %s in %s (aws ec2 create-route --route-table-id %s --destination-cidr-block 0.0.0.0/0 --gateway-id %s); the source then also needs a public IP", igws[0].ID, rt.ID, rt.ID, igws[0].ID)
	}
	return fmt.Sprintf("%s has no way to the internet: add a NAT gateway in a public subnet and a default route to it in %s", t.src.VPCID, rt.ID)
}

func (t *tracer) noPublicIPFix() string {
	rt, _ := t.m.SubnetRouteTable(t.srcSub.ID)
	var b strings.Builder
	fmt.Fprintf(&b, "give %s a public address (aws ec2 associate-address --network-interface-id %s --allocation-id <eipalloc-...>)", t.src.ID, t.src.ID)
	if rt == nil {
		return b.String()
	}
	// A table that a NAT gateway's own subnet uses must keep its route to
	// the internet gateway: moving it to the NAT would cut every NAT flow.
	for _, n := range t.m.NATGatewaysOf(t.src.VPCID) {
		if nrt, _ := t.m.SubnetRouteTable(n.SubnetID); nrt == rt {
			fmt.Fprintf(&b, ", or move it to a private subnet whose route table sends 0.0.0.0/0 to a NAT gateway (%s also carries %s's traffic to the internet gateway)", rt.ID, n.ID)
			return b.String()
		}
	}
	for _, n := range t.m.NATGatewaysOf(t.src.VPCID) {
		if n.State == "available" && n.Connectivity != "private" {
			fmt.Fprintf(&b, ", or send 0.0.0.0/0 from %s to %s", rt.ID, n.ID)
			break
		}
	}
	return b.String()
}
