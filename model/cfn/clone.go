package cfn

import (
	"maps"
	"slices"

	"github.com/vpcpath/vpcpath/model"
)

// clone copies a network deeply enough that building a stack over it
// (adding rules, routes, associations, interfaces) leaves it untouched.
func clone(m *model.Model) *model.Model {
	c := model.New()
	for id, x := range m.VPCs {
		y := *x
		y.CIDRs, y.IPv6CIDRs = slices.Clone(x.CIDRs), slices.Clone(x.IPv6CIDRs)
		c.VPCs[id] = &y
	}
	for id, x := range m.Subnets {
		y := *x
		c.Subnets[id] = &y
	}
	for id, x := range m.RouteTables {
		y := *x
		y.Subnets, y.Gateways, y.Routes = slices.Clone(x.Subnets), slices.Clone(x.Gateways), slices.Clone(x.Routes)
		c.RouteTables[id] = &y
	}
	for id, x := range m.SecurityGroups {
		y := *x
		y.Ingress, y.Egress = slices.Clone(x.Ingress), slices.Clone(x.Egress)
		c.SecurityGroups[id] = &y
	}
	for id, x := range m.NetworkACLs {
		y := *x
		y.Inbound, y.Outbound, y.Subnets = slices.Clone(x.Inbound), slices.Clone(x.Outbound), slices.Clone(x.Subnets)
		c.NetworkACLs[id] = &y
	}
	for id, x := range m.ENIs {
		y := *x
		y.PrivateIPs, y.Groups, y.PublicIPs = slices.Clone(x.PrivateIPs), slices.Clone(x.Groups), maps.Clone(x.PublicIPs)
		c.ENIs[id] = &y
	}
	for id, x := range m.Instances {
		y := *x
		y.ENIs = slices.Clone(x.ENIs)
		c.Instances[id] = &y
	}
	for id, x := range m.Endpoints {
		y := *x
		y.Subnets, y.ENIs, y.Groups, y.RouteTables = slices.Clone(x.Subnets), slices.Clone(x.ENIs), slices.Clone(x.Groups), slices.Clone(x.RouteTables)
		c.Endpoints[id] = &y
	}
	for id, x := range m.NATGateways {
		y := *x
		c.NATGateways[id] = &y
	}
	for id, x := range m.InternetGateways {
		y := *x
		y.VPCs = slices.Clone(x.VPCs)
		c.InternetGateways[id] = &y
	}
	for id, x := range m.HostedZones {
		y := *x
		y.VPCs, y.Records = slices.Clone(x.VPCs), slices.Clone(x.Records)
		c.HostedZones[id] = &y
	}
	maps.Copy(c.PrefixLists, m.PrefixLists)
	maps.Copy(c.Peerings, m.Peerings)
	maps.Copy(c.TransitGateways, m.TransitGateways)
	maps.Copy(c.TGWAttachments, m.TGWAttachments)
	maps.Copy(c.ResolverRules, m.ResolverRules)
	maps.Copy(c.DHCPOptions, m.DHCPOptions)
	maps.Copy(c.EndpointServices, m.EndpointServices)
	maps.Copy(c.Present, m.Present)
	maps.Copy(c.VPCRegion, m.VPCRegion)
	maps.Copy(c.Sources, m.Sources)
	for k, v := range m.Assumptions {
		c.Assumptions[k] = slices.Clone(v)
	}
	c.Dangling = slices.Clone(m.Dangling)
	c.Regions = slices.Clone(m.Regions)
	return c
}
