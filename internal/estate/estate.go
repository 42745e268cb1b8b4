// Package estate generates large, realistic and internally consistent AWS
// network snapshots: folders of AWS CLI describe-* JSON, as a user would save
// with `aws ec2 describe-... --output json`, for load and trace benchmarks.
//
// The output depends only on the Spec (seed included): the same Spec always
// writes the same bytes. Every reference resolves (subnets to VPCs, routes to
// gateways, group rules to groups of the same VPC, interfaces to subnets and
// groups), every private address lies in its subnet outside the five
// addresses AWS reserves, and no address is used twice.
//
// Each VPC is built the same way, so that sample flows have outcomes known in
// advance:
//
//   - VPC i owns 10.i.0.0/16 (172.16-31.0.0/16 after the 256th); subnet j is
//     the /24 10.i.j.0/24, spread over two or three availability zones.
//     Subnets with j%5 == 0 are public (routed to the internet gateway); the
//     others are private.
//   - One internet gateway, one public NAT gateway in subnet 0 (with its
//     nat_gateway interface and an Elastic IP), one S3 gateway endpoint.
//   - Route table 0 is the main table (local, 0.0.0.0/0 to the NAT gateway);
//     table 1 is the public table (local, 0.0.0.0/0 to the internet gateway)
//     explicitly associated with the public subnets; tables 2.. are private
//     tables (local, 0.0.0.0/0 to the NAT gateway, and on even-numbered ones
//     pl-63a5400a to the S3 endpoint) associated with most private subnets;
//     private subnets with j%4 == 3 fall back to the main table.
//   - Network ACL 0 is the default one (allow all both ways); subnet j is
//     associated with ACL j mod (ACLs per VPC). Custom ACLs deny tcp 3389 in
//     and tcp 25 out first, deny a few TEST-NET hosts, allow the VPC, tcp 443,
//     the ephemeral ports 1024-65535 and ICMP in, everything out, and end with
//     the 32767 denies.
//   - Security groups 0-4 are "default" (all from itself, all out), "web"
//     (tcp 443 from anywhere, ssh from the VPC), "app" (tcp 8080 from web, all
//     from itself), "data" (tcp 5432 from app; out only tcp 443 to the S3
//     prefix list and all to the VPC) and "admin" (tcp 3389 and 22 from the
//     VPC). The rest of the rule budget is filled with random rules (CIDR
//     peers, group references, prefix lists, tcp/udp/icmp) that never use the
//     ports the sample flows rely on (22, 25, 443, 3389, 5432, 8080) nor
//     "all traffic", so the samples' outcomes do not depend on the seed.
//   - Interface 0 is the NAT gateway's; interfaces 1-5 are the sample hosts
//     (web in subnet 0 with a public IP, two app hosts and a data host in
//     subnet 1, an admin host in subnet 2); the rest are spread round robin
//     over the subnets with one to three random groups.
//
// With Spec.Regions > 0 the VPCs are spread over accounts and regions and
// joined by transit gateways and peering connections (see transit.go); the
// construction above is unchanged but for two routes more in every table
// (10.0.0.0/8 to the transit gateway, the peer's block to the peering
// connection), which no single-VPC sample flow matches.
package estate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
)

// Spec sizes an estate. Counts are totals over the whole estate, spread as
// evenly as possible over the VPCs.
type Spec struct {
	VPCs           int
	Subnets        int
	ENIs           int // all interfaces, the NAT gateways' included
	SecurityGroups int
	SGRules        int // flattened rules: one per (direction, permission, peer)
	RouteTables    int
	NACLs          int
	Seed           int64

	// Beyond one VPC. Regions == 0 writes the single-account, single-region
	// estate of issue 2 into <dir>/us-east-1/. Regions > 0 writes
	// <dir>/<account>/<region>/ folders, as vpcpath collect does: VPC i lives
	// in region i mod Regions and account i mod Accounts, every VPC is
	// attached to its region's transit gateway (owned by the first account
	// and shared), the gateways peer with each other, and VPCs 2k and 2k+1
	// (k < Peerings) are peered.
	Regions        int // 1-3
	Accounts       int
	Peerings       int // VPC peering connections, at most VPCs/2
	TGWRouteTables int // spread over the regions' gateways, at least one each
}

// Large is the estate of the performance target in issue 2.
func Large() Spec {
	return Spec{
		VPCs:           200,
		Subnets:        2000,
		ENIs:           20000,
		SecurityGroups: 5000,
		SGRules:        50000,
		RouteTables:    1000,
		NACLs:          2000,
		Seed:           1,
	}
}

// LargeTransit is Large spread over 3 regions and 20 accounts, every VPC on
// a transit gateway (the three gateways peer with each other), 100 VPC
// peering connections and 10 transit gateway route tables of 200 routes
// each (2,000 routes): the estate of issue 11's speed target.
func LargeTransit() Spec {
	s := Large()
	s.Regions, s.Accounts, s.Peerings, s.TGWRouteTables = 3, 20, 100, 10
	return s
}

// SmallTransit is a small LargeTransit, for unit tests: 12 VPCs in 3
// regions and 4 accounts.
func SmallTransit() Spec {
	return Spec{
		VPCs:           12,
		Subnets:        60,
		ENIs:           240,
		SecurityGroups: 72,
		SGRules:        600,
		RouteTables:    36,
		NACLs:          48,
		Seed:           1,
		Regions:        3,
		Accounts:       4,
		Peerings:       3,
		TGWRouteTables: 6,
	}
}

// Small is Large divided by 100, for unit tests.
func Small() Spec {
	return Spec{
		VPCs:           2,
		Subnets:        20,
		ENIs:           200,
		SecurityGroups: 50,
		SGRules:        500,
		RouteTables:    10,
		NACLs:          20,
		Seed:           1,
	}
}

// Region is the region every estate lives in; Write puts the files in a
// folder of that name.
const Region = "us-east-1"

// Prefix lists the snapshot describes (describe-prefix-lists, with their
// CIDRs as of the public ip-ranges of us-east-1).
const (
	S3PrefixList       = "pl-63a5400a"
	DynamoDBPrefixList = "pl-02cd2c6b"
)

// InternetHost is the internet address the sample flows reach out to.
const InternetHost = "93.184.216.34"

// S3Host is an address inside the S3 prefix list.
const S3Host = "52.216.8.20"

// OwnerID is the account that owns every resource.
const OwnerID = "123456789012"

// Summary tells what Write put in the snapshot, so that tests can compare a
// loader's model with it.
type Summary struct {
	Dir   string   // the snapshot folder (the one holding the region folder)
	Files []string // the files written, relative to Dir, in write order
	Bytes int64    // total size of the files

	VPCs             int
	Subnets          int
	ENIs             int // all interfaces
	NATENIs          int // interfaces of type nat_gateway
	Instances        int // distinct instance IDs in interface attachments
	PrivateIPs       int // private IPv4 addresses over all interfaces
	PublicIPs        int // interface addresses with a public or Elastic IP
	SecurityGroups   int
	SGRules          int // flattened: one per (direction, permission, peer)
	SGIngressRules   int
	SGEgressRules    int
	RouteTables      int
	Routes           int
	SubnetRTAssocs   int // explicit subnet associations (main ones excluded)
	NACLs            int
	NACLEntries      int // both directions, the 32767 denies included
	NACLAssocs       int
	InternetGateways int
	NATGateways      int
	VPCEndpoints     int
	PrefixLists      int

	// Beyond one VPC (Spec.Regions > 0).
	Regions         int
	Accounts        int
	VPCPeerings     int
	TransitGateways int
	TGWRouteTables  int
	TGWRoutes       int // over all tables, blackholes included
	TGWAttachments  int // VPC and peering attachments (a peering attachment once)
	TGWAssociations int // over the per-table association files
	TGWPropagations int

	// Flows are sample flows whose outcome the construction fixes; they cover
	// different paths (see Flow.Name).
	Flows []Flow
	// CrossFlows are sample flows that leave their VPC: through a transit
	// gateway, across regions, over a peering connection (Spec.Regions > 0).
	CrossFlows []Flow
}

// Flow is a sample flow and the outcome the estate was built to give it.
type Flow struct {
	// Name is one of: same-subnet, cross-subnet, internet-via-igw,
	// internet-via-nat, s3-gateway-endpoint, blocked-by-sg-ingress,
	// blocked-by-sg-egress, blocked-by-nacl; suffixed with "@vpc-index".
	// Cross-VPC flows (Summary.CrossFlows) are tgw-same-region,
	// sg-across-tgw, tgw-inter-region, vpc-peering and tgw-blackhole,
	// suffixed with "@0>vpc-index" (all start in VPC 0).
	Name     string
	From     string // source interface ID
	FromIP   string // its primary private IP
	To       string // destination: an interface ID or an IP address
	ToIP     string // the destination IP
	Protocol string // "tcp"
	Port     int
	// Want is "reachable" or "blocked".
	Want string
	// BlockedAt is the component the packet dies at ("security-group",
	// "network-acl", "transit-gateway"), "" when reachable.
	BlockedAt string
	// Via lists components the forward path must cross, in the trace's
	// component vocabulary ("nat-gateway", "internet-gateway",
	// "vpc-endpoint").
	Via []string
}

// File names, as a user following docs/snapshots.md would save them.
const (
	fileVPCs          = "ec2-describe-vpcs.json"
	fileSubnets       = "ec2-describe-subnets.json"
	fileRouteTables   = "ec2-describe-route-tables.json"
	fileNACLs         = "ec2-describe-network-acls.json"
	fileSGs           = "ec2-describe-security-groups.json"
	fileENIs          = "ec2-describe-network-interfaces.json"
	fileIGWs          = "ec2-describe-internet-gateways.json"
	fileNATs          = "ec2-describe-nat-gateways.json"
	fileEndpoints     = "ec2-describe-vpc-endpoints.json"
	filePrefixLists   = "ec2-describe-prefix-lists.json"
	createTime        = "2025-01-15T09:30:00+00:00"
	s3ServiceName     = "com.amazonaws." + Region + ".s3"
	ddbServiceName    = "com.amazonaws." + Region + ".dynamodb"
	endpointPolicyDoc = `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
)

var (
	s3CIDRs  = []string{"3.5.0.0/19", "16.15.176.0/20", "16.182.0.0/16", "52.216.0.0/15", "54.231.0.0/16"}
	ddbCIDRs = []string{"3.218.182.0/24", "35.71.64.0/22", "52.94.0.0/22", "52.119.224.0/20"}
	azNames  = []string{"a", "b", "c", "d", "e", "f"}
	azIDs    = []string{"use1-az1", "use1-az2", "use1-az4", "use1-az6", "use1-az3", "use1-az5"}
)

// regionInfo is what differs between the regions an estate spans.
type regionInfo struct {
	name              string
	azIDs             []string // zone k is name+azNames[k]
	s3PL, ddbPL       string
	s3CIDRs, ddbCIDRs []string
	s3Host            string // an address in s3CIDRs
	dnsSuffix         string // of private DNS names
	publicDNSSuffix   string
}

// regions: us-east-1 as the single-region estate always had it, then two
// more. The other regions' prefix-list IDs and ranges are illustrative
// (AWS publishes its own per region; the estate needs only that they be
// consistent within the snapshot).
var regions = []regionInfo{
	{name: Region, azIDs: azIDs, s3PL: S3PrefixList, ddbPL: DynamoDBPrefixList, s3CIDRs: s3CIDRs, ddbCIDRs: ddbCIDRs,
		s3Host: S3Host, dnsSuffix: ".ec2.internal", publicDNSSuffix: ".compute-1.amazonaws.com"},
	{name: "eu-west-1", azIDs: []string{"euw1-az1", "euw1-az2", "euw1-az3"}, s3PL: "pl-6da54004", ddbPL: "pl-b3a742da",
		s3CIDRs: []string{"3.5.64.0/21", "52.92.0.0/17", "52.218.0.0/17"}, ddbCIDRs: []string{"52.94.24.0/23", "52.119.240.0/21"},
		s3Host: "52.218.8.20", dnsSuffix: ".eu-west-1.compute.internal", publicDNSSuffix: ".eu-west-1.compute.amazonaws.com"},
	{name: "ap-southeast-2", azIDs: []string{"apse2-az1", "apse2-az3", "apse2-az2"}, s3PL: "pl-6ca54005", ddbPL: "pl-62a5400b",
		s3CIDRs: []string{"3.5.128.0/22", "52.92.52.0/22", "52.95.128.0/21"}, ddbCIDRs: []string{"52.94.8.0/24", "52.119.160.0/20"},
		s3Host: "52.95.128.20", dnsSuffix: ".ap-southeast-2.compute.internal", publicDNSSuffix: ".ap-southeast-2.compute.amazonaws.com"},
}

// Ports the fillers draw from; none of them is a port a sample flow uses.
var (
	fillerTCPPorts = []int{80, 1521, 2049, 2379, 3000, 3306, 5000, 5672, 6379, 6443, 7000, 8000, 8443, 8888, 9000, 9090, 9092, 9200, 9300, 10250, 11211, 15672, 27017}
	fillerUDPPorts = []int{53, 123, 161, 500, 514, 4500, 8125}
	fillerRanges   = [][2]int{{9000, 9099}, {6000, 6010}, {30000, 32767}, {10000, 10100}, {7000, 7100}}
)

// share is part i of total split over n parts as evenly as possible.
func share(total, n, i int) int {
	s := total / n
	if i < total%n {
		s++
	}
	return s
}

// Per-VPC minimums the construction needs.
const (
	minSubnets   = 3 // public subnet 0, private subnets 1 and 2
	minENIs      = 6 // the NAT interface and the five sample hosts
	minGroups    = 5 // default, web, app, data, admin
	minRTs       = 2 // main and public
	minNACLs     = 3 // default and two custom ones (subnets 1 and 2)
	maxVPCs      = 256 + 16
	maxSubnets   = 256
	fixedRules   = 14 // rules of groups 0-4
	hostsInSub24 = 256 - 5
)

func (s Spec) validate() error {
	if s.VPCs < 1 || s.VPCs > maxVPCs {
		return fmt.Errorf("estate: %d VPCs: want 1-%d", s.VPCs, maxVPCs)
	}
	v := s.VPCs
	// The last VPC gets the smallest share of everything.
	least := func(total int) int { return share(total, v, v-1) }
	switch {
	case least(s.Subnets) < minSubnets:
		return fmt.Errorf("estate: %d subnets for %d VPCs: want at least %d per VPC", s.Subnets, v, minSubnets)
	case share(s.Subnets, v, 0) > maxSubnets:
		return fmt.Errorf("estate: %d subnets for %d VPCs: at most %d /24s fit in a /16", s.Subnets, v, maxSubnets)
	case least(s.ENIs) < minENIs:
		return fmt.Errorf("estate: %d interfaces for %d VPCs: want at least %d per VPC", s.ENIs, v, minENIs)
	case least(s.SecurityGroups) < minGroups:
		return fmt.Errorf("estate: %d security groups for %d VPCs: want at least %d per VPC", s.SecurityGroups, v, minGroups)
	case least(s.RouteTables) < minRTs:
		return fmt.Errorf("estate: %d route tables for %d VPCs: want at least %d per VPC", s.RouteTables, v, minRTs)
	case least(s.NACLs) < minNACLs:
		return fmt.Errorf("estate: %d network ACLs for %d VPCs: want at least %d per VPC", s.NACLs, v, minNACLs)
	}
	if s.Regions != 0 {
		switch {
		case s.Regions < 0 || s.Regions > len(regions):
			return fmt.Errorf("estate: %d regions: want 0-%d", s.Regions, len(regions))
		case s.Accounts < 1:
			return fmt.Errorf("estate: %d accounts: want at least 1", s.Accounts)
		case s.Peerings < 0 || 2*s.Peerings > v:
			return fmt.Errorf("estate: %d peering connections for %d VPCs: at most one per VPC", s.Peerings, v)
		case s.TGWRouteTables < s.Regions:
			return fmt.Errorf("estate: %d transit gateway route tables for %d regions: want one per region at least", s.TGWRouteTables, s.Regions)
		case v < 4*s.Regions:
			return fmt.Errorf("estate: %d VPCs in %d regions: want at least 4 per region", v, s.Regions)
		case v > 256:
			return fmt.Errorf("estate: %d VPCs on transit gateways: at most 256 (their blocks are 10.i.0.0/16, routed as 10.0.0.0/8)", v)
		}
	}
	for i := range v {
		g := share(s.SecurityGroups, v, i)
		if need := fixedRules + g - minGroups; share(s.SGRules, v, i) < need {
			return fmt.Errorf("estate: %d security group rules: VPC %d needs at least %d", s.SGRules, i, need)
		}
		// Five sample hosts sit in subnets 0-2; the rest round robin.
		n := share(s.Subnets, v, i)
		e := share(s.ENIs, v, i)
		if perSubnet := (e+n-1)/n + 5 + (e/8+n-1)/n; perSubnet > hostsInSub24 {
			return fmt.Errorf("estate: %d interfaces in %d subnets of VPC %d: a /24 holds %d", e, n, i, hostsInSub24)
		}
	}
	return nil
}

// gen holds the state of one generation.
type gen struct {
	spec Spec
	rng  *rand.Rand
	sum  Summary

	vpcs      []awsVPC
	subnets   []awsSubnet
	rts       []awsRouteTable
	nacls     []awsNACL
	sgs       []awsSecurityGroup
	enis      []awsENI
	igws      []awsIGW
	nats      []awsNATGateway
	endpoints []awsVPCEndpoint

	publicIPs uint32 // public addresses handed out so far
	fallback  uint32 // unique filler peers handed out so far

	folders map[folderKey]*transitFolder // Spec.Regions > 0
}

// Kinds salt the ID generator so that each kind has its own sequence.
const (
	kVPC = iota + 1
	kSubnet
	kRT
	kRTAssoc
	kNACL
	kNACLAssoc
	kSG
	kENI
	kInstance
	kAttach
	kIGW
	kNAT
	kEIP
	kEIPAssoc
	kVPCE
	kCIDRAssoc
	kTGW
	kTGWRT
	kTGWAttach
	kPCX
)

// id returns a 17-hex-digit AWS-style ID, unique per (kind, i) for a seed:
// the mixer below is a bijection of uint64, and its inputs differ.
func (g *gen) id(prefix string, kind, i int) string {
	x := uint64(g.spec.Seed)*0x9e3779b97f4a7c15 ^ uint64(kind)<<48 ^ uint64(i)
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	b := make([]byte, 0, len(prefix)+17)
	b = append(b, prefix...)
	b = append(b, '0')
	const hex = "0123456789abcdef"
	for shift := 60; shift >= 0; shift -= 4 {
		b = append(b, hex[x>>uint(shift)&0xf])
	}
	return string(b)
}

func nameTag(name string) []tag { return []tag{{Key: "Name", Value: name}} }

func intp(i int) *int { return &i }

// vpcBlock is the /16 of VPC i.
func vpcBlock(i int) netip.Prefix {
	if i < 256 {
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i), 0, 0}), 16)
	}
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{172, byte(16 + i - 256), 0, 0}), 16)
}

func subnetBlock(vpc netip.Prefix, j int) netip.Prefix {
	a := vpc.Addr().As4()
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{a[0], a[1], byte(j), 0}), 24)
}

func hostIn(sub netip.Prefix, host int) netip.Addr {
	a := sub.Addr().As4()
	a[3] = byte(host)
	return netip.AddrFrom4(a)
}

func (r *regionInfo) dnsName(a netip.Addr) string {
	b := a.As4()
	return "ip-" + strconv.Itoa(int(b[0])) + "-" + strconv.Itoa(int(b[1])) + "-" + strconv.Itoa(int(b[2])) + "-" + strconv.Itoa(int(b[3])) + r.dnsSuffix
}

func (r *regionInfo) publicDNSName(a netip.Addr) string {
	b := a.As4()
	return "ec2-" + strconv.Itoa(int(b[0])) + "-" + strconv.Itoa(int(b[1])) + "-" + strconv.Itoa(int(b[2])) + "-" + strconv.Itoa(int(b[3])) + r.publicDNSSuffix
}

// regionOf is the region of VPC vi.
func (g *gen) regionOf(vi int) *regionInfo {
	if g.spec.Regions == 0 {
		return &regions[0]
	}
	return &regions[vi%g.spec.Regions]
}

// accountID is the ID of account a; account 0 is OwnerID, and owns the
// transit gateways.
func accountID(a int) string {
	if a == 0 {
		return OwnerID
	}
	return fmt.Sprintf("2100000000%02d", a)
}

// ownerOf is the account of VPC vi.
func (g *gen) ownerOf(vi int) string {
	if g.spec.Regions == 0 {
		return OwnerID
	}
	return accountID(vi % g.spec.Accounts)
}

// peerOf is the VPC peered with vi and the connection's index, or -1.
func (g *gen) peerOf(vi int) (int, int) {
	if vi/2 >= g.spec.Peerings || vi^1 >= g.spec.VPCs {
		return -1, -1
	}
	return vi ^ 1, vi / 2
}

// nextPublicIP hands out interface public IPs from 44.192.0.0/11.
func (g *gen) nextPublicIP() netip.Addr {
	g.publicIPs++
	n := uint32(44)<<24 | uint32(192)<<16 | g.publicIPs
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

// natIP is the Elastic IP of VPC i's NAT gateway, from 3.208.0.0/12.
func natIP(i int) netip.Addr {
	n := uint32(3)<<24 | uint32(208)<<16 | uint32(i+1)
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
}

func mac(i int) string {
	const hex = "0123456789abcdef"
	b := []byte("0e:00:00:00:00:00")
	x := uint32(i) + 1
	for k := 0; k < 4; k++ {
		v := byte(x >> (8 * (3 - k)))
		b[6+3*k] = hex[v>>4]
		b[7+3*k] = hex[v&0xf]
	}
	return string(b)
}

// vpcPlan records what one VPC got, for the sample flows.
type vpcPlan struct {
	index   int
	block   netip.Prefix
	subnets []int // indexes in g.subnets
	groups  []int // indexes in g.sgs
	enis    []int // indexes in g.enis; 0 is the NAT's, 1-5 the sample hosts
}

// Write generates the estate s into dir/us-east-1/ and returns what it wrote.
// dir and the region folder are created if needed. Files are streamed through
// buffered writers with the AWS CLI's four-space indentation.
func Write(dir string, s Spec) (Summary, error) {
	if err := s.validate(); err != nil {
		return Summary{}, err
	}
	g := &gen{
		spec: s,
		rng:  rand.New(rand.NewPCG(uint64(s.Seed), 0x5eed_e57a7e)),
		sum:  Summary{Dir: dir},
	}
	plans := make([]vpcPlan, s.VPCs)
	spans := make([][2][9]int, s.VPCs)
	for i := range s.VPCs {
		spans[i][0] = g.lens()
		plans[i] = g.buildVPC(i)
		spans[i][1] = g.lens()
	}
	for _, i := range sampleVPCs(s.VPCs) {
		g.sum.Flows = append(g.sum.Flows, g.flows(plans[i])...)
	}
	g.count()
	if s.Regions > 0 {
		g.buildTransit(plans)
		g.sum.CrossFlows = g.crossFlows(plans)
		g.countTransit()
	}
	if err := g.writeAll(dir, spans); err != nil {
		return Summary{}, err
	}
	return g.sum, nil
}

// sampleVPCs are the VPCs whose sample flows Summary lists: the first, a
// middle one and the last.
func sampleVPCs(n int) []int {
	out := []int{0}
	for _, i := range []int{n / 2, n - 1} {
		if i != out[len(out)-1] {
			out = append(out, i)
		}
	}
	return out
}

func (g *gen) buildVPC(vi int) vpcPlan {
	s := g.spec
	nSub := share(s.Subnets, s.VPCs, vi)
	nENI := share(s.ENIs, s.VPCs, vi)
	nSG := share(s.SecurityGroups, s.VPCs, vi)
	nRT := share(s.RouteTables, s.VPCs, vi)
	nACL := share(s.NACLs, s.VPCs, vi)
	nRules := share(s.SGRules, s.VPCs, vi)

	block := vpcBlock(vi)
	vpcID := g.id("vpc-", kVPC, vi)
	rg := g.regionOf(vi)
	owner := g.ownerOf(vi)
	name := fmt.Sprintf("estate-%03d", vi)
	plan := vpcPlan{index: vi, block: block}

	g.vpcs = append(g.vpcs, awsVPC{
		CidrBlock: block.String(),
		CidrBlockAssociationSet: []cidrAssoc{{
			AssociationID:  g.id("vpc-cidr-assoc-", kCIDRAssoc, vi),
			CidrBlock:      block.String(),
			CidrBlockState: cidrState{State: "associated"},
		}},
		InstanceTenancy: "default",
		OwnerID:         owner,
		State:           "available",
		Tags:            nameTag(name),
		VpcID:           vpcID,
	})

	// Availability zones: two or three, rotating over the region's six.
	nAZ := 2 + (vi+1)%2
	azs := make([]int, nAZ)
	for k := range azs {
		azs[k] = (vi + k) % len(rg.azIDs)
	}

	// Subnets.
	subnetIDs := make([]string, nSub)
	subnetBlocks := make([]netip.Prefix, nSub)
	subnetAZ := make([]string, nSub)
	public := func(j int) bool { return j%5 == 0 }
	firstSubnet := len(g.subnets)
	for j := range nSub {
		id := g.id("subnet-", kSubnet, firstSubnet+j)
		az := azs[j%nAZ]
		sb := subnetBlock(block, j)
		subnetIDs[j], subnetBlocks[j], subnetAZ[j] = id, sb, rg.name+azNames[az]
		kind := "private"
		if public(j) {
			kind = "public"
		}
		plan.subnets = append(plan.subnets, len(g.subnets))
		g.subnets = append(g.subnets, awsSubnet{
			AvailabilityZone:        subnetAZ[j],
			AvailabilityZoneID:      rg.azIDs[az],
			AvailableIPAddressCount: hostsInSub24, // corrected once interfaces are placed
			CidrBlock:               sb.String(),
			MapPublicIPOnLaunch:     public(j),
			OwnerID:                 owner,
			State:                   "available",
			SubnetArn:               "arn:aws:ec2:" + rg.name + ":" + owner + ":subnet/" + id,
			SubnetID:                id,
			Tags:                    nameTag(fmt.Sprintf("%s-%s-%s-%d", name, kind, subnetAZ[j], j)),
			VpcID:                   vpcID,
		})
	}

	// Gateways.
	igwID := g.id("igw-", kIGW, vi)
	g.igws = append(g.igws, awsIGW{
		Attachments:       []awsIGWAttachment{{State: "available", VpcID: vpcID}},
		InternetGatewayID: igwID,
		OwnerID:           owner,
		Tags:              nameTag(name + "-igw"),
	})
	natID := g.id("nat-", kNAT, vi)
	vpceID := g.id("vpce-", kVPCE, vi)

	// Route tables.
	firstRT := len(g.rts)
	rtIDs := make([]string, nRT)
	for t := range nRT {
		rtIDs[t] = g.id("rtb-", kRT, firstRT+t)
	}
	hasS3 := func(t int) bool { return (t >= 2 && t%2 == 0) || (nRT == 2 && t == 0) }
	rtOf := func(j int) int { // -1: the main table, implicitly
		switch {
		case public(j):
			return 1
		case nRT == 2 || j%4 == 3:
			return -1
		}
		return 2 + (j-1)%(nRT-2)
	}
	var s3Tables []string
	for t := range nRT {
		rt := awsRouteTable{
			OwnerID:         owner,
			PropagatingVgws: []struct{}{},
			RouteTableID:    rtIDs[t],
			VpcID:           vpcID,
			Routes: []awsRoute{{
				DestinationCidrBlock: block.String(),
				GatewayID:            "local",
				Origin:               "CreateRouteTable",
				State:                "active",
			}},
			Associations: []awsRTAssoc{},
		}
		switch t {
		case 0:
			rt.Tags = nameTag(name + "-main")
			rt.Associations = append(rt.Associations, awsRTAssoc{
				AssociationState:        assocState{State: "associated"},
				Main:                    true,
				RouteTableAssociationID: g.id("rtbassoc-", kRTAssoc, firstRT*1024+1023),
				RouteTableID:            rtIDs[t],
			})
		case 1:
			rt.Tags = nameTag(name + "-public")
		default:
			rt.Tags = nameTag(fmt.Sprintf("%s-private-%d", name, t))
		}
		if t == 1 {
			rt.Routes = append(rt.Routes, awsRoute{DestinationCidrBlock: "0.0.0.0/0", GatewayID: igwID, Origin: "CreateRoute", State: "active"})
		} else {
			rt.Routes = append(rt.Routes, awsRoute{DestinationCidrBlock: "0.0.0.0/0", NatGatewayID: natID, Origin: "CreateRoute", State: "active"})
		}
		if hasS3(t) {
			rt.Routes = append(rt.Routes, awsRoute{DestinationPrefixListID: rg.s3PL, GatewayID: vpceID, Origin: "CreateRoute", State: "active"})
			s3Tables = append(s3Tables, rtIDs[t])
		}
		if s.Regions > 0 {
			// The estate's other VPCs through the transit gateway; the
			// peered VPC, more specific, over the peering connection.
			rt.Routes = append(rt.Routes, awsRoute{DestinationCidrBlock: "10.0.0.0/8", TransitGatewayID: g.tgwID(vi % s.Regions), Origin: "CreateRoute", State: "active"})
			if peer, k := g.peerOf(vi); peer >= 0 {
				rt.Routes = append(rt.Routes, awsRoute{DestinationCidrBlock: vpcBlock(peer).String(), VpcPeeringConnectionID: g.id("pcx-", kPCX, k), Origin: "CreateRoute", State: "active"})
			}
		}
		for j := range nSub {
			if rtOf(j) == t {
				rt.Associations = append(rt.Associations, awsRTAssoc{
					AssociationState:        assocState{State: "associated"},
					RouteTableAssociationID: g.id("rtbassoc-", kRTAssoc, (firstRT+t)*1024+j),
					RouteTableID:            rtIDs[t],
					SubnetID:                subnetIDs[j],
				})
			}
		}
		g.rts = append(g.rts, rt)
	}
	g.endpoints = append(g.endpoints, awsVPCEndpoint{
		CreationTimestamp:   createTime,
		DNSEntries:          []struct{}{},
		Groups:              []struct{}{},
		NetworkInterfaceIDs: []string{},
		OwnerID:             owner,
		PolicyDocument:      endpointPolicyDoc,
		RouteTableIDs:       s3Tables,
		ServiceName:         "com.amazonaws." + rg.name + ".s3",
		State:               "available",
		SubnetIDs:           []string{},
		Tags:                nameTag(name + "-s3"),
		VpcEndpointID:       vpceID,
		VpcEndpointType:     "Gateway",
		VpcID:               vpcID,
	})

	// Network ACLs.
	firstACL := len(g.nacls)
	for n := range nACL {
		aclID := g.id("acl-", kNACL, firstACL+n)
		acl := awsNACL{
			IsDefault:    n == 0,
			NetworkACLID: aclID,
			OwnerID:      owner,
			VpcID:        vpcID,
			Associations: []awsNACLAssoc{},
		}
		if n == 0 {
			acl.Tags = []tag{}
			acl.Entries = defaultACLEntries()
		} else {
			acl.Tags = nameTag(fmt.Sprintf("%s-acl-%d", name, n))
			acl.Entries = g.customACLEntries(block, n)
		}
		for j := n; j < nSub; j += nACL {
			acl.Associations = append(acl.Associations, awsNACLAssoc{
				NetworkACLAssociationID: g.id("aclassoc-", kNACLAssoc, firstSubnet+j),
				NetworkACLID:            aclID,
				SubnetID:                subnetIDs[j],
			})
		}
		g.nacls = append(g.nacls, acl)
	}

	// Security groups.
	firstSG := len(g.sgs)
	sgIDs := make([]string, nSG)
	sgNames := make([]string, nSG)
	for k := range nSG {
		sgIDs[k] = g.id("sg-", kSG, firstSG+k)
		switch k {
		case 0:
			sgNames[k] = "default"
		case 1:
			sgNames[k] = "web"
		case 2:
			sgNames[k] = "app"
		case 3:
			sgNames[k] = "data"
		case 4:
			sgNames[k] = "admin"
		default:
			sgNames[k] = fmt.Sprintf("svc-%03d", k)
		}
	}
	b := &sgBuilder{g: g, block: block, subnets: subnetBlocks, ids: sgIDs, s3PL: rg.s3PL, ddbPL: rg.ddbPL}
	rules := b.build(nRules)
	for k := range nSG {
		plan.groups = append(plan.groups, len(g.sgs))
		desc := sgNames[k] + " tier"
		if k == 0 {
			desc = "default VPC security group"
		}
		g.sgs = append(g.sgs, awsSecurityGroup{
			Description:         desc,
			GroupID:             sgIDs[k],
			GroupName:           sgNames[k],
			IPPermissions:       merge(rules[k].in, owner),
			IPPermissionsEgress: merge(rules[k].out, owner),
			OwnerID:             owner,
			VpcID:               vpcID,
		})
	}

	// Interfaces. Host numbers start at 4 (.0-.3 are reserved, as is .255).
	nextHost := make([]int, nSub)
	for j := range nextHost {
		nextHost[j] = 4
	}
	alloc := func(j int) netip.Addr {
		a := hostIn(subnetBlocks[j], nextHost[j])
		nextHost[j]++
		return a
	}
	groupsOf := func(ks ...int) []awsGroupIdentifier {
		out := make([]awsGroupIdentifier, len(ks))
		for n, k := range ks {
			out[n] = awsGroupIdentifier{GroupID: sgIDs[k], GroupName: sgNames[k]}
		}
		return out
	}
	firstENI := len(g.enis)

	// Interface 0: the NAT gateway's, in subnet 0.
	{
		eniID := g.id("eni-", kENI, firstENI)
		ip := alloc(0)
		pub := natIP(vi)
		assoc := &awsIPAssociation{
			AllocationID:  g.id("eipalloc-", kEIP, vi),
			AssociationID: g.id("eipassoc-", kEIPAssoc, vi),
			IPOwnerID:     owner,
			PublicDNSName: rg.publicDNSName(pub),
			PublicIP:      pub.String(),
		}
		plan.enis = append(plan.enis, len(g.enis))
		g.enis = append(g.enis, awsENI{
			Association: assoc,
			Attachment: &awsAttachment{
				AttachmentID:    g.id("ela-attach-", kAttach, firstENI),
				DeviceIndex:     1,
				InstanceOwnerID: "amazon-aws",
				Status:          "attached",
			},
			AvailabilityZone:   subnetAZ[0],
			Description:        "Interface for NAT Gateway " + natID,
			Groups:             []awsGroupIdentifier{},
			InterfaceType:      "nat_gateway",
			Ipv6Addresses:      []struct{}{},
			MacAddress:         mac(firstENI),
			NetworkInterfaceID: eniID,
			OwnerID:            owner,
			PrivateDNSName:     rg.dnsName(ip),
			PrivateIPAddress:   ip.String(),
			PrivateIPAddresses: []awsPrivateIP{{Association: assoc, Primary: true, PrivateDNSName: rg.dnsName(ip), PrivateIPAddress: ip.String()}},
			RequesterID:        "441824374128",
			RequesterManaged:   true,
			SourceDestCheck:    false,
			Status:             "in-use",
			SubnetID:           subnetIDs[0],
			TagSet:             []tag{},
			VpcID:              vpcID,
		})
		g.nats = append(g.nats, awsNATGateway{
			ConnectivityType: "public",
			CreateTime:       createTime,
			NatGatewayAddresses: []awsNATAddress{{
				AllocationID:       assoc.AllocationID,
				AssociationID:      assoc.AssociationID,
				IsPrimary:          true,
				NetworkInterfaceID: eniID,
				PrivateIP:          ip.String(),
				PublicIP:           pub.String(),
				Status:             "succeeded",
			}},
			NatGatewayID: natID,
			State:        "available",
			SubnetID:     subnetIDs[0],
			Tags:         nameTag(name + "-nat"),
			VpcID:        vpcID,
		})
	}

	// Interfaces 1-5: the sample hosts. Then the rest.
	type host struct {
		subnet int
		groups []int
		public bool
		role   string
	}
	samples := []host{
		{0, []int{1}, true, "web"},
		{1, []int{2}, false, "app"},
		{1, []int{2}, false, "app"},
		{1, []int{3}, false, "data"},
		{2, []int{4}, false, "admin"},
	}
	for e := 1; e < nENI; e++ {
		var h host
		if e <= len(samples) {
			h = samples[e-1]
		} else {
			j := e % nSub
			h = host{subnet: j, role: "svc"}
			h.public = public(j) && g.rng.IntN(2) == 0
			n := 1 + g.rng.IntN(min(3, nSG))
			for len(h.groups) < n {
				k := g.rng.IntN(nSG)
				dup := false
				for _, x := range h.groups {
					dup = dup || x == k
				}
				if !dup {
					h.groups = append(h.groups, k)
				}
			}
		}
		idx := firstENI + e
		eniID := g.id("eni-", kENI, idx)
		ip := alloc(h.subnet)
		addrs := []awsPrivateIP{{Primary: true, PrivateDNSName: rg.dnsName(ip), PrivateIPAddress: ip.String()}}
		var assoc *awsIPAssociation
		if h.public {
			pub := g.nextPublicIP()
			assoc = &awsIPAssociation{IPOwnerID: "amazon", PublicDNSName: rg.publicDNSName(pub), PublicIP: pub.String()}
			addrs[0].Association = assoc
		}
		if e > len(samples) && e%8 == 0 { // a secondary private address
			ip2 := alloc(h.subnet)
			addrs = append(addrs, awsPrivateIP{PrivateDNSName: rg.dnsName(ip2), PrivateIPAddress: ip2.String()})
		}
		plan.enis = append(plan.enis, len(g.enis))
		g.enis = append(g.enis, awsENI{
			Association: assoc,
			Attachment: &awsAttachment{
				AttachTime:          createTime,
				AttachmentID:        g.id("eni-attach-", kAttach, idx),
				DeleteOnTermination: true,
				DeviceIndex:         0,
				InstanceID:          g.id("i-", kInstance, idx),
				InstanceOwnerID:     owner,
				Status:              "attached",
			},
			AvailabilityZone:   subnetAZ[h.subnet],
			Description:        "Primary network interface",
			Groups:             groupsOf(h.groups...),
			InterfaceType:      "interface",
			Ipv6Addresses:      []struct{}{},
			MacAddress:         mac(idx),
			NetworkInterfaceID: eniID,
			OwnerID:            owner,
			PrivateDNSName:     rg.dnsName(ip),
			PrivateIPAddress:   ip.String(),
			PrivateIPAddresses: addrs,
			RequesterManaged:   false,
			SourceDestCheck:    true,
			Status:             "in-use",
			SubnetID:           subnetIDs[h.subnet],
			TagSet:             nameTag(fmt.Sprintf("%s-%s-%d", name, h.role, e)),
			VpcID:              vpcID,
		})
	}
	for j := range nSub {
		g.subnets[firstSubnet+j].AvailableIPAddressCount = hostsInSub24 - (nextHost[j] - 4)
	}
	return plan
}

func defaultACLEntries() []awsNACLEntry {
	var out []awsNACLEntry
	for _, egress := range []bool{true, false} {
		out = append(out,
			awsNACLEntry{CidrBlock: "0.0.0.0/0", Egress: egress, Protocol: "-1", RuleAction: "allow", RuleNumber: 100},
			awsNACLEntry{CidrBlock: "0.0.0.0/0", Egress: egress, Protocol: "-1", RuleAction: "deny", RuleNumber: 32767},
		)
	}
	return out
}

func (g *gen) customACLEntries(block netip.Prefix, n int) []awsNACLEntry {
	ports := func(a, b int) *awsPortRange { return &awsPortRange{From: a, To: b} }
	anyIP := "0.0.0.0/0"
	out := []awsNACLEntry{
		// Egress, as the CLI lists them: egress first, by rule number.
		{CidrBlock: anyIP, Egress: true, PortRange: ports(25, 25), Protocol: "6", RuleAction: "deny", RuleNumber: 50},
		{CidrBlock: anyIP, Egress: true, Protocol: "-1", RuleAction: "allow", RuleNumber: 100},
		{CidrBlock: anyIP, Egress: true, Protocol: "-1", RuleAction: "deny", RuleNumber: 32767},
		// Ingress.
		{CidrBlock: anyIP, PortRange: ports(3389, 3389), Protocol: "6", RuleAction: "deny", RuleNumber: 50},
	}
	// A few denied hosts, more on some ACLs than others.
	for k := range 1 + (n+g.rng.IntN(4))%5 {
		host := netip.AddrFrom4([4]byte{198, 51, 100, byte(1 + g.rng.IntN(254))})
		out = append(out, awsNACLEntry{CidrBlock: netip.PrefixFrom(host, 32).String(), Protocol: "-1", RuleAction: "deny", RuleNumber: 60 + 2*k})
	}
	out = append(out,
		awsNACLEntry{CidrBlock: block.String(), Protocol: "-1", RuleAction: "allow", RuleNumber: 100},
		awsNACLEntry{CidrBlock: anyIP, PortRange: ports(443, 443), Protocol: "6", RuleAction: "allow", RuleNumber: 110},
		awsNACLEntry{CidrBlock: anyIP, PortRange: ports(1024, 65535), Protocol: "6", RuleAction: "allow", RuleNumber: 120},
		awsNACLEntry{CidrBlock: anyIP, PortRange: ports(1024, 65535), Protocol: "17", RuleAction: "allow", RuleNumber: 130},
		awsNACLEntry{CidrBlock: anyIP, IcmpTypeCode: &awsICMPTypeCode{Code: -1, Type: -1}, Protocol: "1", RuleAction: "allow", RuleNumber: 140},
		awsNACLEntry{CidrBlock: anyIP, Protocol: "-1", RuleAction: "deny", RuleNumber: 32767},
	)
	return out
}

// rule is one flattened security group rule.
type rule struct {
	proto      string // "tcp", "udp", "icmp", "-1"
	from, to   int    // ports, or ICMP type and code; unused for "-1"
	cidr       string
	group      string
	prefixList string
}

type groupRules struct {
	in, out []rule
	seen    map[[2]rule]bool // [rule, {proto: "in"/"out"}] to avoid duplicates
}

func (gr *groupRules) add(egress bool, r rule) bool {
	dir := rule{proto: "in"}
	if egress {
		dir.proto = "out"
	}
	key := [2]rule{r, dir}
	if gr.seen[key] {
		return false
	}
	gr.seen[key] = true
	if egress {
		gr.out = append(gr.out, r)
	} else {
		gr.in = append(gr.in, r)
	}
	return true
}

type sgBuilder struct {
	g       *gen
	block   netip.Prefix
	subnets []netip.Prefix
	ids     []string
	s3PL    string
	ddbPL   string
}

// build returns the rules of each group of the VPC, n in all.
func (b *sgBuilder) build(n int) []groupRules {
	g := b.g
	rs := make([]groupRules, len(b.ids))
	for k := range rs {
		rs[k].seen = make(map[[2]rule]bool)
	}
	all := func(cidr string) rule { return rule{proto: "-1", cidr: cidr} }
	tcp := func(p int, r rule) rule { r.proto, r.from, r.to = "tcp", p, p; return r }
	vpc := b.block.String()
	anyIP := "0.0.0.0/0"
	total := 0
	add := func(k int, egress bool, r rule) {
		if rs[k].add(egress, r) {
			total++
		}
	}
	// The sample groups.
	add(0, false, rule{proto: "-1", group: b.ids[0]})
	add(0, true, all(anyIP))
	add(1, false, tcp(443, rule{cidr: anyIP}))
	add(1, false, tcp(22, rule{cidr: vpc}))
	add(1, true, all(anyIP))
	add(2, false, tcp(8080, rule{group: b.ids[1]}))
	add(2, false, rule{proto: "-1", group: b.ids[2]})
	add(2, true, all(anyIP))
	add(3, false, tcp(5432, rule{group: b.ids[2]}))
	add(3, true, tcp(443, rule{prefixList: b.s3PL}))
	add(3, true, all(vpc))
	add(4, false, tcp(3389, rule{cidr: vpc}))
	add(4, false, tcp(22, rule{cidr: vpc}))
	add(4, true, all(anyIP))
	// Every other group gets one egress rule: mostly all traffic out, on
	// some only HTTPS to S3 and DynamoDB.
	for k := minGroups; k < len(rs); k++ {
		if k%7 == 0 {
			add(k, true, tcp(443, rule{prefixList: b.ddbPL}))
		} else {
			add(k, true, all(anyIP))
		}
	}
	// Fillers on random groups until the budget is spent.
	for total < n {
		k := g.rng.IntN(len(rs))
		egress, r := b.filler(k)
		if !rs[k].add(egress, r) {
			// Collided with an existing rule: take a peer nobody else has.
			g.fallback++
			f := g.fallback
			r = rule{proto: "tcp", from: 9443, to: 9443, cidr: netip.PrefixFrom(netip.AddrFrom4([4]byte{198, 18 + byte(f>>16&1), byte(f >> 8), byte(f)}), 32).String()}
			if !rs[k].add(false, r) {
				panic("estate: fallback rule collided") // unique by construction
			}
		}
		total++
	}
	return rs
}

// filler draws a random rule for group k; it never uses the ports of the
// sample flows nor "all traffic".
func (b *sgBuilder) filler(k int) (egress bool, r rule) {
	rng := b.g.rng
	peer := func() rule {
		switch x := rng.IntN(10); {
		case x < 3:
			return rule{cidr: b.subnets[rng.IntN(len(b.subnets))].String()}
		case x < 4:
			return rule{cidr: b.block.String()}
		case x < 6:
			net := [...]byte{203, 0, 113}
			if x == 5 {
				net = [...]byte{198, 51, 100}
			}
			return rule{cidr: netip.PrefixFrom(netip.AddrFrom4([4]byte{net[0], net[1], net[2], byte(rng.IntN(256))}), 32).String()}
		case x < 7:
			return rule{cidr: netip.PrefixFrom(netip.AddrFrom4([4]byte{192, 168, byte(rng.IntN(256)), 0}), 24).String()}
		}
		return rule{group: b.ids[rng.IntN(len(b.ids))]}
	}
	port := func(r rule, proto string, p int) rule { r.proto, r.from, r.to = proto, p, p; return r }
	switch x := rng.IntN(100); {
	case x < 60:
		return false, port(peer(), "tcp", fillerTCPPorts[rng.IntN(len(fillerTCPPorts))])
	case x < 70:
		return false, port(peer(), "udp", fillerUDPPorts[rng.IntN(len(fillerUDPPorts))])
	case x < 76:
		pr := fillerRanges[rng.IntN(len(fillerRanges))]
		r = peer()
		r.proto, r.from, r.to = "tcp", pr[0], pr[1]
		return false, r
	case x < 80:
		r = rule{cidr: b.block.String()}
		if rng.IntN(2) == 0 {
			r = rule{group: b.ids[k]}
		}
		r.proto, r.from, r.to = "icmp", -1, -1
		if rng.IntN(2) == 0 {
			r.from, r.to = 8, -1 // echo request
		}
		return false, r
	case x < 95:
		return true, port(peer(), "tcp", fillerTCPPorts[rng.IntN(len(fillerTCPPorts))])
	}
	pl := b.s3PL
	if rng.IntN(2) == 0 {
		pl = b.ddbPL
	}
	return true, port(rule{prefixList: pl}, "tcp", []int{80, 8443}[rng.IntN(2)])
}

// merge folds flattened rules into IpPermissions as AWS returns them: one
// permission per protocol and port range, its peers grouped by kind, in
// first-seen order.
func merge(rules []rule, owner string) []awsPermission {
	out := []awsPermission{}
	index := map[[3]int]int{}
	protoKey := map[string]int{"-1": -1, "tcp": 6, "udp": 17, "icmp": 1}
	for _, r := range rules {
		key := [3]int{protoKey[r.proto], r.from, r.to}
		i, ok := index[key]
		if !ok {
			p := awsPermission{
				IPProtocol:       r.proto,
				IPRanges:         []awsIPRange{},
				Ipv6Ranges:       []struct{}{},
				PrefixListIDs:    []awsPrefixListID{},
				UserIDGroupPairs: []awsGroupPair{},
			}
			if r.proto != "-1" {
				p.FromPort, p.ToPort = intp(r.from), intp(r.to)
			}
			i = len(out)
			index[key] = i
			out = append(out, p)
		}
		p := &out[i]
		switch {
		case r.group != "":
			p.UserIDGroupPairs = append(p.UserIDGroupPairs, awsGroupPair{GroupID: r.group, UserID: owner})
		case r.prefixList != "":
			p.PrefixListIDs = append(p.PrefixListIDs, awsPrefixListID{PrefixListID: r.prefixList})
		default:
			p.IPRanges = append(p.IPRanges, awsIPRange{CidrIP: r.cidr})
		}
	}
	return out
}

// flows are the sample flows of one VPC (see the package comment for why
// each has the outcome it has).
func (g *gen) flows(p vpcPlan) []Flow {
	eni := func(k int) *awsENI { return &g.enis[p.enis[k]] }
	web, app1, app2, data, admin := eni(1), eni(2), eni(3), eni(4), eni(5)
	tag := fmt.Sprintf("@%d", p.index)
	f := func(name string, from *awsENI, to string, toIP string, port int, want, at string, via ...string) Flow {
		return Flow{
			Name: name + tag, From: from.NetworkInterfaceID, FromIP: from.PrivateIPAddress,
			To: to, ToIP: toIP, Protocol: "tcp", Port: port, Want: want, BlockedAt: at, Via: via,
		}
	}
	const ok, no = "reachable", "blocked"
	return []Flow{
		// app -> app in subnet 1: the app group admits all from itself; no ACL.
		f("same-subnet", app1, app2.NetworkInterfaceID, app2.PrivateIPAddress, 8080, ok, ""),
		// web (subnet 0) -> app (subnet 1): app admits 8080 from web; the
		// default and custom ACLs allow the VPC and the ephemeral reply.
		f("cross-subnet", web, app1.PrivateIPAddress, app1.PrivateIPAddress, 8080, ok, ""),
		// web has a public IP and sits in a public subnet.
		f("internet-via-igw", web, InternetHost, InternetHost, 443, ok, "", "internet-gateway"),
		// app in private subnet 1 -> main/private table -> NAT -> IGW.
		f("internet-via-nat", app1, InternetHost, InternetHost, 443, ok, "", "nat-gateway", "internet-gateway"),
		// data in subnet 1 (table 2 routes the S3 list to the endpoint);
		// data's egress allows tcp 443 to the S3 prefix list.
		f("s3-gateway-endpoint", data, g.regionOf(p.index).s3Host, g.regionOf(p.index).s3Host, 443, ok, "", "vpc-endpoint"),
		// data admits 5432 only from the app group; web is not in it.
		f("blocked-by-sg-ingress", web, data.PrivateIPAddress, data.PrivateIPAddress, 5432, no, "security-group"),
		// data may only send tcp 443 to S3 and anything to the VPC.
		f("blocked-by-sg-egress", data, InternetHost, InternetHost, 443, no, "security-group"),
		// admin admits 3389 from the VPC, but subnet 2's custom ACL denies
		// tcp 3389 in at rule 50.
		f("blocked-by-nacl", app1, admin.PrivateIPAddress, admin.PrivateIPAddress, 3389, no, "network-acl"),
	}
}

// count fills the summary's counts from what was generated.
func (g *gen) count() {
	s := &g.sum
	s.VPCs = len(g.vpcs)
	s.Subnets = len(g.subnets)
	s.ENIs = len(g.enis)
	instances := map[string]bool{}
	for i := range g.enis {
		e := &g.enis[i]
		if e.InterfaceType == "nat_gateway" {
			s.NATENIs++
		}
		if e.Attachment != nil && e.Attachment.InstanceID != "" {
			instances[e.Attachment.InstanceID] = true
		}
		s.PrivateIPs += len(e.PrivateIPAddresses)
		for _, a := range e.PrivateIPAddresses {
			if a.Association != nil {
				s.PublicIPs++
			}
		}
	}
	s.Instances = len(instances)
	s.SecurityGroups = len(g.sgs)
	for i := range g.sgs {
		s.SGIngressRules += countPeers(g.sgs[i].IPPermissions)
		s.SGEgressRules += countPeers(g.sgs[i].IPPermissionsEgress)
	}
	s.SGRules = s.SGIngressRules + s.SGEgressRules
	s.RouteTables = len(g.rts)
	for i := range g.rts {
		s.Routes += len(g.rts[i].Routes)
		for _, a := range g.rts[i].Associations {
			if !a.Main {
				s.SubnetRTAssocs++
			}
		}
	}
	s.NACLs = len(g.nacls)
	for i := range g.nacls {
		s.NACLEntries += len(g.nacls[i].Entries)
		s.NACLAssocs += len(g.nacls[i].Associations)
	}
	s.InternetGateways = len(g.igws)
	s.NATGateways = len(g.nats)
	s.VPCEndpoints = len(g.endpoints)
	s.PrefixLists = 2
}

func countPeers(ps []awsPermission) int {
	n := 0
	for _, p := range ps {
		n += len(p.IPRanges) + len(p.UserIDGroupPairs) + len(p.PrefixListIDs) + len(p.Ipv6Ranges)
	}
	return n
}

func mkdir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("estate: %w", err)
	}
	return nil
}

func (g *gen) writeAll(dir string, spans [][2][9]int) error {
	w := &fileWriter{dir: dir, sum: &g.sum}
	w.enc = json.NewEncoder(&w.buf)
	w.enc.SetEscapeHTML(false)
	w.enc.SetIndent("        ", "    ")
	if g.spec.Regions > 0 {
		g.writeTransit(w, spans)
		return w.err
	}
	w.region = filepath.Join(dir, Region)
	if err := mkdir(w.region); err != nil {
		return err
	}
	prefixLists := []awsPrefixList{
		{Cidrs: s3CIDRs, PrefixListID: S3PrefixList, PrefixListName: s3ServiceName},
		{Cidrs: ddbCIDRs, PrefixListID: DynamoDBPrefixList, PrefixListName: ddbServiceName},
	}
	writeList(w, fileVPCs, "Vpcs", g.vpcs)
	writeList(w, fileSubnets, "Subnets", g.subnets)
	writeList(w, fileRouteTables, "RouteTables", g.rts)
	writeList(w, fileNACLs, "NetworkAcls", g.nacls)
	writeList(w, fileSGs, "SecurityGroups", g.sgs)
	writeList(w, fileENIs, "NetworkInterfaces", g.enis)
	writeList(w, fileIGWs, "InternetGateways", g.igws)
	writeList(w, fileNATs, "NatGateways", g.nats)
	writeList(w, fileEndpoints, "VpcEndpoints", g.endpoints)
	writeList(w, filePrefixLists, "PrefixLists", prefixLists)
	return w.err
}

type fileWriter struct {
	dir, region string
	sum         *Summary
	buf         bytes.Buffer
	enc         *json.Encoder
	err         error
}

// writeList streams {"key": [items...]} into region/name, one item at a
// time, indented as the AWS CLI indents.
func writeList[T any](w *fileWriter, name, key string, items []T) {
	if w.err != nil {
		return
	}
	path := filepath.Join(w.region, name)
	f, err := os.Create(path)
	if err != nil {
		w.err = fmt.Errorf("estate: %w", err)
		return
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	cw := &countWriter{w: bw}
	fail := func(err error) {
		if w.err == nil && err != nil {
			w.err = fmt.Errorf("estate: writing %s: %w", path, err)
		}
	}
	if len(items) == 0 {
		_, err = fmt.Fprintf(cw, "{\n    %q: []\n}\n", key)
		fail(err)
	} else {
		_, err = fmt.Fprintf(cw, "{\n    %q: [\n", key)
		fail(err)
		for i := range items {
			w.buf.Reset()
			if err := w.enc.Encode(&items[i]); err != nil {
				fail(err)
				break
			}
			b := bytes.TrimSuffix(w.buf.Bytes(), []byte("\n"))
			cw.WriteString("        ")
			cw.Write(b)
			if i < len(items)-1 {
				cw.WriteString(",\n")
			} else {
				cw.WriteString("\n")
			}
		}
		_, err = cw.WriteString("    ]\n}\n")
		fail(err)
	}
	fail(bw.Flush())
	fail(f.Close())
	rel, _ := filepath.Rel(w.dir, path)
	w.sum.Files = append(w.sum.Files, filepath.ToSlash(rel))
	w.sum.Bytes += cw.n
}

// writeObject writes v into region/name as the AWS CLI prints one
// response.
func writeObject(w *fileWriter, name string, v any) {
	if w.err != nil {
		return
	}
	path := filepath.Join(w.region, name)
	b, err := json.MarshalIndent(v, "", "    ")
	if err == nil {
		err = os.WriteFile(path, append(b, '\n'), 0o644)
	}
	if err != nil {
		w.err = fmt.Errorf("estate: writing %s: %w", path, err)
		return
	}
	rel, _ := filepath.Rel(w.dir, path)
	w.sum.Files = append(w.sum.Files, filepath.ToSlash(rel))
	w.sum.Bytes += int64(len(b) + 1)
}

// countWriter counts bytes; bufio keeps the first write error and returns it
// again from Flush, so per-write errors need no checks here.
type countWriter struct {
	w *bufio.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (c *countWriter) WriteString(s string) (int, error) {
	n, err := c.w.WriteString(s)
	c.n += int64(n)
	return n, err
}
