package simulate

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/vpcpath/vpcpath"
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/snapshot"
)

// FuzzTraceOverExample adds an arbitrary file to the bundled example and
// traces fixed flows: a trace on strange data answers or errs, never panics,
// and every blocked or unknown answer says where and why.
func FuzzTraceOverExample(f *testing.F) {
	ex, err := vpcpath.Example("databricks-privatelink")
	if err != nil {
		f.Fatal(err)
	}
	base := fstest.MapFS{}
	fs.WalkDir(ex, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := fs.ReadFile(ex, p)
			base[p] = &fstest.MapFile{Data: data}
		}
		return nil
	})
	for _, seed := range []string{
		`{"RouteTables": [{"RouteTableId": "rtb-0a0000000000000a2", "VpcId": "vpc-0db1c0ffee0000001", "Associations": [{"SubnetId": "subnet-0a0000000000000b1"}], "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-0a00000000000000f"}, {"DestinationCidrBlock": "10.0.3.0/24", "NetworkInterfaceId": "eni-1"}]}]}`,
		`{"NetworkAcls": [{"NetworkAclId": "acl-0a0000000000000d1", "VpcId": "vpc-0db1c0ffee0000001", "Associations": [{"SubnetId": "subnet-0a0000000000000b1"}], "Entries": []}]}`,
		`{"SecurityGroups": [{"GroupId": "sg-0a0000000000000f2", "VpcId": "vpc-0db1c0ffee0000001", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "PrefixListIds": [{"PrefixListId": "pl-nope"}]}]}]}`,
		`{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-0a0000000000e0011", "SubnetId": "subnet-0a0000000000000c1", "Groups": []}]}`,
		`{"Subnets": [{"SubnetId": "subnet-0a0000000000000c1", "VpcId": "vpc-0db1c0ffee0000001", "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18::/64"}]}]}`,
	} {
		f.Add([]byte(seed))
	}
	flows := []Query{
		{From: "i-0a0000000000c0001", To: "vpce-0a0000000000e0001", Protocol: model.ProtoTCP, Port: 8443},
		{From: "10.0.2.5", To: "151.101.0.223", Protocol: model.ProtoTCP, Port: 443},
		{From: "10.0.1.5", To: "52.216.10.20", Protocol: model.ProtoUDP, Port: 443},
		{From: "10.0.1.5", To: "dbc-1234abcd-5678.cloud.databricks.com", Protocol: model.ProtoTCP, Port: 443},
		{From: "10.0.1.5", To: "10.0.2.5", Protocol: model.ProtoAll},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{}
		for k, v := range base {
			fsys[k] = v
		}
		fsys["us-east-1/zz-fuzz.json"] = &fstest.MapFile{Data: data}
		m, _, err := snapshot.LoadFS(fsys, "snap")
		if err != nil {
			return
		}
		for _, q := range flows {
			r, err := Trace(m, q)
			if err != nil {
				continue
			}
			if r.Verdict != Reachable && (r.BlockedBy == nil || r.BlockedBy.Reason == "") {
				t.Fatalf("%s -> %s: %s without where and why", q.From, q.To, r.Verdict)
			}
		}
		if _, err := TraceRange(m, Query{From: "10.0.1.5", To: "vpce-0a0000000000e0001", Protocol: model.ProtoTCP}, model.PortRange{First: 8440, Last: 8460}); err != nil {
			return
		}
	})
}
