package diff

import (
	"net/netip"
	"strings"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/check"
)

// present reports whether src is an interface of m and dst an interface
// of m or an address (a destination outside the VPC).
func present(m *model.Model, src, dst string) bool {
	if m.ENIs[src] == nil {
		return false
	}
	if _, err := netip.ParseAddr(dst); err == nil {
		return true
	}
	return m.ENIs[dst] != nil
}

// passPath is the path of a passing outcome ("reachable via route-table
// rtb-1 > vpc-endpoint vpce-1"), "" for any other.
func passPath(o check.Outcome) string {
	if o.Status != check.Pass || !strings.HasPrefix(o.Detail, "reachable via ") {
		return ""
	}
	return strings.TrimPrefix(o.Detail, "reachable via ")
}

// internetAddr stands for "somewhere on the internet" (TEST-NET-2, RFC
// 5737): no rule of a real network names it, so it takes the default
// route, as check does.
const internetAddr = "198.51.100.10"

// outside is a destination outside the VPCs: the internet, or an AWS
// service behind a gateway endpoint (its prefix list's first address).
type outside struct {
	name string // "internet" or the service's list name
	addr string
}

// outsides lists the destinations outside the VPCs: the internet, and
// the service of every gateway endpoint whose prefix list's addresses
// either network knows.
func outsides(ms ...*model.Model) []outside {
	out := []outside{{"internet", internetAddr}}
	seen := map[string]bool{}
	for _, m := range ms {
		for _, id := range model.SortedKeys(m.Endpoints) {
			ep := m.Endpoints[id]
			pl := m.PrefixListByName(ep.ServiceName)
			if ep.Type != model.EndpointGateway || pl == nil || !pl.CIDRsKnown || len(pl.CIDRs) == 0 || seen[ep.ServiceName] {
				continue
			}
			seen[ep.ServiceName] = true
			a := pl.CIDRs[0].Masked().Addr().Next()
			out = append(out, outside{ep.ServiceName, a.String()})
		}
	}
	return out
}

// forwardPath is the gateways, tables and endpoints a trace passes, as
// check writes a path.
func forwardPath(m *model.Model, src, dst string, proto model.Protocol, port uint16, opts check.Options) string {
	if !present(m, src, dst) {
		return ""
	}
	res, err := simulate.Trace(m, simulate.Query{From: src, To: dst, Protocol: proto, Port: port, Ephemeral: opts.Ephemeral, EphemeralName: opts.EphemeralName, DNS: opts.DNS})
	if err != nil || res.Verdict != simulate.Reachable {
		return ""
	}
	var parts []string
	for _, h := range res.Hops {
		switch h.Component {
		case simulate.CompRouteTable, simulate.CompNATGateway, simulate.CompInternetGateway, simulate.CompVPCEndpoint, simulate.CompPrefixList:
			parts = append(parts, string(h.Component)+" "+h.ID)
		}
	}
	return strings.Join(parts, " > ")
}
