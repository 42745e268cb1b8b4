package matrix

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"fmt"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/vpcpath/vpcpath/internal/estate"
	"net/netip"
	"testing"

	"github.com/vpcpath/vpcpath"
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/cfn"
	"github.com/vpcpath/vpcpath/model/snapshot"
	"github.com/vpcpath/vpcpath/model/tfplan"
	"github.com/vpcpath/vpcpath/simulate"
)

// pairwise checks every cell of x against the traces of every member pair
// of m, one by one: each span's counts must be what the pairs' own traces
// say on those ports, and every pair's verdict must be one over the span.
// It returns the number of member pairs traced.
func pairwise(t *testing.T, m *model.Model, o Options, x *Matrix) int {
	t.Helper()
	sg := &segmenter{m: m, taken: map[netip.Addr]bool{}}
	segs, members, err := sg.build(x.By)
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != len(x.Segments) {
		t.Fatalf("%d segments, the matrix has %d", len(segs), len(x.Segments))
	}
	if !o.Protocol.HasPorts() {
		o.Ports = model.PortRange{}
	}
	cache := map[[2]*model.ENI][]run{}
	traced := 0
	for i := range segs {
		for j := range segs {
			cell := x.Cell(i, j)
			pairs := 0
			counts := make([][3]int, len(cell.Spans))
			rules := make([]map[Rule]int, len(cell.Spans))
			for _, a := range members[i] {
				for _, b := range members[j] {
					if a == b {
						continue
					}
					pairs++
					runs, ok := cache[[2]*model.ENI{a, b}]
					if !ok {
						q := simulate.Query{From: a.ID, To: b.ID, Protocol: o.Protocol, StandIns: sg.standIns}
						r, err := simulate.TraceRange(m, q, o.Ports)
						if err != nil {
							t.Fatalf("trace %s -> %s: %v", a.ID, b.ID, err)
						}
						runs = runsOf(r, o.Ports, o.Protocol.HasPorts())
						cache[[2]*model.ENI{a, b}] = runs
						traced++
					}
					for k, s := range cell.Spans {
						var v simulate.Verdict
						var by *Rule
						for _, r := range runs {
							if r.ports.Last < s.ports.First || r.ports.First > s.ports.Last {
								continue
							}
							if v != "" && v != r.verdict {
								t.Fatalf("cell %s -> %s span %s: pair %s -> %s is %s on part of it and %s on another: the span is not exact",
									cell.From, cell.To, s.Ports, a.ID, b.ID, v, r.verdict)
							}
							v = r.verdict
							if r.by != nil && o.Rules {
								rule := Rule{Verdict: r.verdict, Component: r.by.Component, ID: r.by.ID, Rule: r.by.Rule, Return: r.by.Return}
								if by != nil && *by != rule {
									t.Fatalf("cell %s -> %s span %s: pair %s -> %s is decided by %s on part of it and %s on another: the span is not exact",
										cell.From, cell.To, s.Ports, a.ID, b.ID, *by, rule)
								}
								by = &rule
							}
						}
						if by != nil {
							if rules[k] == nil {
								rules[k] = map[Rule]int{}
							}
							rules[k][*by]++
						}
						switch v {
						case simulate.Reachable:
							counts[k][0]++
						case simulate.Blocked:
							counts[k][1]++
						default:
							counts[k][2]++
						}
					}
				}
			}
			if pairs != cell.Pairs {
				t.Fatalf("cell %s -> %s: %d pairs, want %d", cell.From, cell.To, cell.Pairs, pairs)
			}
			if pairs == 0 {
				if cell.Status != Empty {
					t.Fatalf("cell %s -> %s has no pair but status %s", cell.From, cell.To, cell.Status)
				}
				continue
			}
			next := o.Ports.First
			for k, s := range cell.Spans {
				if s.ports.First != next {
					t.Fatalf("cell %s -> %s: span %s does not start at %d", cell.From, cell.To, s.Ports, next)
				}
				next = s.ports.Last + 1
				got := [3]int{s.Reachable, s.Blocked, s.Unknown}
				if got != counts[k] {
					t.Fatalf("cell %s -> %s span %s: reachable/blocked/unknown %v, pairwise traces say %v", cell.From, cell.To, s.Ports, got, counts[k])
				}
				if o.Rules {
					// The rules that decided the span, with their pair counts,
					// are those of the pairs' own traces.
					want := map[Rule]int{}
					for r, n := range rules[k] {
						r.Pairs = n
						want[r] = n
					}
					have := map[Rule]int{}
					for _, r := range s.Rules {
						have[r] = r.Pairs
					}
					if !maps.Equal(have, want) {
						t.Fatalf("cell %s -> %s span %s: rules %v, pairwise traces say %v", cell.From, cell.To, s.Ports, s.Rules, want)
					}
				}
			}
			if last := cell.Spans[len(cell.Spans)-1].ports.Last; last != o.Ports.Last {
				t.Fatalf("cell %s -> %s: spans end at %d, not %d", cell.From, cell.To, last, o.Ports.Last)
			}
		}
	}
	return traced
}

func loadExample(t *testing.T) *model.Model {
	t.Helper()
	ex, err := vpcpath.Example("databricks-privatelink")
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := snapshot.LoadFS(ex, "databricks-privatelink")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestExampleAgainstPairwiseTraces: every cell of the bundled example, cut
// every way, on TCP 0-65535, UDP and ICMP, is what the pairwise traces say.
func TestExampleAgainstPairwiseTraces(t *testing.T) {
	m := loadExample(t)
	for _, by := range []string{BySubnet, BySecurityGroup, ByVPC, ByAccount, "tag:Name"} {
		for _, proto := range []model.Protocol{model.ProtoTCP, model.ProtoUDP, model.ProtoICMP} {
			t.Run(by+"/"+proto.String(), func(t *testing.T) {
				o := Options{By: by, Protocol: proto, Ports: model.AllPorts, Rules: true}
				x, err := Compute(m, o)
				if err != nil {
					t.Fatal(err)
				}
				pairwise(t, m, o, x)
			})
		}
	}
}

// TestRandomEstatesAgainstPairwiseTraces generates small random estates
// (VPCs joined by peering and a transit gateway, subnets with their own
// route tables and ACLs, groups referencing each other, interfaces sharing
// subnets and groups so that classes group them) and compares every cell
// with the pairwise traces. Seeded: the same estates every run.
func TestRandomEstatesAgainstPairwiseTraces(t *testing.T) {
	n := 40
	if testing.Short() {
		n = 8
	}
	grouped := 0
	var gated, traced int64
	seen := map[Status]int{}
	for seed := range n {
		m := randomEstate(uint64(seed))
		for _, by := range []string{BySubnet, BySecurityGroup, ByVPC} {
			o := Options{By: by, Protocol: model.ProtoTCP, Ports: model.AllPorts, Rules: true}
			x, err := Compute(m, o)
			if err != nil {
				t.Fatalf("seed %d by %s: %v", seed, by, err)
			}
			t.Run(fmt.Sprintf("seed%d/%s", seed, by), func(t *testing.T) { pairwise(t, m, o, x) })
			gated += x.en.gated.Load()
			traced += x.en.traced.Load()
			if x.Stats.Classes < x.Stats.Members {
				grouped++
			}
			for _, c := range x.Cells {
				seen[c.Status]++
			}
		}
	}
	// The test proves something only if classes do group members.
	if grouped == 0 {
		t.Fatal("no random estate grouped two members into a class: the property test tests nothing")
	}
	// And the estates exercise every answer a cell can have.
	for _, st := range []Status{Reachable, Blocked, Partial, Unknown} {
		if seen[st] == 0 {
			t.Errorf("no %s cell in the random estates: %v", st, seen)
		}
	}
	t.Logf("cells by status: %v; class pairs decided by gates %d, by traces %d", seen, gated, traced)
	if gated == 0 {
		t.Fatal("no class pair was decided by gates: the property test tests the traces alone")
	}
}

// The multi-VPC scenarios of the golden scripts: their snapshots.
var scenarios = []string{
	"check_intents_cross_account", "check_segmentation_one_open_range", "check_segmentation_pass", "from_internet_public",
	"from_onprem_vpn", "peering_cross_region_cross_account", "peering_transitive_edge_return", "tgw_appliance_mode_asymmetric",
	"tgw_hub_spoke", "tgw_inter_region_peering", "vpn_tunnels_down",
}

// loadScenario writes the snapshot (snap/...) of a golden script into a
// temporary folder and loads it.
func loadScenario(t *testing.T, name string) *model.Model {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("..", "..", "cmd", "vpcpath", "testdata", "script", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	n := 0
	for _, f := range a.Files {
		rest, ok := strings.CutPrefix(f.Name, "snap/")
		if !ok {
			continue
		}
		p := filepath.Join(dir, rest)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n == 0 {
		t.Fatalf("%s holds no snap/ files", name)
	}
	m, _, err := snapshot.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestScenariosAgainstPairwiseTraces: every cell of every multi-VPC golden
// scenario, by subnet and by VPC, on TCP 0-65535 and on ICMP.
func TestScenariosAgainstPairwiseTraces(t *testing.T) {
	for _, name := range scenarios {
		m := loadScenario(t, name)
		for _, by := range []string{BySubnet, ByVPC, BySecurityGroup, ByAccount} {
			for _, proto := range []model.Protocol{model.ProtoTCP, model.ProtoICMP} {
				t.Run(name+"/"+by+"/"+proto.String(), func(t *testing.T) {
					o := Options{By: by, Protocol: proto, Ports: model.AllPorts}
					x, err := Compute(m, o)
					if err != nil {
						t.Fatal(err)
					}
					pairwise(t, m, o, x)
				})
			}
		}
	}
}

// TestSmallTransitEstateAgainstPairwiseTraces: the generated transit
// estate (12 VPCs in 3 regions, transit gateways, peering), by VPC, on
// TCP 0-65535 (72 interfaces, six a VPC, to keep the pairwise traces short): every cell is
// what the pairwise traces say.
func TestSmallTransitEstateAgainstPairwiseTraces(t *testing.T) {
	if testing.Short() {
		t.Skip("traces every member pair of the estate")
	}
	dir := t.TempDir()
	spec := estate.SmallTransit()
	spec.ENIs = 72
	if _, err := estate.Write(dir, spec); err != nil {
		t.Fatal(err)
	}
	m, _, err := snapshot.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	o := Options{By: ByVPC, Protocol: model.ProtoTCP, Ports: model.AllPorts}
	x, err := Compute(m, o)
	if err != nil {
		t.Fatal(err)
	}
	n := pairwise(t, m, o, x)
	t.Logf("%d members in %d classes; %d class pairs traced for %d member pairs", x.Stats.Members, x.Stats.Classes, x.Stats.ClassPairs, n)
}

// TestMemoStartingAgain: with the worker's memo starting again before
// every cell (trim past a cap of one key), the small transit estate's
// matrix by VPC (cells of many class pairs) is the one the memo kept
// across cells gives: runs kept from maps that trim dropped (whose ids
// the next maps reuse) must not come back. It fails when the recent ACL
// gates outlive trim.
func TestMemoStartingAgain(t *testing.T) {
	dir := t.TempDir()
	if _, err := estate.Write(dir, estate.SmallTransit()); err != nil {
		t.Fatal(err)
	}
	m, _, err := snapshot.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	o := Options{By: ByVPC, Protocol: model.ProtoTCP, Ports: model.AllPorts}
	want, err := Compute(m, o)
	if err != nil {
		t.Fatal(err)
	}
	defer func(n int) { memoCap = n }(memoCap)
	memoCap = 1
	got, err := Compute(m, o)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want.Cells {
		if !reflect.DeepEqual(got.Cells[i], want.Cells[i]) {
			t.Fatalf("cell %s -> %s: with the memo starting again %+v, kept %+v", want.Cells[i].From, want.Cells[i].To, got.Cells[i], want.Cells[i])
		}
	}
}

// TestPortOutsideTheFilters: an interface the input places at an address
// AWS serves (its VPC's resolver: bad input, but input) makes the answer
// depend on the port outside the filters, so the gates refuse it and its
// class pairs are traced; the cells still agree with the pairwise traces.
func TestPortOutsideTheFilters(t *testing.T) {
	for seed := range 6 {
		m := randomEstate(uint64(seed))
		var moved *model.ENI
		for _, id := range model.SortedKeys(m.ENIs) {
			e := m.ENIs[id]
			if sub := m.Subnets[e.SubnetID]; sub != nil && sub.CIDR.Contains(m.VPCs[e.VPCID].ResolverAddr()) {
				e.PrivateIPs = []netip.Addr{m.VPCs[e.VPCID].ResolverAddr()}
				moved = e
				break
			}
		}
		if moved == nil {
			continue
		}
		m.Index()
		o := Options{By: BySubnet, Protocol: model.ProtoTCP, Ports: model.AllPorts, Rules: true}
		x, err := Compute(m, o)
		if err != nil {
			t.Fatal(err)
		}
		if x.en.traced.Load() == 0 {
			t.Fatalf("seed %d: %s at its VPC's resolver address, yet no class pair was traced", seed, moved.ID)
		}
		pairwise(t, m, o, x)
		return
	}
	t.Fatal("no random estate has an interface in the subnet of its VPC's resolver")
}

// TestJSONStreamsTheDocument: the matrix written cell by cell is the
// document marshalled at once (as render.JSON writes it), byte for byte:
// with and without rules, an audit, cells of every status, no cell.
func TestJSONStreamsTheDocument(t *testing.T) {
	whole := func(x *Matrix) []byte {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(x); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	var ms []*model.Model
	ms = append(ms, loadExample(t))
	for seed := range 4 {
		ms = append(ms, randomEstate(uint64(seed)))
	}
	empty := model.New()
	ms = append(ms, empty)
	n := 0
	for _, m := range ms {
		for _, o := range []Options{{By: BySubnet, Protocol: model.ProtoTCP, Ports: model.AllPorts, Rules: true}, {By: ByVPC, Protocol: model.ProtoICMP}} {
			x, err := Compute(m, o)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := JSON(&got, x); err != nil {
				t.Fatal(err)
			}
			if want := whole(x); !bytes.Equal(got.Bytes(), want) {
				t.Fatalf("streamed JSON differs from the whole document (%d vs %d bytes)", got.Len(), len(want))
			}
			n += len(x.Cells)
		}
	}
	if n == 0 {
		t.Fatal("no cell written")
	}
}

// TestRouteTargetsStandAlone: an interface a route names (an appliance
// in its own subnet's table, for another VPC's block) is walked by
// identity, so it is a class of its own, and every cell still matches the
// pairwise traces.
func TestRouteTargetsStandAlone(t *testing.T) {
	tried := 0
	for seed := range 12 {
		m := randomEstate(uint64(seed))
		var app *model.ENI
		for _, id := range model.SortedKeys(m.ENIs) {
			e := m.ENIs[id]
			mates := 0
			for _, f := range m.ENIs {
				if f.SubnetID == e.SubnetID && f.InstanceID == "" && f.Status == e.Status {
					mates++
				}
			}
			if e.InstanceID == "" && e.Status == "in-use" && mates > 1 {
				app = e
				break
			}
		}
		if app == nil {
			continue
		}
		rt, _ := m.SubnetRouteTable(app.SubnetID)
		if rt == nil {
			continue
		}
		other := "10.1.0.0/16"
		if app.VPCID == "vpc-1" {
			other = "10.0.0.0/16"
		}
		rt.Routes = append(rt.Routes, model.Route{Dest: netip.MustParsePrefix(other), Target: model.Target{Kind: model.TargetENI, ID: app.ID}})
		m.Index()
		o := Options{By: BySubnet, Protocol: model.ProtoTCP, Ports: model.AllPorts, Rules: true}
		x, err := Compute(m, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range x.classes {
			if slices.Contains(c.members, app) && len(c.members) != 1 {
				t.Fatalf("seed %d: %s, a route's target, shares a class with %d others", seed, app.ID, len(c.members)-1)
			}
		}
		pairwise(t, m, o, x)
		tried++
	}
	if tried == 0 {
		t.Fatal("no random estate had an interface to make an appliance")
	}
}

// TestExternalSnapshotsAgainstPairwiseTraces: every snapshot of Batfish's
// AWS tests (machine-produced describe output, in the workplace's shared
// fixtures, not in the repository) and CloudMapper's demo account, by
// subnet and by VPC on TCP 0-65535 with rules: every cell is what the
// pairwise traces say.
func TestExternalSnapshotsAgainstPairwiseTraces(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "fixtures", "external")
	if _, err := os.Stat(root); err != nil {
		t.Skip("../shared/fixtures/external is absent (a user's clone): skipping the external snapshots")
	}
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "aws_configs" || strings.HasSuffix(p, filepath.Join("cloudmapper", "account-data", "demo"))) {
			dirs = append(dirs, p)
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() && len(dirs) > 4 {
		dirs = dirs[:4]
	}
	members, cells := 0, 0
	for _, dir := range dirs {
		m, _, err := snapshot.LoadDir(dir)
		if err != nil {
			continue // snapshots the loader refuses are judged in model/snapshot
		}
		name, _ := filepath.Rel(root, dir)
		for _, by := range []string{BySubnet, ByVPC} {
			o := Options{By: by, Protocol: model.ProtoTCP, Ports: model.AllPorts, Rules: true}
			x, err := Compute(m, o)
			if err != nil {
				t.Fatalf("%s by %s: %v", name, by, err)
			}
			t.Run(name+"/"+by, func(t *testing.T) { pairwise(t, m, o, x) })
			members += x.Stats.Members
			cells += len(x.Cells)
		}
	}
	t.Logf("%d snapshots, %d cells, %d members", len(dirs), cells, members)
	if cells == 0 {
		t.Fatal("no external snapshot gave a cell")
	}
}

// TestPlansAndTemplatesAgainstPairwiseTraces: every plan terraform made for the
// repository (testdata/terraform/*/plan.json, testdata/plans), with their
// undecided values (rules, routes, targets known after apply), by subnet
// on TCP 0-65535 with rules: every cell is what the pairwise traces say.
func TestPlansAndTemplatesAgainstPairwiseTraces(t *testing.T) {
	a, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "terraform", "*", "plan.json"))
	b, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "plans", "*.json"))
	paths := append(a, b...)
	if testing.Short() && len(paths) > 6 {
		paths = paths[:6]
	}
	cells, unknown := 0, 0
	for _, path := range paths {
		p, err := tfplan.Load(path)
		if err != nil {
			continue // plans the loader refuses are judged in model/tfplan
		}
		m, err := p.Model()
		if err != nil {
			continue
		}
		o := Options{By: BySubnet, Protocol: model.ProtoTCP, Ports: model.AllPorts, Rules: true}
		x, err := Compute(m, o)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		t.Run(path, func(t *testing.T) { pairwise(t, m, o, x) })
		for _, c := range x.Cells {
			cells++
			if c.Status == Unknown {
				unknown++
			}
		}
	}
	// And the CloudFormation templates (one of them the network moto builds
	// with create-stack in cmd/vpcpath/cfn_moto_test.go).
	templates, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "cloudformation", "*.yaml"))
	for _, path := range templates {
		tpl, err := cfn.Load(path, cfn.Options{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		m, err := tpl.Model()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		o := Options{By: BySubnet, Protocol: model.ProtoTCP, Ports: model.AllPorts, Rules: true}
		x, err := Compute(m, o)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		t.Run(path, func(t *testing.T) { pairwise(t, m, o, x) })
		cells += len(x.Cells)
	}
	t.Logf("%d plans and %d templates, %d cells, %d unknown", len(paths), len(templates), cells, unknown)
	if cells == 0 || unknown == 0 && !testing.Short() {
		t.Fatalf("%d cells, %d unknown: the plans should exercise undecided values", cells, unknown)
	}
}
