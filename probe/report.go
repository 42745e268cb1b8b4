package probe

import "time"

// TCP outcomes. They are never folded into a bool: each points at
// different causes.
const (
	// Open: the handshake completed.
	Open = "open"
	// Refused: a host answered the SYN with a reset (or ICMP port
	// unreachable): the network path works, nothing listens.
	Refused = "refused"
	// Timeout: no answer; dropped on the way (security group, network ACL,
	// route, a firewall).
	Timeout = "timeout"
	// Unreachable: an ICMP host or network unreachable came back, or the
	// probe host has no route.
	Unreachable = "unreachable"
	// Failed: any other error (named in the observation).
	Failed = "error"
	// NotRun: the overall deadline passed before the check started.
	NotRun = "not-run"
)

// DNS outcomes besides an answer with a response code.
const (
	Answered = "answered"
	// DNSTimeout, Failed and NotRun as above.
	DNSTimeout = "timeout"
)

// Report is what the probe writes (docs/probe.md).
type Report struct {
	SchemaVersion int       `json:"schema_version"`
	Kind          string    `json:"kind"` // "vpcpath-probe-report"
	Version       string    `json:"version"`
	Started       time.Time `json:"started"`
	DurationMS    float64   `json:"duration_ms"`
	Host          Host      `json:"host"`
	// Plan is the plan's source and limits (the checks are in Results).
	Source      Source   `json:"source"`
	Resolver    string   `json:"resolver"`
	TimeoutMS   int      `json:"timeout_ms"`
	DeadlineMS  int      `json:"deadline_ms"`
	Concurrency int      `json:"concurrency"`
	DNS         *DNSData `json:"dns_options,omitempty"`
	Results     []Result `json:"results"`
}

// Host is where the probe ran.
type Host struct {
	Hostname  string   `json:"hostname"`
	Addresses []string `json:"addresses"`
	// Resolver is the DNS server the probe asked (ip:port); ResolverFrom
	// says where it came from (/etc/resolv.conf, --resolver).
	Resolver     string `json:"resolver"`
	ResolverFrom string `json:"resolver_from"`
	// InstanceID is from instance metadata (IMDSv2); IMDS says how that
	// went: "ok", "disabled", or the error.
	InstanceID string `json:"instance_id,omitempty"`
	IMDS       string `json:"imds"`
}

// Result is one check with its observation.
type Result struct {
	Check Check            `json:"check"`
	DNS   *DNSObservation  `json:"dns,omitempty"`
	TCP   []TCPObservation `json:"tcp,omitempty"`
}

// DNSObservation is what the resolver answered.
type DNSObservation struct {
	Resolver string `json:"resolver"`
	// Outcome is answered (see Rcode), timeout, error or not-run.
	Outcome string `json:"outcome"`
	Rcode   string `json:"rcode,omitempty"` // NOERROR, NXDOMAIN, SERVFAIL, ...
	Error   string `json:"error,omitempty"`
	// Transport is udp, or tcp after a truncated UDP answer.
	Transport string `json:"transport,omitempty"`
	Truncated bool   `json:"truncated_udp,omitempty"`
	// Chain is the CNAME chain, question first.
	Chain   []string `json:"chain"`
	Answers []string `json:"answers"`
	// Class is private (every answer a private address), public, mixed or
	// none.
	Class string `json:"class"`
	// Expected says whether the answers are the plan's expected addresses
	// (as a set); Endpoint names the plan's endpoint when they are.
	Expected bool    `json:"expected"`
	Endpoint string  `json:"endpoint,omitempty"`
	RTTMS    float64 `json:"rtt_ms"`
}

// TCPObservation is one connect.
type TCPObservation struct {
	Port      uint16          `json:"port"`
	Outcome   string          `json:"outcome"`
	Error     string          `json:"error,omitempty"`
	LatencyMS float64         `json:"latency_ms"`
	TLS       *TLSObservation `json:"tls,omitempty"`
}

// TLSObservation is a TLS handshake's result. The certificate is reported,
// not trusted or distrusted: Names are its DNS names (and subject CN), and
// NameMatches says whether the SNI is among them.
type TLSObservation struct {
	SNI         string   `json:"sni"`
	Version     string   `json:"version,omitempty"`
	Names       []string `json:"names,omitempty"`
	Issuer      string   `json:"issuer,omitempty"`
	NameMatches bool     `json:"name_matches"`
	Error       string   `json:"error,omitempty"`
	LatencyMS   float64  `json:"latency_ms"`
}
