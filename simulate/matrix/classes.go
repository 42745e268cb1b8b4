package matrix

import (
	"net/netip"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/internal/intervals"
	"github.com/vpcpath/vpcpath/model"
)

// atoms is the address-atom partition of a model: the boundaries of every
// CIDR block and every single address the model names anywhere (routes,
// group rules, ACL entries, prefix lists, VPC and subnet blocks, gateway
// addresses), but not the addresses of the interfaces themselves. Two
// addresses between the same two boundaries lie in exactly the same blocks,
// so no rule, route or ACL entry can tell them apart.
type atoms struct {
	bounds []netip.Addr // sorted: each is the first address of an atom
}

var (
	prefixType = reflect.TypeOf(netip.Prefix{})
	addrType   = reflect.TypeOf(netip.Addr{})
	eniType    = reflect.TypeOf(model.ENI{})
)

// newAtoms walks the whole model by reflection, so that a block a new
// resource kind brings is counted without this code knowing the kind.
func newAtoms(m *model.Model) *atoms {
	set := map[netip.Addr]bool{}
	add := func(a netip.Addr) {
		if a.IsValid() {
			set[a.Unmap()] = true
		}
	}
	seen := map[uintptr]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			walk(v.Elem())
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			switch v.Type() {
			case prefixType:
				p := v.Interface().(netip.Prefix)
				if p.IsValid() {
					p = p.Masked()
					add(p.Addr())
					if n := intervals.Last(p).Next(); n.IsValid() {
						add(n)
					}
				}
				return
			case addrType:
				a := v.Interface().(netip.Addr)
				add(a)
				if n := a.Unmap().Next(); n.IsValid() {
					add(n)
				}
				return
			case eniType:
				// An interface's own addresses are what the classes group;
				// the blocks that decide them are elsewhere.
				return
			}
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				walk(it.Key())
				walk(it.Value())
			}
		}
	}
	walk(reflect.ValueOf(m))
	b := make([]netip.Addr, 0, len(set))
	for a := range set {
		b = append(b, a)
	}
	slices.SortFunc(b, func(x, y netip.Addr) int { return x.Compare(y) })
	return &atoms{bounds: b}
}

// of returns the atom holding a (-1 for no address).
func (t *atoms) of(a netip.Addr) int {
	if !a.IsValid() {
		return -1
	}
	a = a.Unmap()
	return sort.Search(len(t.bounds), func(i int) bool { return t.bounds[i].Compare(a) > 0 })
}

// classKey is what the tracer can see of an interface, beyond its ID and
// exact address: its subnet (and so its VPC, zone, route table and network
// ACL), its security group set, the atoms of the addresses a trace uses
// (the primary IPv4 and the first IPv6), and the attributes the tracer
// reads (instance state, attachment, type, source/destination check, public
// address). Interfaces with equal keys are answered alike by every trace:
// one representative decides for all.
//
// An interface whose address another interface shares, that has no
// address or subnet, or that a route names (by its ID or its instance's:
// an appliance, which the walk reaches by identity), is a class of its
// own.
//
// With groups false the security group set is left out: the key is the
// interface's network class (engine.go decides groups member by member).
func classKey(m *model.Model, at *atoms, e *model.ENI, alone func(*model.ENI) bool, groups bool) string {
	var b strings.Builder
	v4, v6 := netip.Addr{}, netip.Addr{}
	if len(e.PrivateIPs) > 0 {
		v4 = e.PrivateIPs[0]
	}
	if len(e.IPv6s) > 0 {
		v6 = e.IPv6s[0]
	}
	if (!v4.IsValid() && !v6.IsValid()) || m.Subnets[e.SubnetID] == nil || alone(e) {
		return "only " + e.ID
	}
	b.WriteString(e.SubnetID)
	b.WriteByte('|')
	b.WriteString(e.VPCID)
	b.WriteByte('|')
	b.WriteString(e.AZ)
	b.WriteByte('|')
	if groups {
		g := slices.Clone(e.Groups)
		sort.Strings(g)
		b.WriteString(strings.Join(g, ","))
	}
	b.WriteByte('|')
	b.WriteString(strconv.Itoa(at.of(v4)))
	b.WriteByte('|')
	b.WriteString(strconv.Itoa(at.of(v6)))
	b.WriteByte('|')
	state := ""
	if in := m.Instances[e.InstanceID]; in != nil {
		state = "instance:" + in.State
	} else if e.InstanceID != "" {
		state = "instance:missing"
	}
	b.WriteString(state)
	b.WriteByte('|')
	b.WriteString(e.Type + "|" + e.Status + "|" + strconv.FormatBool(e.SourceDestCheck) + "|" + strconv.FormatBool(e.RequesterManaged))
	b.WriteByte('|')
	if pub, ok := e.PublicIPFor(v4); ok {
		b.WriteString("public:" + strconv.Itoa(at.of(pub)))
	}
	if e.PublicIPUnknown != "" {
		b.WriteString("public:unknown")
	}
	return b.String()
}

// aloneFunc reports the interfaces that must be classes of their own
// beyond what classKey sees: one whose first IPv4 or IPv6 address another
// interface (or a stand-in) shares, and one a route names by its ID or its
// instance's (an appliance, which the walk reaches by identity).
func aloneFunc(m *model.Model, standIns []*model.ENI) func(*model.ENI) bool {
	byIP := map[netip.Addr]int{}
	for _, e := range m.ENIs {
		for _, a := range append(append([]netip.Addr{}, e.PrivateIPs...), e.IPv6s...) {
			byIP[a.Unmap()]++
		}
	}
	for _, e := range standIns {
		byIP[e.PrimaryIP()]++
	}
	shared := func(a netip.Addr) bool { return a.IsValid() && byIP[a.Unmap()] > 1 }
	routed := map[string]bool{}
	for _, rt := range m.RouteTables {
		for _, r := range rt.Routes {
			if r.Target.Kind == model.TargetENI || r.Target.Kind == model.TargetInstance {
				routed[r.Target.ID] = true
			}
		}
	}
	return func(e *model.ENI) bool {
		if routed[e.ID] || e.InstanceID != "" && routed[e.InstanceID] {
			return true
		}
		for _, a := range [][]netip.Addr{e.PrivateIPs, e.IPv6s} {
			if len(a) > 0 && shared(a[0]) {
				return true
			}
		}
		return false
	}
}
