package main

import (
	"bytes"
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
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/miekg/dns"

	"github.com/vpcpath/vpcpath/probe"
)

// The ad hoc probe commands, "vpcpath probe dns NAME" and "vpcpath probe tcp
// HOST:PORT[-PORT]", run in-process against servers this file starts on
// 127.0.0.1: a miekg/dns server with its own handler, plain TCP listeners
// and a TLS listener with a self-signed certificate. Nothing else is
// contacted: every command gets --imds "" (and the ad hoc commands are shown
// not to ask instance metadata at all).

// vp runs vpcpath with args and returns stdout, stderr and the exit code.
func vp(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &streams{Out: &out, ErrOut: &errOut})
	return out.String(), errOut.String(), code
}

// ---------------------------------------------------------------------------
// A DNS server on loopback.
// ---------------------------------------------------------------------------

// query is one question the test resolver was asked.
type query struct {
	name, net string
	qtype     uint16
	edns0     uint16 // the advertised UDP size, 0 without EDNS0
}

type testResolver struct {
	addr string
	mu   sync.Mutex
	seen []query
}

func (r *testResolver) queries() []query {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]query(nil), r.seen...)
}

// serve answers the test zone:
//
//	ws.test      CNAME pl.test, pl.test CNAME ep.test, ep.test A 10.0.3.5 10.0.3.69 (one answer)
//	half.test    CNAME ep.test, without ep.test's addresses (a second query)
//	ep.test      A 10.0.3.5 10.0.3.69
//	pub.test     A 52.1.2.3;  mixed.test A 10.0.3.5 52.1.2.3
//	nx.test      NXDOMAIN;  nodata.test NOERROR without answers
//	loop.test    CNAME loop2.test, loop2.test CNAME loop.test
//	big.test     truncated over UDP, 40 addresses over TCP
//	slow.test    never answered
func (r *testResolver) serve(w dns.ResponseWriter, req *dns.Msg) {
	q := req.Question[0]
	seen := query{name: q.Name, net: w.RemoteAddr().Network(), qtype: q.Qtype}
	if opt := req.IsEdns0(); opt != nil {
		seen.edns0 = opt.UDPSize()
	}
	r.mu.Lock()
	r.seen = append(r.seen, seen)
	r.mu.Unlock()

	m := new(dns.Msg)
	m.SetReply(req)
	rr := func(s string) {
		x, err := dns.NewRR(s)
		if err != nil {
			panic(err)
		}
		m.Answer = append(m.Answer, x)
	}
	switch strings.ToLower(q.Name) {
	case "ws.test.":
		rr("ws.test. 60 IN CNAME pl.test.")
		rr("pl.test. 60 IN CNAME ep.test.")
		rr("ep.test. 60 IN A 10.0.3.69")
		rr("ep.test. 60 IN A 10.0.3.5")
	case "half.test.":
		rr("half.test. 60 IN CNAME ep.test.")
	case "ep.test.":
		rr("ep.test. 60 IN A 10.0.3.5")
		rr("ep.test. 60 IN A 10.0.3.69")
	case "pub.test.":
		rr("pub.test. 60 IN A 52.1.2.3")
	case "mixed.test.":
		rr("mixed.test. 60 IN A 10.0.3.5")
		rr("mixed.test. 60 IN A 52.1.2.3")
	case "nx.test.":
		m.Rcode = dns.RcodeNameError
	case "nodata.test.":
	case "loop.test.":
		rr("loop.test. 60 IN CNAME loop2.test.")
		rr("loop2.test. 60 IN CNAME loop.test.")
	case "loop2.test.":
		rr("loop2.test. 60 IN CNAME loop.test.")
		rr("loop.test. 60 IN CNAME loop2.test.")
	case "big.test.":
		if seen.net != "tcp" {
			m.Truncated = true
			break
		}
		for i := 1; i <= 40; i++ {
			rr(fmt.Sprintf("big.test. 60 IN A 10.0.9.%d", i))
		}
	case "slow.test.":
		return
	default:
		m.Rcode = dns.RcodeServerFailure
	}
	_ = w.WriteMsg(m)
}

// startResolver runs the test zone over UDP and TCP on one loopback port.
func startResolver(t *testing.T) *testResolver {
	t.Helper()
	r := &testResolver{}
	for attempt := 0; attempt < 20; attempt++ {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", pc.LocalAddr().String())
		if err != nil {
			pc.Close()
			continue
		}
		r.addr = pc.LocalAddr().String()
		h := dns.HandlerFunc(r.serve)
		for _, s := range []*dns.Server{{PacketConn: pc, Handler: h}, {Listener: ln, Handler: h}} {
			started := make(chan struct{})
			s.NotifyStartedFunc = func() { close(started) }
			go func() { _ = s.ActivateAndServe() }()
			<-started
			t.Cleanup(func() { _ = s.Shutdown() })
		}
		return r
	}
	t.Fatal("no loopback port free for UDP and TCP at once")
	return nil
}

// ---------------------------------------------------------------------------
// TCP and TLS listeners on loopback.
// ---------------------------------------------------------------------------

// listen accepts on ln until the test ends, handing each connection to
// handle (or closing it at once).
func listen(t *testing.T, ln net.Listener, handle func(net.Conn)) int {
	t.Helper()
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if handle == nil {
				c.Close()
				continue
			}
			wg.Add(1)
			go func() { defer wg.Done(); handle(c) }()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

// openPort listens on a loopback port and returns it.
func openPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return listen(t, ln, nil)
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return p
}

// openClosedOpen returns P with P and P+2 listening and P+1 closed.
func openClosedOpen(t *testing.T) int {
	t.Helper()
	for attempt := 0; attempt < 50; attempt++ {
		a, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := a.Addr().(*net.TCPAddr).Port
		if p > 65533 {
			a.Close()
			continue
		}
		mid, err1 := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+1))
		c, err2 := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p+2))
		if err1 == nil {
			mid.Close()
		}
		if err1 != nil || err2 != nil {
			a.Close()
			if err2 == nil {
				c.Close()
			}
			continue
		}
		listen(t, a, nil)
		listen(t, c, nil)
		return p
	}
	t.Fatal("no three consecutive free loopback ports")
	return 0
}

// tlsServer is a TLS listener with a self-signed certificate; it records
// the server name each client hello carried.
type tlsServer struct {
	port int
	mu   sync.Mutex
	snis []string
}

func (s *tlsServer) sawSNI() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.snis...)
}

func startTLS(t *testing.T, cn string, names ...string) *tlsServer {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: cn}, DNSNames: names,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	s := &tlsServer{}
	cert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	cfg := &tls.Config{GetCertificate: func(h *tls.ClientHelloInfo) (*tls.Certificate, error) {
		s.mu.Lock()
		s.snis = append(s.snis, h.ServerName)
		s.mu.Unlock()
		return &cert, nil
	}}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.port = listen(t, ln, func(c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		_ = c.(*tls.Conn).Handshake()
		c.Close()
	})
	return s
}

// noIMDS is an instance metadata server that must never be asked.
func noIMDS(t *testing.T) string {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "no", http.StatusForbidden)
	}))
	t.Cleanup(func() {
		srv.Close()
		if n := hits.Load(); n != 0 {
			t.Errorf("instance metadata was asked %d times", n)
		}
	})
	return strings.TrimPrefix(srv.URL, "http://")
}

var msRE = regexp.MustCompile(`[0-9]+\.[0-9] ms`)

// norm makes text output comparable: latencies become "N ms" and the
// given addresses their names.
func norm(s string, names ...string) string {
	s = msRE.ReplaceAllString(s, "N ms")
	for i := 0; i+1 < len(names); i += 2 {
		s = strings.ReplaceAll(s, names[i], names[i+1])
	}
	return s
}

// ---------------------------------------------------------------------------
// vpcpath probe dns
// ---------------------------------------------------------------------------

func TestProbeDNSText(t *testing.T) {
	r := startResolver(t)
	cases := []struct {
		name string
		code int
		want string
	}{
		{"ws.test", exitOK, `
DNS      ws.test  (asked R over udp, N ms)
RCODE    NOERROR
CHAIN    ws.test > pl.test > ep.test
ANSWERS  10.0.3.5, 10.0.3.69 (private)
`},
		{"half.test", exitOK, `
DNS      half.test  (asked R over udp, N ms)
RCODE    NOERROR
CHAIN    half.test > ep.test
ANSWERS  10.0.3.5, 10.0.3.69 (private)
`},
		{"pub.test", exitOK, `
DNS      pub.test  (asked R over udp, N ms)
RCODE    NOERROR
ANSWERS  52.1.2.3 (public)
`},
		{"mixed.test", exitOK, `
DNS      mixed.test  (asked R over udp, N ms)
RCODE    NOERROR
ANSWERS  10.0.3.5, 52.1.2.3 (mixed)
`},
		{"big.test", exitOK, ""}, // checked in JSON below
		{"nx.test", exitFinding, `
DNS      nx.test  (asked R over udp, N ms)
RCODE    NXDOMAIN
`},
		{"nodata.test", exitFinding, `
DNS      nodata.test  (asked R over udp, N ms)
RCODE    NOERROR
`},
		{"servfail.test", exitFinding, `
DNS      servfail.test  (asked R over udp, N ms)
RCODE    SERVFAIL
`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := vp(t, "probe", "dns", c.name, "--resolver", r.addr, "--imds=", "--timeout", "2s")
			if code != c.code || errOut != "" {
				t.Errorf("exit %d, want %d; stderr %q", code, c.code, errOut)
			}
			if c.want == "" {
				return
			}
			if got := norm(out, r.addr, "R"); got != c.want[1:] {
				t.Errorf("output:\n%s\nwant:\n%s", got, c.want[1:])
			}
		})
	}
}

// TestProbeDNSQuestion: every question is an A query with EDNS0 (a 1232
// byte UDP size); the truncated UDP answer is asked again over TCP; a
// chain the answer leaves unresolved is followed with a second question.
func TestProbeDNSQuestion(t *testing.T) {
	r := startResolver(t)
	for _, name := range []string{"big.test", "half.test"} {
		if _, errOut, code := vp(t, "probe", "dns", name, "--resolver", r.addr, "--imds="); code != exitOK {
			t.Fatalf("%s: exit %d %s", name, code, errOut)
		}
	}
	want := []query{
		{"big.test.", "udp", dns.TypeA, 1232},
		{"big.test.", "tcp", dns.TypeA, 1232},
		{"half.test.", "udp", dns.TypeA, 1232},
		{"ep.test.", "udp", dns.TypeA, 1232},
	}
	if d := cmp.Diff(want, r.queries(), cmp.AllowUnexported(query{})); d != "" {
		t.Errorf("questions (-want +got):\n%s", d)
	}
}

func TestProbeDNSJSON(t *testing.T) {
	r := startResolver(t)
	ep := []string{"10.0.3.5", "10.0.3.69"}
	big := make([]string, 40)
	for i := range big {
		big[i] = fmt.Sprintf("10.0.9.%d", i+1)
	}
	sort.Strings(big)
	cases := []struct {
		name string
		code int
		want probe.DNSObservation
	}{
		{"ws.test", exitOK, probe.DNSObservation{Outcome: probe.Answered, Rcode: "NOERROR", Transport: "udp",
			Chain: []string{"ws.test", "pl.test", "ep.test"}, Answers: ep, Class: "private"}},
		{"WS.Test.", exitOK, probe.DNSObservation{Outcome: probe.Answered, Rcode: "NOERROR", Transport: "udp",
			Chain: []string{"ws.test", "pl.test", "ep.test"}, Answers: ep, Class: "private"}},
		{"big.test", exitOK, probe.DNSObservation{Outcome: probe.Answered, Rcode: "NOERROR", Transport: "tcp", Truncated: true,
			Chain: []string{"big.test"}, Answers: big, Class: "private"}},
		{"nx.test", exitFinding, probe.DNSObservation{Outcome: probe.Answered, Rcode: "NXDOMAIN", Transport: "udp",
			Chain: []string{"nx.test"}, Answers: []string{}, Class: "none"}},
		{"nodata.test", exitFinding, probe.DNSObservation{Outcome: probe.Answered, Rcode: "NOERROR", Transport: "udp",
			Chain: []string{"nodata.test"}, Answers: []string{}, Class: "none"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := vp(t, "probe", "dns", c.name, "--resolver", r.addr, "--imds=", "-o", "json")
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr %q", code, c.code, errOut)
			}
			var got probe.DNSObservation
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			c.want.Resolver = r.addr
			// Answers come sorted (as strings).
			if d := cmp.Diff(c.want, got, cmpopts.IgnoreFields(probe.DNSObservation{}, "RTTMS")); d != "" {
				t.Errorf("observation (-want +got):\n%s", d)
			}
			if got.RTTMS <= 0 {
				t.Errorf("rtt_ms %v", got.RTTMS)
			}
			// The schema's lists are lists, never null.
			var raw map[string]json.RawMessage
			_ = json.Unmarshal([]byte(out), &raw)
			for _, k := range []string{"chain", "answers"} {
				if s := string(raw[k]); s == "null" || !strings.HasPrefix(s, "[") {
					t.Errorf("%q is %s, want a list", k, s)
				}
			}
		})
	}
}

// TestProbeDNSTimeoutAndLoop: a resolver that never answers is a timeout
// (exit 1) within the timeout; a CNAME loop ends, bounded, without
// addresses.
func TestProbeDNSTimeoutAndLoop(t *testing.T) {
	r := startResolver(t)
	start := time.Now()
	out, _, code := vp(t, "probe", "dns", "slow.test", "--resolver", r.addr, "--imds=", "--timeout", "300ms", "-o", "json")
	var o probe.DNSObservation
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if code != exitFinding || o.Outcome != probe.DNSTimeout || o.Rcode != "" || !strings.Contains(o.Error, "timeout") || o.Class != "none" {
		t.Errorf("slow.test: exit %d %+v, want exit 1 and a timeout", code, o)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("a 300ms timeout took %v", d)
	}
	out, _, _ = vp(t, "probe", "dns", "slow.test", "--resolver", r.addr, "--imds=", "--timeout", "300ms")
	if !regexp.MustCompile(`(?m)^OUTCOME  timeout: .*i/o timeout$`).MatchString(out) {
		t.Errorf("text:\n%s", out)
	}

	start = time.Now()
	out, _, code = vp(t, "probe", "dns", "loop.test", "--resolver", r.addr, "--imds=", "--timeout", "1s", "-o", "json")
	o = probe.DNSObservation{}
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if code != exitFinding || o.Outcome != probe.Answered || len(o.Answers) != 0 || len(o.Chain) < 2 || o.Chain[1] != "loop2.test" {
		t.Errorf("loop.test: exit %d %+v, want exit 1, the chain and no answers", code, o)
	}
	if n := len(r.queries()); n > 20 {
		t.Errorf("a CNAME loop made %d queries", n)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("a CNAME loop took %v", d)
	}
}

func TestProbeDNSErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"probe", "dns", "ws.test", "--resolver", "resolver.test"}, `vpcpath: --resolver "resolver.test": want IP[:PORT]` + "\n"},
		{[]string{"probe", "dns", "ws.test", "--resolver", "resolver.test:53"}, `vpcpath: --resolver "resolver.test:53": want IP[:PORT]` + "\n"},
		{[]string{"probe", "dns", "--resolver", "127.0.0.1:1"}, "vpcpath: accepts 1 arg(s), received 0\n"},
		{[]string{"probe", "dns", "a.test", "b.test", "--resolver", "127.0.0.1:1"}, "vpcpath: accepts 1 arg(s), received 2\n"},
	} {
		out, errOut, code := vp(t, c.args...)
		if code != exitError || out != "" || errOut != c.want {
			t.Errorf("%v: exit %d stdout %q stderr %q, want exit 2 and %q", c.args, code, out, errOut, c.want)
		}
	}
}

// ---------------------------------------------------------------------------
// vpcpath probe tcp
// ---------------------------------------------------------------------------

func TestProbeTCPText(t *testing.T) {
	open, closed := openPort(t), closedPort(t)
	p := openClosedOpen(t)
	cases := []struct {
		target string
		code   int
		want   string
	}{
		{fmt.Sprintf("127.0.0.1:%d", open), exitOK, "127.0.0.1:OPEN\topen\tN ms\n"},
		{fmt.Sprintf("127.0.0.1:%d", closed), exitFinding, "127.0.0.1:CLOSED\trefused\tN ms\tdial tcp 127.0.0.1:CLOSED: connect: connection refused\n"},
		{fmt.Sprintf("127.0.0.1:%d-%d", p, p+2), exitFinding, "127.0.0.1:P\topen\tN ms\n" +
			"127.0.0.1:P1\trefused\tN ms\tdial tcp 127.0.0.1:P1: connect: connection refused\n" +
			"127.0.0.1:P2\topen\tN ms\n"},
	}
	names := []string{strconv.Itoa(open), "OPEN", strconv.Itoa(closed), "CLOSED", strconv.Itoa(p + 2), "P2", strconv.Itoa(p + 1), "P1", strconv.Itoa(p), "P"}
	for _, c := range cases {
		out, errOut, code := vp(t, "probe", "tcp", c.target, "--imds=", "--timeout", "2s")
		if code != c.code || errOut != "" {
			t.Errorf("%s: exit %d, want %d; stderr %q", c.target, code, c.code, errOut)
		}
		if got := norm(out, names...); got != c.want {
			t.Errorf("%s:\n%s\nwant:\n%s", c.target, got, c.want)
		}
	}
}

func TestProbeTCPJSON(t *testing.T) {
	p := openClosedOpen(t)
	out, _, code := vp(t, "probe", "tcp", fmt.Sprintf("127.0.0.1:%d-%d", p, p+2), "--imds=", "-o", "json")
	if code != exitFinding {
		t.Errorf("exit %d, want 1 (one port refused)", code)
	}
	var got []probe.TCPObservation
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := []probe.TCPObservation{
		{Port: uint16(p), Outcome: probe.Open},
		{Port: uint16(p + 1), Outcome: probe.Refused, Error: fmt.Sprintf("dial tcp 127.0.0.1:%d: connect: connection refused", p+1)},
		{Port: uint16(p + 2), Outcome: probe.Open},
	}
	if d := cmp.Diff(want, got, cmpopts.IgnoreFields(probe.TCPObservation{}, "LatencyMS")); d != "" {
		t.Errorf("observations (-want +got):\n%s", d)
	}
	for _, o := range got {
		if o.LatencyMS <= 0 {
			t.Errorf("port %d: latency_ms %v", o.Port, o.LatencyMS)
		}
	}
}

// TestProbeTCPTLS shakes hands with a self-signed certificate for ws.test
// and *.pl.test: the SNI sent is the one asked for (none for an address
// without --sni), the certificate's names are reported, and a name
// mismatch or a failed handshake is reported, not an error (every port is
// open: exit 0).
func TestProbeTCPTLS(t *testing.T) {
	srv := startTLS(t, "ws.test", "ws.test", "*.pl.test")
	target := fmt.Sprintf("127.0.0.1:%d", srv.port)
	cases := []struct {
		sni   []string
		sent  string
		match bool
	}{
		{[]string{"--sni", "ws.test"}, "ws.test", true},
		{[]string{"--sni", "x.pl.test"}, "x.pl.test", true},
		{[]string{"--sni", "other.test"}, "other.test", false},
		{nil, "", false},
	}
	for i, c := range cases {
		args := append([]string{"probe", "tcp", target, "--tls", "--imds=", "-o", "json"}, c.sni...)
		out, errOut, code := vp(t, args...)
		if code != exitOK {
			t.Errorf("%v: exit %d %s", c.sni, code, errOut)
		}
		var got []probe.TCPObservation
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if len(got) != 1 || got[0].TLS == nil {
			t.Fatalf("%v: %s", c.sni, out)
		}
		want := &probe.TLSObservation{SNI: c.sent, Version: "TLS 1.3", Names: []string{"ws.test", "*.pl.test"}, Issuer: "CN=ws.test", NameMatches: c.match}
		if d := cmp.Diff(want, got[0].TLS, cmpopts.IgnoreFields(probe.TLSObservation{}, "LatencyMS")); d != "" {
			t.Errorf("%v: TLS (-want +got):\n%s", c.sni, d)
		}
		if sent := srv.sawSNI(); len(sent) != i+1 || sent[i] != c.sent {
			t.Errorf("%v: the server saw SNI %q, want %q last", c.sni, sent, c.sent)
		}
	}

	out, _, code := vp(t, "probe", "tcp", target, "--tls", "--sni", "x.pl.test", "--imds=")
	if want := "127.0.0.1:PORT\topen\tN ms\tTLS TLS 1.3 names=ws.test,*.pl.test sni=x.pl.test match=true\n"; code != exitOK || norm(out, strconv.Itoa(srv.port), "PORT") != want {
		t.Errorf("text: exit %d\n%s\nwant\n%s", code, out, want)
	}

	// Not TLS: the listener closes at once. The port is open; the
	// handshake's failure is shown.
	plain := openPort(t)
	out, _, code = vp(t, "probe", "tcp", fmt.Sprintf("127.0.0.1:%d", plain), "--tls", "--sni", "ws.test", "--imds=", "--timeout", "2s")
	if code != exitOK || !regexp.MustCompile(`^127\.0\.0\.1:[0-9]+\topen\t[0-9.]+ ms\tTLS failed: .+\n$`).MatchString(out) {
		t.Errorf("TLS to a plain listener: exit %d %q", code, out)
	}

	// A closed port has no handshake to report.
	closed := closedPort(t)
	out, _, code = vp(t, "probe", "tcp", fmt.Sprintf("127.0.0.1:%d", closed), "--tls", "--imds=", "-o", "json")
	if code != exitFinding || strings.Contains(out, `"tls"`) || !strings.Contains(out, `"outcome": "refused"`) {
		t.Errorf("TLS to a closed port: exit %d\n%s", code, out)
	}
}

// TestProbeTCPHostNameSNI: for a host name, the SNI defaults to the name.
// localhost comes from /etc/hosts; the test skips where it does not.
func TestProbeTCPHostNameSNI(t *testing.T) {
	hosts, _ := os.ReadFile("/etc/hosts")
	if !regexp.MustCompile(`(?m)^127\.0\.0\.1\s+(.*\s)?localhost(\s|$)`).Match(hosts) {
		t.Skip("/etc/hosts does not map localhost to 127.0.0.1: resolving it could leave the host")
	}
	srv := startTLS(t, "ws.test", "ws.test")
	out, errOut, code := vp(t, "probe", "tcp", fmt.Sprintf("localhost:%d", srv.port), "--tls", "--imds=", "-o", "json")
	if code != exitOK {
		t.Fatalf("exit %d %s\n%s", code, errOut, out)
	}
	var got []probe.TCPObservation
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 || got[0].TLS == nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got[0].TLS.SNI != "localhost" || got[0].TLS.NameMatches {
		t.Errorf("TLS %+v, want sni localhost, no match", got[0].TLS)
	}
	if sent := srv.sawSNI(); len(sent) != 1 || sent[0] != "localhost" {
		t.Errorf("the server saw SNI %q, want localhost", sent)
	}
}

func TestProbeTCPErrors(t *testing.T) {
	for _, c := range []struct {
		target, want string
	}{
		{"127.0.0.1", `vpcpath: "127.0.0.1": want HOST:PORT or HOST:A-B` + "\n"},
		{"127.0.0.1:0", `vpcpath: "0": bad port or range` + "\n"},
		{"127.0.0.1:http", `vpcpath: "http": bad port or range` + "\n"},
		{"127.0.0.1:9-5", `vpcpath: "9-5": bad port or range` + "\n"},
		{"127.0.0.1:70000", `vpcpath: "70000": bad port or range` + "\n"},
		{"127.0.0.1:1000-1064", "vpcpath: 1000-1064 is 65 ports; at most 64 at once\n"},
	} {
		out, errOut, code := vp(t, "probe", "tcp", c.target, "--imds=")
		if code != exitError || out != "" || errOut != c.want {
			t.Errorf("%s: exit %d stdout %q stderr %q, want exit 2 and %q", c.target, code, out, errOut, c.want)
		}
	}
}

// TestProbeAdHocAsksNoMetadata: the ad hoc commands contact their target
// (and the resolver) only, even when --imds names a metadata server.
func TestProbeAdHocAsksNoMetadata(t *testing.T) {
	imds := noIMDS(t)
	r := startResolver(t)
	if _, errOut, code := vp(t, "probe", "dns", "ws.test", "--resolver", r.addr, "--imds", imds); code != exitOK {
		t.Errorf("probe dns: exit %d %s", code, errOut)
	}
	if _, errOut, code := vp(t, "probe", "tcp", fmt.Sprintf("127.0.0.1:%d", openPort(t)), "--imds", imds); code != exitOK {
		t.Errorf("probe tcp: exit %d %s", code, errOut)
	}
}
