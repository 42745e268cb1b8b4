package check

import (
	"encoding/json"
	"net/netip"
	"os"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/vpcpath/vpcpath"
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/snapshot"
	"github.com/vpcpath/vpcpath/simulate"
)

func example(t *testing.T) *model.Model {
	t.Helper()
	fsys, err := vpcpath.Example("databricks-privatelink")
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := snapshot.LoadFS(fsys, "example")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func statuses(os []Outcome) map[string]Status {
	out := map[string]Status{}
	for _, o := range os {
		key := o.Name
		if prev, ok := out[key]; !ok || rank(o.Status) > rank(prev) {
			out[key] = o.Status
		}
	}
	return out
}

func TestParseReportsLines(t *testing.T) {
	for _, tt := range []struct{ body, want string }{
		{"requirements:\n  - name: a\n    from: {eni: eni-1}\n    to: {ip: 10.0.0.1}\n    ports: ['443']\n  - name: b\n    from: {eni: eni-1}\n    to: {ip: 10.0.0.1}\n    protocol: tcp\n", "f.yaml:6: requirement \"b\": ports are required for tcp"},
		{"requirements:\n  - name: a\n    from: {eni: eni-1}\n    to: {ip: 10.0.0.1}\n    ports: ['70000']\n", "f.yaml:2: requirement \"a\": ports: bad port"},
		{"requirements:\n  - name: a\n    form: {eni: eni-1}\n", "f.yaml:3: unknown field \"form\""},
		{"requirements:\n  - name: a\n    from: {endpoint: vpce-1}\n    to: {ip: 10.0.0.1}\n    ports: ['1']\n", "a source is an interface"},
		{"requirements:\n  - name: a\n    from: {eni: eni-1}\n    to: {ip: 10.0.0.1}\n    ports: ['1']\n    expect: maybe\n", "expect: want reachable or blocked"},
		{"requirements:\n  - name: a\n    from: {eni: eni-1}\n    to: {ip: 10.0.0.1}\n    ports: ['1']\n    resolves_to: private\n", "resolves_to needs to.host"},
		{"requirements:\n  - name: a\n    from: {eni: eni-1}\n    to: {ip: 10.0.0.1}\n    ports: ['1']\n  - name: b\n    from: {eni: eni-1}\n    to: {ip: 10.0.0.1}\n    protocol: tcpx\n", "f.yaml:6: requirement \"b\": protocol: unknown protocol \"tcpx\""},
		{"requirements:\n  - name: a\n    from: {eni: eni-1}\n    to: {ip: 10.0.0.1}\n    ports: ['1', '9-8']\n", "f.yaml:2: requirement \"a\": ports: bad port range \"9-8\""},
		{"requirements:\n  - name: a\n    from: {eni: eni-1}\n    to: {ip: 10.0.0.1}\n    ports: 443\n", "f.yaml:5: found a number `443` into a list"},
		{"requirements:\n  - name: a\n    from: {eni: eni-1}\n    to: {ip: 10.0.0.1}\n    protocol: [tcp]\n", "f.yaml:5: found a list into a string"},
		{"requirements:\n  - name: a\n    from: {eni: eni-1}\n    to: {ip: 10.0.0.1}\n    protocol: icmp\n    ports: ['1']\n", "f.yaml:2: requirement \"a\": ports apply to tcp and udp only"},
		{"requirements: [\n", "f.yaml:1: did not find expected node content"},
		{"requirements: []\n", "f.yaml: no requirements"},
	} {
		_, err := Parse("f.yaml", []byte(tt.body))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error %v, want %q", err, tt.want)
		}
	}
}

// A requirement's protocol defaults to tcp only when the file names none:
// "0" (or "-1", or a number) is the protocol it says.
func TestParseProtocolAndPorts(t *testing.T) {
	for _, tt := range []struct {
		field string
		want  model.Protocol
		ports []model.PortRange
	}{
		{"ports: ['443', 8443-8451]", model.ProtoTCP, []model.PortRange{model.Port(443), {First: 8443, Last: 8451}}},
		{"protocol: ~\n    ports: [0-65535]", model.ProtoTCP, []model.PortRange{model.AllPorts}},
		{"protocol: udp\n    ports: [53]", model.ProtoUDP, []model.PortRange{model.Port(53)}},
		{"protocol: 6\n    ports: [all]", model.ProtoTCP, []model.PortRange{model.AllPorts}},
		{"protocol: -1", model.ProtoAll, nil},
		{"protocol: 0", 0, nil},
		{"protocol: '47'", 47, nil},
	} {
		body := "requirements:\n  - name: a\n    from: {eni: eni-1}\n    to: {ip: 10.0.0.1}\n    " + tt.field + "\n"
		f, err := Parse("f.yaml", []byte(body))
		if err != nil {
			t.Errorf("%s: %v", tt.field, err)
			continue
		}
		in := f.Requirements[0]
		if in.Protocol != tt.want || !reflect.DeepEqual(in.Ports, tt.ports) {
			t.Errorf("%s: protocol %v ports %v, want %v %v", tt.field, in.Protocol, in.Ports, tt.want, tt.ports)
		}
	}
}

func TestDatabricksProfilePassesOnTheExample(t *testing.T) {
	m := example(t)
	p, err := ProfileByName("databricks-privatelink")
	if err != nil {
		t.Fatal(err)
	}
	f, shape, notes, err := p.Build(m, map[string]string{"compliance": "true"})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) < 5 {
		t.Errorf("discovery should say how each parameter was found: %v", notes)
	}
	all := append(Run(m, f, Options{}), shape...)
	for _, o := range all {
		if o.Status != Pass {
			t.Errorf("%s %s [%s]: %s", o.Status, o.Name, o.Source, o.Detail)
		}
	}
	st := statuses(all)
	for _, name := range []string{"intra-cluster TCP", "REST API", "control plane internal API, lineage, logging", "secure cluster connectivity relay",
		"FIPS (compliance security profile), REST", "S3 through the gateway endpoint", "STS through its interface endpoint", "VPC enableDnsHostnames"} {
		if st[name] != Pass {
			t.Errorf("%s: %s", name, st[name])
		}
	}
}

// TestDatabricksFailureClasses breaks the example one way at a time and
// checks that exactly the right requirement fails.
func TestDatabricksFailureClasses(t *testing.T) {
	for _, tt := range []struct {
		name   string
		breakm func(m *model.Model)
		fails  []string
		rule   string
		code   simulate.Code // of the failing functional outcomes, when set
	}{
		{"endpoint group lacks 8443-8451", func(m *model.Model) {
			g := m.SecurityGroups["sg-0a0000000000000f2"]
			var keep []model.SGRule
			for _, r := range g.Ingress {
				if r.Ports.First != 8443 {
					keep = append(keep, r)
				}
			}
			g.Ingress = keep
		}, []string{"control plane internal API, lineage, logging"}, "no matching rule", simulate.CodeSGNoMatchingIngress},
		{"NACL inbound without ephemeral return", func(m *model.Model) {
			a := m.NetworkACLs["acl-0a0000000000000d1"]
			a.Inbound = []model.NACLEntry{{Number: 100, Allow: true, Protocol: model.ProtoTCP, Ports: model.PortRange{First: 0, Last: 1023}, CIDR: netipMust("0.0.0.0/0")},
				{Number: model.FinalRuleNumber, Protocol: model.ProtoAll, Ports: model.AllPorts, CIDR: netipMust("0.0.0.0/0")}}
		}, []string{"intra-cluster TCP", "intra-cluster UDP", "REST API", "control plane internal API, lineage, logging", "secure cluster connectivity relay", "S3 through the gateway endpoint",
			"STS through its interface endpoint", "Kinesis through its interface endpoint", "internet (libraries) through NAT",
			"ACL inbound: lowest rule allows all from 0.0.0.0/0: acl-0a0000000000000d1"}, "#*", simulate.CodeNACLDefaultDeny},
		{"S3 endpoint not associated", func(m *model.Model) {
			rt := m.RouteTables["rtb-0a0000000000000a2"]
			var keep []model.Route
			for _, r := range rt.Routes {
				if r.DestPrefixList == "" {
					keep = append(keep, r)
				}
			}
			rt.Routes = keep
		}, []string{"S3 through the gateway endpoint"}, "", ""},
		{"private DNS off on the REST endpoint", func(m *model.Model) {
			m.Endpoints["vpce-0a0000000000e0001"].PrivateDNS = false
		}, []string{"private DNS on: vpce-0a0000000000e0001"}, "", ""},
		{"DNS hostnames off", func(m *model.Model) {
			m.VPCs["vpc-0db1c0ffee0000001"].DNSHostnames = model.No
		}, []string{"VPC enableDnsHostnames"}, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := example(t)
			tt.breakm(m)
			m.Index()
			p, _ := ProfileByName("databricks-privatelink")
			f, shape, _, err := p.Build(m, nil)
			if err != nil {
				t.Fatal(err)
			}
			all := append(Run(m, f, Options{}), shape...)
			failed := map[string]bool{}
			for _, o := range all {
				if o.Status == Fail {
					failed[o.Name] = true
					if tt.rule != "" && o.Section == "functional" && !strings.Contains(o.Rule, tt.rule) {
						t.Errorf("%s: rule %q, want %q", o.Name, o.Rule, tt.rule)
					}
					// A script reads why from the code, never the rule's text.
					if tt.code != "" && o.Section == "functional" && o.Code != tt.code {
						t.Errorf("%s: code %q, want %q", o.Name, o.Code, tt.code)
					}
					if o.Section == "functional" && o.Rule != "" && (o.Code == "" || o.Ref == nil) {
						t.Errorf("%s: rule %q without a code and ref (%q, %v)", o.Name, o.Rule, o.Code, o.Ref)
					}
					if o.Section == "functional" && o.Fix == nil && !strings.Contains(o.Detail, "not via") {
						t.Errorf("%s: a failure needs a fix: %s", o.Name, o.Detail)
					}
				} else if o.Status == Unknown {
					t.Errorf("unexpected UNKNOWN %s: %s", o.Name, o.Detail)
				}
			}
			for _, want := range tt.fails {
				if !failed[want] {
					t.Errorf("%q should fail; failed: %v", want, failed)
				}
				delete(failed, want)
			}
			if len(failed) > 0 {
				t.Errorf("other requirements failed too: %v", failed)
			}
		})
	}
}

func TestPrintedIntentsRoundTrip(t *testing.T) {
	m := example(t)
	p, _ := ProfileByName("databricks-privatelink")
	f, _, _, err := p.Build(m, map[string]string{"workspace_host": "dbc-1234abcd-5678.cloud.databricks.com"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := yaml.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Parse("printed.yaml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	a, b := Run(m, f, Options{}), Run(m, g, Options{})
	if len(a) != len(b) {
		t.Fatalf("%d outcomes, reparsed %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Status != b[i].Status || a[i].Detail != b[i].Detail {
			t.Errorf("%d: %+v\nreparsed %+v", i, a[i], b[i])
		}
	}
}

func TestSelectorsShareResultsBySubnetAndGroups(t *testing.T) {
	m := example(t)
	f, err := Parse("f.yaml", []byte(`requirements:
  - name: nodes to STS
    from: {tag: {Vendor: Databricks}}
    to: {endpoint_service: com.amazonaws.us-east-1.sts}
    ports: ["443"]
  - name: S3 never through NAT
    from: {security_group: [databricks-workspace-sg]}
    to: {prefix_list: com.amazonaws.us-east-1.s3}
    ports: ["443"]
    via: [vpc-endpoint]
    not_via: [nat-gateway]
  - name: no SSH from the nodes to the endpoints
    from: {subnet: [workspace-a]}
    to: {subnet: [endpoints-a]}
    ports: ["22"]
    expect: blocked
  - name: internet not through an endpoint
    from: {instance: i-0a0000000000c0001}
    to: {internet: true}
    ports: ["443"]
    via: [vpc-endpoint]
`))
	if err != nil {
		t.Fatal(err)
	}
	out := Run(m, f, Options{})
	got := map[string][]Status{}
	for _, o := range out {
		got[o.Name] = append(got[o.Name], o.Status)
	}
	want := map[string][]Status{
		"nodes to STS":                           {Pass, Pass},
		"S3 never through NAT":                   {Pass, Pass},
		"no SSH from the nodes to the endpoints": {Pass},
		"internet not through an endpoint":       {Fail},
	}
	for k, v := range want {
		if strings.Join(statusStrings(got[k]), ",") != strings.Join(statusStrings(v), ",") {
			t.Errorf("%s: %v, want %v", k, got[k], v)
		}
	}
	if _, ok := m.ENIs["eni-standin-0a0000000000000c1-sg-0a0000000000000f0"]; ok {
		t.Error("stand-in interfaces must never enter the model")
	}
}

func statusStrings(ss []Status) []string {
	var out []string
	for _, s := range ss {
		out = append(out, string(s))
	}
	return out
}

func netipMust(s string) netip.Prefix { return netip.MustParsePrefix(s) }

// TestSchemaMatchesTheTypes keeps intents.schema.json in step with the
// fields Parse accepts.
func TestSchemaMatchesTheTypes(t *testing.T) {
	data, err := os.ReadFile("intents.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Defs       map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	for name, typ := range map[string]reflect.Type{"requirement": reflect.TypeOf(Intent{}), "selector": reflect.TypeOf(Selector{})} {
		want := map[string]bool{}
		for i := 0; i < typ.NumField(); i++ {
			if tag := strings.Split(typ.Field(i).Tag.Get("yaml"), ",")[0]; tag != "" {
				want[tag] = true
			}
		}
		got := map[string]bool{}
		for k := range schema.Defs[name].Properties {
			got[k] = true
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: schema properties %v, type fields %v", name, got, want)
		}
	}
	if len(schema.Properties) != 2 {
		t.Errorf("top-level properties: %v", schema.Properties)
	}
}

// TestReadmeIntentExample runs the intent file docs/checks.md shows on the
// bundled example: every requirement passes.
func TestReadmeIntentExample(t *testing.T) {
	readme, err := os.ReadFile("../../docs/checks.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "```yaml\nrequirements:")
	if !ok {
		t.Fatal("docs/checks.md has no intent example")
	}
	body, _, _ := strings.Cut(rest, "```")
	f, err := Parse("docs/checks.md", []byte("requirements:"+body))
	if err != nil {
		t.Fatal(err)
	}
	m := example(t)
	for _, o := range Run(m, f, Options{}) {
		if o.Status != Pass {
			t.Errorf("%s %s [%s]: %s", o.Status, o.Name, o.Source, o.Detail)
		}
	}
}

func TestEveryNamedSubnetIsChecked(t *testing.T) {
	m := example(t)
	// Only node A runs: workspace-b gets a stand-in node.
	delete(m.ENIs, "eni-0a0000000000c0002")
	delete(m.Instances, "i-0a0000000000c0002")
	m.Index()
	f, err := Parse("f.yaml", []byte(`requirements:
  - name: relay
    from: {subnet: [workspace-a, workspace-b], security_group: [databricks-workspace-sg]}
    to: {endpoint: vpce-0a0000000000e0002}
    ports: ["6666"]
`))
	if err != nil {
		t.Fatal(err)
	}
	out := Run(m, f, Options{})
	if len(out) != 2 || out[0].Status != Pass || out[1].Status != Pass || !strings.Contains(out[1].Source, "eni-standin-0a0000000000000b2") {
		t.Fatalf("%+v", out)
	}
}
