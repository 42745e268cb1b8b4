package estate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The structs below decode the generated files independently of the
// generator's own types: only the fields the checks need, by their AWS CLI
// names.

type tVPC struct {
	VpcID     string `json:"VpcId"`
	CidrBlock string `json:"CidrBlock"`
}

type tSubnet struct {
	SubnetID         string `json:"SubnetId"`
	VpcID            string `json:"VpcId"`
	CidrBlock        string `json:"CidrBlock"`
	AvailabilityZone string `json:"AvailabilityZone"`
}

type tRouteTable struct {
	RouteTableID string `json:"RouteTableId"`
	VpcID        string `json:"VpcId"`
	Associations []struct {
		Main         bool   `json:"Main"`
		SubnetID     string `json:"SubnetId"`
		RouteTableID string `json:"RouteTableId"`
	} `json:"Associations"`
	Routes []struct {
		DestinationCidrBlock    string `json:"DestinationCidrBlock"`
		DestinationPrefixListID string `json:"DestinationPrefixListId"`
		GatewayID               string `json:"GatewayId"`
		NatGatewayID            string `json:"NatGatewayId"`
		State                   string `json:"State"`
	} `json:"Routes"`
}

type tNACL struct {
	NetworkACLID string `json:"NetworkAclId"`
	VpcID        string `json:"VpcId"`
	IsDefault    bool   `json:"IsDefault"`
	Associations []struct {
		NetworkACLID string `json:"NetworkAclId"`
		SubnetID     string `json:"SubnetId"`
	} `json:"Associations"`
	Entries []struct {
		RuleNumber int    `json:"RuleNumber"`
		Protocol   string `json:"Protocol"`
		RuleAction string `json:"RuleAction"`
		Egress     bool   `json:"Egress"`
		CidrBlock  string `json:"CidrBlock"`
		PortRange  *struct {
			From, To int
		} `json:"PortRange"`
		IcmpTypeCode *struct {
			Type, Code int
		} `json:"IcmpTypeCode"`
	} `json:"Entries"`
}

type tPermission struct {
	IPProtocol string `json:"IpProtocol"`
	FromPort   *int   `json:"FromPort"`
	ToPort     *int   `json:"ToPort"`
	IPRanges   []struct {
		CidrIP string `json:"CidrIp"`
	} `json:"IpRanges"`
	Ipv6Ranges       []json.RawMessage `json:"Ipv6Ranges"`
	UserIDGroupPairs []struct {
		GroupID string `json:"GroupId"`
	} `json:"UserIdGroupPairs"`
	PrefixListIDs []struct {
		PrefixListID string `json:"PrefixListId"`
	} `json:"PrefixListIds"`
}

type tSG struct {
	GroupID             string        `json:"GroupId"`
	GroupName           string        `json:"GroupName"`
	VpcID               string        `json:"VpcId"`
	IPPermissions       []tPermission `json:"IpPermissions"`
	IPPermissionsEgress []tPermission `json:"IpPermissionsEgress"`
}

type tENI struct {
	NetworkInterfaceID string `json:"NetworkInterfaceId"`
	SubnetID           string `json:"SubnetId"`
	VpcID              string `json:"VpcId"`
	AvailabilityZone   string `json:"AvailabilityZone"`
	InterfaceType      string `json:"InterfaceType"`
	PrivateIPAddress   string `json:"PrivateIpAddress"`
	PrivateIPAddresses []struct {
		PrivateIPAddress string `json:"PrivateIpAddress"`
		Primary          bool   `json:"Primary"`
		Association      *struct {
			PublicIP string `json:"PublicIp"`
		} `json:"Association"`
	} `json:"PrivateIpAddresses"`
	Association *struct {
		PublicIP string `json:"PublicIp"`
	} `json:"Association"`
	Groups []struct {
		GroupID   string `json:"GroupId"`
		GroupName string `json:"GroupName"`
	} `json:"Groups"`
	Attachment *struct {
		InstanceID  string `json:"InstanceId"`
		DeviceIndex int    `json:"DeviceIndex"`
	} `json:"Attachment"`
}

type tIGW struct {
	InternetGatewayID string `json:"InternetGatewayId"`
	Attachments       []struct {
		VpcID string `json:"VpcId"`
		State string `json:"State"`
	} `json:"Attachments"`
}

type tNAT struct {
	NatGatewayID        string `json:"NatGatewayId"`
	SubnetID            string `json:"SubnetId"`
	VpcID               string `json:"VpcId"`
	State               string `json:"State"`
	ConnectivityType    string `json:"ConnectivityType"`
	NatGatewayAddresses []struct {
		NetworkInterfaceID string `json:"NetworkInterfaceId"`
		PrivateIP          string `json:"PrivateIp"`
		PublicIP           string `json:"PublicIp"`
	} `json:"NatGatewayAddresses"`
}

type tEndpoint struct {
	VpcEndpointID   string   `json:"VpcEndpointId"`
	VpcEndpointType string   `json:"VpcEndpointType"`
	VpcID           string   `json:"VpcId"`
	ServiceName     string   `json:"ServiceName"`
	RouteTableIDs   []string `json:"RouteTableIds"`
}

type tPrefixList struct {
	PrefixListID   string   `json:"PrefixListId"`
	PrefixListName string   `json:"PrefixListName"`
	Cidrs          []string `json:"Cidrs"`
}

type decoded struct {
	VPCs        []tVPC        `json:"Vpcs"`
	Subnets     []tSubnet     `json:"Subnets"`
	RouteTables []tRouteTable `json:"RouteTables"`
	NACLs       []tNACL       `json:"NetworkAcls"`
	SGs         []tSG         `json:"SecurityGroups"`
	ENIs        []tENI        `json:"NetworkInterfaces"`
	IGWs        []tIGW        `json:"InternetGateways"`
	NATs        []tNAT        `json:"NatGateways"`
	Endpoints   []tEndpoint   `json:"VpcEndpoints"`
	PrefixLists []tPrefixList `json:"PrefixLists"`
}

// decodeDir decodes every file of dir/us-east-1 into one struct; each file
// must hold exactly one known top-level key, and no key may come twice.
func decodeDir(t *testing.T, dir string) *decoded {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, Region, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no files in %s: %v", dir, err)
	}
	var d decoded
	seen := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(b, &keys); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(keys) != 1 {
			t.Errorf("%s: %d top-level keys, want 1", f, len(keys))
		}
		for k := range keys {
			if prev, dup := seen[k]; dup {
				t.Errorf("%s: key %s already in %s", f, k, prev)
			}
			seen[k] = f
		}
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	for _, k := range []string{"Vpcs", "Subnets", "RouteTables", "NetworkAcls", "SecurityGroups", "NetworkInterfaces", "InternetGateways", "NatGateways", "VpcEndpoints", "PrefixLists"} {
		if _, ok := seen[k]; !ok {
			t.Errorf("no file holds %s", k)
		}
	}
	return &d
}

func writeSmall(t *testing.T) (string, Summary) {
	t.Helper()
	dir := t.TempDir()
	sum, err := Write(dir, Small())
	if err != nil {
		t.Fatal(err)
	}
	return dir, sum
}

func TestSmallEstateIsConsistent(t *testing.T) {
	dir, sum := writeSmall(t)
	d := decodeDir(t, dir)
	spec := Small()
	c := newChecker(t, d)

	// Counts: the spec's, the summary's and the files' agree.
	counts := []struct {
		what             string
		files, sum, spec int
	}{
		{"VPCs", len(d.VPCs), sum.VPCs, spec.VPCs},
		{"subnets", len(d.Subnets), sum.Subnets, spec.Subnets},
		{"interfaces", len(d.ENIs), sum.ENIs, spec.ENIs},
		{"security groups", len(d.SGs), sum.SecurityGroups, spec.SecurityGroups},
		{"security group rules", c.sgRules, sum.SGRules, spec.SGRules},
		{"route tables", len(d.RouteTables), sum.RouteTables, spec.RouteTables},
		{"network ACLs", len(d.NACLs), sum.NACLs, spec.NACLs},
		{"internet gateways", len(d.IGWs), sum.InternetGateways, spec.VPCs},
		{"NAT gateways", len(d.NATs), sum.NATGateways, spec.VPCs},
		{"VPC endpoints", len(d.Endpoints), sum.VPCEndpoints, spec.VPCs},
		{"NAT interfaces", c.natENIs, sum.NATENIs, spec.VPCs},
		{"prefix lists", len(d.PrefixLists), sum.PrefixLists, 2},
	}
	for _, n := range counts {
		if n.files != n.sum || n.files != n.spec {
			t.Errorf("%s: files hold %d, summary says %d, spec asks %d", n.what, n.files, n.sum, n.spec)
		}
	}
	others := []struct {
		what       string
		files, sum int
	}{
		{"private IPs", c.privateIPs, sum.PrivateIPs},
		{"public IPs", c.publicIPs, sum.PublicIPs},
		{"instances", c.instances, sum.Instances},
		{"ingress rules", c.sgIngress, sum.SGIngressRules},
		{"egress rules", c.sgEgress, sum.SGEgressRules},
		{"routes", c.routes, sum.Routes},
		{"subnet route table associations", c.rtAssocs, sum.SubnetRTAssocs},
		{"NACL entries", c.naclEntries, sum.NACLEntries},
		{"NACL associations", c.naclAssocs, sum.NACLAssocs},
	}
	for _, n := range others {
		if n.files != n.sum {
			t.Errorf("%s: files hold %d, summary says %d", n.what, n.files, n.sum)
		}
	}
	if len(sum.Files) != 10 {
		t.Errorf("summary lists %d files, want 10: %v", len(sum.Files), sum.Files)
	}
	var size int64
	for _, f := range sum.Files {
		st, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		size += st.Size()
	}
	if size != sum.Bytes {
		t.Errorf("files hold %d bytes, summary says %d", size, sum.Bytes)
	}

	c.checkAll()
	if c.secondaries == 0 {
		t.Errorf("no interface has a secondary private IP")
	}
	c.checkFlows(sum.Flows)
}

// checker indexes the decoded snapshot and checks that it hangs together.
type checker struct {
	t *testing.T
	d *decoded

	vpcs    map[string]*tVPC
	subnets map[string]*tSubnet
	rts     map[string]*tRouteTable
	sgs     map[string]*tSG
	enis    map[string]*tENI
	igws    map[string]*tIGW
	nats    map[string]*tNAT
	vpces   map[string]*tEndpoint
	pls     map[string]*tPrefixList
	ipOwner map[netip.Addr]string // private IP -> interface
	rtOf    map[string]*tRouteTable
	naclOf  map[string]*tNACL

	sgRules, sgIngress, sgEgress   int
	privateIPs, publicIPs, natENIs int
	instances, routes, rtAssocs    int
	naclEntries, naclAssocs        int
	secondaries                    int // interfaces with more than one private IP
}

func index[T any](t *testing.T, kind string, items []T, id func(*T) string) map[string]*T {
	t.Helper()
	m := make(map[string]*T, len(items))
	for i := range items {
		k := id(&items[i])
		if k == "" {
			t.Errorf("%s %d has no ID", kind, i)
		}
		if _, dup := m[k]; dup {
			t.Errorf("%s ID %s used twice", kind, k)
		}
		m[k] = &items[i]
	}
	return m
}

func newChecker(t *testing.T, d *decoded) *checker {
	c := &checker{t: t, d: d, ipOwner: map[netip.Addr]string{}, rtOf: map[string]*tRouteTable{}, naclOf: map[string]*tNACL{}}
	c.vpcs = index(t, "VPC", d.VPCs, func(v *tVPC) string { return v.VpcID })
	c.subnets = index(t, "subnet", d.Subnets, func(v *tSubnet) string { return v.SubnetID })
	c.rts = index(t, "route table", d.RouteTables, func(v *tRouteTable) string { return v.RouteTableID })
	c.sgs = index(t, "security group", d.SGs, func(v *tSG) string { return v.GroupID })
	c.enis = index(t, "interface", d.ENIs, func(v *tENI) string { return v.NetworkInterfaceID })
	c.igws = index(t, "internet gateway", d.IGWs, func(v *tIGW) string { return v.InternetGatewayID })
	c.nats = index(t, "NAT gateway", d.NATs, func(v *tNAT) string { return v.NatGatewayID })
	c.vpces = index(t, "VPC endpoint", d.Endpoints, func(v *tEndpoint) string { return v.VpcEndpointID })
	c.pls = index(t, "prefix list", d.PrefixLists, func(v *tPrefixList) string { return v.PrefixListID })
	index(t, "network ACL", d.NACLs, func(v *tNACL) string { return v.NetworkACLID })

	for _, sg := range d.SGs {
		in, out := peers(sg.IPPermissions), peers(sg.IPPermissionsEgress)
		c.sgIngress += in
		c.sgEgress += out
	}
	c.sgRules = c.sgIngress + c.sgEgress
	instances := map[string]bool{}
	for _, e := range d.ENIs {
		c.privateIPs += len(e.PrivateIPAddresses)
		for _, a := range e.PrivateIPAddresses {
			if a.Association != nil {
				c.publicIPs++
			}
		}
		if e.InterfaceType == "nat_gateway" {
			c.natENIs++
		}
		if e.Attachment != nil && e.Attachment.InstanceID != "" {
			instances[e.Attachment.InstanceID] = true
		}
	}
	c.instances = len(instances)
	for _, rt := range d.RouteTables {
		c.routes += len(rt.Routes)
		for _, a := range rt.Associations {
			if !a.Main {
				c.rtAssocs++
			}
		}
	}
	for _, n := range d.NACLs {
		c.naclEntries += len(n.Entries)
		c.naclAssocs += len(n.Associations)
	}
	return c
}

func peers(ps []tPermission) int {
	n := 0
	for _, p := range ps {
		n += len(p.IPRanges) + len(p.Ipv6Ranges) + len(p.UserIDGroupPairs) + len(p.PrefixListIDs)
	}
	return n
}

func (c *checker) prefix(where, s string) netip.Prefix {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		c.t.Errorf("%s: %v", where, err)
		return netip.Prefix{}
	}
	if p != p.Masked() {
		c.t.Errorf("%s: %s has host bits set", where, s)
	}
	return p
}

func (c *checker) checkAll() {
	t := c.t
	// VPC blocks are distinct /16s of private space.
	var blocks []netip.Prefix
	for _, v := range c.d.VPCs {
		p := c.prefix(v.VpcID, v.CidrBlock)
		if p.Bits() != 16 || !p.Addr().IsPrivate() {
			t.Errorf("VPC %s: block %s, want a private /16", v.VpcID, p)
		}
		for _, q := range blocks {
			if q.Overlaps(p) {
				t.Errorf("VPC %s: block %s overlaps %s", v.VpcID, p, q)
			}
		}
		blocks = append(blocks, p)
	}

	// Subnets: in their VPC's block, disjoint, /24, 2-3 AZs per VPC.
	azs := map[string]map[string]bool{}
	subnetsOf := map[string][]netip.Prefix{}
	for _, s := range c.d.Subnets {
		v, ok := c.vpcs[s.VpcID]
		if !ok {
			t.Errorf("subnet %s: VPC %s does not exist", s.SubnetID, s.VpcID)
			continue
		}
		p := c.prefix(s.SubnetID, s.CidrBlock)
		vp := c.prefix(v.VpcID, v.CidrBlock)
		if p.Bits() != 24 || !vp.Contains(p.Addr()) {
			t.Errorf("subnet %s: %s is not a /24 of %s", s.SubnetID, p, vp)
		}
		for _, q := range subnetsOf[s.VpcID] {
			if q.Overlaps(p) {
				t.Errorf("subnet %s: %s overlaps %s", s.SubnetID, p, q)
			}
		}
		subnetsOf[s.VpcID] = append(subnetsOf[s.VpcID], p)
		if !strings.HasPrefix(s.AvailabilityZone, Region) || len(s.AvailabilityZone) != len(Region)+1 {
			t.Errorf("subnet %s: zone %q is not in %s", s.SubnetID, s.AvailabilityZone, Region)
		}
		if azs[s.VpcID] == nil {
			azs[s.VpcID] = map[string]bool{}
		}
		azs[s.VpcID][s.AvailabilityZone] = true
	}
	for id, z := range azs {
		if len(z) < 2 || len(z) > 3 {
			t.Errorf("VPC %s spans %d zones, want 2 or 3", id, len(z))
		}
	}

	// Gateways: one IGW, one NAT, one S3 endpoint per VPC.
	igwOf := map[string]string{}
	for _, g := range c.d.IGWs {
		if len(g.Attachments) != 1 || g.Attachments[0].State != "available" {
			t.Errorf("IGW %s: attachments %+v, want one available", g.InternetGatewayID, g.Attachments)
			continue
		}
		v := g.Attachments[0].VpcID
		if _, ok := c.vpcs[v]; !ok {
			t.Errorf("IGW %s: VPC %s does not exist", g.InternetGatewayID, v)
		}
		if prev := igwOf[v]; prev != "" {
			t.Errorf("VPC %s has two IGWs: %s, %s", v, prev, g.InternetGatewayID)
		}
		igwOf[v] = g.InternetGatewayID
	}
	for _, pl := range c.d.PrefixLists {
		for _, s := range pl.Cidrs {
			c.prefix(pl.PrefixListID, s)
		}
	}
	if pl, ok := c.pls[S3PrefixList]; !ok || pl.PrefixListName != "com.amazonaws."+Region+".s3" || len(pl.Cidrs) == 0 {
		t.Errorf("S3 prefix list missing or wrong: %+v", pl)
	}

	// Route tables.
	mainOf := map[string]string{}
	for i := range c.d.RouteTables {
		rt := &c.d.RouteTables[i]
		v, ok := c.vpcs[rt.VpcID]
		if !ok {
			t.Errorf("route table %s: VPC %s does not exist", rt.RouteTableID, rt.VpcID)
			continue
		}
		for _, a := range rt.Associations {
			if a.RouteTableID != rt.RouteTableID {
				t.Errorf("route table %s: association names table %s", rt.RouteTableID, a.RouteTableID)
			}
			switch {
			case a.Main:
				if a.SubnetID != "" {
					t.Errorf("route table %s: main association with subnet %s", rt.RouteTableID, a.SubnetID)
				}
				if prev := mainOf[rt.VpcID]; prev != "" {
					t.Errorf("VPC %s has two main tables: %s, %s", rt.VpcID, prev, rt.RouteTableID)
				}
				mainOf[rt.VpcID] = rt.RouteTableID
			default:
				s, ok := c.subnets[a.SubnetID]
				if !ok || s.VpcID != rt.VpcID {
					t.Errorf("route table %s: associated subnet %s is not in %s", rt.RouteTableID, a.SubnetID, rt.VpcID)
				}
				if prev := c.rtOf[a.SubnetID]; prev != nil {
					t.Errorf("subnet %s associated with %s and %s", a.SubnetID, prev.RouteTableID, rt.RouteTableID)
				}
				c.rtOf[a.SubnetID] = rt
			}
		}
		hasLocal := false
		dests := map[string]bool{}
		for _, r := range rt.Routes {
			dest := r.DestinationCidrBlock + r.DestinationPrefixListID
			if dests[dest] {
				t.Errorf("route table %s: two routes to %s", rt.RouteTableID, dest)
			}
			dests[dest] = true
			if r.State != "active" {
				t.Errorf("route table %s: route to %s is %s", rt.RouteTableID, dest, r.State)
			}
			if (r.DestinationCidrBlock == "") == (r.DestinationPrefixListID == "") {
				t.Errorf("route table %s: route %+v needs exactly one destination", rt.RouteTableID, r)
			}
			if r.DestinationCidrBlock != "" {
				c.prefix(rt.RouteTableID, r.DestinationCidrBlock)
			}
			if r.DestinationPrefixListID != "" {
				if _, ok := c.pls[r.DestinationPrefixListID]; !ok {
					t.Errorf("route table %s: prefix list %s not described", rt.RouteTableID, r.DestinationPrefixListID)
				}
			}
			switch gw := r.GatewayID; {
			case gw == "local":
				hasLocal = true
				if r.DestinationCidrBlock != v.CidrBlock {
					t.Errorf("route table %s: local route to %s, VPC block is %s", rt.RouteTableID, r.DestinationCidrBlock, v.CidrBlock)
				}
			case strings.HasPrefix(gw, "igw-"):
				if igwOf[rt.VpcID] != gw {
					t.Errorf("route table %s: %s is not attached to %s", rt.RouteTableID, gw, rt.VpcID)
				}
			case strings.HasPrefix(gw, "vpce-"):
				e, ok := c.vpces[gw]
				if !ok || e.VpcID != rt.VpcID || !slices.Contains(e.RouteTableIDs, rt.RouteTableID) || r.DestinationPrefixListID != S3PrefixList {
					t.Errorf("route table %s: route via %s does not match the endpoint %+v", rt.RouteTableID, gw, e)
				}
			case gw == "":
				n, ok := c.nats[r.NatGatewayID]
				if !ok || n.VpcID != rt.VpcID {
					t.Errorf("route table %s: NAT gateway %q is not in %s", rt.RouteTableID, r.NatGatewayID, rt.VpcID)
				}
			default:
				t.Errorf("route table %s: unexpected target %s", rt.RouteTableID, gw)
			}
		}
		if !hasLocal {
			t.Errorf("route table %s has no local route", rt.RouteTableID)
		}
	}
	for id := range c.vpcs {
		if mainOf[id] == "" {
			t.Errorf("VPC %s has no main route table", id)
		}
	}
	for _, s := range c.d.Subnets {
		if c.rtOf[s.SubnetID] == nil {
			c.rtOf[s.SubnetID] = c.rts[mainOf[s.VpcID]]
		}
	}
	for _, e := range c.d.Endpoints {
		if _, ok := c.vpcs[e.VpcID]; !ok || e.VpcEndpointType != "Gateway" || e.ServiceName != "com.amazonaws."+Region+".s3" || len(e.RouteTableIDs) == 0 {
			t.Errorf("endpoint %+v: want an S3 gateway endpoint of a known VPC with route tables", e)
		}
		for _, id := range e.RouteTableIDs {
			if rt, ok := c.rts[id]; !ok || rt.VpcID != e.VpcID {
				t.Errorf("endpoint %s: route table %s is not in %s", e.VpcEndpointID, id, e.VpcID)
			}
		}
	}

	// NAT gateways sit in a subnet routed to the internet gateway.
	for _, n := range c.d.NATs {
		s, ok := c.subnets[n.SubnetID]
		if !ok || s.VpcID != n.VpcID {
			t.Errorf("NAT %s: subnet %s is not in %s", n.NatGatewayID, n.SubnetID, n.VpcID)
			continue
		}
		if n.State != "available" || n.ConnectivityType != "public" || len(n.NatGatewayAddresses) != 1 {
			t.Errorf("NAT %s: %+v", n.NatGatewayID, n)
			continue
		}
		if target := c.defaultTarget(n.SubnetID); target != igwOf[n.VpcID] {
			t.Errorf("NAT %s: its subnet routes 0.0.0.0/0 to %q, want the IGW", n.NatGatewayID, target)
		}
		a := n.NatGatewayAddresses[0]
		e, ok := c.enis[a.NetworkInterfaceID]
		if !ok || e.InterfaceType != "nat_gateway" || e.PrivateIPAddress != a.PrivateIP || e.SubnetID != n.SubnetID ||
			e.Association == nil || e.Association.PublicIP != a.PublicIP {
			t.Errorf("NAT %s: interface %s does not match %+v", n.NatGatewayID, a.NetworkInterfaceID, a)
		}
	}

	// Network ACLs: one default per VPC, every subnet in exactly one ACL of
	// its VPC, rules well formed with the final denies.
	defaultOf := map[string]string{}
	for i := range c.d.NACLs {
		n := &c.d.NACLs[i]
		if _, ok := c.vpcs[n.VpcID]; !ok {
			t.Errorf("ACL %s: VPC %s does not exist", n.NetworkACLID, n.VpcID)
		}
		if n.IsDefault {
			if prev := defaultOf[n.VpcID]; prev != "" {
				t.Errorf("VPC %s has two default ACLs", n.VpcID)
			}
			defaultOf[n.VpcID] = n.NetworkACLID
		}
		for _, a := range n.Associations {
			s, ok := c.subnets[a.SubnetID]
			if !ok || s.VpcID != n.VpcID || a.NetworkACLID != n.NetworkACLID {
				t.Errorf("ACL %s: association %+v does not fit", n.NetworkACLID, a)
			}
			if prev := c.naclOf[a.SubnetID]; prev != nil {
				t.Errorf("subnet %s in ACLs %s and %s", a.SubnetID, prev.NetworkACLID, n.NetworkACLID)
			}
			c.naclOf[a.SubnetID] = n
		}
		numbers := map[[2]int]bool{}
		for _, e := range n.Entries {
			dir := 0
			if e.Egress {
				dir = 1
			}
			k := [2]int{dir, e.RuleNumber}
			if numbers[k] {
				t.Errorf("ACL %s: rule %d (egress %v) twice", n.NetworkACLID, e.RuleNumber, e.Egress)
			}
			numbers[k] = true
			if e.RuleNumber < 1 || e.RuleNumber > 32767 || (e.RuleAction != "allow" && e.RuleAction != "deny") {
				t.Errorf("ACL %s: bad entry %+v", n.NetworkACLID, e)
			}
			c.prefix(n.NetworkACLID, e.CidrBlock)
			switch e.Protocol {
			case "-1":
				if e.PortRange != nil || e.IcmpTypeCode != nil {
					t.Errorf("ACL %s: all-traffic entry %d has ports", n.NetworkACLID, e.RuleNumber)
				}
			case "6", "17":
				if e.PortRange == nil || e.PortRange.From > e.PortRange.To || e.PortRange.To > 65535 {
					t.Errorf("ACL %s: entry %d has bad ports %+v", n.NetworkACLID, e.RuleNumber, e.PortRange)
				}
			case "1":
				if e.IcmpTypeCode == nil {
					t.Errorf("ACL %s: ICMP entry %d without type", n.NetworkACLID, e.RuleNumber)
				}
			default:
				t.Errorf("ACL %s: entry %d protocol %q", n.NetworkACLID, e.RuleNumber, e.Protocol)
			}
			if e.RuleNumber == 32767 && (e.RuleAction != "deny" || e.Protocol != "-1" || e.CidrBlock != "0.0.0.0/0") {
				t.Errorf("ACL %s: final rule %+v", n.NetworkACLID, e)
			}
		}
		for dir := range 2 {
			if !numbers[[2]int{dir, 32767}] {
				t.Errorf("ACL %s: no final deny (egress %v)", n.NetworkACLID, dir == 1)
			}
		}
	}
	for id := range c.vpcs {
		if defaultOf[id] == "" {
			t.Errorf("VPC %s has no default ACL", id)
		}
	}
	for _, s := range c.d.Subnets {
		if c.naclOf[s.SubnetID] == nil {
			t.Errorf("subnet %s is in no ACL", s.SubnetID)
		}
	}

	// Security groups: peers resolve, in the same VPC; ports well formed.
	names := map[string]map[string]bool{}
	for _, sg := range c.d.SGs {
		if _, ok := c.vpcs[sg.VpcID]; !ok {
			t.Errorf("group %s: VPC %s does not exist", sg.GroupID, sg.VpcID)
		}
		if names[sg.VpcID] == nil {
			names[sg.VpcID] = map[string]bool{}
		}
		if names[sg.VpcID][sg.GroupName] {
			t.Errorf("group name %s twice in %s", sg.GroupName, sg.VpcID)
		}
		names[sg.VpcID][sg.GroupName] = true
		seen := map[string]bool{}
		for dir, ps := range [][]tPermission{sg.IPPermissions, sg.IPPermissionsEgress} {
			for _, p := range ps {
				key := fmt.Sprint(dir, p.IPProtocol, p.FromPort, p.ToPort)
				if p.FromPort != nil {
					key = fmt.Sprint(dir, p.IPProtocol, *p.FromPort, *p.ToPort)
				}
				if seen[key] {
					t.Errorf("group %s: two permissions for %s", sg.GroupID, key)
				}
				seen[key] = true
				switch p.IPProtocol {
				case "-1":
					if p.FromPort != nil || p.ToPort != nil {
						t.Errorf("group %s: all-traffic permission with ports", sg.GroupID)
					}
				case "tcp", "udp":
					if p.FromPort == nil || p.ToPort == nil || *p.FromPort < 0 || *p.FromPort > *p.ToPort || *p.ToPort > 65535 {
						t.Errorf("group %s: %s permission with ports %v-%v", sg.GroupID, p.IPProtocol, p.FromPort, p.ToPort)
					}
				case "icmp":
					if p.FromPort == nil || p.ToPort == nil {
						t.Errorf("group %s: icmp permission without type and code", sg.GroupID)
					}
				default:
					t.Errorf("group %s: protocol %q", sg.GroupID, p.IPProtocol)
				}
				if len(p.IPRanges)+len(p.UserIDGroupPairs)+len(p.PrefixListIDs) == 0 {
					t.Errorf("group %s: permission %s without peers", sg.GroupID, key)
				}
				for _, r := range p.IPRanges {
					c.prefix(sg.GroupID, r.CidrIP)
				}
				for _, r := range p.UserIDGroupPairs {
					if peer, ok := c.sgs[r.GroupID]; !ok || peer.VpcID != sg.VpcID {
						t.Errorf("group %s: referenced group %s is not in %s", sg.GroupID, r.GroupID, sg.VpcID)
					}
				}
				for _, r := range p.PrefixListIDs {
					if _, ok := c.pls[r.PrefixListID]; !ok {
						t.Errorf("group %s: prefix list %s not described", sg.GroupID, r.PrefixListID)
					}
				}
			}
		}
	}
	for id, n := range names {
		if !n["default"] {
			t.Errorf("VPC %s has no default group", id)
		}
	}

	// Interfaces: subnet, VPC and zone agree; addresses inside the subnet,
	// outside the reserved five, unique; one primary; 1-3 groups of the VPC.
	publicIPs := map[string]string{}
	for _, e := range c.d.ENIs {
		s, ok := c.subnets[e.SubnetID]
		if !ok {
			t.Errorf("interface %s: subnet %s does not exist", e.NetworkInterfaceID, e.SubnetID)
			continue
		}
		if s.VpcID != e.VpcID || s.AvailabilityZone != e.AvailabilityZone {
			t.Errorf("interface %s: VPC %s zone %s, its subnet says %s %s", e.NetworkInterfaceID, e.VpcID, e.AvailabilityZone, s.VpcID, s.AvailabilityZone)
		}
		sp := c.prefix(s.SubnetID, s.CidrBlock)
		primaries := 0
		for _, a := range e.PrivateIPAddresses {
			ip, err := netip.ParseAddr(a.PrivateIPAddress)
			if err != nil {
				t.Errorf("interface %s: %v", e.NetworkInterfaceID, err)
				continue
			}
			// Subnets are /24s (checked above): .0-.3 and .255 are AWS's.
			if !sp.Contains(ip) || ip.As4()[3] < 4 || ip.As4()[3] == 255 {
				t.Errorf("interface %s: %s is not a usable address of %s", e.NetworkInterfaceID, ip, sp)
			}
			if prev, dup := c.ipOwner[ip]; dup {
				t.Errorf("%s on %s and %s", ip, prev, e.NetworkInterfaceID)
			}
			c.ipOwner[ip] = e.NetworkInterfaceID
			if a.Primary {
				primaries++
				if a.PrivateIPAddress != e.PrivateIPAddress {
					t.Errorf("interface %s: primary %s, PrivateIpAddress %s", e.NetworkInterfaceID, a.PrivateIPAddress, e.PrivateIPAddress)
				}
			}
			if a.Association != nil {
				if prev, dup := publicIPs[a.Association.PublicIP]; dup {
					t.Errorf("public IP %s on %s and %s", a.Association.PublicIP, prev, e.NetworkInterfaceID)
				}
				publicIPs[a.Association.PublicIP] = e.NetworkInterfaceID
				if pub, err := netip.ParseAddr(a.Association.PublicIP); err != nil || pub.IsPrivate() {
					t.Errorf("interface %s: public IP %q", e.NetworkInterfaceID, a.Association.PublicIP)
				}
			}
		}
		if len(e.PrivateIPAddresses) > 1 {
			c.secondaries++
		}
		if e.Association != nil && !strings.HasPrefix(c.defaultTarget(e.SubnetID), "igw-") {
			t.Errorf("interface %s has a public IP in a subnet not routed to the internet gateway", e.NetworkInterfaceID)
		}
		if primaries != 1 {
			t.Errorf("interface %s has %d primary addresses", e.NetworkInterfaceID, primaries)
		}
		switch e.InterfaceType {
		case "nat_gateway":
			if len(e.Groups) != 0 {
				t.Errorf("NAT interface %s carries groups", e.NetworkInterfaceID)
			}
		case "interface":
			if len(e.Groups) < 1 || len(e.Groups) > 3 {
				t.Errorf("interface %s carries %d groups, want 1-3", e.NetworkInterfaceID, len(e.Groups))
			}
			if e.Attachment == nil || e.Attachment.InstanceID == "" {
				t.Errorf("interface %s is not attached to an instance", e.NetworkInterfaceID)
			}
		default:
			t.Errorf("interface %s: type %q", e.NetworkInterfaceID, e.InterfaceType)
		}
		seen := map[string]bool{}
		for _, g := range e.Groups {
			sg, ok := c.sgs[g.GroupID]
			if !ok || sg.VpcID != e.VpcID || sg.GroupName != g.GroupName {
				t.Errorf("interface %s: group %+v is not a group of %s", e.NetworkInterfaceID, g, e.VpcID)
			}
			if seen[g.GroupID] {
				t.Errorf("interface %s: group %s twice", e.NetworkInterfaceID, g.GroupID)
			}
			seen[g.GroupID] = true
		}
	}
}

// defaultTarget is the target of the 0.0.0.0/0 route of the subnet's table.
func (c *checker) defaultTarget(subnet string) string {
	rt := c.rtOf[subnet]
	if rt == nil {
		return ""
	}
	for _, r := range rt.Routes {
		if r.DestinationCidrBlock == "0.0.0.0/0" {
			return r.GatewayID + r.NatGatewayID
		}
	}
	return ""
}

func (c *checker) hasRouteTo(subnet, prefixList string) bool {
	for _, r := range c.rtOf[subnet].Routes {
		if r.DestinationPrefixListID == prefixList {
			return true
		}
	}
	return false
}

// checkFlows checks the structural facts each sample flow relies on. The
// security group and ACL outcomes are fixed by construction (see the package
// comment); here the test checks what can go wrong with indexes: the hosts
// exist, sit where the flow assumes and carry the groups it assumes.
func (c *checker) checkFlows(flows []Flow) {
	t := c.t
	if want := 8 * len(sampleVPCs(Small().VPCs)); len(flows) != want {
		t.Errorf("%d sample flows, want %d", len(flows), want)
	}
	kinds := map[string]int{}
	for _, f := range flows {
		name, _, _ := strings.Cut(f.Name, "@")
		kinds[name]++
		src, ok := c.enis[f.From]
		if !ok {
			t.Errorf("%s: source %s is no interface", f.Name, f.From)
			continue
		}
		if src.PrivateIPAddress != f.FromIP || src.InterfaceType != "interface" {
			t.Errorf("%s: source %s has IP %s type %s", f.Name, f.From, src.PrivateIPAddress, src.InterfaceType)
		}
		dstIP, err := netip.ParseAddr(f.ToIP)
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
			continue
		}
		var dst *tENI
		if strings.HasPrefix(f.To, "eni-") {
			dst = c.enis[f.To]
		} else if f.To != f.ToIP {
			t.Errorf("%s: To %s, ToIP %s", f.Name, f.To, f.ToIP)
		} else if owner, ok := c.ipOwner[dstIP]; ok {
			dst = c.enis[owner]
		}
		if dst != nil && dst.PrivateIPAddress != f.ToIP {
			t.Errorf("%s: destination %s has IP %s, flow says %s", f.Name, dst.NetworkInterfaceID, dst.PrivateIPAddress, f.ToIP)
		}
		if f.Protocol != "tcp" || f.Port < 1 || f.Port > 65535 {
			t.Errorf("%s: %s %d", f.Name, f.Protocol, f.Port)
		}
		if (f.Want == "reachable") != (f.BlockedAt == "") || (f.Want != "reachable" && f.Want != "blocked") {
			t.Errorf("%s: want %q blocked at %q", f.Name, f.Want, f.BlockedAt)
		}
		group := func(e *tENI) string {
			if e == nil || len(e.Groups) != 1 {
				return ""
			}
			return e.Groups[0].GroupName
		}
		internal := dst != nil
		if internal && dst.VpcID != src.VpcID {
			t.Errorf("%s: crosses VPCs", f.Name)
		}
		switch name {
		case "same-subnet":
			if !internal || dst.SubnetID != src.SubnetID || group(src) != "app" || group(dst) != "app" || src == dst {
				t.Errorf("%s: want two app hosts in one subnet", f.Name)
			}
		case "cross-subnet":
			if !internal || dst.SubnetID == src.SubnetID || group(src) != "web" || group(dst) != "app" {
				t.Errorf("%s: want web to app across subnets", f.Name)
			}
		case "internet-via-igw":
			if internal || src.Association == nil || c.defaultTarget(src.SubnetID)[:4] != "igw-" {
				t.Errorf("%s: want a public host in a public subnet to the internet", f.Name)
			}
		case "internet-via-nat":
			if internal || !strings.HasPrefix(c.defaultTarget(src.SubnetID), "nat-") || group(src) != "app" {
				t.Errorf("%s: want a private app host routed to the NAT", f.Name)
			}
		case "s3-gateway-endpoint", "blocked-by-sg-egress":
			pl := c.pls[S3PrefixList]
			inS3 := slices.ContainsFunc(pl.Cidrs, func(s string) bool { return netip.MustParsePrefix(s).Contains(dstIP) })
			if internal || group(src) != "data" || inS3 != (name == "s3-gateway-endpoint") {
				t.Errorf("%s: want the data host to %s (in S3: %v)", f.Name, dstIP, inS3)
			}
			if name == "s3-gateway-endpoint" && !c.hasRouteTo(src.SubnetID, S3PrefixList) {
				t.Errorf("%s: the source subnet has no route to the S3 prefix list", f.Name)
			}
		case "blocked-by-sg-ingress":
			if !internal || group(src) != "web" || group(dst) != "data" {
				t.Errorf("%s: want web to data", f.Name)
			}
		case "blocked-by-nacl":
			if !internal || dst.SubnetID == src.SubnetID || group(dst) != "admin" || c.naclOf[dst.SubnetID].IsDefault {
				t.Errorf("%s: want a host to admin in another subnet with a custom ACL", f.Name)
			}
			denied := false
			for _, e := range c.naclOf[dst.SubnetID].Entries {
				if !e.Egress && e.RuleNumber < 100 && e.RuleAction == "deny" && e.Protocol == "6" && e.PortRange.From <= f.Port && f.Port <= e.PortRange.To {
					denied = true
				}
			}
			if !denied {
				t.Errorf("%s: the destination ACL has no early deny of tcp %d", f.Name, f.Port)
			}
		default:
			t.Errorf("unknown flow %s", f.Name)
		}
	}
	for _, k := range []string{"same-subnet", "cross-subnet", "internet-via-igw", "internet-via-nat", "s3-gateway-endpoint", "blocked-by-sg-ingress", "blocked-by-sg-egress", "blocked-by-nacl"} {
		if kinds[k] == 0 {
			t.Errorf("no %s flow", k)
		}
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	read := func(dir string, sum Summary) map[string][]byte {
		out := map[string][]byte{}
		for _, f := range sum.Files {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			out[f] = b
		}
		return out
	}
	d1, s1 := writeSmall(t)
	d2, s2 := writeSmall(t)
	a, b := read(d1, s1), read(d2, s2)
	for f := range a {
		if !bytes.Equal(a[f], b[f]) {
			t.Errorf("%s differs between two writes of the same spec", f)
		}
	}
	other := Small()
	other.Seed = 2
	d3 := t.TempDir()
	s3, err := Write(d3, other)
	if err != nil {
		t.Fatal(err)
	}
	c := read(d3, s3)
	if bytes.Equal(a[Region+"/"+fileENIs], c[Region+"/"+fileENIs]) {
		t.Errorf("seeds 1 and 2 wrote the same interfaces")
	}
}

func TestSpecShares(t *testing.T) {
	// Uneven totals still land exactly.
	s := Spec{VPCs: 3, Subnets: 10, ENIs: 31, SecurityGroups: 17, SGRules: 100, RouteTables: 8, NACLs: 11, Seed: 7}
	dir := t.TempDir()
	sum, err := Write(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	d := decodeDir(t, dir)
	got := []int{len(d.VPCs), len(d.Subnets), len(d.ENIs), len(d.SGs), sum.SGRules, len(d.RouteTables), len(d.NACLs)}
	want := []int{3, 10, 31, 17, 100, 8, 11}
	if !slices.Equal(got, want) {
		t.Errorf("counts %v, want %v", got, want)
	}
	c := newChecker(t, d)
	if c.sgRules != 100 {
		t.Errorf("files hold %d rules, want 100", c.sgRules)
	}
	c.checkAll()
}

func TestWriteRejectsImpossibleSpecs(t *testing.T) {
	base := Small()
	cases := map[string]func(*Spec){
		"no VPCs": func(s *Spec) { s.VPCs = 0 },
		"too many VPCs": func(s *Spec) {
			s.VPCs = 300
			s.Subnets = 3000
			s.ENIs = 3000
			s.SecurityGroups = 1500
			s.SGRules = 10000
			s.RouteTables = 600
			s.NACLs = 900
		},
		"too few subnets":    func(s *Spec) { s.Subnets = 5 },
		"too many subnets":   func(s *Spec) { s.Subnets = 600 },
		"too few interfaces": func(s *Spec) { s.ENIs = 11 },
		"too many hosts":     func(s *Spec) { s.ENIs = 20 * 260 },
		"too few groups":     func(s *Spec) { s.SecurityGroups = 9 },
		"too few rules":      func(s *Spec) { s.SGRules = 60 },
		"too few tables":     func(s *Spec) { s.RouteTables = 3 },
		"too few ACLs":       func(s *Spec) { s.NACLs = 5 },
	}
	for name, mutate := range cases {
		s := base
		mutate(&s)
		if _, err := Write(t.TempDir(), s); err == nil {
			t.Errorf("%s: Write accepted %+v", name, s)
		}
	}
	transit := map[string]func(*Spec){
		"too many regions":  func(s *Spec) { s.Regions = 4 },
		"no accounts":       func(s *Spec) { s.Accounts = 0 },
		"too many peerings": func(s *Spec) { s.Peerings = s.VPCs/2 + 1 },
		"a region no table": func(s *Spec) { s.TGWRouteTables = 2 },
		"too few VPCs": func(s *Spec) {
			s.VPCs, s.Subnets, s.ENIs, s.SecurityGroups, s.RouteTables, s.NACLs = 11, 55, 220, 66, 33, 44
		},
	}
	for name, mutate := range transit {
		s := SmallTransit()
		mutate(&s)
		if _, err := Write(t.TempDir(), s); err == nil {
			t.Errorf("%s: Write accepted %+v", name, s)
		}
	}
	if _, err := Write(t.TempDir(), SmallTransit()); err != nil {
		t.Errorf("SmallTransit: %v", err)
	}
}
