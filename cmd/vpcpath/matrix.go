package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/matrix"
	"github.com/vpcpath/vpcpath/simulate/matrix/heatmap"
	"github.com/vpcpath/vpcpath/simulate/render"
	"github.com/vpcpath/vpcpath/simulate/render/report"
)

type matrixOptions struct {
	src        sourceOptions
	by         string
	protocol   string
	port       string
	ephemeral  string
	appliances string
	rules      bool
	expect     string
	junit      string
	output     string
	maxPairs   int
	page       report.Run // what an HTML report says it answers
}

func newMatrixCmd(s *streams) *cobra.Command {
	o := &matrixOptions{}
	c := &cobra.Command{
		Use:   "matrix (--snapshot DIR | --example NAME) [--by subnet|security-group|vpc|account|tag:KEY] [--protocol P] [--port A-B] [--expect FILE]",
		Short: "Which segments reach which: reachable, blocked, partial (with the ports) or unknown for every pair",
		Long: `Reachability between segments of the network (subnets, security groups,
VPCs, accounts, or the values of a tag) on a protocol and port range. A cell
is reachable when every member of the row reaches every member of the column
on every port, blocked when none does on any port, partial when some pairs or
ports do (the ports are listed), unknown when nothing is known to reach and
the model cannot decide some pair. A segment's members are its workload
interfaces, and a stand-in node in each of its subnets where none runs.

With --expect FILE (YAML, schema in simulate/check/matrix-expect.schema.json)
it is a segmentation audit: each cell an expectation selects must be blocked
or reachable on its ports.

--output html writes one self-contained page to share: the counts (and the
audit's verdict), the heatmap, the audit's outcomes with their fixes, and
the matrix as a table.

Exit codes: 0 (with --expect: every expectation met), 1 any expectation
failed or undecided, 2 error.`,
		Example: `  vpcpath matrix --example databricks-privatelink
  vpcpath matrix --example databricks-privatelink --by security-group --port 443 --rules
  vpcpath matrix --snapshot ./snap --by tag:env --expect segmentation.yaml --junit report.xml
  vpcpath matrix --snapshot ./snap --by vpc -o svg > matrix.svg
  vpcpath matrix --snapshot ./snap --expect segmentation.yaml -o html > audit.html`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if err := o.src.validate(); err != nil {
				return err
			}
			switch o.output {
			case "text", "csv", "json", "junit", "svg", "png", "html":
			default:
				return errors.New("--output: want text, csv, json, junit, svg, png or html, not " + o.output)
			}
			o.page = reportRun(c, o.src)
			if o.output == "junit" && o.expect == "" {
				return errors.New("--output junit reports an audit: give --expect FILE")
			}
			if o.junit != "" && o.expect == "" {
				return errors.New("--junit reports an audit: give --expect FILE")
			}
			return runMatrix(s, o, c.Flags().Changed("by"))
		},
	}
	o.src.bind(c)
	c.Flags().StringVar(&o.by, "by", "subnet", "segments: subnet, security-group, vpc, account or tag:KEY")
	c.Flags().StringVar(&o.protocol, "protocol", "tcp", "tcp, udp, icmp, icmpv6 or all")
	c.Flags().StringVar(&o.port, "port", "0-65535", "destination port or range A-B (tcp and udp)")
	c.Flags().StringVar(&o.ephemeral, "ephemeral", "linux", "client ephemeral ports replies go to: linux, windows, nat or A-B")
	c.Flags().StringVar(&o.appliances, "appliances", "assume", "assume: an appliance on a path forwards, stated as an assumption; strict: answer unknown there")
	c.Flags().BoolVar(&o.rules, "rules", false, "name the rules that blocked (or left undecided) each run of ports, with how many member pairs each decided")
	c.Flags().StringVar(&o.expect, "expect", "", "segmentation audit: YAML file of segment pairs that must be blocked or reachable")
	c.Flags().StringVar(&o.junit, "junit", "", "with --expect, also write the audit as JUnit XML to this file")
	c.Flags().IntVar(&o.maxPairs, "max-class-pairs", 10_000_000, "refuse (exit 2) a matrix that needs more class pairs traced than this; 0: no limit")
	c.Flags().StringVarP(&o.output, "output", "o", "text", "text, csv, json, junit (the audit), svg or png (a heatmap), or html (one self-contained page to share)")
	mustComplete(c, "by", completeBy(o.src.completionModel))
	mustComplete(c, "protocol", fixed(protocolValues...))
	mustComplete(c, "ephemeral", fixed(ephemeralValues...))
	mustComplete(c, "appliances", fixed("assume", "strict"))
	mustComplete(c, "expect", completeFiles("yaml", "yml"))
	mustComplete(c, "junit", completeFiles("xml"))
	freeText(c, "port", "max-class-pairs")
	completeOutput(c, "text", "csv", "json", "junit\tthe --expect audit as JUnit XML", "svg\ta heatmap", "png\ta heatmap", "html\ta self-contained page to share")
	return c
}

func runMatrix(s *streams, o *matrixOptions, byGiven bool) error {
	proto, err := model.ParseProtocol(o.protocol)
	if err != nil {
		return fmt.Errorf("--protocol: %w", err)
	}
	ports, err := model.ParsePortRange(o.port)
	if err != nil {
		return fmt.Errorf("--port: %w", err)
	}
	eph, ephName, err := parseEphemeral(o.ephemeral)
	if err != nil {
		return err
	}
	appl := ""
	switch o.appliances {
	case "assume":
	case "strict":
		appl = simulate.AppliancesStrict
	default:
		return fmt.Errorf("--appliances %q: want assume or strict", o.appliances)
	}
	var exp *matrix.ExpectFile
	if o.expect != "" {
		data, err := os.ReadFile(o.expect)
		if err != nil {
			return err
		}
		if exp, err = matrix.ParseExpect(o.expect, data); err != nil {
			return err
		}
		if exp.By != "" {
			by, _ := matrix.ParseBy(o.by)
			if byGiven && by != exp.By {
				return fmt.Errorf("--by %s, but %s is written for by: %s", o.by, o.expect, exp.By)
			}
			o.by = exp.By
		}
	}
	m, err := o.src.load(s.ErrOut)
	if err != nil {
		return err
	}
	x, err := matrix.Compute(m, matrix.Options{By: o.by, Protocol: proto, Ports: ports, Ephemeral: eph, EphemeralName: ephName,
		Appliances: appl, Rules: o.rules, MaxClassPairs: o.maxPairs})
	if err != nil {
		return err
	}
	var rep render.CheckReport
	if exp != nil {
		outcomes, err := x.Check(exp)
		if err != nil {
			return err
		}
		notes := []string{fmt.Sprintf("matrix by %s, %s %s: %d segments, %d members in %d classes", x.By, x.Protocol, x.Ports, len(x.Segments), x.Stats.Members, x.Stats.Classes)}
		rep = render.NewCheckReport("matrix --expect "+o.expect, append(notes, x.Notes...), outcomes)
		x.Audit = &matrix.AuditReport{Summary: rep.Summary, Outcomes: outcomes}
		if o.junit != "" {
			f, err := os.Create(o.junit)
			if err != nil {
				return err
			}
			err = render.CheckJUnit(f, rep)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		}
	}
	switch o.output {
	case "json":
		err = matrix.JSON(s.Out, x) // render.JSON's bytes, cell by cell
	case "csv":
		err = matrix.CSV(s.Out, x)
	case "junit":
		err = render.CheckJUnit(s.Out, rep)
	case "svg", "png":
		err = writeHeatmap(s, x, o.output)
	case "html":
		err = writeMatrixReport(s, m, x, exp != nil, rep, o.page)
	default:
		if exp != nil {
			// The audit, with the matrix's notes; -o json holds the cells.
			err = render.CheckText(s.Out, rep)
		} else {
			err = matrix.Text(s.Out, x)
		}
	}
	if err != nil {
		return err
	}
	if exp != nil && (rep.Summary["FAIL"] > 0 || rep.Summary["UNKNOWN"] > 0) {
		return finding()
	}
	return nil
}

// completeBy completes --by: the fixed cuts, and tag:KEY for every tag key
// of the network's interfaces, instances, subnets and VPCs.
func completeBy(load func() *model.Model) completer {
	return func(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
		entries := []string{"subnet\tone segment per subnet", "security-group\tone segment per security group",
			"vpc\tone segment per VPC", "account\tone segment per owner account"}
		if typed == "" || strings.HasPrefix(typed, "t") {
			if m := load(); m != nil {
				keys := map[string]bool{}
				add := func(t model.Tags) {
					for k := range t {
						keys[k] = true
					}
				}
				for _, e := range m.ENIs {
					add(e.Tags)
				}
				for _, i := range m.Instances {
					add(i.Tags)
				}
				for _, s := range m.Subnets {
					add(s.Tags)
				}
				for _, v := range m.VPCs {
					add(v.Tags)
				}
				var ks []string
				for k := range keys {
					ks = append(ks, k)
				}
				sort.Strings(ks)
				for _, k := range ks {
					entries = append(entries, "tag:"+k+"\tone segment per value of the tag "+k)
				}
			} else {
				entries = append(entries, "tag:\tone segment per value of a tag: tag:KEY")
			}
		}
		return withPrefix(entries, typed), cobra.ShellCompDirectiveNoFileComp
	}
}

// writeMatrixReport writes the matrix (and its audit) as one HTML page,
// the heatmap inline as SVG (heatmap.Write: vpcpath's own drawing, with no
// external reference, as the page's policy requires).
func writeMatrixReport(s *streams, m *model.Model, x *matrix.Matrix, audited bool, rep render.CheckReport, run report.Run) error {
	var svg bytes.Buffer
	if err := heatmap.Write(&svg, x, "svg"); err != nil {
		return err
	}
	var audit *render.CheckReport
	if audited {
		audit = &rep
	}
	return report.Matrix(s.Out, x, audit, svg.Bytes(), report.Options{Run: run, Picture: reportPicture(m)})
}

// writeHeatmap draws the matrix (heatmap.Write) to stdout.
func writeHeatmap(s *streams, x *matrix.Matrix, format string) error {
	if format == "png" && s.OutTTY {
		return errors.New("-o png writes binary data: redirect it to a file (> matrix.png)")
	}
	return heatmap.Write(s.Out, x, format)
}
