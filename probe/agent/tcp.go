package agent

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strconv"
	"syscall"
	"time"

	"github.com/vpcpath/vpcpath/probe"
)

// Connect opens one TCP connection to host:port and classifies the
// outcome: open, refused (a reset: the path works, nothing listens),
// timeout (dropped on the way), unreachable (ICMP unreachable or no route),
// or error. With sni set and the port open it also shakes hands over TLS
// and reports the certificate's names.
func Connect(ctx context.Context, host string, port uint16, timeout time.Duration, tlsOn bool, sni string) probe.TCPObservation {
	o := probe.TCPObservation{Port: port}
	d := net.Dialer{Timeout: timeout}
	start := time.Now()
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(int(port))))
	o.LatencyMS = ms(time.Since(start))
	if err != nil {
		o.Outcome = ClassifyDialError(err)
		o.Error = err.Error()
		if cutShort(ctx) {
			// The run's deadline (or Ctrl-C) cut the connect short: that
			// says nothing about the network.
			o.Outcome, o.Error = probe.NotRun, "the probe's deadline passed: "+err.Error()
		}
		return o
	}
	defer conn.Close()
	o.Outcome = probe.Open
	if tlsOn {
		o.TLS = handshake(ctx, conn, sni, timeout)
	}
	return o
}

// ClassifyDialError sorts a connect error into the outcomes of a TCP
// check. ECONNREFUSED is a reset (or an ICMP port unreachable, which Linux
// reports the same way); EHOSTUNREACH, ENETUNREACH and the local "no route"
// errors (EINVAL from a blackhole route, EACCES/EPERM from a prohibit
// route or a local firewall's reject) are unreachable; a timeout is a drop.
func ClassifyDialError(err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET):
		return probe.Refused
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH),
		errors.Is(err, syscall.EHOSTDOWN), errors.Is(err, syscall.ENETDOWN),
		errors.Is(err, syscall.EADDRNOTAVAIL), errors.Is(err, syscall.EINVAL),
		errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return probe.Unreachable
	case errors.Is(err, syscall.ETIMEDOUT), isTimeout(err):
		return probe.Timeout
	}
	return probe.Failed
}

func handshake(ctx context.Context, conn net.Conn, sni string, timeout time.Duration) *probe.TLSObservation {
	t := &probe.TLSObservation{SNI: sni}
	// The certificate is reported, not judged: a private CA or a name
	// mismatch is something to show, not a reason to stop looking.
	tc := tls.Client(conn, &tls.Config{ServerName: sni, InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}) //nolint:gosec // we report the names, we do not trust the peer
	hctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	err := tc.HandshakeContext(hctx)
	t.LatencyMS = ms(time.Since(start))
	if err != nil {
		t.Error = err.Error()
		return t
	}
	st := tc.ConnectionState()
	t.Version = tls.VersionName(st.Version)
	if len(st.PeerCertificates) > 0 {
		leaf := st.PeerCertificates[0]
		if leaf.Subject.CommonName != "" {
			t.Names = append(t.Names, leaf.Subject.CommonName)
		}
		for _, n := range leaf.DNSNames {
			if n != leaf.Subject.CommonName {
				t.Names = append(t.Names, n)
			}
		}
		t.Issuer = leaf.Issuer.String()
		t.NameMatches = sni != "" && leaf.VerifyHostname(sni) == nil
	}
	return t
}
