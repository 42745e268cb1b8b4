package probecmd

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/probe"
	"github.com/vpcpath/vpcpath/probe/agent"
)

// agentOptions are the flags every probe command shares.
type agentOptions struct {
	version  string // of the binary, written to the report
	resolver string
	imds     string
	timeout  time.Duration
}

func (o *agentOptions) bind(c *cobra.Command, persistent bool) {
	fs := c.Flags()
	if persistent {
		fs = c.PersistentFlags()
	}
	fs.StringVar(&o.resolver, "resolver", "", "DNS server IP[:PORT] (default the first nameserver of /etc/resolv.conf)")
	fs.StringVar(&o.imds, "imds", agent.DefaultIMDS, "instance metadata address for the instance ID (\"\" to skip)")
	fs.DurationVar(&o.timeout, "timeout", 0, "timeout of each check (default the plan's, else 3s)")
	FreeText(c, "resolver", "imds", "timeout")
}

func (o *agentOptions) options() (agent.Options, error) {
	r := o.resolver
	if r != "" {
		if _, _, err := net.SplitHostPort(r); err != nil {
			r = net.JoinHostPort(strings.Trim(r, "[]"), "53")
		}
		host, _, _ := net.SplitHostPort(r)
		if net.ParseIP(host) == nil {
			return agent.Options{}, fmt.Errorf("--resolver %q: want IP[:PORT]", o.resolver)
		}
	}
	return agent.Options{Resolver: r, IMDS: o.imds, Version: o.version, Timeout: o.timeout}, nil
}

type probeOptions struct {
	agent    agentOptions
	plan     string
	deadline time.Duration
	conc     int
}

// NewProbeCmd is the probe agent's command: `probe --plan` with its dns
// and tcp subcommands. invoked is how a user calls it ("vpcpath probe" or
// "vpcpath-probe"): its last word is the command's name, the whole is
// used in the examples. version goes into the report.
func NewProbeCmd(s *Streams, invoked, version string) *cobra.Command {
	o := &probeOptions{agent: agentOptions{version: version}}
	name := invoked[strings.LastIndex(invoked, " ")+1:]
	c := &cobra.Command{
		Use:   name + " --plan plan.json > report.json",
		Short: "Run a probe plan from inside the VPC and write the report (JSON)",
		Long: `Run the checks of a plan written by vpcpath probe-plan: DNS queries to the
resolver (EDNS0, TCP on truncation, the CNAME chain, the response code or
the timeout, the round-trip time) and TCP connects per port, each classified
open, refused (a reset: the path works, nothing listens), timeout (dropped
on the way) or unreachable, with an optional TLS handshake. The report
carries the host's context and each check's expectation and observation;
compare it with the model with vpcpath validate.

The probe never listens on a port, contacts only the plan's targets, the
resolver and instance metadata (IMDSv2, one second at most; --imds "" skips
it), runs at most --concurrency checks at once, and stops at the deadline.

Exit codes: 0 report written, 2 error.`,
		Example: strings.ReplaceAll(`  INVOKED --plan plan.json > report.json
  INVOKED dns sts.us-east-1.amazonaws.com
  INVOKED tcp 10.0.3.5:8443-8451
  INVOKED tcp dbc-1234abcd-5678.cloud.databricks.com:443 --tls`, "INVOKED", invoked),
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if o.plan == "" {
				return fmt.Errorf("--plan FILE is required (or use %[1]s dns NAME / %[1]s tcp HOST:PORT)", name)
			}
			return runProbe(s, o)
		},
	}
	o.agent.bind(c, true)
	c.Flags().StringVar(&o.plan, "plan", "", "plan file written by vpcpath probe-plan")
	c.Flags().DurationVar(&o.deadline, "deadline", 0, "deadline of the whole run (default the plan's)")
	c.Flags().IntVar(&o.conc, "concurrency", 0, "checks at once (default the plan's)")
	MustComplete(c, "plan", CompleteFiles("json"))
	FreeText(c, "deadline", "concurrency")
	c.AddCommand(newProbeDNSCmd(s, &o.agent), newProbeTCPCmd(s, &o.agent))
	return c
}

func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

func runProbe(s *Streams, o *probeOptions) error {
	data, err := os.ReadFile(o.plan)
	if err != nil {
		return err
	}
	var plan probe.Plan
	if err := json.Unmarshal(data, &plan); err != nil {
		return fmt.Errorf("%s: %w", o.plan, err)
	}
	if plan.Kind != "vpcpath-probe-plan" || (plan.SchemaVersion < probe.MinReadVersion || plan.SchemaVersion > probe.SchemaVersion) {
		return fmt.Errorf("%s is not a vpcpath probe plan of schema_version %d to %d", o.plan, probe.MinReadVersion, probe.SchemaVersion)
	}
	opts, err := o.agent.options()
	if err != nil {
		return err
	}
	opts.Deadline, opts.Concurrency = o.deadline, o.conc
	ctx, stop := signalContext()
	defer stop()
	rep, err := agent.Run(ctx, &plan, opts)
	if err != nil {
		return err
	}
	return JSON(s.Out, rep)
}

func newProbeDNSCmd(s *Streams, ao *agentOptions) *cobra.Command {
	var output string
	c := &cobra.Command{
		Use:   "dns NAME",
		Short: "Ask the resolver for NAME: response code, CNAME chain, addresses (private or public), round-trip time",
		Long: `Ask the resolver for NAME's A records (EDNS0; again over TCP when the UDP
answer is truncated) and follow the CNAME chain.

Exit codes: 0 answered with addresses, 1 any other answer or a timeout, 2 error.`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			opts, err := ao.options()
			if err != nil {
				return err
			}
			server := opts.Resolver
			if server == "" {
				if server, err = agent.ResolverFromConf("/etc/resolv.conf"); err != nil {
					return fmt.Errorf("%w (give --resolver IP)", err)
				}
			}
			timeout := opts.Timeout
			if timeout <= 0 {
				timeout = probe.DefaultTimeoutMS * time.Millisecond
			}
			ctx, stop := signalContext()
			defer stop()
			obs := agent.QueryDNS(ctx, server, args[0], timeout, probe.Expectation{})
			if output == "json" {
				err = JSON(s.Out, obs)
			} else {
				fmt.Fprintf(s.Out, "DNS      %s  (asked %s over %s, %.1f ms)\n", args[0], obs.Resolver, obs.Transport, obs.RTTMS)
				switch obs.Outcome {
				case probe.Answered:
					fmt.Fprintf(s.Out, "RCODE    %s\n", obs.Rcode)
				default:
					fmt.Fprintf(s.Out, "OUTCOME  %s: %s\n", obs.Outcome, obs.Error)
				}
				if len(obs.Chain) > 1 {
					fmt.Fprintf(s.Out, "CHAIN    %s\n", strings.Join(obs.Chain, " > "))
				}
				if len(obs.Answers) > 0 {
					fmt.Fprintf(s.Out, "ANSWERS  %s (%s)\n", strings.Join(obs.Answers, ", "), obs.Class)
				}
			}
			if err != nil {
				return err
			}
			if obs.Outcome != probe.Answered || len(obs.Answers) == 0 {
				return Finding()
			}
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "text", "text or json")
	CompleteOutput(c, "text", "json")
	return c
}

func newProbeTCPCmd(s *Streams, ao *agentOptions) *cobra.Command {
	var output, sni string
	var tlsOn bool
	c := &cobra.Command{
		Use:   "tcp HOST:PORT[-PORT]",
		Short: "Connect to HOST on a port or range: open, refused, timeout or unreachable, with latency; optional TLS",
		Long: `Connect to HOST on each port and classify the outcome: open; refused (a
reset: the path works, nothing listens); timeout (dropped on the way: a
security group, network ACL, route or firewall); unreachable (ICMP
unreachable or no route). With --tls, shake hands on open ports and report
the certificate's names. A host name is resolved with the system resolver.

Exit codes: 0 every port open, 1 any other outcome, 2 error.`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			host, ports, err := net.SplitHostPort(args[0])
			if err != nil {
				return fmt.Errorf("%q: want HOST:PORT or HOST:A-B", args[0])
			}
			pr, err := model.ParsePortRange(ports)
			if err != nil || pr.First == 0 {
				return fmt.Errorf("%q: bad port or range", ports)
			}
			if n := int(pr.Last) - int(pr.First) + 1; n > probe.MaxPortsPerCheck {
				return fmt.Errorf("%s is %d ports; at most %d at once", ports, n, probe.MaxPortsPerCheck)
			}
			opts, err := ao.options()
			if err != nil {
				return err
			}
			if sni == "" && net.ParseIP(host) == nil {
				sni = host
			}
			name := ""
			if net.ParseIP(host) == nil {
				name = host
			}
			plan := &probe.Plan{SchemaVersion: probe.SchemaVersion, Kind: "vpcpath-probe-plan", Checks: []probe.Check{{
				ID: "tcp-1", Kind: probe.KindTCP, Requirement: "ad hoc", Name: name, Host: host, Ports: &pr, TLS: tlsOn, SNI: sni}}}
			opts.IMDS = ""
			ctx, stop := signalContext()
			defer stop()
			rep, err := agent.Run(ctx, plan, opts)
			if err != nil {
				return err
			}
			obs := rep.Results[0].TCP
			if output == "json" {
				if err := JSON(s.Out, obs); err != nil {
					return err
				}
			} else {
				for _, t := range obs {
					fmt.Fprintf(s.Out, "%s:%d\t%s\t%.1f ms", host, t.Port, t.Outcome, t.LatencyMS)
					if t.Error != "" && t.Outcome != probe.Open {
						fmt.Fprintf(s.Out, "\t%s", t.Error)
					}
					if t.TLS != nil {
						if t.TLS.Error != "" {
							fmt.Fprintf(s.Out, "\tTLS failed: %s", t.TLS.Error)
						} else {
							fmt.Fprintf(s.Out, "\tTLS %s names=%s sni=%s match=%t", t.TLS.Version, strings.Join(t.TLS.Names, ","), t.TLS.SNI, t.TLS.NameMatches)
						}
					}
					fmt.Fprintln(s.Out)
				}
			}
			for _, t := range obs {
				if t.Outcome != probe.Open {
					return Finding()
				}
			}
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "text", "text or json")
	CompleteOutput(c, "text", "json")
	c.Flags().BoolVar(&tlsOn, "tls", false, "shake hands over TLS on open ports and report the certificate's names")
	c.Flags().StringVar(&sni, "sni", "", "server name for TLS (default HOST when it is a name)")
	FreeText(c, "sni")
	return c
}
