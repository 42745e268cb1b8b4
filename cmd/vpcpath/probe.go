package main

import (
	"context"
	"encoding/json"
	"errors"
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
	"github.com/vpcpath/vpcpath/simulate/render"
)

type probePlanOptions struct {
	src      sourceOptions
	flow     flowOptions
	from     string
	profile  string
	params   []string
	intents  string
	to       string
	port     string
	tls      bool
	sni      string
	timeout  time.Duration
	deadline time.Duration
	conc     int
}

func newProbePlanCmd(s *streams) *cobra.Command {
	o := &probePlanOptions{}
	c := &cobra.Command{
		Use:   "probe-plan (--snapshot DIR | --example NAME) --from SRC (--profile NAME [--param k=v] | --intents FILE | --to DST --port P)",
		Short: "Write the checks a probe on SRC should make, with the simulator's predictions (plan.json)",
		Long: `Write a probe plan for one source: DNS names with the answers the model
expects, and TCP targets and ports with the predicted outcome and the hops'
reason. Run it on the source with vpcpath probe --plan, then compare with
vpcpath validate.

Requirements a single host cannot check (UDP flows, "the internet", prefix
lists, whole subnets, ranges wider than 64 ports) are listed under "skipped".

Exit codes: 0 written, 2 error.`,
		Example: `  vpcpath probe-plan --example databricks-privatelink --from 10.0.1.5 --profile databricks-privatelink > plan.json
  vpcpath probe-plan --snapshot snap --from i-0123456789abcdef0 --to 10.0.3.5 --port 8443-8451 > plan.json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.src.validate(); err != nil {
				return err
			}
			n := 0
			for _, set := range []bool{o.profile != "", o.intents != "", o.to != ""} {
				if set {
					n++
				}
			}
			if n != 1 {
				return errors.New("give one of --profile NAME, --intents FILE or --to DST --port P")
			}
			if o.from == "" {
				return errors.New("--from is required: where the probe will run (ENI ID, instance ID or private IP)")
			}
			if o.to != "" && o.port == "" {
				return errors.New("--to needs --port P or A-B")
			}
			return runProbePlan(s, o)
		},
	}
	o.src.bind(c)
	o.flow.bind(c)
	c.Flags().StringVar(&o.from, "from", "", "where the probe will run: ENI ID, instance ID or private IP")
	c.Flags().StringVar(&o.profile, "profile", "", "built-in requirement profile (vpcpath profiles lists them)")
	c.Flags().StringArrayVar(&o.params, "param", nil, "profile parameter key=value (repeatable)")
	c.Flags().StringVar(&o.intents, "intents", "", "intent file (YAML)")
	c.Flags().StringVar(&o.to, "to", "", "one destination: ENI, instance or endpoint ID, IP address or host name")
	c.Flags().StringVar(&o.port, "port", "", "TCP port or range for --to")
	c.Flags().BoolVar(&o.tls, "tls", false, "with --to: also shake hands over TLS on open ports")
	c.Flags().StringVar(&o.sni, "sni", "", "with --tls: the server name to send (default the host name)")
	c.Flags().DurationVar(&o.timeout, "timeout", probe.DefaultTimeoutMS*time.Millisecond, "timeout of each check (written to the plan)")
	c.Flags().DurationVar(&o.deadline, "deadline", probe.DefaultDeadlineMS*time.Millisecond, "deadline of the whole probe run (written to the plan)")
	c.Flags().IntVar(&o.conc, "concurrency", probe.DefaultConcurrency, "checks run at once (written to the plan)")
	mustComplete(c, "from", o.src.completeEndpoint(wantSource))
	mustComplete(c, "to", o.src.completeEndpoint(wantDest))
	mustComplete(c, "profile", completeProfiles)
	mustComplete(c, "intents", completeFiles("yaml", "yml"))
	mustComplete(c, "param", completeParam(&o.profile, o.src.completionModel))
	mustComplete(c, "endpoint-name", completeEndpointName(o.src.completionModel))
	freeText(c, "port", "sni", "timeout", "deadline", "concurrency")
	return c
}

func runProbePlan(s *streams, o *probePlanOptions) error {
	opts, err := o.flow.options()
	if err != nil {
		return err
	}
	if o.timeout <= 0 || o.deadline <= 0 || o.conc <= 0 {
		return errors.New("--timeout, --deadline and --concurrency must be positive")
	}
	m, err := o.src.load(s.ErrOut)
	if err != nil {
		return err
	}
	pl := &probe.Planner{M: m, DNS: opts.DNS, Ephemeral: opts.Ephemeral, EphName: opts.EphemeralName}
	plan, err := pl.NewPlan(o.from)
	if err != nil {
		return m.Suggest(err)
	}
	plan.TimeoutMS, plan.DeadlineMS, plan.Concurrency = int(o.timeout/time.Millisecond), int(o.deadline/time.Millisecond), o.conc
	switch {
	case o.to != "":
		pr, err := model.ParsePortRange(o.port)
		if err != nil {
			return fmt.Errorf("--port %q: %w", o.port, err)
		}
		if err := pl.Add(probe.Want{Requirement: "--to " + o.to, To: o.to, Ports: []model.PortRange{pr}, TLS: o.tls, SNI: o.sni}); err != nil {
			if nf := (*model.NotFoundError)(nil); errors.As(err, &nf) {
				err = fmt.Errorf("--to %w", err)
			}
			return m.Suggest(err)
		}
	default:
		f, _, _, err := requirements(m, o.profile, o.params, o.intents)
		if err != nil {
			return err
		}
		if err := pl.AddRequirements(f); err != nil {
			return err
		}
	}
	plan = pl.Finish()
	if len(plan.Checks) == 0 {
		fmt.Fprintln(s.ErrOut, "vpcpath: warning: the plan has no checks (see \"skipped\")")
	}
	return render.JSON(s.Out, plan)
}

// agentOptions are the flags every probe command shares.
type agentOptions struct {
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
	freeText(c, "resolver", "imds", "timeout")
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
	return agent.Options{Resolver: r, IMDS: o.imds, Version: version, Timeout: o.timeout}, nil
}

type probeOptions struct {
	agent    agentOptions
	plan     string
	deadline time.Duration
	conc     int
}

func newProbeCmd(s *streams) *cobra.Command {
	o := &probeOptions{}
	c := &cobra.Command{
		Use:   "probe --plan plan.json > report.json",
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
		Example: `  vpcpath probe --plan plan.json > report.json
  vpcpath probe dns sts.us-east-1.amazonaws.com
  vpcpath probe tcp 10.0.3.5:8443-8451
  vpcpath probe tcp dbc-1234abcd-5678.cloud.databricks.com:443 --tls`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if o.plan == "" {
				return errors.New("--plan FILE is required (or use probe dns NAME / probe tcp HOST:PORT)")
			}
			return runProbe(s, o)
		},
	}
	o.agent.bind(c, true)
	c.Flags().StringVar(&o.plan, "plan", "", "plan file written by vpcpath probe-plan")
	c.Flags().DurationVar(&o.deadline, "deadline", 0, "deadline of the whole run (default the plan's)")
	c.Flags().IntVar(&o.conc, "concurrency", 0, "checks at once (default the plan's)")
	mustComplete(c, "plan", completeFiles("json"))
	freeText(c, "deadline", "concurrency")
	c.AddCommand(newProbeDNSCmd(s, &o.agent), newProbeTCPCmd(s, &o.agent))
	return c
}

func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

func runProbe(s *streams, o *probeOptions) error {
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
	return render.JSON(s.Out, rep)
}

func newProbeDNSCmd(s *streams, ao *agentOptions) *cobra.Command {
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
				err = render.JSON(s.Out, obs)
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
				return finding()
			}
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "text", "text or json")
	completeOutput(c, "text", "json")
	return c
}

func newProbeTCPCmd(s *streams, ao *agentOptions) *cobra.Command {
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
				if err := render.JSON(s.Out, obs); err != nil {
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
					return finding()
				}
			}
			return nil
		},
	}
	c.Flags().StringVarP(&output, "output", "o", "text", "text or json")
	completeOutput(c, "text", "json")
	c.Flags().BoolVar(&tlsOn, "tls", false, "shake hands over TLS on open ports and report the certificate's names")
	c.Flags().StringVar(&sni, "sni", "", "server name for TLS (default HOST when it is a name)")
	freeText(c, "sni")
	return c
}
