package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/render"
	"github.com/vpcpath/vpcpath/simulate/render/report"
)

type traceOptions struct {
	src        sourceOptions
	dns        dnsOptions
	from, to   string
	protocol   string
	port       string
	ephemeral  string
	output     string
	appliances string
	via        string
	fix        string
	page       report.Run // what an HTML report says it answers
}

func newTraceCmd(s *streams) *cobra.Command {
	o := &traceOptions{}
	c := &cobra.Command{
		Use:   "trace (--snapshot DIR | --example NAME) --from SRC --to DST [--protocol P] [--port N]",
		Short: "Trace one flow hop by hop, with the return path and the fix",
		Long: `Trace one flow hop by hop through the model: the security group, network ACL
and route table rules that allow or block it, the return path, and one
concrete change that would let it through.

SRC is an ENI ID, an instance ID or a private IP of an interface.
DST is an ENI ID, an instance ID, a VPC endpoint ID, any IP address, or a
host name: the trace then starts with a dns hop (resolved as the source's
VPC would) and follows every address of the answer.

--fix all lists every change that makes the flow pass, not only the first:
each change is made on a copy of the network and the flow traced again,
until it passes or no change to the network can be proposed (advice, an
unknown, a change proposed twice, or 32 changes). The input is never
changed. The exit code stays that of the flow as it is.

Exit codes: 0 reachable, 1 blocked or unknown, 2 error.`,
		Example: `  vpcpath trace --example databricks-privatelink --from i-0a0000000000c0001 --to vpce-0a0000000000e0001 --port 8443
  vpcpath trace --snapshot ./snap --from 10.0.1.5 --to 52.216.10.20 --port 443 --output json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.src.validate(); err != nil {
				return err
			}
			switch o.output {
			case "text", "json", "mermaid", "html", "dot", "svg", "png":
			default:
				return errors.New("--output: want text, json, mermaid, html, dot, svg or png, not " + o.output)
			}
			if err := refuseBinaryToTerminal(s, o.output, ""); err != nil {
				return err
			}
			if o.fix != "" && o.fix != "all" {
				return errors.New("--fix: want all, not " + o.fix)
			}
			if o.fix != "" && o.output != "text" && o.output != "json" {
				return errors.New("--fix all: the changes are written as text or json, not " + o.output)
			}
			o.page = reportRun(c, o.src)
			return runTrace(s, o)
		},
	}
	o.src.bind(c)
	o.dns.bind(c)
	c.Flags().StringVar(&o.from, "from", "", "source: ENI ID, instance ID, private IP, subnet ID (a stand-in node with the VPC's default group), security group ID (its first workload interface), internet or a public IPv4 outside every VPC, or an on-premises address with --via")
	c.Flags().StringVar(&o.to, "to", "", "destination: ENI ID, instance ID, VPC endpoint ID, IP address or host name")
	c.Flags().StringVar(&o.protocol, "protocol", "tcp", "tcp, udp, icmp, icmpv6 or all")
	c.Flags().StringVar(&o.port, "port", "", "destination port or range A-B (tcp and udp); a range reports the exact sub-ranges that pass and fail")
	c.Flags().StringVar(&o.ephemeral, "ephemeral", "linux", "client ephemeral ports replies go to: linux (32768-60999), windows (49152-65535), nat (1024-65535) or a range A-B")
	c.Flags().StringVarP(&o.output, "output", "o", "text", "text, json, mermaid, html (one self-contained page to share), or the path on the topology picture: dot, svg, png")
	c.Flags().StringVar(&o.appliances, "appliances", "assume", "assume: an appliance on the path (an interface a route targets, a Gateway Load Balancer endpoint) forwards, stated as an assumption; strict: answer unknown there")
	mustComplete(c, "from", o.src.completeEndpoint(wantSource))
	mustComplete(c, "to", o.src.completeEndpoint(wantDest))
	mustComplete(c, "endpoint-name", completeEndpointName(o.src.completionModel))
	mustComplete(c, "protocol", fixed(protocolValues...))
	freeText(c, "port")
	mustComplete(c, "ephemeral", fixed(ephemeralValues...))
	mustComplete(c, "appliances", fixed("assume", "strict"))
	c.Flags().StringVar(&o.via, "via", "", "for --from an on-premises address: the VPN connection (vpn-...) or virtual private gateway (vgw-...) the flow arrives by")
	mustComplete(c, "via", o.src.completeVia)
	c.Flags().StringVar(&o.fix, "fix", "", "all: every change that makes the flow pass, each traced again on a copy of the network")
	mustComplete(c, "fix", fixed("all"))
	completeOutput(c, "text", "json", "mermaid\ta flowchart", "html\ta self-contained page to share", "dot\tthe path on the topology, Graphviz DOT", "svg\tthe path on the topology, a picture", "png\tthe path on the topology, a picture (not to a terminal)")
	return c
}

func parseEphemeral(s string) (model.PortRange, string, error) {
	switch strings.ToLower(s) {
	case "linux", "":
		return simulate.EphemeralLinux, "Linux", nil
	case "windows":
		return simulate.EphemeralWindows, "Windows", nil
	case "nat", "elb":
		return simulate.EphemeralNAT, "NAT gateway or load balancer", nil
	}
	r, err := model.ParsePortRange(s)
	if err != nil {
		return r, "", fmt.Errorf("--ephemeral: %w", err)
	}
	return r, "given with --ephemeral", nil
}

func runTrace(s *streams, o *traceOptions) error {
	proto, err := model.ParseProtocol(o.protocol)
	if err != nil {
		return fmt.Errorf("--protocol: %w", err)
	}
	q := simulate.Query{From: o.from, To: o.to, Protocol: proto, Via: o.via}
	switch o.appliances {
	case "assume":
	case "strict":
		q.Appliances = simulate.AppliancesStrict
	default:
		return fmt.Errorf("--appliances %q: want assume or strict", o.appliances)
	}
	var ports model.PortRange
	if proto.HasPorts() {
		if o.port == "" {
			return errors.New("--port is required for " + proto.String())
		}
		pr, err := model.ParsePortRange(o.port)
		if err != nil || o.port == "all" {
			return fmt.Errorf("--port %q: want a port 1-65535 or a range A-B", o.port)
		}
		if pr.Last == 0 { // a range from 0 (0-65535, as intent files write all ports) is fine
			return errors.New("--port 0 is not a port a connection can use")
		}
		q.Port, ports = pr.First, pr
	} else if o.port != "" {
		return errors.New("--port applies to tcp and udp only")
	}
	q.Ephemeral, q.EphemeralName, err = parseEphemeral(o.ephemeral)
	if err != nil {
		return err
	}
	if q.DNS, err = o.dns.options(); err != nil {
		return err
	}
	m, err := o.src.load(s.ErrOut)
	if err != nil {
		return err
	}
	run := func(m *model.Model) (simulate.Result, error) {
		if ports.First != ports.Last {
			return simulate.TraceRange(m, q, ports)
		}
		return simulate.Trace(m, q)
	}
	if problems := m.Validate(); len(problems) > 0 {
		// The question is still checked (a bad --from is an error), but
		// the answer is that the network cannot exist.
		run = func(m *model.Model) (simulate.Result, error) {
			res, err := simulate.Trace(m, q)
			return simulate.RefusedResult(res.Flow, problems), err
		}
	}
	var res simulate.Result
	if o.fix == "all" {
		res, err = simulate.FixAll(m, run)
	} else {
		res, err = run(m)
	}
	if err != nil {
		return m.Suggest(err)
	}
	res.FixSource = simulate.SourceFixes(m, res.Change) // the fix in the plan's or template's language
	switch o.output {
	case "json":
		err = render.JSON(s.Out, res)
	case "mermaid":
		err = render.Mermaid(s.Out, res)
	case "html":
		err = report.Trace(s.Out, res, report.Options{Run: o.page, Picture: reportPicture(m)})
	case "dot", "svg", "png":
		err = tracePicture(s, m, res, o.output) // graph.go
	default:
		err = render.Text(s.Out, res)
	}
	if err != nil {
		return err
	}
	if res.Verdict != simulate.Reachable {
		return finding()
	}
	return nil
}

// completeVia completes --via with the VPN connections and virtual private
// gateways of the network on the command line.
func (o *sourceOptions) completeVia(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
	m := o.completionModel()
	if m == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, id := range model.SortedKeys(m.VPNConnections) {
		if c := m.VPNConnections[id]; c.VPNGatewayID != "" {
			out = append(out, id+"\tVPN connection on "+c.VPNGatewayID)
		}
	}
	for _, id := range model.SortedKeys(m.VPNGateways) {
		out = append(out, id+"\tvirtual private gateway")
	}
	return withPrefix(out, typed), cobra.ShellCompDirectiveNoFileComp
}
