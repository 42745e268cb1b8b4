package simulate

import (
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

func TestTraceRangeReportsExactSubRanges(t *testing.T) {
	n := newNet(t)
	n.sg("sg-ws", nil, []string{"tcp 8443-8451 sg-vpce"})
	n.sg("sg-vpce", []string{"tcp 8443 sg-ws", "tcp 8450-8460 sg-ws"}, nil)
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-ws")
	n.interfaceEndpoint("vpce-rest", "sg-vpce", "subnet-b", "10.0.2.10")
	n.m.Index()
	r, err := TraceRange(n.m, Query{From: "eni-a", To: "vpce-rest", Protocol: model.ProtoTCP}, model.PortRange{First: 8443, Last: 8451})
	if err != nil {
		t.Fatal(err)
	}
	got := SegmentSummary(r.Segments)
	want := "8443 reachable; 8444-8449 blocked at security-group sg-vpce (no matching rule (2 ingress rules checked)); 8450-8451 reachable"
	if got != want {
		t.Fatalf("segments\n got %s\nwant %s", got, want)
	}
	if r.Verdict != Blocked || r.Flow.Port != "8443-8451" {
		t.Fatalf("verdict %s port %s", r.Verdict, r.Flow.Port)
	}
	if r.Fix == nil || !strings.Contains(*r.Fix, "FromPort=8444,ToPort=8449") {
		t.Fatalf("the fix should cover the blocked sub-range: %v", r.Fix)
	}
}

// TestTraceRangeEqualsPortByPort is the property test: on random groups and
// ACLs, the interval answer for a range equals tracing each port alone.
func TestTraceRangeEqualsPortByPort(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	randRange := func() string {
		a := 1000 + rng.Intn(60)
		return strconv.Itoa(a) + "-" + strconv.Itoa(a+rng.Intn(40))
	}
	for iter := 0; iter < 60; iter++ {
		n := newNet(t)
		var egress, ingress, aclOut, aclIn []string
		for i := 0; i < 1+rng.Intn(4); i++ {
			egress = append(egress, "tcp "+randRange()+" 0.0.0.0/0")
			ingress = append(ingress, "tcp "+randRange()+" 10.0.1.0/24")
		}
		for i := 0; i < 1+rng.Intn(4); i++ {
			act := []string{"allow", "deny"}[rng.Intn(2)]
			aclOut = append(aclOut, strconv.Itoa(10*(i+1))+" "+act+" tcp "+randRange()+" 0.0.0.0/0")
			aclIn = append(aclIn, strconv.Itoa(10*(i+1))+" "+act+" tcp "+randRange()+" 0.0.0.0/0")
		}
		aclOut = append(aclOut, "100 allow tcp 1000-1050 0.0.0.0/0", "* deny all 0.0.0.0/0")
		aclIn = append(aclIn, "100 allow all 0.0.0.0/0")
		n.sg("sg-src", nil, egress)
		n.sg("sg-dst", ingress, nil)
		n.nacl("acl-a", []string{"subnet-a"}, []string{"100 allow all 0.0.0.0/0"}, aclOut)
		n.nacl("acl-b", []string{"subnet-b"}, aclIn, []string{"100 allow all 0.0.0.0/0"})
		n.eni("eni-src", "subnet-a", "10.0.1.5", "sg-src")
		n.eni("eni-dst", "subnet-b", "10.0.2.5", "sg-dst")
		n.m.Index()
		q := Query{From: "eni-src", To: "eni-dst", Protocol: model.ProtoTCP}
		r, err := TraceRange(n.m, q, model.PortRange{First: 990, Last: 1110})
		if err != nil {
			t.Fatal(err)
		}
		segs := r.Segments
		if len(segs) == 0 {
			segs = []Segment{{Verdict: r.Verdict, BlockedBy: r.BlockedBy, Ports: model.PortRange{First: 990, Last: 1110}}}
		}
		for _, s := range segs {
			for p := int(s.Ports.First); p <= int(s.Ports.Last); p++ {
				q.Port = uint16(p)
				one, err := Trace(n.m, q)
				if err != nil {
					t.Fatal(err)
				}
				if one.Verdict != s.Verdict || !sameOutcome(s, one) {
					t.Fatalf("iter %d port %d: alone %s %+v, in segment %s %s %+v", iter, p, one.Verdict, one.BlockedBy, s.Ports, s.Verdict, s.BlockedBy)
				}
			}
		}
	}
}
