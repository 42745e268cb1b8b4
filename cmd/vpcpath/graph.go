package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/picture"
)

type graphOptions struct {
	src    sourceOptions
	output string
	out    string
	scope  picture.Scope
}

// graphFormats are graph's --output values.
var graphFormats = []string{"dot\tGraphviz DOT (the default)", "mermaid\ta Mermaid flowchart", "json\tnodes and edges with IDs", "svg\ta picture, rendered in-process", "png\ta picture (to a file: --out or >)"}

func newGraphCmd(s *streams) *cobra.Command {
	o := &graphOptions{}
	c := &cobra.Command{
		Use:   "graph (--snapshot DIR | --example NAME | --plan FILE ...) [--vpc ID] [--around ID --depth N] [--collapse] [-o dot|mermaid|json|svg|png]",
		Short: "Draw the network's topology: VPCs, subnets, route tables, gateways, peering, transit gateways",
		Long: `Draw the network's topology: accounts, regions and VPCs as nested clusters;
subnets with their route tables and network ACLs; internet, NAT and
egress-only gateways; VPC endpoints; peering connections; transit gateways
with their route tables and attachments; VPN and Direct Connect; the
internet and on-premises.

A line the input does not decide (a plan's route target known only after
apply, an attachment in an unknown state) is drawn unknown: dashed, with a
"?". A blackhole route, a peering connection that is not active or a VPN
whose tunnels are down is drawn dotted with why, never as a link.

Scope a large estate: --vpc, --account and --in-region keep what matches
and the elements one line away (so no line leaving the scope is hidden);
--around ID --depth N keeps what is at most N lines from one element;
--collapse draws the subnets sharing a route table and ACL as one node.

Output: dot (the default; pipe it to Graphviz), mermaid, json, or svg
and png rendered in-process (no Graphviz needed; png only to a file or a
pipe). See docs/graph.md.`,
		Example: `  vpcpath graph --example databricks-privatelink
  vpcpath graph --example databricks-privatelink -o svg --out topology.svg
  vpcpath graph --snapshot ./snap --around vpc-0abc --depth 2 --collapse -o mermaid`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.src.validate(); err != nil {
				return err
			}
			switch o.output {
			case "dot", "mermaid", "json", "svg", "png":
			default:
				return errors.New("--output: want dot, mermaid, json, svg or png, not " + o.output)
			}
			if err := refuseBinaryToTerminal(s, o.output, o.out); err != nil {
				return err
			}
			if c.Flags().Changed("depth") && o.scope.Around == "" {
				return errors.New("--depth needs --around ID")
			}
			return runGraph(s, o)
		},
	}
	o.src.bind(c)
	c.Flags().StringVarP(&o.output, "output", "o", "dot", "dot, mermaid, json, svg or png")
	c.Flags().StringVar(&o.out, "out", "", "write the output to this file instead of stdout")
	c.Flags().StringSliceVar(&o.scope.VPCs, "vpc", nil, "draw this VPC (repeatable) and what it connects to")
	c.Flags().StringVar(&o.scope.Account, "account", "", "draw this account's elements and what they connect to")
	c.Flags().StringVar(&o.scope.Region, "in-region", "", "draw this region's elements and what they connect to (--region is live collection)")
	c.Flags().StringVar(&o.scope.Around, "around", "", "draw the elements at most --depth lines from this one (a VPC, subnet, gateway... ID)")
	c.Flags().IntVar(&o.scope.Depth, "depth", 2, "with --around: how many lines away")
	c.Flags().BoolVar(&o.scope.Collapse, "collapse", false, "draw the subnets that share a route table and a network ACL as one node with their count")
	completeOutput(c, graphFormats...)
	mustComplete(c, "out", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveDefault // a file name
	})
	freeText(c, "depth")
	mustComplete(c, "vpc", o.src.completeGraph(func(n *picture.Node) (string, string) {
		if n.Kind != picture.KindVPC {
			return "", ""
		}
		return n.ID, n.Name
	}))
	mustComplete(c, "account", o.src.completeGraph(func(n *picture.Node) (string, string) { return n.Account, "account" }))
	mustComplete(c, "in-region", o.src.completeGraph(func(n *picture.Node) (string, string) { return n.Region, "region" }))
	mustComplete(c, "around", o.src.completeGraph(func(n *picture.Node) (string, string) {
		return n.ID, string(n.Kind) + " " + n.Name
	}))
	return c
}

// completeGraph completes a flag with a value of each node of the
// network's topology (pick returns "" to skip a node).
func (o *sourceOptions) completeGraph(pick func(*picture.Node) (value, desc string)) completer {
	return func(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
		m := o.completionModel()
		if m == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		seen := map[string]string{}
		for _, n := range picture.Build(m).Nodes() {
			if v, d := pick(n); v != "" && seen[v] == "" {
				seen[v] = d
			}
		}
		var out []string
		for _, v := range model.SortedKeys(seen) {
			out = append(out, v+"\t"+seen[v])
		}
		return withPrefix(out, typed), cobra.ShellCompDirectiveNoFileComp
	}
}

func runGraph(s *streams, o *graphOptions) error {
	m, err := o.src.load(s.ErrOut)
	if err != nil {
		return err
	}
	g, err := picture.Build(m).Apply(o.scope)
	if err != nil {
		return err
	}
	out, err := g.Encode(o.output)
	if err != nil {
		return err
	}
	return writeOutput(s, o.out, out)
}

// refuseBinaryToTerminal refuses to write a PNG to a terminal.
func refuseBinaryToTerminal(s *streams, format, file string) error {
	if format == "png" && file == "" && s.OutTTY {
		return errors.New("--output png is binary: not written to a terminal; redirect it (> picture.png) or give --out FILE")
	}
	return nil
}

// writeOutput writes a command's output to file, or to stdout when file
// is "".
func writeOutput(s *streams, file string, out []byte) error {
	if file == "" {
		_, err := s.Out.Write(out)
		return err
	}
	if err := os.WriteFile(file, out, 0o644); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	return nil
}

// tracePicture writes trace --output dot|svg: the path on the topology.
func tracePicture(s *streams, m *model.Model, res simulate.Result, format string) error {
	out, err := picture.Trace(m, res).Encode(format)
	if err != nil {
		return err
	}
	_, err = s.Out.Write(out)
	return err
}
