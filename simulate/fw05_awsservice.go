package simulate

import (
	"fmt"
	"net/netip"

	"github.com/vpcpath/vpcpath/model"
)

// The addresses AWS serves in every VPC, IPv4 and the Nitro IPv6 ones.
var (
	awsResolver = [2]netip.Addr{netip.MustParseAddr("169.254.169.253"), netip.MustParseAddr("fd00:ec2::253")}
	awsIMDS     = [2]netip.Addr{netip.MustParseAddr("169.254.169.254"), netip.MustParseAddr("fd00:ec2::254")}
	awsTimeSync = [2]netip.Addr{netip.MustParseAddr("169.254.169.123"), netip.MustParseAddr("fd00:ec2::123")}
)

// awsService handles addresses AWS serves inside the VPC, which neither
// security groups nor network ACLs filter (aws-semantics: network ACLs;
// VPC guide, "Amazon DNS server", "Instance metadata").
func (t *tracer) awsService(p packet) bool {
	a := p.dst
	var name, ports string
	var ok bool
	switch {
	case a == awsResolver[0] || a == awsResolver[1] || t.srcVPC != nil && a == t.srcVPC.ResolverAddr():
		name, ports = "the Amazon DNS resolver", "53"
		ok = (p.proto == model.ProtoUDP || p.proto == model.ProtoTCP) && p.ports.First == 53
	case a == awsIMDS[0] || a == awsIMDS[1]:
		name, ports = "instance metadata (IMDS)", "tcp 80"
		ok = p.proto == model.ProtoTCP && p.ports.First == 80
	case a == awsTimeSync[0] || a == awsTimeSync[1]:
		name, ports = "Amazon Time Sync", "udp 123"
		ok = p.proto == model.ProtoUDP && p.ports.First == 123
	case a.IsLinkLocalUnicast():
		t.deny(Hop{Component: CompRouteTable, ID: t.srcSub.ID, Direction: Forward, Code: CodeLinkLocal, Rule: "link-local", Ref: resourceRef(t.srcSub.ID),
			Reason: a.String() + " is link-local: the VPC does not route it, and AWS serves nothing there"}, "")
		return true
	default:
		return false
	}
	if t.gates != nil {
		t.gates.portRead = true // the answer depends on the port outside the filters
	}
	h := Hop{Component: CompAWSService, ID: a.String(), Direction: Ingress, Rule: name, Ref: resourceRef(a.String())}
	if !ok {
		h.Code = CodeAWSServicePort
		h.Reason = fmt.Sprintf("%s answers only on %s", name, ports)
		t.deny(h, "use "+ports)
		return true
	}
	if name == "the Amazon DNS resolver" && t.srcVPC != nil {
		switch t.srcVPC.DNSSupport {
		case model.No:
			h.Code = CodeDNSSupportDisabled
			h.Reason = "enableDnsSupport is off on " + t.srcVPC.ID + ": the resolver does not answer"
			t.denyWith(h, changed(Change{Kind: EnableDNSSupport, VPCID: t.srcVPC.ID, lead: "turn on DNS support"}))
			return true
		case model.Unknown:
			h.Code = CodeMissingData
			h.Reason = "the resolver answers only when enableDnsSupport is on, and the snapshot lacks describe-vpc-attribute output for " + t.srcVPC.ID
			t.unknown(h, "add aws ec2 describe-vpc-attribute --attribute enableDnsSupport output to the snapshot")
			return true
		}
	}
	h.Code = CodeAWSServiceAnswers
	h.Reason = fmt.Sprintf("%s answers at %s; security groups and network ACLs do not filter it", name, a)
	t.allow(h)
	return true
}
