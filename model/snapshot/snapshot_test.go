package snapshot

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vpcpath/vpcpath/model"
)

func load(t *testing.T, files map[string]string) (*model.Model, []Warning, error) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return LoadFS(fsys, "snap")
}

func mustLoad(t *testing.T, files map[string]string) (*model.Model, []Warning) {
	t.Helper()
	m, w, err := load(t, files)
	if err != nil {
		t.Fatal(err)
	}
	return m, w
}

func warned(ws []Warning, substr string) bool {
	for _, w := range ws {
		if strings.Contains(w.String(), substr) {
			return true
		}
	}
	return false
}

const vpcs = `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "CidrBlockAssociationSet": [
  {"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}},
  {"CidrBlock": "100.64.0.0/16", "CidrBlockState": {"State": "associated"}},
  {"CidrBlock": "10.9.0.0/16", "CidrBlockState": {"State": "disassociated"}}]}]}`

const subnets = `{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "eu-west-1a", "AvailableIpAddressCount": 250}]}`

func TestRecognisesFilesByContentNotName(t *testing.T) {
	m, _ := mustLoad(t, map[string]string{
		"a.json":            vpcs,
		"deep/x/b.json":     subnets,
		"pl-0abc12345.json": `{"Entries": [{"Cidr": "52.94.0.0/22"}]}`,
		"entries.json":      `{"PrefixListId": "pl-0def67890", "Entries": [{"Cidr": "3.5.0.0/19"}]}`,
		"attr.json":         `{"EnableDnsHostnames": {"Value": false}, "VpcId": "vpc-1"}`,
		"attr2.json":        `{"VpcId": "vpc-1", "EnableDnsSupport": {"Value": true}}`,
	})
	v := m.VPCs["vpc-1"]
	if v == nil || len(v.CIDRs) != 2 || v.CIDRs[1] != netip.MustParsePrefix("100.64.0.0/16") {
		t.Fatalf("VPC CIDRs (disassociated blocks dropped): %+v", v)
	}
	if v.DNSHostnames != model.No || v.DNSSupport != model.Yes {
		t.Fatalf("DNS attributes: support %s hostnames %s", v.DNSSupport, v.DNSHostnames)
	}
	if s := m.Subnets["subnet-1"]; s == nil || s.AvailableIPs != 250 {
		t.Fatalf("subnet: %+v", s)
	}
	if m.VPCRegion["vpc-1"] != "eu-west-1" {
		t.Fatalf("region from the AZ: %q", m.VPCRegion["vpc-1"])
	}
	for id, cidr := range map[string]string{"pl-0abc12345": "52.94.0.0/22", "pl-0def67890": "3.5.0.0/19"} {
		pl := m.PrefixLists[id]
		if pl == nil || !pl.CIDRsKnown || pl.CIDRs[0].String() != cidr {
			t.Fatalf("prefix list %s entries: %+v", id, pl)
		}
	}
}

func TestRegionFromFolder(t *testing.T) {
	m, _ := mustLoad(t, map[string]string{"111122223333/ap-southeast-2/vpcs.json": vpcs, "111122223333/ap-southeast-2/subnets.json": subnets})
	if m.VPCRegion["vpc-1"] != "ap-southeast-2" {
		t.Fatalf("region %q: the folder wins over the AZ", m.VPCRegion["vpc-1"])
	}
}

func TestPagesMergeAndRedefinitionsWarn(t *testing.T) {
	m, w := mustLoad(t, map[string]string{
		"v.json":       vpcs,
		"s1.json":      subnets,
		"s2.json":      `{"Subnets": [{"SubnetId": "subnet-2", "VpcId": "vpc-1", "CidrBlock": "10.0.2.0/24"}], "NextToken": "x"}`,
		"s3-copy.json": subnets,
	})
	if len(m.Subnets) != 2 {
		t.Fatalf("pages should merge: %d subnets", len(m.Subnets))
	}
	if !warned(w, "1 Subnets already defined in snap/s1.json") {
		t.Fatalf("redefinition should warn: %v", w)
	}
}

func TestBotoRecordingsAreUnwrapped(t *testing.T) {
	m, w := mustLoad(t, map[string]string{
		"ec2.DescribeVpcs_1.json":    `{"status_code": 200, "data": ` + vpcs + `}`,
		"ec2.DescribeSubnets_1.json": `{"status_code": 200, "data": {"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24", "AvailabilityZone": "us-east-1b", "ResponseMetadata": {}}], "ResponseMetadata": {"HTTPStatusCode": 200}}}`,
		"ec2.DescribeSubnets_2.json": `{"status_code": 400, "data": {"Error": {"Code": "InvalidSubnetID.NotFound", "Message": "gone"}, "ResponseMetadata": {}}}`,
	})
	if m.VPCs["vpc-1"] == nil || m.Subnets["subnet-1"] == nil {
		t.Fatal("recorded responses should load")
	}
	if !warned(w, "recorded error response") {
		t.Fatalf("error recordings are skipped with a warning: %v", w)
	}
}

func TestUnknownFilesAreListedAndSkipped(t *testing.T) {
	_, w := mustLoad(t, map[string]string{
		"v.json":         vpcs,
		"notes.txt":      "hello",
		"array.json":     `[1, 2]`,
		"other.json":     `{"Buckets": []}`,
		"elb.json":       `{"LoadBalancers": []}`,
		"entries-x.json": `{"Entries": [{"Cidr": "1.2.3.0/24"}]}`,
	})
	for _, want := range []string{"notes.txt: not a .json file", "array.json: not AWS describe output", "other.json: unrecognised top-level key(s) Buckets",
		"not modelled yet, ignored: LoadBalancers (1 files)", "entries-x.json: prefix list entries without a list ID"} {
		if !warned(w, want) {
			t.Errorf("no warning %q in %v", want, w)
		}
	}
}

func TestPartialSnapshotSaysWhatIsMissing(t *testing.T) {
	_, w := mustLoad(t, map[string]string{"v.json": vpcs, "s.json": subnets})
	if !warned(w, "partial snapshot: no RouteTables, SecurityGroups, NetworkAcls, NetworkInterfaces described") {
		t.Fatalf("warnings: %v", w)
	}
}

func TestBadInputNamesFileAndField(t *testing.T) {
	for _, tt := range []struct {
		name, body, want string
	}{
		{"malformed", "{\"Vpcs\": [\n  {\"VpcId\": \"vpc-1\",,}\n]}", "snap/f.json: Vpcs: malformed JSON at line 2 column 22"},
		{"truncated", `{"Vpcs": [{"VpcId": "vpc-1"`, "snap/f.json: Vpcs: malformed JSON at line 1 column 28: unexpected end of JSON input"},
		{"wrong type", `{"NetworkAcls": [{"NetworkAclId": "acl-1", "Entries": [{"RuleNumber": "100"}]}]}`, "snap/f.json: NetworkAcls[0].Entries.RuleNumber: want a whole number, found JSON string"},
		{"bad CIDR", `{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/33"}]}`, `snap/f.json: Subnets[0] (subnet-1).CidrBlock: bad CIDR "10.0.1.0/33"`},
		{"missing ID", `{"Subnets": [{"VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"}]}`, "snap/f.json: Subnets[0].SubnetId: missing"},
		{"bad protocol", `{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcpp", "FromPort": 1, "ToPort": 2}]}]}`, "snap/f.json: SecurityGroups[0] (sg-1).IpPermissions[0]: IpProtocol: unknown protocol"},
		{"bad ports", `{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 9, "ToPort": 2}]}]}`, "bad port range 9-2"},
		{"bad action", `{"NetworkAcls": [{"NetworkAclId": "acl-1", "Entries": [{"RuleNumber": 1, "Protocol": "-1", "RuleAction": "maybe", "CidrBlock": "0.0.0.0/0"}]}]}`, `Entries[0].RuleAction: want allow or deny, found "maybe"`},
		{"route without target", `{"RouteTables": [{"RouteTableId": "rtb-1", "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "State": "active"}]}]}`, "RouteTables[0] (rtb-1).Routes[0]: route to 0.0.0.0/0 has no target"},
		{"bad endpoint type", `{"VpcEndpoints": [{"VpcEndpointId": "vpce-1", "VpcEndpointType": "Magic"}]}`, `VpcEndpoints[0] (vpce-1).VpcEndpointType: want Interface, Gateway or GatewayLoadBalancer`},
		{"attribute without value", `{"VpcId": "vpc-1", "EnableDnsSupport": {}}`, "snap/f.json: EnableDnsSupport.Value"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := load(t, map[string]string{"f.json": tt.body})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestDanglingReferencesAreRecordedWithFileAndField(t *testing.T) {
	m, w := mustLoad(t, map[string]string{
		"v.json":   vpcs,
		"s.json":   subnets,
		"eni.json": `{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-9", "PrivateIpAddress": "10.0.9.5", "Groups": []}]}`,
	})
	d, ok := m.DanglingRef("subnet-9")
	if !ok || d.Origin != "snap/eni.json" || d.Field != "NetworkInterfaces (eni-1).SubnetId" || d.Kind != model.KindSubnet {
		t.Fatalf("dangling: %+v %v", d, ok)
	}
	if !warned(w, "snap/eni.json: NetworkInterfaces (eni-1).SubnetId: subnet-9 is not among the snapshot's Subnets (dangling reference)") {
		t.Fatalf("warnings: %v", w)
	}
	// A kind that was never described is a gap, not a dangling reference.
	m, _ = mustLoad(t, map[string]string{"s.json": subnets})
	if len(m.Dangling) != 0 {
		t.Fatalf("no Vpcs file: nothing dangles: %+v", m.Dangling)
	}
}

func TestInstancesFillInterfacesTheySayNothingElseAbout(t *testing.T) {
	m, _ := mustLoad(t, map[string]string{
		"i.json": `{"Reservations": [{"Instances": [{"InstanceId": "i-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PublicIpAddress": "54.1.1.1",
		  "State": {"Name": "running"}, "Placement": {"AvailabilityZone": "us-east-1a"},
		  "NetworkInterfaces": [
		    {"NetworkInterfaceId": "eni-2", "PrivateIpAddress": "10.0.1.6", "Attachment": {"DeviceIndex": 1}, "Groups": [{"GroupId": "sg-1"}]},
		    {"NetworkInterfaceId": "eni-1", "PrivateIpAddress": "10.0.1.5", "Attachment": {"DeviceIndex": 0}, "Groups": [{"GroupId": "sg-1"}],
		     "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.1.7"}, {"PrivateIpAddress": "10.0.1.5", "Primary": true}]}]}]}]}`,
	})
	in := m.Instances["i-1"]
	if in == nil || len(in.ENIs) != 2 || in.ENIs[0] != "eni-1" {
		t.Fatalf("instance interfaces by device index: %+v", in)
	}
	e := m.PrimaryENI("i-1")
	if e.PrimaryIP().String() != "10.0.1.5" || len(e.PrivateIPs) != 2 || e.AZ != "us-east-1a" {
		t.Fatalf("primary interface: %+v", e)
	}
	if pub, ok := e.PublicIPFor(e.PrimaryIP()); !ok || pub.String() != "54.1.1.1" {
		t.Fatalf("public IP from the instance: %v %v", pub, ok)
	}
}

func TestSymlinksAreNotFollowed(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "v.json"), []byte(vpcs), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(dir, "loop")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	m, w, err := LoadDir(dir)
	if err != nil || m.VPCs["vpc-1"] == nil {
		t.Fatalf("load: %v", err)
	}
	if !warned(w, "symbolic link not followed") {
		t.Fatalf("warnings: %v", w)
	}
}

func TestFileSizeLimit(t *testing.T) {
	old := maxFileSize
	maxFileSize = 64
	defer func() { maxFileSize = old }()
	_, _, err := load(t, map[string]string{"big.json": vpcs})
	if err == nil || !strings.Contains(err.Error(), "snap/big.json: file is") {
		t.Fatalf("error %v", err)
	}
}

func TestLoadDirErrors(t *testing.T) {
	if _, _, err := LoadDir(filepath.Join(t.TempDir(), "nope")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("missing folder: %v", err)
	}
	if _, _, err := LoadDir(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no .json files") {
		t.Fatalf("empty folder: %v", err)
	}
}

func TestDNSData(t *testing.T) {
	m, w := mustLoad(t, map[string]string{
		"zones.json": `{"HostedZones": [{"Id": "/hostedzone/Z0123456789ABC", "Name": "Cloud.Databricks.com", "Config": {"PrivateZone": true}}]}`,
		"zone.json":  `{"HostedZone": {"Id": "/hostedzone/Z0123456789ABC", "Name": "cloud.databricks.com.", "Config": {"PrivateZone": true}}, "VPCs": [{"VPCRegion": "us-east-1", "VPCId": "vpc-1"}]}`,
		"records.json": `{"HostedZoneId": "/hostedzone/Z0123456789ABC", "ResourceRecordSets": [
		   {"Name": "\\052.cloud.databricks.com.", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.3.5"}]},
		   {"Name": "x.cloud.databricks.com.", "Type": "A", "AliasTarget": {"HostedZoneId": "Z7HUB22UULQXV", "DNSName": "vpce-1-abc.vpce-svc-1.us-east-1.vpce.amazonaws.com."}}]}`,
		"route53-list-resource-record-sets-Z9999999999999.json": `{"ResourceRecordSets": [{"Name": "corp.example.", "Type": "SOA", "ResourceRecords": [{"Value": "ns. admin. 1 2 3 4 5"}]}]}`,
		"rules.json":  `{"ResolverRules": [{"Id": "rslvr-rr-1", "DomainName": "corp.example", "RuleType": "FORWARD", "TargetIps": [{"Ip": "10.9.0.2", "Port": 53}]}]}`,
		"assoc.json":  `{"ResolverRuleAssociations": [{"ResolverRuleId": "rslvr-rr-1", "VPCId": "vpc-1", "Status": "COMPLETE"}, {"ResolverRuleId": "rslvr-rr-1", "VPCId": "vpc-2", "Status": "DELETING"}]}`,
		"svc.json":    `{"ServiceDetails": [{"ServiceName": "aws.sagemaker.us-east-1.notebook", "PrivateDnsName": "*.notebook.us-east-1.sagemaker.aws", "PrivateDnsNames": [{"PrivateDnsName": "*.notebook.us-east-1.sagemaker.aws"}]}], "ServiceNames": ["aws.sagemaker.us-east-1.notebook"]}`,
		"orphan.json": `{"ResourceRecordSets": []}`,
	})
	z := m.HostedZones["Z0123456789ABC"]
	if z == nil || z.Name != "cloud.databricks.com." || !z.Private || len(z.VPCs) != 1 || z.VPCs[0] != "vpc-1" || !z.RecordsKnown || len(z.Records) != 2 {
		t.Fatalf("zone: %+v", z)
	}
	if z.Records[0].Name != "*.cloud.databricks.com." || z.Records[1].Alias == nil || !strings.HasPrefix(z.Records[1].Alias.DNSName, "vpce-1-abc") {
		t.Fatalf("records: %+v", z.Records)
	}
	if z2 := m.HostedZones["Z9999999999999"]; z2 == nil || z2.Name != "corp.example." {
		t.Fatalf("zone named by file, apex from its SOA: %+v", z2)
	}
	r := m.ResolverRules["rslvr-rr-1"]
	if r == nil || r.Domain != "corp.example." || r.Type != "FORWARD" || len(r.VPCs) != 1 || r.Targets[0] != "10.9.0.2" {
		t.Fatalf("rule: %+v", r)
	}
	if s := m.EndpointServices["aws.sagemaker.us-east-1.notebook"]; s == nil || len(s.PrivateDNSNames) != 1 || s.PrivateDNSNames[0] != "*.notebook.us-east-1.sagemaker.aws." {
		t.Fatalf("service: %+v", s)
	}
	if !warned(w, "orphan.json: record sets without a zone ID") {
		t.Fatalf("warnings: %v", w)
	}
}

func TestMalformedOutsideLists(t *testing.T) {
	for _, body := range []string{`{"Vpcs": []} trailing`, `[1, 2`, `{"VpcId": "vpc-1", "EnableDnsSupport": {"Value": tru}}`, `{"Vpcs": {"VpcId": "vpc-1"}}`} {
		_, _, err := load(t, map[string]string{"f.json": body})
		if err == nil || !strings.HasPrefix(err.Error(), "snap/f.json: ") {
			t.Errorf("%s: error %v", body, err)
		}
	}
}

func TestCollectManifestGapsWarn(t *testing.T) {
	_, w := mustLoad(t, map[string]string{
		"v.json": vpcs,
		"manifest.json": `{"format_version": 1, "tool": "vpcpath", "calls": [], "gaps": [{"service": "ec2", "operation": "DescribeNatGateways",
		  "iam_action": "ec2:DescribeNatGateways", "account": "111122223333", "region": "us-east-1", "file": "111122223333/us-east-1/ec2-describe-nat-gateways.json",
		  "reason": "access_denied", "error_code": "UnauthorizedOperation", "error": "not authorized"}]}`,
	})
	if !warned(w, "collection gap: ec2:DescribeNatGateways access_denied in 111122223333/us-east-1") || warned(w, "unrecognised") {
		t.Fatalf("warnings: %v", w)
	}
}

func TestDHCPOptions(t *testing.T) {
	m, _ := mustLoad(t, map[string]string{
		"v.json": `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "DhcpOptionsId": "dopt-1"}]}`,
		"d.json": `{"DhcpOptions": [{"DhcpOptionsId": "dopt-1", "DhcpConfigurations": [{"Key": "domain-name", "Values": [{"Value": "ec2.internal"}]},
		  {"Key": "domain-name-servers", "Values": [{"Value": "10.9.0.2"}, {"Value": "AmazonProvidedDNS"}]}]}]}`,
	})
	d := m.DHCPOptions[m.VPCs["vpc-1"].DHCPOptionsID]
	if d == nil || len(d.DNSServers) != 2 {
		t.Fatalf("%+v", d)
	}
	if s, custom := d.CustomDNS(); !custom || s[0] != "10.9.0.2" {
		t.Fatalf("custom %v %v", s, custom)
	}
}
