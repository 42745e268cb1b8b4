package simulate

import (
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// target is one destination address of a question.
type target struct {
	ip  netip.Addr
	eni *model.ENI // the interface the question named, if any
}

// missingRef explains why id is not in the model: a dangling reference
// (naming the file and field) or a kind the snapshot did not describe.
func missingRef(m *model.Model, id string, kind model.Kind) string {
	if d, ok := m.DanglingRef(id); ok {
		return fmt.Sprintf("%s is not in the snapshot (dangling reference at %s: %s)", id, d.Origin, d.Field)
	}
	if !m.Present[kind] {
		return fmt.Sprintf("%s is not in the snapshot: it describes no %s", id, kind)
	}
	return fmt.Sprintf("%s is not in the snapshot", id)
}

// standIn returns the stand-in interface of the question with ID id.
func standIn(extra []*model.ENI, id string) *model.ENI {
	for _, e := range extra {
		if e.ID == id {
			return e
		}
	}
	return nil
}

// enisByIP returns the interfaces holding private address a: the model's,
// then the question's stand-ins.
func enisByIP(m *model.Model, extra []*model.ENI, a netip.Addr) []*model.ENI {
	out := m.ENIsByIP(a)
	for _, e := range extra {
		if slices.Contains(e.PrivateIPs, a) || slices.Contains(e.IPv6s, a) {
			out = append(out[:len(out):len(out)], e)
		}
	}
	return out
}

// eniInVPC returns the interface in vpcID holding private address a, a
// stand-in of the question included.
func eniInVPC(m *model.Model, extra []*model.ENI, vpcID string, a netip.Addr) *model.ENI {
	if e := m.ENIInVPC(vpcID, a); e != nil {
		return e
	}
	for _, e := range extra {
		if e.VPCID == vpcID && (slices.Contains(e.PrivateIPs, a) || slices.Contains(e.IPv6s, a)) {
			return e
		}
	}
	return nil
}

// eniByID returns a model interface or a stand-in of the question.
func eniByID(m *model.Model, extra []*model.ENI, id string) *model.ENI {
	if e := m.ENIs[id]; e != nil {
		return e
	}
	return standIn(extra, id)
}

// resolveSource finds the interface and address a question starts from.
func resolveSource(m *model.Model, extra []*model.ENI, from string) (*model.ENI, netip.Addr, error) {
	from = strings.TrimSpace(from)
	var eni *model.ENI
	var ip netip.Addr
	if _, ok := outsideSource(m, from); ok {
		return nil, ip, fmt.Errorf("--from %s is on the internet: trace it for one --port at a time with trace", from)
	}
	switch {
	case from == "":
		return nil, ip, fmt.Errorf("--from is required: an ENI ID, an instance ID, a private IP, a subnet ID or a security group ID")
	case strings.HasPrefix(from, "eni-"):
		if eni = eniByID(m, extra, from); eni == nil {
			return nil, ip, fmt.Errorf("--from %s: %w", from, notFound(m, from, model.KindENI))
		}
	case strings.HasPrefix(from, "subnet-"):
		// A subnet where nothing need run: a stand-in node with the VPC's
		// default group, as check places one.
		e, err := StandIn(m, from, nil, StandInPrefix+strings.TrimPrefix(from, "subnet-"), nil)
		if err != nil {
			return nil, ip, fmt.Errorf("--from %s: %v", from, err)
		}
		eni = e
	case strings.HasPrefix(from, "sg-"):
		if m.SecurityGroups[from] == nil {
			return nil, ip, fmt.Errorf("--from %s: %w", from, notFound(m, from, model.KindSecurityGroup))
		}
		for _, e := range m.GroupMembers(from) {
			if e.Type == "" || e.Type == "interface" {
				eni = e
				break
			}
		}
		if eni == nil {
			return nil, ip, fmt.Errorf("--from %s: no workload interface carries the group; give --from subnet-... to trace from a stand-in node", from)
		}
	case strings.HasPrefix(from, "i-"):
		if m.Instances[from] == nil {
			return nil, ip, fmt.Errorf("--from %s: %w", from, notFound(m, from, model.KindInstance))
		}
		if eni = m.PrimaryENI(from); eni == nil {
			return nil, ip, fmt.Errorf("--from %s: the snapshot holds no network interface of this instance", from)
		}
	default:
		a, err := netip.ParseAddr(from)
		if err != nil {
			return nil, ip, fmt.Errorf("--from %q: want an ENI ID (eni-...), an instance ID (i-...), a private IP address, a subnet ID (subnet-...) or a security group ID (sg-...)", from)
		}
		a = a.Unmap()
		enis := enisByIP(m, extra, a)
		switch len(enis) {
		case 0:
			return nil, ip, fmt.Errorf("--from %s: no network interface in the snapshot holds this private address", from)
		case 1:
			eni, ip = enis[0], a
		default:
			var ids []string
			for _, e := range enis {
				ids = append(ids, e.ID+" ("+e.VPCID+")")
			}
			return nil, ip, fmt.Errorf("--from %s: ambiguous, held by %s; name the interface instead", from, strings.Join(ids, " and "))
		}
	}
	if !ip.IsValid() {
		ip = eni.PrimaryIP()
	}
	if err := placeSource(m, from, eni, ip); err != nil {
		return nil, ip, err
	}
	return eni, ip, nil
}

// placeSource checks that source eni, named from, sits in a subnet of
// the model at address ip: an error naming the dangling reference when
// its subnet is one, else an *unplaced.
func placeSource(m *model.Model, from string, eni *model.ENI, ip netip.Addr) error {
	if m.Subnets[eni.SubnetID] == nil {
		if _, dangling := m.DanglingRef(eni.SubnetID); dangling {
			return fmt.Errorf("--from %s: cannot place the source: subnet %s", from, missingRef(m, eni.SubnetID, model.KindSubnet))
		}
		return unplacedENI(m, "--from "+from, eni)
	}
	if !ip.IsValid() {
		return unplacedENI(m, "--from "+from, eni)
	}
	return nil
}

// unplaced is an interface the model holds but cannot place: its subnet is
// not described (a plan that builds into a subnet or default VPC it does
// not create, with no snapshot under it), or its address is undecided.
// Every answer that depends on it is unknown, not an error: the question
// is good, the input does not decide it.
type unplaced struct {
	eni    *model.ENI
	from   bool // the source, else the destination
	reason string
}

func (u *unplaced) Error() string { return u.reason }

func unplacedENI(m *model.Model, what string, eni *model.ENI) error {
	who := eni.ID
	if src := m.Sources[eni.ID]; src != "" && !strings.Contains(eni.ID, src) {
		who += " (" + src + ")"
	}
	var why string
	switch {
	case eni.SubnetID == "":
		why = "its subnet is not decided (a subnet_id the input does not decide, or none: an instance without subnet_id goes to a default subnet of the default VPC, which the input does not describe)"
	case m.Subnets[eni.SubnetID] == nil:
		why = "its subnet " + missingRef(m, eni.SubnetID, model.KindSubnet)
	default:
		why = "its address is not decided: subnet " + eni.SubnetID + " has no known address range"
	}
	return &unplaced{eni: eni, from: strings.HasPrefix(what, "--from"), reason: fmt.Sprintf("%s: %s cannot be placed: %s", what, who, why)}
}

// unplacedResult is the unknown answer for a question about an interface
// the model cannot place.
func unplacedResult(q Query, u *unplaced) Result {
	r := Result{SchemaVersion: SchemaVersion, Hops: []Hop{}, ReturnHops: []Hop{}, Assumptions: []string{}, Verdict: Unknown,
		Flow: Flow{From: q.From, To: q.To, Protocol: q.Protocol}}
	if q.Protocol.HasPorts() {
		r.Flow.Port = model.Port(q.Port).String()
		if q.Ephemeral != (model.PortRange{}) {
			r.Flow.Ephemeral = q.Ephemeral.String()
		}
	}
	for _, end := range []struct {
		s  string
		ip *string
	}{{q.From, &r.Flow.SrcIP}, {q.To, &r.Flow.DstIP}} {
		if a, err := netip.ParseAddr(strings.TrimSpace(end.s)); err == nil {
			*end.ip = a.Unmap().String()
		}
	}
	h := Hop{Component: CompENI, ID: u.eni.ID, Direction: Ingress, Decision: Undecided, Code: CodeInterfaceNotPlaced, Reason: u.reason}
	if u.from {
		h.Direction = Egress
	}
	seen(h)
	r.Hops = append(r.Hops, h)
	r.BlockedBy = blockOf(h, false)
	r.Fix = strPtr("add the network it is in: --snapshot or --region with the subnet and VPC, under --plan")
	if u.from {
		r.Flow.SrcENI = u.eni.ID
	} else {
		r.Flow.DstENI = u.eni.ID
	}
	return r
}

// resolveDest finds the destination addresses of a question. An interface
// endpoint has one per subnet: all are traced, those in the source's AZ
// first.
func resolveDest(m *model.Model, extra []*model.ENI, to string, src *model.ENI) ([]target, []string, error) {
	to = strings.TrimSpace(to)
	switch {
	case to == "":
		return nil, nil, fmt.Errorf("--to is required: an ENI ID, an instance ID, a VPC endpoint ID or an IP address")
	case strings.HasPrefix(to, "eni-"):
		e := eniByID(m, extra, to)
		if e == nil {
			return nil, nil, fmt.Errorf("--to %s: %w", to, notFound(m, to, model.KindENI))
		}
		if !e.PrimaryIP().IsValid() || m.Subnets[e.SubnetID] == nil {
			return nil, nil, unplacedENI(m, "--to "+to, e)
		}
		return []target{{ip: e.PrimaryIP(), eni: e}}, nil, nil
	case strings.HasPrefix(to, "i-"):
		if m.Instances[to] == nil {
			return nil, nil, fmt.Errorf("--to %s: %w", to, notFound(m, to, model.KindInstance))
		}
		e := m.PrimaryENI(to)
		if e == nil {
			return nil, nil, fmt.Errorf("--to %s: the snapshot holds no addressed network interface of this instance", to)
		}
		if !e.PrimaryIP().IsValid() || m.Subnets[e.SubnetID] == nil {
			return nil, nil, unplacedENI(m, "--to "+to, e)
		}
		return []target{{ip: e.PrimaryIP(), eni: e}}, nil, nil
	case strings.HasPrefix(to, "vpce-"):
		return endpointTargets(m, to, src)
	}
	a, err := netip.ParseAddr(to)
	if err != nil {
		return nil, nil, fmt.Errorf("--to %q: want an ENI ID (eni-...), an instance ID (i-...), a VPC endpoint ID (vpce-...) or an IP address", to)
	}
	return []target{{ip: a.Unmap()}}, nil, nil
}

func endpointTargets(m *model.Model, id string, src *model.ENI) ([]target, []string, error) {
	ep := m.Endpoints[id]
	if ep == nil {
		return nil, nil, fmt.Errorf("--to %s: %w", id, notFound(m, id, model.KindVPCEndpoint))
	}
	switch ep.Type {
	case model.EndpointGateway:
		pl := m.PrefixListByName(ep.ServiceName)
		if pl == nil || !pl.CIDRsKnown || len(pl.CIDRs) == 0 {
			return nil, nil, fmt.Errorf("--to %s: a gateway endpoint has no address of its own and the snapshot lacks the entries of prefix list %s; give one of the service's IP addresses with --to", id, ep.ServiceName)
		}
		c := pl.CIDRs[0]
		a := c.Addr()
		if c.Bits() < c.Addr().BitLen() {
			a = a.Next()
		}
		return []target{{ip: a}}, []string{fmt.Sprintf("%s is a gateway endpoint with no address of its own; traced to %s, an address of %s (%s); every address of the list takes the same path", id, a, pl.ID, pl.Name)}, nil
	case model.EndpointInterface:
	default:
		return nil, nil, fmt.Errorf("--to %s: %s endpoints are not modelled yet; trace to an address behind it instead", id, ep.Type)
	}
	var out []target
	for _, eid := range ep.ENIs {
		e := m.ENIs[eid]
		if e == nil {
			return nil, nil, fmt.Errorf("--to %s: its interface %s", id, missingRef(m, eid, model.KindENI))
		}
		if !e.PrimaryIP().IsValid() {
			return nil, nil, unplacedENI(m, "--to "+id, e)
		}
		out = append(out, target{ip: e.PrimaryIP(), eni: e})
	}
	if len(out) == 0 {
		return nil, nil, fmt.Errorf("--to %s: the endpoint has no network interfaces in the snapshot (state %s)", id, ep.State)
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].eni.AZ == src.AZ && out[j].eni.AZ != src.AZ
	})
	var notes []string
	if len(out) > 1 {
		notes = append(notes, fmt.Sprintf("%s has %d interfaces (one per subnet) and its DNS name answers with all of them; each was traced, and the verdict holds only if all pass", id, len(out)))
	}
	return out, notes, nil
}

// Source finds the interface a question starts from: an ENI ID, an instance
// ID or a private IP.
func Source(m *model.Model, from string) (*model.ENI, error) {
	e, _, err := resolveSource(m, nil, from)
	return e, err
}
