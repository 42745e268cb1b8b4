package simulate

import (
	"net/netip"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// sharedSpace is RFC 6598's carrier-grade NAT range, private like RFC 1918.
var sharedSpace = netip.MustParsePrefix("100.64.0.0/10")

// plCannotHold reports whether route r, whose destination is a prefix
// list with unknown entries, cannot match dst whatever the list holds: an
// AWS-managed service list (com.amazonaws.<region>.<service>, what a
// gateway endpoint routes) holds the service's public addresses, never a
// private one (RFC 1918, RFC 6598, link-local, loopback). (A dst inside
// the VPC goes by the local route anyway: lookupRoute.) Anything else the
// list might hold keeps the answer unknown.
func plCannotHold(m *model.Model, r *model.Route, dst netip.Addr) bool {
	name := r.DestPrefixList
	if pl := m.PrefixLists[r.DestPrefixList]; pl != nil && pl.Name != "" {
		name = pl.Name
	}
	if ep := m.Endpoints[r.Target.ID]; ep != nil && r.Target.Kind == model.TargetVPCEndpoint && ep.ServiceName != "" && name == r.DestPrefixList {
		name = ep.ServiceName // a planned list known by its endpoint only
	}
	private := dst.IsPrivate() || dst.IsLoopback() || dst.IsLinkLocalUnicast() || sharedSpace.Contains(dst)
	return strings.HasPrefix(name, "com.amazonaws.") && private
}
