package probe

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
)

// Classes a check falls into when the simulator is run again against what
// the probe saw.
const (
	Agree = "agree"
	// ReachableButDropped: the model says reachable, the probe saw a
	// timeout or an unreachable.
	ReachableButDropped = "predicted-reachable-but-dropped"
	// BlockedButOpen: the model says blocked, the probe connected (or was
	// refused by a host, which means the path was open).
	BlockedButOpen = "predicted-blocked-but-open"
	// DNSOtherwise: the resolver answered otherwise than modelled.
	DNSOtherwise = "dns-answered-otherwise"
	// Inconclusive: the model does not know (unknown), or the probe could
	// not check (not run, an error). Not a disagreement.
	Inconclusive = "inconclusive"
)

// Cause classes.
const (
	OutsideModel  = "outside the model"
	SnapshotStale = "snapshot stale"
	ModelWrong    = "model wrong"
)

// Cause is one likely cause of a disagreement.
type Cause struct {
	Class string `json:"class"`
	Text  string `json:"text"`
}

// Item is one check (or a run of its ports with one outcome) compared.
type Item struct {
	Check       string `json:"check"`
	Kind        string `json:"kind"`
	Requirement string `json:"requirement"`
	// Target is "host tcp/ports" or the DNS name; Name is the host name a
	// TCP target stands for, if any.
	Target    string `json:"target"`
	Name      string `json:"name,omitempty"`
	Class     string `json:"class"`
	Predicted string `json:"predicted"`
	// PredictedCode and PredictedRef are the explanation code and rule of
	// the hop where a blocked or unknown TCP prediction stopped, or the
	// resolver's code for a DNS one (simulate.Codes): a script compares
	// them, never the prediction's text.
	PredictedCode simulate.Code     `json:"predicted_code,omitempty"`
	PredictedRef  *simulate.RuleRef `json:"predicted_ref,omitempty"`
	Observed      string            `json:"observed"`
	Detail        string            `json:"detail"`
	Causes        []Cause           `json:"causes,omitempty"`
}

// Validation is validate's answer (docs/probe.md).
type Validation struct {
	SchemaVersion int `json:"schema_version"`
	// Source is the probe's interface as found in the model by address.
	Source  Source         `json:"source"`
	Host    Host           `json:"host"`
	Summary map[string]int `json:"summary"`
	Items   []Item         `json:"items"`
	Notes   []string       `json:"notes"`
}

// Disagreements counts the items that are neither agree nor inconclusive.
func (v *Validation) Disagreements() int {
	n := 0
	for _, it := range v.Items {
		if it.Class != Agree && it.Class != Inconclusive {
			n++
		}
	}
	return n
}

// FindSource finds the probe's interface in m by the host's addresses,
// preferring the plan's source address.
func FindSource(m *model.Model, rep *Report) (*model.ENI, netip.Addr, error) {
	var cands []string
	if rep.Source.IP != "" {
		cands = append(cands, rep.Source.IP)
	}
	cands = append(cands, rep.Host.Addresses...)
	for _, s := range cands {
		if !hostHas(rep.Host.Addresses, s) {
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			continue
		}
		a = a.Unmap()
		var enis []*model.ENI
		if rep.Source.VPC != "" {
			if e := m.ENIInVPC(rep.Source.VPC, a); e != nil {
				enis = []*model.ENI{e}
			}
		}
		if len(enis) == 0 {
			enis = m.ENIsByIP(a)
		}
		if len(enis) == 1 {
			return enis[0], a, nil
		}
	}
	return nil, netip.Addr{}, fmt.Errorf("no network interface in the snapshot holds one of the probe host's addresses (%s): was the probe run on an instance of this snapshot?", strings.Join(rep.Host.Addresses, ", "))
}

func hostHas(addrs []string, s string) bool {
	for _, a := range addrs {
		if a == s {
			return true
		}
	}
	return false
}

// Validate re-runs the simulator for every check of rep from the probe's
// interface in m and sorts each into agree or a class of disagreement,
// with the likely causes.
func Validate(m *model.Model, rep *Report, eph model.PortRange, ephName string) (*Validation, error) {
	src, srcIP, err := FindSource(m, rep)
	if err != nil {
		return nil, err
	}
	v := &Validation{SchemaVersion: SchemaVersion, Host: rep.Host, Summary: map[string]int{}, Items: []Item{}, Notes: []string{}}
	v.Source = Source{From: srcIP.String(), ENI: src.ID, IP: srcIP.String(), VPC: src.VPCID, Subnet: src.SubnetID, Instance: src.InstanceID}
	if rep.Source.ENI != "" && rep.Source.ENI != src.ID {
		v.Notes = append(v.Notes, fmt.Sprintf("the plan was made for %s (%s) but the probe ran on %s (%s): its expectations are re-derived from where it ran", rep.Source.ENI, rep.Source.IP, src.ID, srcIP))
	}
	if rep.Host.InstanceID != "" && src.InstanceID != "" && rep.Host.InstanceID != src.InstanceID {
		v.Notes = append(v.Notes, fmt.Sprintf("instance metadata says %s, the snapshot puts %s on %s: the address was reused since the snapshot? re-collect", rep.Host.InstanceID, srcIP, src.InstanceID))
	}
	vpcResolver := ""
	if vpc := m.VPCs[src.VPCID]; vpc != nil && vpc.ResolverAddr().IsValid() {
		vpcResolver = vpc.ResolverAddr().String()
	}
	dnsOpts := rep.DNS.Options()
	for _, r := range rep.Results {
		switch r.Check.Kind {
		case KindDNS:
			if r.DNS == nil {
				continue
			}
			a := simulate.Resolve(m, src.VPCID, r.Check.Name, dnsOpts)
			v.Items = append(v.Items, compareDNS(r.Check, a, *r.DNS, vpcResolver))
		case KindTCP:
			v.Items = append(v.Items, compareTCP(m, src, r, dnsOpts, eph, ephName)...)
		}
	}
	for _, it := range v.Items {
		v.Summary[it.Class]++
	}
	return v, nil
}

func compareDNS(c Check, a simulate.DNSAnswer, o DNSObservation, vpcResolver string) Item {
	it := Item{Check: c.ID, Kind: KindDNS, Requirement: c.Requirement, Target: c.Name, PredictedCode: a.Code}
	it.Predicted = dnsText(a.Rcode, a.Answers, string(a.Decision))
	if a.AnsweredBy != "" {
		it.Predicted += " by " + a.AnsweredBy
	}
	switch o.Outcome {
	case Answered:
		it.Observed = dnsText(o.Rcode, o.Answers, "")
		if len(o.Chain) > 1 {
			it.Observed += " via " + strings.Join(o.Chain, " > ")
		}
	default:
		it.Observed = o.Outcome
		if o.Error != "" {
			it.Observed += ": " + o.Error
		}
	}
	it.Observed += fmt.Sprintf(" [%s %s, %.1f ms]", o.Resolver, o.Transport, o.RTTMS)
	switch {
	case o.Outcome == NotRun || o.Outcome == Failed:
		it.Class, it.Detail = Inconclusive, "the probe could not ask"
		return it
	case a.Decision == simulate.Undecided:
		it.Class, it.Detail = Inconclusive, "the model cannot tell: "+a.Reason
		return it
	}
	agree := false
	switch {
	case o.Outcome == DNSTimeout:
		agree = a.Decision == simulate.Deny && a.Rcode == ""
	case a.Decision == simulate.Allow:
		agree = o.Rcode == "NOERROR" && sameAddrs(o.Answers, a.Answers)
	default:
		agree = o.Rcode == a.Rcode && len(o.Answers) == 0
	}
	if agree {
		it.Class, it.Detail = Agree, "answered as modelled"
		return it
	}
	it.Class = DNSOtherwise
	var why []string
	modelPrivate := a.Private
	switch {
	case o.Outcome == DNSTimeout:
		why = append(why, "the resolver did not answer")
	case o.Rcode != a.Rcode && a.Rcode != "":
		why = append(why, fmt.Sprintf("response code %s, modelled %s", o.Rcode, a.Rcode))
	case modelPrivate && o.Class != "private":
		why = append(why, "public or no addresses where the model has the private ones of "+orDash(a.Endpoint)+": PrivateLink is bypassed from this host")
	case !modelPrivate && o.Class == "private":
		why = append(why, "private addresses where the model resolves publicly: a private zone or endpoint answers that the snapshot does not hold")
	default:
		why = append(why, "other addresses than modelled")
	}
	it.Detail = strings.Join(why, "; ")
	resolverHost, _, _ := strings.Cut(o.Resolver, ":")
	if strings.HasPrefix(o.Resolver, "[") {
		resolverHost = strings.Trim(strings.SplitN(o.Resolver, "]", 2)[0], "[")
	}
	if vpcResolver != "" && resolverHost != vpcResolver && resolverHost != "169.254.169.253" {
		it.Causes = append(it.Causes, Cause{OutsideModel, fmt.Sprintf("the probe asked %s, not the VPC's Amazon resolver (%s or 169.254.169.253): a custom resolver (DHCP options, an on-premises or self-run DNS server) answers by its own zones; compare with --resolver %s:53", o.Resolver, vpcResolver, vpcResolver)})
	}
	it.Causes = append(it.Causes,
		Cause{OutsideModel, "a Route 53 Resolver forwarding rule or an on-premises resolver the snapshot does not describe, or split-horizon DNS upstream"},
		Cause{SnapshotStale, "a private hosted zone, its VPC associations, a record, or an endpoint's private DNS setting changed since the snapshot: re-collect (with the route53 and route53resolver files) and validate again"},
		Cause{ModelWrong, "if a fresh snapshot still predicts " + it.Predicted + ", the resolver model is wrong here: report it with the plan, the report and the snapshot"})
	return it
}

func dnsText(rcode string, answers []string, decision string) string {
	switch {
	case len(answers) > 0:
		return strings.Join(sorted(answers), ",")
	case rcode != "":
		return rcode
	case decision != "":
		return decision
	}
	return "no answer"
}

func orDash(s string) string {
	if s == "" {
		return "the endpoint"
	}
	return s
}

func sorted(ss []string) []string {
	out := append([]string{}, ss...)
	sort.Strings(out)
	return out
}

func sameAddrs(a, b []string) bool {
	x, y := sorted(a), sorted(b)
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// portResult is one port's prediction and observation.
type portResult struct {
	port     uint16
	res      simulate.Result
	err      error
	obs      TCPObservation
	class    string
	observed string
}

func compareTCP(m *model.Model, src *model.ENI, r Result, dnsOpts simulate.DNSOptions, eph model.PortRange, ephName string) []Item {
	c := r.Check
	to := c.Target
	if to == "" {
		to = c.Host
	}
	var prs []portResult
	for _, o := range r.TCP {
		q := simulate.Query{From: src.ID, To: to, Protocol: model.ProtoTCP, Port: o.Port, DNS: dnsOpts, Ephemeral: eph, EphemeralName: ephName}
		res, err := simulate.Trace(m, q)
		if err != nil && to != c.Host {
			// The interface is gone from this snapshot: trace the address.
			q.To = c.Host
			res, err = simulate.Trace(m, q)
		}
		pr := portResult{port: o.Port, res: res, err: err, obs: o}
		pr.class = tcpClass(res.Verdict, o.Outcome, err)
		pr.observed = o.Outcome
		prs = append(prs, pr)
	}
	// Merge consecutive ports with one class, outcome and prediction.
	var items []Item
	for i := 0; i < len(prs); {
		j := i
		for j+1 < len(prs) && prs[j+1].port == prs[j].port+1 && prs[j+1].class == prs[i].class &&
			prs[j+1].observed == prs[i].observed && prs[j+1].res.Verdict == prs[i].res.Verdict && sameBlock(prs[j+1].res.BlockedBy, prs[i].res.BlockedBy) {
			j++
		}
		items = append(items, tcpItem(c, prs[i:j+1]))
		i = j + 1
	}
	return items
}

func sameBlock(a, b *simulate.Block) bool { return a.Equal(b) }

func tcpClass(v simulate.Verdict, outcome string, err error) string {
	if err != nil || v == simulate.Unknown || outcome == NotRun || outcome == Failed {
		return Inconclusive
	}
	passed := outcome == Open || outcome == Refused
	switch {
	case v == simulate.Reachable && passed, v == simulate.Blocked && !passed:
		return Agree
	case v == simulate.Reachable:
		return ReachableButDropped
	}
	return BlockedButOpen
}

func tcpItem(c Check, prs []portResult) Item {
	first, last := prs[0], prs[len(prs)-1]
	ports := model.PortRange{First: first.port, Last: last.port}
	it := Item{Check: c.ID, Kind: KindTCP, Requirement: c.Requirement, Target: c.Host + " tcp/" + ports.String(), Class: first.class}
	it.Name = c.Name
	res := first.res
	if first.err != nil {
		it.Predicted = "error: " + first.err.Error()
	} else {
		it.Predicted = string(res.Verdict)
		if res.BlockedBy != nil {
			it.PredictedCode, it.PredictedRef = res.BlockedBy.Code, res.BlockedBy.Ref
			it.Predicted += " at " + string(res.BlockedBy.Component) + " " + res.BlockedBy.ID
			if res.BlockedBy.Rule != "" {
				it.Predicted += " (" + res.BlockedBy.Rule + ")"
			}
		}
	}
	var lat []string
	for _, p := range prs {
		lat = append(lat, fmt.Sprintf("%.1f", p.obs.LatencyMS))
	}
	it.Observed = first.observed + " (" + strings.Join(lat, "/") + " ms)"
	if t := first.obs.TLS; t != nil {
		if t.Error != "" {
			it.Observed += "; TLS failed: " + t.Error
		} else {
			it.Observed += fmt.Sprintf("; TLS %s, certificate names %s (SNI %s %s)", t.Version, strings.Join(t.Names, ","), t.SNI, map[bool]string{true: "matches", false: "does not match"}[t.NameMatches])
		}
	}
	switch it.Class {
	case Agree:
		if first.observed == Refused {
			it.Detail = "the path works as modelled; nothing listens on the port (a reset came back)"
		} else if res.Verdict == simulate.Reachable {
			it.Detail = "reachable as modelled"
		} else {
			it.Detail = "blocked as modelled"
		}
	case Inconclusive:
		switch {
		case first.err != nil:
			it.Detail = "the simulator cannot trace this check on this snapshot"
		case res.Verdict == simulate.Unknown && res.BlockedBy != nil:
			it.Detail = "the model cannot tell: " + res.BlockedBy.Reason + "; the probe saw " + first.observed
		default:
			it.Detail = "the probe could not check: " + first.obs.Error
		}
	case ReachableButDropped:
		it.Detail, it.Causes = droppedCauses(res, first.obs)
	case BlockedButOpen:
		it.Detail, it.Causes = openCauses(res, first.obs)
	}
	return it
}

// pathHops lists the filtering and routing hops of a path, as "component
// id (rule)": a transit gateway route table's or a peering connection's
// decision too, where a route that drifted from the snapshot drops the
// packet as surely as a VPC route.
func pathHops(hs []simulate.Hop) string {
	var parts []string
	for _, h := range hs {
		switch h.Component {
		case simulate.CompSecurityGroup, simulate.CompNetworkACL, simulate.CompRouteTable, simulate.CompTransitGateway, simulate.CompVPCPeering, simulate.CompVPCEndpoint:
			s := string(h.Component) + " " + h.ID + " " + string(h.Direction)
			if h.Rule != "" {
				s += " (" + h.Rule + ")"
			}
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}

func droppedCauses(res simulate.Result, o TCPObservation) (string, []Cause) {
	detail := "the model lets it through"
	if p := pathHops(res.Hops); p != "" {
		detail += ", by " + p
	}
	var cs []Cause
	if o.Outcome == Unreachable {
		detail += "; an unreachable came back (" + o.Error + ")"
		cs = append(cs, Cause{OutsideModel, "security groups and network ACLs drop silently and VPC routes do not answer with ICMP: an unreachable comes from the probe host itself (no route, a local firewall's reject) or from a firewall, appliance or on-premises router outside the model"})
	} else {
		detail += "; the SYN went unanswered (dropped)"
		cs = append(cs, Cause{OutsideModel, "a host firewall on the destination (iptables/nftables, Windows Firewall) or on the probe host drops it, or a firewall or appliance behind a transit gateway or Network Firewall endpoint sits on the real path"})
	}
	cs = append(cs,
		Cause{SnapshotStale, "a security group rule, network ACL entry or route on this path changed since the snapshot (the hops above are the ones to look at): re-collect and validate again"},
		Cause{ModelWrong, "if a fresh snapshot still predicts reachable and nothing outside the model filters, the simulator is wrong here: report it with the plan, the report and the snapshot"})
	return detail, cs
}

func openCauses(res simulate.Result, o TCPObservation) (string, []Cause) {
	detail := "the model blocks it"
	if b := res.BlockedBy; b != nil {
		detail += " at " + string(b.Component) + " " + b.ID
		if b.Return {
			detail += " on the return path"
		}
		detail += ": " + b.Reason
	}
	if o.Outcome == Refused {
		detail += "; yet a host answered with a reset, so packets got through"
	} else {
		detail += "; yet the connection opened"
	}
	cs := []Cause{
		{SnapshotStale, "the rule that blocks in the model was changed or another one added since the snapshot: re-collect and validate again"},
		{OutsideModel, "the connection was answered on another path than modelled: a proxy or VPN on the probe host, a different source address or interface than the snapshot's, or a middlebox answering for the destination"},
		{ModelWrong, "if a fresh snapshot still predicts blocked, the simulator is wrong about this hop: report it with the plan, the report and the snapshot"},
	}
	return detail, cs
}
