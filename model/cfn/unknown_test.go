package cfn_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/cfn"
	"github.com/vpcpath/vpcpath/simulate/check"
)

// TestUnknownPropertyNeverDecides: for every property of every resource of
// the Databricks template, making that one property undecided
// (Fn::ImportValue of an export nobody gives) never turns a requirement's
// answer into a different confident one: each stays as it was or becomes
// UNKNOWN (or the profile cannot be built, an error, never a verdict).
func TestUnknownPropertyNeverDecides(t *testing.T) {
	params := map[string]string{"AvailabilityZones": "us-east-1a,us-east-1b,us-east-1c"}
	profile := map[string]string{"vpc": "vpc-(VPC)", "workspace_subnets": "workspace-1,workspace-2,workspace-3"}
	sweep(t, "databricks-quickstart.yaml", params, 100, func(m *model.Model) ([]check.Outcome, error) {
		pr, _ := check.ProfileByName("databricks-privatelink")
		f, shape, _, err := pr.Build(m, profile)
		if err != nil {
			return nil, err
		}
		return append(check.Run(m, f, check.Options{}), shape...), nil
	})
}

// TestUnknownPropertyNeverDecidesTwoTier is the same sweep on the
// two-tier network of the moto round trip (custom network ACL, separate
// and inline group rules, NAT), with requirements by logical ID.
func TestUnknownPropertyNeverDecidesTwoTier(t *testing.T) {
	f, err := check.Parse("intents.yaml", []byte(`
requirements:
  - {name: web to app, from: {instance: Web}, to: {instance: App}, protocol: tcp, ports: ["8080"]}
  - {name: no ssh to app, from: {instance: Web}, to: {instance: App}, protocol: tcp, ports: ["22"], expect: blocked}
  - {name: app to web, from: {instance: App}, to: {instance: Web}, protocol: tcp, ports: ["443"]}
  - {name: app out through NAT, from: {instance: App}, to: {internet: true}, protocol: tcp, ports: ["443"], via: [nat-gateway]}
  - {name: app no DNS out, from: {instance: App}, to: {ip: 8.8.8.8}, protocol: udp, ports: ["53"], expect: blocked}
  - {name: web out, from: {instance: Web}, to: {internet: true}, protocol: tcp, ports: ["22", "443"]}
  - {name: private subnet out, from: {subnet: [PrivateSubnet]}, to: {internet: true}, protocol: tcp, ports: ["443"]}
`))
	if err != nil {
		t.Fatal(err)
	}
	sweep(t, "moto-network.yaml", map[string]string{"AWS::Region": "us-east-1"}, 40, func(m *model.Model) ([]check.Outcome, error) {
		return check.Run(m, f, check.Options{}), nil
	})
}

// sweep makes each property of each resource of a template in
// testdata/cloudformation undecided in turn and checks that no answer of
// run changes but to UNKNOWN (an error building the requirements is no
// verdict either). min is the fewest properties it must try.
func sweep(t *testing.T, name string, params map[string]string, min int, run func(*model.Model) ([]check.Outcome, error)) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "cloudformation", name))
	if err != nil {
		t.Fatal(err)
	}
	base := prefixListBase()
	answers := func(src []byte) (map[string]check.Status, bool) {
		tm, err := cfn.Parse(name, src, cfn.Options{Params: params})
		if err != nil {
			t.Fatal(err)
		}
		m, err := cfn.Overlay(base, tm)
		if err != nil {
			return nil, false
		}
		outs, err := run(m)
		if err != nil {
			return nil, false
		}
		out := map[string]check.Status{}
		for _, o := range outs {
			k := o.Section + " | " + o.Name + " | " + o.From + " | " + o.Source
			for n := 2; ; n++ {
				if _, dup := out[k]; !dup {
					break
				}
				k = fmt.Sprintf("%s #%d", k, n)
			}
			out[k] = o.Status
		}
		return out, true
	}
	want, ok := answers(data)
	if !ok || len(want) < 5 {
		t.Fatalf("the template itself: %d answers", len(want))
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	resources := mapValue(doc.Content[0], "Resources")
	tried, changed := 0, 0
	for i := 1; i < len(resources.Content); i += 2 {
		logical := resources.Content[i-1].Value
		props := mapValue(resources.Content[i], "Properties")
		if props == nil {
			continue
		}
		for j := 1; j < len(props.Content); j += 2 {
			key := props.Content[j-1].Value
			if key == "Tags" || key == "GroupDescription" {
				continue
			}
			saved := *props.Content[j]
			*props.Content[j] = yaml.Node{Kind: yaml.ScalarNode, Tag: "!ImportValue", Value: "Undecided-" + logical + "-" + key}
			src, err := yaml.Marshal(&doc)
			*props.Content[j] = saved
			if err != nil {
				t.Fatal(err)
			}
			tried++
			got, ok := answers(src)
			if !ok {
				continue
			}
			names := make([]string, 0, len(want))
			for n := range want {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				g, has := got[n]
				if !has || g == want[n] {
					continue
				}
				changed++
				if g != check.Unknown {
					t.Errorf("%s.%s undecided: %s went from %s to %s", logical, key, n, want[n], g)
				}
			}
		}
	}
	t.Logf("%s: %d properties made undecided, %d answers became UNKNOWN", name, tried, changed)
	if tried < min || changed == 0 {
		t.Errorf("tried %d properties, %d answers changed: the test is not testing", tried, changed)
	}
}

func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 1; i < len(n.Content); i += 2 {
		if n.Content[i-1].Value == key {
			return n.Content[i]
		}
	}
	return nil
}

// prefixListBase is a network that holds only the region's AWS prefix
// lists (what describe-prefix-lists gives), for templates built over it.
func prefixListBase() *model.Model {
	base := model.New()
	for _, k := range []model.Kind{model.KindVPC, model.KindSubnet, model.KindRouteTable, model.KindSecurityGroup, model.KindNetworkACL,
		model.KindENI, model.KindInstance, model.KindVPCEndpoint, model.KindNATGateway, model.KindInternetGateway, model.KindPrefixList,
		model.KindPeering, model.KindTransitGateway, model.KindTGWAttachment, model.KindVPCAttribute} {
		base.Present[k] = true
	}
	base.PrefixLists["pl-63a5400a"] = &model.PrefixList{ID: "pl-63a5400a", Name: "com.amazonaws.us-east-1.s3", OwnerID: "AWS", CIDRsKnown: true,
		CIDRs: prefixes("16.15.176.0/20", "16.182.0.0/16", "18.34.0.0/19", "3.5.0.0/19", "52.216.0.0/15", "54.231.0.0/16")}
	base.PrefixLists["pl-02cd2c6b"] = &model.PrefixList{ID: "pl-02cd2c6b", Name: "com.amazonaws.us-east-1.dynamodb", OwnerID: "AWS", CIDRsKnown: true,
		CIDRs: prefixes("3.218.180.0/22", "52.94.0.0/22", "52.119.224.0/20")}
	base.Index()
	return base
}
