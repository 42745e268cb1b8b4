package model

import (
	"fmt"
	"net/netip"
	"reflect"
	"testing"
)

// fill sets every exported field reachable from v to a non-zero value,
// with maps and slices of one element, so that a deep copy can be checked
// field by field.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), n)
		v.Set(p)
	case reflect.Map:
		mp := reflect.MakeMap(v.Type())
		k := reflect.New(v.Type().Key()).Elem()
		fill(k, n)
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, n)
		mp.SetMapIndex(k, e)
		v.Set(mp)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), n)
		v.Set(s)
	case reflect.Struct:
		switch v.Type() {
		case reflect.TypeOf(netip.Addr{}):
			v.Set(reflect.ValueOf(netip.AddrFrom4([4]byte{10, 0, 0, byte(*n)})))
			return
		case reflect.TypeOf(netip.Prefix{}):
			v.Set(reflect.ValueOf(netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(*n), 0, 0}), 16)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	case reflect.String:
		v.SetString(fmt.Sprint("s", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(uint64(*n))
	}
}

// shared reports the path of the first map, slice or pointer that a and b
// share.
func shared(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		return shared(a.Elem(), b.Elem(), path)
	case reflect.Map:
		if a.IsNil() {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		it := a.MapRange()
		for it.Next() {
			if p := shared(it.Value(), b.MapIndex(it.Key()), fmt.Sprintf("%s[%v]", path, it.Key())); p != "" {
				return p
			}
		}
	case reflect.Slice:
		if a.Len() == 0 {
			return ""
		}
		if a.Pointer() == b.Pointer() {
			return path
		}
		for i := 0; i < a.Len(); i++ {
			if p := shared(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if f := a.Type().Field(i); f.IsExported() {
				if p := shared(a.Field(i), b.Field(i), path+"."+f.Name); p != "" {
					return p
				}
			}
		}
	}
	return ""
}

func TestCloneSharesNothing(t *testing.T) {
	var m Model
	n := 0
	fill(reflect.ValueOf(&m).Elem(), &n)
	c := m.Clone()
	if p := shared(reflect.ValueOf(&m).Elem(), reflect.ValueOf(c).Elem(), "Model"); p != "" {
		t.Fatalf("Clone shares %s with the original", p)
	}
	// Equal, field for field (the indexes aside).
	a, b := reflect.ValueOf(m), reflect.ValueOf(*c)
	for i := 0; i < a.NumField(); i++ {
		// Regions is derived from VPCRegion by Index.
		if f := a.Type().Field(i); f.IsExported() && f.Name != "Regions" && !reflect.DeepEqual(a.Field(i).Interface(), b.Field(i).Interface()) {
			t.Errorf("Clone changed %s", f.Name)
		}
	}
}

func TestCloneKeepsDHCPOptionsAndIndexes(t *testing.T) {
	m := New()
	m.VPCs["vpc-1"] = &VPC{ID: "vpc-1", DHCPOptionsID: "dopt-1", CIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}}
	m.DHCPOptions["dopt-1"] = &DHCPOptions{ID: "dopt-1", DNSServers: []string{"10.0.0.53"}}
	m.Subnets["subnet-1"] = &Subnet{ID: "subnet-1", VPCID: "vpc-1", CIDR: netip.MustParsePrefix("10.0.1.0/24")}
	m.ENIs["eni-1"] = &ENI{ID: "eni-1", SubnetID: "subnet-1", VPCID: "vpc-1", PrivateIPs: []netip.Addr{netip.MustParseAddr("10.0.1.10")}, Groups: []string{"sg-1"}}
	m.Index()
	c := m.Clone()
	if d := c.DHCPOptions["dopt-1"]; d == nil || d.DNSServers[0] != "10.0.0.53" {
		t.Fatalf("DHCP options lost: %+v", c.DHCPOptions)
	}
	e := c.ENIInVPC("vpc-1", netip.MustParseAddr("10.0.1.10"))
	if e == nil || e == m.ENIs["eni-1"] {
		t.Fatalf("the copy's index must point at the copy's interface, got %p (original %p)", e, m.ENIs["eni-1"])
	}
	c.ENIs["eni-1"].Groups[0] = "sg-2"
	c.DHCPOptions["dopt-1"].DNSServers[0] = "AmazonProvidedDNS"
	if m.ENIs["eni-1"].Groups[0] != "sg-1" || m.DHCPOptions["dopt-1"].DNSServers[0] != "10.0.0.53" {
		t.Fatal("changing the copy changed the original")
	}
}
