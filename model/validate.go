package model

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
)

// Problem is something in the model that AWS would refuse to create: the
// network cannot exist as described, so no flow through it can be
// answered. It matters for inputs that describe a network before it is
// built (a Terraform plan, a CloudFormation template); a snapshot of a
// real network has none, because AWS refused them at the time.
type Problem struct {
	// ID is the resource AWS would refuse (the subnet, the route table
	// holding the route, the network ACL holding the entry).
	ID string `json:"id"`
	// Source is where the refused value is written, when the loader
	// knows: the Terraform address or the CloudFormation logical ID
	// (Model.SourceKind says which), the rule's own resource first.
	Source string `json:"source,omitempty"`
	// Attribute is the field AWS rejects, named as the EC2 API names it
	// (CidrBlock, RuleNumber, DestinationCidrBlock, GatewayId, ...).
	Attribute string `json:"attribute"`
	// Code is the error code the EC2 API returns ("Error codes for the
	// Amazon EC2 API", https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
	Code string `json:"code"`
	Msg  string `json:"message"`
}

func (p Problem) String() string {
	where := p.ID
	if p.Source != "" && p.Source != p.ID {
		where += " [" + p.Source + "]"
	}
	return fmt.Sprintf("%s: %s %s: %s", p.Code, where, p.Attribute, p.Msg)
}

// EC2 API error codes the validator reports.
const (
	CodeSubnetRange       = "InvalidSubnet.Range"
	CodeSubnetConflict    = "InvalidSubnet.Conflict"
	CodeVPCRange          = "InvalidVpc.Range"
	CodeInvalidParameter  = "InvalidParameterValue"
	CodeACLEntryExists    = "NetworkAclEntryAlreadyExists"
	CodeRouteExists       = "RouteAlreadyExists"
	CodeAlreadyAssociated = "Resource.AlreadyAssociated"
)

// Validate lists what AWS would refuse in the model, sorted by resource
// and code. It judges only what a source file writes (a resource or rule
// with a Source: a plan's or a template's): what a snapshot or a live
// collection describes, AWS has accepted already, however odd a trimmed
// recording looks. It judges only what the model knows: a value unknown until
// apply (an invalid prefix, a route or entry with Unknown set, a VPC whose
// blocks are incomplete) is never a problem. The checks follow the VPC
// guide and the EC2 API reference:
//
//   - a subnet's IPv4 block must lie inside one of its VPC's blocks and be
//     between /16 and /28 (InvalidSubnet.Range; VPC guide, "Subnet CIDR
//     blocks"); a VPC block too (InvalidVpc.Range);
//   - two subnets of a VPC must not overlap (InvalidSubnet.Conflict);
//   - a block written with host bits set (10.0.1.7/24) is not a CIDR block
//     (InvalidParameterValue) for VPCs, subnets, route destinations and
//     security group rules;
//   - a rule number appears once per direction of a network ACL
//     (NetworkAclEntryAlreadyExists);
//   - a route table has one static route per destination
//     (RouteAlreadyExists), and its routes go to gateways of its own VPC:
//     an internet gateway, NAT gateway or VPC endpoint of another VPC
//     "belong to different networks" (InvalidParameterValue);
//   - an internet gateway is attached to one VPC at most
//     (Resource.AlreadyAssociated; VPC guide, "Internet gateways").
func (m *Model) Validate() []Problem {
	var out []Problem
	add := func(id, src, attr, code, format string, args ...any) {
		if src == "" {
			src = m.Sources[id]
		}
		if src == "" {
			return // described by a snapshot: AWS has accepted it already
		}
		out = append(out, Problem{ID: id, Source: src, Attribute: attr, Code: code, Msg: fmt.Sprintf(format, args...)})
	}
	m.validateVPCs(add)
	m.validateSubnets(add)
	m.validateRoutes(add)
	m.validateACLs(add)
	m.validateGroups(add)
	for _, id := range sortedKeys(m.InternetGateways) {
		if g := m.InternetGateways[id]; len(g.VPCs) > 1 {
			add(id, "", "VpcId", CodeAlreadyAssociated, "attached to %d VPCs (%s); an internet gateway attaches to one VPC", len(g.VPCs), strings.Join(g.VPCs, ", "))
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].ID != out[b].ID {
			return out[a].ID < out[b].ID
		}
		return out[a].Code < out[b].Code
	})
	return out
}

type addFunc func(id, src, attr, code, format string, args ...any)

// hostBits reports whether p has bits set after its prefix length.
func hostBits(p netip.Prefix) bool { return p.IsValid() && p != p.Masked() }

func (m *Model) validateVPCs(add addFunc) {
	for _, id := range sortedKeys(m.VPCs) {
		for _, c := range m.VPCs[id].CIDRs {
			switch {
			case hostBits(c):
				add(id, "", "CidrBlock", CodeInvalidParameter, "%s is not a valid CIDR block (host bits set; %s is)", c, c.Masked())
			case c.Addr().Is4() && (c.Bits() < 16 || c.Bits() > 28):
				add(id, "", "CidrBlock", CodeVPCRange, "%s: a VPC's IPv4 block is between /16 and /28", c)
			}
		}
	}
}

func (m *Model) validateSubnets(add addFunc) {
	byVPC := map[string][]*Subnet{}
	for _, id := range sortedKeys(m.Subnets) {
		s := m.Subnets[id]
		c := s.CIDR
		if !c.IsValid() || !c.Addr().Is4() {
			continue
		}
		if hostBits(c) {
			add(id, "", "CidrBlock", CodeInvalidParameter, "%s is not a valid CIDR block (host bits set; %s is)", c, c.Masked())
			continue
		}
		if c.Bits() < 16 || c.Bits() > 28 {
			add(id, "", "CidrBlock", CodeSubnetRange, "%s: a subnet's IPv4 block is between /16 and /28", c)
		}
		byVPC[s.VPCID] = append(byVPC[s.VPCID], s)
		v := m.VPCs[s.VPCID]
		if v == nil || len(v.CIDRs) == 0 || v.CIDRsIncomplete {
			continue // the VPC's blocks are not all known: cannot tell
		}
		inside := false
		for _, b := range v.CIDRs {
			inside = inside || b.Bits() <= c.Bits() && b.Masked().Contains(c.Addr())
		}
		if !inside {
			add(id, "", "CidrBlock", CodeSubnetRange, "%s is outside the blocks of %s (%s)", c, v.ID, prefixList(v.CIDRs))
		}
	}
	for _, vpc := range sortedKeys(byVPC) {
		subs := byVPC[vpc]
		for j := 1; j < len(subs); j++ {
			for i := 0; i < j; i++ {
				if a, b := subs[j], subs[i]; a.CIDR.Overlaps(b.CIDR) {
					if m.Sources[a.ID] == "" {
						a, b = b, a // the one the source writes is refused
					}
					add(a.ID, "", "CidrBlock", CodeSubnetConflict, "%s overlaps %s (%s) in %s", a.CIDR, b.ID, b.CIDR, vpc)
				}
			}
		}
	}
}

func prefixList(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ", ")
}

// routeTargetAttr is the CreateRoute parameter that names a target kind.
var routeTargetAttr = map[TargetKind]string{
	TargetIGW:         "GatewayId",
	TargetNAT:         "NatGatewayId",
	TargetVPCEndpoint: "VpcEndpointId",
}

func (m *Model) validateRoutes(add addFunc) {
	for _, id := range sortedKeys(m.RouteTables) {
		rt := m.RouteTables[id]
		seen := map[string]Route{}
		for _, r := range rt.Routes {
			if r.Unknown != "" || r.Propagated() {
				continue
			}
			if hostBits(r.Dest) {
				add(id, r.Source, "DestinationCidrBlock", CodeInvalidParameter, "%s is not a valid CIDR block (host bits set; %s is)", r.Dest, r.Dest.Masked())
			}
			if r.Target.Kind != TargetLocal {
				key := r.DestString()
				if first, dup := seen[key]; dup {
					add(id, r.Source, "DestinationCidrBlock", CodeRouteExists, "two routes to %s (-> %s and -> %s)", key, first.Target.ID, r.Target.ID)
				} else {
					seen[key] = r
				}
			}
			if rt.VPCID == "" {
				continue
			}
			var owner string
			switch r.Target.Kind {
			case TargetIGW:
				if g := m.InternetGateways[r.Target.ID]; g != nil && len(g.VPCs) > 0 && !contains(g.VPCs, rt.VPCID) {
					owner = strings.Join(g.VPCs, ", ")
				}
			case TargetNAT:
				if n := m.NATGateways[r.Target.ID]; n != nil && n.VPCID != "" && n.VPCID != rt.VPCID {
					owner = n.VPCID
				}
			case TargetVPCEndpoint:
				if ep := m.Endpoints[r.Target.ID]; ep != nil && ep.VPCID != "" && ep.VPCID != rt.VPCID {
					owner = ep.VPCID
				}
			}
			if owner != "" {
				add(id, r.Source, routeTargetAttr[r.Target.Kind], CodeInvalidParameter, "route to %s goes to %s %s of %s, but the table belongs to %s (they belong to different networks)", r.DestString(), r.Target.Kind, r.Target.ID, owner, rt.VPCID)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (m *Model) validateACLs(add addFunc) {
	for _, id := range sortedKeys(m.NetworkACLs) {
		acl := m.NetworkACLs[id]
		for _, list := range [][]NACLEntry{acl.Inbound, acl.Outbound} {
			seen := map[int]NACLEntry{}
			for _, e := range list {
				if e.Unknown != "" || e.Number == FinalRuleNumber {
					continue
				}
				if first, dup := seen[e.Number]; dup {
					dir := "inbound"
					if e.Egress {
						dir = "outbound"
					}
					src := e.Source
					if src == "" || src == first.Source {
						src = ""
					}
					add(id, src, "RuleNumber", CodeACLEntryExists, "%s rule number %d is used twice (%s; %s)", dir, e.Number, first, e)
					continue
				}
				seen[e.Number] = e
			}
		}
	}
}

func (m *Model) validateGroups(add addFunc) {
	for _, id := range sortedKeys(m.SecurityGroups) {
		g := m.SecurityGroups[id]
		for _, list := range [][]SGRule{g.Ingress, g.Egress} {
			for _, r := range list {
				if r.Unknown == "" && hostBits(r.CIDR) {
					attr := "CidrIp"
					if r.CIDR.Addr().Is6() {
						attr = "CidrIpv6"
					}
					add(id, r.Source, attr, CodeInvalidParameter, "%s: %s is not a valid CIDR block (host bits set; %s is)", r, r.CIDR, r.CIDR.Masked())
				}
			}
		}
	}
}
