package simulate

import (
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// TestACLIndexAgreesWithEntries checks the interval index of an ACL's
// entries against testing each entry's block, on random IPv4 and IPv6
// blocks (masked or not, /0 and single addresses included) and on
// addresses at, just before and just past every block's ends, plus
// random ones and IPv4-mapped IPv6 ones.
func TestACLIndexAgreesWithEntries(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 12))
	v4 := func() netip.Addr {
		// Few distinct high bytes, so that blocks overlap and nest.
		return netip.AddrFrom4([4]byte{10, byte(r.IntN(3)), byte(r.IntN(4)), byte(r.IntN(256))})
	}
	v6 := func() netip.Addr {
		var b [16]byte
		b[0], b[1], b[2], b[15] = 0xfd, byte(r.IntN(2)), byte(r.IntN(3)), byte(r.IntN(256))
		return netip.AddrFrom16(b)
	}
	for round := range 300 {
		var entries []model.NACLEntry
		for range r.IntN(12) {
			var p netip.Prefix
			switch r.IntN(6) {
			case 0:
				p = netip.PrefixFrom(netip.IPv4Unspecified(), 0)
			case 1:
				p = netip.PrefixFrom(v6(), r.IntN(129))
			case 2:
				p = netip.PrefixFrom(v4(), 32)
			case 3:
				p = netip.PrefixFrom(netip.IPv6Unspecified(), 0)
			default:
				p = netip.PrefixFrom(v4(), 8+r.IntN(25))
			}
			entries = append(entries, model.NACLEntry{CIDR: p})
		}
		if r.IntN(5) == 0 {
			entries = append(entries, model.NACLEntry{}) // no block (a prefix list entry, unknown)
		}
		x := newACLIndex(entries)
		var probes []netip.Addr
		for _, e := range entries {
			if !e.CIDR.IsValid() {
				continue
			}
			first, last := e.CIDR.Masked().Addr(), lastAddr(e.CIDR)
			probes = append(probes, first, first.Prev(), last, last.Next())
		}
		for range 50 {
			probes = append(probes, v4(), v6(), netip.AddrFrom16(v4().As16()))
		}
		probes = append(probes, netip.IPv4Unspecified(), netip.MustParseAddr("255.255.255.255"), netip.IPv6Unspecified(), netip.MustParseAddr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))
		for _, a := range probes {
			if !a.IsValid() {
				continue
			}
			if got, want := x.bits(a), entryBits(entries, a); got != want {
				t.Fatalf("round %d: entries %v, address %s: index says %b, entries say %b", round, entries, a, got, want)
			}
		}
	}
}
