package simulate

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// A stand-in node travels in the question: it can be traced from and to,
// by ID or address, and the model is not touched.
func TestStandInsTravelInTheQuery(t *testing.T) {
	n := newNet(t)
	n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
	n.m.Index()
	before := len(n.m.ENIs)
	stand := &model.ENI{ID: "eni-standin-b", SubnetID: "subnet-b", VPCID: "vpc-1", AZ: "us-east-1b",
		PrivateIPs: []netip.Addr{addr("10.0.2.250")}, Groups: []string{"sg-open"}, Type: "interface", Status: "in-use", SourceDestCheck: true}
	for _, q := range []Query{
		{From: "eni-a", To: "eni-standin-b", Protocol: model.ProtoTCP, Port: 443},
		{From: "eni-a", To: "10.0.2.250", Protocol: model.ProtoTCP, Port: 443},
		{From: "eni-standin-b", To: "eni-a", Protocol: model.ProtoTCP, Port: 443},
		{From: "10.0.2.250", To: "eni-a", Protocol: model.ProtoTCP, Port: 443},
	} {
		q.StandIns = []*model.ENI{stand}
		r, err := Trace(n.m, q)
		if err != nil {
			t.Fatalf("%s -> %s: %v", q.From, q.To, err)
		}
		expect(t, r, Reachable, "", "", false)
		q.StandIns = nil
		r, err = Trace(n.m, q)
		switch {
		case q.To == "10.0.2.250":
			if err != nil || r.Verdict != Unknown {
				t.Errorf("to 10.0.2.250 without the stand-in: %v %v, want unknown (no interface holds it)", r.Verdict, err)
			}
		case err == nil:
			t.Errorf("%s -> %s without the stand-in in the query: want an error", q.From, q.To)
		}
	}
	if len(n.m.ENIs) != before || n.m.ENIInVPC("vpc-1", addr("10.0.2.250")) != nil {
		t.Fatal("a stand-in entered the model")
	}
}

// A subnet or a security group can be the source: a stand-in node with the
// VPC's default group, or the group's first workload interface.
func TestFromASubnetOrASecurityGroup(t *testing.T) {
	n := newNet(t)
	n.sg("sg-default", []string{"all sg-default"}, []string{"all 0.0.0.0/0"}).Name = "default"
	n.eni("eni-b", "subnet-b", "10.0.2.10", "sg-open")
	n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
	r := n.trace("subnet-a", "eni-b", "tcp", 443)
	expect(t, r, Reachable, "", "", false)
	if r.Flow.SrcIP != "10.0.1.254" || !strings.HasPrefix(r.Flow.SrcENI, StandInPrefix) {
		t.Errorf("source %s %s, want a stand-in at 10.0.1.254", r.Flow.SrcENI, r.Flow.SrcIP)
	}
	if len(r.Assumptions) == 0 || !strings.Contains(r.Assumptions[0], "stand-in node at 10.0.1.254 carrying sg-default") {
		t.Errorf("assumptions %v", r.Assumptions)
	}
	r = n.trace("sg-open", "eni-b", "tcp", 443)
	if r.Flow.SrcENI != "eni-a" {
		t.Errorf("from sg-open: %s, want eni-a (the first member)", r.Flow.SrcENI)
	}
	n.m.Index()
	if _, err := Trace(n.m, Query{From: "sg-nobody", To: "eni-b", Protocol: model.ProtoTCP, Port: 443}); err == nil {
		t.Error("a group not in the model: want an error")
	}
	if len(n.m.ENIs) != 2 {
		t.Error("the stand-in entered the model")
	}
}
