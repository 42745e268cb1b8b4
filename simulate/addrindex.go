package simulate

import (
	"net/netip"

	"github.com/vpcpath/vpcpath/internal/intervals"
	"github.com/vpcpath/vpcpath/model"
)

// addrIndex is a function of an address that depends only on which of
// some CIDR blocks hold it, worked out once per interval of the blocks'
// bounds (intervals.Bounds): a lookup is one binary search. It is exact
// only for such functions; callers say why theirs is one.
type addrIndex[T any] struct {
	bounds intervals.Bounds
	vals   []T
}

// newAddrIndex evaluates f at the first address of every interval of b
// (whose blocks' bounds have been added; it sorts them).
func newAddrIndex[T any](b intervals.Bounds, f func(netip.Addr) T) *addrIndex[T] {
	b.Sort()
	x := &addrIndex[T]{bounds: b, vals: make([]T, b.Len())}
	for i := range x.vals {
		if a, ok := b.First(i); ok {
			x.vals[i] = f(a)
		}
	}
	return x
}

// at is f(a), for a valid address without a zone (a zone puts an address
// in no block: ask f).
func (x *addrIndex[T]) at(a netip.Addr) T { return x.vals[x.bounds.Interval(a)] }

// newRouteIndex indexes lookupRoute of rt, or returns nil when the lookup
// may depend on more than which route destinations and prefix list
// entries hold the address: a route or prefix list the input does not
// decide (whose texts name the address, and whose prefix list test
// plCannotHold reads the address).
func newRouteIndex(m *model.Model, rt *model.RouteTable) *addrIndex[routeChoice] {
	b, ok := routeBounds(m, len(rt.Routes), func(i int) (netip.Prefix, string, string) {
		r := &rt.Routes[i]
		return r.Dest, r.DestPrefixList, r.Unknown
	})
	if !ok {
		return nil
	}
	return newAddrIndex(b, func(a netip.Addr) routeChoice { return lookupRoute(m, rt, a) })
}

// newTGWRouteIndex indexes lookupTGWRoute of rt, or returns nil when a
// route or prefix list of rt is not decided (the lookup's text then names
// the address).
func newTGWRouteIndex(m *model.Model, rt *model.TGWRouteTable) *addrIndex[tgwChoice] {
	b, ok := routeBounds(m, len(rt.Routes), func(i int) (netip.Prefix, string, string) {
		r := &rt.Routes[i]
		return r.Dest, r.DestPrefixList, r.Unknown
	})
	if !ok {
		return nil
	}
	return newAddrIndex(b, func(a netip.Addr) tgwChoice { return lookupTGWRoute(m, rt, a) })
}

// routeBounds are the bounds of n routes' destinations (route(i): its
// block, prefix list and what the input leaves undecided) and of their
// prefix lists' entries; false when a route or prefix list is undecided,
// or when the table is too long to index (building the index looks the
// table up once per interval: a table of n routes costs about 2n².
// VPC route tables hold up to 1,000 routes, transit gateway tables
// more).
func routeBounds(m *model.Model, n int, route func(i int) (dest netip.Prefix, pl, unknown string)) (intervals.Bounds, bool) {
	var b intervals.Bounds
	if n > maxIndexedRoutes {
		return b, false
	}
	for i := range n {
		dest, plID, unknown := route(i)
		if unknown != "" {
			return b, false
		}
		if plID == "" {
			b.AddPrefix(dest)
			continue
		}
		pl := m.PrefixLists[plID]
		if pl == nil || !pl.CIDRsKnown {
			return b, false
		}
		for _, p := range pl.CIDRs {
			b.AddPrefix(p)
		}
	}
	return b, true
}

// maxIndexedRoutes bounds the tables indexed by interval: the large
// estate's longest has 200 routes.
const maxIndexedRoutes = 512
