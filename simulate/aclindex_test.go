package simulate

import (
	"net/netip"
	"testing"

	"github.com/vpcpath/vpcpath/internal/intervals"
	"github.com/vpcpath/vpcpath/model"
)

// TestACLIndexAgreesWithEntries: the entries the index finds for an
// address are those whose blocks hold it, on overlapping IPv4 and IPv6
// entries, an entry without a block, and addresses on, before and past
// every block's ends. (The interval arithmetic is tested in
// internal/intervals.)
func TestACLIndexAgreesWithEntries(t *testing.T) {
	var entries []model.NACLEntry
	for _, s := range []string{"10.0.0.0/16", "10.0.1.7/32", "10.0.1.0/24", "0.0.0.0/0", "", "2001:db8::/64", "::/0", "10.0.9.9/20"} {
		e := model.NACLEntry{Number: 10 * (len(entries) + 1)}
		if s != "" {
			e.CIDR = netip.MustParsePrefix(s)
		}
		entries = append(entries, e)
	}
	x := newACLIndex(entries)
	probes := []netip.Addr{netip.MustParseAddr("255.255.255.255"), netip.MustParseAddr("::ffff:10.0.1.7")}
	for _, e := range entries {
		if e.CIDR.IsValid() {
			first, last := e.CIDR.Masked().Addr(), intervals.Last(e.CIDR)
			probes = append(probes, first, first.Prev(), first.Next(), last, last.Next())
		}
	}
	for _, a := range probes {
		if !a.IsValid() {
			continue
		}
		if got, want := x.at(a), entryBits(entries, a); got != want {
			t.Errorf("%s: the index finds entries %b, the entries' blocks say %b", a, got, want)
		}
	}
}
