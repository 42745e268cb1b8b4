package simulate

import (
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

func TestTopologyReachableVPCs(t *testing.T) {
	n := peered(t)
	n.vpc("vpc-3", "10.3.0.0/16", "us-east-1")
	n.peering("pcx-23", "vpc-2", "vpc-3")
	n.m.Index()
	tp := BuildTopology(n.m)
	// Peering is not transitive: vpc-3 is out of vpc-1's reach.
	if got := strings.Join(tp.ReachableVPCs("vpc-1"), " "); got != "vpc-1 vpc-2" {
		t.Errorf("from vpc-1: %s", got)
	}
	if got := strings.Join(tp.ReachableVPCs("vpc-2"), " "); got != "vpc-2 vpc-1 vpc-3" {
		t.Errorf("from vpc-2: %s", got)
	}
	n.m.Peerings["pcx-12"].Status = model.PeeringPendingAcceptance
	if got := strings.Join(BuildTopology(n.m).ReachableVPCs("vpc-1"), " "); got != "vpc-1" {
		t.Errorf("a pending connection carries nothing: %s", got)
	}
}

func TestTopologyThroughATransitGatewayAndItsCycles(t *testing.T) {
	n := hub(t)
	n.m.Index()
	tp := BuildTopology(n.m)
	if got := strings.Join(tp.ReachableVPCs("vpc-9"), " "); got != "vpc-9 vpc-1 vpc-2" {
		t.Errorf("from the shared VPC: %s", got)
	}
	cycles := tp.Cycles()
	want := "tgw-rtb:rt-shared vpc:vpc-1 tgw-rtb:rt-spoke vpc:vpc-9"
	found := false
	for _, c := range cycles {
		found = found || strings.Join(c, " ") == want
	}
	if !found {
		t.Errorf("cycles %v, want one %q", cycles, want)
	}
	var assoc *Link
	for _, l := range tp.Links() {
		if l.Via == "att-1" && l.Kind == "association" {
			assoc = &l
		}
	}
	if assoc == nil || assoc.From != "vpc:vpc-1" || assoc.To != "tgw-rtb:rt-spoke" || strings.Join(assoc.AZs, ",") != "us-east-1a,us-east-1b" {
		t.Errorf("association line of att-1: %+v", assoc)
	}
	// A blackholed or unavailable attachment is no line.
	n.m.TGWAttachments["att-9"].State = "deleted"
	if got := strings.Join(BuildTopology(n.m).ReachableVPCs("vpc-1"), " "); got != "vpc-1" {
		t.Errorf("with att-9 deleted: %s", got)
	}
}

// A rule of the peer VPC splits a port range as one of the source's does.
func TestTraceRangeIsCutByEveryVPCTheFlowReaches(t *testing.T) {
	n := peered(t)
	n.sg("sg-443", []string{"tcp 443-445 10.0.0.0/16"}, []string{"all 0.0.0.0/0"})
	n.m.SecurityGroups["sg-443"].VPCID = "vpc-2"
	n.m.ENIs["eni-b"].Groups = []string{"sg-443"}
	n.m.Index()
	r, err := TraceRange(n.m, Query{From: "eni-a", To: "eni-b", Protocol: model.ProtoTCP, Port: 440}, model.PortRange{First: 440, Last: 450})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range r.Segments {
		got = append(got, s.Ports.String()+" "+string(s.Verdict))
	}
	if want := "440-442 blocked,443-445 reachable,446-450 blocked"; strings.Join(got, ",") != want {
		t.Fatalf("segments %v, want %s", got, want)
	}
}
