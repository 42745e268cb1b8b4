package simulate

import (
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// A route to a prefix list whose entries are unknown makes an answer
// unknown only when the list could hold the destination: an AWS service
// list holds no private address, and nothing beats the local route (VPC
// guide, "Route priority").
func TestUnknownPrefixListDecidesWhatItCannotHold(t *testing.T) {
	rows := []struct {
		name    string
		list    string // name of pl-s3
		dst     string
		verdict Verdict
		comp    Component
		id      string
	}{
		{"inside the VPC: the local route", "com.amazonaws.us-east-1.s3", "eni-b", Reachable, "", ""},
		{"inside the VPC, a customer list: the local route wins", "corp-partners", "eni-b", Reachable, "", ""},
		{"private, outside the VPC, an AWS service list: the default route", "com.amazonaws.us-east-1.s3", "192.168.7.7", Blocked, CompInternetGateway, "igw-1"},
		{"private, outside the VPC, a customer list", "corp-partners", "192.168.7.7", Unknown, CompRouteTable, "rtb-a"},
		{"public: may be S3", "com.amazonaws.us-east-1.s3", "52.216.1.1", Unknown, CompRouteTable, "rtb-a"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			n := newNet(t)
			n.internet()
			n.s3()
			pl := n.m.PrefixLists["pl-s3"]
			pl.CIDRsKnown, pl.CIDRs, pl.Name = false, nil, r.list
			n.routes("rtb-a", []string{"subnet-a"}, "pl-s3 vpce-s3", "0.0.0.0/0 nat-1")
			n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
			n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-open")
			if r.list != "com.amazonaws.us-east-1.s3" {
				n.m.Endpoints["vpce-s3"].ServiceName = ""
				n.m.RouteTables["rtb-a"].Routes[1].Target = model.Target{Kind: model.TargetNAT, ID: "nat-1"}
			}
			expect(t, n.trace("eni-a", r.dst, "tcp", 443), r.verdict, r.comp, r.id, false)
		})
	}
}
