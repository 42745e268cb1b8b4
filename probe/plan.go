// Package probe turns the simulator's predictions into checks a probe can
// make from inside the VPC, and compares what the probe saw with what the
// model says.
//
// Three documents flow through it, all JSON with a schema_version:
//
//   - Plan (probe-plan): the checks for one source, each with the
//     simulator's prediction and the reason the hops gave.
//   - Report (probe, written by package probe/agent): the host's context and,
//     for each check, the expectation and the observation.
//   - Validation (validate): every check re-run through the simulator and
//     sorted into agree or a class of disagreement, with the likely causes.
//
// The package imports model and simulate only; the network code lives in
// probe/agent, which imports nothing of the model, so the probe's
// behaviour depends on the plan alone.
package probe

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
)

// SchemaVersion is the version of the plan, report and validation JSON.
const SchemaVersion = 2

// MinReadVersion is the oldest plan and report version vpcpath still
// reads: version 1 lacks only the codes and references of the
// simulator's predictions (CHANGELOG.md).
const MinReadVersion = 1

// Check kinds.
const (
	KindDNS = "dns"
	KindTCP = "tcp"
)

// Defaults for a plan's limits.
const (
	DefaultTimeoutMS   = 3000
	DefaultDeadlineMS  = 120000
	DefaultConcurrency = 8
	// MaxPortsPerCheck bounds a TCP check's range: a probe connects once per
	// port, and a plan must not turn into a port scan.
	MaxPortsPerCheck = 64
)

// Plan is what probe-plan writes and the probe runs (docs/probe.md).
type Plan struct {
	SchemaVersion int    `json:"schema_version"`
	Kind          string `json:"kind"` // "vpcpath-probe-plan"
	Source        Source `json:"source"`
	// Resolver is the source VPC's Amazon resolver as modelled (base+2, port
	// 53); the probe asks the resolver in /etc/resolv.conf unless told
	// otherwise and reports which it asked.
	Resolver    string   `json:"resolver"`
	TimeoutMS   int      `json:"timeout_ms"`
	DeadlineMS  int      `json:"deadline_ms"`
	Concurrency int      `json:"concurrency"`
	DNS         *DNSData `json:"dns_options,omitempty"`
	Checks      []Check  `json:"checks"`
	// Skipped lists requirements that yield nothing a probe can check, and
	// why.
	Skipped []string `json:"skipped"`
}

// Source is where the probe is meant to run.
type Source struct {
	From     string `json:"from"`
	ENI      string `json:"eni"`
	IP       string `json:"ip"`
	VPC      string `json:"vpc"`
	Subnet   string `json:"subnet"`
	Instance string `json:"instance,omitempty"`
}

// DNSData carries the answers no snapshot holds (--resolve,
// --endpoint-name), so validate re-resolves exactly as the plan did.
type DNSData struct {
	Public        map[string][]string `json:"public,omitempty"`
	EndpointNames map[string]string   `json:"endpoint_names,omitempty"`
}

// Options converts d to the simulator's options.
func (d *DNSData) Options() simulate.DNSOptions {
	o := simulate.DNSOptions{Public: map[string][]netip.Addr{}, PublicFrom: map[string]string{}, EndpointNames: map[string]string{}}
	if d == nil {
		return o
	}
	for name, ips := range d.Public {
		for _, s := range ips {
			if ip, err := netip.ParseAddr(s); err == nil {
				o.Public[model.FQDN(name)] = append(o.Public[model.FQDN(name)], ip)
			}
		}
		o.PublicFrom[model.FQDN(name)] = "the plan's public answers"
	}
	for name, id := range d.EndpointNames {
		o.EndpointNames[model.FQDN(name)] = id
	}
	return o
}

// DNSDataFrom records o in a plan.
func DNSDataFrom(o simulate.DNSOptions) *DNSData {
	if len(o.Public) == 0 && len(o.EndpointNames) == 0 {
		return nil
	}
	d := &DNSData{Public: map[string][]string{}, EndpointNames: map[string]string{}}
	for name, ips := range o.Public {
		for _, ip := range ips {
			d.Public[name] = append(d.Public[name], ip.String())
		}
	}
	for name, id := range o.EndpointNames {
		d.EndpointNames[name] = id
	}
	return d
}

// Check is one thing the probe does: a DNS query, or TCP connects to one
// address on a port or range.
type Check struct {
	ID   string `json:"id"`
	Kind string `json:"kind"` // dns or tcp
	// Requirement names where the check comes from (a profile's or intent
	// file's requirement, or "--to").
	Requirement string `json:"requirement"`
	// Name is the host name asked (dns) or the name the address belongs to
	// (tcp, for information and as the default SNI).
	Name string `json:"name,omitempty"`
	// Host is the address connected to (tcp).
	Host string `json:"host,omitempty"`
	// Ports is a port or range ("443", "8443-8451") (tcp).
	Ports *model.PortRange `json:"ports,omitempty"`
	// Target is what the simulator traces to: the destination interface
	// (eni-...) when the model knows it, else Host.
	Target string `json:"target,omitempty"`
	// TLS asks for a TLS handshake on open ports, with SNI.
	TLS    bool        `json:"tls,omitempty"`
	SNI    string      `json:"sni,omitempty"`
	Expect Expectation `json:"expect"`
}

// Expectation is the simulator's prediction for a check.
type Expectation struct {
	// Verdict is reachable, blocked or unknown (tcp: the whole range; see
	// Segments when it splits). For dns it is the resolver's decision: allow
	// (answers), deny (NXDOMAIN or silence) or unknown.
	Verdict string `json:"verdict"`
	// Reason is why, in the hops' words: where the packet dies or the model
	// stops knowing, else the path it takes.
	Reason    string             `json:"reason"`
	BlockedBy *simulate.Block    `json:"blocked_by,omitempty"`
	Segments  []simulate.Segment `json:"segments,omitempty"`
	// Path is the forward path, one "component id: rule" per hop (tcp).
	Path []string `json:"path,omitempty"`
	// DNS: the modelled answer.
	Rcode      string   `json:"rcode,omitempty"`
	Answers    []string `json:"answers,omitempty"`
	Private    bool     `json:"private,omitempty"`
	Endpoint   string   `json:"endpoint,omitempty"`
	AnsweredBy string   `json:"answered_by,omitempty"`
}

// Want is one destination a plan is asked to cover.
type Want struct {
	Requirement string
	// To is what a trace's --to takes: an ENI, instance or endpoint ID, an
	// IP address or a host name.
	To    string
	Ports []model.PortRange
	TLS   bool
	SNI   string
}

// Planner builds a plan for one source.
type Planner struct {
	M         *model.Model
	DNS       simulate.DNSOptions
	Ephemeral model.PortRange
	EphName   string

	plan    *Plan
	src     *model.ENI
	dnsSeen map[string]bool
	tcpSeen map[string]bool
}

// NewPlan starts a plan for the probe run at from (an ENI ID, an instance ID
// or a private IP).
func (p *Planner) NewPlan(from string) (*Plan, error) {
	src, err := simulate.Source(p.M, from)
	if err != nil {
		return nil, err
	}
	ip := src.PrimaryIP()
	if a, err := netip.ParseAddr(strings.TrimSpace(from)); err == nil {
		ip = a.Unmap()
	}
	p.src = src
	p.dnsSeen, p.tcpSeen = map[string]bool{}, map[string]bool{}
	p.plan = &Plan{
		SchemaVersion: SchemaVersion, Kind: "vpcpath-probe-plan",
		Source:    Source{From: from, ENI: src.ID, IP: ip.String(), VPC: src.VPCID, Subnet: src.SubnetID, Instance: src.InstanceID},
		TimeoutMS: DefaultTimeoutMS, DeadlineMS: DefaultDeadlineMS, Concurrency: DefaultConcurrency,
		DNS:    DNSDataFrom(p.DNS),
		Checks: []Check{}, Skipped: []string{},
	}
	if v := p.M.VPCs[src.VPCID]; v != nil && v.ResolverAddr().IsValid() {
		p.plan.Resolver = netip.AddrPortFrom(v.ResolverAddr(), 53).String()
	}
	return p.plan, nil
}

// Skip records a requirement that gives the probe nothing to check.
func (p *Planner) Skip(requirement, why string) {
	p.plan.Skipped = append(p.plan.Skipped, requirement+": "+why)
}

// Add plans the checks for one destination: a DNS check when it is a host
// name (or an endpoint with DNS names), and TCP checks to every address the
// model gives it.
func (p *Planner) Add(w Want) error {
	to := strings.TrimSpace(w.To)
	for _, pr := range w.Ports {
		if n := int(pr.Last) - int(pr.First) + 1; n > MaxPortsPerCheck {
			p.Skip(w.Requirement, fmt.Sprintf("%s ports %s: %d ports is a scan, not a check (at most %d per check); name a port with --to/--port", to, pr, n, MaxPortsPerCheck))
			return nil
		}
	}
	var targets []tcpTarget
	switch {
	case simulate.IsHostName(to):
		a := p.addDNS(w.Requirement, to)
		for _, ip := range a.Addrs() {
			t := tcpTarget{host: ip.String(), target: ip.String(), name: strings.TrimSuffix(model.FQDN(to), ".")}
			if e := p.M.ENIInVPC(p.src.VPCID, ip); e != nil {
				t.target = e.ID
			}
			targets = append(targets, t)
		}
		if a.Decision != simulate.Allow {
			p.Skip(w.Requirement, fmt.Sprintf("%s: the model gives no address to connect to (%s)", to, a.Reason))
			return nil
		}
	case strings.HasPrefix(to, "vpce-"):
		ep := p.M.Endpoints[to]
		if ep == nil {
			return &model.NotFoundError{Kind: model.KindVPCEndpoint, ID: to, Why: to + ": no such endpoint in the snapshot"}
		}
		if ep.Type != model.EndpointInterface {
			p.Skip(w.Requirement, fmt.Sprintf("%s is a %s endpoint: it has no address of its own; probe a service address with --to", to, ep.Type))
			return nil
		}
		for _, name := range endpointNames(p.M, ep) {
			p.addDNS(w.Requirement, name)
		}
		for _, id := range ep.ENIs {
			if e := p.M.ENIs[id]; e != nil && e.PrimaryIP().IsValid() {
				targets = append(targets, tcpTarget{host: e.PrimaryIP().String(), target: e.ID, name: firstName(p.M, ep)})
			}
		}
		if len(targets) == 0 {
			p.Skip(w.Requirement, to+": the snapshot holds none of its interfaces")
			return nil
		}
	case strings.HasPrefix(to, "eni-"), strings.HasPrefix(to, "i-"):
		var e *model.ENI
		kind := model.KindENI
		if strings.HasPrefix(to, "eni-") {
			e = p.M.ENIs[to]
		} else {
			e, kind = p.M.PrimaryENI(to), model.KindInstance
		}
		if e == nil && (kind == model.KindENI || p.M.Instances[to] == nil) {
			return &model.NotFoundError{Kind: kind, ID: to, Why: to + ": no addressed interface in the snapshot"}
		}
		if e == nil || !e.PrimaryIP().IsValid() {
			return fmt.Errorf("%s: no addressed interface in the snapshot", to)
		}
		targets = append(targets, tcpTarget{host: e.PrimaryIP().String(), target: e.ID})
	default:
		ip, err := netip.ParseAddr(to)
		if err != nil {
			return fmt.Errorf("%q: want an ENI, instance or endpoint ID, an IP address or a host name", to)
		}
		t := tcpTarget{host: ip.Unmap().String(), target: ip.Unmap().String()}
		if e := p.M.ENIInVPC(p.src.VPCID, ip.Unmap()); e != nil {
			t.target = e.ID
		}
		targets = append(targets, t)
	}
	for _, t := range targets {
		for _, pr := range w.Ports {
			if err := p.addTCP(w, t, pr); err != nil {
				return err
			}
		}
	}
	return nil
}

type tcpTarget struct{ host, target, name string }

func (p *Planner) addDNS(req, name string) simulate.DNSAnswer {
	a := simulate.Resolve(p.M, p.src.VPCID, name, p.DNS)
	key := model.FQDN(name)
	if p.dnsSeen[key] {
		return a
	}
	p.dnsSeen[key] = true
	p.plan.Checks = append(p.plan.Checks, Check{
		ID: fmt.Sprintf("dns-%d", p.count(KindDNS)+1), Kind: KindDNS, Requirement: req, Name: strings.TrimSuffix(key, "."),
		Expect: DNSExpectation(a),
	})
	return a
}

// DNSExpectation turns a modelled answer into a check's expectation.
func DNSExpectation(a simulate.DNSAnswer) Expectation {
	return Expectation{Verdict: string(a.Decision), Reason: a.Reason, Rcode: a.Rcode, Answers: append([]string{}, a.Answers...),
		Private: a.Private, Endpoint: a.Endpoint, AnsweredBy: a.AnsweredBy}
}

func (p *Planner) addTCP(w Want, t tcpTarget, pr model.PortRange) error {
	key := t.host + "|" + pr.String()
	if p.tcpSeen[key] {
		return nil
	}
	p.tcpSeen[key] = true
	res, err := simulate.TraceRange(p.M, p.query(t.target, pr.First), pr)
	if err != nil {
		return fmt.Errorf("%s: %s port %s: %v", w.Requirement, t.host, pr, err)
	}
	sni := w.SNI
	if w.TLS && sni == "" {
		sni = t.name
	}
	p.plan.Checks = append(p.plan.Checks, Check{
		ID: fmt.Sprintf("tcp-%d", p.count(KindTCP)+1), Kind: KindTCP, Requirement: w.Requirement,
		Name: t.name, Host: t.host, Ports: &pr, Target: t.target, TLS: w.TLS, SNI: sni,
		Expect: TCPExpectation(res),
	})
	return nil
}

func (p *Planner) query(to string, port uint16) simulate.Query {
	return simulate.Query{From: p.src.ID, To: to, Protocol: model.ProtoTCP, Port: port, DNS: p.DNS, Ephemeral: p.Ephemeral, EphemeralName: p.EphName}
}

// TCPExpectation turns a trace into a check's expectation.
func TCPExpectation(r simulate.Result) Expectation {
	e := Expectation{Verdict: string(r.Verdict), BlockedBy: r.BlockedBy, Segments: r.Segments}
	for _, h := range r.Hops {
		s := string(h.Component) + " " + h.ID + " " + string(h.Direction) + " " + string(h.Decision)
		if h.Rule != "" {
			s += ": " + h.Rule
		}
		e.Path = append(e.Path, s)
	}
	switch {
	case len(r.Segments) > 0:
		e.Reason = simulate.SegmentSummary(r.Segments)
	case r.BlockedBy != nil:
		e.Reason = string(r.BlockedBy.Component) + " " + r.BlockedBy.ID
		if r.BlockedBy.Return {
			e.Reason += " (return path)"
		}
		e.Reason += ": " + r.BlockedBy.Reason
	default:
		var parts []string
		for _, h := range r.Hops {
			switch h.Component {
			case simulate.CompRouteTable, simulate.CompTransitGateway, simulate.CompVPCPeering, simulate.CompVPCEndpoint, simulate.CompNATGateway, simulate.CompInternetGateway, simulate.CompAWSService:
				parts = append(parts, string(h.Component)+" "+h.ID)
			}
		}
		e.Reason = "reachable"
		if len(parts) > 0 {
			e.Reason += " via " + strings.Join(parts, " > ")
		}
	}
	return e
}

func (p *Planner) count(kind string) int {
	n := 0
	for _, c := range p.plan.Checks {
		if c.Kind == kind {
			n++
		}
	}
	return n
}

// endpointNames are the names worth asking for an interface endpoint: the
// private DNS names it serves (not wildcards) and its own regional name.
func endpointNames(m *model.Model, ep *model.VPCEndpoint) []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		n = strings.TrimSuffix(model.FQDN(n), ".")
		if n == "" || strings.HasPrefix(n, "*") || seen[n] {
			return
		}
		seen[n] = true
		out = append(out, n)
	}
	if ep.PrivateDNS {
		if svc := m.EndpointServices[ep.ServiceName]; svc != nil {
			for _, n := range svc.PrivateDNSNames {
				add(n)
			}
		}
		for _, n := range ep.DNSNames {
			if !strings.Contains(n, ".vpce.") {
				add(n)
			}
		}
	}
	// The regional name (vpce-<id>-<suffix>.<service>...vpce.amazonaws.com)
	// is the first of its own names; zonal names carry the AZ.
	for _, n := range ep.DNSNames {
		if strings.Contains(n, ".vpce.") {
			add(n)
			break
		}
	}
	return out
}

func firstName(m *model.Model, ep *model.VPCEndpoint) string {
	if ns := endpointNames(m, ep); len(ns) > 0 {
		return ns[0]
	}
	return ""
}

// Finish puts the DNS checks first (each group stays in requirement order)
// and returns the plan.
func (p *Planner) Finish() *Plan {
	sort.SliceStable(p.plan.Checks, func(i, j int) bool { return p.plan.Checks[i].Kind < p.plan.Checks[j].Kind })
	return p.plan
}
