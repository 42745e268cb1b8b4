package awscollect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"
	"github.com/aws/aws-sdk-go-v2/service/route53resolver"
	resolvertypes "github.com/aws/aws-sdk-go-v2/service/route53resolver/types"
	"github.com/google/go-cmp/cmp"

	"github.com/vpcpath/vpcpath/model/awscollect/mototest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	mototest.Stop()
	os.Exit(code)
}

const (
	dxGatewayID    = "5f1e9c2a-0d6b-4c55-9a0e-3b8f2c7d1e40"
	exampleDir     = "../../testdata/examples/databricks-privatelink/us-east-1"
	exampleAccount = "111122223333"
	region         = "us-east-1"
)

// extras are resources beyond the example, in a VPC of their own, so that a
// collection exercises every call: peering, a transit gateway with static
// and blackhole routes, a customer-managed prefix list, a private and a
// public hosted zone, and a resolver rule.
type extras struct {
	vpc, subnet, peering, tgw, tgwRouteTable, attachment string
	prefixList, privateZone, publicZone, resolverRule    string
}

func addExtras(t testing.TB, ctx context.Context, cfg aws.Config, exampleVPC string) extras {
	t.Helper()
	c := ec2.NewFromConfig(cfg)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("building the extras in moto: %v", err)
		}
	}
	var x extras
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.20.0.0/16")})
	must(err)
	x.vpc = aws.ToString(vpc.Vpc.VpcId)
	sub, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.20.1.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(err)
	x.subnet = aws.ToString(sub.Subnet.SubnetId)
	pcx, err := c.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(exampleVPC), PeerVpcId: vpc.Vpc.VpcId})
	must(err)
	x.peering = aws.ToString(pcx.VpcPeeringConnection.VpcPeeringConnectionId)
	_, err = c.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(x.peering)})
	must(err)
	tgw, err := c.CreateTransitGateway(ctx, &ec2.CreateTransitGatewayInput{Description: aws.String("hub")})
	must(err)
	x.tgw = aws.ToString(tgw.TransitGateway.TransitGatewayId)
	x.tgwRouteTable = aws.ToString(tgw.TransitGateway.Options.AssociationDefaultRouteTableId)
	att, err := c.CreateTransitGatewayVpcAttachment(ctx, &ec2.CreateTransitGatewayVpcAttachmentInput{TransitGatewayId: aws.String(x.tgw), VpcId: vpc.Vpc.VpcId, SubnetIds: []string{x.subnet}})
	must(err)
	x.attachment = aws.ToString(att.TransitGatewayVpcAttachment.TransitGatewayAttachmentId)
	_, err = c.CreateTransitGatewayRoute(ctx, &ec2.CreateTransitGatewayRouteInput{TransitGatewayRouteTableId: aws.String(x.tgwRouteTable), DestinationCidrBlock: aws.String("10.99.0.0/16"), TransitGatewayAttachmentId: aws.String(x.attachment)})
	must(err)
	_, err = c.CreateTransitGatewayRoute(ctx, &ec2.CreateTransitGatewayRouteInput{TransitGatewayRouteTableId: aws.String(x.tgwRouteTable), DestinationCidrBlock: aws.String("10.98.0.0/16"), Blackhole: aws.Bool(true)})
	must(err)
	pl, err := c.CreateManagedPrefixList(ctx, &ec2.CreateManagedPrefixListInput{
		PrefixListName: aws.String("corp-ranges"), AddressFamily: aws.String("IPv4"), MaxEntries: aws.Int32(5),
		Entries: []ec2types.AddPrefixListEntry{{Cidr: aws.String("192.168.10.0/24"), Description: aws.String("office")}, {Cidr: aws.String("192.168.20.0/24")}},
	})
	must(err)
	x.prefixList = aws.ToString(pl.PrefixList.PrefixListId)

	r53 := route53.NewFromConfig(cfg)
	zone, err := r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{
		Name: aws.String("corp.internal"), CallerReference: aws.String("vpcpath-test-private"),
		HostedZoneConfig: &r53types.HostedZoneConfig{PrivateZone: true, Comment: aws.String("private")},
		VPC:              &r53types.VPC{VPCId: vpc.Vpc.VpcId, VPCRegion: r53types.VPCRegion(region)},
	})
	must(err)
	x.privateZone = aws.ToString(zone.HostedZone.Id)
	_, err = r53.ChangeResourceRecordSets(ctx, &route53.ChangeResourceRecordSetsInput{
		HostedZoneId: zone.HostedZone.Id,
		ChangeBatch: &r53types.ChangeBatch{Changes: []r53types.Change{{
			Action: r53types.ChangeActionCreate,
			ResourceRecordSet: &r53types.ResourceRecordSet{
				Name: aws.String("db.corp.internal"), Type: r53types.RRTypeA, TTL: aws.Int64(60),
				ResourceRecords: []r53types.ResourceRecord{{Value: aws.String("10.20.1.10")}},
			},
		}}},
	})
	must(err)
	pub, err := r53.CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("example.com"), CallerReference: aws.String("vpcpath-test-public")})
	must(err)
	x.publicZone = aws.ToString(pub.HostedZone.Id)

	res := route53resolver.NewFromConfig(cfg)
	rule, err := res.CreateResolverRule(ctx, &route53resolver.CreateResolverRuleInput{
		CreatorRequestId: aws.String("vpcpath-test"), RuleType: resolvertypes.RuleTypeOptionSystem,
		DomainName: aws.String("corp.internal"), Name: aws.String("corp-system"),
	})
	must(err)
	x.resolverRule = aws.ToString(rule.ResolverRule.Id)
	_, err = res.AssociateResolverRule(ctx, &route53resolver.AssociateResolverRuleInput{ResolverRuleId: rule.ResolverRule.Id, VPCId: vpc.Vpc.VpcId})
	must(err)
	return x
}

// decodeFile decodes one collected file into v, failing the test if it is
// missing.
func decodeFile(t *testing.T, res *Result, name string, v any) {
	t.Helper()
	b, ok := res.File(name)
	if !ok {
		t.Fatalf("snapshot has no %s; it has %v", name, res.Files())
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func tagString(tags []ec2types.Tag) string {
	var s []string
	for _, t := range tags {
		s = append(s, aws.ToString(t.Key)+"="+aws.ToString(t.Value))
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

func sorted(s []string) []string { s = slices.Clone(s); sort.Strings(s); return s }

// Summaries: one comparable line per resource (or rule), with IDs passed
// through m so that the example's and moto's can be compared.

func subnetLines(subnets []ec2types.Subnet, vpc string, m func(string) string) []string {
	var out []string
	for _, s := range subnets {
		if m(aws.ToString(s.VpcId)) != vpc {
			continue
		}
		out = append(out, fmt.Sprintf("%s %s %s %s", m(aws.ToString(s.SubnetId)), aws.ToString(s.CidrBlock), aws.ToString(s.AvailabilityZone), tagString(s.Tags)))
	}
	return sorted(out)
}

func routeTableLines(tables []ec2types.RouteTable, vpc string, m func(string) string) []string {
	var out []string
	for _, t := range tables {
		if m(aws.ToString(t.VpcId)) != vpc {
			continue
		}
		id := m(aws.ToString(t.RouteTableId))
		out = append(out, id+" "+tagString(t.Tags))
		for _, a := range t.Associations {
			out = append(out, fmt.Sprintf("%s assoc main=%v subnet=%s", id, aws.ToBool(a.Main), m(aws.ToString(a.SubnetId))))
		}
		for _, r := range t.Routes {
			dest := aws.ToString(r.DestinationCidrBlock) + m(aws.ToString(r.DestinationPrefixListId))
			target := m(aws.ToString(r.GatewayId)) + m(aws.ToString(r.NatGatewayId)) + m(aws.ToString(r.TransitGatewayId)) +
				m(aws.ToString(r.VpcPeeringConnectionId)) + m(aws.ToString(r.NetworkInterfaceId))
			out = append(out, fmt.Sprintf("%s route %s -> %s %s", id, dest, target, r.State))
		}
	}
	return sorted(out)
}

func aclLines(acls []ec2types.NetworkAcl, vpc string, m func(string) string) []string {
	var out []string
	for _, a := range acls {
		if m(aws.ToString(a.VpcId)) != vpc {
			continue
		}
		id := m(aws.ToString(a.NetworkAclId))
		out = append(out, fmt.Sprintf("%s default=%v %s", id, aws.ToBool(a.IsDefault), tagString(a.Tags)))
		for _, s := range a.Associations {
			out = append(out, id+" assoc "+m(aws.ToString(s.SubnetId)))
		}
		for _, e := range a.Entries {
			ports := ""
			if e.PortRange != nil {
				ports = fmt.Sprintf("%d-%d", aws.ToInt32(e.PortRange.From), aws.ToInt32(e.PortRange.To))
			}
			out = append(out, fmt.Sprintf("%s egress=%v %d %s %s %s %s", id, aws.ToBool(e.Egress), aws.ToInt32(e.RuleNumber), e.RuleAction, aws.ToString(e.Protocol), aws.ToString(e.CidrBlock), ports))
		}
	}
	return sorted(out)
}

func permLines(prefix string, perms []ec2types.IpPermission, m func(string) string) []string {
	var out []string
	for _, p := range perms {
		ports := ""
		if aws.ToString(p.IpProtocol) != "-1" {
			ports = fmt.Sprintf("%d-%d", aws.ToInt32(p.FromPort), aws.ToInt32(p.ToPort))
		}
		head := fmt.Sprintf("%s %s %s", prefix, aws.ToString(p.IpProtocol), ports)
		for _, r := range p.IpRanges {
			out = append(out, head+" cidr "+aws.ToString(r.CidrIp))
		}
		for _, g := range p.UserIdGroupPairs {
			out = append(out, head+" group "+m(aws.ToString(g.GroupId)))
		}
		for _, pl := range p.PrefixListIds {
			out = append(out, head+" pl "+m(aws.ToString(pl.PrefixListId)))
		}
	}
	return out
}

func groupLines(groups []ec2types.SecurityGroup, vpc string, m func(string) string) []string {
	var out []string
	for _, g := range groups {
		if m(aws.ToString(g.VpcId)) != vpc {
			continue
		}
		id := m(aws.ToString(g.GroupId))
		out = append(out, fmt.Sprintf("%s %s", id, aws.ToString(g.GroupName)))
		out = append(out, permLines(id+" in", g.IpPermissions, m)...)
		out = append(out, permLines(id+" out", g.IpPermissionsEgress, m)...)
	}
	return sorted(out)
}

func instanceLines(res []ec2types.Reservation, vpc string, m func(string) string) []string {
	var out []string
	for _, r := range res {
		for _, i := range r.Instances {
			if m(aws.ToString(i.VpcId)) != vpc {
				continue
			}
			var groups []string
			for _, g := range i.SecurityGroups {
				groups = append(groups, m(aws.ToString(g.GroupId)))
			}
			out = append(out, fmt.Sprintf("%s %s %s %v %s %s", m(aws.ToString(i.InstanceId)), m(aws.ToString(i.SubnetId)),
				aws.ToString(i.PrivateIpAddress), sorted(groups), i.State.Name, tagString(i.Tags)))
		}
	}
	return sorted(out)
}

func endpointLines(eps []ec2types.VpcEndpoint, vpc string, m func(string) string) []string {
	var out []string
	for _, e := range eps {
		if m(aws.ToString(e.VpcId)) != vpc {
			continue
		}
		var subnets, groups, tables []string
		for _, s := range e.SubnetIds {
			subnets = append(subnets, m(s))
		}
		for _, g := range e.Groups {
			groups = append(groups, m(aws.ToString(g.GroupId)))
		}
		for _, r := range e.RouteTableIds {
			tables = append(tables, m(r))
		}
		dns := "" // moto says true for gateway endpoints
		if e.VpcEndpointType == ec2types.VpcEndpointTypeInterface {
			dns = fmt.Sprintf(" dns=%v", aws.ToBool(e.PrivateDnsEnabled))
		}
		out = append(out, fmt.Sprintf("%s %s %s%s subnets=%v groups=%v tables=%v interfaces=%d %s", m(aws.ToString(e.VpcEndpointId)), e.VpcEndpointType,
			aws.ToString(e.ServiceName), dns, sorted(subnets), sorted(groups), sorted(tables), len(e.NetworkInterfaceIds), tagString(e.Tags)))
	}
	return sorted(out)
}

// interfaceLines leaves out what moto gets wrong (see mototest.MotoGaps):
// the address of endpoint and NAT interfaces, the type and description.
func interfaceLines(enis []ec2types.NetworkInterface, vpc string, m func(string) string, nat map[string]bool) []string {
	var out []string
	for _, n := range enis {
		if m(aws.ToString(n.VpcId)) != vpc {
			continue
		}
		id := m(aws.ToString(n.NetworkInterfaceId))
		if nat[id] {
			out = append(out, fmt.Sprintf("%s %s (NAT)", id, m(aws.ToString(n.SubnetId))))
			continue
		}
		var groups []string
		for _, g := range n.Groups {
			groups = append(groups, m(aws.ToString(g.GroupId)))
		}
		ip := aws.ToString(n.PrivateIpAddress)
		if n.Attachment == nil || n.Attachment.InstanceId == nil {
			ip = "(endpoint)"
		}
		out = append(out, fmt.Sprintf("%s %s %s %v", id, m(aws.ToString(n.SubnetId)), ip, sorted(groups)))
	}
	return sorted(out)
}

func TestCollectMotoExample(t *testing.T) {
	t0 := time.Now()
	srv := mototest.Start(t)
	t.Logf("moto up after %s", time.Since(t0))
	ctx := context.Background()
	ex, err := mototest.LoadExample(exampleDir)
	if err != nil {
		t.Fatal(err)
	}
	acctCfg := srv.AccountConfig(region, exampleAccount)
	ids, err := mototest.Replay(ctx, acctCfg, ex)
	if err != nil {
		t.Fatal(err)
	}
	vpc := ids.Of(aws.ToString(ex.Vpcs[0].VpcId))
	x := addExtras(t, ctx, acctCfg, vpc)

	// The collector finds moto through AWS_ENDPOINT_URL alone, as a user
	// pointing it at an emulator would.
	t.Logf("example built after %s", time.Since(t0))
	srv.Setenv(t, region)
	// Direct Connect from the stand-in (moto has none): one gateway, so
	// that its associations are asked for too.
	dx := mototest.NewDirectConnect(t)
	dx.AddGateway(map[string]any{"directConnectGatewayId": dxGatewayID, "directConnectGatewayName": "corp", "amazonSideAsn": 64600, "directConnectGatewayState": "available"})
	t.Setenv("AWS_ENDPOINT_URL_DIRECT_CONNECT", dx.URL)
	var progress bytes.Buffer
	opts := Options{RoleARNs: []string{mototest.RoleARN(exampleAccount)}, Progress: &progress, ToolVersion: "v0.0.0-test"}
	var ops opRecorder
	ops.install(&opts)
	res, err := Collect(ctx, opts)
	if err != nil {
		t.Fatalf("Collect: %v\nprogress:\n%s", err, progress.String())
	}
	t.Logf("collected after %s (%d calls)", time.Since(t0), len(res.Manifest.Calls))

	t.Run("IAM policy", func(t *testing.T) {
		got := ops.actions(t)
		if !slices.Contains(got, "sts:AssumeRole") || !slices.Contains(got, "ec2:SearchTransitGatewayRoutes") {
			t.Errorf("recorder missed calls: %v", got)
		}
		// DescribeRegions is only called with AllRegions: TestCollectAllRegions.
		if unused := checkPolicy(t, got, true); !slices.Equal(unused, []string{"ec2:DescribeRegions"}) {
			t.Errorf("policy actions no call used: %v", unused)
		}
	})

	t.Run("manifest", func(t *testing.T) {
		m := res.Manifest
		var accts []string
		for _, a := range m.Accounts {
			accts = append(accts, a.AccountID+" "+a.RoleARN+" "+strings.Join(a.Regions, ","))
		}
		want := []string{
			exampleAccount + " " + mototest.RoleARN(exampleAccount) + " " + region,
			mototest.DefaultAccount + "  " + region,
		}
		if diff := cmp.Diff(sorted(want), sorted(accts)); diff != "" {
			t.Errorf("accounts (-want +got):\n%s", diff)
		}
		if !slices.Equal(m.Regions, []string{region}) || m.ToolVersion != "v0.0.0-test" || m.Tool != "vpcpath" || m.FormatVersion != 1 {
			t.Errorf("manifest header = %+v", m)
		}
		if time.Since(m.CollectedAt) > time.Minute || m.CollectedAt.Location() != time.UTC {
			t.Errorf("collected_at = %v", m.CollectedAt)
		}
		if len(m.Gaps) != 0 {
			t.Errorf("gaps = %+v", m.Gaps)
		}
		files := map[string]bool{}
		for _, c := range m.Calls {
			if !c.OK || c.Pages < 1 || c.Attempts < 1 || c.Error != "" {
				t.Errorf("call %+v", c)
			}
			if c.File != "" {
				if files[c.File] {
					t.Errorf("two calls for %s", c.File)
				}
				files[c.File] = true
				if _, ok := res.File(c.File); !ok {
					t.Errorf("call %s:%s names %s, which is not in the snapshot", c.Service, c.Operation, c.File)
				}
			}
		}
		for _, f := range res.Files() {
			if !files[f] {
				t.Errorf("file %s has no call in the manifest", f)
			}
		}
		if !strings.Contains(progress.String(), "collect: ["+exampleAccount+" "+region+"] ec2:DescribeVpcs ok, 1 page") {
			t.Errorf("progress lacks the DescribeVpcs line:\n%s", progress.String())
		}
	})

	dir := exampleAccount + "/" + region + "/"
	t.Run("files", func(t *testing.T) {
		var vpcs ec2.DescribeVpcsOutput
		decodeFile(t, res, dir+"ec2-describe-vpcs.json", &vpcs)
		var lists ec2.DescribeManagedPrefixListsOutput
		decodeFile(t, res, dir+"ec2-describe-managed-prefix-lists.json", &lists)
		var tables ec2.DescribeTransitGatewayRouteTablesOutput
		decodeFile(t, res, dir+"ec2-describe-transit-gateway-route-tables.json", &tables)
		want := []string{}
		for _, n := range []string{
			"ec2-describe-vpcs", "ec2-describe-availability-zones", "ec2-describe-subnets", "ec2-describe-route-tables", "ec2-describe-security-groups",
			"ec2-describe-network-acls", "ec2-describe-network-interfaces", "ec2-describe-instances", "ec2-describe-vpc-endpoints",
			"ec2-describe-vpc-endpoint-services", "ec2-describe-nat-gateways", "ec2-describe-internet-gateways", "ec2-describe-dhcp-options",
			"ec2-describe-managed-prefix-lists", "ec2-describe-prefix-lists", "ec2-describe-vpc-peering-connections",
			"ec2-describe-transit-gateways", "ec2-describe-transit-gateway-attachments", "ec2-describe-transit-gateway-vpc-attachments",
			"ec2-describe-transit-gateway-route-tables", "route53resolver-list-resolver-rules",
			"route53resolver-list-resolver-rule-associations", "route53-list-hosted-zones",
			"ec2-describe-transit-gateway-peering-attachments", "ec2-describe-vpn-gateways", "ec2-describe-vpn-connections",
			"ec2-describe-customer-gateways", "directconnect-describe-virtual-interfaces", "directconnect-describe-direct-connect-gateways",
		} {
			want = append(want, dir+n+".json")
		}
		for _, v := range vpcs.Vpcs {
			want = append(want, dir+"ec2-describe-vpc-attribute-"+aws.ToString(v.VpcId)+"-enable-dns-support.json",
				dir+"ec2-describe-vpc-attribute-"+aws.ToString(v.VpcId)+"-enable-dns-hostnames.json")
		}
		for _, l := range lists.PrefixLists {
			want = append(want, dir+"ec2-get-managed-prefix-list-entries-"+aws.ToString(l.PrefixListId)+".json")
		}
		for _, r := range tables.TransitGatewayRouteTables {
			for _, call := range []string{"search-transit-gateway-routes", "get-transit-gateway-route-table-associations", "get-transit-gateway-route-table-propagations"} {
				want = append(want, dir+"ec2-"+call+"-"+aws.ToString(r.TransitGatewayRouteTableId)+".json")
			}
		}
		z := strings.TrimPrefix(x.privateZone, "/hostedzone/")
		want = append(want, dir+"route53-get-hosted-zone-"+z+".json", dir+"route53-list-resource-record-sets-"+z+".json",
			dir+"directconnect-describe-direct-connect-gateway-associations-"+dxGatewayID+".json")
		var got []string
		for _, f := range res.Files() {
			if strings.HasPrefix(f, exampleAccount+"/") {
				got = append(got, f)
			}
		}
		if diff := cmp.Diff(sorted(want), got); diff != "" {
			t.Errorf("files of account %s (-want +got):\n%s", exampleAccount, diff)
		}
		if len(vpcs.Vpcs) != 3 { // the example's, the extras', and moto's default VPC
			t.Errorf("%d VPCs, want 3", len(vpcs.Vpcs))
		}
		// The other account holds just its default VPC, and no Route 53
		// zones of the first.
		var other ec2.DescribeVpcsOutput
		decodeFile(t, res, mototest.DefaultAccount+"/"+region+"/ec2-describe-vpcs.json", &other)
		if len(other.Vpcs) != 1 || !aws.ToBool(other.Vpcs[0].IsDefault) {
			t.Errorf("account %s VPCs = %+v", mototest.DefaultAccount, other.Vpcs)
		}
		var zones route53.ListHostedZonesOutput
		decodeFile(t, res, mototest.DefaultAccount+"/"+region+"/route53-list-hosted-zones.json", &zones)
		if len(zones.HostedZones) != 0 {
			t.Errorf("account %s zones = %+v", mototest.DefaultAccount, zones.HostedZones)
		}
	})

	t.Run("example network", func(t *testing.T) {
		m := ids.Of
		same := func(s string) string { return s }
		check := func(kind string, want, got []string) {
			t.Helper()
			if len(want) == 0 {
				t.Errorf("%s: the example has none", kind)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s (-example +collected):\n%s", kind, diff)
			}
		}
		var subnets ec2.DescribeSubnetsOutput
		decodeFile(t, res, dir+"ec2-describe-subnets.json", &subnets)
		check("subnets", subnetLines(ex.Subnets, vpc, m), subnetLines(subnets.Subnets, vpc, same))
		var tables ec2.DescribeRouteTablesOutput
		decodeFile(t, res, dir+"ec2-describe-route-tables.json", &tables)
		check("route tables", routeTableLines(ex.RouteTables, vpc, m), routeTableLines(tables.RouteTables, vpc, same))
		var acls ec2.DescribeNetworkAclsOutput
		decodeFile(t, res, dir+"ec2-describe-network-acls.json", &acls)
		check("network ACLs", aclLines(ex.NetworkAcls, vpc, m), aclLines(acls.NetworkAcls, vpc, same))
		var groups ec2.DescribeSecurityGroupsOutput
		decodeFile(t, res, dir+"ec2-describe-security-groups.json", &groups)
		check("security groups", groupLines(ex.SecurityGroups, vpc, m), groupLines(groups.SecurityGroups, vpc, same))
		var inst ec2.DescribeInstancesOutput
		decodeFile(t, res, dir+"ec2-describe-instances.json", &inst)
		check("instances", instanceLines(ex.Reservations, vpc, m), instanceLines(inst.Reservations, vpc, same))
		var eps ec2.DescribeVpcEndpointsOutput
		decodeFile(t, res, dir+"ec2-describe-vpc-endpoints.json", &eps)
		check("VPC endpoints", endpointLines(ex.VpcEndpoints, vpc, m), endpointLines(eps.VpcEndpoints, vpc, same))
		nat := map[string]bool{}
		for _, n := range ex.NatGateways {
			for _, a := range n.NatGatewayAddresses {
				nat[m(aws.ToString(a.NetworkInterfaceId))] = true
			}
		}
		var enis ec2.DescribeNetworkInterfacesOutput
		decodeFile(t, res, dir+"ec2-describe-network-interfaces.json", &enis)
		check("network interfaces", interfaceLines(ex.NetworkInterfaces, vpc, m, nat), interfaceLines(enis.NetworkInterfaces, vpc, same, nat))

		var nats ec2.DescribeNatGatewaysOutput
		decodeFile(t, res, dir+"ec2-describe-nat-gateways.json", &nats)
		natLine := func(ns []ec2types.NatGateway, m func(string) string) []string {
			var out []string
			for _, n := range ns {
				out = append(out, fmt.Sprintf("%s %s %s %s %s", m(aws.ToString(n.NatGatewayId)), m(aws.ToString(n.SubnetId)), n.State, n.ConnectivityType, tagString(n.Tags)))
			}
			return out
		}
		check("NAT gateways", natLine(ex.NatGateways, m), natLine(nats.NatGateways, same))
		var igws ec2.DescribeInternetGatewaysOutput
		decodeFile(t, res, dir+"ec2-describe-internet-gateways.json", &igws)
		igwLine := func(gs []ec2types.InternetGateway, m func(string) string) []string {
			var out []string
			for _, g := range gs {
				for _, a := range g.Attachments {
					if m(aws.ToString(a.VpcId)) == vpc {
						out = append(out, fmt.Sprintf("%s %s %s", m(aws.ToString(g.InternetGatewayId)), a.State, tagString(g.Tags)))
					}
				}
			}
			return out
		}
		check("internet gateways", igwLine(ex.InternetGateways, m), igwLine(igws.InternetGateways, same))

		for _, attr := range []string{"enable-dns-support", "enable-dns-hostnames"} {
			var a ec2.DescribeVpcAttributeOutput
			decodeFile(t, res, dir+"ec2-describe-vpc-attribute-"+vpc+"-"+attr+".json", &a)
			v := a.EnableDnsSupport
			if attr == "enable-dns-hostnames" {
				v = a.EnableDnsHostnames
			}
			if aws.ToString(a.VpcId) != vpc || v == nil || !aws.ToBool(v.Value) {
				t.Errorf("%s of %s = %+v", attr, vpc, a)
			}
		}

		// Moto gives no Cidrs in DescribePrefixLists; the entries come
		// from GetManagedPrefixListEntries.
		var azs ec2.DescribeAvailabilityZonesOutput
		decodeFile(t, res, dir+"ec2-describe-availability-zones.json", &azs)
		if len(azs.AvailabilityZones) == 0 || aws.ToString(azs.AvailabilityZones[0].ZoneId) == "" {
			t.Errorf("availability zones = %+v", azs.AvailabilityZones)
		}
		var pls ec2.DescribePrefixListsOutput
		decodeFile(t, res, dir+"ec2-describe-prefix-lists.json", &pls)
		s3 := ""
		for _, p := range pls.PrefixLists {
			if aws.ToString(p.PrefixListName) == "com.amazonaws.us-east-1.s3" {
				s3 = aws.ToString(p.PrefixListId)
			}
		}
		if s3 == "" || s3 != m(aws.ToString(ex.PrefixLists[0].PrefixListId)) {
			t.Errorf("S3 prefix list %q not found in ec2-describe-prefix-lists.json", s3)
		}
		var entries struct {
			PrefixListId string
			Entries      []ec2types.PrefixListEntry
		}
		decodeFile(t, res, dir+"ec2-get-managed-prefix-list-entries-"+s3+".json", &entries)
		if entries.PrefixListId != s3 || len(entries.Entries) == 0 {
			t.Errorf("S3 prefix list entries = %+v", entries)
		}
		var svcs ec2.DescribeVpcEndpointServicesOutput
		decodeFile(t, res, dir+"ec2-describe-vpc-endpoint-services.json", &svcs)
		stsDNS := ""
		for _, d := range svcs.ServiceDetails {
			if aws.ToString(d.ServiceName) == "com.amazonaws.us-east-1.sts" {
				stsDNS = aws.ToString(d.PrivateDnsName)
			}
		}
		if stsDNS != "sts.us-east-1.amazonaws.com" || !slices.Contains(svcs.ServiceNames, "com.amazonaws.us-east-1.sts") {
			t.Errorf("endpoint services: sts private DNS name %q, %d names", stsDNS, len(svcs.ServiceNames))
		}
	})

	t.Run("extras", func(t *testing.T) {
		var entries struct {
			PrefixListId string
			Entries      []ec2types.PrefixListEntry
		}
		decodeFile(t, res, dir+"ec2-get-managed-prefix-list-entries-"+x.prefixList+".json", &entries)
		var cidrs []string
		for _, e := range entries.Entries {
			cidrs = append(cidrs, aws.ToString(e.Cidr))
		}
		if entries.PrefixListId != x.prefixList || !slices.Equal(sorted(cidrs), []string{"192.168.10.0/24", "192.168.20.0/24"}) {
			t.Errorf("prefix list entries = %+v", entries)
		}
		var routes struct {
			TransitGatewayRouteTableId string
			Routes                     []ec2types.TransitGatewayRoute
		}
		decodeFile(t, res, dir+"ec2-search-transit-gateway-routes-"+x.tgwRouteTable+".json", &routes)
		var rl []string
		for _, r := range routes.Routes {
			// Moto leaves TransitGatewayAttachments empty.
			rl = append(rl, fmt.Sprintf("%s %s %s", aws.ToString(r.DestinationCidrBlock), r.State, r.Type))
		}
		if diff := cmp.Diff([]string{"10.98.0.0/16 blackhole static", "10.99.0.0/16 active static"}, sorted(rl)); routes.TransitGatewayRouteTableId != x.tgwRouteTable || diff != "" {
			t.Errorf("transit gateway routes of %s (-want +got):\n%s", routes.TransitGatewayRouteTableId, diff)
		}
		var tgws ec2.DescribeTransitGatewaysOutput
		decodeFile(t, res, dir+"ec2-describe-transit-gateways.json", &tgws)
		var vatt ec2.DescribeTransitGatewayVpcAttachmentsOutput
		decodeFile(t, res, dir+"ec2-describe-transit-gateway-vpc-attachments.json", &vatt)
		var atts ec2.DescribeTransitGatewayAttachmentsOutput
		decodeFile(t, res, dir+"ec2-describe-transit-gateway-attachments.json", &atts)
		if len(tgws.TransitGateways) != 1 || len(vatt.TransitGatewayVpcAttachments) != 1 || len(atts.TransitGatewayAttachments) != 1 ||
			aws.ToString(vatt.TransitGatewayVpcAttachments[0].VpcId) != x.vpc {
			t.Errorf("transit gateway: %d gateways, %d VPC attachments, %d attachments", len(tgws.TransitGateways), len(vatt.TransitGatewayVpcAttachments), len(atts.TransitGatewayAttachments))
		}
		var pcx ec2.DescribeVpcPeeringConnectionsOutput
		decodeFile(t, res, dir+"ec2-describe-vpc-peering-connections.json", &pcx)
		if len(pcx.VpcPeeringConnections) != 1 || aws.ToString(pcx.VpcPeeringConnections[0].VpcPeeringConnectionId) != x.peering {
			t.Errorf("peering = %+v", pcx.VpcPeeringConnections)
		}

		z := strings.TrimPrefix(x.privateZone, "/hostedzone/")
		var zones route53.ListHostedZonesOutput
		decodeFile(t, res, dir+"route53-list-hosted-zones.json", &zones)
		if len(zones.HostedZones) != 1 || aws.ToString(zones.HostedZones[0].Id) != x.privateZone {
			t.Errorf("hosted zones (the private one only) = %+v", zones.HostedZones)
		}
		var zone route53.GetHostedZoneOutput
		decodeFile(t, res, dir+"route53-get-hosted-zone-"+z+".json", &zone)
		if zone.HostedZone == nil || aws.ToString(zone.HostedZone.Name) != "corp.internal." || len(zone.VPCs) != 1 || aws.ToString(zone.VPCs[0].VPCId) != x.vpc {
			t.Errorf("hosted zone = %+v", zone)
		}
		var sets struct {
			HostedZoneId       string
			ResourceRecordSets []r53types.ResourceRecordSet
		}
		decodeFile(t, res, dir+"route53-list-resource-record-sets-"+z+".json", &sets)
		found := false
		for _, s := range sets.ResourceRecordSets {
			if aws.ToString(s.Name) == "db.corp.internal." && s.Type == r53types.RRTypeA && aws.ToString(s.ResourceRecords[0].Value) == "10.20.1.10" {
				found = true
			}
		}
		if sets.HostedZoneId != x.privateZone || !found {
			t.Errorf("record sets = %+v", sets)
		}
		var rules route53resolver.ListResolverRulesOutput
		decodeFile(t, res, dir+"route53resolver-list-resolver-rules.json", &rules)
		var assoc route53resolver.ListResolverRuleAssociationsOutput
		decodeFile(t, res, dir+"route53resolver-list-resolver-rule-associations.json", &assoc)
		ruleFound := false
		for _, r := range rules.ResolverRules {
			ruleFound = ruleFound || aws.ToString(r.Id) == x.resolverRule
		}
		if !ruleFound || len(assoc.ResolverRuleAssociations) != 1 || aws.ToString(assoc.ResolverRuleAssociations[0].VPCId) != x.vpc {
			t.Errorf("resolver rules = %+v, associations = %+v", rules.ResolverRules, assoc.ResolverRuleAssociations)
		}
	})

	t.Run("CLI shape", func(t *testing.T) {
		// Absent members are left out, not written as null, and the
		// top-level key is the CLI's.
		b, _ := res.File(dir + "ec2-describe-instances.json")
		if bytes.Contains(b, []byte("null")) {
			t.Errorf("ec2-describe-instances.json holds a null")
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(b, &top); err != nil || len(top) != 1 || top["Reservations"] == nil {
			t.Errorf("ec2-describe-instances.json top level = %v (%v)", keys(top), err)
		}
		if !bytes.HasPrefix(b, []byte("{\n    \"Reservations\": [")) {
			t.Errorf("not indented as the CLI does: %.40q", b)
		}
	})

	t.Run("write", func(t *testing.T) {
		out := t.TempDir() + "/snap"
		if err := res.WriteDir(out); err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Files() {
			want, _ := res.File(f)
			got, err := os.ReadFile(path.Join(out, f))
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s on disk differs (%v)", f, err)
			}
		}
		var m Manifest
		b, err := os.ReadFile(path.Join(out, ManifestFile))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &m); err != nil || len(m.Calls) != len(res.Manifest.Calls) {
			t.Errorf("manifest on disk: %v, %d calls", err, len(m.Calls))
		}
	})
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// The per-service variables win over AWS_ENDPOINT_URL, which here points at
// a closed loopback port: the collection succeeds only if every service
// honours its own variable.
func TestCollectMotoServiceEndpointVariables(t *testing.T) {
	srv := mototest.Start(t)
	srv.Setenv(t, region)
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
	for _, v := range []string{"AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_ROUTE_53", "AWS_ENDPOINT_URL_ROUTE53RESOLVER"} {
		t.Setenv(v, srv.URL)
	}
	res, err := Collect(context.Background(), Options{MaxAttempts: 1})
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	if len(res.Manifest.Accounts) != 1 || res.Manifest.Accounts[0].AccountID != mototest.DefaultAccount {
		t.Errorf("accounts = %+v", res.Manifest.Accounts)
	}

	// And without the Route 53 one, its calls go to the closed port and
	// the collection fails naming the call.
	t.Setenv("AWS_ENDPOINT_URL_ROUTE_53", "")
	_, err = Collect(context.Background(), Options{MaxAttempts: 1})
	var ce *CallError
	if !errors.As(err, &ce) || ce.Operation != "ListHostedZones" || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("err = %v, want route53:ListHostedZones failing on the closed port", err)
	}
}
