package intervals

import (
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
)

// TestIntervalsHoldTheSameBlocks: on random sets of IPv4 and IPv6 blocks
// (overlapping, nested, /0, single addresses, unmasked), every address
// lies in the same blocks as the first address of its interval (which
// is not empty); probes sit on, just before
// and just past every block's ends, at the ends of both families, and
// at random (IPv4-mapped IPv6 ones too).
func TestIntervalsHoldTheSameBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 12))
	v4 := func() netip.Addr {
		// Few distinct high bytes, so that blocks overlap and nest.
		return netip.AddrFrom4([4]byte{10, byte(r.IntN(3)), byte(r.IntN(4)), byte(r.IntN(256))})
	}
	v6 := func() netip.Addr {
		return netip.AddrFrom16([16]byte{0xfd, byte(r.IntN(2)), byte(r.IntN(3)), 15: byte(r.IntN(256))})
	}
	for round := range 300 {
		var blocks []netip.Prefix
		for range r.IntN(12) {
			switch r.IntN(6) {
			case 0:
				blocks = append(blocks, netip.PrefixFrom(netip.IPv4Unspecified(), 0))
			case 1:
				blocks = append(blocks, netip.PrefixFrom(v6(), r.IntN(129)))
			case 2:
				blocks = append(blocks, netip.PrefixFrom(v4(), 32))
			case 3:
				blocks = append(blocks, netip.PrefixFrom(netip.IPv6Unspecified(), r.IntN(2)*96))
			default:
				blocks = append(blocks, netip.PrefixFrom(v4(), 8+r.IntN(25)))
			}
		}
		var b Bounds
		for _, p := range blocks {
			b.AddPrefix(p)
		}
		b.Sort()
		holding := func(a netip.Addr) []bool {
			var in []bool
			for _, p := range blocks {
				in = append(in, p.Addr().Is4() == a.Is4() && p.Contains(a))
			}
			return in
		}
		probes := []netip.Addr{netip.IPv4Unspecified(), netip.MustParseAddr("255.255.255.255"), netip.IPv6Unspecified(), netip.MustParseAddr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")}
		for _, p := range blocks {
			first, end := p.Masked().Addr(), Last(p)
			probes = append(probes, first, first.Prev(), end, end.Next())
		}
		for range 50 {
			probes = append(probes, v4(), v6(), netip.AddrFrom16(v4().As16()))
		}
		for _, a := range probes {
			if !a.IsValid() {
				continue
			}
			i := b.Interval(a)
			if i < 0 || i >= b.Len() {
				t.Fatalf("round %d: %s: interval %d of %d", round, a, i, b.Len())
			}
			f, ok := b.First(i)
			if !ok {
				t.Fatalf("round %d: %s lies in interval %d, which First says is empty", round, a, i)
			}
			if b.Interval(f) != i {
				t.Fatalf("round %d: interval %d starts at %s, which lies in interval %d", round, i, f, b.Interval(f))
			}
			if got, want := holding(a), holding(f); !slices.Equal(got, want) {
				t.Fatalf("round %d: blocks %v: %s (interval %d) lies in %v, its interval's start in %v", round, blocks, a, i, got, want)
			}
		}
	}
}
