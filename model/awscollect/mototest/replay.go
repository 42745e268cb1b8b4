package mototest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// Example is one region of an AWS CLI snapshot (the describe-* files of a
// bundled example), decoded into the SDK's output types.
type Example struct {
	Vpcs              []types.Vpc
	DNSSupport        map[string]bool // VPC ID -> enableDnsSupport
	DNSHostnames      map[string]bool // VPC ID -> enableDnsHostnames
	Subnets           []types.Subnet
	InternetGateways  []types.InternetGateway
	NatGateways       []types.NatGateway
	SecurityGroups    []types.SecurityGroup
	RouteTables       []types.RouteTable
	NetworkAcls       []types.NetworkAcl
	Reservations      []types.Reservation
	VpcEndpoints      []types.VpcEndpoint
	NetworkInterfaces []types.NetworkInterface
	PrefixLists       []types.PrefixList
}

// Instances lists the example's instances.
func (e *Example) Instances() []types.Instance {
	var out []types.Instance
	for _, r := range e.Reservations {
		out = append(out, r.Instances...)
	}
	return out
}

// LoadExample reads the describe-* files of one region folder.
func LoadExample(dir string) (*Example, error) {
	e := &Example{DNSSupport: map[string]bool{}, DNSHostnames: map[string]bool{}}
	files := []struct {
		name string
		into any
	}{
		{"ec2-describe-vpcs.json", &struct{ Vpcs *[]types.Vpc }{&e.Vpcs}},
		{"ec2-describe-subnets.json", &struct{ Subnets *[]types.Subnet }{&e.Subnets}},
		{"ec2-describe-internet-gateways.json", &struct{ InternetGateways *[]types.InternetGateway }{&e.InternetGateways}},
		{"ec2-describe-nat-gateways.json", &struct{ NatGateways *[]types.NatGateway }{&e.NatGateways}},
		{"ec2-describe-security-groups.json", &struct{ SecurityGroups *[]types.SecurityGroup }{&e.SecurityGroups}},
		{"ec2-describe-route-tables.json", &struct{ RouteTables *[]types.RouteTable }{&e.RouteTables}},
		{"ec2-describe-network-acls.json", &struct{ NetworkAcls *[]types.NetworkAcl }{&e.NetworkAcls}},
		{"ec2-describe-instances.json", &struct{ Reservations *[]types.Reservation }{&e.Reservations}},
		{"ec2-describe-vpc-endpoints.json", &struct{ VpcEndpoints *[]types.VpcEndpoint }{&e.VpcEndpoints}},
		{"ec2-describe-network-interfaces.json", &struct{ NetworkInterfaces *[]types.NetworkInterface }{&e.NetworkInterfaces}},
		{"ec2-describe-prefix-lists.json", &struct{ PrefixLists *[]types.PrefixList }{&e.PrefixLists}},
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, f.into); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	attrs, err := filepath.Glob(filepath.Join(dir, "ec2-describe-vpc-attribute*.json"))
	if err != nil {
		return nil, err
	}
	for _, name := range attrs {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var a ec2.DescribeVpcAttributeOutput
		if err := json.Unmarshal(b, &a); err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(name), err)
		}
		if a.EnableDnsSupport != nil {
			e.DNSSupport[aws.ToString(a.VpcId)] = aws.ToBool(a.EnableDnsSupport.Value)
		}
		if a.EnableDnsHostnames != nil {
			e.DNSHostnames[aws.ToString(a.VpcId)] = aws.ToBool(a.EnableDnsHostnames.Value)
		}
	}
	if len(e.Vpcs) == 0 {
		return nil, fmt.Errorf("%s: no VPC in ec2-describe-vpcs.json", dir)
	}
	return e, nil
}

// IDMap maps the example's resource IDs to the ones moto gave.
type IDMap map[string]string

// Of returns the moto ID of an example ID, or the ID itself when it was not
// created by the replay (like "local").
func (m IDMap) Of(id string) string {
	if v, ok := m[id]; ok {
		return v
	}
	return id
}

// Reverse maps moto IDs back to the example's.
func (m IDMap) Reverse() IDMap {
	r := IDMap{}
	for k, v := range m {
		r[v] = k
	}
	return r
}

// MotoGaps lists what moto 5 does differently from AWS when the example is
// built in it, and what Replay does about each. Tests reading a collected
// snapshot of a replayed example must allow for the ones Replay cannot fix.
var MotoGaps = []string{
	"a new custom network ACL has no entries, where AWS adds the two final deny entries (rule 32767): Replay creates them from the example",
	"the default security group has no ingress rule, where AWS allows all traffic from the group itself: Replay revokes moto's rules and authorizes the example's on every group",
	"the network interfaces of interface endpoints and NAT gateways get a random 10.x.y.z address outside their subnet, type \"interface\", the VPC's default security group and no description; the API cannot change a primary address: Replay sets the endpoint interfaces' groups to the endpoint's and leaves the rest",
	"interface endpoints get made-up DNS entries and no hidden private hosted zone",
	"gateway endpoints say PrivateDnsEnabled true (AWS: false)",
	"DescribePrefixLists gives no Cidrs (GetManagedPrefixListEntries does give the entries)",
	"SearchTransitGatewayRoutes gives routes with an empty TransitGatewayAttachments list",
}

// Replay creates the example's network in moto through the SDK, with cfg
// (see [Server.AccountConfig]), and returns the ID mapping. It creates VPCs
// with their DNS attributes, subnets, internet gateways, security groups and
// their rules, NAT gateways, route tables with routes and associations,
// network ACLs with entries and associations, instances, and VPC endpoints.
func Replay(ctx context.Context, cfg aws.Config, e *Example) (IDMap, error) {
	r := &replayer{c: ec2.NewFromConfig(cfg), ids: IDMap{}}
	steps := []struct {
		name string
		fn   func(context.Context, *Example) error
	}{
		{"prefix lists", r.prefixLists},
		{"VPCs", r.vpcs},
		{"subnets", r.subnets},
		{"internet gateways", r.internetGateways},
		{"security groups", r.securityGroups},
		{"NAT gateways", r.natGateways},
		{"route tables", r.routeTables},
		{"network ACLs", r.networkAcls},
		{"instances", r.instances},
		{"VPC endpoints", r.vpcEndpoints},
	}
	for _, s := range steps {
		if err := s.fn(ctx, e); err != nil {
			return nil, fmt.Errorf("replaying %s: %w", s.name, err)
		}
	}
	return r.ids, nil
}

type replayer struct {
	c   *ec2.Client
	ids IDMap
}

func (r *replayer) tag(ctx context.Context, id string, tags []types.Tag) error {
	var keep []types.Tag
	for _, t := range tags {
		if !strings.HasPrefix(aws.ToString(t.Key), "aws:") {
			keep = append(keep, t)
		}
	}
	if len(keep) == 0 {
		return nil
	}
	_, err := r.c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: keep})
	return err
}

func (r *replayer) prefixLists(ctx context.Context, e *Example) error {
	out, err := r.c.DescribePrefixLists(ctx, &ec2.DescribePrefixListsInput{})
	if err != nil {
		return err
	}
	byName := map[string]string{}
	for _, p := range out.PrefixLists {
		byName[aws.ToString(p.PrefixListName)] = aws.ToString(p.PrefixListId)
	}
	for _, p := range e.PrefixLists {
		id, ok := byName[aws.ToString(p.PrefixListName)]
		if !ok {
			return fmt.Errorf("moto has no prefix list %s", aws.ToString(p.PrefixListName))
		}
		r.ids[aws.ToString(p.PrefixListId)] = id
	}
	return nil
}

func (r *replayer) vpcs(ctx context.Context, e *Example) error {
	for _, v := range e.Vpcs {
		out, err := r.c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: v.CidrBlock})
		if err != nil {
			return err
		}
		id := aws.ToString(out.Vpc.VpcId)
		r.ids[aws.ToString(v.VpcId)] = id
		if err := r.tag(ctx, id, v.Tags); err != nil {
			return err
		}
		if on, ok := e.DNSSupport[aws.ToString(v.VpcId)]; ok {
			if _, err := r.c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(id), EnableDnsSupport: &types.AttributeBooleanValue{Value: aws.Bool(on)}}); err != nil {
				return err
			}
		}
		if on, ok := e.DNSHostnames[aws.ToString(v.VpcId)]; ok {
			if _, err := r.c.ModifyVpcAttribute(ctx, &ec2.ModifyVpcAttributeInput{VpcId: aws.String(id), EnableDnsHostnames: &types.AttributeBooleanValue{Value: aws.Bool(on)}}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *replayer) subnets(ctx context.Context, e *Example) error {
	for _, s := range e.Subnets {
		out, err := r.c.CreateSubnet(ctx, &ec2.CreateSubnetInput{
			VpcId:            aws.String(r.ids.Of(aws.ToString(s.VpcId))),
			CidrBlock:        s.CidrBlock,
			AvailabilityZone: s.AvailabilityZone,
		})
		if err != nil {
			return err
		}
		id := aws.ToString(out.Subnet.SubnetId)
		r.ids[aws.ToString(s.SubnetId)] = id
		if err := r.tag(ctx, id, s.Tags); err != nil {
			return err
		}
		if aws.ToBool(s.MapPublicIpOnLaunch) {
			if _, err := r.c.ModifySubnetAttribute(ctx, &ec2.ModifySubnetAttributeInput{SubnetId: aws.String(id), MapPublicIpOnLaunch: &types.AttributeBooleanValue{Value: aws.Bool(true)}}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *replayer) internetGateways(ctx context.Context, e *Example) error {
	for _, g := range e.InternetGateways {
		out, err := r.c.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{})
		if err != nil {
			return err
		}
		id := aws.ToString(out.InternetGateway.InternetGatewayId)
		r.ids[aws.ToString(g.InternetGatewayId)] = id
		if err := r.tag(ctx, id, g.Tags); err != nil {
			return err
		}
		for _, a := range g.Attachments {
			if _, err := r.c.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: aws.String(id), VpcId: aws.String(r.ids.Of(aws.ToString(a.VpcId)))}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *replayer) securityGroups(ctx context.Context, e *Example) error {
	// Create (or find, for "default") every group first: rules refer to
	// each other.
	for _, g := range e.SecurityGroups {
		vpc := r.ids.Of(aws.ToString(g.VpcId))
		var id string
		if aws.ToString(g.GroupName) == "default" {
			out, err := r.c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{
				{Name: aws.String("vpc-id"), Values: []string{vpc}},
				{Name: aws.String("group-name"), Values: []string{"default"}},
			}})
			if err != nil {
				return err
			}
			if len(out.SecurityGroups) != 1 {
				return fmt.Errorf("moto has %d default groups in %s", len(out.SecurityGroups), vpc)
			}
			id = aws.ToString(out.SecurityGroups[0].GroupId)
		} else {
			out, err := r.c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: g.GroupName, Description: g.Description, VpcId: aws.String(vpc)})
			if err != nil {
				return err
			}
			id = aws.ToString(out.GroupId)
		}
		r.ids[aws.ToString(g.GroupId)] = id
		if err := r.tag(ctx, id, g.Tags); err != nil {
			return err
		}
	}
	// Then make each group's rules exactly the example's (moto gap: its
	// default group lacks the self-referencing ingress rule).
	for _, g := range e.SecurityGroups {
		id := r.ids[aws.ToString(g.GroupId)]
		cur, err := r.c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
		if err != nil {
			return err
		}
		if in := cur.SecurityGroups[0].IpPermissions; len(in) > 0 {
			if _, err := r.c.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: in}); err != nil {
				return err
			}
		}
		if out := cur.SecurityGroups[0].IpPermissionsEgress; len(out) > 0 {
			if _, err := r.c.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(id), IpPermissions: out}); err != nil {
				return err
			}
		}
		if in := r.permissions(g.IpPermissions); len(in) > 0 {
			if _, err := r.c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String(id), IpPermissions: in}); err != nil {
				return err
			}
		}
		if out := r.permissions(g.IpPermissionsEgress); len(out) > 0 {
			if _, err := r.c.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(id), IpPermissions: out}); err != nil {
				return err
			}
		}
	}
	return nil
}

// permissions translates the example's rules to moto's IDs.
func (r *replayer) permissions(in []types.IpPermission) []types.IpPermission {
	out := make([]types.IpPermission, 0, len(in))
	for _, p := range in {
		q := types.IpPermission{
			IpProtocol: p.IpProtocol,
			FromPort:   p.FromPort,
			ToPort:     p.ToPort,
			IpRanges:   p.IpRanges,
			Ipv6Ranges: p.Ipv6Ranges,
		}
		if aws.ToString(p.IpProtocol) == "-1" {
			q.FromPort, q.ToPort = nil, nil
		}
		for _, pair := range p.UserIdGroupPairs {
			q.UserIdGroupPairs = append(q.UserIdGroupPairs, types.UserIdGroupPair{
				GroupId:     aws.String(r.ids.Of(aws.ToString(pair.GroupId))),
				Description: pair.Description,
			})
		}
		for _, pl := range p.PrefixListIds {
			q.PrefixListIds = append(q.PrefixListIds, types.PrefixListId{
				PrefixListId: aws.String(r.ids.Of(aws.ToString(pl.PrefixListId))),
				Description:  pl.Description,
			})
		}
		out = append(out, q)
	}
	return out
}

func (r *replayer) natGateways(ctx context.Context, e *Example) error {
	for _, n := range e.NatGateways {
		in := &ec2.CreateNatGatewayInput{
			SubnetId:         aws.String(r.ids.Of(aws.ToString(n.SubnetId))),
			ConnectivityType: n.ConnectivityType,
		}
		var exampleENI string
		for _, a := range n.NatGatewayAddresses {
			if a.IsPrimary != nil && !aws.ToBool(a.IsPrimary) {
				continue
			}
			exampleENI = aws.ToString(a.NetworkInterfaceId)
			in.PrivateIpAddress = a.PrivateIp
			if a.AllocationId != nil {
				eip, err := r.c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc})
				if err != nil {
					return err
				}
				r.ids[aws.ToString(a.AllocationId)] = aws.ToString(eip.AllocationId)
				in.AllocationId = eip.AllocationId
			}
			break
		}
		out, err := r.c.CreateNatGateway(ctx, in)
		if err != nil {
			return err
		}
		id := aws.ToString(out.NatGateway.NatGatewayId)
		r.ids[aws.ToString(n.NatGatewayId)] = id
		if err := r.tag(ctx, id, n.Tags); err != nil {
			return err
		}
		if len(out.NatGateway.NatGatewayAddresses) > 0 && exampleENI != "" {
			r.ids[exampleENI] = aws.ToString(out.NatGateway.NatGatewayAddresses[0].NetworkInterfaceId)
		}
	}
	return nil
}

func (r *replayer) routeTables(ctx context.Context, e *Example) error {
	for _, t := range e.RouteTables {
		vpc := r.ids.Of(aws.ToString(t.VpcId))
		var id string
		main := false
		for _, a := range t.Associations {
			main = main || aws.ToBool(a.Main)
		}
		if main {
			out, err := r.c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{
				{Name: aws.String("vpc-id"), Values: []string{vpc}},
				{Name: aws.String("association.main"), Values: []string{"true"}},
			}})
			if err != nil {
				return err
			}
			if len(out.RouteTables) != 1 {
				return fmt.Errorf("moto has %d main route tables in %s", len(out.RouteTables), vpc)
			}
			id = aws.ToString(out.RouteTables[0].RouteTableId)
		} else {
			out, err := r.c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpc)})
			if err != nil {
				return err
			}
			id = aws.ToString(out.RouteTable.RouteTableId)
		}
		r.ids[aws.ToString(t.RouteTableId)] = id
		if err := r.tag(ctx, id, t.Tags); err != nil {
			return err
		}
		for _, a := range t.Associations {
			if a.SubnetId == nil {
				continue
			}
			if _, err := r.c.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{RouteTableId: aws.String(id), SubnetId: aws.String(r.ids.Of(aws.ToString(a.SubnetId)))}); err != nil {
				return err
			}
		}
		for _, rt := range t.Routes {
			gw := aws.ToString(rt.GatewayId)
			if gw == "local" || strings.HasPrefix(gw, "vpce-") {
				continue // made by the VPC, or by the gateway endpoint
			}
			in := &ec2.CreateRouteInput{RouteTableId: aws.String(id), DestinationCidrBlock: rt.DestinationCidrBlock}
			if rt.DestinationPrefixListId != nil {
				in.DestinationPrefixListId = aws.String(r.ids.Of(aws.ToString(rt.DestinationPrefixListId)))
			}
			mapped := func(p *string) *string {
				if p == nil {
					return nil
				}
				return aws.String(r.ids.Of(*p))
			}
			in.GatewayId = mapped(rt.GatewayId)
			in.NatGatewayId = mapped(rt.NatGatewayId)
			in.NetworkInterfaceId = mapped(rt.NetworkInterfaceId)
			in.TransitGatewayId = mapped(rt.TransitGatewayId)
			in.VpcPeeringConnectionId = mapped(rt.VpcPeeringConnectionId)
			in.EgressOnlyInternetGatewayId = mapped(rt.EgressOnlyInternetGatewayId)
			if _, err := r.c.CreateRoute(ctx, in); err != nil {
				return fmt.Errorf("route %s in %s: %w", aws.ToString(rt.DestinationCidrBlock), aws.ToString(t.RouteTableId), err)
			}
		}
	}
	return nil
}

func (r *replayer) networkAcls(ctx context.Context, e *Example) error {
	for _, a := range e.NetworkAcls {
		vpc := r.ids.Of(aws.ToString(a.VpcId))
		var id string
		if aws.ToBool(a.IsDefault) {
			out, err := r.c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{
				{Name: aws.String("vpc-id"), Values: []string{vpc}},
				{Name: aws.String("default"), Values: []string{"true"}},
			}})
			if err != nil {
				return err
			}
			if len(out.NetworkAcls) != 1 {
				return fmt.Errorf("moto has %d default network ACLs in %s", len(out.NetworkAcls), vpc)
			}
			id = aws.ToString(out.NetworkAcls[0].NetworkAclId)
		} else {
			out, err := r.c.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(vpc)})
			if err != nil {
				return err
			}
			id = aws.ToString(out.NetworkAcl.NetworkAclId)
			// Moto gap: no final deny entries on a new ACL; the example's
			// entries include them, so creating all of them fixes it.
			for _, en := range a.Entries {
				if _, err := r.c.CreateNetworkAclEntry(ctx, &ec2.CreateNetworkAclEntryInput{
					NetworkAclId: aws.String(id),
					RuleNumber:   en.RuleNumber,
					Protocol:     en.Protocol,
					RuleAction:   en.RuleAction,
					Egress:       en.Egress,
					CidrBlock:    en.CidrBlock,
					PortRange:    en.PortRange,
					IcmpTypeCode: en.IcmpTypeCode,
				}); err != nil {
					return err
				}
			}
		}
		r.ids[aws.ToString(a.NetworkAclId)] = id
		if err := r.tag(ctx, id, a.Tags); err != nil {
			return err
		}
		if aws.ToBool(a.IsDefault) {
			continue // new subnets start there
		}
		for _, as := range a.Associations {
			subnet := r.ids.Of(aws.ToString(as.SubnetId))
			cur, err := r.c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []types.Filter{
				{Name: aws.String("association.subnet-id"), Values: []string{subnet}},
			}})
			if err != nil {
				return err
			}
			assoc := ""
			for _, acl := range cur.NetworkAcls {
				for _, x := range acl.Associations {
					if aws.ToString(x.SubnetId) == subnet {
						assoc = aws.ToString(x.NetworkAclAssociationId)
					}
				}
			}
			if assoc == "" {
				return fmt.Errorf("no network ACL association for %s", subnet)
			}
			if _, err := r.c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: aws.String(assoc), NetworkAclId: aws.String(id)}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *replayer) instances(ctx context.Context, e *Example) error {
	for _, in := range e.Instances() {
		var groups []string
		for _, g := range in.SecurityGroups {
			groups = append(groups, r.ids.Of(aws.ToString(g.GroupId)))
		}
		out, err := r.c.RunInstances(ctx, &ec2.RunInstancesInput{
			ImageId:          aws.String("ami-12c6146b"), // one moto knows
			InstanceType:     in.InstanceType,
			MinCount:         aws.Int32(1),
			MaxCount:         aws.Int32(1),
			SubnetId:         aws.String(r.ids.Of(aws.ToString(in.SubnetId))),
			PrivateIpAddress: in.PrivateIpAddress,
			SecurityGroupIds: groups,
		})
		if err != nil {
			return err
		}
		got := out.Instances[0]
		id := aws.ToString(got.InstanceId)
		r.ids[aws.ToString(in.InstanceId)] = id
		if err := r.tag(ctx, id, in.Tags); err != nil {
			return err
		}
		if len(in.NetworkInterfaces) > 0 && len(got.NetworkInterfaces) > 0 {
			r.ids[aws.ToString(in.NetworkInterfaces[0].NetworkInterfaceId)] = aws.ToString(got.NetworkInterfaces[0].NetworkInterfaceId)
		}
	}
	return nil
}

func (r *replayer) vpcEndpoints(ctx context.Context, e *Example) error {
	for _, v := range e.VpcEndpoints {
		in := &ec2.CreateVpcEndpointInput{
			VpcId:           aws.String(r.ids.Of(aws.ToString(v.VpcId))),
			ServiceName:     v.ServiceName,
			VpcEndpointType: v.VpcEndpointType,
		}
		for _, s := range v.SubnetIds {
			in.SubnetIds = append(in.SubnetIds, r.ids.Of(s))
		}
		for _, t := range v.RouteTableIds {
			in.RouteTableIds = append(in.RouteTableIds, r.ids.Of(t))
		}
		for _, g := range v.Groups {
			in.SecurityGroupIds = append(in.SecurityGroupIds, r.ids.Of(aws.ToString(g.GroupId)))
		}
		if v.VpcEndpointType == types.VpcEndpointTypeInterface {
			in.PrivateDnsEnabled = v.PrivateDnsEnabled
		}
		out, err := r.c.CreateVpcEndpoint(ctx, in)
		if err != nil {
			return err
		}
		id := aws.ToString(out.VpcEndpoint.VpcEndpointId)
		r.ids[aws.ToString(v.VpcEndpointId)] = id
		if err := r.tag(ctx, id, v.Tags); err != nil {
			return err
		}
		if err := r.endpointInterfaces(ctx, e, v, out.VpcEndpoint, in.SecurityGroupIds); err != nil {
			return err
		}
	}
	return nil
}

// endpointInterfaces maps the example's endpoint interfaces to moto's by
// subnet and gives moto's the endpoint's security groups (moto gap).
func (r *replayer) endpointInterfaces(ctx context.Context, e *Example, want types.VpcEndpoint, got *types.VpcEndpoint, groups []string) error {
	if len(got.NetworkInterfaceIds) == 0 {
		return nil
	}
	out, err := r.c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: got.NetworkInterfaceIds})
	if err != nil {
		return err
	}
	bySubnet := map[string]string{}
	for _, n := range out.NetworkInterfaces {
		bySubnet[aws.ToString(n.SubnetId)] = aws.ToString(n.NetworkInterfaceId)
		if len(groups) > 0 {
			if _, err := r.c.ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: n.NetworkInterfaceId, Groups: groups}); err != nil {
				return err
			}
		}
	}
	example := map[string]types.NetworkInterface{}
	for _, n := range e.NetworkInterfaces {
		example[aws.ToString(n.NetworkInterfaceId)] = n
	}
	ids := append([]string(nil), want.NetworkInterfaceIds...)
	sort.Strings(ids)
	for _, id := range ids {
		if n, ok := example[id]; ok {
			if m, ok := bySubnet[r.ids.Of(aws.ToString(n.SubnetId))]; ok {
				r.ids[id] = m
			}
		}
	}
	return nil
}

// FixCollected corrects, in the files of one collected account and region
// (dir is <snapshot>/<account>/<region>), what moto cannot be made to do
// through its API (see MotoGaps), from the example it was built from:
// interface-endpoint and NAT gateway network interfaces get the example's
// addresses, type, description and groups; NAT gateways the example's
// private address; gateway endpoints PrivateDnsEnabled false. Everything
// else stays as collected. It returns what it changed, one line per field.
func FixCollected(dir string, e *Example, ids IDMap) ([]string, error) {
	var changed []string
	back := ids.Reverse()
	toMoto := func(s string) string {
		for from, to := range ids {
			s = strings.ReplaceAll(s, from, to)
		}
		return s
	}
	example := map[string]types.NetworkInterface{}
	for _, n := range e.NetworkInterfaces {
		example[aws.ToString(n.NetworkInterfaceId)] = n
	}
	err := editJSON(filepath.Join(dir, "ec2-describe-network-interfaces.json"), "NetworkInterfaces", func(item map[string]any) {
		id, _ := item["NetworkInterfaceId"].(string)
		want, ok := example[back.Of(id)]
		if !ok || want.InterfaceType == types.NetworkInterfaceTypeInterface {
			return
		}
		var addrs []any
		for _, a := range want.PrivateIpAddresses {
			addrs = append(addrs, map[string]any{"Primary": aws.ToBool(a.Primary), "PrivateIpAddress": aws.ToString(a.PrivateIpAddress)})
		}
		groups := []any{}
		for _, g := range want.Groups {
			groups = append(groups, map[string]any{"GroupId": ids.Of(aws.ToString(g.GroupId)), "GroupName": aws.ToString(g.GroupName)})
		}
		item["PrivateIpAddress"] = aws.ToString(want.PrivateIpAddress)
		item["PrivateIpAddresses"] = addrs
		item["InterfaceType"] = string(want.InterfaceType)
		item["Description"] = toMoto(aws.ToString(want.Description))
		item["RequesterManaged"] = aws.ToBool(want.RequesterManaged)
		item["RequesterId"] = aws.ToString(want.RequesterId)
		item["Groups"] = groups
		changed = append(changed, fmt.Sprintf("%s: address %s, type %s, groups and description of %s", id, aws.ToString(want.PrivateIpAddress), want.InterfaceType, back.Of(id)))
	})
	if err != nil {
		return nil, err
	}
	nats := map[string]types.NatGateway{}
	for _, n := range e.NatGateways {
		nats[aws.ToString(n.NatGatewayId)] = n
	}
	err = editJSON(filepath.Join(dir, "ec2-describe-nat-gateways.json"), "NatGateways", func(item map[string]any) {
		id, _ := item["NatGatewayId"].(string)
		want, ok := nats[back.Of(id)]
		addrs, _ := item["NatGatewayAddresses"].([]any)
		if !ok || len(addrs) == 0 || len(want.NatGatewayAddresses) == 0 {
			return
		}
		if a, ok := addrs[0].(map[string]any); ok {
			a["PrivateIp"] = aws.ToString(want.NatGatewayAddresses[0].PrivateIp)
			changed = append(changed, fmt.Sprintf("%s: private address %s", id, a["PrivateIp"]))
		}
	})
	if err != nil {
		return nil, err
	}
	err = editJSON(filepath.Join(dir, "ec2-describe-vpc-endpoints.json"), "VpcEndpoints", func(item map[string]any) {
		if item["VpcEndpointType"] == string(types.VpcEndpointTypeGateway) && item["PrivateDnsEnabled"] == true {
			item["PrivateDnsEnabled"] = false
			changed = append(changed, fmt.Sprintf("%s: PrivateDnsEnabled false", item["VpcEndpointId"]))
		}
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(changed)
	return changed, nil
}

// editJSON rewrites each object of the top-level list key of a JSON file.
func editJSON(name, key string, edit func(map[string]any)) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var top map[string]any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&top); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	list, _ := top[key].([]any)
	for _, item := range list {
		if m, ok := item.(map[string]any); ok {
			edit(m)
		}
	}
	out, err := json.MarshalIndent(top, "", "    ")
	if err != nil {
		return err
	}
	return os.WriteFile(name, append(out, '\n'), 0o644)
}
