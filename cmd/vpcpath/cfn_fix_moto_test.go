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
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/vpcpath/vpcpath/model/awscollect/mototest"
	"github.com/vpcpath/vpcpath/simulate"
)

// eipFixTemplate is a web instance in a public subnet with no public
// address: the internet cannot reach it on 443 until it gets an Elastic IP.
const eipFixTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.61.0.0/16
  Igw:
    Type: AWS::EC2::InternetGateway
  IgwAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref Vpc
      InternetGatewayId: !Ref Igw
  PublicSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.61.1.0/24
      AvailabilityZone: us-east-1a
  PublicTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PublicDefault:
    Type: AWS::EC2::Route
    DependsOn: IgwAttachment
    Properties:
      RouteTableId: !Ref PublicTable
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref Igw
  PublicAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PublicSubnet
      RouteTableId: !Ref PublicTable
  WebGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Vpc
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
  Web:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12c6146b
      InstanceType: t3.micro
      SubnetId: !Ref PublicSubnet
      SecurityGroupIds: [!Ref WebGroup]
`

// TestCFNElasticIPFixInMoto takes the CloudFormation code vpcpath proposes
// for an instance with no public address (associate-address), adds it to
// the template's Resources, creates the stack in moto, collects it back,
// and traces from the internet again: reachable, on the template and on
// what AWS's API (as moto emulates it) built from it.
func TestCFNElasticIPFixInMoto(t *testing.T) {
	dir := t.TempDir()
	before := filepath.Join(dir, "before.yaml")
	os.WriteFile(before, []byte(eipFixTemplate), 0o644)
	trace := func(args ...string) simulate.Result {
		t.Helper()
		var out, errOut bytes.Buffer
		run(append([]string{"trace", "-q", "-o", "json", "--template-param", "AWS::Region=us-east-1", "--port", "443"}, args...), &streams{Out: &out, ErrOut: &errOut})
		var res simulate.Result
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatalf("trace %v: %v\n%s%s", args, err, out.String(), errOut.String())
		}
		return res
	}
	res := trace("--template", before, "--from", "internet", "--to", "i-(Web)")
	if res.Verdict != simulate.Blocked || len(res.FixSource) != 1 {
		t.Fatalf("want a blocked flow with one CloudFormation fix, got %s %+v", res.Verdict, res.FixSource)
	}
	code := res.FixSource[0].Code
	if !strings.Contains(code, "AWS::EC2::EIP") || res.FixSource[0].Summary != "add to the template's Resources" {
		t.Fatalf("fix source %+v", res.FixSource[0])
	}
	body := eipFixTemplate
	for _, line := range strings.SplitAfter(strings.TrimSuffix(code, "\n"), "\n") {
		body += "  " + strings.TrimSuffix(line, "\n") + "\n"
	}
	after := filepath.Join(dir, "after.yaml")
	os.WriteFile(after, []byte(body), 0o644)
	if r := trace("--template", after, "--from", "internet", "--to", "i-(Web)"); r.Verdict != simulate.Reachable {
		t.Fatalf("the template with the fix: %s %+v\n%s", r.Verdict, r.BlockedBy, body)
	}

	srv := mototest.New(t)
	ctx := context.Background()
	physical := createStack(ctx, t, srv.Config("us-east-1"), "eip", body)
	web := physical["Web"]
	if web == "" || physical["WebEip"] == "" {
		t.Fatalf("the stack has no Web instance or no Elastic IP: %v", physical)
	}
	// moto's CloudFormation gaps, worked around as in TestCFNMotoRoundTrip
	// (never the Elastic IP, which is what is tested): it leaves the
	// instance in the VPC's default group and the subnet on the main table.
	c := ec2.NewFromConfig(srv.Config("us-east-1"))
	out0, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{web}})
	if err != nil || len(out0.Reservations) != 1 || len(out0.Reservations[0].Instances[0].NetworkInterfaces) == 0 {
		t.Fatalf("instance %s: %v", web, err)
	}
	eni := out0.Reservations[0].Instances[0].NetworkInterfaces[0]
	if eni.Association == nil || aws.ToString(eni.Association.PublicIp) == "" {
		t.Fatalf("moto gave %s no Elastic IP from the template", web)
	}
	if _, err := c.ModifyNetworkInterfaceAttribute(ctx, &ec2.ModifyNetworkInterfaceAttributeInput{NetworkInterfaceId: eni.NetworkInterfaceId, Groups: []string{physical["WebGroup"]}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AssociateRouteTable(ctx, &ec2.AssociateRouteTableInput{SubnetId: aws.String(physical["PublicSubnet"]), RouteTableId: aws.String(physical["PublicTable"])}); err != nil {
		t.Fatal(err)
	}
	srv.Setenv(t, "us-east-1")
	snap := filepath.Join(dir, "snap")
	var out, errOut bytes.Buffer
	if code := run([]string{"collect", "--region", "us-east-1", "--out", snap}, &streams{Out: &out, ErrOut: &errOut}); code != exitOK {
		t.Fatalf("vpcpath collect: exit %d\n%s", code, errOut.String())
	}
	if r := trace("--snapshot", snap, "--from", "internet", "--to", web); r.Verdict != simulate.Reachable {
		t.Errorf("the stack moto built with the fix: %s %+v", r.Verdict, r.BlockedBy)
	}
}
