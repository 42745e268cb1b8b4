package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/probe"
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
