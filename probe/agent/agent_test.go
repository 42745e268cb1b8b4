package agent

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/probe"
)

// testZone answers the test names (style.md: a real dns.Server with its own
// handler, never the package's global mux).
func testZone(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	q := req.Question[0]
	a := func(name, ip string) dns.RR {
		rr, _ := dns.NewRR(fmt.Sprintf("%s 60 IN A %s", name, ip))
		return rr
	}
	cname := func(name, target string) dns.RR {
		rr, _ := dns.NewRR(fmt.Sprintf("%s 60 IN CNAME %s", name, target))
		return rr
	}
	tcp := w.RemoteAddr().Network() == "tcp"
	switch q.Name {
	case "nx.test.":
		m.Rcode = dns.RcodeNameError
	case "fail.test.":
		m.Rcode = dns.RcodeServerFailure
	case "big.test.":
		if !tcp {
			m.Truncated = true
			break
		}
		for i := 1; i <= 40; i++ {
			m.Answer = append(m.Answer, a(q.Name, fmt.Sprintf("10.0.9.%d", i)))
		}
	case "a.test.":
		m.Answer = append(m.Answer, cname("a.test.", "b.test."), cname("b.test.", "c.test."), a("c.test.", "10.0.3.5"), a("c.test.", "10.0.3.69"))
	case "partial.test.":
		m.Answer = append(m.Answer, cname("partial.test.", "c.test."))
	case "c.test.":
		m.Answer = append(m.Answer, a("c.test.", "10.0.3.5"), a("c.test.", "10.0.3.69"))
	case "pub.test.":
		m.Answer = append(m.Answer, a(q.Name, "52.1.2.3"))
	case "slow.test.":
		return // never answers
	}
	_ = w.WriteMsg(m)
}

// startDNS runs a UDP and a TCP server on one loopback port.
func startDNS(t *testing.T) string {
	t.Helper()
	for attempt := 0; attempt < 20; attempt++ {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := pc.LocalAddr().String()
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			pc.Close()
			continue
		}
		h := dns.HandlerFunc(testZone)
		for _, s := range []*dns.Server{{PacketConn: pc, Handler: h}, {Listener: ln, Handler: h}} {
			started := make(chan struct{})
			s.NotifyStartedFunc = func() { close(started) }
			go func() { _ = s.ActivateAndServe() }()
			<-started
			t.Cleanup(func() { _ = s.Shutdown() })
		}
		return addr
	}
	t.Fatal("no free port for UDP and TCP at once")
	return ""
}

func TestQueryDNS(t *testing.T) {
	server := startDNS(t)
	ctx := context.Background()
	cases := []struct {
		name, outcome, rcode, transport, class string
		answers                                int
		chain                                  string
	}{
		{"nx.test", probe.Answered, "NXDOMAIN", "udp", "none", 0, "nx.test"},
		{"fail.test", probe.Answered, "SERVFAIL", "udp", "none", 0, "fail.test"},
		{"big.test", probe.Answered, "NOERROR", "tcp", "private", 40, "big.test"},
		{"a.test", probe.Answered, "NOERROR", "udp", "private", 2, "a.test > b.test > c.test"},
		{"partial.test", probe.Answered, "NOERROR", "udp", "private", 2, "partial.test > c.test"},
		{"pub.test", probe.Answered, "NOERROR", "udp", "public", 1, "pub.test"},
		{"slow.test", probe.DNSTimeout, "", "udp", "none", 0, "slow.test"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o := QueryDNS(ctx, server, c.name, 300*time.Millisecond, probe.Expectation{})
			got := fmt.Sprintf("%s %s %s %s %d %s", o.Outcome, o.Rcode, o.Transport, o.Class, len(o.Answers), strings.Join(o.Chain, " > "))
			want := fmt.Sprintf("%s %s %s %s %d %s", c.outcome, c.rcode, c.transport, c.class, c.answers, c.chain)
			if got != want {
				t.Errorf("got  %s\nwant %s (error %q)", got, want, o.Error)
			}
			if c.name == "big.test" && !o.Truncated {
				t.Error("the truncated UDP answer is not recorded")
			}
			if o.Outcome == probe.Answered && o.RTTMS <= 0 {
				t.Errorf("no round-trip time: %v", o.RTTMS)
			}
		})
	}
}

func TestQueryDNSExpected(t *testing.T) {
	server := startDNS(t)
	want := probe.Expectation{Verdict: "allow", Rcode: "NOERROR", Answers: []string{"10.0.3.69", "10.0.3.5"}, Endpoint: "vpce-1"}
	o := QueryDNS(context.Background(), server, "a.test", time.Second, want)
	if !o.Expected || o.Endpoint != "vpce-1" {
		t.Errorf("a.test: expected=%v endpoint=%q, want true vpce-1", o.Expected, o.Endpoint)
	}
	o = QueryDNS(context.Background(), server, "pub.test", time.Second, want)
	if o.Expected || o.Endpoint != "" {
		t.Errorf("pub.test: expected=%v endpoint=%q, want false", o.Expected, o.Endpoint)
	}
}

func TestConnectOpenRefusedLoopback(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	port := uint16(ln.Addr().(*net.TCPAddr).Port)
	if o := Connect(context.Background(), "127.0.0.1", port, time.Second, false, ""); o.Outcome != probe.Open {
		t.Errorf("listening port: %s (%s), want open", o.Outcome, o.Error)
	}
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cport := uint16(closed.Addr().(*net.TCPAddr).Port)
	closed.Close()
	o := Connect(context.Background(), "127.0.0.1", cport, time.Second, false, "")
	if o.Outcome != probe.Refused {
		t.Errorf("closed port: %s (%s), want refused", o.Outcome, o.Error)
	}
	if o.LatencyMS < 0 {
		t.Errorf("latency %v", o.LatencyMS)
	}
}

func TestConnectTLSReportsNames(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "dbc-1.cloud.databricks.com"},
		DNSNames: []string{"dbc-1.cloud.databricks.com", "*.privatelink.cloud.databricks.com"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _ = c.(*tls.Conn).Handshake(); c.Close() }()
		}
	}()
	port := uint16(ln.Addr().(*net.TCPAddr).Port)
	o := Connect(context.Background(), "127.0.0.1", port, 2*time.Second, true, "x.privatelink.cloud.databricks.com")
	if o.Outcome != probe.Open || o.TLS == nil || o.TLS.Error != "" {
		t.Fatalf("got %+v %+v", o, o.TLS)
	}
	if !o.TLS.NameMatches || len(o.TLS.Names) != 2 || o.TLS.Names[0] != "dbc-1.cloud.databricks.com" {
		t.Errorf("TLS names %v match %v", o.TLS.Names, o.TLS.NameMatches)
	}
	o = Connect(context.Background(), "127.0.0.1", port, 2*time.Second, true, "other.example.com")
	if o.TLS == nil || o.TLS.NameMatches {
		t.Errorf("SNI other.example.com: match = true, want false")
	}
}

// TestRunBoundsAndOrder runs a plan on loopback: every check gets its
// observation in plan order, and the overall deadline leaves the rest
// not-run rather than hanging.
func TestRunBoundsAndOrder(t *testing.T) {
	server := startDNS(t)
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	cport := closed.Addr().(*net.TCPAddr).Port
	closed.Close()
	plan := &probe.Plan{SchemaVersion: 1, Kind: "vpcpath-probe-plan", TimeoutMS: 500, DeadlineMS: 5000, Concurrency: 2, Checks: []probe.Check{
		{ID: "dns-1", Kind: probe.KindDNS, Name: "a.test", Expect: probe.Expectation{Verdict: "allow", Rcode: "NOERROR", Answers: []string{"10.0.3.5", "10.0.3.69"}}},
		{ID: "dns-2", Kind: probe.KindDNS, Name: "nx.test"},
		{ID: "tcp-1", Kind: probe.KindTCP, Host: "127.0.0.1", Ports: &model.PortRange{First: uint16(cport), Last: uint16(cport + 2)}},
	}}
	rep, err := Run(context.Background(), plan, Options{Resolver: server, IMDS: ""})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Host.IMDS != "disabled" || rep.Host.Resolver != server || rep.Host.ResolverFrom != "--resolver" {
		t.Errorf("host %+v", rep.Host)
	}
	if d := rep.Results[0].DNS; d == nil || !d.Expected {
		t.Errorf("dns-1: %+v", d)
	}
	if d := rep.Results[1].DNS; d == nil || d.Rcode != "NXDOMAIN" {
		t.Errorf("dns-2: %+v", d)
	}
	if tcp := rep.Results[2].TCP; len(tcp) != 3 || tcp[0].Port != uint16(cport) || tcp[0].Outcome != probe.Refused {
		t.Errorf("tcp-1: %+v", tcp)
	}
}

func TestResolverFromConf(t *testing.T) {
	f := t.TempDir() + "/resolv.conf"
	os.WriteFile(f, []byte("search ec2.internal\nnameserver 10.0.0.2\nnameserver 1.1.1.1\n"), 0o644)
	got, err := ResolverFromConf(f)
	if err != nil || got != "10.0.0.2:53" {
		t.Errorf("got %q %v", got, err)
	}
	if _, err := ResolverFromConf(t.TempDir() + "/none"); err == nil {
		t.Error("a missing resolv.conf is no error")
	}
}

// TestConnectTimeoutUnreachableInNetns classifies a drop and an unreachable
// in a network namespace of its own: 10.99.0.2 lies behind a veth whose
// peer has no address and drops every frame (timeout), 10.98.0.0/24 has an
// "unreachable" route (unreachable). Nothing leaves the namespace.
func TestConnectTimeoutUnreachableInNetns(t *testing.T) {
	if os.Getenv("VPCPATH_NETNS_HELPER") == "1" {
		return // run by netnsHelper below
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to make a network namespace (CI runs it as root)")
	}
	ipBin, err := exec.LookPath("ip")
	if err != nil {
		t.Skip("needs the ip tool (iproute2; scripts/setup.sh installs it)")
	}
	ns := fmt.Sprintf("vpa-%d", os.Getpid())
	if out, err := exec.Command(ipBin, "netns", "add", ns).CombinedOutput(); err != nil {
		t.Skipf("cannot make a network namespace here: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command(ipBin, "netns", "del", ns).Run() })
	for _, args := range [][]string{
		{"link", "set", "lo", "up"},
		{"link", "add", "va", "type", "veth", "peer", "name", "vb"},
		{"addr", "add", "10.99.0.1/24", "dev", "va"},
		{"link", "set", "va", "up"},
		{"link", "set", "vb", "up"},
		{"neigh", "add", "10.99.0.2", "lladdr", "02:00:00:00:00:99", "dev", "va", "nud", "permanent"},
		{"route", "add", "unreachable", "10.98.0.0/24"},
	} {
		if out, err := exec.Command(ipBin, append([]string{"-n", ns}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("ip %v: %v %s", args, err, out)
		}
	}
	cmd := exec.Command(ipBin, "netns", "exec", ns, os.Args[0], "-test.run=^TestNetnsHelper$", "-test.v")
	cmd.Env = append(os.Environ(), "VPCPATH_NETNS_HELPER=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	var got map[string]string
	for _, line := range strings.Split(string(out), "\n") {
		if s, ok := strings.CutPrefix(line, "OUTCOMES "); ok {
			if err := json.Unmarshal([]byte(s), &got); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := map[string]string{"10.99.0.2": probe.Timeout, "10.98.0.7": probe.Unreachable, "127.0.0.1": probe.Refused}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

// TestNetnsHelper runs inside the namespace made above.
func TestNetnsHelper(t *testing.T) {
	if os.Getenv("VPCPATH_NETNS_HELPER") != "1" {
		t.Skip("helper of TestConnectTimeoutUnreachableInNetns")
	}
	got := map[string]string{}
	for _, host := range []string{"10.99.0.2", "10.98.0.7", "127.0.0.1"} {
		o := Connect(context.Background(), host, 9, 700*time.Millisecond, false, "")
		got[host] = o.Outcome
		t.Logf("%s: %s %s", host, o.Outcome, o.Error)
	}
	b, _ := json.Marshal(got)
	fmt.Printf("\nOUTCOMES %s\n", b)
}

// TestDeadlineIsNotADrop: a check cut short by the run's deadline is
// not-run, never a timeout (which would read as a drop on the way).
func TestDeadlineIsNotADrop(t *testing.T) {
	server := startDNS(t)
	plan := &probe.Plan{SchemaVersion: 1, Kind: "vpcpath-probe-plan", TimeoutMS: 5000, DeadlineMS: 300, Concurrency: 1, Checks: []probe.Check{
		{ID: "dns-1", Kind: probe.KindDNS, Name: "slow.test"},
		{ID: "dns-2", Kind: probe.KindDNS, Name: "a.test"},
	}}
	start := time.Now()
	rep, err := Run(context.Background(), plan, Options{Resolver: server})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the run took %v past a 300ms deadline", d)
	}
	for _, r := range rep.Results {
		if r.DNS.Outcome != probe.NotRun {
			t.Errorf("%s: %s (%s), want not-run", r.Check.ID, r.DNS.Outcome, r.DNS.Error)
		}
	}
}

// TestInstanceIDFromIMDSv2 serves instance metadata on loopback (the
// address is injectable; real tests never contact 169.254.169.254): a
// token first, then the ID with the token.
func TestInstanceIDFromIMDSv2(t *testing.T) {
	const token = "tok-123"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPut && r.URL.Path == "/latest/api/token" && r.Header.Get("X-aws-ec2-metadata-token-ttl-seconds") != "":
			fmt.Fprint(w, token)
		case r.Method == http.MethodGet && r.URL.Path == "/latest/meta-data/instance-id" && r.Header.Get("X-aws-ec2-metadata-token") == token:
			fmt.Fprint(w, "i-0a0000000000c0001\n")
		default:
			http.Error(w, "no", http.StatusUnauthorized)
		}
	}))
	defer srv.Close()
	h := HostContext(context.Background(), strings.TrimPrefix(srv.URL, "http://"))
	if h.InstanceID != "i-0a0000000000c0001" || h.IMDS != "ok" {
		t.Errorf("host %+v", h)
	}
	if h := HostContext(context.Background(), ""); h.IMDS != "disabled" || h.InstanceID != "" {
		t.Errorf("disabled: %+v", h)
	}
	srv.Close()
	start := time.Now()
	h = HostContext(context.Background(), strings.TrimPrefix(srv.URL, "http://"))
	if h.InstanceID != "" || !strings.Contains(h.IMDS, "not reachable") || time.Since(start) > 2*time.Second {
		t.Errorf("closed metadata: %+v after %v", h, time.Since(start))
	}
}
