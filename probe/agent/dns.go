package agent

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/vpcpath/vpcpath/probe"
)

// maxChain bounds the CNAME chain followed by extra queries.
const maxChain = 8

// ResolverFromConf returns the first nameserver of a resolv.conf file as
// ip:53.
func ResolverFromConf(path string) (string, error) {
	cc, err := dns.ClientConfigFromFile(path)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	if len(cc.Servers) == 0 {
		return "", fmt.Errorf("%s names no nameserver", path)
	}
	port := cc.Port
	if port == "" {
		port = "53"
	}
	return net.JoinHostPort(cc.Servers[0], port), nil
}

// exchange asks server one question over UDP with EDNS0, and again over TCP
// when the answer comes back truncated.
func exchange(ctx context.Context, server, name string, timeout time.Duration) (*dns.Msg, string, bool, time.Duration, error) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.TypeA)
	m.SetEdns0(1232, false)
	c := &dns.Client{Net: "udp", Timeout: timeout}
	r, rtt, err := c.ExchangeContext(ctx, m, server)
	if err != nil {
		return nil, "udp", false, rtt, err
	}
	if !r.Truncated {
		return r, "udp", false, rtt, nil
	}
	c = &dns.Client{Net: "tcp", Timeout: timeout}
	r2, rtt2, err := c.ExchangeContext(ctx, m, server)
	if err != nil {
		return nil, "tcp", true, rtt + rtt2, err
	}
	return r2, "tcp", true, rtt + rtt2, nil
}

// QueryDNS asks server for name's A records, following the CNAME chain,
// and classifies the answer against the expectation (which may be empty).
func QueryDNS(ctx context.Context, server, name string, timeout time.Duration, want probe.Expectation) probe.DNSObservation {
	o := probe.DNSObservation{Resolver: server, Chain: []string{}, Answers: []string{}}
	q := dns.Fqdn(strings.ToLower(name))
	o.Chain = append(o.Chain, strings.TrimSuffix(q, "."))
	var total time.Duration
	for hop := 0; ; hop++ {
		r, transport, trunc, rtt, err := exchange(ctx, server, q, timeout)
		total += rtt
		o.Transport = transport
		o.Truncated = o.Truncated || trunc
		if err != nil {
			if isTimeout(err) {
				o.Outcome = probe.DNSTimeout
			} else {
				o.Outcome = probe.Failed
			}
			o.Error = err.Error()
			if cutShort(ctx) {
				o.Outcome, o.Error = probe.NotRun, "the probe's deadline passed: "+err.Error()
			}
			break
		}
		o.Outcome, o.Rcode = probe.Answered, dns.RcodeToString[r.Rcode]
		if r.Rcode != dns.RcodeSuccess {
			break
		}
		// Walk the chain within this answer: the resolver usually returns
		// every CNAME and the final addresses together.
		cur := q
		var addrs []string
		for i := 0; i < maxChain; i++ {
			next := ""
			for _, rr := range r.Answer {
				if !strings.EqualFold(rr.Header().Name, cur) {
					continue
				}
				switch v := rr.(type) {
				case *dns.CNAME:
					next = strings.ToLower(v.Target)
				case *dns.A:
					addrs = append(addrs, v.A.String())
				}
			}
			if next == "" || len(addrs) > 0 {
				break
			}
			cur = next
			o.Chain = append(o.Chain, strings.TrimSuffix(cur, "."))
		}
		if len(addrs) > 0 || cur == q || hop >= maxChain {
			// Keep Answers a list (never null in the report) when the
			// answer has no addresses (NODATA, a CNAME loop).
			o.Answers = append(o.Answers, addrs...)
			break
		}
		// The chain ends in a name the answer did not resolve: ask for it.
		q = cur
	}
	sort.Strings(o.Answers)
	o.Class = classify(o.Answers)
	if o.Outcome == probe.Answered && want.Verdict != "" {
		o.Expected = sameSet(o.Answers, want.Answers) && (want.Rcode == "" || want.Rcode == o.Rcode)
		if o.Expected && len(o.Answers) > 0 {
			o.Endpoint = want.Endpoint
		}
	}
	o.RTTMS = ms(total)
	return o
}

func classify(answers []string) string {
	if len(answers) == 0 {
		return "none"
	}
	priv, pub := 0, 0
	for _, a := range answers {
		ip, err := netip.ParseAddr(a)
		if err == nil && (ip.IsPrivate() || cgnat.Contains(ip)) {
			priv++
		} else {
			pub++
		}
	}
	switch {
	case pub == 0:
		return "private"
	case priv == 0:
		return "public"
	}
	return "mixed"
}

// cgnat is RFC 6598 shared address space, which VPCs may use.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x := append([]string{}, a...)
	y := append([]string{}, b...)
	sort.Strings(x)
	sort.Strings(y)
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// cutShort reports whether the run's context has ended. Its deadline
// counts once passed even before ctx.Err is set: a socket deadline taken
// from the context can fire a moment before the context's own timer, and a
// check cut short by the run's deadline must read not-run, never timeout.
func cutShort(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	dl, ok := ctx.Deadline()
	return ok && !time.Now().Before(dl)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
