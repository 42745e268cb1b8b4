package check

import (
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// segmentation proves pairs apart on every port, both ways: a pass lists
// how each destination was blocked; a failure names the first open
// sub-range and its path; an undecidable trace is unknown, named.
func TestSegmentationProvesPairsApart(t *testing.T) {
	for _, tc := range []struct {
		name   string
		apart  string
		change func(m *model.Model)
		want   map[string]Status
		about  string // the outcome whose detail must hold detail
		detail string
	}{
		{"public subnet and endpoint subnet stay apart", "subnet:public-a|subnet:endpoints-a", func(*model.Model) {},
			map[string]Status{
				"apart: subnet:public-a -> subnet:endpoints-a tcp": Pass, "apart: subnet:public-a -> subnet:endpoints-a udp": Pass,
				"apart: subnet:public-a -> subnet:endpoints-a icmp": Pass, "apart: subnet:public-a -> subnet:endpoints-a protocol 47 (named by no rule)": Pass,
				"apart: subnet:endpoints-a -> subnet:public-a tcp": Pass, "apart: subnet:endpoints-a -> subnet:public-a udp": Pass,
				"apart: subnet:endpoints-a -> subnet:public-a icmp": Pass, "apart: subnet:endpoints-a -> subnet:public-a protocol 47 (named by no rule)": Pass,
			},
			"apart: subnet:public-a -> subnet:endpoints-a tcp", "eni-0a0000000000e0011: blocked at security-group sg-0a0000000000000f2"},
		{"workspace nodes reach the endpoints on 443 first", "subnet:workspace-a+sg:databricks-workspace-sg|subnet:endpoints-a", func(*model.Model) {},
			map[string]Status{
				"apart: subnet:workspace-a+sg:databricks-workspace-sg -> subnet:endpoints-a tcp":  Fail,
				"apart: subnet:workspace-a+sg:databricks-workspace-sg -> subnet:endpoints-a udp":  Pass,
				"apart: subnet:workspace-a+sg:databricks-workspace-sg -> subnet:endpoints-a icmp": Pass,
				"apart: subnet:endpoints-a -> subnet:workspace-a+sg:databricks-workspace-sg tcp":  Pass,
			},
			"apart: subnet:workspace-a+sg:databricks-workspace-sg -> subnet:endpoints-a tcp", "eni-0a0000000000e0011 tcp/443 is open: reachable via route-table rtb-"},
		{"nodes selected by tag: intra-cluster tcp is open on every port", "tag:Name=databricks-node-a|tag:Name=databricks-node-b", func(*model.Model) {},
			map[string]Status{
				"apart: tag:Name=databricks-node-a -> tag:Name=databricks-node-b tcp":                            Fail,
				"apart: tag:Name=databricks-node-a -> tag:Name=databricks-node-b icmp":                           Pass,
				"apart: tag:Name=databricks-node-a -> tag:Name=databricks-node-b protocol 47 (named by no rule)": Pass,
			},
			"apart: tag:Name=databricks-node-b -> tag:Name=databricks-node-a udp", "eni-0a0000000000c0001 udp/all is open: reachable via route-table rtb-0a0000000000000a2"},
		{"a destination without recorded groups is unknown, named", "subnet:public-a|subnet:workspace-a", func(m *model.Model) {
			m.ENIs["eni-0a0000000000c0001"].Groups = nil
		},
			map[string]Status{"apart: subnet:public-a -> subnet:workspace-a tcp": Unknown},
			"apart: subnet:public-a -> subnet:workspace-a tcp", "eni-0a0000000000c0001 tcp/all: unknown at security-group"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := example(t)
			tc.change(m)
			f, shape, _, err := segmentation.Build(m, map[string]string{"apart": tc.apart})
			if err != nil {
				t.Fatal(err)
			}
			if len(shape) != 0 || len(f.Requirements) != 8 {
				t.Fatalf("%d shape outcomes, %d requirements; want 0 and 8 (4 protocols, 2 directions)", len(shape), len(f.Requirements))
			}
			for _, in := range f.Requirements {
				if in.Expect != "blocked" {
					t.Errorf("%s expects %s", in.Name, in.Expect)
				}
			}
			out := Run(m, f, Options{})
			got := statuses(out)
			for name, st := range tc.want {
				if got[name] != st {
					t.Errorf("%s: %q, want %q (outcomes %v)", name, got[name], st, got)
				}
			}
			found := false
			for _, o := range out {
				if o.Name == tc.about && strings.Contains(o.Detail, tc.detail) {
					found = true
				}
			}
			if !found {
				for _, o := range out {
					if o.Name == tc.about {
						t.Logf("%s: %s", o.Name, o.Detail)
					}
				}
				t.Errorf("%s: no detail holds %q", tc.about, tc.detail)
			}
		})
	}
}

func TestSegmentationParamErrors(t *testing.T) {
	m := example(t)
	for _, tc := range []struct{ apart, want string }{
		{"", "give apart="},
		{"subnet:public-a", "want two segments, A|B"},
		{"subnet:public-a|subnet:endpoints-a|vpc-x", "want two segments, A|B"},
		{"vpc-nope|subnet:public-a", `no VPC "vpc-nope"`},
		{"host:x|subnet:public-a", `"host:x": want vpc-ID`},
		{"tag:env|subnet:public-a", "want tag:KEY=VALUE"},
		{"vpc-0db1c0ffee0000001+subnet:public-a|subnet:endpoints-a", "give a VPC or subnets, not both"},
	} {
		_, _, _, err := segmentation.Build(m, map[string]string{"apart": tc.apart})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("apart=%q: error %v, want %q", tc.apart, err, tc.want)
		}
	}
}

// Every protocol is covered: tcp, udp and icmp, each protocol a rule names
// (GRE named here, so the unnamed stand-in moves to 48), and one no rule
// names, which only an all-traffic rule admits.
func TestSegmentationCoversEveryProtocol(t *testing.T) {
	m := example(t)
	g := m.SecurityGroups["sg-0a0000000000000f2"]
	g.Ingress = append(g.Ingress, model.SGRule{Protocol: 47}, model.SGRule{Protocol: 50})
	var got []string
	for _, p := range apartProtocols(m) {
		got = append(got, p.label)
	}
	want := "tcp, udp, icmp, protocol 47, protocol 50, protocol 48 (named by no rule)"
	if strings.Join(got, ", ") != want {
		t.Errorf("protocols %q, want %q", strings.Join(got, ", "), want)
	}
}
