package labtest

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/probe"
)

// ---------------------------------------------------------------------------
// The two-VPC lab: two VPCs joined by a transit gateway.
//
//	a1 (10.1.1.10, lab-a's group)        b1 (10.2.1.10, 10.2.1.20, lab-b's group)
//	  | eth0 - rwork                          | eth0 - w
//	vpca: lab-a's VPC router             vpcb: lab-b's VPC router; lab-b-work's
//	  (10.1.1.1 | 10.1.0.1)                (10.2.1.1 | 10.2.0.1)    ACL
//	  | rattach - ta                       | rattach - tb
//	  +------------- tgw -----------------+
//	     the transit gateway: its interfaces 10.1.0.5 in lab-a-tgw and
//	     10.2.0.5 in lab-b-tgw; one Linux routing table per TGW route table,
//	     chosen by the attachment a packet arrives on (ip rule iif), then a
//	     blackhole rule: no route drops, as a TGW does.
//
// The snapshot is testdata/tgw-two-vpcs; the TGW's tables are programmed
// from its search-transit-gateway-routes files and attachment associations,
// so the router mirrors them by construction. Groups and ACLs are written by
// hand after the snapshot, as in the one-VPC lab. No namespace has a default
// route and none is linked to the host's.
// ---------------------------------------------------------------------------

const (
	tgwSnapDir  = "testdata/tgw-two-vpcs"
	tgwIntents  = "testdata/tgw-two-vpcs-intents.yaml"
	tgwSnapData = tgwSnapDir + "/111122223333/us-east-1"
)

// tgwVPC is one VPC of the lab: its router and host namespaces, the work
// subnet's gateway and host addresses, and the attachment subnet shared by
// the VPC router (leg rattach) and the transit gateway (leg tgwLeg).
type tgwVPC struct {
	id, router, host string
	workGW           string   // the router's address on the work subnet, with its length
	hostAddrs        []string // the host's addresses in the work subnet
	attachRtr        string   // the VPC router's address in the attachment subnet
	attachTGW        string   // the transit gateway's interface there
	tgwLeg           string   // its link name in the tgw namespace
}

var tgwVPCs = []tgwVPC{
	{"vpc-0a0000000000000a0", "vpca", "a1", "10.1.1.1/24", []string{"10.1.1.10"}, "10.1.0.1/28", "10.1.0.5/28", "ta"},
	{"vpc-0b0000000000000b0", "vpcb", "b1", "10.2.1.1/24", []string{"10.2.1.10", "10.2.1.20"}, "10.2.0.1/28", "10.2.0.5/28", "tb"},
}

func addrOf(prefix string) string { return strings.Split(prefix, "/")[0] }

// tgwTables is what newTGWLab programmed: the Linux table of each TGW route
// table.
type tgwTables map[string]int

func newTGWLab(t *testing.T) (*lab, tgwTables) {
	l := newNamespaces(t, "a1", "vpca", "tgw", "vpcb", "b1")
	for _, r := range []string{"vpca", "tgw", "vpcb"} {
		l.run(l.ns[r], "sysctl", "-q", "-w", "net.ipv4.ip_forward=1",
			"net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0")
	}
	tgw := l.ns["tgw"]
	for _, v := range tgwVPCs {
		rtr, host := l.ns[v.router], l.ns[v.host]
		// The work subnet: the host behind the VPC router.
		l.ip(rtr, "link", "add", "rwork", "type", "veth", "peer", "name", "eth0", "netns", host)
		l.ip(rtr, "addr", "add", v.workGW, "dev", "rwork")
		l.ip(rtr, "link", "set", "rwork", "up")
		for _, a := range v.hostAddrs {
			l.ip(host, "addr", "add", a+"/24", "dev", "eth0")
		}
		l.ip(host, "link", "set", "eth0", "up")
		// The lab's private range only, never a default route.
		l.ip(host, "route", "add", "10.0.0.0/8", "via", addrOf(v.workGW))
		// The attachment subnet: the TGW's interface beside the router.
		l.ip(rtr, "link", "add", "rattach", "type", "veth", "peer", "name", v.tgwLeg, "netns", tgw)
		l.ip(rtr, "addr", "add", v.attachRtr, "dev", "rattach")
		l.ip(rtr, "link", "set", "rattach", "up")
		l.ip(tgw, "addr", "add", v.attachTGW, "dev", v.tgwLeg)
		l.ip(tgw, "link", "set", v.tgwLeg, "up")
		// The VPC's route tables: local first (the router's connected
		// routes, in main); then the work subnet's table, 10.0.0.0/8 ->
		// tgw-. The attachment subnets use the main table: local only.
		l.ip(rtr, "rule", "add", "pref", "100", "lookup", "main")
		l.ip(rtr, "route", "add", "10.0.0.0/8", "via", addrOf(v.attachTGW), "dev", "rattach", "table", "10")
		l.ip(rtr, "rule", "add", "pref", "200", "iif", "rwork", "lookup", "10")
	}
	tables := l.programTGW(t)
	l.isolated()

	// Security groups, stateful, per host namespace. sg-0a00000000000a001
	// (lab-a): egress all; ingress tcp/22 from 10.0.0.0/8.
	l.nft("a1", `
table inet sg {
  chain in {
    type filter hook input priority 0; policy drop;
    iif lo accept
    ct state established,related accept
    ip saddr 10.0.0.0/8 tcp dport 22 accept
  }
}`)
	// sg-0b00000000000b001 (lab-b) on both of b1's interfaces: egress all;
	// ingress tcp/443 and tcp/8080-8081 from 10.1.0.0/16.
	l.nft("b1", `
table inet sg {
  chain in {
    type filter hook input priority 0; policy drop;
    iif lo accept
    ct state established,related accept
    ip saddr 10.1.0.0/16 tcp dport { 443, 8080-8081 } accept
  }
}`)
	// Network ACLs, stateless, at the subnet boundaries of lab-b's router
	// (a packet into a subnet meets its inbound rules, out of it its
	// outbound rules). acl-0b00000000000b001 on lab-b-work: inbound #90
	// deny tcp/8081 from 10.1.0.0/16, #100 allow all; outbound #100 allow
	// all. The other subnets' ACLs allow all both ways.
	l.nft("vpcb", `
table inet acl {
  chain b_work_in {
    ip saddr 10.1.0.0/16 tcp dport 8081 drop
  }
  chain acl_forward {
    type filter hook forward priority 0; policy accept;
    oifname "rwork" jump b_work_in
  }
}`)
	return l, tables
}

// programTGW gives the tgw namespace one routing table per transit gateway
// route table in the snapshot, with that table's routes (a static route
// over a propagated one for the same prefix; blackholes as blackholes), and
// the rules that pick the table by the attachment a packet arrives on.
func (l *lab) programTGW(t *testing.T) tgwTables {
	t.Helper()
	var atts struct {
		TransitGatewayAttachments []struct {
			TransitGatewayAttachmentId, ResourceId string
			Association                            *struct{ TransitGatewayRouteTableId string }
		}
	}
	readJSON(t, filepath.Join(tgwSnapData, "ec2-describe-transit-gateway-attachments.json"), &atts)
	leg := map[string]tgwVPC{} // attachment -> its VPC
	for _, a := range atts.TransitGatewayAttachments {
		for _, v := range tgwVPCs {
			if v.id == a.ResourceId {
				leg[a.TransitGatewayAttachmentId] = v
			}
		}
		if _, ok := leg[a.TransitGatewayAttachmentId]; !ok {
			t.Fatalf("attachment %s to %s: no such VPC in the lab", a.TransitGatewayAttachmentId, a.ResourceId)
		}
	}
	files, err := filepath.Glob(filepath.Join(tgwSnapData, "ec2-search-transit-gateway-routes-*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no transit gateway route files in %s (%v)", tgwSnapData, err)
	}
	sort.Strings(files)
	tgw := l.ns["tgw"]
	tables := tgwTables{}
	for i, f := range files {
		var rt struct {
			TransitGatewayRouteTableId string
			Routes                     []tgwRoute
		}
		readJSON(t, f, &rt)
		num := 100 + i
		tables[rt.TransitGatewayRouteTableId] = num
		routes := rt.Routes
		// Static first, so that it takes the prefix.
		slices.SortStableFunc(routes, func(a, b tgwRoute) int { return a.rank() - b.rank() })
		seen := map[string]bool{}
		for _, r := range routes {
			if seen[r.DestinationCidrBlock] {
				continue
			}
			seen[r.DestinationCidrBlock] = true
			table := strconv.Itoa(num)
			switch {
			case r.State == "blackhole":
				l.ip(tgw, "route", "add", "blackhole", r.DestinationCidrBlock, "table", table)
			case r.State == "active" && len(r.TransitGatewayAttachments) == 1:
				v, ok := leg[r.TransitGatewayAttachments[0].TransitGatewayAttachmentId]
				if !ok {
					t.Fatalf("%s: route %s to an attachment the lab lacks", f, r.DestinationCidrBlock)
				}
				l.ip(tgw, "route", "add", r.DestinationCidrBlock, "via", addrOf(v.attachRtr), "dev", v.tgwLeg, "onlink", "table", table)
			default:
				t.Fatalf("%s: route %s (%s, %d attachments): the lab cannot mirror it", f, r.DestinationCidrBlock, r.State, len(r.TransitGatewayAttachments))
			}
		}
	}
	for i, a := range atts.TransitGatewayAttachments {
		if a.Association == nil {
			continue
		}
		num, ok := tables[a.Association.TransitGatewayRouteTableId]
		if !ok {
			t.Fatalf("%s is associated with %s, which has no routes file", a.TransitGatewayAttachmentId, a.Association.TransitGatewayRouteTableId)
		}
		iif := leg[a.TransitGatewayAttachmentId].tgwLeg
		pref := 1000 + 10*i
		l.ip(tgw, "rule", "add", "pref", strconv.Itoa(pref), "iif", iif, "lookup", strconv.Itoa(num))
		l.ip(tgw, "rule", "add", "pref", strconv.Itoa(pref+1), "iif", iif, "blackhole")
	}
	return tables
}

// tgwRoute is one route of search-transit-gateway-routes output.
type tgwRoute struct {
	DestinationCidrBlock, Type, State string
	TransitGatewayAttachments         []struct{ TransitGatewayAttachmentId string }
}

// rank orders a static route before a propagated one.
func (r tgwRoute) rank() int {
	if r.Type == "static" {
		return 0
	}
	return 1
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestTransitGatewayLab plans the intents of testdata/tgw-two-vpcs-
// intents.yaml from lab-a's node, probes in its namespace, and validates
// against the snapshot: every check agrees, those the model passes through
// the transit gateway and those it blocks at an ACL, a group and a TGW
// blackhole. Then the TGW loses one route (10.2.0.0/16 in lab-a's table) in
// the router only, as if the network drifted from the snapshot: exactly the
// checks the model predicts reachable over that route become "predicted
// reachable but dropped"; those over the static /28 beside it, and the
// blocked ones, still agree.
func TestTransitGatewayLab(t *testing.T) {
	l, tables := newTGWLab(t)
	dir := publicDir(t)
	snap := filepath.Join(moduleRoot(t), "probe", "labtest", tgwSnapDir)
	plan, _ := l.vpcpath("probe-plan", "--snapshot", snap, "--from", "10.1.1.10",
		"--intents", filepath.Join(moduleRoot(t), "probe", "labtest", tgwIntents), "--timeout", "1s")
	planFile := filepath.Join(dir, "plan.json")
	writeFile(t, planFile, plan)
	var p probe.Plan
	if err := json.Unmarshal([]byte(plan), &p); err != nil {
		t.Fatal(err)
	}

	// lab-b listens on every port the plan connects to there.
	labB := netip.MustParsePrefix("10.2.0.0/16")
	var ports []string
	for _, c := range p.Checks {
		if a, err := netip.ParseAddr(c.Host); err == nil && labB.Contains(a) && c.Ports != nil && !slices.Contains(ports, c.Ports.String()) {
			ports = append(ports, c.Ports.String())
		}
	}
	if len(ports) == 0 {
		t.Fatalf("the plan connects to nothing in lab-b:\n%s", plan)
	}
	l.serve("b1", "tcp:"+strings.Join(ports, ","))

	// The checks that cross the route the test removes, as the model
	// predicts them: reachable, through lab-a's TGW table by 10.2.0.0/16.
	const rtA, removed = "tgw-rtb-0000000000000000a", "10.2.0.0/16"
	hop := "transit-gateway " + rtA + " forward allow: " + removed + " -> "
	crosses := map[string]bool{}
	verdicts := map[string]int{}
	for _, c := range p.Checks {
		verdicts[c.Expect.Verdict]++
		if c.Expect.Verdict == "reachable" && slices.ContainsFunc(c.Expect.Path, func(h string) bool { return strings.HasPrefix(h, hop) }) {
			crosses[c.ID] = true
		}
	}
	// The lab must tell the right checks from the others: some reachable
	// checks cross the route, some do not, and some are blocked.
	if len(crosses) == 0 || len(crosses) == verdicts["reachable"] || verdicts["blocked"] == 0 || verdicts["unknown"] != 0 {
		t.Fatalf("plan: %d checks %v, %d crossing %s in %s: want some reachable checks crossing it, some not, some blocked, none unknown:\n%s",
			len(p.Checks), verdicts, len(crosses), removed, rtA, plan)
	}

	// 1. The lab is the snapshot: everything agrees.
	v, code, text := l.probeAndValidate(dir, snap, "a1", planFile, "report-1.json", "--imds=")
	if code != 0 || v.Disagreements() != 0 || v.Summary[probe.Inconclusive] != 0 || v.Summary[probe.Agree] != len(p.Checks) {
		t.Fatalf("first run: exit %d, want all %d checks to agree:\n%s", code, len(p.Checks), text)
	}
	if v.Source.ENI != "eni-0a00000000000a010" {
		t.Errorf("validate placed the probe on %s, want eni-0a00000000000a010", v.Source.ENI)
	}
	t.Logf("all agree:\n%s", text)

	// 2. The transit gateway loses the route; the snapshot still has it.
	num, ok := tables[rtA]
	if !ok {
		t.Fatalf("no Linux table for %s (tables %v)", rtA, tables)
	}
	l.ip(l.ns["tgw"], "route", "del", removed, "table", strconv.Itoa(num))
	v, code, text = l.probeAndValidate(dir, snap, "a1", planFile, "report-2.json", "--imds=")
	if code != 1 {
		t.Fatalf("after removing %s from %s: exit %d, want 1:\n%s", removed, rtA, code, text)
	}
	if len(v.Items) != len(p.Checks) {
		t.Fatalf("validate has %d items for %d checks:\n%s", len(v.Items), len(p.Checks), text)
	}
	for _, it := range v.Items {
		switch {
		case crosses[it.Check]:
			if it.Class != probe.ReachableButDropped || !strings.HasPrefix(it.Observed, probe.Timeout) {
				t.Errorf("%s %s crosses %s in %s: class %s observed %q, want %s observed timeout", it.Check, it.Target, removed, rtA, it.Class, it.Observed, probe.ReachableButDropped)
			}
			// The route table hop is the one to look at.
			if want := "transit-gateway " + rtA + " forward (" + removed + " -> "; !strings.Contains(it.Detail, want) {
				t.Errorf("%s %s: detail %q does not name %q", it.Check, it.Target, it.Detail, want)
			}
			if !hasCause(it, probe.SnapshotStale, "re-collect") {
				t.Errorf("%s %s: causes %+v, want a stale snapshot among them", it.Check, it.Target, it.Causes)
			}
		case it.Class != probe.Agree:
			t.Errorf("%s %s does not cross %s in %s, yet %s (predicted %s, observed %s)", it.Check, it.Target, removed, rtA, it.Class, it.Predicted, it.Observed)
		}
	}
	if n := v.Summary[probe.ReachableButDropped]; n != len(crosses) || v.Disagreements() != len(crosses) {
		t.Errorf("%d predicted reachable but dropped, %d disagreements; want %d, the checks crossing the route:\n%s", n, v.Disagreements(), len(crosses), text)
	}
	t.Logf("one TGW route the lab lacks:\n%s", text)
}
