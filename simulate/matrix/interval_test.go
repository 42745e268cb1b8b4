package matrix

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// TestClassPeersHoldRuleBlocks: the bounds a class keeps for the peers of
// its members' rules (index) are those of the rules' CIDR blocks and of
// their prefix lists' entries, per direction: two addresses in one
// interval lie in the same blocks and lists. (The interval arithmetic is
// tested in internal/intervals.)
func TestClassPeersHoldRuleBlocks(t *testing.T) {
	m := model.New()
	pl := &model.PrefixList{ID: "pl-1", CIDRsKnown: true, CIDRs: []netip.Prefix{netip.MustParsePrefix("10.9.4.0/24"), netip.MustParsePrefix("2001:db8:9::/120")}}
	m.PrefixLists[pl.ID] = pl
	m.PrefixLists["pl-unknown"] = &model.PrefixList{ID: "pl-unknown"}
	ingress := []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("10.1.0.0/16"), netip.MustParsePrefix("10.1.2.3/32"), netip.MustParsePrefix("::/0")}
	egress := []netip.Prefix{netip.MustParsePrefix("10.2.0.0/15")}
	sg := &model.SecurityGroup{ID: "sg-1", VPCID: "vpc-1"}
	for _, p := range ingress {
		sg.Ingress = append(sg.Ingress, model.SGRule{GroupID: sg.ID, Protocol: model.ProtoTCP, CIDR: p})
	}
	sg.Ingress = append(sg.Ingress, model.SGRule{GroupID: sg.ID, Protocol: model.ProtoTCP, PrefixListID: pl.ID},
		model.SGRule{GroupID: sg.ID, Protocol: model.ProtoTCP, PrefixListID: "pl-unknown"},
		model.SGRule{GroupID: sg.ID, Protocol: model.ProtoTCP, PeerGroup: "sg-2"})
	for _, p := range egress {
		sg.Egress = append(sg.Egress, model.SGRule{GroupID: sg.ID, Egress: true, Protocol: model.ProtoAll, CIDR: p})
	}
	m.SecurityGroups[sg.ID] = sg
	c := &class{members: []*model.ENI{{ID: "eni-1", Groups: []string{sg.ID}}}}
	c.index(m)
	if !c.peers[0].refs["sg-2"] || len(c.peers[1].refs) != 0 {
		t.Fatalf("referenced groups: ingress %v, egress %v", c.peers[0].refs, c.peers[1].refs)
	}
	holding := func(blocks []netip.Prefix, a netip.Addr) []bool {
		var in []bool
		for _, p := range blocks {
			in = append(in, p.Addr().Is4() == a.Is4() && p.Contains(a))
		}
		return in
	}
	addrs := []netip.Addr{}
	for _, s := range []string{"0.0.0.0", "10.0.255.255", "10.1.0.0", "10.1.2.2", "10.1.2.3", "10.1.2.4", "10.1.255.255", "10.2.0.0",
		"10.3.255.255", "10.4.0.0", "10.9.3.255", "10.9.4.0", "10.9.4.255", "10.9.5.0", "255.255.255.255",
		"::", "2001:db8:9::", "2001:db8:9::ff", "2001:db8:9::100", "::ffff:10.1.2.3"} {
		addrs = append(addrs, netip.MustParseAddr(s))
	}
	for d, blocks := range [][]netip.Prefix{append(slices.Clone(ingress), pl.CIDRs...), egress} {
		ps := &c.peers[d]
		for _, a := range addrs {
			for _, b := range addrs {
				if ps.interval(a) == ps.interval(b) && !slices.Equal(holding(blocks, a), holding(blocks, b)) {
					t.Errorf("direction %d: %s and %s share interval %d but not their blocks (%v, %v)", d, a, b, ps.interval(a), holding(blocks, a), holding(blocks, b))
				}
			}
		}
	}
}
