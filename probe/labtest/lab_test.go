package labtest

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/vpcpath/vpcpath/probe"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv("VPCPATH_LAB_HELPER"); mode != "" {
		os.Exit(helper(mode))
	}
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

// moduleRoot is the folder holding go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// binaries builds vpcpath (for probe-plan and validate, on the host) and
// vpcpath-probe (the agent run on the lab's node) once, static (CGO off),
// in a folder any user can read.
func binaries(t *testing.T) (vpcpath, agent string) {
	t.Helper()
	buildOnce.Do(func() {
		// go test puts the go command that runs it first on PATH.
		goBin, err := exec.LookPath("go")
		if err != nil {
			buildErr = errors.New("no go tool to build the binaries")
			return
		}
		if binDir, buildErr = os.MkdirTemp("", "vpcpath-lab-"); buildErr != nil {
			return
		}
		_ = os.Chmod(binDir, 0o755)
		cmd := exec.Command(goBin, "build", "-o", binDir+string(filepath.Separator), "./cmd/vpcpath", "./cmd/vpcpath-probe")
		cmd.Dir = moduleRoot(t)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(binDir, "vpcpath"), filepath.Join(binDir, "vpcpath-probe")
}

// TestBinaryIsStatic: the probe is one file to copy onto a node; with CGO
// off it (and vpcpath too) must need no dynamic loader and no shared
// library.
func TestBinaryIsStatic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binaries")
	}
	vpcpath, agent := binaries(t)
	for _, bin := range []string{agent, vpcpath} {
		f, err := elf.Open(bin)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("%s asks for a dynamic loader (PT_INTERP): not static", filepath.Base(bin))
			}
		}
		if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
			t.Errorf("%s needs shared libraries %v", filepath.Base(bin), libs)
		}
		if st, err := os.Stat(bin); err == nil {
			t.Logf("%s: %.1f MB", filepath.Base(bin), float64(st.Size())/(1<<20))
		}
		f.Close()
	}
}

// ---------------------------------------------------------------------------
// The lab network.
//
//	node (10.0.1.5, sg-f1 as nftables output/input rules, stateful)
//	  |  veth
//	rtr  (10.0.1.1 | 10.0.3.1 | 10.0.3.65 | 10.0.0.1; network ACLs as
//	  |   stateless forward rules)
//	  +-- epa (endpoints-a: 10.0.3.5 .6 .7 .8, sg-f2 ingress, stateful)
//	  +-- epb (endpoints-b: 10.0.3.69 .70 .71 .72, sg-f2)
//	  +-- dns (10.0.0.2, the "Amazon resolver": a miekg/dns server)
//
// The addresses and rules are those of testdata/examples/databricks-
// privatelink. No namespace has a default route and none is linked to the
// host's: traffic cannot leave the lab.
// ---------------------------------------------------------------------------

type lab struct {
	t     *testing.T
	ns    map[string]string // role -> namespace name
	bin   string            // vpcpath, run on the host
	agent string            // vpcpath-probe, run in the node's namespace
}

func requireLab(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("the network lab is not short")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the network lab needs Linux network namespaces")
	}
	if os.Geteuid() != 0 {
		t.Skip("the network lab needs root (network namespaces, nftables); CI runs it as root")
	}
	for _, tool := range []string{"ip", "nft", "setpriv"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the network lab needs %s (scripts/setup.sh installs iproute2 and nftables)", tool)
		}
	}
}

// nsPrefix starts the name of every namespace the lab makes, and of no
// other: the names are nsPrefix + ROLE-PID-SEQ, PID the test process that
// owns them.
const nsPrefix = "vpl-"

var (
	labSeq     atomic.Int64
	staleOnce  sync.Once
	staleGone  []string
	staleError error
)

// nsOwner returns the process that made a lab namespace, from its name;
// ok is false for a name of another form (an older lab's).
func nsOwner(name string) (pid int, ok bool) {
	f := strings.Split(strings.TrimPrefix(name, nsPrefix), "-")
	if !strings.HasPrefix(name, nsPrefix) || len(f) != 3 {
		return 0, false
	}
	pid, err := strconv.Atoi(f[1])
	return pid, err == nil && pid > 0
}

// alive says whether a process exists (a zombie counts as gone).
func alive(pid int) bool {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// pid (comm) STATE ...: comm may hold spaces and parentheses.
	s := string(data)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z' && s[i+2] != 'X'
	}
	return true
}

// netnsList returns the names of the host's named network namespaces.
func netnsList() ([]string, error) {
	out, err := exec.Command("ip", "netns", "list").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("ip netns list: %v %s", err, out)
	}
	var names []string
	for _, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	return names, nil
}

// netnsPIDs returns the processes inside a named network namespace.
func netnsPIDs(name string) []int {
	out, _ := exec.Command("ip", "netns", "pids", name).Output()
	var pids []int
	for _, f := range strings.Fields(string(out)) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// removeNetns kills every process inside a lab namespace (helpers, a probe
// still running), then deletes it: "ip netns del" alone only drops the name
// while a process keeps the namespace, and its links, alive.
func removeNetns(name string) error {
	if !strings.HasPrefix(name, nsPrefix) {
		return fmt.Errorf("%s is not a lab namespace", name)
	}
	for end := time.Now().Add(3 * time.Second); ; {
		pids := netnsPIDs(name)
		if len(pids) == 0 {
			break
		}
		if time.Now().After(end) {
			return fmt.Errorf("processes %v in %s outlived SIGKILL", pids, name)
		}
		for _, pid := range pids {
			if pid != os.Getpid() {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if out, err := exec.Command("ip", "netns", "del", name).CombinedOutput(); err != nil {
		return fmt.Errorf("ip netns del %s: %v %s", name, err, out)
	}
	return nil
}

// removeStaleNamespaces deletes the lab namespaces an earlier run left
// behind (a test process killed before its cleanups ran): those whose
// owner process is gone, and those named the older way, without an owner.
// A live run's namespaces and every other namespace stay.
func removeStaleNamespaces() (removed []string, err error) {
	names, err := netnsList()
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, name := range names {
		if !strings.HasPrefix(name, nsPrefix) {
			continue
		}
		if pid, ok := nsOwner(name); ok && (pid == os.Getpid() || alive(pid)) {
			continue
		}
		if err := removeNetns(name); err != nil {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, name)
	}
	return removed, errors.Join(errs...)
}

// newNamespaces makes one lab namespace per role (the first role's failure
// skips: the host cannot make namespaces), removed when the test ends, with
// lo up in each.
func newNamespaces(t *testing.T, roles ...string) *lab {
	requireLab(t)
	staleOnce.Do(func() { staleGone, staleError = removeStaleNamespaces() })
	if staleError != nil {
		t.Fatalf("removing the namespaces of earlier runs: %v", staleError)
	}
	if len(staleGone) > 0 {
		t.Logf("removed namespaces left by earlier runs: %s", strings.Join(staleGone, " "))
	}
	l := &lab{t: t, ns: map[string]string{}}
	l.bin, l.agent = binaries(t)
	id := strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(labSeq.Add(1), 10)
	for i, role := range roles {
		name := nsPrefix + role + "-" + id
		if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
			if i == 0 {
				t.Skipf("cannot make a network namespace here: %v %s", err, out)
			}
			t.Fatalf("ip netns add %s: %v %s", name, err, out)
		}
		l.ns[role] = name
		t.Cleanup(func() {
			if err := removeNetns(name); err != nil {
				t.Error(err)
			}
		})
	}
	for _, ns := range l.ns {
		l.ip(ns, "link", "set", "lo", "up")
	}
	return l
}

func newLab(t *testing.T) *lab {
	l := newNamespaces(t, "node", "rtr", "epa", "epb", "dns")
	// Router legs: (leg name in rtr, router address, peer role, peer addresses, prefix length).
	legs := []struct {
		leg, rtrAddr, role string
		addrs              []string
		bits               string
	}{
		{"rnode", "10.0.1.1", "node", []string{"10.0.1.5"}, "24"},
		{"repa", "10.0.3.1", "epa", []string{"10.0.3.5", "10.0.3.6", "10.0.3.7", "10.0.3.8"}, "26"},
		{"repb", "10.0.3.65", "epb", []string{"10.0.3.69", "10.0.3.70", "10.0.3.71", "10.0.3.72"}, "26"},
		{"rdns", "10.0.0.1", "dns", []string{"10.0.0.2"}, "24"},
	}
	rtr := l.ns["rtr"]
	for _, g := range legs {
		peer := l.ns[g.role]
		l.ip(rtr, "link", "add", g.leg, "type", "veth", "peer", "name", "eth0", "netns", peer)
		l.ip(rtr, "addr", "add", g.rtrAddr+"/"+g.bits, "dev", g.leg)
		l.ip(rtr, "link", "set", g.leg, "up")
		for _, a := range g.addrs {
			l.ip(peer, "addr", "add", a+"/"+g.bits, "dev", "eth0")
		}
		l.ip(peer, "link", "set", "eth0", "up")
		// Only the VPC's CIDR, never a default route.
		l.ip(peer, "route", "add", "10.0.0.0/16", "via", g.rtrAddr)
	}
	l.run(rtr, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1")
	l.isolated()

	// Security groups: stateful (ct state), allow-only, per namespace.
	// sg-0a0000000000000f1 (databricks-workspace-sg) on the node. The
	// Amazon resolver (10.0.0.2) is not filtered by groups.
	l.nft("node", `
table inet sg {
  chain out {
    type filter hook output priority 0; policy drop;
    oif lo accept
    ct state established,related accept
    ip daddr 10.0.0.2 accept
    ip daddr { 10.0.1.5, 10.0.2.5 } accept
    tcp dport { 443, 3306, 53, 2443 } accept
    udp dport 53 accept
    ip daddr { 10.0.3.5, 10.0.3.6, 10.0.3.7, 10.0.3.8, 10.0.3.69, 10.0.3.70, 10.0.3.71, 10.0.3.72 } tcp dport { 6666, 8443-8451 } accept
  }
  chain in {
    type filter hook input priority 0; policy drop;
    iif lo accept
    ct state established,related accept
    ip saddr { 10.0.1.5, 10.0.2.5 } accept
  }
}`)
	// sg-0a0000000000000f2 (databricks-vpce-sg) on every endpoint interface.
	sgF2 := `
table inet sg {
  chain in {
    type filter hook input priority 0; policy drop;
    iif lo accept
    ct state established,related accept
    ip saddr { 10.0.1.5, 10.0.2.5 } tcp dport { 443, 2443, 5432, 6666, 8443-8451 } accept
  }
}`
	l.nft("epa", sgF2)
	l.nft("epb", sgF2)
	// Network ACLs: stateless, at the subnet boundary (the router).
	// acl-0a0000000000000d1 on workspace-a, outbound: #100 all to
	// 10.0.0.0/16, #110-#150 tcp 443, 3306, 6666, 2443, 8443-8451, * deny;
	// inbound #100 all. acl-0a0000000000000d0 (endpoints, public) allows
	// all both ways.
	l.nft("rtr", `
table inet acl {
  chain acl_forward {
    type filter hook forward priority 0; policy accept;
    iifname "rnode" ip daddr 10.0.0.0/16 accept
    iifname "rnode" tcp dport { 443, 3306, 6666, 2443, 8443-8451 } accept
    iifname "rnode" drop
  }
}`)
	// The lab's services: listeners on the endpoints, the resolver.
	l.serve("epa", "tcp:443,6666,8443-8451")
	l.serve("epb", "tcp:443,6666,8443-8451")
	l.serve("dns", "dns")
	return l
}

// isolated checks that traffic cannot leave the lab: no namespace has a
// default route, and every link but lo has its peer in a lab namespace.
func (l *lab) isolated() {
	l.t.Helper()
	own := map[string]bool{}
	for _, ns := range l.ns {
		own[ns] = true
	}
	for role, ns := range l.ns {
		for _, family := range []string{"-4", "-6"} {
			out, err := exec.Command("ip", "-n", ns, family, "route", "show", "default").CombinedOutput()
			if err != nil || strings.TrimSpace(string(out)) != "" {
				l.t.Fatalf("%s: ip %s route show default: %v %s", role, family, err, out)
			}
		}
		out, err := exec.Command("ip", "-n", ns, "-o", "link", "show").CombinedOutput()
		if err != nil {
			l.t.Fatalf("%s: ip link show: %v %s", role, err, out)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.Fields(line)
			if len(f) < 2 || f[1] == "lo:" {
				continue
			}
			peer := ""
			for i := range f[:len(f)-1] {
				if f[i] == "link-netns" {
					peer = f[i+1]
				}
			}
			if !own[peer] {
				l.t.Fatalf("%s: link %s has its peer outside the lab (link-netns %q):\n%s", role, f[1], peer, line)
			}
		}
	}
}

// TestStaleNamespacesRemoved: a run killed before its cleanups leaves its
// namespaces and helpers behind. The next run removes them, processes
// first, and leaves alone a live run's namespaces and namespaces of any
// other name.
func TestStaleNamespacesRemoved(t *testing.T) {
	requireLab(t)
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	sleeper := exec.Command("sleep", "60")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sleeper.Process.Kill(); _ = sleeper.Wait() })
	if alive(gone.Process.Pid) || !alive(sleeper.Process.Pid) {
		t.Skip("process IDs reused too fast to tell a dead owner")
	}
	stale := nsPrefix + "node-" + strconv.Itoa(gone.Process.Pid) + "-1"
	legacy := nsPrefix + "node-" + strconv.Itoa(os.Getpid()) + "123" // the older names: no owner
	ours := nsPrefix + "node-" + strconv.Itoa(os.Getpid()) + "-999999"
	live := nsPrefix + "node-" + strconv.Itoa(sleeper.Process.Pid) + "-1"
	other := "vpx-node-" + strconv.Itoa(gone.Process.Pid) + "-1"
	for _, name := range []string{stale, legacy, ours, live, other} {
		if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
			t.Skipf("cannot make a network namespace here: %v %s", err, out)
		}
		t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	}
	// A helper the killed run left running in its namespace.
	helper := exec.Command("ip", "netns", "exec", stale, "sleep", "60")
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = helper.Process.Kill() })
	exited := make(chan error, 1)
	go func() { exited <- helper.Wait() }()
	for end := time.Now().Add(5 * time.Second); len(netnsPIDs(stale)) == 0; {
		if time.Now().After(end) {
			t.Fatal("the helper never entered the stale namespace")
		}
		time.Sleep(10 * time.Millisecond)
	}

	removed, err := removeStaleNamespaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{stale, legacy} {
		if !slices.Contains(removed, name) {
			t.Errorf("%s not removed (removed %v)", name, removed)
		}
	}
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		t.Error("the helper in the stale namespace still runs")
	}
	names, err := netnsList()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{stale, legacy} {
		if slices.Contains(names, name) {
			t.Errorf("%s still exists", name)
		}
	}
	for _, name := range []string{ours, live, other} {
		if !slices.Contains(names, name) || slices.Contains(removed, name) {
			t.Errorf("%s was removed: it is not stale", name)
		}
	}
	if err := removeNetns(other); err == nil {
		t.Error("removeNetns accepts a namespace that is not the lab's")
	}
}

func (l *lab) run(ns string, args ...string) string {
	l.t.Helper()
	out, err := exec.Command("ip", append([]string{"netns", "exec", ns}, args...)...).CombinedOutput()
	if err != nil {
		l.t.Fatalf("ip netns exec %s %v: %v\n%s", ns, args, err, out)
	}
	return string(out)
}

func (l *lab) ip(ns string, args ...string) {
	l.t.Helper()
	if out, err := exec.Command("ip", append([]string{"-n", ns}, args...)...).CombinedOutput(); err != nil {
		l.t.Fatalf("ip -n %s %v: %v\n%s", ns, args, err, out)
	}
}

func (l *lab) nft(role, ruleset string) {
	l.t.Helper()
	cmd := exec.Command("ip", "netns", "exec", l.ns[role], "nft", "-f", "-")
	cmd.Stdin = strings.NewReader(ruleset)
	if out, err := cmd.CombinedOutput(); err != nil {
		l.t.Fatalf("nft in %s: %v\n%s", role, err, out)
	}
}

// serve starts this test binary as a helper inside a namespace and waits
// until it listens. It stops when the test ends (its stdin closes).
func (l *lab) serve(role, mode string) {
	l.t.Helper()
	cmd := exec.Command("ip", "netns", "exec", l.ns[role], os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "VPCPATH_LAB_HELPER="+mode)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		l.t.Fatal(err)
	}
	l.t.Cleanup(func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sc.Text() == "READY" {
				ready <- nil
				_, _ = io.Copy(io.Discard, stdout)
				return
			}
		}
		ready <- fmt.Errorf("helper %s in %s ended before it was ready", mode, role)
	}()
	select {
	case err := <-ready:
		if err != nil {
			l.t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		l.t.Fatalf("helper %s in %s not ready after 10s", mode, role)
	}
}

// vpcpath runs vpcpath on the host; it returns stdout and the exit code.
func (l *lab) vpcpath(args ...string) (string, int) {
	l.t.Helper()
	return l.exec("vpcpath", exec.Command(l.bin, args...), args)
}

// probe runs vpcpath-probe in namespace ns as an ordinary user, as on a
// customer's node; it returns stdout and the exit code.
func (l *lab) probe(ns string, args ...string) (string, int) {
	l.t.Helper()
	return l.exec("vpcpath-probe", exec.Command("ip", append([]string{"netns", "exec", ns, "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", l.agent}, args...)...), args)
}

// exec runs cmd (the binary name with args); a failure to run or exit
// code 2 ends the test.
func (l *lab) exec(name string, cmd *exec.Cmd, args []string) (string, int) {
	l.t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		l.t.Fatalf("%s %v: %v", name, args, err)
	}
	if code == 2 {
		l.t.Fatalf("%s %v: exit 2\n%s", name, args, stderr.String())
	}
	return stdout.String(), code
}

// ---------------------------------------------------------------------------
// Helpers that run inside the lab's namespaces.
// ---------------------------------------------------------------------------

// zone is the lab resolver's view: what the Amazon resolver of the
// example's VPC answers (endpoint private DNS, the endpoints' own names, and
// the Databricks workspace name as a CNAME chain into the endpoint's
// private zone).
var zone = map[string][]string{
	"vpce-0a0000000000e0001-k3m9x2qd.vpce-svc-09143d1e626de2f04.us-east-1.vpce.amazonaws.com.": {"10.0.3.5", "10.0.3.69"},
	"vpce-0a0000000000e0002-7wq4h1zs.vpce-svc-00018a8c3ff62ffdf.us-east-1.vpce.amazonaws.com.": {"10.0.3.6", "10.0.3.70"},
	"sts.us-east-1.amazonaws.com.":                                          {"10.0.3.7", "10.0.3.71"},
	"vpce-0a0000000000e0003-p8d2n6ya.sts.us-east-1.vpce.amazonaws.com.":     {"10.0.3.7", "10.0.3.71"},
	"kinesis.us-east-1.amazonaws.com.":                                      {"10.0.3.8", "10.0.3.72"},
	"vpce-0a0000000000e0004-c5v0r3tj.kinesis.us-east-1.vpce.amazonaws.com.": {"10.0.3.8", "10.0.3.72"},
}

var cnames = map[string]string{
	"dbc-1234abcd-5678.cloud.databricks.com.":     "nvirginia.privatelink.cloud.databricks.com.",
	"nvirginia.privatelink.cloud.databricks.com.": "vpce-0a0000000000e0001-k3m9x2qd.vpce-svc-09143d1e626de2f04.us-east-1.vpce.amazonaws.com.",
}

func labZone(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	name := strings.ToLower(req.Question[0].Name)
	for i := 0; i < 8; i++ {
		if target, ok := cnames[name]; ok {
			rr, _ := dns.NewRR(fmt.Sprintf("%s 60 IN CNAME %s", name, target))
			m.Answer = append(m.Answer, rr)
			name = target
			continue
		}
		break
	}
	ips, ok := zone[name]
	if !ok {
		m.Rcode = dns.RcodeNameError
	}
	if req.Question[0].Qtype == dns.TypeA {
		for _, ip := range ips {
			rr, _ := dns.NewRR(fmt.Sprintf("%s 60 IN A %s", name, ip))
			m.Answer = append(m.Answer, rr)
		}
	}
	_ = w.WriteMsg(m)
}

// helper runs inside a namespace: "tcp:PORTS" accepts and closes
// connections on every port; "dns" serves labZone on UDP and TCP 53. It
// prints READY and runs until its stdin closes.
func helper(mode string) int {
	var closers []io.Closer
	switch {
	case strings.HasPrefix(mode, "tcp:"):
		for _, spec := range strings.Split(strings.TrimPrefix(mode, "tcp:"), ",") {
			first, last, _ := strings.Cut(spec, "-")
			if last == "" {
				last = first
			}
			a, _ := strconv.Atoi(first)
			b, _ := strconv.Atoi(last)
			for p := a; p <= b; p++ {
				ln, err := net.Listen("tcp", fmt.Sprintf("0.0.0.0:%d", p))
				if err != nil {
					fmt.Fprintln(os.Stderr, "lab helper:", err)
					return 1
				}
				closers = append(closers, ln)
				go func() {
					for {
						c, err := ln.Accept()
						if err != nil {
							return
						}
						c.Close()
					}
				}()
			}
		}
	case mode == "dns":
		h := dns.HandlerFunc(labZone)
		for _, netw := range []string{"udp", "tcp"} {
			s := &dns.Server{Addr: "10.0.0.2:53", Net: netw, Handler: h}
			started := make(chan struct{})
			s.NotifyStartedFunc = func() { close(started) }
			errc := make(chan error, 1)
			go func() { errc <- s.ListenAndServe() }()
			select {
			case <-started:
			case err := <-errc:
				fmt.Fprintln(os.Stderr, "lab helper:", err)
				return 1
			}
			closers = append(closers, closerFunc(s.Shutdown))
		}
	default:
		fmt.Fprintln(os.Stderr, "lab helper: unknown mode", mode)
		return 1
	}
	fmt.Println("READY")
	_, _ = io.Copy(io.Discard, os.Stdin)
	for _, c := range closers {
		c.Close()
	}
	return 0
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

// ---------------------------------------------------------------------------
// The test.
// ---------------------------------------------------------------------------

const workspace = "dbc-1234abcd-5678.cloud.databricks.com"

// TestProbeValidateInLab plans the databricks-privatelink profile for the
// node, probes from inside the node's namespace as an ordinary user, and
// validates against the snapshot: all agree. Then the lab drops tcp/8444 at
// one endpoint interface, which the snapshot does not know, and validate
// names that check as predicted reachable but dropped, with causes outside
// the model and a stale snapshot. Then it opens tcp/22 there, which the
// model blocks: predicted blocked but open.
func TestProbeValidateInLab(t *testing.T) {
	l := newLab(t)
	dir := publicDir(t)
	snap := filepath.Join(dir, "snap")
	if out, code := l.vpcpath("examples", "databricks-privatelink", "--export", snap); code != 0 {
		t.Fatalf("export: %d %s", code, out)
	}
	plan, _ := l.vpcpath("probe-plan", "--snapshot", snap, "--from", "10.0.1.5", "--profile", "databricks-privatelink",
		"--param", "workspace_host="+workspace, "--endpoint-name", workspace+"=vpce-0a0000000000e0001", "--timeout", "1s")
	planFile := filepath.Join(dir, "plan.json")
	writeFile(t, planFile, plan)
	var p probe.Plan
	if err := json.Unmarshal([]byte(plan), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Checks) < 10 {
		t.Fatalf("plan has %d checks:\n%s", len(p.Checks), plan)
	}

	// 1. The lab is the snapshot: everything agrees.
	v, code, text := l.probeAndValidate(dir, snap, "node", planFile, "report-1.json", "--resolver", "10.0.0.2", "--imds=")
	if code != 0 || v.Disagreements() != 0 || v.Summary[probe.Inconclusive] != 0 {
		t.Fatalf("first run: exit %d, want all agree:\n%s", code, text)
	}
	if v.Source.ENI != "eni-0a0000000000c0001" {
		t.Errorf("validate placed the probe on %s, want eni-0a0000000000c0001", v.Source.ENI)
	}
	sawChain := false
	for _, it := range v.Items {
		if it.Target == workspace && strings.Contains(it.Observed, "nvirginia.privatelink") {
			sawChain = true
		}
	}
	if !sawChain {
		t.Errorf("the workspace name's CNAME chain is not in the validation:\n%s", text)
	}
	t.Logf("all agree:\n%s", text)

	// 2. One rule the snapshot does not have: drop tcp/8444 at 10.0.3.5.
	l.run(l.ns["epa"], "nft", "insert", "rule", "inet", "sg", "in", "ip", "daddr", "10.0.3.5", "tcp", "dport", "8444", "drop")
	v, code, text = l.probeAndValidate(dir, snap, "node", planFile, "report-2.json", "--resolver", "10.0.0.2", "--imds=")
	if code != 1 {
		t.Fatalf("after the drop rule: exit %d, want 1:\n%s", code, text)
	}
	var bad []probe.Item
	for _, it := range v.Items {
		if it.Class != probe.Agree {
			bad = append(bad, it)
		}
	}
	if len(bad) != 1 {
		t.Fatalf("want exactly one disagreement, got %d:\n%s", len(bad), text)
	}
	it := bad[0]
	if it.Class != probe.ReachableButDropped || it.Target != "10.0.3.5 tcp/8444" || !strings.HasPrefix(it.Observed, probe.Timeout) {
		t.Errorf("disagreement %+v, want 10.0.3.5 tcp/8444 %s observed timeout", it, probe.ReachableButDropped)
	}
	if !hasCause(it, probe.OutsideModel, "host firewall") || !hasCause(it, probe.SnapshotStale, "re-collect") {
		t.Errorf("causes %+v: want a host firewall (outside the model) and a stale snapshot", it.Causes)
	}
	t.Logf("one drop the snapshot lacks:\n%s", text)

	// 3. The model blocks tcp/22 at sg-f2; the lab opens it.
	plan22, _ := l.vpcpath("probe-plan", "--snapshot", snap, "--from", "10.0.1.5", "--to", "10.0.3.5", "--port", "22", "--timeout", "1s")
	plan22File := filepath.Join(dir, "plan-22.json")
	writeFile(t, plan22File, plan22)
	v, code, text = l.probeAndValidate(dir, snap, "node", plan22File, "report-3.json", "--resolver", "10.0.0.2", "--imds=")
	if code != 0 || v.Summary[probe.Agree] != 1 {
		t.Fatalf("tcp/22 before opening: exit %d, want blocked as modelled:\n%s", code, text)
	}
	l.serve("epa", "tcp:22")
	l.run(l.ns["node"], "nft", "add", "rule", "inet", "sg", "out", "tcp", "dport", "22", "accept")
	l.run(l.ns["epa"], "nft", "add", "rule", "inet", "sg", "in", "tcp", "dport", "22", "accept")
	v, code, text = l.probeAndValidate(dir, snap, "node", plan22File, "report-4.json", "--resolver", "10.0.0.2", "--imds=")
	if code != 1 || v.Summary[probe.BlockedButOpen] != 1 {
		t.Fatalf("tcp/22 opened: exit %d, want predicted blocked but open:\n%s", code, text)
	}
	if it := v.Items[0]; !strings.Contains(it.Predicted, "sg-0a0000000000000f") || !hasCause(it, probe.SnapshotStale, "re-collect") {
		t.Errorf("item %+v: want the blocking group named and a stale snapshot among the causes", it)
	}
	t.Logf("a port the model blocks, open in the lab:\n%s", text)
}

// publicDir is a folder removed when the test ends that anyone may read:
// the probe runs as nobody and reads its plan there (t.TempDir's parent is
// private to root).
func publicDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "vpcpath-lab-run-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// probeAndValidate runs the probe with planFile in role's namespace as
// nobody, saves its report in dir as name, and validates it against snap:
// the JSON answer, validate's exit code and its text.
func (l *lab) probeAndValidate(dir, snap, role, planFile, name string, probeArgs ...string) (*probe.Validation, int, string) {
	l.t.Helper()
	report, code := l.probe(l.ns[role], append([]string{"--plan", planFile}, probeArgs...)...)
	if code != 0 {
		l.t.Fatalf("probe exit %d", code)
	}
	repFile := filepath.Join(dir, name)
	writeFile(l.t, repFile, report)
	text, _ := l.vpcpath("validate", "--snapshot", snap, "--report", repFile)
	out, code := l.vpcpath("validate", "--snapshot", snap, "--report", repFile, "-o", "json")
	var v probe.Validation
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		l.t.Fatalf("validate -o json: %v\n%s", err, out)
	}
	return &v, code, text
}

func hasCause(it probe.Item, class, text string) bool {
	for _, c := range it.Causes {
		if c.Class == class && strings.Contains(c.Text, text) {
			return true
		}
	}
	return false
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
