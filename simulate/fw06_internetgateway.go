package simulate

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/vpcpath/vpcpath/model"
)

// internetGateway is an internet gateway (aws-semantics: gateways; VPC
// guide, "Internet gateways"). Forward: the packet leaves the VPC for the
// internet, its IPv4 source translated 1:1 to the sender's public address
// (the source interface's, or a NAT gateway's Elastic IP). Reply: the
// gateway maps the reply back to the private address, which is the NAT
// gateway's when one translated the packet.
func (t *tracer) internetGateway(f *flight) bool {
	id := f.at.id
	if t.fromInternet() {
		if t.ret {
			return t.igwReplyOut(f)
		}
		return t.igwIn(f)
	}
	if t.ret {
		if t.edgeRouted(id) {
			return false
		}
		t.allow(Hop{Component: CompInternetGateway, ID: id, Direction: Ingress, Code: CodeIGWTranslates, Rule: "1:1 NAT", Ref: resourceRef(id), Reason: "maps the reply back to " + f.dst.String()})
		if f.nat != nil {
			f.at = loc{el: elNATGateway, vpc: f.nat.VPCID, id: f.nat.ID}
		} else {
			f.at = loc{el: elArrive, vpc: t.src.VPCID, eni: t.src}
		}
		return true
	}
	var pub netip.Addr // invalid when the sender has none
	nat := ""
	if f.nat != nil {
		pub, nat = f.nat.PublicIP, f.nat.ID
	} else {
		pub, _ = t.src.PublicIPFor(f.src)
	}
	if !t.igwOut(id, f.at.vpc, f.at.sub, f.packet, pub, nat) {
		return false
	}
	ports := t.q.Ephemeral
	if f.nat != nil {
		ports = EphemeralNAT
	}
	t.turn(f, loc{el: elInternetGateway, vpc: f.at.vpc, id: id}, ports)
	return true
}

// igwOut records packet p leaving subnet sub of vpcID through internet
// gateway igwID, its IPv4 source translated 1:1 to pub. nat names the NAT
// gateway whose traffic it is ("" for an interface's own). It reports
// whether the packet reached the internet.
func (t *tracer) igwOut(igwID, vpcID string, sub *model.Subnet, p packet, pub netip.Addr, nat string) bool {
	igw := t.m.InternetGateways[igwID]
	if igw == nil {
		t.unknown(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Code: CodeMissingData, Reason: missingRef(t.m, igwID, model.KindInternetGateway)},
			"add describe-internet-gateways output to the snapshot")
		return false
	}
	if d, ok := t.m.DanglingRef(vpcID); ok && !slices.Contains(igw.VPCs, vpcID) {
		t.unknown(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Code: CodeMissingData, Reason: fmt.Sprintf("whether %s is attached to %s is unknown: %s is not in the model (referenced at %s: %s)", igwID, vpcID, vpcID, d.Origin, d.Field)},
			"decide the VPC in the input, or check the applied network")
		return false
	}
	if !slices.Contains(igw.VPCs, vpcID) {
		t.deny(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Code: CodeGatewayNotAttached, Rule: "not attached", Ref: resourceRef(igwID),
			Reason: fmt.Sprintf("%s is not attached to %s", igwID, vpcID)},
			fmt.Sprintf("attach %s to %s (aws ec2 attach-internet-gateway --internet-gateway-id %s --vpc-id %s)", igwID, vpcID, igwID, vpcID))
		return false
	}
	t.naclCheck(sub, true, p)
	if t.dead() {
		return false
	}
	if !isPublic(p.dst) {
		t.deny(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Code: CodeDestinationNotPublic, Rule: "destination not public", Ref: resourceRef(igwID),
			Reason: fmt.Sprintf("%s is not a public address: an internet gateway cannot deliver it", p.dst)},
			fmt.Sprintf("route %s through the peering connection, transit gateway or VPN that reaches it, not the internet gateway", p.dst))
		return false
	}
	translated := "forwards the IPv6 packet to the internet"
	if p.src.Is4() {
		switch {
		case !pub.IsValid() && nat != "":
			t.deny(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Code: CodeNATNoElasticIP, Rule: "no Elastic IP", Ref: resourceRef(igwID),
				Reason: nat + " has no Elastic IP: the internet gateway drops its traffic"}, "associate an Elastic IP with "+nat)
			return false
		case !pub.IsValid() && t.src.PublicIPUnknown != "":
			t.unknown(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Code: CodeUndecidedAttribute, Rule: "public IPv4 undecided", Ref: resourceRef(igwID),
				Reason: fmt.Sprintf("whether %s has a public IPv4 is not decided: %s", t.src.ID, t.src.PublicIPUnknown)},
				undecidedPublicIPFix(t.m))
			return false
		case !pub.IsValid():
			t.denyWith(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Code: CodeNoPublicIP, Rule: "no public IPv4", Ref: resourceRef(igwID),
				Reason: fmt.Sprintf("%s has no public or Elastic IP for %s: the internet gateway drops the packet", t.src.ID, p.src)},
				t.noPublicIPFix())
			return false
		case nat != "":
			translated = fmt.Sprintf("translates %s to %s, the NAT gateway's Elastic IP, and sends it to the internet", p.src, pub)
		default:
			translated = fmt.Sprintf("translates %s to public %s and sends it to the internet", p.src, pub)
		}
	}
	if e := t.m.ENIByPublicIP(p.dst); e != nil {
		t.unknown(Hop{Component: CompInternetGateway, ID: igwID, Direction: Forward, Code: CodeOutsideModel,
			Reason: fmt.Sprintf("%s is the public address of %s in this snapshot: the path hairpins through the internet gateway, which vpcpath does not follow yet", p.dst, e.ID)},
			"trace to "+e.ID+" by its private address instead")
		return false
	}
	t.allow(Hop{Component: CompInternetGateway, ID: igwID, Direction: Egress, Code: CodeIGWTranslates, Rule: "1:1 NAT", Ref: resourceRef(igwID), Reason: translated})
	t.assume(fmt.Sprintf("the host at %s on the internet answers %s (outside AWS, not modelled)", p.dst, flowProto(p)))
	return true
}

// edgeRouted reports (and records as unknown) a gateway with a gateway route
// table (ingress routing), which vpcpath does not follow yet.
func (t *tracer) edgeRouted(gw string) bool {
	rt := t.m.GatewayRouteTable(gw)
	if rt == nil {
		return false
	}
	t.ret = true
	t.unknown(Hop{Component: CompRouteTable, ID: rt.ID, Direction: Forward, Code: CodeOutsideModel,
		Reason: fmt.Sprintf("%s has a gateway route table (%s, ingress routing) that may send replies through an appliance; not modelled yet", gw, rt.ID)}, "")
	return true
}

// isPublic reports whether an address can be reached on the internet.
func isPublic(a netip.Addr) bool {
	if a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	if a.Is4() && netip.MustParsePrefix("100.64.0.0/10").Contains(a) {
		return false
	}
	return true
}

// undecidedPublicIPFix says, in the input's language, what decides whether
// an instance gets a public IPv4.
func undecidedPublicIPFix(m *model.Model) string {
	if m.SourceLanguage() == model.SourceCloudFormation {
		return "set AssociatePublicIpAddress on the instance's NetworkInterfaces, or decide the subnet's MapPublicIpOnLaunch or the Elastic IP's target"
	}
	return "set associate_public_ip_address on the instance, or give the subnet's map_public_ip_on_launch"
}
