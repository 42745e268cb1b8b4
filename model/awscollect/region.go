package awscollect

import (
	"context"
	"errors"
	"path"
	"slices"
	"strings"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/route53resolver"
	resolvertypes "github.com/aws/aws-sdk-go-v2/service/route53resolver/types"
	"golang.org/x/sync/errgroup"
)

// regionRun collects one region of one account.
type regionRun struct {
	c       *collector
	account string
	region  string
	cfg     aws.Config
	// global: this region's folder also receives the account's Route 53
	// (global service) files.
	global bool

	ec2      *ec2.Client
	resolver *route53resolver.Client
	route53  *route53.Client
	dx       *directconnect.Client
}

// fileName is the snapshot file of an operation: ("ec2", "DescribeVpcAttribute",
// "vpc-1", "enable-dns-support") gives
// "ec2-describe-vpc-attribute-vpc-1-enable-dns-support.json".
func fileName(service, operation string, suffixes ...string) string {
	parts := append([]string{service, kebab(operation)}, suffixes...)
	return strings.Join(parts, "-") + ".json"
}

// kebab turns an API name into the CLI's spelling: "DescribeVpcs" gives
// "describe-vpcs", "enableDnsSupport" gives "enable-dns-support".
func kebab(name string) string {
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (r *regionRun) spec(service, operation string, suffixes ...string) callSpec {
	return callSpec{
		service:   service,
		operation: operation,
		account:   r.account,
		region:    r.region,
		file:      path.Join(r.account, r.region, fileName(service, operation, suffixes...)),
	}
}

func (r *regionRun) globalSpec(service, operation string, suffixes ...string) callSpec {
	s := r.spec(service, operation, suffixes...)
	s.region = ""
	return s
}

// listAll runs a paginated call, merges the items of all pages under key and
// stores them as the call's file. ok is false when the call ended in a gap.
func listAll[T, O, E any](ctx context.Context, c *collector, s callSpec, key string,
	more func() bool, next func(context.Context, ...func(*O)) (T, error), items func(T) []E) ([]E, bool, error) {
	all := []E{}
	ok, err := fetch(ctx, c, s, more, next, func(out T) { all = append(all, items(out)...) })
	if !ok || err != nil {
		return nil, false, err
	}
	return all, true, c.put(s.file, map[string]any{key: all})
}

// start launches every call of the region in g. Calls that depend on the
// answer of another (the per-VPC, per-list, per-table and per-zone calls)
// are launched when that answer arrives.
func (r *regionRun) start(ctx context.Context, g *errgroup.Group) {
	c := r.c
	r.ec2 = ec2.NewFromConfig(r.cfg, func(o *ec2.Options) { o.Region = r.region })
	r.resolver = route53resolver.NewFromConfig(r.cfg, func(o *route53resolver.Options) { o.Region = r.region })
	r.route53 = route53.NewFromConfig(r.cfg)
	e := r.ec2

	g.Go(func() error {
		p := ec2.NewDescribeVpcsPaginator(e, &ec2.DescribeVpcsInput{})
		vpcs, ok, err := listAll(ctx, c, r.spec("ec2", "DescribeVpcs"), "Vpcs", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeVpcsOutput) []ec2types.Vpc { return o.Vpcs })
		if !ok || err != nil {
			return err
		}
		for _, id := range uniqueIDs(vpcs, func(v ec2types.Vpc) *string { return v.VpcId }) {
			g.Go(func() error { return r.vpcAttribute(ctx, id, ec2types.VpcAttributeNameEnableDnsSupport) })
			g.Go(func() error { return r.vpcAttribute(ctx, id, ec2types.VpcAttributeNameEnableDnsHostnames) })
		}
		return nil
	})
	g.Go(func() error {
		// Not paginated. The zones' IDs (use1-az1) tell which zones of two
		// accounts are the same place.
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeAvailabilityZones"), "AvailabilityZones", onePage(),
			func(ctx context.Context, o ...func(*ec2.Options)) (*ec2.DescribeAvailabilityZonesOutput, error) {
				return e.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{}, o...)
			},
			func(o *ec2.DescribeAvailabilityZonesOutput) []ec2types.AvailabilityZone { return o.AvailabilityZones })
		return err
	})
	g.Go(func() error {
		p := ec2.NewDescribeSubnetsPaginator(e, &ec2.DescribeSubnetsInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeSubnets"), "Subnets", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeSubnetsOutput) []ec2types.Subnet { return o.Subnets })
		return err
	})
	g.Go(func() error {
		p := ec2.NewDescribeRouteTablesPaginator(e, &ec2.DescribeRouteTablesInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeRouteTables"), "RouteTables", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeRouteTablesOutput) []ec2types.RouteTable { return o.RouteTables })
		return err
	})
	g.Go(func() error {
		p := ec2.NewDescribeSecurityGroupsPaginator(e, &ec2.DescribeSecurityGroupsInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeSecurityGroups"), "SecurityGroups", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeSecurityGroupsOutput) []ec2types.SecurityGroup { return o.SecurityGroups })
		return err
	})
	g.Go(func() error {
		p := ec2.NewDescribeNetworkAclsPaginator(e, &ec2.DescribeNetworkAclsInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeNetworkAcls"), "NetworkAcls", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeNetworkAclsOutput) []ec2types.NetworkAcl { return o.NetworkAcls })
		return err
	})
	g.Go(func() error {
		p := ec2.NewDescribeNetworkInterfacesPaginator(e, &ec2.DescribeNetworkInterfacesInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeNetworkInterfaces"), "NetworkInterfaces", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeNetworkInterfacesOutput) []ec2types.NetworkInterface { return o.NetworkInterfaces })
		return err
	})
	g.Go(func() error {
		p := ec2.NewDescribeInstancesPaginator(e, &ec2.DescribeInstancesInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeInstances"), "Reservations", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeInstancesOutput) []ec2types.Reservation { return o.Reservations })
		return err
	})
	g.Go(func() error {
		p := ec2.NewDescribeVpcEndpointsPaginator(e, &ec2.DescribeVpcEndpointsInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeVpcEndpoints"), "VpcEndpoints", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeVpcEndpointsOutput) []ec2types.VpcEndpoint { return o.VpcEndpoints })
		return err
	})
	g.Go(func() error { return r.endpointServices(ctx) })
	g.Go(func() error {
		p := ec2.NewDescribeNatGatewaysPaginator(e, &ec2.DescribeNatGatewaysInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeNatGateways"), "NatGateways", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeNatGatewaysOutput) []ec2types.NatGateway { return o.NatGateways })
		return err
	})
	g.Go(func() error {
		// Which DNS servers each VPC hands out: with custom ones the Amazon
		// resolver's answers (what vpcpath models) are not what nodes get.
		p := ec2.NewDescribeDhcpOptionsPaginator(e, &ec2.DescribeDhcpOptionsInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeDhcpOptions"), "DhcpOptions", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeDhcpOptionsOutput) []ec2types.DhcpOptions { return o.DhcpOptions })
		return err
	})
	g.Go(func() error {
		p := ec2.NewDescribeInternetGatewaysPaginator(e, &ec2.DescribeInternetGatewaysInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeInternetGateways"), "InternetGateways", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeInternetGatewaysOutput) []ec2types.InternetGateway { return o.InternetGateways })
		return err
	})
	g.Go(func() error {
		p := ec2.NewDescribeManagedPrefixListsPaginator(e, &ec2.DescribeManagedPrefixListsInput{})
		lists, ok, err := listAll(ctx, c, r.spec("ec2", "DescribeManagedPrefixLists"), "PrefixLists", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeManagedPrefixListsOutput) []ec2types.ManagedPrefixList { return o.PrefixLists })
		if !ok || err != nil {
			return err
		}
		lists = slices.DeleteFunc(lists, func(l ec2types.ManagedPrefixList) bool {
			return l.State == ec2types.PrefixListStateDeleteInProgress || l.State == ec2types.PrefixListStateDeleteComplete
		})
		for _, id := range uniqueIDs(lists, func(l ec2types.ManagedPrefixList) *string { return l.PrefixListId }) {
			g.Go(func() error { return r.prefixListEntries(ctx, id) })
		}
		return nil
	})
	g.Go(func() error {
		p := ec2.NewDescribePrefixListsPaginator(e, &ec2.DescribePrefixListsInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribePrefixLists"), "PrefixLists", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribePrefixListsOutput) []ec2types.PrefixList { return o.PrefixLists })
		return err
	})
	g.Go(func() error {
		p := ec2.NewDescribeVpcPeeringConnectionsPaginator(e, &ec2.DescribeVpcPeeringConnectionsInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeVpcPeeringConnections"), "VpcPeeringConnections", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeVpcPeeringConnectionsOutput) []ec2types.VpcPeeringConnection {
				return o.VpcPeeringConnections
			})
		return err
	})
	g.Go(func() error {
		p := ec2.NewDescribeTransitGatewaysPaginator(e, &ec2.DescribeTransitGatewaysInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeTransitGateways"), "TransitGateways", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeTransitGatewaysOutput) []ec2types.TransitGateway { return o.TransitGateways })
		return err
	})
	g.Go(func() error {
		p := ec2.NewDescribeTransitGatewayAttachmentsPaginator(e, &ec2.DescribeTransitGatewayAttachmentsInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeTransitGatewayAttachments"), "TransitGatewayAttachments", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeTransitGatewayAttachmentsOutput) []ec2types.TransitGatewayAttachment {
				return o.TransitGatewayAttachments
			})
		return err
	})
	g.Go(func() error {
		p := ec2.NewDescribeTransitGatewayVpcAttachmentsPaginator(e, &ec2.DescribeTransitGatewayVpcAttachmentsInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeTransitGatewayVpcAttachments"), "TransitGatewayVpcAttachments", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeTransitGatewayVpcAttachmentsOutput) []ec2types.TransitGatewayVpcAttachment {
				return o.TransitGatewayVpcAttachments
			})
		return err
	})
	g.Go(func() error {
		p := ec2.NewDescribeTransitGatewayRouteTablesPaginator(e, &ec2.DescribeTransitGatewayRouteTablesInput{})
		tables, ok, err := listAll(ctx, c, r.spec("ec2", "DescribeTransitGatewayRouteTables"), "TransitGatewayRouteTables", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeTransitGatewayRouteTablesOutput) []ec2types.TransitGatewayRouteTable {
				return o.TransitGatewayRouteTables
			})
		if !ok || err != nil {
			return err
		}
		tables = slices.DeleteFunc(tables, func(t ec2types.TransitGatewayRouteTable) bool {
			return t.State == ec2types.TransitGatewayRouteTableStateDeleting || t.State == ec2types.TransitGatewayRouteTableStateDeleted
		})
		for _, id := range uniqueIDs(tables, func(t ec2types.TransitGatewayRouteTable) *string { return t.TransitGatewayRouteTableId }) {
			g.Go(func() error { return r.transitGatewayRoutes(ctx, id) })
			r.tgwTableLinks(ctx, g, id)
		}
		return nil
	})
	g.Go(func() error {
		p := route53resolver.NewListResolverRulesPaginator(r.resolver, &route53resolver.ListResolverRulesInput{})
		_, _, err := listAll(ctx, c, r.spec("route53resolver", "ListResolverRules"), "ResolverRules", p.HasMorePages, p.NextPage,
			func(o *route53resolver.ListResolverRulesOutput) []resolvertypes.ResolverRule { return o.ResolverRules })
		return err
	})
	g.Go(func() error {
		p := route53resolver.NewListResolverRuleAssociationsPaginator(r.resolver, &route53resolver.ListResolverRuleAssociationsInput{})
		_, _, err := listAll(ctx, c, r.spec("route53resolver", "ListResolverRuleAssociations"), "ResolverRuleAssociations", p.HasMorePages, p.NextPage,
			func(o *route53resolver.ListResolverRuleAssociationsOutput) []resolvertypes.ResolverRuleAssociation {
				return o.ResolverRuleAssociations
			})
		return err
	})
	if r.global {
		g.Go(func() error { return r.hostedZones(ctx, g) })
	}
	r.startTransit(ctx, g)
}

func (r *regionRun) vpcAttribute(ctx context.Context, vpcID string, attr ec2types.VpcAttributeName) error {
	s := r.spec("ec2", "DescribeVpcAttribute", vpcID, kebab(string(attr)))
	s.perResource = true
	var out *ec2.DescribeVpcAttributeOutput
	ok, err := fetch(ctx, r.c, s, onePage(), func(ctx context.Context, o ...func(*ec2.Options)) (*ec2.DescribeVpcAttributeOutput, error) {
		return r.ec2.DescribeVpcAttribute(ctx, &ec2.DescribeVpcAttributeInput{VpcId: aws.String(vpcID), Attribute: attr}, o...)
	}, func(o *ec2.DescribeVpcAttributeOutput) { out = o })
	if !ok || err != nil {
		return err
	}
	doc := map[string]any{"VpcId": vpcID}
	switch attr {
	case ec2types.VpcAttributeNameEnableDnsSupport:
		doc["EnableDnsSupport"] = out.EnableDnsSupport
	case ec2types.VpcAttributeNameEnableDnsHostnames:
		doc["EnableDnsHostnames"] = out.EnableDnsHostnames
	}
	return r.c.put(s.file, doc)
}

// endpointServices pages through DescribeVpcEndpointServices by hand: the
// SDK has no paginator for it.
func (r *regionRun) endpointServices(ctx context.Context) error {
	s := r.spec("ec2", "DescribeVpcEndpointServices")
	t := &tokenPager{}
	details, names := []ec2types.ServiceDetail{}, []string{}
	ok, err := fetch(ctx, r.c, s, t.more, func(ctx context.Context, o ...func(*ec2.Options)) (*ec2.DescribeVpcEndpointServicesOutput, error) {
		out, err := r.ec2.DescribeVpcEndpointServices(ctx, &ec2.DescribeVpcEndpointServicesInput{NextToken: t.token}, o...)
		if err == nil {
			t.advance(out.NextToken)
		}
		return out, err
	}, func(o *ec2.DescribeVpcEndpointServicesOutput) {
		details = append(details, o.ServiceDetails...)
		names = append(names, o.ServiceNames...)
	})
	if !ok || err != nil {
		return err
	}
	return r.c.put(s.file, map[string]any{"ServiceDetails": details, "ServiceNames": names})
}

func (r *regionRun) prefixListEntries(ctx context.Context, id string) error {
	s := r.spec("ec2", "GetManagedPrefixListEntries", id)
	s.perResource = true
	p := ec2.NewGetManagedPrefixListEntriesPaginator(r.ec2, &ec2.GetManagedPrefixListEntriesInput{PrefixListId: aws.String(id)})
	entries := []ec2types.PrefixListEntry{}
	ok, err := fetch(ctx, r.c, s, p.HasMorePages, p.NextPage, func(o *ec2.GetManagedPrefixListEntriesOutput) {
		entries = append(entries, o.Entries...)
	})
	if !ok || err != nil {
		return err
	}
	return r.c.put(s.file, map[string]any{"PrefixListId": id, "Entries": entries})
}

// errTruncatedRoutes: a search said more routes exist but gave no way to
// fetch them; writing what came would make a wrong snapshot.
var errTruncatedRoutes = errors.New("the answer says more routes are available but gives no NextToken to fetch them")

func (r *regionRun) transitGatewayRoutes(ctx context.Context, tableID string) error {
	s := r.spec("ec2", "SearchTransitGatewayRoutes", tableID)
	s.perResource = true
	p := ec2.NewSearchTransitGatewayRoutesPaginator(r.ec2, &ec2.SearchTransitGatewayRoutesInput{
		TransitGatewayRouteTableId: aws.String(tableID),
		Filters:                    []ec2types.Filter{{Name: aws.String("state"), Values: []string{"active", "blackhole"}}},
	})
	routes := []ec2types.TransitGatewayRoute{}
	truncated := false
	ok, err := fetch(ctx, r.c, s, p.HasMorePages, p.NextPage, func(o *ec2.SearchTransitGatewayRoutesOutput) {
		routes = append(routes, o.Routes...)
		truncated = aws.ToBool(o.AdditionalRoutesAvailable) && aws.ToString(o.NextToken) == ""
	})
	if !ok || err != nil {
		return err
	}
	if truncated {
		return s.fail("", errTruncatedRoutes)
	}
	return r.c.put(s.file, map[string]any{"TransitGatewayRouteTableId": tableID, "Routes": routes})
}

// hostedZones collects the account's private hosted zones, each with its
// VPC associations and record sets.
func (r *regionRun) hostedZones(ctx context.Context, g *errgroup.Group) error {
	s := r.globalSpec("route53", "ListHostedZones")
	p := route53.NewListHostedZonesPaginator(r.route53, &route53.ListHostedZonesInput{})
	zones := []r53types.HostedZone{}
	ok, err := fetch(ctx, r.c, s, p.HasMorePages, p.NextPage, func(o *route53.ListHostedZonesOutput) {
		for _, z := range o.HostedZones {
			if z.Config != nil && z.Config.PrivateZone {
				zones = append(zones, z)
			}
		}
	})
	if !ok || err != nil {
		return err
	}
	if err := r.c.put(s.file, map[string]any{"HostedZones": zones}); err != nil {
		return err
	}
	for _, id := range uniqueIDs(zones, func(z r53types.HostedZone) *string { return z.Id }) {
		g.Go(func() error { return r.hostedZone(ctx, id) })
		g.Go(func() error { return r.recordSets(ctx, id) })
	}
	return nil
}

// uniqueIDs returns the IDs of items, once each, in order: a resource listed
// twice (a list changing between pages) gets one per-resource call.
func uniqueIDs[E any](items []E, id func(E) *string) []string {
	var out []string
	seen := map[string]bool{}
	for _, it := range items {
		if v := aws.ToString(id(it)); v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// bareZoneID turns "/hostedzone/Z1" into "Z1".
func bareZoneID(id string) string { return strings.TrimPrefix(id, "/hostedzone/") }

func (r *regionRun) hostedZone(ctx context.Context, id string) error {
	s := r.globalSpec("route53", "GetHostedZone", bareZoneID(id))
	s.perResource = true
	var out *route53.GetHostedZoneOutput
	ok, err := fetch(ctx, r.c, s, onePage(), func(ctx context.Context, o ...func(*route53.Options)) (*route53.GetHostedZoneOutput, error) {
		return r.route53.GetHostedZone(ctx, &route53.GetHostedZoneInput{Id: aws.String(bareZoneID(id))}, o...)
	}, func(o *route53.GetHostedZoneOutput) { out = o })
	if !ok || err != nil {
		return err
	}
	vpcs := out.VPCs
	if vpcs == nil {
		vpcs = []r53types.VPC{}
	}
	return r.c.put(s.file, map[string]any{"HostedZone": out.HostedZone, "VPCs": vpcs})
}

// recordSets pages through ListResourceRecordSets by hand: the SDK has no
// paginator for it, and its "next" is a (name, type, identifier) triple.
func (r *regionRun) recordSets(ctx context.Context, id string) error {
	s := r.globalSpec("route53", "ListResourceRecordSets", bareZoneID(id))
	s.perResource = true
	in := &route53.ListResourceRecordSetsInput{HostedZoneId: aws.String(bareZoneID(id))}
	done := false
	var seen []string
	sets := []r53types.ResourceRecordSet{}
	ok, err := fetch(ctx, r.c, s, func() bool { return !done }, func(ctx context.Context, o ...func(*route53.Options)) (*route53.ListResourceRecordSetsOutput, error) {
		out, err := r.route53.ListResourceRecordSets(ctx, in, o...)
		if err != nil {
			return nil, err
		}
		if !out.IsTruncated {
			done = true
			return out, nil
		}
		next := aws.ToString(out.NextRecordName) + "\x00" + string(out.NextRecordType) + "\x00" + aws.ToString(out.NextRecordIdentifier)
		if out.NextRecordName == nil || slices.Contains(seen, next) {
			return nil, errRepeatedToken
		}
		seen = append(seen, next)
		in = &route53.ListResourceRecordSetsInput{
			HostedZoneId:          in.HostedZoneId,
			StartRecordName:       out.NextRecordName,
			StartRecordType:       out.NextRecordType,
			StartRecordIdentifier: out.NextRecordIdentifier,
		}
		return out, nil
	}, func(o *route53.ListResourceRecordSetsOutput) { sets = append(sets, o.ResourceRecordSets...) })
	if !ok || err != nil {
		return err
	}
	return r.c.put(s.file, map[string]any{"HostedZoneId": id, "ResourceRecordSets": sets})
}

// errRepeatedToken: the service handed back a pagination token it had
// already given, which would loop forever.
var errRepeatedToken = errors.New("the service repeated a pagination token (or gave none for a truncated answer)")

// tokenPager follows NextToken for calls the SDK has no paginator for
// (fetch stops on a repeated token).
type tokenPager struct {
	token   *string
	started bool
}

func (t *tokenPager) more() bool { return !t.started || t.token != nil }

func (t *tokenPager) advance(next *string) {
	t.started = true
	t.token = nil
	if aws.ToString(next) != "" {
		t.token = next
	}
}
