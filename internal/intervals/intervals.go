// Package intervals numbers the intervals that sorted address bounds cut
// the address space into. When the bounds are the first address and the
// one past the last of a set of CIDR blocks (Bounds.AddPrefix), two
// addresses in one interval lie in exactly the same blocks of the set:
// one address stands for its interval. The simulator uses this for a
// network ACL's entries and the matrix for a class's rule peers, asked
// millions of times on a large estate, so IPv4 bounds are kept as
// integers and searched without a call per step.
package intervals

import (
	"net/netip"
	"slices"
)

// Bounds are address bounds, IPv4 and IPv6 apart. Add bounds, Sort, then
// ask Interval.
type Bounds struct {
	v4 []uint32
	v6 []netip.Addr
}

// Add adds a (ignored when invalid). An IPv4-mapped IPv6 address is an
// IPv6 address here, as it is to netip.Prefix.Contains.
func (b *Bounds) Add(a netip.Addr) {
	switch {
	case !a.IsValid():
	case a.Is4():
		b.v4 = append(b.v4, u32(a))
	default:
		b.v6 = append(b.v6, a.WithZone(""))
	}
}

// AddPrefix adds the first address of p and the one past its last (none
// past the last address of its family).
func (b *Bounds) AddPrefix(p netip.Prefix) {
	if !p.IsValid() {
		return
	}
	p = p.Masked()
	b.Add(p.Addr())
	b.Add(Last(p).Next())
}

// Sort puts the bounds in order and drops repeats; Interval needs it.
func (b *Bounds) Sort() {
	slices.Sort(b.v4)
	b.v4 = slices.Compact(b.v4)
	slices.SortFunc(b.v6, netip.Addr.Compare)
	b.v6 = slices.Compact(b.v6)
}

// Len is the number of intervals: one below the first bound of each
// family, and one from each bound on.
func (b *Bounds) Len() int { return len(b.v4) + len(b.v6) + 2 }

// Interval numbers the interval a lies in, from 0 to Len()-1: IPv4
// addresses count the IPv4 bounds at or below them, IPv6 addresses come
// after every IPv4 interval.
func (b *Bounds) Interval(a netip.Addr) int {
	if a.Is4() {
		u := u32(a)
		lo, hi := 0, len(b.v4)
		for lo < hi {
			h := int(uint(lo+hi) >> 1)
			if b.v4[h] <= u {
				lo = h + 1
			} else {
				hi = h
			}
		}
		return lo
	}
	k, found := slices.BinarySearchFunc(b.v6, a.WithZone(""), netip.Addr.Compare)
	if found {
		k++
	}
	return len(b.v4) + 1 + k
}

// First is the first address of interval i; ok is false when the
// interval holds no address (the one below a family's first bound, when
// that bound is the family's first address).
func (b *Bounds) First(i int) (a netip.Addr, ok bool) {
	switch {
	case i < 0 || i >= b.Len():
		return netip.Addr{}, false
	case i == 0:
		ok = len(b.v4) == 0 || b.v4[0] > 0
		return netip.IPv4Unspecified(), ok
	case i <= len(b.v4):
		v := b.v4[i-1]
		return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
	case i == len(b.v4)+1:
		ok = len(b.v6) == 0 || b.v6[0] != netip.IPv6Unspecified()
		return netip.IPv6Unspecified(), ok
	}
	return b.v6[i-len(b.v4)-2], true
}

func u32(a netip.Addr) uint32 {
	v := a.As4()
	return uint32(v[0])<<24 | uint32(v[1])<<16 | uint32(v[2])<<8 | uint32(v[3])
}

// Last is the last address of p.
func Last(p netip.Prefix) netip.Addr {
	p = p.Masked()
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 1 << (7 - uint(i%8))
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}
