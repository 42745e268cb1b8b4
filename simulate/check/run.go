package check

import (
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
)

// Status is a requirement's answer.
type Status string

// Statuses.
const (
	Pass    Status = "PASS"
	Fail    Status = "FAIL"
	Unknown Status = "UNKNOWN"
)

func rank(s Status) int {
	switch s {
	case Fail:
		return 2
	case Unknown:
		return 1
	}
	return 0
}

// Outcome is the answer for one requirement from one source combination
// (one subnet with one set of security groups).
type Outcome struct {
	Name     string `json:"name"`
	Section  string `json:"section"` // functional or shape
	Severity string `json:"severity"`
	Status   Status `json:"status"`
	From     string `json:"from"`
	To       string `json:"to"`
	// Protocol is the requirement's protocol as model.Protocol writes it
	// ("tcp"); empty for an outcome that is no flow (a shape check, what
	// AWS refuses), so a string and not a model.Protocol (whose zero is
	// protocol 0).
	Protocol string   `json:"protocol"`
	Ports    PortList `json:"ports"`
	Expect   string   `json:"expect"`
	// Source is the source combination checked; SharedBy lists the
	// sources that share it (and so this answer).
	Source string `json:"source"`
	// SourceSubnet is the source combination's subnet (and Name tag).
	SourceSubnet string   `json:"source_subnet"`
	SharedBy     []string `json:"shared_by"`
	// Detail says what was found: the exact sub-ranges, the blocking hop.
	Detail string `json:"detail"`
	// Rule is the rule that decided a failure, as a person writes it.
	Rule string `json:"rule"`
	// Code and Ref are those of the trace hop that decided a FAIL or
	// UNKNOWN (simulate.Codes); absent when no hop decided it (a shape
	// check, a destination that does not resolve, a flow reachable where
	// it should be blocked).
	Code simulate.Code     `json:"code,omitempty"`
	Ref  *simulate.RuleRef `json:"ref,omitempty"`
	Fix  *string           `json:"fix"`
	// Change is Fix as data when it is one change (simulate.Result.Change).
	Change *simulate.Change `json:"-"`
	// FixSource is Fix in the language of the input (simulate.SourceFixes).
	FixSource []simulate.SourceFix `json:"fix_source,omitempty"`
	Why       string               `json:"why,omitempty"`
	// Trace is the trace that decided Status (the first of the worst),
	// for reports that show the hops (render/report); nil when no trace
	// decided it (a selector that names nothing, a shape check). Not part
	// of the JSON contract.
	Trace *simulate.Result `json:"-"`
}

// Options configure a run.
type Options struct {
	DNS simulate.DNSOptions
	// Ephemeral is the client port range; zero is Linux's.
	Ephemeral     model.PortRange
	EphemeralName string
}

// internetAddr stands for "somewhere on the internet" (TEST-NET-2,
// RFC 5737): no rule of a real network names it, so it takes the default
// route.
var internetAddr = netip.MustParseAddr("198.51.100.10")

// Run checks every requirement of f on m.
func Run(m *model.Model, f *File, opts Options) []Outcome {
	if f.DNS != nil {
		if opts.DNS.Public == nil {
			opts.DNS.Public = map[string][]netip.Addr{}
		}
		if opts.DNS.EndpointNames == nil {
			opts.DNS.EndpointNames = map[string]string{}
		}
		for name, ips := range f.DNS.Resolve {
			for _, s := range ips {
				if ip, err := netip.ParseAddr(s); err == nil {
					opts.DNS.Public[model.FQDN(name)] = append(opts.DNS.Public[model.FQDN(name)], ip)
				}
			}
		}
		for name, id := range f.DNS.EndpointNames {
			opts.DNS.EndpointNames[model.FQDN(name)] = id
		}
	}
	r := &runner{m: m, opts: opts, standIns: map[string]*model.ENI{}}
	var out []Outcome
	for i := range f.Requirements {
		out = append(out, r.intent(&f.Requirements[i])...)
	}
	return out
}

type runner struct {
	m    *model.Model // read only
	opts Options
	// standIns are the nodes placed where nothing matching runs, by ID;
	// they travel in each trace's query, never into the model.
	standIns  map[string]*model.ENI
	synthetic []*model.ENI // standIns in the order placed
}

// source is one interface a requirement starts from.
type source struct {
	eni   *model.ENI
	label string
}

func (r *runner) intent(in *Intent) []Outcome {
	base := Outcome{Name: in.Name, Section: "functional", Severity: in.Severity, From: in.From.String(), To: in.To.String(),
		Protocol: in.Protocol.String(), Ports: in.Ports, Expect: in.Expect, Why: in.Why, SharedBy: []string{}}
	srcs, err := r.interfaces(in.From)
	if err != nil {
		o := base
		o.Status, o.Detail = Unknown, "from: "+r.m.Suggest(err).Error()
		return []Outcome{o}
	}
	// One check per distinct (subnet, groups): sources in it share the answer.
	type combo struct {
		key     string
		rep     source
		members []string
	}
	var combos []*combo
	byKey := map[string]*combo{}
	for _, s := range srcs {
		groups := append([]string{}, s.eni.Groups...)
		sort.Strings(groups)
		key := s.eni.SubnetID + "|" + strings.Join(groups, ",")
		c := byKey[key]
		if c == nil {
			c = &combo{key: key, rep: s}
			byKey[key] = c
			combos = append(combos, c)
		}
		c.members = append(c.members, s.label)
	}
	var out []Outcome
	for _, c := range combos {
		o := base
		o.Source = c.rep.label
		o.SourceSubnet = c.rep.eni.SubnetID
		if s := r.m.Subnets[c.rep.eni.SubnetID]; s != nil && s.Tags.Name() != "" {
			o.SourceSubnet += " (" + s.Tags.Name() + ")"
		}
		o.SharedBy = c.members
		r.check(in, c.rep, &o)
		out = append(out, o)
	}
	return out
}

// check decides one requirement from one source into o.
func (r *runner) check(in *Intent, src source, o *Outcome) {
	dsts, err := r.destinations(in.To, src.eni)
	if err != nil {
		o.Status, o.Detail = Unknown, "to: "+r.m.Suggest(err).Error()
		if detail, fix, ok := r.viaEndpointWithoutEntries(in, src.eni); ok {
			o.Status, o.Detail, o.Fix, o.Change = Fail, detail, fix.text, fix.change
			return
		}
		if ne := (*noEndpointError)(nil); errors.As(err, &ne) {
			o.Status = Fail
			fix := fmt.Sprintf("create it: aws ec2 create-vpc-endpoint --vpc-id %s --vpc-endpoint-type Interface --service-name %s --subnet-ids <one subnet per AZ> --security-group-ids <a group admitting tcp 443 from the sources> --private-dns-enabled",
				src.eni.VPCID, in.To.EndpointService)
			o.Fix = &fix
		}
		return
	}
	ports := in.Ports
	if len(ports) == 0 {
		ports = []model.PortRange{{}}
	}
	o.Status = Pass
	var details []string
	var worst []string       // the details of the worst status so far
	var cur *simulate.Result // the trace being judged; nil for an error
	set := func(st Status, detail string, by decided, fix proposed) {
		details = append(details, detail)
		switch {
		case len(worst) == 0 || rank(st) > rank(o.Status):
			worst = []string{detail}
			o.Trace = cur
		case rank(st) == rank(o.Status):
			worst = append(worst, detail)
		}
		if rank(st) > rank(o.Status) {
			o.Status, o.Rule, o.Code, o.Ref, o.Fix, o.Change = st, by.rule, by.code, by.ref, fix.text, fix.change
		}
	}
	for _, dst := range dsts {
		if dst == src.eni.ID {
			// Another node of the same subnet and groups: the same-subnet
			// case (no ACL, only the groups) is a flow too.
			peer, err := r.standIn(src.eni.SubnetID, src.eni.Groups, "-peer")
			if err != nil {
				cur = nil
				set(Unknown, err.Error(), decided{}, proposed{})
				continue
			}
			dst = peer.ID
		}
		for _, pr := range ports {
			q := simulate.Query{From: src.eni.ID, To: dst, Protocol: in.Protocol, Port: pr.First, DNS: r.opts.DNS,
				Ephemeral: r.opts.Ephemeral, EphemeralName: r.opts.EphemeralName, StandIns: r.synthetic}
			res, err := simulate.TraceRange(r.m, q, pr)
			cur = nil
			if err != nil {
				set(Unknown, r.m.Suggest(err).Error(), decided{}, proposed{})
				continue
			}
			what := dst
			if dst == internetAddr.String() {
				what = "the internet"
			}
			if in.Protocol.HasPorts() {
				what += " " + in.Protocol.String() + "/" + pr.String()
			}
			if dst == internetAddr.String() {
				res = forTheInternet(res)
			}
			cur = &res
			if in.apart {
				r.judgeApart(q, res, pr, dst, set)
				continue
			}
			r.judge(in, res, what, set)
		}
	}
	o.Detail = strings.Join(uniq(details), "; ")
	if in.apart && len(worst) > 0 {
		// Only what decided the answer: the first open (or unknown) flow,
		// and how many more there are; for a pass, how each was blocked.
		w := uniq(worst)
		o.Detail = w[0]
		if o.Status != Pass && len(w) > 1 {
			o.Detail += fmt.Sprintf(" (and %d more)", len(w)-1)
		} else if o.Status == Pass {
			o.Detail = strings.Join(w, "; ")
		}
	}
}

// judge compares one trace with what the requirement expects.
func (r *runner) judge(in *Intent, res simulate.Result, what string, set setFunc) {
	summary := string(res.Verdict)
	if len(res.Segments) > 0 {
		summary = simulate.SegmentSummary(res.Segments)
	} else if b := res.BlockedBy; b != nil {
		summary += " at " + string(b.Component) + " " + b.ID
		if b.Return {
			summary += " on the return path"
		}
		summary += ": " + b.Reason
	}
	rule := byBlock(res.BlockedBy)
	// A name that should resolve privately but is answered (or left
	// unanswered) by public DNS fails, whatever public DNS would say.
	if in.ResolvesTo == "private" || strings.HasPrefix(in.ResolvesTo, "vpce-") {
		if len(res.Hops) > 0 && res.Hops[0].Component == simulate.CompDNS && strings.HasPrefix(res.Hops[0].AnsweredBy, "public DNS") {
			set(Fail, fmt.Sprintf("%s: %s is answered by %s, not %s (%s)", what, res.Hops[0].Question, res.Hops[0].AnsweredBy, in.ResolvesTo, res.Hops[0].Reason), byHop(res.Hops[0], "dns: "+res.Hops[0].AnsweredBy), dnsFix(res))
			return
		}
	}
	if in.Expect == "blocked" {
		switch {
		case res.Verdict == simulate.Blocked && len(res.Segments) == 0:
			set(Pass, summary, decided{}, proposed{})
		case res.Verdict == simulate.Unknown:
			set(Unknown, what+": "+summary, rule, proposalOf(res))
		default:
			set(Fail, what+": expected blocked, but "+summary, decided{}, proposed{})
		}
		return
	}
	switch res.Verdict {
	case simulate.Blocked:
		set(Fail, what+": "+summary, rule, proposalOf(res))
		return
	case simulate.Unknown:
		set(Unknown, what+": "+summary, rule, proposalOf(res))
		return
	}
	for _, v := range in.Via {
		if !passes(res.Hops, v) {
			set(Fail, fmt.Sprintf("%s: reachable, but not via %s (path: %s)", what, v, pathString(res.Hops)), firstRoute(res.Hops), proposed{pathFix(res), res.PathChange})
			return
		}
	}
	for _, v := range in.NotVia {
		if passes(res.Hops, v) {
			set(Fail, fmt.Sprintf("%s: reachable, but through %s, which it must not pass (path: %s)", what, v, pathString(res.Hops)), firstRoute(res.Hops), proposed{pathFix(res), res.PathChange})
			return
		}
	}
	if in.ResolvesTo != "" {
		if ok, why := resolvesTo(res, in.ResolvesTo); !ok {
			set(Fail, what+": "+why, byHop(res.Hops[0], "dns: "+res.Hops[0].AnsweredBy), dnsFix(res))
			return
		}
	}
	set(Pass, "reachable via "+pathString(res.Hops), decided{}, proposed{})
}

// firstRoute is the routing decision that chose the path.
func firstRoute(hs []simulate.Hop) decided {
	for _, h := range hs {
		if h.Component == simulate.CompRouteTable {
			return byHop(h, h.ID+": "+h.Rule)
		}
	}
	return decided{}
}

// decided is what decided an outcome: the rule as a person writes it and,
// when a hop of a trace decided, its code and reference.
type decided struct {
	rule string
	code simulate.Code
	ref  *simulate.RuleRef
}

// byBlock is the hop where a trace stopped (none when b is nil).
func byBlock(b *simulate.Block) decided {
	if b == nil {
		return decided{}
	}
	return decided{rule: b.Rule, code: b.Code, ref: b.Ref}
}

// byHop is hop h, its rule written as rule.
func byHop(h simulate.Hop, rule string) decided {
	return decided{rule: rule, code: h.Code, ref: h.Ref}
}

// pathFix is what would put a reachable flow on its intended path: the
// findings that say why it took another (a gateway endpoint not associated,
// PrivateLink bypassed by DNS), which carry their commands.
func pathFix(res simulate.Result) *string {
	if len(res.Findings) == 0 {
		return nil
	}
	f := strings.Join(res.Findings, "; ")
	return &f
}

func dnsFix(res simulate.Result) proposed {
	if res.Fix != nil {
		return proposalOf(res)
	}
	return proposed{pathFix(res), res.PathChange}
}

// proposed is the fix of an outcome: its text, and the change it makes
// when it is one (simulate.Result.Change).
type proposed struct {
	text   *string
	change *simulate.Change
}

func proposalOf(res simulate.Result) proposed { return proposed{res.Fix, res.Change} }

// setFunc records one finding of a requirement: its status, detail, the
// hop that decided it and the fix.
type setFunc func(st Status, detail string, by decided, fix proposed)

func passes(hs []simulate.Hop, v string) bool {
	for _, h := range hs {
		if string(h.Component) == v || h.ID == v || strings.Contains(","+h.ID+",", ","+v+",") {
			return true
		}
	}
	return false
}

// pathString is the forward path's gateways, routers and endpoints.
func pathString(hs []simulate.Hop) string {
	var parts []string
	for _, h := range hs {
		switch h.Component {
		case simulate.CompRouteTable, simulate.CompNATGateway, simulate.CompInternetGateway, simulate.CompVPCEndpoint, simulate.CompAWSService,
			simulate.CompVPCPeering, simulate.CompTransitGateway, simulate.CompAppliance, simulate.CompVGW, simulate.CompVPNConnection, simulate.CompDXGateway:
			parts = append(parts, string(h.Component)+" "+h.ID)
		}
	}
	return strings.Join(parts, " > ")
}

func resolvesTo(res simulate.Result, want string) (bool, string) {
	if len(res.Hops) == 0 || res.Hops[0].Component != simulate.CompDNS {
		return false, "resolves_to needs a host name"
	}
	h := res.Hops[0]
	private := true
	for _, a := range h.Answers {
		ip, err := netip.ParseAddr(a)
		if err != nil || !ip.IsPrivate() {
			private = false
		}
	}
	switch {
	case want == "private" && !private:
		return false, fmt.Sprintf("%s resolves to %s, not private addresses (%s)", h.Question, strings.Join(h.Answers, ","), h.AnsweredBy)
	case want == "public" && private:
		return false, fmt.Sprintf("%s resolves to private %s (%s)", h.Question, strings.Join(h.Answers, ","), h.AnsweredBy)
	case strings.HasPrefix(want, "vpce-"):
		if !strings.Contains(h.AnsweredBy, want) {
			return false, fmt.Sprintf("%s is answered by %s, not %s", h.Question, h.AnsweredBy, want)
		}
	case want != "private" && want != "public":
		p := netip.MustParsePrefix(want)
		for _, a := range h.Answers {
			if ip, err := netip.ParseAddr(a); err != nil || !p.Contains(ip) {
				return false, fmt.Sprintf("%s resolves to %s, outside %s", h.Question, a, want)
			}
		}
	}
	return true, ""
}

// PortList is a requirement's ports as an outcome reports them: each
// range as model.PortRange.String writes it, joined by commas
// ("443,8443-8451", "all"); empty for protocols without ports.
type PortList []model.PortRange

func (l PortList) String() string {
	parts := make([]string, len(l))
	for i, p := range l {
		parts[i] = p.String()
	}
	return strings.Join(parts, ",")
}

// MarshalText writes String.
func (l PortList) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads ranges separated by commas; "" is no ports.
func (l *PortList) UnmarshalText(b []byte) error {
	var out PortList
	if strings.TrimSpace(string(b)) == "" {
		*l = nil
		return nil
	}
	for _, part := range strings.Split(string(b), ",") {
		r, err := model.ParsePortRange(part)
		if err != nil {
			return err
		}
		out = append(out, r)
	}
	*l = out
	return nil
}

func uniq(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// forTheInternet rewrites a trace to the stand-in internet address so that
// its fixes open the internet (0.0.0.0/0), not the stand-in address.
func forTheInternet(res simulate.Result) simulate.Result {
	host := internetAddr.String() + "/32"
	// The bare address last: a fix that adds a route "for" it (a transit
	// gateway table without a default route) must add 0.0.0.0/0.
	repl := strings.NewReplacer("CidrIp="+host, "CidrIp=0.0.0.0/0", "--cidr-block "+host, "--cidr-block 0.0.0.0/0", host, "0.0.0.0/0",
		internetAddr.String(), "0.0.0.0/0")
	if res.Fix != nil {
		f := repl.Replace(*res.Fix)
		res.Fix = &f
	}
	everywhere := netip.MustParsePrefix("0.0.0.0/0")
	if res.Change != nil {
		c := res.Change.ReplaceCIDR(netip.PrefixFrom(internetAddr, 32), everywhere)
		res.Change = &c
	}
	segs := make([]simulate.Segment, len(res.Segments))
	copy(segs, res.Segments)
	for i := range segs {
		if segs[i].Fix != nil {
			f := repl.Replace(*segs[i].Fix)
			segs[i].Fix = &f
		}
		if c := segs[i].Change; c != nil {
			cc := c.ReplaceCIDR(netip.PrefixFrom(internetAddr, 32), everywhere)
			segs[i].Change = &cc
		}
	}
	res.Segments = segs
	if b := res.BlockedBy; b != nil {
		bb := *b
		bb.Reason = strings.ReplaceAll(bb.Reason, internetAddr.String(), "the internet")
		res.BlockedBy = &bb
	}
	return res
}
