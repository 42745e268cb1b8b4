package matrix

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// TestIntervalsTellBlocksApart: two addresses in the same interval of a
// class's cuts lie in the same CIDR blocks and prefix lists, across both
// families (0.0.0.0/0 ends at the last IPv4 address, which has no next).
func TestIntervalsTellBlocksApart(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	v4 := func() netip.Addr {
		return netip.AddrFrom4([4]byte{10, byte(r.IntN(3)), byte(r.IntN(4)), byte(r.IntN(256))})
	}
	v6 := func() netip.Addr {
		return netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, byte(r.IntN(3)), 15: byte(r.IntN(256))})
	}
	for round := range 200 {
		m := model.New()
		cidrs := []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}
		if round%2 == 0 {
			cidrs = append(cidrs, netip.MustParsePrefix("::/0"))
		}
		for range r.IntN(6) {
			cidrs = append(cidrs, netip.PrefixFrom(v4(), 16+r.IntN(17)).Masked())
		}
		for range r.IntN(3) {
			cidrs = append(cidrs, netip.PrefixFrom(v6(), 48+r.IntN(81)).Masked())
		}
		pl := &model.PrefixList{ID: "pl-1", CIDRsKnown: true, CIDRs: []netip.Prefix{netip.PrefixFrom(v4(), 24+r.IntN(9)).Masked(), netip.PrefixFrom(v6(), 120).Masked()}}
		m.PrefixLists[pl.ID] = pl
		var ps peerSpecs
		for _, p := range cidrs {
			ps.block(p)
		}
		ps.list(m, pl.ID)
		ps.sortCuts()
		member := func(a netip.Addr) []bool {
			var out []bool
			for _, p := range cidrs {
				out = append(out, p.Addr().Is4() == a.Is4() && p.Contains(a))
			}
			_, ok := pl.Contains(a)
			return append(out, ok)
		}
		addrs := []netip.Addr{netip.MustParseAddr("255.255.255.255"), netip.MustParseAddr("::"), netip.MustParseAddr("0.0.0.0")}
		for range 40 {
			addrs = append(addrs, v4(), v6())
		}
		for _, a := range addrs {
			for _, b := range addrs {
				if ps.interval(a) == ps.interval(b) && !slices.Equal(member(a), member(b)) {
					t.Fatalf("round %d: %s and %s share interval %d of %v but not their blocks (%v, %v)", round, a, b, ps.interval(a), cidrs, member(a), member(b))
				}
			}
		}
	}
}
