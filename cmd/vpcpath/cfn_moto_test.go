package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/vpcpath/vpcpath/model/awscollect/mototest"
)

// The template testdata/cloudformation/moto-network.yaml is created as a
// stack in moto (create-stack), collected back with "vpcpath collect", and
// each flow below is traced on the template and on the collected snapshot:
// verdicts and the blocking component must agree (IDs mapped through
// describe-stack-resources), except where the template honestly says
// unknown.
var cfnMotoFlows = []struct{ from, to, protocol, port string }{
	{"Web", "App", "tcp", "8080"},     // separate egress rule to the app group, ingress from the web group
	{"Web", "App", "tcp", "22"},       // blocked: the app group admits 8080 only
	{"App", "Web", "tcp", "443"},      // app's inline egress allows 443; web admits 443
	{"App", "Web", "tcp", "8443"},     // blocked by the app group's inline egress (allow-all replaced)
	{"Web", "52.1.2.3", "tcp", "443"}, // web keeps EC2's allow-all egress beside its separate rule
	{"App", "52.1.2.3", "tcp", "443"}, // private subnet through the NAT gateway
	{"App", "52.1.2.3", "udp", "53"},  // blocked: the app group's egress and the private ACL
	{"Web", "52.1.2.3", "tcp", "22"},  // allowed by web's default egress
}

func TestCFNMotoRoundTrip(t *testing.T) {
	srv := mototest.New(t)
	ctx := context.Background()
	const region = "us-east-1"
	tmplPath, _ := filepath.Abs("../../testdata/cloudformation/moto-network.yaml")
	body, err := os.ReadFile(tmplPath)
	if err != nil {
		t.Fatal(err)
	}
	physical := createStack(ctx, t, srv.Config(region), "net", string(body)) // logical ID -> physical ID
	motoGaps(ctx, t, srv.Config(region), physical)
	back := map[string]string{} // physical ID -> template placeholder
	prefixes := map[string]string{"vpc-": "vpc", "subnet-": "subnet", "rtb-": "rtb", "sg-": "sg", "acl-": "acl", "igw-": "igw", "nat-": "nat", "i-": "i"}
	for l, p := range physical {
		for pre, kind := range prefixes {
			if strings.HasPrefix(p, pre) {
				back[p] = kind + "-(" + l + ")"
			}
		}
	}

	srv.Setenv(t, region)
	snap := filepath.Join(t.TempDir(), "snap")
	if d := os.Getenv("VPCPATH_KEEP_SNAPSHOT"); d != "" {
		snap = d // to look at what moto built
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"collect", "--region", region, "--out", snap}, &streams{Out: &out, ErrOut: &errOut}); code != exitOK {
		t.Fatalf("vpcpath collect: exit %d\n%s", code, errOut.String())
	}
	mapBack := func(s string) string {
		if b, ok := back[s]; ok {
			return b
		}
		return s
	}
	tmplArg := func(s string) string {
		if physical[s] != "" {
			return "i-(" + s + ")"
		}
		return s
	}
	snapArg := func(s string) string {
		if p := physical[s]; p != "" {
			return p
		}
		return s
	}
	verdicts := map[string]int{}
	for _, f := range cfnMotoFlows {
		want, ok := traceJSON(t, "--template", tmplPath, "--template-param", "AWS::Region="+region, "--from", tmplArg(f.from), "--to", tmplArg(f.to), "--protocol", f.protocol, "--port", f.port)
		if !ok {
			t.Fatalf("trace on the template %v: exit 2", f)
		}
		got, ok := traceJSON(t, "--snapshot", snap, "--from", snapArg(f.from), "--to", snapArg(f.to), "--protocol", f.protocol, "--port", f.port)
		if !ok {
			t.Fatalf("trace on the collected snapshot %v: exit 2", f)
		}
		verdicts[want.Verdict]++
		if want.Verdict == "unknown" {
			continue // the template honestly cannot say
		}
		if w, g := want.String(func(s string) string { return s }), got.String(mapBack); w != g {
			t.Errorf("trace %v: template %s, collected %s", f, w, g)
		}
	}
	t.Logf("%d flows, verdicts %v", len(cfnMotoFlows), verdicts)
	if verdicts["reachable"] == 0 || verdicts["blocked"] == 0 {
		t.Errorf("the flows should include reachable and blocked ones: %v", verdicts)
	}
	cfnStackUpdate(t, snap, tmplPath, string(body), physical)
}

// createStack creates a stack of body in moto and returns its resources'
// physical IDs by logical ID.
func createStack(ctx context.Context, t *testing.T, cfg aws.Config, name, body string) map[string]string {
	t.Helper()
	cf := cloudformation.NewFromConfig(cfg, func(o *cloudformation.Options) { o.RetryMaxAttempts = 1 })
	if _, err := cf.CreateStack(ctx, &cloudformation.CreateStackInput{StackName: aws.String(name), TemplateBody: aws.String(body)}); err != nil {
		t.Fatalf("create-stack: %v", err)
	}
	st, err := cf.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if err != nil || len(st.Stacks) != 1 || st.Stacks[0].StackStatus != cftypes.StackStatusCreateComplete {
		t.Fatalf("stack not created: %v %+v", err, st)
	}
	res, err := cf.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{StackName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	physical := map[string]string{}
	for _, r := range res.StackResources {
		if l := aws.ToString(r.LogicalResourceId); l != "" { // moto lists the types it skips without one
			physical[l] = aws.ToString(r.PhysicalResourceId)
		}
	}
	return physical
}

// cfnStackUpdate: the same template over the snapshot of its deployed
// stack, with describe-stack-resources, answers exactly as the snapshot
// (same physical IDs); an update with its change set (the app group's
// inline egress gains 8443, the web group's separate egress rule is
// removed) answers as AWS would after it.
func cfnStackUpdate(t *testing.T, snap, tmplPath, body string, physical map[string]string) {
	t.Helper()
	dir := t.TempDir()
	type stackResource struct{ LogicalResourceId, PhysicalResourceId string }
	var list []stackResource
	for l, p := range physical {
		list = append(list, stackResource{l, p})
	}
	resFile := filepath.Join(dir, "resources.json")
	writeJSON(t, resFile, map[string]any{"StackResources": list})
	snapArg := func(s string) string {
		if p := physical[s]; p != "" {
			return p
		}
		return s
	}
	for _, f := range cfnMotoFlows {
		args := []string{"--from", snapArg(f.from), "--to", snapArg(f.to), "--protocol", f.protocol, "--port", f.port}
		want, _ := traceJSON(t, append([]string{"--snapshot", snap}, args...)...)
		got, ok := traceJSON(t, append([]string{"--snapshot", snap, "--template", tmplPath, "--stack-resources", resFile}, args...)...)
		if !ok {
			var out, errOut bytes.Buffer
			run(append([]string{"trace", "--snapshot", snap, "--template", tmplPath, "--stack-resources", resFile}, args...), &streams{Out: &out, ErrOut: &errOut})
			t.Fatalf("trace over the deployed stack %v: exit 2: %s", f, errOut.String())
		}
		id := func(s string) string { return s }
		if w, g := want.String(id), got.String(id); w != g {
			t.Errorf("trace %v: snapshot %s, template over it %s", f, w, g)
		}
	}

	v2 := strings.Replace(body, "        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}\n  AppIngressFromWeb:",
		"        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}\n        - {IpProtocol: tcp, FromPort: 8443, ToPort: 8443, CidrIp: 0.0.0.0/0}\n  AppIngressFromWeb:", 1)
	start, end := strings.Index(v2, "  WebEgressApp:"), strings.Index(v2, "  AppGroup:")
	if v2 == body || start < 0 || end < start {
		t.Fatal("the update could not be written")
	}
	v2 = v2[:start] + v2[end:]
	v2File, csFile := filepath.Join(dir, "v2.yaml"), filepath.Join(dir, "changeset.json")
	if err := os.WriteFile(v2File, []byte(v2), 0o644); err != nil {
		t.Fatal(err)
	}
	writeJSON(t, csFile, map[string]any{"StackName": "net", "Status": "CREATE_COMPLETE", "Changes": []any{
		map[string]any{"Type": "Resource", "ResourceChange": map[string]any{"Action": "Modify", "LogicalResourceId": "AppGroup", "PhysicalResourceId": physical["AppGroup"], "ResourceType": "AWS::EC2::SecurityGroup", "Replacement": "False"}},
		map[string]any{"Type": "Resource", "ResourceChange": map[string]any{"Action": "Remove", "LogicalResourceId": "WebEgressApp", "ResourceType": "AWS::EC2::SecurityGroupEgress"}},
	}})
	for _, tc := range []struct {
		from, to, port string
		want           string
	}{
		// 8443 now leaves the app group and is stopped by the private ACL's outbound rules.
		{"App", "52.1.2.3", "8443", "blocked at network-acl " + physical["PrivateAcl"] + " (deny)"},
		// The web group keeps EC2's allow-all egress without its separate rule.
		{"Web", "App", "8080", "reachable"},
		{"App", "52.1.2.3", "443", "reachable"},
	} {
		got, ok := traceJSON(t, "--snapshot", snap, "--template", v2File, "--stack-resources", resFile, "--change-set", csFile,
			"--from", snapArg(tc.from), "--to", snapArg(tc.to), "--protocol", "tcp", "--port", tc.port)
		if !ok {
			t.Fatalf("trace of the update %v: exit 2", tc)
		}
		if g := got.String(func(s string) string { return s }); g != tc.want {
			t.Errorf("update: trace %s to %s port %s: %s, want %s", tc.from, tc.to, tc.port, g, tc.want)
		}
	}
}

func writeJSON(t *testing.T, name string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// motoGaps builds through the EC2 API what moto's CloudFormation (moto 5)
// skips with "No Moto CloudFormation support": AWS::EC2::NetworkAcl,
// NetworkAclEntry, SubnetNetworkAclAssociation and SecurityGroupEgress,
// as CloudFormation would, and records their physical IDs. Two resources it
// reports CREATE_COMPLETE are not built either: the associations of
// AWS::EC2::SubnetRouteTableAssociation (describe-route-tables shows
// none) and an AWS::EC2::Instance's SecurityGroupIds (the instance has no
// group), an AWS::EC2::Subnet's MapPublicIpOnLaunch (the instance gets
// no public IP) and an AWS::EC2::SecurityGroup's inline SecurityGroupEgress
// (the group keeps EC2's allow-all rule and lacks the listed ones). moto also does not evaluate Fn::Cidr (the template uses literal
// blocks for it).
func motoGaps(ctx context.Context, t *testing.T, cfg aws.Config, physical map[string]string) {
	t.Helper()
	c := ec2.NewFromConfig(cfg)
	acl, err := c.CreateNetworkAcl(ctx, &ec2.CreateNetworkAclInput{VpcId: aws.String(physical["Vpc"])})
	if err != nil {
		t.Fatal(err)
	}
	aclID := aws.ToString(acl.NetworkAcl.NetworkAclId)
	physical["PrivateAcl"] = aclID
	entries := []ec2.CreateNetworkAclEntryInput{
		{RuleNumber: aws.Int32(100), Protocol: aws.String("-1"), RuleAction: ec2types.RuleActionAllow, CidrBlock: aws.String("10.20.0.0/16")},
		{RuleNumber: aws.Int32(110), Protocol: aws.String("6"), RuleAction: ec2types.RuleActionAllow, CidrBlock: aws.String("0.0.0.0/0"), PortRange: &ec2types.PortRange{From: aws.Int32(1024), To: aws.Int32(65535)}},
		{RuleNumber: aws.Int32(100), Protocol: aws.String("6"), Egress: aws.Bool(true), RuleAction: ec2types.RuleActionAllow, CidrBlock: aws.String("0.0.0.0/0"), PortRange: &ec2types.PortRange{From: aws.Int32(443), To: aws.Int32(443)}},
		{RuleNumber: aws.Int32(110), Protocol: aws.String("-1"), Egress: aws.Bool(true), RuleAction: ec2types.RuleActionAllow, CidrBlock: aws.String("10.20.0.0/16")},
	}
	for i := range entries {
		entries[i].NetworkAclId = aws.String(aclID)
		if entries[i].Egress == nil {
			entries[i].Egress = aws.Bool(false)
		}
		if _, err := c.CreateNetworkAclEntry(ctx, &entries[i]); err != nil {
			t.Fatal(err)
		}
	}
	acls, err := c.DescribeNetworkAcls(ctx, &ec2.DescribeNetworkAclsInput{Filters: []ec2types.Filter{{Name: aws.String("association.subnet-id"), Values: []string{physical["PrivateSubnet"]}}}})
	if err != nil || len(acls.NetworkAcls) != 1 {
		t.Fatalf("the private subnet's ACL association: %v %+v", err, acls)
	}
	for _, a := range acls.NetworkAcls[0].Associations {
		if aws.ToString(a.SubnetId) == physical["PrivateSubnet"] {
			if _, err := c.ReplaceNetworkAclAssociation(ctx, &ec2.ReplaceNetworkAclAssociationInput{AssociationId: a.NetworkAclAssociationId, NetworkAclId: aws.String(aclID)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for sub, rt := range map[string]string{"PublicSubnet": "PublicRouteTable", "PrivateSubnet": "PrivateRouteTable"} {
		if _, err := c.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{SubnetId: aws.String(physical[sub]), RouteTableId: aws.String(physical[rt])}); err != nil {
			t.Fatal(err)
		}
	}
	for in, g := range map[string]string{"Web": "WebGroup", "App": "AppGroup"} {
		out, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{physical[in]}})
		if err != nil || len(out.Reservations) != 1 || len(out.Reservations[0].Instances[0].NetworkInterfaces) == 0 {
			t.Fatalf("instance %s: %v", in, err)
		}
		eni := out.Reservations[0].Instances[0].NetworkInterfaces[0].NetworkInterfaceId
		if _, err := c.ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: eni, Groups: []string{physical[g]}}); err != nil {
			t.Fatal(err)
		}
		if in == "Web" {
			// The public IP the subnet's MapPublicIpOnLaunch gives at
			// launch, which moto's CloudFormation leaves unset: an Elastic
			// IP stands for it.
			eip, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.AssociateAddress(ctx, &ec2.AssociateAddressInput{AllocationId: eip.AllocationId, NetworkInterfaceId: eni}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Inline SecurityGroupEgress: CloudFormation revokes EC2's allow-all
	// rule and adds the listed ones; moto does neither.
	if _, err := c.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(physical["AppGroup"]),
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(physical["AppGroup"]),
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AuthorizeSecurityGroupEgress(ctx, &ec2.AuthorizeSecurityGroupEgressInput{GroupId: aws.String(physical["WebGroup"]),
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(8080), ToPort: aws.Int32(8080),
			UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String(physical["AppGroup"])}}}}}); err != nil {
		t.Fatal(err)
	}
}
