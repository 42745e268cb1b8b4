package simulate

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"

	"github.com/vpcpath/vpcpath/model"
)

// Trace answers q on m: the forward path hop by hop, the return path, the
// verdict, where the packet dies and what would fix it. An error means the
// question itself is bad (an ID not in the model, an ambiguous address);
// every answer about the network is in the Result.
func Trace(m *model.Model, q Query) (Result, error) {
	if q.Protocol.HasPorts() && q.Port == 0 && !q.inRange {
		return Result{}, fmt.Errorf("--port is required for %s", q.Protocol)
	}
	if q.Ephemeral == (model.PortRange{}) {
		q.Ephemeral, q.EphemeralName = EphemeralLinux, "Linux"
	}
	if strings.TrimSpace(q.Via) != "" {
		a, err := netip.ParseAddr(strings.TrimSpace(q.From))
		if err != nil || len(enisByIP(m, q.StandIns, a.Unmap())) > 0 {
			return Result{}, fmt.Errorf("--via applies to a flow from on-premises: --from must be an address no interface of the snapshot holds, not %q", q.From)
		}
		r, err := traceFromOnPrem(m, q, a.Unmap())
		var u *unplaced
		if errors.As(err, &u) {
			return unplacedResult(q, u), nil
		}
		return r, err
	}
	if client, ok := outsideSource(m, q.From); ok {
		r, err := traceFromInternet(m, q, client)
		var u *unplaced
		if errors.As(err, &u) {
			return unplacedResult(q, u), nil
		}
		return r, err
	}
	src, srcIP, err := resolveSource(m, q.StandIns, q.From)
	var u *unplaced
	if errors.As(err, &u) {
		return unplacedResult(q, u), nil
	}
	if err != nil {
		return Result{}, err
	}
	var dns *DNSAnswer
	var targets []target
	var notes []string
	if isHostName(q.To) {
		a := Resolve(m, src.VPCID, q.To, q.DNS)
		dns = &a
		if a.Decision != Allow {
			return dnsResult(q, src, srcIP, a), nil
		}
		for _, ip := range a.addrs {
			targets = append(targets, target{ip: ip})
		}
		if len(targets) > 1 {
			notes = append(notes, fmt.Sprintf("%s answers with %d addresses; each was traced, and the verdict holds only if all pass", a.Question, len(targets)))
		}
	} else {
		targets, notes, err = resolveDest(m, q.StandIns, q.To, src)
		if errors.As(err, &u) {
			return unplacedResult(q, u), nil
		}
		if err != nil {
			return Result{}, err
		}
	}
	switch {
	case strings.HasPrefix(q.From, "subnet-"):
		notes = append(notes, fmt.Sprintf("%s is traced from a stand-in node at %s carrying %s (the VPC's default group), as a new instance there would be", q.From, srcIP, strings.Join(src.Groups, ",")))
	case strings.HasPrefix(q.From, "sg-"):
		notes = append(notes, fmt.Sprintf("%s is traced from %s, the first workload interface carrying it", q.From, src.ID))
	}
	if len(targets) == 1 && targets[0].eni == src && targets[0].ip == srcIP {
		return Result{}, fmt.Errorf("--from and --to are the same interface (%s): nothing to trace", src.ID)
	}
	var best Result
	var all []TargetResult
	for i, tg := range targets {
		r := traceOne(m, q, src, srcIP, tg)
		if dns != nil {
			r.Hops = append([]Hop{dnsHop(*dns)}, r.Hops...)
			r.Findings = append(r.Findings, dns.Findings...)
		}
		all = append(all, TargetResult{DstIP: r.Flow.DstIP, DstENI: r.Flow.DstENI, Verdict: r.Verdict, BlockedBy: r.BlockedBy})
		if i == 0 || worse(r.Verdict, best.Verdict) {
			best = r
		}
	}
	best.Assumptions = append(append([]string{}, notes...), best.Assumptions...)
	if len(targets) > 1 {
		best.Targets = all
		for _, t := range all {
			if worse(t.Verdict, best.Verdict) {
				best.Verdict = t.Verdict
			}
		}
	}
	best.Flow.To = q.To
	best.Assumptions = loadAssumptions(m, best)
	if dns != nil && dns.Fix != "" && len(dns.Findings) > 0 {
		// DNS sent the flow off its intended path (PrivateLink bypassed):
		// mending the path it took instead is the wrong fix.
		if best.Verdict == Reachable {
			best.Findings = append(best.Findings, "to keep it on the intended path: "+dns.Fix)
		} else {
			best.Fix, best.Change = strPtr(dns.Fix), nil
		}
	}
	return best, nil
}

func rank(v Verdict) int {
	switch v {
	case Blocked:
		return 2
	case Unknown:
		return 1
	}
	return 0
}

func worse(a, b Verdict) bool { return rank(a) > rank(b) }

// tracer walks one flow, recording hops.
type tracer struct {
	m      *model.Model
	q      Query
	res    Result
	ret    bool // recording the return path
	block  *Block
	undec  *Block
	fix    string
	change *Change // the change fix makes, when it is one
	undFix string

	src    *model.ENI
	srcIP  netip.Addr
	srcSub *model.Subnet
	srcVPC *model.VPC
	dst    target

	fl flight // the packet of the walk

	// onPrem is the on-premises source of a flow from outside every VPC
	// that arrives by a VPN or Direct Connect (src is nil then).
	onPrem *onPremSource

	// gates, set by TraceGates, records the filters instead of deciding
	// them; seq numbers hops and gates in walk order, and blockSeq and
	// undecSeq are the numbers of the hops that set block and undec.
	gates              *Gates
	memo               *Memo
	seq                int
	blockSeq, undecSeq int
}

func (t *tracer) hop(h Hop) {
	seen(h)
	t.seq++
	if t.gates != nil {
		return // a walk for its gates keeps no hops: only what decides
	}
	if t.ret {
		t.res.ReturnHops = append(t.res.ReturnHops, h)
	} else {
		t.res.Hops = append(t.res.Hops, h)
	}
}

// deny records a hop that drops the packet, and the fix.
func (t *tracer) deny(h Hop, fix string) { t.denyWith(h, proposal{text: fix}) }

// denyWith records a hop that drops the packet, and the fix that is a
// change (or text only when it has none).
func (t *tracer) denyWith(h Hop, fix proposal) {
	h.Decision = Deny
	t.hop(h)
	if t.block == nil {
		t.block, t.blockSeq = blockOf(h, t.ret), t.seq
		t.fix, t.change = fix.text, fix.change
	}
}

// unknown records a hop the model cannot decide, and what would decide it.
func (t *tracer) unknown(h Hop, decide string) {
	h.Decision = Undecided
	t.hop(h)
	if t.undec == nil {
		t.undec, t.undecSeq = blockOf(h, t.ret), t.seq
		t.undFix = decide
	}
}

// blockOf is the Block of the hop that decided a flow.
func blockOf(h Hop, ret bool) *Block {
	return &Block{Component: h.Component, ID: h.ID, Code: h.Code, Rule: h.Rule, Ref: h.Ref, Reason: h.Reason, Return: ret}
}

func (t *tracer) allow(h Hop) {
	if t.lean() && codeSeen == nil {
		t.seq++ // hop's whole work in a walk for gates, without copying h on
		return
	}
	h.Decision = Allow
	t.hop(h)
}

// lean reports a walk for gates (TraceGates), which keeps no hops and no
// result: an allowing hop, an assumption or a finding needs no text there.
func (t *tracer) lean() bool { return t.gates != nil }

// quiet reports a walk for gates, which keeps no allowing hop, counting
// the hop it would have passed: the caller builds none. (The package's
// tests watch every hop's code through codeSeen: then hops are built.)
func (t *tracer) quiet() bool {
	if t.lean() && codeSeen == nil {
		t.seq++
		return true
	}
	return false
}

// pass records an allowing hop; text fills its rule, reference and
// reason, only when the hop is kept.
func (t *tracer) pass(h Hop, text func(h Hop) Hop) {
	if !t.lean() {
		h = text(h)
	}
	t.allow(h)
}

func (t *tracer) assume(s string) {
	if t.lean() {
		return
	}
	for _, a := range t.res.Assumptions {
		if a == s {
			return
		}
	}
	t.res.Assumptions = append(t.res.Assumptions, s)
}

func (t *tracer) dead() bool { return t.block != nil }

func traceOne(m *model.Model, q Query, src *model.ENI, srcIP netip.Addr, dst target) Result {
	// Speak the destination's address family: an IPv6 destination is
	// reached from the source's IPv6 address, and the reverse.
	if dst.ip.Is6() && srcIP.Is4() && len(src.IPv6s) > 0 {
		srcIP = src.IPv6s[0]
	} else if dst.ip.Is4() && srcIP.Is6() && len(src.PrivateIPs) > 0 {
		srcIP = src.PrivateIPs[0]
	}
	// Tracers are reused: a trace allocates only what its result keeps.
	// The assignment below resets every field; the pool drops what it
	// holds at the next garbage collection.
	t := tracers.Get().(*tracer)
	defer tracers.Put(t)
	// The flight's lists keep their arrays from walk to walk: nothing of
	// a walk's result refers to them.
	crossed, pins := t.fl.crossed[:0], t.fl.pins[:0]
	*t = tracer{m: m, q: q, src: src, srcIP: srcIP, dst: dst, gates: q.gates, memo: q.memo}
	t.fl.crossed, t.fl.pins = crossed, pins
	t.srcSub = m.Subnets[src.SubnetID]
	t.srcVPC = m.VPCs[src.VPCID]
	// A path through a transit gateway records about 16 hops each way:
	// sizing the slices once spares the copies of growing them hop by hop.
	t.res = Result{SchemaVersion: SchemaVersion, Assumptions: []string{}}
	if q.gates == nil { // a walk for gates keeps no result
		t.res.Hops, t.res.ReturnHops = make([]Hop, 0, 16), make([]Hop, 0, 16)
		t.res.Flow = Flow{From: q.From, SrcENI: src.ID, SrcIP: srcIP.String(), DstIP: dst.ip.String(), Protocol: q.Protocol}
		if dst.eni != nil {
			t.res.Flow.DstENI = dst.eni.ID
		}
		if q.Protocol.HasPorts() {
			t.res.Flow.Port = model.Port(q.Port).String()
			t.res.Flow.Ephemeral = q.Ephemeral.String()
		}
	}
	t.walk()
	t.settle()
	if t.gates != nil {
		t.settleGates()
	}
	return t.res
}

// settle sets the verdict of a finished walk: the first drop, else the
// first undecided element, else reachable.
func (t *tracer) settle() {
	switch {
	case t.block != nil:
		t.res.Verdict, t.res.BlockedBy = Blocked, t.block
		t.res.Fix = strPtr(t.fix)
		if t.fix != "" {
			t.res.Change = t.change
		}
	case t.undec != nil:
		t.res.Verdict, t.res.BlockedBy = Unknown, t.undec
		t.res.Fix = strPtr(t.undFix)
	default:
		t.res.Verdict = Reachable
	}
}

var tracers = sync.Pool{New: func() any { return new(tracer) }}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// forward returns the packet of the question.
func (t *tracer) forward() packet {
	p := packet{src: t.srcIP, dst: t.dst.ip, proto: t.q.Protocol, ports: model.Port(t.q.Port), icmpType: -1, icmpCode: -1}
	if !p.proto.HasPorts() {
		p.ports = model.AllPorts
	}
	if p.proto == model.ProtoICMP {
		p.icmpType, p.icmpCode = 8, 0 // echo request
	}
	if p.proto == model.ProtoICMPv6 {
		p.icmpType, p.icmpCode = 128, 0
	}
	return p
}

// reply returns the reply to packet p from its destination: addresses
// swapped, destination port the client's ephemeral range.
func (t *tracer) reply(p packet, clientPorts model.PortRange) packet {
	r := packet{src: p.dst, dst: p.src, proto: p.proto, ports: clientPorts, icmpType: -1, icmpCode: -1}
	if !r.proto.HasPorts() {
		r.ports = model.AllPorts
	}
	if p.proto == model.ProtoICMP {
		r.icmpType, r.icmpCode = 0, 0 // echo reply
	}
	if p.proto == model.ProtoICMPv6 {
		r.icmpType, r.icmpCode = 129, 0
	}
	return r
}

// IsHostName reports whether s is a DNS name rather than an ID or address.
func IsHostName(s string) bool { return isHostName(s) }

func isHostName(s string) bool {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if s == "" || !strings.Contains(s, ".") {
		return false
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '*') {
			return false
		}
	}
	return true
}

func dnsHop(a DNSAnswer) Hop {
	reason := a.Reason
	for _, f := range a.Findings {
		if !strings.Contains(reason, f) {
			reason += "; " + f
		}
	}
	rule := a.Rcode
	if rule != "" && len(a.Answers) > 0 {
		rule += " " + strings.Join(a.Answers, ",")
	}
	var ref *RuleRef
	if rule != "" {
		ref = &RuleRef{Kind: RefDNSName, ID: a.Question}
	}
	h := Hop{Component: CompDNS, ID: a.Question, Direction: Forward, Decision: a.Decision, Code: a.Code, Rule: rule, Ref: ref, Reason: reason,
		Question: a.Question, AnsweredBy: a.AnsweredBy, Answers: a.Answers}
	seen(h)
	return h
}

// dnsResult is the answer of a trace whose name does not resolve to
// addresses to trace.
func dnsResult(q Query, src *model.ENI, srcIP netip.Addr, a DNSAnswer) Result {
	h := dnsHop(a)
	r := Result{SchemaVersion: SchemaVersion, Hops: []Hop{h}, ReturnHops: []Hop{}, Assumptions: []string{}, Findings: a.Findings,
		Flow: Flow{From: q.From, To: q.To, SrcENI: src.ID, SrcIP: srcIP.String(), Protocol: q.Protocol}}
	if q.Protocol.HasPorts() {
		r.Flow.Port = model.Port(q.Port).String()
		r.Flow.Ephemeral = q.Ephemeral.String()
	}
	r.BlockedBy = &Block{Component: CompDNS, ID: a.Question, Code: h.Code, Rule: h.Rule, Ref: h.Ref, Reason: a.Reason}
	r.Verdict = Unknown
	if a.Decision == Deny {
		r.Verdict = Blocked
	}
	fix := a.Fix
	if fix == "" && r.Verdict == Unknown && strings.HasPrefix(a.AnsweredBy, "public DNS") {
		fix = "give the public answer with --resolve " + a.Question + "=IP"
	}
	r.Fix = strPtr(fix)
	return r
}
