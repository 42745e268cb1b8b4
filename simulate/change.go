package simulate

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/vpcpath/vpcpath/model"
)

// ChangeKind is what a Change does. The list is closed: a fix that is not
// one of these (advice such as "use TCP", what would decide an unknown) is
// text only and carries no Change.
type ChangeKind string

// Change kinds, named after the AWS API call that makes each.
const (
	// AddSecurityGroupRule adds Rule to group Rule.GroupID
	// (AuthorizeSecurityGroupIngress or AuthorizeSecurityGroupEgress).
	AddSecurityGroupRule ChangeKind = "add-security-group-rule"
	// AddNetworkACLEntry adds Entry to network ACL ACLID
	// (CreateNetworkAclEntry).
	AddNetworkACLEntry ChangeKind = "add-network-acl-entry"
	// CreateRoute adds Route to route table RouteTableID (CreateRoute).
	CreateRoute ChangeKind = "create-route"
	// ReplaceRoute points the route for Route.Dest in RouteTableID, which
	// exists (a blackhole, or to another target), at Route.Target
	// (ReplaceRoute): AWS refuses CreateRoute for a destination the table
	// has.
	ReplaceRoute ChangeKind = "replace-route"
	// AddEndpointRouteTable associates gateway endpoint EndpointID with
	// route table RouteTableID, which adds a route to the endpoint's prefix
	// list PrefixListID to the table (ModifyVpcEndpoint
	// --add-route-table-ids).
	AddEndpointRouteTable ChangeKind = "add-endpoint-route-table"
	// AssociateAddress gives interface ENIID an Elastic IP for its primary
	// private address (AssociateAddress).
	AssociateAddress ChangeKind = "associate-address"
	// StartInstances starts instance InstanceID (StartInstances).
	StartInstances ChangeKind = "start-instances"
	// EnableDNSSupport turns on enableDnsSupport of VPC VPCID
	// (ModifyVpcAttribute).
	EnableDNSSupport ChangeKind = "enable-dns-support"
)

// ChangeKinds is the closed list of change kinds, in the order the JSON
// contract lists them.
var ChangeKinds = []ChangeKind{AddSecurityGroupRule, AddNetworkACLEntry, CreateRoute, ReplaceRoute, AddEndpointRouteTable, AssociateAddress, StartInstances, EnableDNSSupport}

// Change is one concrete change to a network that a fix proposes, as data:
// the fix's sentence and AWS CLI command (Text, Command), the same change
// in the input's language (SourceFixes) and the change made to a model
// (Apply) are all derived from it. Only the fields of its Kind are set.
type Change struct {
	Kind ChangeKind

	// Rule is the security group rule to add (AddSecurityGroupRule): its
	// GroupID, Egress, Protocol, Ports (TCP, UDP) or ICMP type, and one
	// peer, CIDR or PeerGroup.
	Rule model.SGRule

	// ACLID and Entry are the network ACL and the allow entry to add
	// (AddNetworkACLEntry). DeniedAt is the number of the entry that
	// denied, which Entry is numbered below; Note is said after it.
	ACLID    string
	Entry    model.NACLEntry
	DeniedAt int
	Note     string

	// RouteTableID is the table a route is added to (CreateRoute) or the
	// table a gateway endpoint is associated with (AddEndpointRouteTable).
	RouteTableID string
	// Route is the route to create (Dest and Target).
	Route model.Route

	// EndpointID, ServiceName and PrefixListID are the gateway endpoint,
	// its service and the service's prefix list (AddEndpointRouteTable).
	EndpointID   string
	ServiceName  string
	PrefixListID string

	// ENIID is the interface that gets an Elastic IP (AssociateAddress).
	ENIID string

	// InstanceID is the instance to start (StartInstances).
	InstanceID string
	// VPCID is the VPC whose DNS support is turned on (EnableDNSSupport).
	VPCID string

	// lead and tail are the words around the command for the kinds whose
	// sentence depends on why the tracer proposes them (a default route,
	// a return route): Text is lead + " (" + Command() + cmdNote + ")" +
	// tail.
	lead, cmdNote, tail string
}

// changePacket is the packet a security group rule or ACL entry of a
// change is written for (the sentences name it as the trace does).
func changePacket(proto model.Protocol, ports model.PortRange, icmp model.ICMPMatch) packet {
	return packet{proto: proto, ports: ports, icmpType: icmp.Type, icmpCode: icmp.Code}
}

// Command is the AWS CLI command that makes the change.
func (c Change) Command() string {
	switch c.Kind {
	case AddSecurityGroupRule:
		r := c.Rule
		what := "ingress"
		if r.Egress {
			what = "egress"
		}
		spec := "UserIdGroupPairs=[{GroupId=" + r.PeerGroup + "}]"
		if r.PeerGroup == "" {
			spec = cidrSpec(r.CIDR)
		}
		return fmt.Sprintf("aws ec2 authorize-security-group-%s --group-id %s --ip-permissions '%s'", what, r.GroupID, ipPermissions(changePacket(r.Protocol, r.Ports, r.ICMP), spec))
	case AddNetworkACLEntry:
		e := c.Entry
		flag := "--ingress"
		if e.Egress {
			flag = "--egress"
		}
		proto := e.Protocol.String()
		if e.Protocol == model.ProtoAll {
			proto = "-1"
		}
		portFlag := ""
		if e.Protocol.HasPorts() {
			portFlag = fmt.Sprintf(" --port-range From=%d,To=%d", e.Ports.First, e.Ports.Last)
		}
		cidrFlag := "--cidr-block " + e.CIDR.String()
		if e.CIDR.Addr().Is6() {
			cidrFlag = "--ipv6-cidr-block " + e.CIDR.String()
		}
		return fmt.Sprintf("aws ec2 create-network-acl-entry --network-acl-id %s %s --rule-number %d --protocol %s%s %s --rule-action allow", c.ACLID, flag, e.Number, proto, portFlag, cidrFlag)
	case CreateRoute, ReplaceRoute:
		return fmt.Sprintf("aws ec2 %s --route-table-id %s --destination-cidr-block %s %s %s", c.Kind, c.RouteTableID, c.Route.Dest, routeTargetFlag(c.Route.Target.Kind), c.Route.Target.ID)
	case AddEndpointRouteTable:
		return fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --add-route-table-ids %s", c.EndpointID, c.RouteTableID)
	case AssociateAddress:
		return fmt.Sprintf("aws ec2 associate-address --network-interface-id %s --allocation-id <eipalloc-...>", c.ENIID)
	case StartInstances:
		return "aws ec2 start-instances --instance-ids " + c.InstanceID
	case EnableDNSSupport:
		return "aws ec2 modify-vpc-attribute --vpc-id " + c.VPCID + " --enable-dns-support"
	}
	return ""
}

// routeTargetFlag is create-route's flag for a target of kind k.
func routeTargetFlag(k model.TargetKind) string {
	switch k {
	case model.TargetNAT:
		return "--nat-gateway-id"
	case model.TargetTransitGateway:
		return "--transit-gateway-id"
	case model.TargetPeering:
		return "--vpc-peering-connection-id"
	}
	return "--gateway-id" // internet and virtual private gateways
}

// Text is the fix as a sentence with its AWS CLI command.
func (c Change) Text() string {
	switch c.Kind {
	case AddSecurityGroupRule:
		r := c.Rule
		what, prep := "ingress", "from"
		if r.Egress {
			what, prep = "egress", "to"
		}
		peer := r.PeerGroup
		if peer == "" {
			peer = r.CIDR.String()
		}
		return fmt.Sprintf("add to %s an %s rule %s %s %s (%s)", r.GroupID, what, flowProto(changePacket(r.Protocol, r.Ports, r.ICMP)), prep, peer, c.Command())
	case AddNetworkACLEntry:
		e := c.Entry
		dir, prep := "inbound", "from"
		if e.Egress {
			dir, prep = "outbound", "to"
		}
		before := "#" + model.NACLEntry{Number: c.DeniedAt}.NumberString()
		if c.DeniedAt == model.FinalRuleNumber {
			before = "the final * deny"
		}
		return fmt.Sprintf("add to %s an %s entry #%d allow %s %s %s, before %s%s (%s)",
			c.ACLID, dir, e.Number, flowProto(changePacket(e.Protocol, e.Ports, e.ICMP)), prep, e.CIDR, before, c.Note, c.Command())
	}
	return c.lead + " (" + c.Command() + c.cmdNote + ")" + c.tail
}

// Retarget widens a change written for the first port of r to all of r
// (trace --port A-B: one change per run of ports with one outcome).
func (c Change) Retarget(r model.PortRange) Change {
	one := model.Port(r.First)
	switch {
	case c.Kind == AddSecurityGroupRule && c.Rule.Protocol.HasPorts() && c.Rule.Ports == one:
		c.Rule.Ports = r
	case c.Kind == AddNetworkACLEntry && c.Entry.Protocol.HasPorts() && c.Entry.Ports == one:
		c.Entry.Ports = r
	}
	return c
}

// ReplaceCIDR returns the change with the peer or destination old
// replaced by new (a check opens the internet, 0.0.0.0/0, where the trace
// used one stand-in address).
func (c Change) ReplaceCIDR(old, new netip.Prefix) Change {
	switch {
	case c.Kind == AddSecurityGroupRule && c.Rule.PeerGroup == "" && c.Rule.CIDR == old:
		c.Rule.CIDR = new
	case c.Kind == AddNetworkACLEntry && c.Entry.CIDR == old:
		c.Entry.CIDR = new
	case (c.Kind == CreateRoute || c.Kind == ReplaceRoute) && c.Route.Dest == old:
		c.Route.Dest = new
	}
	return c
}

// ElasticIPStandIn is the address Apply gives an interface for an Elastic
// IP that does not exist yet: the first free address of TEST-NET-1
// (192.0.2.0/24, RFC 5737), which no real host holds. AWS allocates the
// real one.
var ElasticIPStandIn = netip.MustParsePrefix("192.0.2.0/24")

// Apply makes the change in m and re-indexes it. m is changed in place:
// call it on a copy (model.Model.Clone) to keep the original. An error
// means the change names something m does not hold, or cannot be made
// as AWS would refuse it (an ACL rule number in use).
func (c Change) Apply(m *model.Model) error {
	switch c.Kind {
	case AddSecurityGroupRule:
		g := m.SecurityGroups[c.Rule.GroupID]
		if g == nil {
			return fmt.Errorf("security group %s is not in the model", c.Rule.GroupID)
		}
		r := c.Rule
		r.Source = ""
		if r.Egress {
			g.Egress = append(g.Egress, r)
		} else {
			g.Ingress = append(g.Ingress, r)
		}
	case AddNetworkACLEntry:
		acl := m.NetworkACLs[c.ACLID]
		if acl == nil {
			return fmt.Errorf("network ACL %s is not in the model", c.ACLID)
		}
		list := &acl.Inbound
		if c.Entry.Egress {
			list = &acl.Outbound
		}
		if c.Entry.Number < 1 || c.Entry.Number >= model.FinalRuleNumber {
			return fmt.Errorf("network ACL %s: rule number %d is outside 1-32766", c.ACLID, c.Entry.Number)
		}
		// A number in use in that direction is refused
		// (NetworkAclEntryAlreadyExists, same page).
		for _, e := range *list {
			if e.Number == c.Entry.Number {
				return fmt.Errorf("network ACL %s already has an entry #%d in that direction", c.ACLID, e.Number)
			}
		}
		e := c.Entry
		e.Allow, e.Source = true, ""
		// Entries are evaluated in rule-number order: keep the list sorted
		// as AWS describes it.
		i, _ := slices.BinarySearchFunc(*list, e.Number, func(x model.NACLEntry, n int) int { return x.Number - n })
		*list = slices.Insert(*list, i, e)
	case CreateRoute:
		rt := m.RouteTables[c.RouteTableID]
		if rt == nil {
			return fmt.Errorf("route table %s is not in the model", c.RouteTableID)
		}
		// AWS refuses a route for a destination the table already has
		// (RouteAlreadyExists), a blackhole one included: that takes
		// replace-route (EC2 API error codes,
		// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
		for _, r := range rt.Routes {
			if r.Dest.IsValid() && r.Dest == c.Route.Dest {
				what := ""
				if r.Blackhole {
					what = "blackhole "
				}
				return fmt.Errorf("route table %s already has a %sroute for %s (to %s): AWS refuses create-route for it; replace it (aws ec2 replace-route)", rt.ID, what, r.Dest, r.Target.ID)
			}
		}
		r := c.Route
		r.Origin, r.Source = "CreateRoute", ""
		rt.Routes = append(rt.Routes, r)
	case ReplaceRoute:
		rt := m.RouteTables[c.RouteTableID]
		if rt == nil {
			return fmt.Errorf("route table %s is not in the model", c.RouteTableID)
		}
		i := slices.IndexFunc(rt.Routes, func(r model.Route) bool { return r.Dest.IsValid() && r.Dest == c.Route.Dest })
		if i < 0 {
			return fmt.Errorf("route table %s has no route for %s to replace", rt.ID, c.Route.Dest)
		}
		r := &rt.Routes[i]
		r.Target, r.Blackhole, r.Origin, r.Source, r.Unknown = c.Route.Target, false, "ReplaceRoute", "", ""
	case AddEndpointRouteTable:
		ep := m.Endpoints[c.EndpointID]
		rt := m.RouteTables[c.RouteTableID]
		if ep == nil || rt == nil {
			return fmt.Errorf("endpoint %s or route table %s is not in the model", c.EndpointID, c.RouteTableID)
		}
		if !slices.Contains(ep.RouteTables, rt.ID) {
			ep.RouteTables = append(ep.RouteTables, rt.ID)
		}
		rt.Routes = append(rt.Routes, model.Route{DestPrefixList: c.PrefixListID, Target: model.Target{Kind: model.TargetVPCEndpoint, ID: ep.ID}, Origin: "CreateRoute"})
	case AssociateAddress:
		e := m.ENIs[c.ENIID]
		if e == nil {
			return fmt.Errorf("interface %s is not in the model", c.ENIID)
		}
		if !e.PrimaryIP().Is4() {
			return fmt.Errorf("interface %s has no private IPv4 address to map an Elastic IP to", e.ID)
		}
		pub, err := freeStandIn(m)
		if err != nil {
			return err
		}
		if e.PublicIPs == nil {
			e.PublicIPs = map[netip.Addr]netip.Addr{}
		}
		e.PublicIPs[e.PrimaryIP()] = pub
		e.PublicIPUnknown = ""
	case StartInstances:
		in := m.Instances[c.InstanceID]
		if in == nil {
			return fmt.Errorf("instance %s is not in the model", c.InstanceID)
		}
		in.State = "running"
	case EnableDNSSupport:
		v := m.VPCs[c.VPCID]
		if v == nil {
			return fmt.Errorf("VPC %s is not in the model", c.VPCID)
		}
		v.DNSSupport = model.Yes
	default:
		return fmt.Errorf("change kind %q cannot be applied", c.Kind)
	}
	m.Index()
	return nil
}

func freeStandIn(m *model.Model) (netip.Addr, error) {
	for a := ElasticIPStandIn.Addr().Next(); ElasticIPStandIn.Contains(a); a = a.Next() {
		if m.ENIByPublicIP(a) == nil {
			return a, nil
		}
	}
	return netip.Addr{}, errors.New("no free stand-in address for an Elastic IP in " + ElasticIPStandIn.String())
}
