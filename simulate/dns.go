package simulate

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// DNSOptions give the resolver what no snapshot holds.
type DNSOptions struct {
	// Public answers for public names (--resolve NAME=IP, --hosts FILE).
	// Keys are FQDNs (model.FQDN).
	Public map[string][]netip.Addr
	// PublicFrom says where each public answer came from ("--resolve",
	// "hosts file F"); "--resolve" when absent.
	PublicFrom map[string]string
	// EndpointNames ties host names of PrivateLink partner services (a
	// Databricks workspace, its relay) to the interface endpoint that serves
	// them: FQDN -> endpoint ID. Such a name resolves publicly through a
	// CNAME chain that ends in the endpoint's private DNS zone, so inside the
	// VPC it answers with the endpoint's interfaces when private DNS works,
	// and publicly otherwise.
	EndpointNames map[string]string
}

// ResolveSchemaVersion is the version of the resolve document (a
// DNSAnswer as JSON). CHANGELOG.md says what each version changed.
const ResolveSchemaVersion = 2

// DNSAnswer is what the VPC's resolver answers for a name: the resolve
// document of the JSON contract.
type DNSAnswer struct {
	SchemaVersion int      `json:"schema_version"`
	Question      string   `json:"question"`
	VPC           string   `json:"vpc"`
	AnsweredBy    string   `json:"answered_by"`
	Rcode         string   `json:"rcode"` // NOERROR, NXDOMAIN, or "" when there is no answer or it is unknown
	Chain         []string `json:"chain"` // the CNAME chain, question first
	Answers       []string `json:"answers"`
	// Private is true when the answer came from inside the VPC (a private
	// hosted zone or an endpoint's private DNS).
	Private  bool     `json:"private"`
	Endpoint string   `json:"endpoint,omitempty"` // the endpoint whose interfaces answered
	Decision Decision `json:"decision"`
	// Code is the kind of answer, from the closed list Codes (DNS_*, or
	// MISSING_DATA, UNDECIDED_ATTRIBUTE, OUTSIDE_MODEL when unknown).
	Code     Code     `json:"code"`
	Reason   string   `json:"reason"`
	Findings []string `json:"findings"`

	// Fix is one change that would make the name resolve as intended.
	Fix string `json:"fix,omitempty"`

	addrs []netip.Addr
}

// Addrs are the answer's addresses.
func (a DNSAnswer) Addrs() []netip.Addr { return a.addrs }

// Resolve answers name as the Amazon resolver of vpcID would (aws-semantics:
// DNS; Route 53 Resolver guide): forwarding rules first, then the private
// hosted zones associated with the VPC, including the hidden zones of
// interface endpoints with private DNS, the most specific zone winning and
// shadowing everything under it; then public DNS, which offline is only
// what the options give.
func Resolve(m *model.Model, vpcID, name string, opts DNSOptions) DNSAnswer {
	r := &resolver{m: m, vpc: m.VPCs[vpcID], vpcID: vpcID, opts: opts}
	q := model.FQDN(name)
	a := DNSAnswer{SchemaVersion: ResolveSchemaVersion, Question: strings.TrimSuffix(q, "."), VPC: vpcID, Chain: []string{}, Answers: []string{}, Findings: []string{}}
	r.ans = &a
	r.resolve(q, 0)
	for _, ip := range a.addrs {
		a.Answers = append(a.Answers, ip.String())
	}
	r.checkTie(q)
	return a
}

type resolver struct {
	zone  *model.HostedZone // the private zone whose record answered, if any
	m     *model.Model
	vpc   *model.VPC
	vpcID string
	opts  DNSOptions
	ans   *DNSAnswer
}

func (r *resolver) finding(s string) {
	for _, f := range r.ans.Findings {
		if f == s {
			return
		}
	}
	r.ans.Findings = append(r.ans.Findings, s)
}

func (r *resolver) set(dec Decision, code Code, rcode, by, reason string) {
	r.ans.Decision, r.ans.Code, r.ans.Rcode, r.ans.AnsweredBy, r.ans.Reason = dec, code, rcode, by, reason
}

func (r *resolver) resolve(q string, depth int) {
	a := r.ans
	a.Chain = append(a.Chain, strings.TrimSuffix(q, "."))
	if depth > 8 {
		r.set(Undecided, CodeDNSAmbiguous, "", "vpc-resolver", "the CNAME chain is longer than 8 names (a loop?)")
		return
	}
	if r.vpc == nil {
		r.set(Undecided, CodeMissingData, "", "vpc-resolver", r.vpcID+" is not in the snapshot")
		return
	}
	switch r.vpc.DNSSupport {
	case model.No:
		r.set(Deny, CodeDNSSupportDisabled, "", "vpc-resolver", "enableDnsSupport is off on "+r.vpcID+": the Amazon resolver does not answer, queries time out")
		a.Fix = fmt.Sprintf("turn on DNS support (aws ec2 modify-vpc-attribute --vpc-id %s --enable-dns-support)", r.vpcID)
		return
	case model.Unknown:
		r.set(Undecided, CodeMissingData, "", "vpc-resolver", "the snapshot lacks describe-vpc-attribute enableDnsSupport output for "+r.vpcID+": whether the resolver answers is unknown")
		return
	}
	// Custom DNS servers from the VPC's DHCP options answer instead of the
	// Amazon resolver: what they say is outside the model.
	if d := r.m.DHCPOptions[r.vpc.DHCPOptionsID]; d != nil {
		if servers, custom := d.CustomDNS(); custom {
			by := fmt.Sprintf("custom DNS servers %s (DHCP options %s)", strings.Join(servers, ", "), d.ID)
			if ips, ok := r.opts.Public[q]; ok {
				a.addrs = append(a.addrs, ips...)
				r.set(Allow, CodeDNSAnswer, "NOERROR", by, "the VPC's nodes ask custom DNS servers; the answer was given with "+r.publicFrom(q))
				return
			}
			r.set(Undecided, CodeOutsideModel, "", by, fmt.Sprintf("%s hands out DNS servers %s instead of the Amazon resolver: what they answer for %s is outside the model (give it with --resolve)",
				d.ID, strings.Join(servers, ", "), strings.TrimSuffix(q, ".")))
			a.Fix = "give the answer of " + strings.Join(servers, ", ") + " with --resolve " + strings.TrimSuffix(q, ".") + "=IP"
			return
		}
	}
	// 1. Resolver forwarding rules: the most specific domain wins.
	var rule *model.ResolverRule
	for _, id := range model.SortedKeys(r.m.ResolverRules) {
		x := r.m.ResolverRules[id]
		if slices.Contains(x.VPCs, r.vpcID) && model.InDomain(q, x.Domain) && (rule == nil || len(x.Domain) > len(rule.Domain)) {
			rule = x
		}
	}
	if rule != nil && rule.Type == "FORWARD" {
		by := fmt.Sprintf("resolver rule %s (forward %s to %s)", rule.ID, strings.TrimSuffix(rule.Domain, "."), strings.Join(rule.Targets, ", "))
		if ips, ok := r.opts.Public[q]; ok {
			a.addrs = append(a.addrs, ips...)
			r.set(Allow, CodeDNSAnswer, "NOERROR", by, "forwarded out of the model; the answer was given with "+r.publicFrom(q))
			return
		}
		r.set(Undecided, CodeOutsideModel, "", by, fmt.Sprintf("%s is forwarded to %s: the answer comes from outside the model (give it with --resolve)", strings.TrimSuffix(q, "."), strings.Join(rule.Targets, ", ")))
		a.Fix = "give the answer the forwarders return with --resolve " + strings.TrimSuffix(q, ".") + "=IP"
		return
	}
	// 2. Private zones: associated private hosted zones and the hidden
	// zones of interface endpoints with private DNS.
	type zone struct {
		name string
		phz  *model.HostedZone
		ep   *model.VPCEndpoint
		pat  string // the endpoint's private DNS name (may be a wildcard)
	}
	var zones []zone
	privateDNS := r.vpc.DNSSupport == model.Yes && r.vpc.DNSHostnames == model.Yes
	for _, id := range model.SortedKeys(r.m.HostedZones) {
		z := r.m.HostedZones[id]
		if !z.Private || z.Name == "" || !model.InDomain(q, z.Name) {
			continue
		}
		if !z.VPCsKnown {
			r.set(Undecided, CodeMissingData, "", "vpc-resolver", fmt.Sprintf("private hosted zone %s (%s) may be associated with %s and shadow this name, but the snapshot lacks its get-hosted-zone output", z.ID, strings.TrimSuffix(z.Name, "."), r.vpcID))
			a.Fix = "add aws route53 get-hosted-zone --id " + z.ID + " output to the snapshot"
			return
		}
		if !slices.Contains(z.VPCs, r.vpcID) {
			continue
		}
		// Private hosted zones answer only with both DNS attributes on
		// (Route 53 guide, "Considerations when working with a private
		// hosted zone").
		switch r.vpc.DNSHostnames {
		case model.No:
			r.finding(fmt.Sprintf("private hosted zone %s (%s) is associated with %s, but enableDnsHostnames is off, so it does not answer", z.ID, strings.TrimSuffix(z.Name, "."), r.vpcID))
			continue
		case model.Unknown:
			r.set(Undecided, CodeMissingData, "", "vpc-resolver", fmt.Sprintf("private hosted zone %s answers only with enableDnsHostnames on, and the snapshot lacks that attribute", z.ID))
			return
		}
		zones = append(zones, zone{name: z.Name, phz: z})
	}
	for _, ep := range r.endpoints() {
		if ep.ServiceName == "" && (ep.PrivateDNS || ep.PrivateDNSUnknown != "") && r.vpc.DNSHostnames != model.No {
			// Which names its private zone holds depends on the service.
			from := ep.ID
			if src := r.m.Sources[ep.ID]; src != "" && !strings.Contains(ep.ID, src) {
				from += " (" + src + ")"
			}
			r.set(Undecided, CodeUndecidedAttribute, "", "vpc-resolver", fmt.Sprintf("the service of interface endpoint %s is undecided: with private DNS on, its private zone may answer %s", from, strings.TrimSuffix(q, ".")))
			a.Fix = "decide the service name of " + from
			return
		}
		for _, pat := range r.privateNames(ep) {
			zn := strings.TrimPrefix(pat, "*.")
			if !model.InDomain(q, zn) {
				continue
			}
			switch {
			case !ep.PrivateDNS && ep.PrivateDNSUnknown == "":
				r.finding(fmt.Sprintf("PrivateLink bypassed: %s serves %s but has private DNS off, so the name answers publicly", ep.ID, strings.TrimSuffix(pat, ".")))
				a.Fix = fmt.Sprintf("turn on private DNS for %s (aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --private-dns-enabled)", ep.ID, ep.ID)
			case r.vpc.DNSHostnames == model.No:
				on := "has private DNS on"
				if ep.PrivateDNSUnknown != "" {
					on = "may have private DNS on"
				}
				r.finding(fmt.Sprintf("PrivateLink bypassed: %s %s, but enableDnsHostnames is off on %s, so %s answers publicly", ep.ID, on, r.vpcID, strings.TrimSuffix(pat, ".")))
				a.Fix = fmt.Sprintf("turn on DNS hostnames (aws ec2 modify-vpc-attribute --vpc-id %s --enable-dns-hostnames)", r.vpcID)
			case ep.PrivateDNSUnknown != "":
				r.set(Undecided, CodeUndecidedAttribute, "", "vpc-resolver", privateDNSUndecided(ep, pat))
				a.Fix = "decide " + ep.PrivateDNSUnknown
				return
			case !privateDNS:
				r.set(Undecided, CodeMissingData, "", "vpc-resolver", fmt.Sprintf("%s's private DNS for %s works only with enableDnsHostnames on, and the snapshot lacks that attribute", ep.ID, strings.TrimSuffix(pat, ".")))
				return
			default:
				zones = append(zones, zone{name: zn, ep: ep, pat: pat})
			}
		}
	}
	if len(zones) > 0 {
		sort.SliceStable(zones, func(i, j int) bool { return len(zones[i].name) > len(zones[j].name) })
		best := zones[0]
		var rivals []string
		for _, z := range zones[1:] {
			if z.name == best.name {
				rivals = append(rivals, zoneLabel(z.phz, z.ep))
			}
		}
		if len(rivals) > 0 {
			r.finding(fmt.Sprintf("%s and %s both claim %s in %s", zoneLabel(best.phz, best.ep), strings.Join(rivals, ", "), best.name, r.vpcID))
			r.set(Undecided, CodeDNSAmbiguous, "", "vpc-resolver", "two private zones claim "+strings.TrimSuffix(best.name, ".")+" in "+r.vpcID+": which answers is not defined")
			return
		}
		if best.ep != nil {
			r.endpointAnswer(q, best.ep, best.pat, "private DNS of interface endpoint "+best.ep.ID+" ("+best.ep.ServiceName+")")
			return
		}
		r.zoneAnswer(q, best.phz, depth)
		return
	}
	// 3. Public DNS.
	r.public(q, depth)
}

// privateDNSUndecided says that name is answered by ep's private zone or
// by public DNS, as ep's undecided private DNS setting goes.
func privateDNSUndecided(ep *model.VPCEndpoint, name string) string {
	return fmt.Sprintf("%s (%s) answers %s privately if its private DNS is on, else public DNS does; whether it is on is undecided: %s",
		ep.ID, ep.ServiceName, strings.TrimSuffix(name, "."), ep.PrivateDNSUnknown)
}

func zoneLabel(z *model.HostedZone, ep *model.VPCEndpoint) string {
	if z != nil {
		return "private hosted zone " + z.ID + " (" + strings.TrimSuffix(z.Name, ".") + ")"
	}
	return "interface endpoint " + ep.ID
}

// endpoints returns the VPC's available interface endpoints.
func (r *resolver) endpoints() []*model.VPCEndpoint {
	var out []*model.VPCEndpoint
	for _, ep := range r.m.EndpointsOf(r.vpcID) {
		if ep.Type == model.EndpointInterface && strings.EqualFold(ep.State, "available") {
			out = append(out, ep)
		}
	}
	return out
}

// privateNames are the names an interface endpoint's private DNS serves:
// the endpoint service's description when the snapshot has it, else AWS's
// documented names for its own services (PrivateLink guide, "AWS services
// that integrate with AWS PrivateLink").
func (r *resolver) privateNames(ep *model.VPCEndpoint) []string {
	if svc := r.m.EndpointServices[ep.ServiceName]; svc != nil && len(svc.PrivateDNSNames) > 0 {
		return svc.PrivateDNSNames
	}
	return awsServiceNames(ep.ServiceName)
}

// awsServiceNames maps com.amazonaws.<region>.<service> to the private DNS
// names its interface endpoints serve.
func awsServiceNames(service string) []string {
	rest, ok := strings.CutPrefix(service, "com.amazonaws.")
	if !ok {
		return nil
	}
	region, svc, ok := strings.Cut(rest, ".")
	if !ok || strings.HasPrefix(region, "vpce") {
		return nil
	}
	d := "." + region + ".amazonaws.com."
	switch svc {
	case "s3":
		return []string{"s3" + d, "*.s3" + d}
	case "kinesis-streams":
		return []string{"kinesis" + d}
	case "ecr.api":
		return []string{"api.ecr" + d}
	case "ecr.dkr":
		return []string{"*.dkr.ecr" + d}
	case "execute-api":
		return []string{"*.execute-api" + d}
	}
	return []string{svc + d}
}

func (r *resolver) endpointAnswer(q string, ep *model.VPCEndpoint, pat, by string) {
	if pat != "" && !model.MatchesRecord(q, pat) {
		r.set(Deny, CodeDNSNXDomain, "NXDOMAIN", by, fmt.Sprintf("%s's private zone holds only %s: %s does not exist there", ep.ID, strings.TrimSuffix(pat, "."), strings.TrimSuffix(q, ".")))
		return
	}
	ips := r.endpointIPs(ep, "")
	r.ans.addrs = append(r.ans.addrs, ips...)
	r.ans.Private, r.ans.Endpoint = true, ep.ID
	if len(ips) == 0 {
		r.set(Undecided, CodeMissingData, "NOERROR", by, ep.ID+"'s interfaces are not in the snapshot")
		return
	}
	r.set(Allow, CodeDNSAnswer, "NOERROR", by, fmt.Sprintf("answers with the %d interface address(es) of %s", len(ips), ep.ID))
}

// endpointIPs are the private addresses of an endpoint's interfaces, those
// in az only when az is given (zonal names).
func (r *resolver) endpointIPs(ep *model.VPCEndpoint, az string) []netip.Addr {
	var out []netip.Addr
	for _, id := range ep.ENIs {
		if e := r.m.ENIs[id]; e != nil && (az == "" || e.AZ == az) && e.PrimaryIP().IsValid() {
			out = append(out, e.PrimaryIP())
		}
	}
	return out
}

func (r *resolver) zoneAnswer(q string, z *model.HostedZone, depth int) {
	by := "private hosted zone " + z.ID + " (" + strings.TrimSuffix(z.Name, ".") + ")"
	if !z.RecordsKnown {
		r.set(Undecided, CodeMissingData, "", by, "the snapshot lacks the record sets of "+z.ID)
		return
	}
	// An exact name beats a wildcard; a longer wildcard beats a shorter one.
	var best *model.Record
	for i := range z.Records {
		rec := &z.Records[i]
		if rec.Type != "A" && rec.Type != "CNAME" || !model.MatchesRecord(q, rec.Name) {
			continue
		}
		if best == nil || rec.Name == q || !strings.HasPrefix(rec.Name, "*.") && strings.HasPrefix(best.Name, "*.") || len(rec.Name) > len(best.Name) && best.Name != q {
			best = rec
		}
	}
	if best == nil {
		r.set(Deny, CodeDNSNXDomain, "NXDOMAIN", by, fmt.Sprintf("private hosted zone %s (%s) is associated with %s and holds no record for %s: the most specific private zone shadows every public name under it",
			z.ID, strings.TrimSuffix(z.Name, "."), r.vpcID, strings.TrimSuffix(q, ".")))
		r.ans.Fix = fmt.Sprintf("add a record for %s to %s, or disassociate the zone from %s (aws route53 disassociate-vpc-from-hosted-zone --hosted-zone-id %s --vpc VPCRegion=%s,VPCId=%s)",
			strings.TrimSuffix(q, "."), z.ID, r.vpcID, z.ID, r.vpc.Region, r.vpcID)
		return
	}
	r.zone = z
	if best.Alias != nil {
		if ep, az := r.endpointByDNSName(best.Alias.DNSName); ep != nil {
			ips := r.endpointIPs(ep, az)
			r.ans.addrs = append(r.ans.addrs, ips...)
			r.ans.Private, r.ans.Endpoint = true, ep.ID
			r.set(Allow, CodeDNSAnswer, "NOERROR", by+", alias to "+ep.ID, fmt.Sprintf("%s is an alias to %s's DNS name", strings.TrimSuffix(q, "."), ep.ID))
			return
		}
		r.resolveCNAME(best.Alias.DNSName, depth, by+" alias")
		return
	}
	if best.Type == "CNAME" && len(best.Values) > 0 {
		r.resolveCNAME(best.Values[0], depth, by)
		return
	}
	for _, v := range best.Values {
		if ip, err := netip.ParseAddr(v); err == nil {
			r.ans.addrs = append(r.ans.addrs, ip.Unmap())
		}
	}
	r.zone = z
	r.ans.Private = true
	r.set(Allow, CodeDNSAnswer, "NOERROR", by, fmt.Sprintf("record %s %s", strings.TrimSuffix(best.Name, "."), best.Type))
}

func (r *resolver) resolveCNAME(target string, depth int, by string) {
	t := model.FQDN(target)
	for _, c := range r.ans.Chain {
		if c+"." == t {
			r.set(Undecided, CodeDNSAmbiguous, "", by, "CNAME loop at "+c)
			return
		}
	}
	r.resolve(t, depth+1)
	if r.ans.AnsweredBy != "" && !strings.Contains(r.ans.AnsweredBy, by) {
		r.ans.AnsweredBy = by + " (CNAME), then " + r.ans.AnsweredBy
	}
}

// endpointByDNSName finds the endpoint one of whose own DNS names (the
// regional vpce-... name or a zonal one) is name; az is set for a zonal
// name.
func (r *resolver) endpointByDNSName(name string) (*model.VPCEndpoint, string) {
	n := strings.TrimSuffix(model.FQDN(name), ".")
	for _, id := range model.SortedKeys(r.m.Endpoints) {
		ep := r.m.Endpoints[id]
		for _, d := range ep.DNSNames {
			// Only the endpoint's own names (vpce-....vpce.amazonaws.com and
			// zonal ones) are public records; the private DNS name listed
			// beside them answers only inside the VPC.
			if !strings.Contains(d, ".vpce.") {
				continue
			}
			if strings.EqualFold(strings.TrimSuffix(d, "."), n) {
				az := ""
				first, _, _ := strings.Cut(n, ".")
				for _, eid := range ep.ENIs {
					if e := r.m.ENIs[eid]; e != nil && e.AZ != "" && strings.HasSuffix(first, "-"+e.AZ) {
						az = e.AZ
					}
				}
				return ep, az
			}
		}
	}
	return nil, ""
}

func (r *resolver) public(q string, depth int) {
	// An endpoint's own DNS names are public records of its private IPs.
	if ep, az := r.endpointByDNSName(q); ep != nil {
		ips := r.endpointIPs(ep, az)
		r.ans.addrs = append(r.ans.addrs, ips...)
		r.ans.Endpoint = ep.ID
		r.set(Allow, CodeDNSAnswer, "NOERROR", "public DNS: the endpoint's own name", fmt.Sprintf("%s is %s's DNS name, which answers with its interface addresses everywhere", strings.TrimSuffix(q, "."), ep.ID))
		return
	}
	// A partner name tied to an endpoint: its public chain ends in the
	// endpoint's private zone.
	if id, ok := r.opts.EndpointNames[q]; ok {
		ep := r.m.Endpoints[id]
		if ep != nil && ep.VPCID == r.vpcID && ep.PrivateDNS && strings.EqualFold(ep.State, "available") && r.vpc.DNSHostnames == model.Yes {
			r.endpointAnswer(q, ep, "", "private DNS of interface endpoint "+ep.ID+" ("+ep.ServiceName+")")
			return
		}
		switch {
		case ep == nil:
			r.finding(fmt.Sprintf("%s is tied to %s, which is not in the snapshot", strings.TrimSuffix(q, "."), id))
		case ep.VPCID != r.vpcID:
			r.finding(fmt.Sprintf("%s is tied to %s, which is in %s, not %s", strings.TrimSuffix(q, "."), id, ep.VPCID, r.vpcID))
		case !ep.PrivateDNS && ep.PrivateDNSUnknown == "":
			r.finding(fmt.Sprintf("PrivateLink bypassed: %s has private DNS off, so %s answers publicly", id, strings.TrimSuffix(q, ".")))
			r.ans.Fix = fmt.Sprintf("turn on private DNS for %s (aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --private-dns-enabled)", id, id)
		case !strings.EqualFold(ep.State, "available"):
			r.finding(fmt.Sprintf("PrivateLink bypassed: %s is %s, so %s answers publicly", id, ep.State, strings.TrimSuffix(q, ".")))
		case r.vpc.DNSHostnames == model.No:
			r.finding(fmt.Sprintf("PrivateLink bypassed: enableDnsHostnames is off on %s, so %s's private DNS does not answer %s", r.vpcID, id, strings.TrimSuffix(q, ".")))
			r.ans.Fix = fmt.Sprintf("turn on DNS hostnames (aws ec2 modify-vpc-attribute --vpc-id %s --enable-dns-hostnames)", r.vpcID)
		case ep.PrivateDNSUnknown != "":
			r.set(Undecided, CodeUndecidedAttribute, "", "vpc-resolver", privateDNSUndecided(ep, q))
			r.ans.Fix = "decide " + ep.PrivateDNSUnknown
			return
		default:
			r.set(Undecided, CodeMissingData, "", "vpc-resolver", fmt.Sprintf("%s's private DNS works only with enableDnsHostnames on, and the snapshot lacks that attribute", id))
			return
		}
	}
	r.globalName(q)
	if ips, ok := r.opts.Public[q]; ok {
		r.ans.addrs = append(r.ans.addrs, ips...)
		from := r.publicFrom(q)
		r.set(Allow, CodeDNSAnswer, "NOERROR", "public DNS (given with "+from+")", strings.TrimSuffix(q, ".")+" is a public name; its answer was given with "+from)
		return
	}
	r.set(Undecided, CodeOutsideModel, "", "public DNS", fmt.Sprintf("%s is a public name and vpcpath works offline: give its answer with --resolve %s=IP[,IP] or --hosts FILE", strings.TrimSuffix(q, "."), strings.TrimSuffix(q, ".")))
}

// checkTie reports a name tied to one endpoint that answers with another's
// interfaces (the relay name pointing at the workspace endpoint).
func (r *resolver) checkTie(q string) {
	id, ok := r.opts.EndpointNames[q]
	if !ok || r.ans.Decision != Allow || !r.ans.Private || len(r.ans.addrs) == 0 {
		return
	}
	for _, ip := range r.ans.addrs {
		e := r.m.ENIInVPC(r.vpcID, ip)
		var owner *model.VPCEndpoint
		if e != nil {
			owner = r.m.EndpointOfENI(e.ID)
		}
		if owner == nil || owner.ID != id {
			who := "no endpoint"
			if owner != nil {
				who = owner.ID + " (" + owner.ServiceName + ")"
			}
			r.ans.Decision, r.ans.Code = Deny, CodeDNSWrongEndpoint
			r.ans.Reason = fmt.Sprintf("%s belongs to %s, but %s answers with %s, an address of %s", strings.TrimSuffix(q, "."), id, r.ans.AnsweredBy, ip, who)
			if r.zone != nil {
				r.ans.Fix = fmt.Sprintf("point the record for %s in %s at %s: an alias to its DNS name, or its interface addresses", strings.TrimSuffix(q, "."), r.zone.ID, id)
			} else {
				r.ans.Fix = "make " + strings.TrimSuffix(q, ".") + " answer with " + id + "'s interface addresses"
			}
			return
		}
	}
}

// globalName notes a global AWS service name (sts.amazonaws.com) asked in a
// VPC whose interface endpoint serves only the regional one: the traffic
// leaves the VPC (aws-semantics: VPC endpoints).
func (r *resolver) globalName(q string) {
	svc, ok := strings.CutSuffix(q, ".amazonaws.com.")
	if !ok || strings.Contains(svc, ".") {
		return
	}
	for _, ep := range r.endpoints() {
		for _, n := range r.privateNames(ep) {
			if strings.HasPrefix(n, svc+".") && strings.HasSuffix(n, ".amazonaws.com.") && n != q {
				r.finding(fmt.Sprintf("%s serves the regional %s, not the global %s: this name leaves the VPC (use the regional name)",
					ep.ID, strings.TrimSuffix(n, "."), strings.TrimSuffix(q, ".")))
				r.ans.Fix = "use the regional name " + strings.TrimSuffix(n, ".") + " (for the AWS SDKs: AWS_STS_REGIONAL_ENDPOINTS=regional)"
			}
		}
	}
}

func (r *resolver) publicFrom(q string) string {
	if f, ok := r.opts.PublicFrom[q]; ok {
		return f
	}
	return "--resolve"
}
