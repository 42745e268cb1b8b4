package simulate

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/internal/intervals"
	"github.com/vpcpath/vpcpath/model"
)

// Gates is the walk of one flow between two interfaces with its filters
// left open, for vpcpath matrix, which answers many flows and ports at
// once.
//
// Between two ordinary interfaces the port changes a trace only at its
// filters: the security group checks and the network ACL checks. Routes,
// peering, transit gateways and appliances forward whatever the port, and
// a filter that drops the packet ends the walk where the first one does.
// So one walk that records each filter as a gate, without deciding it,
// holds the answer for every port: decide the gates on that port, in walk
// order, and the first that drops the packet decides, else the rest of the
// walk does (its own drop, else its first undecided element or gate,
// whichever came first). Outcome does exactly that, with the tracer's own
// evaluators and hops, so the answer is Trace's, block for block.
//
// Decide also answers for another pair of interfaces in place of the
// traced one: a gate evaluated at, or with the peer of, the traced source
// is evaluated at the other source, and the same for the destination. That
// is exact for interfaces the walk cannot tell apart: the same subnet, the
// same address atom, the same attributes (vpcpath matrix's classes, which
// leave security groups out for this).
type Gates struct {
	src, dst     *model.ENI
	srcIP, dstIP netip.Addr
	gates        []Gate
	// The rest of the walk: the drop that ended it and the first undecided
	// hop, with their sequence numbers.
	block, undec       *Block
	blockSeq, undecSeq int
	portRead           bool
}

// GateKind is the kind of filter a gate is.
type GateKind uint8

// Gate kinds.
const (
	GateSecurityGroup GateKind = iota + 1
	GateNetworkACL
)

// Gate is a filter of the walk.
type Gate struct {
	Kind GateKind
	seq  int
	ret  bool
	// Security group: the interface and its peer. Network ACL: the ACL and
	// the subnet it is checked on. Egress is the direction (outbound).
	eni    *model.ENI
	peer   peer
	acl    *model.NetworkACL
	aclx   *aclIndexes // the ACL's entries by address, from the walk's memo (nil without one)
	sub    *model.Subnet
	egress bool
	p      packet
}

// ErrNotGated is returned by TraceGates for a flow that the gates cannot
// answer: the port matters outside the filters (an address AWS serves),
// the question is not one interface to one interface, or an end is not
// placed (Trace answers unknown there).
var ErrNotGated = errors.New("the flow is not one the gates can answer for every port")

// TraceGates walks q (from an interface to an interface, by ID) once with
// every filter open, recording the filters as gates. The port of q is
// ignored.
func TraceGates(m *model.Model, q Query) (*Gates, error) { return TraceGatesWith(m, q, nil) }

// TraceGatesWith is TraceGates with the route lookups of memo (nil: none),
// which must not outlive a change to m. With a memo, the Gates returned
// are the memo's: the next walk with it overwrites them.
func TraceGatesWith(m *model.Model, q Query, memo *Memo) (*Gates, error) {
	if !strings.HasPrefix(q.From, "eni-") || !strings.HasPrefix(q.To, "eni-") || strings.TrimSpace(q.Via) != "" {
		return nil, ErrNotGated
	}
	if q.Ephemeral == (model.PortRange{}) {
		q.Ephemeral, q.EphemeralName = EphemeralLinux, "Linux"
	}
	// An interface the input does not place (an address or subnet known
	// only after apply) gets Trace's unknown answer, not an error: leave it
	// to Trace.
	var u *unplaced
	src, srcIP, err := resolveSource(m, q.StandIns, q.From)
	if errors.As(err, &u) {
		return nil, ErrNotGated
	}
	if err != nil {
		return nil, err
	}
	targets, _, err := resolveDest(m, q.StandIns, q.To, src)
	if errors.As(err, &u) {
		return nil, ErrNotGated
	}
	if err != nil {
		return nil, err
	}
	if len(targets) != 1 || targets[0].eni == nil || targets[0].eni == src {
		return nil, ErrNotGated
	}
	return traceGates(m, q, src, srcIP, targets[0], memo)
}

// TraceGatesBetween is TraceGatesWith for a question whose ends the caller
// already holds: q.From and q.To are the IDs of src and dst, interfaces of
// m or stand-ins of q. It answers as TraceGatesWith does (whose resolving
// of an interface ID gives the interface, its primary address, or an
// unplaced end, left to Trace), without looking the ends up again: the
// matrix asks millions of such questions.
func TraceGatesBetween(m *model.Model, q Query, src, dst *model.ENI, memo *Memo) (*Gates, error) {
	if src == nil || dst == nil || src == dst || strings.TrimSpace(q.Via) != "" {
		return nil, ErrNotGated
	}
	if q.Ephemeral == (model.PortRange{}) {
		q.Ephemeral, q.EphemeralName = EphemeralLinux, "Linux"
	}
	srcIP := src.PrimaryIP()
	if err := placeSource(m, src.ID, src, srcIP); err != nil {
		if u := (*unplaced)(nil); errors.As(err, &u) {
			return nil, ErrNotGated
		}
		return nil, err
	}
	dstIP := dst.PrimaryIP()
	if !dstIP.IsValid() || m.Subnets[dst.SubnetID] == nil {
		return nil, ErrNotGated
	}
	return traceGates(m, q, src, srcIP, target{ip: dstIP, eni: dst}, memo)
}

// traceGates walks q from src (at srcIP) to dst for gates.
func traceGates(m *model.Model, q Query, src *model.ENI, srcIP netip.Addr, dst target, memo *Memo) (*Gates, error) {
	var g *Gates
	if memo != nil {
		memo.bind(m)
		if memo.gates == nil {
			memo.gates = &Gates{gates: make([]Gate, 0, 16)}
		}
		g = memo.gates
		*g = Gates{src: src, dst: dst.eni, gates: g.gates[:0]}
	} else {
		g = &Gates{src: src, dst: dst.eni, gates: make([]Gate, 0, 16)}
	}
	q.Port, q.inRange, q.gates, q.memo = 0, true, g, memo
	traceOne(m, q, src, srcIP, dst)
	if g.portRead {
		return nil, ErrNotGated
	}
	return g, nil
}

// gate records a filter of a TraceGates walk.
func (t *tracer) gate(g Gate) {
	t.seq++
	g.seq, g.ret = t.seq, t.ret
	t.gates.gates = append(t.gates.gates, g)
}

// settleGates keeps what decided the rest of a TraceGates walk.
func (t *tracer) settleGates() {
	g := t.gates
	g.block, g.blockSeq, g.undec, g.undecSeq = t.block, t.blockSeq, t.undec, t.undecSeq
	g.srcIP, g.dstIP = t.srcIP, t.dst.ip // the addresses the walk used (the family the destination speaks)
}

// Len is the number of gates.
func (g *Gates) Len() int { return len(g.gates) }

// Src and Dst are the interfaces traced.
func (g *Gates) Src() *model.ENI { return g.src }
func (g *Gates) Dst() *model.ENI { return g.dst }

// Gate returns gate i.
func (g *Gates) Gate(i int) *Gate { return &g.gates[i] }

// Return reports whether the gate is on the return path (its ports are
// the client's, whatever the destination port).
func (x *Gate) Return() bool { return x.ret }

// ACL is a network ACL gate's ACL.
func (x *Gate) ACL() *model.NetworkACL { return x.acl }

// Egress is the gate's direction (outbound, for an ACL).
func (x *Gate) Egress() bool { return x.egress }

// Checks reports, for a security group gate, whether it checks the
// traced source's or destination's interface, and whether its peer (whose
// groups a group reference matches) is the traced source or destination.
func (g *Gates) Checks(i int) (atSrc, atDst, peerSrc, peerDst bool) {
	x := &g.gates[i]
	if x.Kind != GateSecurityGroup {
		return false, false, false, false
	}
	return x.eni == g.src, x.eni == g.dst, x.peer.eni == g.src, x.peer.eni == g.dst
}

// Peer is the address and the interface a security group gate matches
// its rules against when src and dst stand for the traced pair.
func (g *Gates) Peer(i int, src, dst *model.ENI) (netip.Addr, *model.ENI) {
	x := &g.gates[i]
	return g.standAddr(src, dst)(x.peer.addr), g.stand(x.peer.eni, src, dst)
}

// Ports is the gate's port range as walked: on the return path, the
// client's ports.
func (x *Gate) Ports() model.PortRange { return x.p.ports }

// AppendOutcomeKey appends what Outcome reads of the walk besides the
// gates' decisions: how many gates, the walk's own drop and first
// undecided element as a run reports them (component, ID, code, rule,
// direction), and how many gates come before the latter. Walks with equal
// keys whose gates decide alike settle alike (but for the blocks' refs and
// reasons).
func (g *Gates) AppendOutcomeKey(buf []byte) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(g.gates)))
	for _, b := range []*Block{g.block, g.undec} {
		buf = append(buf, '|')
		if b == nil {
			buf = append(buf, '-')
			continue
		}
		buf = append(buf, b.Component...)
		buf = append(buf, 0)
		buf = append(buf, b.ID...)
		buf = append(buf, 0)
		buf = append(buf, b.Code...)
		buf = append(buf, 0)
		buf = append(buf, b.Rule...)
		buf = strconv.AppendBool(append(buf, 0), b.Return)
	}
	pos := 0
	for k := range g.gates {
		if g.gates[k].seq < g.undecSeq {
			pos++
		}
	}
	return binary.AppendUvarint(append(buf, '|'), uint64(pos))
}

// ENIFor is the interface security group gate i checks when src and dst
// stand for the traced pair.
func (g *Gates) ENIFor(i int, src, dst *model.ENI) *model.ENI {
	return g.stand(g.gates[i].eni, src, dst)
}

// Involves reports whether the gate's answer depends on which source and
// which destination interface stand for the traced ones: a security group
// gate at one of them, or whose peer is one of them (a group reference
// may match).
func (g *Gates) Involves(i int) (src, dst bool) {
	x := &g.gates[i]
	if x.Kind != GateSecurityGroup {
		return false, false
	}
	return x.eni == g.src || x.peer.eni == g.src, x.eni == g.dst || x.peer.eni == g.dst
}

// Decide answers gate i for the pair src, dst standing for the traced
// pair, on destination port port (a gate of the return path keeps the
// client's ports). The block is the hop a trace would report when the
// gate does not allow; with explain false, without the reason of a
// security group check (component, ID, code, rule and direction are the
// same).
func (g *Gates) Decide(m *model.Model, i int, src, dst *model.ENI, port uint16, explain bool) (Decision, *Block) {
	x, p, eni, other := g.standIn(i, src, dst, port)
	switch x.Kind {
	case GateSecurityGroup:
		h, v := sgHop(m, eni, x.egress, p, other, explain)
		if v.decision == Allow {
			return Allow, nil
		}
		return v.decision, blockOf(h, x.ret)
	default:
		h, v := naclHop(x.acl, x.sub, x.egress, p)
		if v.decision == Allow {
			return Allow, nil
		}
		return v.decision, blockOf(h, x.ret)
	}
}

// Verdict is Decide's decision alone, for a caller that keeps no block
// (vpcpath matrix without rules): it builds no hop. A gate that does not
// allow has a block.
func (g *Gates) Verdict(m *model.Model, i int, src, dst *model.ENI, port uint16) Decision {
	x, p, eni, other := g.standIn(i, src, dst, port)
	if x.Kind == GateSecurityGroup {
		return evalSG(m, eni, x.egress, p, other, sgDecision).decision
	}
	return evalNACLOn(x.acl, x.egress, p, x.sub).decision
}

// standIn is gate i for the pair src, dst standing for the traced one,
// on port: the packet it checks, and for a security group gate the
// interface checked and its peer.
func (g *Gates) standIn(i int, src, dst *model.ENI, port uint16) (*Gate, packet, *model.ENI, peer) {
	x := &g.gates[i]
	addr := g.standAddr(src, dst)
	p := x.p
	p.src, p.dst = addr(p.src), addr(p.dst)
	if !x.ret && p.proto.HasPorts() {
		p.ports = model.Port(port)
	}
	if x.Kind != GateSecurityGroup {
		return x, p, nil, peer{}
	}
	return x, p, g.stand(x.eni, src, dst), peer{addr: addr(x.peer.addr), eni: g.stand(x.peer.eni, src, dst)}
}

// stand returns the interface that stands for e when src and dst stand
// for the traced pair.
func (g *Gates) stand(e, src, dst *model.ENI) *model.ENI {
	switch {
	case e == nil:
		return nil
	case e == g.src:
		return src
	case e == g.dst:
		return dst
	}
	return e
}

// standAddr returns the address that stands for a when src and dst stand
// for the traced pair.
func (g *Gates) standAddr(src, dst *model.ENI) func(a netip.Addr) netip.Addr {
	return func(a netip.Addr) netip.Addr {
		switch a {
		case g.srcIP:
			return counterpart(g.src, src, a)
		case g.dstIP:
			return counterpart(g.dst, dst, a)
		}
		return a
	}
}

// counterpart is the address of e that plays the part a plays for e0.
func counterpart(e0, e *model.ENI, a netip.Addr) netip.Addr {
	if e0 == e {
		return a
	}
	for i, b := range e0.PrivateIPs {
		if b == a && i < len(e.PrivateIPs) {
			return e.PrivateIPs[i]
		}
	}
	for i, b := range e0.IPv6s {
		if b == a && i < len(e.IPv6s) {
			return e.IPv6s[i]
		}
	}
	return a
}

// Outcome is the verdict of the flow given every gate's decision and
// block (nil when it allows), as Trace settles it: the first drop, gate or
// not; else the first undecided gate or hop; else reachable.
func (g *Gates) Outcome(dec []Decision, blocks []*Block) (Verdict, *Block) {
	undec, undecSeq := g.undec, g.undecSeq
	for i := range g.gates {
		switch dec[i] {
		case Deny:
			return Blocked, blocks[i]
		case Undecided:
			if undec == nil || g.gates[i].seq < undecSeq {
				undec, undecSeq = blocks[i], g.gates[i].seq
			}
		}
	}
	switch {
	case g.block != nil:
		return Blocked, g.block
	case undec != nil:
		return Unknown, undec
	}
	return Reachable, nil
}

// Walked reports whether b is the walk's own block (a drop or an undecided
// element that is no gate), which names the traced pair's interfaces and
// addresses where it names any.
func (g *Gates) Walked(b *Block) bool { return b != nil && (b == g.block || b == g.undec) }

// Rewrite returns the walk's block b as the walk of src -> dst would have
// written it: the traced pair's IDs and addresses replaced by theirs,
// whole words only.
func (g *Gates) Rewrite(b *Block, src, dst *model.ENI) *Block {
	if b == nil || src == g.src && dst == g.dst {
		return b
	}
	var olds, news []string
	add := func(o, n string) {
		if o != n && o != "" {
			olds, news = append(olds, o), append(news, n)
		}
	}
	add(g.src.ID, src.ID)
	add(g.dst.ID, dst.ID)
	add(g.srcIP.String(), counterpart(g.src, src, g.srcIP).String())
	add(g.dstIP.String(), counterpart(g.dst, dst, g.dstIP).String())
	c := *b
	c.ID, c.Rule, c.Reason = replaceWords(c.ID, olds, news), replaceWords(c.Rule, olds, news), replaceWords(c.Reason, olds, news)
	if c.Ref != nil {
		r := *c.Ref
		r.ID = replaceWords(r.ID, olds, news)
		c.Ref = &r
	}
	return &c
}

// replaceWords replaces every whole-word occurrence of olds[i] in s by
// news[i], all at once (a replacement is never replaced again). A word
// ends where no letter, digit, '-', ':' or '.' followed by one of those
// goes on.
func replaceWords(s string, olds, news []string) string {
	word := func(c byte) bool {
		return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == ':'
	}
	var b strings.Builder
	changed := false
	for i := 0; i < len(s); {
		hit := -1
		if i == 0 || !word(s[i-1]) && !(s[i-1] == '.' && i >= 2 && word(s[i-2])) {
			for k, o := range olds {
				if !strings.HasPrefix(s[i:], o) {
					continue
				}
				j := i + len(o)
				if j < len(s) && (word(s[j]) || s[j] == '.' && j+1 < len(s) && word(s[j+1])) {
					continue
				}
				hit = k
				break
			}
		}
		if hit < 0 {
			b.WriteByte(s[i])
			i++
			continue
		}
		b.WriteString(news[hit])
		i += len(olds[hit])
		changed = true
	}
	if !changed {
		return s
	}
	return b.String()
}

// WalkNamesPair reports whether the walk's own blocks name the traced
// pair (so that Rewrite changes them for another pair).
func (g *Gates) WalkNamesPair() bool {
	words := []string{g.src.ID, g.dst.ID, g.srcIP.String(), g.dstIP.String()}
	for _, b := range []*Block{g.block, g.undec} {
		if b != nil && (replaceWords(b.ID+" "+b.Rule, words, []string{"", "", "", ""}) != b.ID+" "+b.Rule) {
			return true
		}
	}
	return false
}

// ACLGateKey is what decides a network ACL gate besides the destination
// port, as a comparable value: the ACL, the direction, the client's ports
// on the return path, and which entries' blocks hold the address checked.
// Pairs with equal keys get equal keys from AppendKey.
type ACLGateKey struct {
	ACL            *model.NetworkACL
	Egress, Return bool
	Ports          model.PortRange
	Bits           [2]uint64
}

// ACLKey returns the key of network ACL gate i for the pair src, dst; ok
// is false for a gate of another kind, or an ACL with more than 128
// entries in the gate's direction.
func (g *Gates) ACLKey(i int, src, dst *model.ENI) (ACLGateKey, bool) {
	x := &g.gates[i]
	if x.Kind != GateNetworkACL {
		return ACLGateKey{}, false
	}
	entries, a := x.acl.Inbound, g.standAddr(src, dst)(x.p.src)
	if x.egress {
		entries, a = x.acl.Outbound, g.standAddr(src, dst)(x.p.dst)
	}
	if len(entries) > 128 {
		return ACLGateKey{}, false
	}
	k := ACLGateKey{ACL: x.acl, Egress: x.egress, Return: x.ret}
	if x.ret {
		k.Ports = x.p.ports
	}
	if x.aclx != nil && a.IsValid() && a.Zone() == "" {
		k.Bits = x.aclx.index(x.egress, entries).at(a)
		return k, true
	}
	k.Bits = entryBits(entries, a)
	return k, true
}

// entryBits are the entries (of at most 128) whose blocks hold a.
func entryBits(entries []model.NACLEntry, a netip.Addr) [2]uint64 {
	var bits [2]uint64
	for n := range entries {
		if e := &entries[n]; e.CIDR.IsValid() && sameFamily(e.CIDR, a) && e.CIDR.Contains(a) {
			bits[n/64] |= 1 << (n % 64)
		}
	}
	return bits
}

// aclIndex is entryBits of one direction of a network ACL, by address
// interval: addresses between the same bounds of the entries' blocks lie
// in the same blocks. The walks of a large matrix ask this for millions
// of addresses.
type aclIndex = addrIndex[[2]uint64]

func newACLIndex(entries []model.NACLEntry) *aclIndex {
	var b intervals.Bounds
	for n := range entries {
		b.AddPrefix(entries[n].CIDR)
	}
	return newAddrIndex(b, func(a netip.Addr) [2]uint64 { return entryBits(entries, a) })
}

// AppendCuts appends to cuts the port bounds (first, last+1) at which
// security group gate i may change its mind for the pair src, dst standing
// for the traced one: those of the rules of the checked interface's
// groups, in the gate's direction and of its protocol (or all traffic),
// that match the peer, may match it, or are not fully decided. A rule
// that cannot match the peer decides no port.
func (g *Gates) AppendCuts(cuts []int, m *model.Model, i int, src, dst *model.ENI) []int {
	x := &g.gates[i]
	if x.Kind != GateSecurityGroup {
		return cuts
	}
	eni := g.stand(x.eni, src, dst)
	other := peer{addr: g.standAddr(src, dst)(x.peer.addr), eni: g.stand(x.peer.eni, src, dst)}
	for _, gid := range eni.Groups {
		sg := m.SecurityGroups[gid]
		if sg == nil {
			continue
		}
		rules := sg.Ingress
		if x.egress {
			rules = sg.Egress
		}
		for k := range rules {
			r := &rules[k]
			if r.Protocol != x.p.proto && r.Protocol != model.ProtoAll {
				continue
			}
			if ok, why := sgPeerMatches(m, r, other); ok || why != "" || r.Unknown != "" {
				cuts = append(cuts, int(r.Ports.First), int(r.Ports.Last)+1)
			}
		}
	}
	return cuts
}

// AppendKey appends to buf what decides gate i for the pair src, dst
// besides the destination port: pairs with equal keys get the same
// decision and the same block (but for its reason) on every port, so a
// caller may decide a gate once per key. For a security group gate: the
// interface's groups, the direction, and for each of their rules whether
// it matches the peer (or cannot be decided); for a network ACL: the ACL,
// the direction and which entries' blocks hold the address it checks. A
// gate of the return path adds its ports, which are the client's.
func (g *Gates) AppendKey(buf []byte, i int, src, dst *model.ENI, m *model.Model) []byte {
	x := &g.gates[i]
	addr := g.standAddr(src, dst)
	dir := byte('i')
	if x.egress {
		dir = 'e'
	}
	if x.ret {
		buf = append(buf, 'r')
		buf = binary.AppendUvarint(buf, uint64(x.p.ports.First))
		buf = binary.AppendUvarint(buf, uint64(x.p.ports.Last))
		buf = append(buf, '|')
	}
	bit := func(ok bool, why string) byte {
		switch {
		case why != "":
			return '2'
		case ok:
			return '1'
		}
		return '0'
	}
	switch x.Kind {
	case GateSecurityGroup:
		eni := g.stand(x.eni, src, dst)
		other := peer{addr: addr(x.peer.addr), eni: g.stand(x.peer.eni, src, dst)}
		buf = append(buf, "sg|"...)
		buf = append(buf, dir, '|')
		if len(eni.Groups) == 0 {
			buf = append(buf, eni.Type...)
			buf = append(buf, '|')
			buf = append(buf, eni.ID...)
		}
		for _, gid := range eni.Groups {
			buf = append(buf, gid...)
			buf = append(buf, ':')
			sg := m.SecurityGroups[gid]
			if sg == nil {
				buf = append(buf, '-', ',')
				continue
			}
			rules := sg.Ingress
			if x.egress {
				rules = sg.Egress
			}
			for k := range rules {
				buf = append(buf, bit(sgPeerMatches(m, &rules[k], other)))
			}
			buf = append(buf, ',')
		}
	default:
		p := x.p
		p.src, p.dst = addr(p.src), addr(p.dst)
		a := p.src
		entries := x.acl.Inbound
		if x.egress {
			a, entries = p.dst, x.acl.Outbound
		}
		buf = append(buf, "acl|"...)
		buf = append(buf, x.acl.ID...)
		buf = append(buf, '|', dir, '|')
		for k := range entries {
			e := &entries[k]
			buf = append(buf, bit(e.CIDR.IsValid() && sameFamily(e.CIDR, a) && e.CIDR.Contains(a), ""))
		}
	}
	return buf
}
