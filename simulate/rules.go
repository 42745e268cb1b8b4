package simulate

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// packet is what a check looks at. Ports is a single port for a forward
// packet and the client's ephemeral range for a reply (network ACLs match the
// destination port only, so a reply's port is the client's source port).
type packet struct {
	src, dst netip.Addr
	proto    model.Protocol
	ports    model.PortRange
	icmpType int16
	icmpCode int16
}

func protoMatches(rule, flow model.Protocol) bool {
	return rule == model.ProtoAll || rule == flow
}

// sameFamily reports whether a prefix and an address are both IPv4 or both
// IPv6.
func sameFamily(p netip.Prefix, a netip.Addr) bool { return p.Addr().Is4() == a.Is4() }

// sgVerdict is the outcome of a security group check on one interface.
type sgVerdict struct {
	decision Decision
	group    string // the group whose rule matched (or all groups, on deny)
	rule     string
	reason   string
	decide   string // what would decide an undecided check
	index    int    // the allowing rule's index in its group's list
}

// peer is the other end of a security group check: its address and, when
// the packet reaches this interface from a private address of an interface
// in the model, that interface (group references match only then).
type peer struct {
	addr netip.Addr
	eni  *model.ENI
}

// noGroupTypes are interface types that carry no security groups.
var noGroupTypes = map[string]string{
	"nat_gateway":           "NAT gateway interfaces carry no security groups",
	"transit_gateway":       "transit gateway attachment interfaces carry no security groups",
	"gateway_load_balancer": "Gateway Load Balancer interfaces carry no security groups",
	// PrivateLink guide, "Gateway Load Balancer endpoints": no security groups.
	"gateway_load_balancer_endpoint": "Gateway Load Balancer endpoint interfaces carry no security groups",
}

// evalSG checks the security groups of eni for a packet leaving it (egress)
// or arriving at it (ingress). All rules of all groups form one allow set
// (aws-semantics: security groups; VPC guide, "Security group rules").
//
// The verdict says as much as detail asks: with sgBrief only what decides
// (decision, group, index, what to decide), no rule text or reason, which
// the matrix, deciding millions of checks, never shows; with sgDecision
// not even the groups of a check that does not allow.
func evalSG(m *model.Model, eni *model.ENI, egress bool, p packet, other peer, detail sgDetail) sgVerdict {
	explain := detail == sgExplain
	dir := "ingress"
	if egress {
		dir = "egress"
	}
	if len(eni.Groups) == 0 {
		if why, ok := noGroupTypes[eni.Type]; ok {
			return sgVerdict{decision: Allow, group: eni.ID, reason: why}
		}
		return sgVerdict{decision: Undecided, group: eni.ID, reason: "the snapshot records no security groups on " + eni.ID, decide: missingSGData}
	}
	var unknown []string
	decide, missing := "", false
	for _, gid := range eni.Groups {
		g := m.SecurityGroups[gid]
		if g == nil {
			unknown = append(unknown, gid+" is not in the snapshot")
			missing = true
			continue
		}
		rules := g.Ingress
		if egress {
			rules = g.Egress
		}
		for i := range rules {
			r := &rules[i]
			if !protoMatches(r.Protocol, p.proto) {
				continue
			}
			if p.proto.HasPorts() && !r.Ports.Covers(p.ports) {
				continue
			}
			if p.proto.IsICMP() && r.Protocol.IsICMP() && !r.ICMP.Matches(p.icmpType, p.icmpCode) {
				continue
			}
			ok, why := sgPeerMatches(m, r, other)
			if r.Unknown != "" {
				// A rule the input does not fully decide: its undecided
				// parts are at their widest, so matching known parts mean
				// it may match (package doc, "Unknown values").
				if ok || why != "" || !sgPeerKnown(r) {
					unknown = append(unknown, unknownRule(r))
					decide = "known after apply: decide the rule in the configuration, or check the applied security group"
				}
				continue
			}
			if why != "" {
				unknown = append(unknown, why)
				missing = true
				continue
			}
			if ok {
				if !explain {
					return sgVerdict{decision: Allow, group: gid, index: i}
				}
				return sgVerdict{decision: Allow, group: gid, rule: ruleText(m, r), reason: sgAllowReason(dir, g, p, other.addr, egress), index: i}
			}
		}
	}
	groups := ""
	if detail > sgDecision {
		groups = strings.Join(eni.Groups, ",")
	}
	if len(unknown) > 0 {
		if missing {
			decide = missingSGData
		}
		if !explain {
			return sgVerdict{decision: Undecided, group: groups, decide: decide}
		}
		return sgVerdict{decision: Undecided, group: groups, reason: "no rule certainly matches and " + strings.Join(unknown, "; "), decide: decide}
	}
	if !explain {
		return sgVerdict{decision: Deny, group: groups}
	}
	return sgVerdict{decision: Deny, group: groups, reason: fmt.Sprintf("no %s rule of %s allows %s", dir, strings.Join(eni.Groups, ", "), describePacket(p, other.addr, egress))}
}

// sgDetail is how much a security group verdict says.
type sgDetail uint8

const (
	sgDecision sgDetail = iota // the decision (and the rule that allows)
	sgBrief                    // and the groups and what to decide
	sgExplain                  // and the rule text and reason
)

const missingSGData = "add the missing security groups and prefix lists (describe-security-groups, describe-managed-prefix-lists, get-managed-prefix-list-entries) to the snapshot"

// sgPeerKnown reports whether a rule names its peer.
func sgPeerKnown(r *model.SGRule) bool {
	return r.PeerGroup != "" || r.PrefixListID != "" || r.CIDR.IsValid()
}

// unknownRule says which rule an answer depends on and what it lacks.
func unknownRule(r *model.SGRule) string {
	return fmt.Sprintf("rule %s of %s may match: %s", r.String(), unknownWhere(r.Source, r.GroupID), r.Unknown)
}

// sgPeerMatches reports whether rule r's peer matches the other end. A
// non-empty why means it cannot be decided.
func sgPeerMatches(m *model.Model, r *model.SGRule, other peer) (bool, string) {
	switch {
	case r.PeerGroup != "":
		// A group reference matches the private IPs of interfaces that carry
		// the group; never a public IP or an address after NAT.
		if other.eni == nil {
			return false, ""
		}
		return other.eni.HasGroup(r.PeerGroup), ""
	case r.PrefixListID != "":
		pl := m.PrefixLists[r.PrefixListID]
		if pl == nil || !pl.CIDRsKnown {
			return false, "rule " + r.String() + " names prefix list " + r.PrefixListID + " whose entries the snapshot lacks"
		}
		_, ok := pl.Contains(other.addr)
		return ok, ""
	}
	return r.CIDR.IsValid() && sameFamily(r.CIDR, other.addr) && r.CIDR.Contains(other.addr), ""
}

// sgAllowReason writes "egress of sg-1 (name) allows tcp/443 to 10.0.0.1"
// in one allocation: every allowing group hop has one.
func sgAllowReason(dir string, g *model.SecurityGroup, p packet, peerAddr netip.Addr, egress bool) string {
	var b strings.Builder
	b.Grow(128)
	b.WriteString(dir)
	b.WriteString(" of ")
	writeLabel(&b, g.ID, g.Name)
	b.WriteString(" allows ")
	writeFlowProto(&b, p)
	if egress {
		b.WriteString(" to ")
	} else {
		b.WriteString(" from ")
	}
	var ab [64]byte
	b.Write(peerAddr.AppendTo(ab[:0]))
	return b.String()
}

// ruleText is a rule as a person writes it, with the peer's name.
func ruleText(m *model.Model, r *model.SGRule) string {
	s := r.String()
	if r.PeerGroup != "" {
		if g := m.SecurityGroups[r.PeerGroup]; g != nil && g.Name != "" {
			s += " (" + g.Name + ")"
		}
	}
	if r.PrefixListID != "" {
		if pl := m.PrefixLists[r.PrefixListID]; pl != nil && pl.Name != "" {
			s += " (" + pl.Name + ")"
		}
	}
	return s
}

func describePacket(p packet, peerAddr netip.Addr, egress bool) string {
	var b strings.Builder
	b.WriteString(flowProto(p))
	if egress {
		b.WriteString(" to ")
	} else {
		b.WriteString(" from ")
	}
	b.WriteString(peerAddr.String())
	return b.String()
}

func flowProto(p packet) string {
	var b strings.Builder
	writeFlowProto(&b, p)
	return b.String()
}

// writeFlowProto writes what flowProto returns ("tcp/443", "all traffic",
// "icmp type 8") without the intermediate strings: it runs for every hop.
func writeFlowProto(b *strings.Builder, p packet) {
	switch {
	case p.proto == model.ProtoAll:
		b.WriteString("all traffic")
	case p.proto.HasPorts():
		b.WriteString(p.proto.String())
		b.WriteByte('/')
		writePorts(b, p.ports)
	case p.proto.IsICMP():
		b.WriteString(p.proto.String())
		b.WriteString(" type ")
		b.WriteString(strconv.Itoa(int(p.icmpType)))
	default:
		b.WriteString("protocol ")
		b.WriteString(p.proto.String())
	}
}

// writePorts writes r as model.PortRange.String does.
func writePorts(b *strings.Builder, r model.PortRange) {
	switch {
	case r.IsAll():
		b.WriteString("all")
	case r.First == r.Last:
		b.WriteString(strconv.Itoa(int(r.First)))
	default:
		b.WriteString(strconv.Itoa(int(r.First)))
		b.WriteByte('-')
		b.WriteString(strconv.Itoa(int(r.Last)))
	}
}

// naclVerdict is the outcome of a network ACL check.
type naclVerdict struct {
	decision Decision
	entry    *model.NACLEntry // the deciding entry (the first denying one on deny)
	rule     string
	reason   string
	// allowed and denied split the port range when a reply's ephemeral
	// range is partly allowed.
	allowed, denied []portSpan
}

type portSpan struct {
	ports model.PortRange
	entry *model.NACLEntry
}

// evalNACL checks a network ACL for a packet leaving (outbound) or entering
// (inbound) a subnet. Rules are evaluated in ascending number and the first
// match decides; the final "*" rule denies (aws-semantics: network ACLs; VPC
// guide, "Network ACL rules"). Outbound rules match the packet's destination
// address, inbound rules its source. For a port range (a reply to an
// ephemeral range) each port is decided by its own first matching rule, and
// the range passes only if every port does.
func evalNACL(acl *model.NetworkACL, outbound bool, p packet) naclVerdict {
	return evalNACLOn(acl, outbound, p, nil)
}

// evalNACLOn is evalNACL with a reason that starts "on subnet-… (name): "
// when on is not nil, so that a recorded hop builds its reason once.
func evalNACLOn(acl *model.NetworkACL, outbound bool, p packet, on *model.Subnet) naclVerdict {
	entries, addr, dir := acl.Inbound, p.src, "inbound"
	if outbound {
		entries, addr, dir = acl.Outbound, p.dst, "outbound"
	}
	// Most checks split nothing: keep the ranges on the stack.
	var bufA, bufB [4]model.PortRange
	remaining, spare := append(bufA[:0], p.ports), bufB[:0]
	var allowed, denied []portSpan
	for i := range entries {
		e := &entries[i]
		if e.Unknown != "" {
			// An entry the input does not fully decide, numbered before
			// the one that would decide: if it may match, so may its
			// action, and the answer is unknown.
			if naclMayMatch(e, addr, p, remaining) {
				return naclVerdict{decision: Undecided, entry: e, rule: e.String(),
					reason: onSubnet(on) + fmt.Sprintf("%s %s entry %s of %s may match %s %s: %s", aclLabel(acl), dir, e.NumberString(), unknownWhere(e.Source, acl.ID), flowProto(p), subjectLabel(outbound, addr), e.Unknown)}
			}
			continue
		}
		if !e.CIDR.IsValid() || !sameFamily(e.CIDR, addr) || !e.CIDR.Contains(addr) {
			continue
		}
		if p.proto == model.ProtoAll {
			// "All traffic" passes only if every protocol does: a rule for one
			// protocol that denies denies part of it; one that allows decides
			// nothing for the rest.
			if e.Protocol != model.ProtoAll && e.Allow {
				continue
			}
			return naclDecided(acl, e, dir, p, on)
		}
		if e.Protocol != model.ProtoAll && e.Protocol != p.proto {
			continue
		}
		if p.proto.IsICMP() && e.Protocol.IsICMP() && !e.ICMP.Matches(p.icmpType, p.icmpCode) {
			continue
		}
		if !p.proto.HasPorts() {
			return naclDecided(acl, e, dir, p, on)
		}
		next := spare[:0]
		for _, r := range remaining {
			in, ok, lo, hi := cutRange(r, e.Ports)
			if ok {
				if e.Allow {
					allowed = append(allowed, portSpan{in, e})
				} else {
					denied = append(denied, portSpan{in, e})
				}
			}
			if lo.ok {
				next = append(next, lo.r)
			}
			if hi.ok {
				next = append(next, hi.r)
			}
		}
		// Swap the buffers: the old remaining's is free for the next entry.
		remaining, spare = next, remaining
		if len(remaining) == 0 {
			break
		}
	}
	if len(remaining) > 0 {
		// Only reachable when the ACL lacks its final entry (moto omits it):
		// AWS always ends with "*" deny.
		final := &model.NACLEntry{Number: model.FinalRuleNumber, Egress: outbound, Protocol: model.ProtoAll, Ports: model.AllPorts, ICMP: model.AnyICMP}
		if addr.Is4() {
			final.CIDR = netip.MustParsePrefix("0.0.0.0/0")
		} else {
			final.CIDR = netip.MustParsePrefix("::/0")
		}
		for _, r := range remaining {
			denied = append(denied, portSpan{r, final})
		}
	}
	switch {
	case len(denied) == 0:
		return naclVerdict{decision: Allow, entry: allowed[0].entry, rule: spanRules(allowed),
			reason: naclReason(on, acl, dir, "allows", p, outbound, addr, ""), allowed: allowed}
	case len(allowed) == 0:
		return naclVerdict{decision: Deny, entry: denied[0].entry, rule: spanRules(denied),
			reason: naclReason(on, acl, dir, "denies", p, outbound, addr, ""), denied: denied}
	}
	return naclVerdict{decision: Deny, entry: denied[0].entry, rule: spanRules(denied),
		reason: naclReason(on, acl, dir, "allows only part of", p, outbound, addr,
			": "+spanSummary(allowed, denied)+"; connections whose client port falls in the denied part fail"),
		allowed: allowed, denied: denied}
}

// onSubnet is the start of a network ACL hop's reason: "on subnet-1
// (name): ", or "" without a subnet.
func onSubnet(sub *model.Subnet) string {
	if sub == nil {
		return ""
	}
	return "on " + subnetLabel(sub) + ": "
}

// writeLabel writes "id (name)", or id when there is no name.
func writeLabel(b *strings.Builder, id, name string) {
	b.WriteString(id)
	if name != "" {
		b.WriteString(" (")
		b.WriteString(name)
		b.WriteByte(')')
	}
}

// naclReason writes onSubnet(on) + "acl-1 (name) outbound allows tcp/443
// to 10.0.0.1" + tail in one allocation: every network ACL hop has one.
func naclReason(on *model.Subnet, acl *model.NetworkACL, dir, verb string, p packet, outbound bool, addr netip.Addr, tail string) string {
	var b strings.Builder
	b.Grow(160 + len(tail))
	if on != nil {
		b.WriteString("on ")
		writeLabel(&b, on.ID, on.Tags.Name())
		b.WriteString(": ")
	}
	writeLabel(&b, acl.ID, acl.Tags.Name())
	b.WriteByte(' ')
	b.WriteString(dir)
	b.WriteByte(' ')
	b.WriteString(verb)
	b.WriteByte(' ')
	writeFlowProto(&b, p)
	if outbound {
		b.WriteString(" to ")
	} else {
		b.WriteString(" from ")
	}
	var ab [64]byte
	b.Write(addr.AppendTo(ab[:0]))
	b.WriteString(tail)
	return b.String()
}

// naclMayMatch reports whether an entry with undecided parts (left at
// their widest: no CIDR, all protocols, all ports) may match the packet on
// the ports still undecided.
func naclMayMatch(e *model.NACLEntry, addr netip.Addr, p packet, remaining []model.PortRange) bool {
	if e.CIDR.IsValid() && (!sameFamily(e.CIDR, addr) || !e.CIDR.Contains(addr)) {
		return false
	}
	if p.proto == model.ProtoAll {
		return true
	}
	if e.Protocol != model.ProtoAll && e.Protocol != p.proto {
		return false
	}
	if p.proto.IsICMP() && e.Protocol.IsICMP() && !e.ICMP.Matches(p.icmpType, p.icmpCode) {
		return false
	}
	if !p.proto.HasPorts() {
		return true
	}
	for _, r := range remaining {
		if in, _ := splitRange(r, e.Ports); in != nil {
			return true
		}
	}
	return false
}

func unknownWhere(source, id string) string {
	if source != "" {
		return source
	}
	return id
}

func naclDecided(acl *model.NetworkACL, e *model.NACLEntry, dir string, p packet, on *model.Subnet) naclVerdict {
	outbound := dir == "outbound"
	addr := p.src
	if outbound {
		addr = p.dst
	}
	if e.Allow {
		return naclVerdict{decision: Allow, entry: e, rule: e.String(), reason: naclReason(on, acl, dir, "allows", p, outbound, addr, "")}
	}
	return naclVerdict{decision: Deny, entry: e, rule: e.String(), reason: naclReason(on, acl, dir, "denies", p, outbound, addr, "")}
}

func subjectLabel(outbound bool, addr netip.Addr) string {
	if outbound {
		return "to " + addr.String()
	}
	return "from " + addr.String()
}

func aclLabel(acl *model.NetworkACL) string {
	if n := acl.Tags.Name(); n != "" {
		return acl.ID + " (" + n + ")"
	}
	return acl.ID
}

// optRange is a port range that may be absent.
type optRange struct {
	r  model.PortRange
	ok bool
}

// cutRange is splitRange without allocating: the part of r inside by (ok
// when there is one), and the parts outside below and above it.
func cutRange(r, by model.PortRange) (in model.PortRange, ok bool, lo, hi optRange) {
	if by.Last < r.First || by.First > r.Last {
		return model.PortRange{}, false, optRange{r, true}, optRange{}
	}
	in = model.PortRange{First: max(r.First, by.First), Last: min(r.Last, by.Last)}
	if r.First < in.First {
		lo = optRange{model.PortRange{First: r.First, Last: in.First - 1}, true}
	}
	if in.Last < r.Last {
		hi = optRange{model.PortRange{First: in.Last + 1, Last: r.Last}, true}
	}
	return in, true, lo, hi
}

// splitRange returns the part of r inside by, and the parts outside.
func splitRange(r, by model.PortRange) (*model.PortRange, []model.PortRange) {
	if by.Last < r.First || by.First > r.Last {
		return nil, []model.PortRange{r}
	}
	in := model.PortRange{First: max(r.First, by.First), Last: min(r.Last, by.Last)}
	var out []model.PortRange
	if r.First < in.First {
		out = append(out, model.PortRange{First: r.First, Last: in.First - 1})
	}
	if in.Last < r.Last {
		out = append(out, model.PortRange{First: in.Last + 1, Last: r.Last})
	}
	return &in, out
}

// spanRules writes the distinct entries of spans, in order, joined by "; ".
func spanRules(spans []portSpan) string {
	if len(spans) == 1 {
		return spans[0].entry.String()
	}
	var b strings.Builder
	for i, s := range spans {
		if slices.ContainsFunc(spans[:i], func(o portSpan) bool { return o.entry == s.entry }) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(s.entry.String())
	}
	return b.String()
}

func spanSummary(allowed, denied []portSpan) string {
	var parts []string
	for _, s := range allowed {
		parts = append(parts, fmt.Sprintf("ports %s allowed by #%s", s.ports, s.entry.NumberString()))
	}
	for _, s := range denied {
		parts = append(parts, fmt.Sprintf("ports %s denied by #%s", s.ports, s.entry.NumberString()))
	}
	return strings.Join(parts, ", ")
}

// routeChoice is the outcome of a route table lookup.
type routeChoice struct {
	route   *model.Route
	pl      *model.PrefixList
	plCIDR  netip.Prefix
	unknown string // non-empty: the lookup cannot be decided
	decide  string // what would decide it, when unknown
	code    Code   // why it cannot, when unknown
}

// ref is the reference of the chosen route of rt (a live or blackhole
// one), or of the table when no route matched.
func (c routeChoice) ref(rt *model.RouteTable) *RuleRef {
	if c.route == nil {
		return &RuleRef{Kind: RefRouteTable, ID: rt.ID}
	}
	return &RuleRef{Kind: RefRoute, ID: rt.ID, Destination: c.route.DestString(), Target: c.route.Target.ID}
}

// deadCode is the code of a lookup that found no live route.
func (c routeChoice) deadCode() Code {
	if c.route != nil && c.route.Blackhole {
		return CodeRouteBlackhole
	}
	return CodeNoRoute
}

// routeClass orders routes of equal prefix length: static, then prefix
// list, then propagated (VPC guide, "Route priority").
func routeClass(r *model.Route) int {
	switch {
	case r.Propagated():
		return 2
	case r.DestPrefixList != "":
		return 1
	}
	return 0
}

// lookupRoute picks the route for dst by longest prefix match, breaking
// ties static > prefix list > propagated. A prefix-list route matches at
// the length of the list entry that holds dst.
func lookupRoute(m *model.Model, rt *model.RouteTable, dst netip.Addr) routeChoice {
	var best routeChoice
	bestBits, bestClass := -1, 9
	var unknownPL, unknownDest []string
	for i := range rt.Routes {
		r := &rt.Routes[i]
		if r.Unknown != "" && !r.Dest.IsValid() && r.DestPrefixList == "" {
			unknownDest = append(unknownDest, fmt.Sprintf("a route to %s of %s: %s", r.Target.ID, unknownWhere(r.Source, rt.ID), r.Unknown))
			continue
		}
		bits := -1
		var pl *model.PrefixList
		var plCIDR netip.Prefix
		if r.DestPrefixList != "" {
			pl = m.PrefixLists[r.DestPrefixList]
			if pl == nil || !pl.CIDRsKnown {
				if !plCannotHold(m, r, dst) {
					unknownPL = append(unknownPL, r.DestPrefixList)
				}
				continue
			}
			c, ok := pl.Contains(dst)
			if !ok {
				continue
			}
			bits, plCIDR = c.Bits(), c
		} else {
			if !sameFamily(r.Dest, dst) || !r.Dest.Contains(dst) {
				continue
			}
			bits = r.Dest.Bits()
		}
		class := routeClass(r)
		if bits > bestBits || bits == bestBits && class < bestClass {
			best = routeChoice{route: r, pl: pl, plCIDR: plCIDR}
			bestBits, bestClass = bits, class
		}
	}
	// A route whose destination is undecided (a prefix list without its
	// entries, a CIDR known only after apply) may be the longest match,
	// unless the local route matched (nothing beats it: VPC guide, "Route
	// priority") or the match is a host route. A chosen route whose target
	// is undecided decides nothing.
	local := best.route != nil && best.route.Target.Kind == model.TargetLocal && best.route.Unknown == ""
	if len(unknownPL) > 0 && bestBits < dst.BitLen() && !local {
		best.unknown = fmt.Sprintf("%s routes to prefix list %s, whose entries the snapshot lacks; it may hold %s", rt.ID, strings.Join(unknownPL, ", "), dst)
		best.decide = "add get-managed-prefix-list-entries output for the prefix list to the snapshot"
		best.code = CodeMissingData
	}
	switch {
	case best.unknown != "":
	case len(unknownDest) > 0 && !local && bestBits < dst.BitLen():
		best.unknown = fmt.Sprintf("%s may route %s by %s", rt.ID, dst, strings.Join(unknownDest, "; "))
		best.decide = "known after apply: decide it in the configuration, or check the applied route table"
		best.code = CodeUndecidedAttribute
	case best.route != nil && best.route.Unknown != "":
		best.unknown = fmt.Sprintf("%s routes %s by %s -> %s of %s: %s", rt.ID, dst, best.route.DestString(), best.route.Target.ID, unknownWhere(best.route.Source, rt.ID), best.route.Unknown)
		best.decide = "known after apply: decide it in the configuration, or check the applied route table"
		best.code = CodeUndecidedAttribute
	}
	return best
}

// routeText writes a route as "0.0.0.0/0 -> nat-0123".
func routeText(c routeChoice) string {
	r := c.route
	if c.pl != nil {
		name := c.pl.ID
		if c.pl.Name != "" {
			name += " (" + c.pl.Name + ")"
		}
		return fmt.Sprintf("%s [%s] -> %s", name, c.plCIDR, r.Target.ID)
	}
	s := r.Dest.String() + " -> " + r.Target.ID
	if r.Blackhole {
		s += " (blackhole)"
	}
	return s
}
