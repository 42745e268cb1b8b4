package simulate

import (
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// newWalk returns a tracer on a small network and a packet at the
// source's VPC router, for tests that drive the walk loop themselves.
func newWalk(t *testing.T) (*tracer, *flight) {
	n := newNet(t)
	src := n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
	n.m.Index()
	tr := &tracer{m: n.m, q: Query{Protocol: model.ProtoTCP, Port: 443}, src: src, srcIP: addr("10.0.1.10"), srcSub: n.m.Subnets["subnet-a"],
		dst: target{ip: addr("10.9.0.1")}}
	tr.res = Result{Hops: []Hop{}, ReturnHops: []Hop{}}
	f := &flight{packet: tr.forward(), at: loc{el: elRouter, vpc: "vpc-1", sub: tr.srcSub}}
	return tr, f
}

// A packet that comes back to an element with the same header is in a
// routing loop: blocked there, naming every element of the cycle.
func TestRoutingLoopIsBlockedNamingTheCycle(t *testing.T) {
	tr, f := newWalk(t)
	subs := []*model.Subnet{tr.m.Subnets["subnet-a"], tr.m.Subnets["subnet-b"], tr.m.Subnets["subnet-pub"]}
	i := 0
	tr.run(f, func(f *flight) bool {
		tr.allow(Hop{Component: CompRouteTable, ID: f.at.sub.ID, Code: CodeRouteMatch})
		i++
		f.at = loc{el: elRouter, vpc: "vpc-1", sub: subs[i%3]}
		return true
	})
	if tr.block == nil || tr.block.Rule != "routing loop" || tr.block.Component != CompRouteTable || tr.block.Code != CodeRoutingLoop {
		t.Fatalf("block %+v, want a routing loop at a route table", tr.block)
	}
	want := "circles the route table of subnet-a -> the route table of subnet-b -> the route table of subnet-pub -> the route table of subnet-a"
	if !strings.Contains(tr.block.Reason, want) {
		t.Fatalf("reason %q does not name the cycle %q", tr.block.Reason, want)
	}
	if i != 3 {
		t.Fatalf("the loop ran %d steps, want 3 (stopped when it came back)", i)
	}
}

// The same element with another header (after NAT) is no loop; a walk that
// never repeats still ends at the hop limit.
func TestWalkEndsAtTheHopLimit(t *testing.T) {
	tr, f := newWalk(t)
	steps := 0
	tr.run(f, func(f *flight) bool {
		steps++
		f.src = f.src.Next()
		return true
	})
	if steps != hopLimit || tr.block == nil || !strings.HasPrefix(tr.block.Rule, "hop limit") {
		t.Fatalf("%d steps, block %+v; want %d steps and a hop-limit block", steps, tr.block, hopLimit)
	}
}

// Forward and reply visit the same elements without that being a loop.
func TestReplyThroughTheSameElementsIsNoLoop(t *testing.T) {
	n := newNet(t)
	n.internet()
	n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1")
	n.eni("eni-a", "subnet-a", "10.0.1.10", "sg-open")
	expect(t, n.trace("eni-a", "198.51.100.7", "tcp", 443), Reachable, "", "", false)
}
