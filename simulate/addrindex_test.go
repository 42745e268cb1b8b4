package simulate

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/vpcpath/vpcpath/internal/intervals"
	"github.com/vpcpath/vpcpath/model"
)

// TestRouteIndexIsLookupRoute: on random subnet and transit gateway
// route tables (local, static, propagated, blackhole and prefix-list
// routes of both families, nested and equal destinations, a prefix list
// with overlapping entries), the indexes give lookupRoute's and
// lookupTGWRoute's choices for addresses on, before and past every
// destination's and entry's ends; a table with a route or prefix list
// the input does not decide, or too long, is not indexed.
func TestRouteIndexIsLookupRoute(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 14))
	m := model.New()
	m.PrefixLists["pl-s3"] = &model.PrefixList{ID: "pl-s3", CIDRsKnown: true, CIDRs: []netip.Prefix{
		netip.MustParsePrefix("52.216.0.0/15"), netip.MustParsePrefix("52.217.4.0/24"), netip.MustParsePrefix("10.0.8.0/22"), netip.MustParsePrefix("2600:1f00::/40")}}
	m.PrefixLists["pl-unknown"] = &model.PrefixList{ID: "pl-unknown"}
	dests := []string{"10.0.0.0/16", "10.0.8.0/22", "10.0.8.0/24", "0.0.0.0/0", "52.216.0.0/16", "10.0.9.7/32", "::/0", "2600:1f00::/48", "fd00::/8"}
	targets := []model.Target{{Kind: model.TargetTransitGateway, ID: "tgw-1"}, {Kind: model.TargetNAT, ID: "nat-1"}, {Kind: model.TargetPeering, ID: "pcx-1"}}
	for round := range 200 {
		rt := &model.RouteTable{ID: "rtb-1", Routes: []model.Route{{Dest: netip.MustParsePrefix("10.0.0.0/16"), Target: model.Target{Kind: model.TargetLocal, ID: "local"}}}}
		trt := &model.TGWRouteTable{ID: "tgw-rtb-1"}
		for k := range r.IntN(8) {
			route := model.Route{Target: targets[r.IntN(len(targets))]}
			troute := model.TGWRoute{Type: model.TGWRouteStatic, State: model.TGWRouteActive, Attachments: []string{fmt.Sprintf("tgw-attach-%d", k)}}
			switch r.IntN(5) {
			case 0:
				route.DestPrefixList, route.Target = "pl-s3", model.Target{Kind: model.TargetVPCEndpoint, ID: "vpce-1"}
				troute.DestPrefixList = "pl-s3"
			case 1:
				route.Dest, route.Origin = netip.MustParsePrefix(dests[r.IntN(len(dests))]), "EnableVgwRoutePropagation"
				troute.Dest, troute.Type = route.Dest, model.TGWRoutePropagated
			default:
				route.Dest = netip.MustParsePrefix(dests[r.IntN(len(dests))])
				troute.Dest = route.Dest
			}
			if r.IntN(6) == 0 {
				route.Blackhole = true
				troute.State, troute.Attachments = model.TGWRouteBlackhole, nil
			}
			rt.Routes = append(rt.Routes, route)
			trt.Routes = append(trt.Routes, troute)
		}
		x, tx := newRouteIndex(m, rt), newTGWRouteIndex(m, trt)
		if x == nil || tx == nil {
			t.Fatalf("round %d: a decided table is not indexed", round)
		}
		var probes []netip.Addr
		for _, s := range dests {
			p := netip.MustParsePrefix(s)
			probes = append(probes, p.Addr(), p.Addr().Prev(), intervals.Last(p), intervals.Last(p).Next())
		}
		for _, p := range m.PrefixLists["pl-s3"].CIDRs {
			probes = append(probes, p.Addr(), p.Addr().Prev(), intervals.Last(p), intervals.Last(p).Next())
		}
		probes = append(probes, netip.MustParseAddr("::ffff:10.0.9.7"), netip.MustParseAddr("255.255.255.255"))
		for _, a := range probes {
			if !a.IsValid() {
				continue
			}
			if got, want := x.at(a), lookupRoute(m, rt, a); got != want {
				t.Fatalf("round %d: %s: the index chooses %+v, lookupRoute %+v", round, a, got, want)
			}
			if got, want := tx.at(a), lookupTGWRoute(m, trt, a); got != want {
				t.Fatalf("round %d: %s: the index chooses %+v, lookupTGWRoute %+v", round, a, got, want)
			}
		}
	}
	long := &model.RouteTable{ID: "rtb-long"}
	for i := range maxIndexedRoutes + 1 {
		long.Routes = append(long.Routes, model.Route{Dest: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24), Target: targets[0]})
	}
	if newRouteIndex(m, long) != nil {
		t.Errorf("a table of %d routes is indexed", len(long.Routes))
	}
	for _, route := range []model.Route{
		{DestPrefixList: "pl-unknown", Target: model.Target{Kind: model.TargetVPCEndpoint, ID: "vpce-1"}},
		{Dest: netip.MustParsePrefix("0.0.0.0/0"), Target: model.Target{Kind: model.TargetNAT}, Unknown: "nat_gateway_id known after apply"},
	} {
		rt := &model.RouteTable{ID: "rtb-2", Routes: []model.Route{route}}
		if newRouteIndex(m, rt) != nil {
			t.Errorf("a table with %+v is indexed", route)
		}
		trt := &model.TGWRouteTable{ID: "tgw-rtb-2", Routes: []model.TGWRoute{{Dest: route.Dest, DestPrefixList: route.DestPrefixList, Unknown: route.Unknown, Type: model.TGWRouteStatic}}}
		if newTGWRouteIndex(m, trt) != nil {
			t.Errorf("a transit gateway table with %+v is indexed", trt.Routes[0])
		}
	}
}
