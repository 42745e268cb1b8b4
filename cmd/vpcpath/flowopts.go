package main

import (
	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath/simulate/check"
)

// flowOptions are what the commands that run many flows (check, diff,
// probe-plan) need besides the network: DNS answers no snapshot holds and
// the clients' ephemeral ports.
type flowOptions struct {
	dns       dnsOptions
	ephemeral string
}

func (o *flowOptions) bind(c *cobra.Command) {
	o.dns.bind(c)
	c.Flags().StringVar(&o.ephemeral, "ephemeral", "linux", "client ephemeral ports: linux, windows, nat or A-B")
	mustComplete(c, "ephemeral", fixed(ephemeralValues...))
}

// options parses the flags into what check.Run takes.
func (o *flowOptions) options() (check.Options, error) {
	dns, err := o.dns.options()
	if err != nil {
		return check.Options{}, err
	}
	eph, name, err := parseEphemeral(o.ephemeral)
	if err != nil {
		return check.Options{}, err
	}
	return check.Options{DNS: dns, Ephemeral: eph, EphemeralName: name}, nil
}
