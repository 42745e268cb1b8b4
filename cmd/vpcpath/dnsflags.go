package main

import (
	"bufio"
	"fmt"
	"net/netip"
	"os"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
)

var endpointIDRE = regexp.MustCompile(`^vpce-[0-9a-f]{8,17}$`)

// dnsOptions are the answers no snapshot holds: public names (offline there
// is no internet) and the host names of PrivateLink partner services.
type dnsOptions struct {
	resolve       []string
	hosts         string
	endpointNames []string
}

func (o *dnsOptions) bind(c *cobra.Command) {
	c.Flags().StringArrayVar(&o.resolve, "resolve", nil, "public answer for a name: NAME=IP[,IP] (repeatable)")
	c.Flags().StringVar(&o.hosts, "hosts", "", "hosts-style file of public answers (IP NAME...)")
	c.Flags().StringArrayVar(&o.endpointNames, "endpoint-name", nil, "tie a partner host name to the interface endpoint that serves it: NAME=vpce-ID (repeatable), e.g. a Databricks workspace name")
	mustComplete(c, "resolve", cobra.NoFileCompletions)
	mustComplete(c, "hosts", anyFile)
}

func (o *dnsOptions) options() (simulate.DNSOptions, error) {
	opts := simulate.DNSOptions{Public: map[string][]netip.Addr{}, PublicFrom: map[string]string{}, EndpointNames: map[string]string{}}
	add := func(where, name string, ips []string) error {
		if strings.HasPrefix(where, "--resolve") {
			opts.PublicFrom[model.FQDN(name)] = "--resolve"
		} else {
			opts.PublicFrom[model.FQDN(name)] = "hosts file " + o.hosts
		}
		for _, s := range ips {
			ip, err := netip.ParseAddr(strings.TrimSpace(s))
			if err != nil {
				return fmt.Errorf("%s: %q is not an IP address", where, s)
			}
			opts.Public[model.FQDN(name)] = append(opts.Public[model.FQDN(name)], ip.Unmap())
		}
		return nil
	}
	for _, r := range o.resolve {
		name, ips, ok := strings.Cut(r, "=")
		if !ok || name == "" || ips == "" {
			return opts, fmt.Errorf("--resolve %q: want NAME=IP[,IP]", r)
		}
		if err := add("--resolve "+r, name, strings.Split(ips, ",")); err != nil {
			return opts, err
		}
	}
	if o.hosts != "" {
		f, err := os.Open(o.hosts)
		if err != nil {
			return opts, fmt.Errorf("--hosts: %w", err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			text, _, _ := strings.Cut(sc.Text(), "#")
			fields := strings.Fields(text)
			if len(fields) == 0 {
				continue
			}
			if len(fields) < 2 {
				return opts, fmt.Errorf("%s:%d: want an address and at least one name", o.hosts, line)
			}
			for _, name := range fields[1:] {
				if err := add(fmt.Sprintf("%s:%d", o.hosts, line), name, fields[:1]); err != nil {
					return opts, err
				}
			}
		}
		if err := sc.Err(); err != nil {
			return opts, fmt.Errorf("--hosts %s: %w", o.hosts, err)
		}
	}
	for _, e := range o.endpointNames {
		name, id, ok := strings.Cut(e, "=")
		if !ok || name == "" || !endpointIDRE.MatchString(id) {
			return opts, fmt.Errorf("--endpoint-name %q: want NAME=vpce-ID", e)
		}
		opts.EndpointNames[model.FQDN(name)] = id
	}
	return opts, nil
}
