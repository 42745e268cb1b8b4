package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/render"
)

type resolveOptions struct {
	src    sourceOptions
	dns    dnsOptions
	from   string
	output string
}

func newResolveCmd(s *streams) *cobra.Command {
	o := &resolveOptions{}
	c := &cobra.Command{
		Use:   "resolve (--snapshot DIR | --example NAME) --from SRC NAME",
		Short: "Resolve a host name as the source's VPC would",
		Long: `Resolve a host name as the Amazon resolver of the source's VPC would:
resolver forwarding rules, then the private hosted zones associated with the
VPC (including the hidden zones of interface endpoints with private DNS), the
most specific zone winning, then public DNS, which offline comes only from
--resolve or --hosts.

Exit codes: 0 answered, 1 NXDOMAIN, no answer or unknown, 2 error.`,
		Example: `  vpcpath resolve --example databricks-privatelink --from 10.0.1.5 sts.us-east-1.amazonaws.com`,
		Args:    cobra.ExactArgs(1),
		ValidArgsFunction: func(c *cobra.Command, args []string, typed string) ([]string, cobra.ShellCompDirective) {
			return o.src.completeHostName(c, args, typed)
		},
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.src.validate(); err != nil {
				return err
			}
			if o.output != "text" && o.output != "json" {
				return errors.New("--output: want text or json, not " + o.output)
			}
			return runResolve(s, o, args[0])
		},
	}
	o.src.bind(c)
	o.dns.bind(c)
	c.Flags().StringVar(&o.from, "from", "", "source: ENI ID, instance ID or private IP (its VPC's resolver answers)")
	c.Flags().StringVarP(&o.output, "output", "o", "text", "text or json")
	mustComplete(c, "from", o.src.completeEndpoint(wantSource))
	mustComplete(c, "endpoint-name", completeEndpointName(o.src.completionModel))
	completeOutput(c, "text", "json")
	return c
}

func runResolve(s *streams, o *resolveOptions, name string) error {
	opts, err := o.dns.options()
	if err != nil {
		return err
	}
	m, err := o.src.load(s.ErrOut)
	if err != nil {
		return err
	}
	if !simulate.IsHostName(name) {
		return fmt.Errorf("%q is not a host name", name)
	}
	src, err := simulate.Source(m, o.from)
	if err != nil {
		return m.Suggest(err)
	}
	a := simulate.Resolve(m, src.VPCID, name, opts)
	if o.output == "json" {
		err = render.JSON(s.Out, a)
	} else {
		err = render.DNSText(s.Out, a)
	}
	if err != nil {
		return err
	}
	if a.Decision != simulate.Allow {
		return finding()
	}
	return nil
}
