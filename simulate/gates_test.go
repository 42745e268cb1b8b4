package simulate

import (
	"errors"
	"reflect"
	"testing"

	"github.com/vpcpath/vpcpath"
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/snapshot"
)

// TestGatesAnswerAsTrace: for every ordered pair of interfaces of the
// bundled examples and of the hub, peering and on-premises networks, on
// TCP at ports that fall on and between rule bounds, on UDP, ICMP and all
// traffic, the walk with open gates decided on that port gives Trace's
// verdict and block (component, ID, code, rule, direction of the path).
func TestGatesAnswerAsTrace(t *testing.T) {
	compared, gated, between := 0, 0, 0
	check := func(t *testing.T, m *model.Model, from, to string) {
		t.Helper()
		for _, proto := range []model.Protocol{model.ProtoTCP, model.ProtoUDP, model.ProtoICMP, model.ProtoAll} {
			q := Query{From: from, To: to, Protocol: proto}
			g, err := TraceGates(m, q)
			// The matrix's entry, given the interfaces, answers alike.
			if src, dst := m.ENIs[from], m.ENIs[to]; src != nil && dst != nil {
				g2, err2 := TraceGatesBetween(m, q, src, dst, nil)
				if !errors.Is(err2, err) && (err == nil || err2 == nil || err.Error() != err2.Error()) || !reflect.DeepEqual(g, g2) {
					t.Errorf("%s -> %s %s: TraceGatesBetween gives %+v, %v; TraceGates %+v, %v", from, to, proto, g2, err2, g, err)
				}
				between++
			}
			if errors.Is(err, ErrNotGated) {
				continue
			}
			if err != nil {
				continue // a question Trace refuses too
			}
			gated++
			ports := []uint16{0}
			if proto.HasPorts() {
				ports = []uint16{1, 22, 53, 80, 443, 444, 1023, 1024, 3306, 5432, 8443, 32768, 65535}
			}
			for _, port := range ports {
				qq := q
				qq.Port, qq.inRange = port, true
				want, err := Trace(m, qq)
				if err != nil {
					t.Fatalf("%s -> %s %s/%d: %v", from, to, proto, port, err)
				}
				dec := make([]Decision, g.Len())
				blocks := make([]*Block, g.Len())
				for i := range dec {
					dec[i], blocks[i] = g.Decide(m, i, g.Src(), g.Dst(), port, true)
					// Unexplained: the same decision and block but for
					// the reason.
					d, b := g.Decide(m, i, g.Src(), g.Dst(), port, false)
					if d != dec[i] || !sameBlockBut(b, blocks[i]) {
						t.Errorf("%s -> %s %s/%d gate %d: unexplained %s %+v, explained %s %+v", from, to, proto, port, i, d, b, dec[i], blocks[i])
					}
					if v := g.Verdict(m, i, g.Src(), g.Dst(), port); v != d || (v == Allow) != (b == nil) {
						t.Errorf("%s -> %s %s/%d gate %d: Verdict says %s, Decide %s %+v", from, to, proto, port, i, v, d, b)
					}
				}
				v, b := g.Outcome(dec, blocks)
				compared++
				if v != want.Verdict || !sameBlock(b, want.BlockedBy) {
					t.Errorf("%s -> %s %s/%d: gates say %s %+v, Trace says %s %+v", from, to, proto, port, v, b, want.Verdict, want.BlockedBy)
				}
			}
		}
	}
	for _, m := range exampleModels(t) {
		ids := model.SortedKeys(m.ENIs)
		for _, a := range ids {
			for _, b := range ids {
				if a != b {
					check(t, m, a, b)
				}
			}
		}
	}
	for _, build := range []func(*testing.T) *testNet{hub, hubWithACLs, peered, func(t *testing.T) *testNet { return onPrem(t, "UP") }} {
		n := build(t)
		n.m.Index()
		ids := model.SortedKeys(n.m.ENIs)
		for _, a := range ids {
			for _, b := range ids {
				if a != b {
					check(t, n.m, a, b)
				}
			}
		}
	}
	t.Logf("%d flows walked with open gates, %d answers compared with Trace, %d walks compared with TraceGatesBetween", gated, compared, between)
	if between < gated {
		t.Errorf("only %d walks compared with TraceGatesBetween, %d gated", between, gated)
	}
	if gated < 100 {
		t.Fatalf("only %d flows walked with open gates", gated)
	}
}

// hubWithACLs is the hub with network ACLs that cut ports: on the
// source's subnet, on an attachment subnet, and on a spoke, one denying
// part of the ephemeral range, one with an entry the input leaves
// undecided; more interfaces with group references and narrow rules.
func hubWithACLs(t *testing.T) *testNet {
	n := hub(t)
	n.nacl("acl-a", []string{"subnet-a"},
		[]string{"90 deny tcp 3306 10.2.0.0/16", "100 allow tcp 1024-65535 0.0.0.0/0", "110 allow tcp 443 0.0.0.0/0", "120 allow all 10.0.0.0/16", "* deny all 0.0.0.0/0"},
		[]string{"100 deny tcp 5432 0.0.0.0/0", "110 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"})
	n.nacl("acl-att", []string{"subnet-b"},
		[]string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"},
		[]string{"100 deny tcp 22 0.0.0.0/0", "110 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"})
	n.nacl("acl-2", []string{"vpc-2-a"},
		[]string{"100 allow tcp 443-8443 0.0.0.0/0", "110 allow tcp 40000-65535 0.0.0.0/0", "120 allow udp 0-65535 0.0.0.0/0", "130 allow icmp 0.0.0.0/0", "* deny all 0.0.0.0/0"},
		[]string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"})
	n.nacl("acl-9", []string{"vpc-9-a"},
		[]string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"},
		[]string{"50 allow tcp 1024-65535 10.0.0.0/8", "100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"})
	n.m.NetworkACLs["acl-9"].Outbound[0].Unknown = "cidr_block known after apply"
	n.m.NetworkACLs["acl-9"].Inbound = append(acl("40 deny tcp 8000-9000 10.2.0.0/16"), n.m.NetworkACLs["acl-9"].Inbound...)
	n.m.NetworkACLs["acl-9"].Inbound[0].Unknown = "cidr_block known after apply"
	// An undecided route from vpc-2 to vpc-9: an unknown hop before the
	// gates of vpc-9's side.
	rt := n.m.RouteTables["rtb-2"]
	rt.Routes = append(rt.Routes, model.Route{Target: model.Target{Kind: model.TargetTransitGateway, ID: "tgw-1"}, Unknown: "aws_route.x destination_cidr_block comes from a module local", Source: "aws_route.x"})
	n.sg("sg-web", []string{"tcp 443 0.0.0.0/0", "tcp 8443 10.0.0.0/8", "tcp 22 sg-open"}, []string{"tcp 443 0.0.0.0/0", "tcp 5432 10.0.0.0/16"})
	n.eni("eni-a2", "subnet-a", "10.0.1.11", "sg-web")
	n.eni("eni-b", "subnet-b", "10.0.2.10", "sg-web", "sg-open")
	n.eni("eni-22", "vpc-2-a", "10.2.1.11", "sg-web")
	return n
}

// exampleModels loads the bundled examples, in name order.
func exampleModels(t *testing.T) []*model.Model {
	t.Helper()
	var out []*model.Model
	for _, name := range vpcpath.ExampleNames() {
		fsys, err := vpcpath.Example(name)
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := snapshot.LoadFS(fsys, name)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// sameBlockBut compares blocks but for their reasons.
func sameBlockBut(a, b *Block) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	x.Reason, y.Reason = "", ""
	return sameBlock(&x, &y) && (x.Ref == nil) == (y.Ref == nil)
}

func sameBlock(a, b *Block) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Component == b.Component && a.ID == b.ID && a.Code == b.Code && a.Rule == b.Rule && a.Return == b.Return && a.Reason == b.Reason
}
