package cfn

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// TestStackUpdate: a template over the snapshot of its deployed stack keeps
// the physical IDs describe-stack-resources gives; a change set's removal
// takes the resource out and a replacement gets a new (placeholder) ID.
func TestStackUpdate(t *testing.T) {
	src := `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  S:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}
  G:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: g, VpcId: !Ref Vpc, GroupName: app}
  H:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: h, VpcId: !Ref Vpc}
  Node:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-1, SubnetId: !Ref S, SecurityGroupIds: [!Ref G, !GetAtt Vpc.DefaultSecurityGroup]}
`
	base := model.New()
	base.VPCs["vpc-1"] = &model.VPC{ID: "vpc-1", Region: "eu-west-1", CIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}, DHCPOptionsID: "dopt-1"}
	base.VPCRegion["vpc-1"] = "eu-west-1"
	base.Subnets["subnet-1"] = &model.Subnet{ID: "subnet-1", VPCID: "vpc-1", AZ: "eu-west-1a", CIDR: netip.MustParsePrefix("10.0.1.0/24"), AvailableIPs: 200}
	base.SecurityGroups["sg-def"] = &model.SecurityGroup{ID: "sg-def", Name: "default", VPCID: "vpc-1"}
	base.SecurityGroups["sg-g"] = &model.SecurityGroup{ID: "sg-g", Name: "app", VPCID: "vpc-1"}
	base.SecurityGroups["sg-old"] = &model.SecurityGroup{ID: "sg-old", Name: "old", VPCID: "vpc-1"}
	base.SecurityGroups["sg-h"] = &model.SecurityGroup{ID: "sg-h", Name: "h", VPCID: "vpc-1"}
	base.RouteTables["rtb-main"] = &model.RouteTable{ID: "rtb-main", VPCID: "vpc-1", Main: true}
	base.Instances["i-1"] = &model.Instance{ID: "i-1", SubnetID: "subnet-1", VPCID: "vpc-1", State: "running", ENIs: []string{"eni-1"}}
	base.ENIs["eni-1"] = &model.ENI{ID: "eni-1", SubnetID: "subnet-1", VPCID: "vpc-1", InstanceID: "i-1", PrivateIPs: []netip.Addr{netip.MustParseAddr("10.0.1.77")}, Groups: []string{"sg-g"}}
	base.Index()

	dir := t.TempDir()
	res := filepath.Join(dir, "res.json")
	os.WriteFile(res, []byte(`{"StackResources": [
	  {"LogicalResourceId": "Vpc", "PhysicalResourceId": "vpc-1"}, {"LogicalResourceId": "S", "PhysicalResourceId": "subnet-1"},
	  {"LogicalResourceId": "G", "PhysicalResourceId": "sg-g"}, {"LogicalResourceId": "H", "PhysicalResourceId": "sg-h"},
	  {"LogicalResourceId": "Old", "PhysicalResourceId": "sg-old"}, {"LogicalResourceId": "Node", "PhysicalResourceId": "i-1"}]}`), 0o644)
	cs := filepath.Join(dir, "cs.json")
	os.WriteFile(cs, []byte(`{"Changes": [
	  {"Type": "Resource", "ResourceChange": {"Action": "Remove", "LogicalResourceId": "Old", "PhysicalResourceId": "sg-old"}},
	  {"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": "H", "PhysicalResourceId": "sg-h", "Replacement": "True"}}]}`), 0o644)
	phys, err := StackResourcesFile(res)
	if err != nil {
		t.Fatal(err)
	}
	st := &Stack{Physical: phys}
	if err := st.ChangeSetFile(cs); err != nil {
		t.Fatal(err)
	}
	tm, err := Parse("t.yaml", []byte(src), Options{Stack: st})
	if err != nil {
		t.Fatal(err)
	}
	m, err := Overlay(base, tm)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"physical VPC keeps its region and DHCP options", m.VPCs["vpc-1"] != nil && m.VPCs["vpc-1"].Region == "eu-west-1" && m.VPCs["vpc-1"].DHCPOptionsID == "dopt-1"},
		{"no placeholder defaults for a deployed VPC", m.SecurityGroups["sg-(Vpc:default)"] == nil && m.RouteTables["rtb-(Vpc:main)"] == nil},
		{"removed group is gone", m.SecurityGroups["sg-old"] == nil},
		{"replaced group gets a new ID", m.SecurityGroups["sg-h"] == nil && m.SecurityGroups["sg-(H)"] != nil},
		{"deployed instance keeps its interface and address", len(m.Instances["i-1"].ENIs) == 1 && m.ENIs["eni-1"] != nil && m.ENIs["eni-1"].PrivateIPs[0] == netip.MustParseAddr("10.0.1.77")},
		{"groups from the template, default group resolved", len(m.ENIs["eni-1"].Groups) == 2 && m.ENIs["eni-1"].Groups[1] == "sg-def"},
		{"no stand-in interface", m.ENIs["eni-(Node)"] == nil},
		{"subnet keeps its free addresses", m.Subnets["subnet-1"].AvailableIPs == 200},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: wrong", c.name)
		}
	}
	if base.SecurityGroups["sg-old"] == nil || base.SecurityGroups["sg-h"] == nil {
		t.Error("Overlay changed its base")
	}
}
