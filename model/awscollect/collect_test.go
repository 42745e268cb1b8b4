package awscollect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/route53resolver"
	"github.com/google/go-cmp/cmp"
)

func collectFake(t *testing.T, f *fakeAWS, opts Options) (*Result, string, error) {
	t.Helper()
	f.setenv(t)
	var progress bytes.Buffer
	opts.Progress = &progress
	if opts.CallTimeout == 0 {
		opts.CallTimeout = 10 * time.Second
	}
	quickRetries(&opts)
	res, err := Collect(context.Background(), opts)
	return res, progress.String(), err
}

func mustCollectFake(t *testing.T, f *fakeAWS, opts Options) (*Result, string) {
	t.Helper()
	res, progress, err := collectFake(t, f, opts)
	if err != nil {
		t.Fatalf("Collect: %v\nprogress:\n%s", err, progress)
	}
	return res, progress
}

const fakeDir = fakeAcc + "/us-east-1/"

func vpcItem(id string) string {
	return `<item>
            <vpcId>` + id + `</vpcId>
            <ownerId>` + fakeAcc + `</ownerId>
            <state>available</state>
            <cidrBlock>10.0.0.0/16</cidrBlock>
            <cidrBlockAssociationSet>
                <item>
                    <cidrBlock>10.0.0.0/16</cidrBlock>
                    <associationId>vpc-cidr-assoc-` + id + `</associationId>
                    <cidrBlockState><state>associated</state></cidrBlockState>
                </item>
            </cidrBlockAssociationSet>
            <dhcpOptionsId>dopt-19edf471</dhcpOptionsId>
            <tagSet/>
            <instanceTenancy>default</instanceTenancy>
            <isDefault>false</isDefault>
        </item>`
}

// pages answers a paginated EC2 call from a token -> (items, next token)
// table, failing the test on an unknown token.
func ec2Pages(t *testing.T, action, set string, pages map[string][2]string) fakeHandler {
	return func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		if n > 20 {
			t.Errorf("%s asked for page %d: a paging loop", action, n)
			ec2Error(w, 400, "InvalidParameterValue", "too many pages")
			return
		}
		page, ok := pages[p.Get("NextToken")]
		if !ok {
			t.Errorf("%s asked for unknown token %q", action, p.Get("NextToken"))
			ec2Error(w, 400, "InvalidParameterValue", "bad token")
			return
		}
		next := ""
		if page[1] != "" {
			next = "<nextToken>" + page[1] + "</nextToken>"
		}
		ec2XML(w, action, "<"+set+">"+page[0]+"</"+set+">"+next)
	}
}

func TestCollectMergesPages(t *testing.T) {
	f := newFakeAWS(t)
	f.handle("ec2:DescribeVpcs", ec2Pages(t, "DescribeVpcs", "vpcSet", map[string][2]string{
		"":      {vpcItem("vpc-1") + vpcItem("vpc-2"), "tok-2"},
		"tok-2": {vpcItem("vpc-3"), "tok-3"},
		"tok-3": {vpcItem("vpc-4"), ""},
	}))
	f.handle("ec2:DescribeVpcAttribute", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		attr := p.Get("Attribute")
		ec2XML(w, "DescribeVpcAttribute", "<vpcId>"+p.Get("VpcId")+"</vpcId><"+attr+"><value>true</value></"+attr+">")
	})
	f.handle("ec2:DescribeVpcEndpointServices", ec2Pages(t, "DescribeVpcEndpointServices", "serviceNameSet", map[string][2]string{
		"": {"<item>com.amazonaws.us-east-1.s3</item><item>com.amazonaws.us-east-1.sts</item></serviceNameSet>" +
			"<serviceDetailSet><item><serviceName>com.amazonaws.us-east-1.sts</serviceName><serviceId>vpce-svc-1</serviceId>" +
			"<serviceType><item><serviceType>Interface</serviceType></item></serviceType><privateDnsName>sts.us-east-1.amazonaws.com</privateDnsName></item></serviceDetailSet><serviceNameSet>", "svc-2"},
		"svc-2": {"<item>com.amazonaws.us-east-1.kinesis-streams</item>", ""},
	}))
	f.handle("route53:ListHostedZones", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		zone := func(id, name string, private bool) string {
			return fmt.Sprintf(`<HostedZone><Id>/hostedzone/%s</Id><Name>%s</Name><CallerReference>ref-%s</CallerReference><Config><Comment>c</Comment><PrivateZone>%v</PrivateZone></Config><ResourceRecordSetCount>3</ResourceRecordSetCount></HostedZone>`, id, name, id, private)
		}
		switch p.Get("marker") {
		case "":
			r53XML(w, "ListHostedZones", "<HostedZones>"+zone("Z1PRIV", "corp.internal.", true)+zone("Z2PUB", "example.com.", false)+
				"</HostedZones><IsTruncated>true</IsTruncated><NextMarker>Z3PRIV</NextMarker><MaxItems>2</MaxItems>")
		case "Z3PRIV":
			r53XML(w, "ListHostedZones", "<HostedZones>"+zone("Z3PRIV", "db.internal.", true)+
				"</HostedZones><Marker>Z3PRIV</Marker><IsTruncated>false</IsTruncated><MaxItems>2</MaxItems>")
		default:
			t.Errorf("ListHostedZones marker %q", p.Get("marker"))
			r53Error(w, 400, "InvalidInput", "bad marker")
		}
	})
	f.handle("route53:GetHostedZone", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		id := p.Get("Id")
		r53XML(w, "GetHostedZone", `<HostedZone><Id>/hostedzone/`+id+`</Id><Name>z.</Name><CallerReference>r</CallerReference><Config><PrivateZone>true</PrivateZone></Config></HostedZone>`+
			`<VPCs><VPC><VPCRegion>us-east-1</VPCRegion><VPCId>vpc-1</VPCId></VPC></VPCs>`)
	})
	f.handle("route53:ListResourceRecordSets", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		rr := func(name, ip string) string {
			return `<ResourceRecordSet><Name>` + name + `</Name><Type>A</Type><TTL>300</TTL><ResourceRecords><ResourceRecord><Value>` + ip + `</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>`
		}
		if p.Get("Id") != "Z1PRIV" {
			r53XML(w, "ListResourceRecordSets", "<ResourceRecordSets></ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems>")
			return
		}
		switch p.Get("name") + "/" + p.Get("type") {
		case "/":
			r53XML(w, "ListResourceRecordSets", "<ResourceRecordSets>"+rr("a.corp.internal.", "10.0.0.1")+"</ResourceRecordSets><IsTruncated>true</IsTruncated><MaxItems>1</MaxItems>"+
				"<NextRecordName>b.corp.internal.</NextRecordName><NextRecordType>A</NextRecordType>")
		case "b.corp.internal./A":
			r53XML(w, "ListResourceRecordSets", "<ResourceRecordSets>"+rr("b.corp.internal.", "10.0.0.2")+"</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>1</MaxItems>")
		default:
			t.Errorf("ListResourceRecordSets from %q", p.Get("name")+"/"+p.Get("type"))
			r53Error(w, 400, "InvalidInput", "bad start")
		}
	})
	f.handle("route53resolver:ListResolverRules", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		rule := func(id string) string {
			return `{"Id":"` + id + `","DomainName":"corp.internal.","RuleType":"FORWARD","Status":"COMPLETE","TargetIps":[{"Ip":"10.1.0.2","Port":53}]}`
		}
		switch p.Get("NextToken") {
		case "":
			resolverJSON(w, `{"MaxResults":1,"NextToken":"rr-2","ResolverRules":[`+rule("rslvr-rr-1")+`]}`)
		case "rr-2":
			resolverJSON(w, `{"MaxResults":1,"ResolverRules":[`+rule("rslvr-rr-2")+`]}`)
		default:
			t.Errorf("ListResolverRules token %q", p.Get("NextToken"))
			resolverError(w, 400, "InvalidNextTokenException", "bad token")
		}
	})

	res, _ := mustCollectFake(t, f, Options{})

	var vpcs ec2.DescribeVpcsOutput
	decodeFile(t, res, fakeDir+"ec2-describe-vpcs.json", &vpcs)
	var ids []string
	for _, v := range vpcs.Vpcs {
		ids = append(ids, aws.ToString(v.VpcId))
	}
	if diff := cmp.Diff([]string{"vpc-1", "vpc-2", "vpc-3", "vpc-4"}, ids); diff != "" {
		t.Errorf("VPCs merged from 3 pages (-want +got):\n%s", diff)
	}
	if vpcs.Vpcs[2].CidrBlockAssociationSet[0].CidrBlockState.State != ec2types.VpcCidrBlockStateCodeAssociated {
		t.Errorf("nested members lost: %+v", vpcs.Vpcs[2])
	}
	for _, id := range ids {
		var a ec2.DescribeVpcAttributeOutput
		decodeFile(t, res, fakeDir+"ec2-describe-vpc-attribute-"+id+"-enable-dns-hostnames.json", &a)
		if aws.ToString(a.VpcId) != id || a.EnableDnsHostnames == nil || !aws.ToBool(a.EnableDnsHostnames.Value) {
			t.Errorf("DNS hostnames attribute of %s = %+v", id, a)
		}
	}
	var svcs ec2.DescribeVpcEndpointServicesOutput
	decodeFile(t, res, fakeDir+"ec2-describe-vpc-endpoint-services.json", &svcs)
	if diff := cmp.Diff([]string{"com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.sts", "com.amazonaws.us-east-1.kinesis-streams"}, svcs.ServiceNames); diff != "" ||
		len(svcs.ServiceDetails) != 1 || aws.ToString(svcs.ServiceDetails[0].PrivateDnsName) != "sts.us-east-1.amazonaws.com" {
		t.Errorf("endpoint services merged from 2 pages (-want +got):\n%s\ndetails %+v", diff, svcs.ServiceDetails)
	}
	var zones route53.ListHostedZonesOutput
	decodeFile(t, res, fakeDir+"route53-list-hosted-zones.json", &zones)
	var zoneIDs []string
	for _, z := range zones.HostedZones {
		zoneIDs = append(zoneIDs, aws.ToString(z.Id))
	}
	if diff := cmp.Diff([]string{"/hostedzone/Z1PRIV", "/hostedzone/Z3PRIV"}, zoneIDs); diff != "" {
		t.Errorf("private zones from 2 pages (-want +got):\n%s", diff)
	}
	var sets struct {
		HostedZoneId       string
		ResourceRecordSets []struct{ Name string }
	}
	decodeFile(t, res, fakeDir+"route53-list-resource-record-sets-Z1PRIV.json", &sets)
	if sets.HostedZoneId != "/hostedzone/Z1PRIV" || len(sets.ResourceRecordSets) != 2 || sets.ResourceRecordSets[1].Name != "b.corp.internal." {
		t.Errorf("record sets merged from 2 pages = %+v", sets)
	}
	var rules route53resolver.ListResolverRulesOutput
	decodeFile(t, res, fakeDir+"route53resolver-list-resolver-rules.json", &rules)
	if len(rules.ResolverRules) != 2 || aws.ToString(rules.ResolverRules[1].Id) != "rslvr-rr-2" {
		t.Errorf("resolver rules merged from 2 pages = %+v", rules.ResolverRules)
	}
	for _, c := range res.Manifest.Calls {
		want := map[string]int{"DescribeVpcs": 3, "DescribeVpcEndpointServices": 2, "ListHostedZones": 2, "ListResolverRules": 2}[c.Operation]
		if c.Operation == "ListResourceRecordSets" && strings.HasSuffix(c.File, "Z1PRIV.json") {
			want = 2
		}
		if want == 0 {
			want = 1
		}
		if c.Pages != want || c.Attempts != want {
			t.Errorf("%s:%s %s: %d pages, %d attempts; want %d", c.Service, c.Operation, c.File, c.Pages, c.Attempts, want)
		}
	}
	if got := f.count("ec2:DescribeVpcs"); got != 3 {
		t.Errorf("DescribeVpcs requests = %d, want 3", got)
	}
}

func TestCollectRepeatedTokenFails(t *testing.T) {
	for _, tc := range []struct{ name, op, action, set string }{
		{"SDK paginator", "ec2:DescribeSubnets", "DescribeSubnets", "subnetSet"},
		{"own paging loop", "ec2:DescribeVpcEndpointServices", "DescribeVpcEndpointServices", "serviceNameSet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAWS(t)
			// a -> b -> a: a cycle, which the SDK's paginators do not catch.
			f.handle(tc.op, ec2Pages(t, tc.action, tc.set, map[string][2]string{"": {"", "a"}, "a": {"", "b"}, "b": {"", "a"}}))
			_, _, err := collectFake(t, f, Options{})
			var ce *CallError
			if !errors.As(err, &ce) || ce.Operation != tc.action || !errors.Is(err, errRepeatedToken) {
				t.Fatalf("err = %v, want a CallError for %s about a repeated token", err, tc.action)
			}
		})
	}
}

func TestCollectRetriesThrottling(t *testing.T) {
	f := newFakeAWS(t)
	f.handle("ec2:DescribeVpcs", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		if n == 1 {
			ec2Error(w, http.StatusServiceUnavailable, "RequestLimitExceeded", "Request limit exceeded.")
			return
		}
		ec2XML(w, "DescribeVpcs", "<vpcSet>"+vpcItem("vpc-1")+"</vpcSet>")
	})
	start := time.Now()
	// After a throttle the adaptive retry mode slows the region's EC2
	// client down (to half a request a second at first, then speeding up):
	// this test takes seconds for that reason.
	res, progress := mustCollectFake(t, f, Options{})
	t.Logf("collected in %s after a throttle", time.Since(start))
	var vpcs ec2.DescribeVpcsOutput
	decodeFile(t, res, fakeDir+"ec2-describe-vpcs.json", &vpcs)
	if len(vpcs.Vpcs) != 1 {
		t.Errorf("VPCs = %+v", vpcs.Vpcs)
	}
	if got := f.count("ec2:DescribeVpcs"); got != 2 {
		t.Errorf("DescribeVpcs requests = %d, want 2", got)
	}
	for _, c := range res.Manifest.Calls {
		if c.Operation == "DescribeVpcs" && (c.Attempts != 2 || c.Pages != 1 || !c.OK) {
			t.Errorf("manifest call %+v, want ok with 2 attempts", c)
		}
	}
	if len(res.Manifest.Gaps) != 0 || strings.Contains(progress, "warning") {
		t.Errorf("a throttle that passed left gaps %+v or warnings:\n%s", res.Manifest.Gaps, progress)
	}
}

// failing runs a collection in which op always gets h, and returns the
// CallError, checking that it names op.
func failing(t *testing.T, op string, opts Options, h fakeHandler) (*CallError, *fakeAWS) {
	t.Helper()
	f := newFakeAWS(t)
	f.handle(op, h)
	res, progress, err := collectFake(t, f, opts)
	if res != nil {
		t.Errorf("Collect returned a result with a failed call")
	}
	var ce *CallError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v (%T), want a *CallError\nprogress:\n%s", err, err, progress)
	}
	if name := ce.Service + ":" + ce.Operation; name != op {
		t.Errorf("error names %s, want %s: %v", name, op, err)
	}
	if !strings.Contains(err.Error(), op) {
		t.Errorf("error text does not name %s: %v", op, err)
	}
	return ce, f
}

func TestCollectFailsOnServerError(t *testing.T) {
	ce, f := failing(t, "ec2:DescribeNatGateways", Options{MaxAttempts: 3}, func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		ec2Error(w, http.StatusInternalServerError, "InternalError", "An internal error has occurred")
	})
	if got := f.count("ec2:DescribeNatGateways"); got != 3 {
		t.Errorf("requests = %d, want 3 (retried up to MaxAttempts)", got)
	}
	for _, want := range []string{"account " + fakeAcc + ", region us-east-1", "StatusCode: 500", "InternalError", "maximum number of attempts, 3"} {
		if !strings.Contains(ce.Error(), want) {
			t.Errorf("error lacks %q: %v", want, ce)
		}
	}
}

func TestCollectCallTimeout(t *testing.T) {
	released := make(chan struct{})
	defer close(released)
	start := time.Now()
	ce, _ := failing(t, "ec2:DescribeSecurityGroups", Options{CallTimeout: 300 * time.Millisecond}, func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		select { // hang until the client gives up
		case <-r.Context().Done():
		case <-released:
		}
	})
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("timed-out collection took %s", elapsed)
	}
	if !strings.Contains(ce.Detail, "call timeout of 300ms") || !errors.Is(ce, context.DeadlineExceeded) {
		t.Errorf("error = %v, want the call timeout", ce)
	}
}

func TestCollectFailsOnMalformedXML(t *testing.T) {
	ce, f := failing(t, "ec2:DescribeSubnets", Options{}, func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<DescribeSubnetsResponse xmlns="%s"><requestId>x</requestId><subnetSet><item><subnetId>subnet-1</subnetId><cidrBlock>10.0.0`, ec2NS)
	})
	if !strings.Contains(ce.Detail, "could not be decoded") {
		t.Errorf("error = %v, want a decoding failure", ce)
	}
	if got := f.count("ec2:DescribeSubnets"); got != 1 {
		t.Errorf("requests = %d: a malformed answer is not retried", got)
	}
}

func TestCollectAccessDeniedIsAGap(t *testing.T) {
	f := newFakeAWS(t)
	f.handle("ec2:DescribeNatGateways", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		ec2Error(w, http.StatusForbidden, "UnauthorizedOperation", "You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/reader is not authorized to perform: ec2:DescribeNatGateways because no identity-based policy allows the ec2:DescribeNatGateways action")
	})
	f.handle("ec2:DescribeManagedPrefixLists", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		ec2Error(w, http.StatusForbidden, "UnauthorizedOperation", "You are not authorized to perform this operation.")
	})
	f.handle("route53:ListHostedZones", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		r53Error(w, http.StatusForbidden, "AccessDenied", "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: route53:ListHostedZones")
	})
	f.handle("route53resolver:ListResolverRuleAssociations", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		resolverError(w, http.StatusBadRequest, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: route53resolver:ListResolverRuleAssociations")
	})
	res, progress := mustCollectFake(t, f, Options{})

	var got []string
	for _, g := range res.Manifest.Gaps {
		got = append(got, fmt.Sprintf("%s %s %s %s %s", g.IAMAction, g.Reason, g.ErrorCode, g.File, g.Account))
		if !strings.Contains(g.Error, "not authorized") {
			t.Errorf("gap error %q lacks the service's message", g.Error)
		}
	}
	want := []string{
		"ec2:DescribeManagedPrefixLists access_denied UnauthorizedOperation " + fakeDir + "ec2-describe-managed-prefix-lists.json " + fakeAcc,
		"ec2:DescribeNatGateways access_denied UnauthorizedOperation " + fakeDir + "ec2-describe-nat-gateways.json " + fakeAcc,
		"route53:ListHostedZones access_denied AccessDenied " + fakeDir + "route53-list-hosted-zones.json " + fakeAcc,
		"route53resolver:ListResolverRuleAssociations access_denied AccessDeniedException " + fakeDir + "route53resolver-list-resolver-rule-associations.json " + fakeAcc,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}
	for _, g := range res.Manifest.Gaps {
		if _, ok := res.File(g.File); ok {
			t.Errorf("%s written despite the refusal", g.File)
		}
		line := "collect: " + g.Warning()
		if !strings.Contains(progress, line+"\n") {
			t.Errorf("progress lacks %q:\n%s", line, progress)
		}
		for _, c := range res.Manifest.Calls {
			if c.File == g.File && (c.OK || c.Error == "") {
				t.Errorf("manifest call for a gap: %+v", c)
			}
		}
	}
	if w := res.Manifest.Gaps[1].Warning(); !strings.Contains(w, "ec2:DescribeNatGateways refused (UnauthorizedOperation)") || !strings.Contains(w, "allow IAM action ec2:DescribeNatGateways") {
		t.Errorf("warning = %q", w)
	}
	if _, ok := res.File(fakeDir + "ec2-describe-vpcs.json"); !ok {
		t.Errorf("the collection stopped at the refusals")
	}
	if n := f.count("ec2:GetManagedPrefixListEntries"); n != 0 {
		t.Errorf("%d entries calls without the list", n)
	}
}

func TestCollectNotFoundOnPerResourceCallIsAGap(t *testing.T) {
	f := newFakeAWS(t)
	f.handle("ec2:DescribeVpcs", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		ec2XML(w, "DescribeVpcs", "<vpcSet>"+vpcItem("vpc-gone")+"</vpcSet>")
	})
	f.handle("ec2:DescribeVpcAttribute", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		ec2Error(w, http.StatusBadRequest, "InvalidVpcID.NotFound", "The vpc ID 'vpc-gone' does not exist")
	})
	res, _ := mustCollectFake(t, f, Options{})
	if len(res.Manifest.Gaps) != 2 || res.Manifest.Gaps[0].Reason != GapNotFound {
		t.Errorf("gaps = %+v, want the two attributes of the vanished VPC", res.Manifest.Gaps)
	}
	// The same error on a list call is a failure.
	ce, _ := failing(t, "ec2:DescribeSubnets", Options{}, func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		ec2Error(w, http.StatusBadRequest, "InvalidVpcID.NotFound", "The vpc ID 'vpc-x' does not exist")
	})
	if !strings.Contains(ce.Error(), "InvalidVpcID.NotFound") {
		t.Errorf("error = %v", ce)
	}
}

func TestCollectRoleRefused(t *testing.T) {
	role := "arn:aws:iam::210987654321:role/reader"
	f := newFakeAWS(t)
	f.handle("sts:AssumeRole", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		stsError(w, http.StatusForbidden, "AccessDenied", "User: arn:aws:iam::123456789012:user/reader is not authorized to perform: sts:AssumeRole on resource: "+role)
	})
	_, _, err := collectFake(t, f, Options{RoleARNs: []string{role}})
	var ce *CallError
	if !errors.As(err, &ce) || ce.Operation != "AssumeRole" || !strings.Contains(err.Error(), role) || !strings.Contains(err.Error(), "AccessDenied") {
		t.Fatalf("err = %v, want a failure naming sts:AssumeRole and the role", err)
	}
	if n := f.count("ec2:DescribeVpcs"); n != 0 {
		t.Errorf("collected %d times although a role was refused", n)
	}
}

func TestCollectRoles(t *testing.T) {
	f := newFakeAWS(t)
	roles := []string{"arn:aws:iam::210987654321:role/reader", "arn:aws:iam::" + fakeAcc + ":role/reader"}
	// STS answers for whoever signed: the assumed roles sign with ASIAFAKE<account>.
	f.handle("sts:GetCallerIdentity", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		acct := fakeAcc
		if _, cred, ok := strings.Cut(r.Header.Get("Authorization"), "Credential=ASIAFAKE"); ok {
			acct = cred[:12]
		}
		stsXML(w, "GetCallerIdentity", `<Arn>arn:aws:sts::`+acct+`:assumed-role/reader/x</Arn><UserId>AROAX:x</UserId><Account>`+acct+`</Account>`)
	})
	res, _ := mustCollectFake(t, f, Options{RoleARNs: roles})
	var got []string
	for _, a := range res.Manifest.Accounts {
		got = append(got, a.AccountID+" "+a.RoleARN)
	}
	// The base identity's account is also roles[1]'s: collected once, with the role.
	if diff := cmp.Diff([]string{fakeAcc + " " + roles[1], "210987654321 " + roles[0]}, got); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
	for _, acct := range []string{fakeAcc, "210987654321"} {
		if _, ok := res.File(acct + "/us-east-1/ec2-describe-vpcs.json"); !ok {
			t.Errorf("account %s not collected", acct)
		}
	}
	if n := f.count("sts:AssumeRole"); n != 2 {
		t.Errorf("AssumeRole calls = %d, want 2", n)
	}
}

func TestCollectAllRegions(t *testing.T) {
	f := newFakeAWS(t)
	opts := Options{AllRegions: true}
	var ops opRecorder
	ops.install(&opts)
	res, _ := mustCollectFake(t, f, opts)
	got := ops.actions(t)
	if !slices.Contains(got, "ec2:DescribeRegions") {
		t.Errorf("DescribeRegions not called: %v", got)
	}
	checkPolicy(t, got, false)
	if diff := cmp.Diff([]string{"eu-west-1", "us-east-1"}, res.Manifest.Regions); diff != "" {
		t.Errorf("regions (the opted-in ones) (-want +got):\n%s", diff)
	}
	var r53 []string
	for _, f := range res.Files() {
		if strings.Contains(f, "/route53-") {
			r53 = append(r53, f)
		}
	}
	// Route 53 is global: once per account, in the first region's folder.
	if diff := cmp.Diff([]string{fakeAcc + "/eu-west-1/route53-list-hosted-zones.json"}, r53); diff != "" {
		t.Errorf("Route 53 files (-want +got):\n%s", diff)
	}
	if _, ok := res.File(fakeAcc + "/us-east-1/ec2-describe-subnets.json"); !ok {
		t.Errorf("us-east-1 not collected")
	}
}

func TestCollectNeedsRegionBeforeAnyCall(t *testing.T) {
	f := newFakeAWS(t)
	f.setenv(t)
	t.Setenv("AWS_REGION", "")
	_, err := Collect(context.Background(), Options{})
	if err == nil || !strings.Contains(err.Error(), "no AWS region") {
		t.Fatalf("err = %v, want a missing-region error", err)
	}
	_, err = Collect(context.Background(), Options{AllRegions: true})
	if err == nil || !strings.Contains(err.Error(), "no AWS region") {
		t.Fatalf("all regions: err = %v, want a missing-region error", err)
	}
	if n := f.total(); n != 0 {
		t.Errorf("%d requests made before the region check", n)
	}
}

func TestOptionsValidation(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Regions: []string{"us-east-1"}, AllRegions: true}, "not both"},
		{Options{Regions: []string{"US East"}}, "not an AWS region"},
		{Options{RoleARNs: []string{"reader"}}, "not an IAM role ARN"},
		{Options{Concurrency: -1}, "negative"},
		{Options{CallTimeout: -time.Second}, "negative"},
	} {
		_, err := Collect(context.Background(), tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Collect(%+v) = %v, want %q", tc.opts, err, tc.want)
		}
	}
}

func TestCollectCancelledLeavesNothing(t *testing.T) {
	f := newFakeAWS(t)
	ctx, cancel := context.WithCancel(context.Background())
	f.handle("ec2:DescribeInstances", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		cancel() // Ctrl-C while a call is in flight
		<-r.Context().Done()
	})
	f.setenv(t)
	opts := Options{}
	quickRetries(&opts)
	parent := t.TempDir()
	t.Setenv("TMPDIR", parent)
	dir, cleanup, err := CollectToTempDir(ctx, opts)
	defer cleanup()
	if !errors.Is(err, context.Canceled) || dir != "" {
		t.Fatalf("CollectToTempDir = %q, %v; want a cancellation", dir, err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("cancelled collection left %v in the temp folder", entries)
	}
}

func TestCollectToTempDir(t *testing.T) {
	f := newFakeAWS(t)
	f.setenv(t)
	dir, cleanup, err := CollectToTempDir(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ManifestFile)); err != nil {
		t.Errorf("no manifest: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, fakeAcc, "us-east-1", "ec2-describe-vpcs.json")); err != nil {
		t.Errorf("no VPCs file: %v", err)
	}
	cleanup()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("cleanup left %s (%v)", dir, err)
	}
}

func TestWriteDir(t *testing.T) {
	res := &Result{
		Manifest: Manifest{FormatVersion: 1, Tool: "vpcpath", Calls: []Call{}, Gaps: []Gap{}},
		files:    map[string][]byte{"1/us-east-1/ec2-describe-vpcs.json": []byte("{\"Vpcs\": []}\n")},
	}
	parent := t.TempDir()
	target := filepath.Join(parent, "snap")
	if err := res.WriteDir(target); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "stale.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A second collection replaces the first snapshot whole.
	if err := res.WriteDir(target); err != nil {
		t.Fatalf("replacing a snapshot: %v", err)
	}
	if _, err := os.Stat(filepath.Join(target, "stale.json")); !os.IsNotExist(err) {
		t.Errorf("the old snapshot's files survived")
	}
	b, err := os.ReadFile(filepath.Join(target, "1", "us-east-1", "ec2-describe-vpcs.json"))
	if err != nil || string(b) != "{\"Vpcs\": []}\n" {
		t.Errorf("file = %q, %v", b, err)
	}
	var m Manifest
	b, _ = os.ReadFile(filepath.Join(target, ManifestFile))
	if err := json.Unmarshal(b, &m); err != nil || m.Tool != "vpcpath" {
		t.Errorf("manifest = %s (%v)", b, err)
	}
	// A folder that is not a snapshot is never replaced.
	other := filepath.Join(parent, "home")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	if err := res.WriteDir(other); err == nil || !strings.Contains(err.Error(), "refusing") {
		t.Errorf("WriteDir over a non-snapshot = %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(other, "notes.txt")); string(b) != "mine" {
		t.Errorf("non-snapshot folder changed")
	}
	// An empty folder is fine.
	empty := filepath.Join(parent, "empty")
	os.MkdirAll(empty, 0o755)
	if err := res.WriteDir(empty); err != nil {
		t.Errorf("WriteDir into an empty folder: %v", err)
	}
	entries, _ := os.ReadDir(parent)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"empty", "home", "snap"}, names); diff != "" {
		t.Errorf("temporary folders left behind (-want +got):\n%s", diff)
	}
}

func TestReadOnlyGuard(t *testing.T) {
	f := newFakeAWS(t)
	f.setenv(t)
	opts := Options{}
	cfg, err := loadConfig(context.Background(), &opts)
	if err != nil {
		t.Fatal(err)
	}
	_, err = ec2.NewFromConfig(cfg).CreateVpc(context.Background(), &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err == nil || !strings.Contains(err.Error(), "only reads") {
		t.Errorf("CreateVpc through the collector's configuration = %v, want refused", err)
	}
	_, err = route53.NewFromConfig(cfg).DeleteHostedZone(context.Background(), &route53.DeleteHostedZoneInput{Id: aws.String("Z1")})
	if err == nil || !strings.Contains(err.Error(), "only reads") {
		t.Errorf("DeleteHostedZone = %v, want refused", err)
	}
	_, err = route53resolver.NewFromConfig(cfg).AssociateResolverRule(context.Background(), &route53resolver.AssociateResolverRuleInput{ResolverRuleId: aws.String("rslvr-rr-1"), VPCId: aws.String("vpc-1")})
	if err == nil || !strings.Contains(err.Error(), "only reads") {
		t.Errorf("AssociateResolverRule = %v, want refused", err)
	}
	if n := f.total(); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
	for op, want := range map[string]bool{"DescribeVpcs": true, "GetManagedPrefixListEntries": true, "ListHostedZones": true,
		"SearchTransitGatewayRoutes": true, "CreateVpc": false, "Describe": false, "Listen": false, "ModifyVpcAttribute": false} {
		if isReadOperation(op) != want {
			t.Errorf("isReadOperation(%q) = %v", op, !want)
		}
	}
}

func TestFileNames(t *testing.T) {
	for _, tc := range []struct {
		service, op string
		suffixes    []string
		want        string
	}{
		{"ec2", "DescribeVpcs", nil, "ec2-describe-vpcs.json"},
		{"ec2", "DescribeTransitGatewayVpcAttachments", nil, "ec2-describe-transit-gateway-vpc-attachments.json"},
		{"ec2", "DescribeVpcAttribute", []string{"vpc-0a1", kebab("enableDnsHostnames")}, "ec2-describe-vpc-attribute-vpc-0a1-enable-dns-hostnames.json"},
		{"ec2", "GetManagedPrefixListEntries", []string{"pl-63a5400a"}, "ec2-get-managed-prefix-list-entries-pl-63a5400a.json"},
		{"ec2", "SearchTransitGatewayRoutes", []string{"tgw-rtb-1"}, "ec2-search-transit-gateway-routes-tgw-rtb-1.json"},
		{"route53", "ListResourceRecordSets", []string{"Z1"}, "route53-list-resource-record-sets-Z1.json"},
		{"route53resolver", "ListResolverRuleAssociations", nil, "route53resolver-list-resolver-rule-associations.json"},
	} {
		if got := fileName(tc.service, tc.op, tc.suffixes...); got != tc.want {
			t.Errorf("fileName(%s, %s, %v) = %s, want %s", tc.service, tc.op, tc.suffixes, got, tc.want)
		}
	}
}

func TestMarshalCLI(t *testing.T) {
	b, err := marshalCLI(map[string]any{"Vpcs": []ec2types.Vpc{{VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.0.0/16"), IsDefault: aws.Bool(false)}}, "Note": "<a&b>"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{
    "Note": "<a&b>",
    "Vpcs": [
        {
            "CidrBlock": "10.0.0.0/16",
            "IsDefault": false,
            "VpcId": "vpc-1"
        }
    ]
}
`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestProgress(t *testing.T) {
	call := Call{Service: "ec2", Operation: "DescribeVpcs", Account: "1", Region: "us-east-1", Pages: 2, OK: true, DurationMS: 12}
	spec := callSpec{service: "ec2", operation: "DescribeVpcs", account: "1", region: "us-east-1"}

	var plain bytes.Buffer
	p := &progress{w: &plain}
	p.begin(spec)
	p.end(call)
	p.warn("warning: x")
	p.close()
	if diff := cmp.Diff("collect: [1 us-east-1] ec2:DescribeVpcs ok, 2 pages, 12ms\ncollect: warning: x\n", plain.String()); diff != "" {
		t.Errorf("plain (-want +got):\n%s", diff)
	}

	var tty bytes.Buffer
	p = &progress{w: &tty, tty: true}
	p.begin(spec)
	p.end(call)
	p.warn("warning: x")
	p.close()
	want := "\r\x1b[Kcollect: 0 calls done, 1 running; [1 us-east-1] ec2:DescribeVpcs" +
		"\r\x1b[Kcollect: 1 calls done, 0 running; [1 us-east-1] ec2:DescribeVpcs" +
		"\r\x1b[Kcollect: warning: x\n" +
		"\r\x1b[Kcollect: 1 calls done\n"
	if diff := cmp.Diff(want, tty.String()); diff != "" {
		t.Errorf("terminal (-want +got):\n%q", diff)
	}

	var nilProgress *progress // silent
	nilProgress.begin(spec)
	nilProgress.end(call)
	nilProgress.warn("x")
	nilProgress.close()
	if isTerminal(&plain) {
		t.Errorf("a buffer is not a terminal")
	}
}

func TestCollectResourceListedTwice(t *testing.T) {
	f := newFakeAWS(t)
	f.handle("ec2:DescribeVpcs", ec2Pages(t, "DescribeVpcs", "vpcSet", map[string][2]string{
		"":      {vpcItem("vpc-1"), "tok-2"},
		"tok-2": {vpcItem("vpc-1"), ""}, // the list moved between pages
	}))
	mustCollectFake(t, f, Options{})
	if n := f.count("ec2:DescribeVpcAttribute"); n != 2 {
		t.Errorf("DescribeVpcAttribute calls = %d, want 2 (one VPC, two attributes)", n)
	}
}

// A snapshot never holds a VPN tunnel's pre-shared key: the customer
// gateway configuration and the tunnel options' keys are left out, the
// rest of the connection kept.
func TestCollectLeavesOutVPNSecrets(t *testing.T) {
	f := newFakeAWS(t)
	f.handle("ec2:DescribeVpnConnections", func(w http.ResponseWriter, r *http.Request, p url.Values, n int) {
		ec2XML(w, "DescribeVpnConnections", `<vpnConnectionSet><item><vpnConnectionId>vpn-1</vpnConnectionId><state>available</state>
  <customerGatewayConfiguration>&lt;pre_shared_key&gt;KEY-IN-CONFIG&lt;/pre_shared_key&gt;</customerGatewayConfiguration>
  <customerGatewayId>cgw-1</customerGatewayId><vpnGatewayId>vgw-1</vpnGatewayId>
  <options><staticRoutesOnly>true</staticRoutesOnly><tunnelOptionSet><item><outsideIpAddress>3.3.3.3</outsideIpAddress><preSharedKey>KEY-IN-OPTIONS</preSharedKey></item></tunnelOptionSet></options>
  <vgwTelemetry><item><outsideIpAddress>3.3.3.3</outsideIpAddress><status>UP</status></item></vgwTelemetry>
</item></vpnConnectionSet>`)
	})
	res, _ := mustCollectFake(t, f, Options{})
	b, ok := res.File(fakeDir + "ec2-describe-vpn-connections.json")
	if !ok {
		t.Fatalf("no VPN file in %v", res.Files())
	}
	if strings.Contains(string(b), "KEY-IN") || strings.Contains(string(b), "PreSharedKey") || strings.Contains(string(b), "CustomerGatewayConfiguration") {
		t.Errorf("a tunnel key reached the snapshot:\n%s", b)
	}
	for _, want := range []string{`"VpnConnectionId": "vpn-1"`, `"StaticRoutesOnly": true`, `"Status": "UP"`, `"OutsideIpAddress": "3.3.3.3"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lost from:\n%s", want, b)
		}
	}
}
