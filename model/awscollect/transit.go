package awscollect

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	dxtypes "github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"golang.org/x/sync/errgroup"
)

// startTransit launches the calls for what lies beyond one VPC: transit
// gateway peering attachments, each table's associations and propagations,
// virtual private gateways, VPN connections, customer gateways, and Direct
// Connect (virtual interfaces per region; gateways, which are global, and
// their associations once per account).
func (r *regionRun) startTransit(ctx context.Context, g *errgroup.Group) {
	c, e := r.c, r.ec2
	r.dx = directconnect.NewFromConfig(r.cfg, func(o *directconnect.Options) { o.Region = r.region })
	g.Go(func() error {
		p := ec2.NewDescribeTransitGatewayPeeringAttachmentsPaginator(e, &ec2.DescribeTransitGatewayPeeringAttachmentsInput{})
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeTransitGatewayPeeringAttachments"), "TransitGatewayPeeringAttachments", p.HasMorePages, p.NextPage,
			func(o *ec2.DescribeTransitGatewayPeeringAttachmentsOutput) []ec2types.TransitGatewayPeeringAttachment {
				return o.TransitGatewayPeeringAttachments
			})
		return err
	})
	g.Go(func() error {
		// Not paginated.
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeVpnGateways"), "VpnGateways", onePage(),
			func(ctx context.Context, o ...func(*ec2.Options)) (*ec2.DescribeVpnGatewaysOutput, error) {
				return e.DescribeVpnGateways(ctx, &ec2.DescribeVpnGatewaysInput{}, o...)
			},
			func(o *ec2.DescribeVpnGatewaysOutput) []ec2types.VpnGateway { return o.VpnGateways })
		return err
	})
	g.Go(func() error {
		// Not paginated; VgwTelemetry holds each tunnel's status. The
		// tunnels' pre-shared keys are left out of the snapshot.
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeVpnConnections"), "VpnConnections", onePage(),
			func(ctx context.Context, o ...func(*ec2.Options)) (*ec2.DescribeVpnConnectionsOutput, error) {
				return e.DescribeVpnConnections(ctx, &ec2.DescribeVpnConnectionsInput{}, o...)
			},
			func(o *ec2.DescribeVpnConnectionsOutput) []ec2types.VpnConnection {
				return withoutSecrets(o.VpnConnections)
			})
		return err
	})
	g.Go(func() error {
		// Not paginated.
		_, _, err := listAll(ctx, c, r.spec("ec2", "DescribeCustomerGateways"), "CustomerGateways", onePage(),
			func(ctx context.Context, o ...func(*ec2.Options)) (*ec2.DescribeCustomerGatewaysOutput, error) {
				return e.DescribeCustomerGateways(ctx, &ec2.DescribeCustomerGatewaysInput{}, o...)
			},
			func(o *ec2.DescribeCustomerGatewaysOutput) []ec2types.CustomerGateway { return o.CustomerGateways })
		return err
	})
	g.Go(func() error { return r.virtualInterfaces(ctx) })
	if r.global {
		g.Go(func() error { return r.dxGateways(ctx, g) })
	}
}

// tgwTableLinks collects a table's associations and propagations; the
// route table ID is written beside them, as for the routes.
func (r *regionRun) tgwTableLinks(ctx context.Context, g *errgroup.Group, tableID string) {
	g.Go(func() error {
		s := r.spec("ec2", "GetTransitGatewayRouteTableAssociations", tableID)
		s.perResource = true
		p := ec2.NewGetTransitGatewayRouteTableAssociationsPaginator(r.ec2, &ec2.GetTransitGatewayRouteTableAssociationsInput{TransitGatewayRouteTableId: aws.String(tableID)})
		all := []ec2types.TransitGatewayRouteTableAssociation{}
		ok, err := fetch(ctx, r.c, s, p.HasMorePages, p.NextPage, func(o *ec2.GetTransitGatewayRouteTableAssociationsOutput) {
			all = append(all, o.Associations...)
		})
		if !ok || err != nil {
			return err
		}
		return r.c.put(s.file, map[string]any{"TransitGatewayRouteTableId": tableID, "Associations": all})
	})
	g.Go(func() error {
		s := r.spec("ec2", "GetTransitGatewayRouteTablePropagations", tableID)
		s.perResource = true
		p := ec2.NewGetTransitGatewayRouteTablePropagationsPaginator(r.ec2, &ec2.GetTransitGatewayRouteTablePropagationsInput{TransitGatewayRouteTableId: aws.String(tableID)})
		all := []ec2types.TransitGatewayRouteTablePropagation{}
		ok, err := fetch(ctx, r.c, s, p.HasMorePages, p.NextPage, func(o *ec2.GetTransitGatewayRouteTablePropagationsOutput) {
			all = append(all, o.TransitGatewayRouteTablePropagations...)
		})
		if !ok || err != nil {
			return err
		}
		return r.c.put(s.file, map[string]any{"TransitGatewayRouteTableId": tableID, "TransitGatewayRouteTablePropagations": all})
	})
}

// virtualInterfaces collects the region's Direct Connect virtual
// interfaces. The SDK has no paginator for the call.
func (r *regionRun) virtualInterfaces(ctx context.Context) error {
	s := r.spec("directconnect", "DescribeVirtualInterfaces")
	t := &tokenPager{}
	all := []dxtypes.VirtualInterface{}
	ok, err := fetch(ctx, r.c, s, t.more, func(ctx context.Context, o ...func(*directconnect.Options)) (*directconnect.DescribeVirtualInterfacesOutput, error) {
		out, err := r.dx.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{NextToken: t.token}, o...)
		if err == nil {
			t.advance(out.NextToken)
		}
		return out, err
	}, func(o *directconnect.DescribeVirtualInterfacesOutput) { all = append(all, o.VirtualInterfaces...) })
	if !ok || err != nil {
		return err
	}
	return r.c.put(s.file, camelCLI(map[string]any{"virtualInterfaces": all}))
}

// dxGateways collects the account's Direct Connect gateways (global: the
// call answers the same in every region) and each one's associations with
// virtual private and transit gateways.
func (r *regionRun) dxGateways(ctx context.Context, g *errgroup.Group) error {
	s := r.globalSpec("directconnect", "DescribeDirectConnectGateways")
	t := &tokenPager{}
	all := []dxtypes.DirectConnectGateway{}
	ok, err := fetch(ctx, r.c, s, t.more, func(ctx context.Context, o ...func(*directconnect.Options)) (*directconnect.DescribeDirectConnectGatewaysOutput, error) {
		out, err := r.dx.DescribeDirectConnectGateways(ctx, &directconnect.DescribeDirectConnectGatewaysInput{NextToken: t.token}, o...)
		if err == nil {
			t.advance(out.NextToken)
		}
		return out, err
	}, func(o *directconnect.DescribeDirectConnectGatewaysOutput) {
		all = append(all, o.DirectConnectGateways...)
	})
	if !ok || err != nil {
		return err
	}
	if err := r.c.put(s.file, camelCLI(map[string]any{"directConnectGateways": all})); err != nil {
		return err
	}
	all = slices.DeleteFunc(all, func(d dxtypes.DirectConnectGateway) bool {
		return d.DirectConnectGatewayState == dxtypes.DirectConnectGatewayStateDeleted
	})
	for _, id := range uniqueIDs(all, func(d dxtypes.DirectConnectGateway) *string { return d.DirectConnectGatewayId }) {
		g.Go(func() error { return r.dxAssociations(ctx, id) })
	}
	return nil
}

func (r *regionRun) dxAssociations(ctx context.Context, id string) error {
	s := r.globalSpec("directconnect", "DescribeDirectConnectGatewayAssociations", id)
	s.perResource = true
	t := &tokenPager{}
	all := []dxtypes.DirectConnectGatewayAssociation{}
	ok, err := fetch(ctx, r.c, s, t.more, func(ctx context.Context, o ...func(*directconnect.Options)) (*directconnect.DescribeDirectConnectGatewayAssociationsOutput, error) {
		out, err := r.dx.DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{DirectConnectGatewayId: aws.String(id), NextToken: t.token}, o...)
		if err == nil {
			t.advance(out.NextToken)
		}
		return out, err
	}, func(o *directconnect.DescribeDirectConnectGatewayAssociationsOutput) {
		all = append(all, o.DirectConnectGatewayAssociations...)
	})
	if !ok || err != nil {
		return err
	}
	return r.c.put(s.file, camelCLI(map[string]any{"directConnectGatewayId": id, "directConnectGatewayAssociations": all}))
}

// camelCLI turns SDK values into the Direct Connect CLI's JSON, whose
// members are camelCase ("virtualInterfaceId") where the SDK's Go fields
// are not.
func camelCLI(v any) any {
	tree, _ := cliValue(reflect.ValueOf(v))
	return lowerKeys(tree)
}

func lowerKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[lowerFirst(k)] = lowerKeys(e)
		}
		return out
	case []any:
		for i := range x {
			x[i] = lowerKeys(x[i])
		}
		return x
	}
	return v
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) {
		return s
	}
	return strings.ToLower(s[:n]) + s[n:]
}

// withoutSecrets drops what a VPN connection's description holds that is a
// secret and that vpcpath does not read: the customer gateway
// configuration (it carries the tunnels' pre-shared keys) and each tunnel
// option's pre-shared key. A snapshot is shared to debug a network; it
// must not hand out the keys of its tunnels.
func withoutSecrets(cs []ec2types.VpnConnection) []ec2types.VpnConnection {
	for i := range cs {
		cs[i].CustomerGatewayConfiguration = nil
		if o := cs[i].Options; o != nil {
			for j := range o.TunnelOptions {
				o.TunnelOptions[j].PreSharedKey = nil
			}
		}
	}
	return cs
}
