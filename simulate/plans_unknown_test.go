package simulate_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/tfplan"
	"github.com/vpcpath/vpcpath/simulate"
)

// TestUnknownAttributeNeverDecides is the property behind "nothing the plan
// describes is silently dropped": for every plan of the repository (the
// bundled example's and the Terraform corpus's), every resource the loader
// reads, and every one of its attributes (top-level, and each attribute of
// each element of a nested block), making that one value unknown until
// apply (after_unknown) never turns an answer into a different confident
// one: a confident verdict stays the same or becomes unknown, and an
// unknown one stays unknown. The answers are a fixed set of traces between
// the plan's instances and interfaces and to the internet, named by
// Terraform address so that an ID turned unknown still names the same
// resource.
func TestUnknownAttributeNeverDecides(t *testing.T) {
	files, _ := filepath.Glob("../testdata/plans/*.plan.json")
	more, _ := filepath.Glob("../testdata/terraform/*/plan.json")
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("found %d plans: run from the simulate directory", len(files))
	}
	mutations, checked := 0, 0
	present := map[string]bool{} // resource types of the plans

	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(f, "../testdata/")
		base, flows, err := verdicts(name, data, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The fail-* variants of the bundled example differ from it in one
		// change each: a sample of their mutations is enough (every one
		// with -short sampling every plan).
		every := 1
		if strings.HasPrefix(name, "plans/fail-") {
			every = 5
		}
		if testing.Short() {
			every = 7
		}
		for _, typ := range typesOf(t, data) {
			present[typ] = true
		}
		for n, mu := range mutationsOf(t, data) {
			if n%every != 0 {
				continue
			}
			m := mu.apply(t, data)
			mutations++
			got, _, err := verdicts(name, m.plan, flows)
			if err != nil {
				t.Errorf("%s with %s unknown: the plan no longer loads: %v", name, m.what, err)
				continue
			}
			for _, fl := range flows {
				b, g := base[fl], got[fl]
				checked++
				if b == g || g == simulate.Unknown || g == "" {
					continue
				}
				t.Errorf("%s with %s unknown: %s was %s, now %s", name, m.what, fl, b, g)
			}
		}
	}
	t.Logf("%d plans, %d mutations, %d verdicts compared", len(files), mutations, checked)
	if !testing.Short() {
		for _, typ := range loaderTypes {
			if !present[typ] {
				t.Errorf("no plan has a %s: add one to testdata/terraform", typ)
			}
		}
	}
}

// loaderTypes are the managed resource types model/tfplan reads.
var loaderTypes = strings.Fields(`aws_vpc aws_default_vpc aws_vpc_ipv4_cidr_block_association aws_subnet
	aws_default_subnet aws_ec2_managed_prefix_list aws_ec2_managed_prefix_list_entry aws_internet_gateway
	aws_internet_gateway_attachment aws_eip aws_nat_gateway aws_vpc_peering_connection aws_ec2_transit_gateway
	aws_ec2_transit_gateway_vpc_attachment aws_security_group aws_default_security_group aws_network_acl
	aws_default_network_acl aws_route_table aws_default_route_table aws_vpc_endpoint aws_network_interface
	aws_instance aws_route53_zone aws_security_group_rule aws_vpc_security_group_ingress_rule
	aws_vpc_security_group_egress_rule aws_network_acl_rule aws_network_acl_association aws_route
	aws_route_table_association aws_main_route_table_association aws_vpc_endpoint_route_table_association
	aws_vpc_endpoint_subnet_association aws_vpc_endpoint_security_group_association aws_eip_association
	aws_route53_record aws_route53_zone_association`)

// typesOf lists the managed resource types of a plan's changes.
func typesOf(t *testing.T, data []byte) []string {
	var plan struct {
		ResourceChanges []struct {
			Mode string `json:"mode"`
			Type string `json:"type"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(data, &plan); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, rc := range plan.ResourceChanges {
		if rc.Mode == "managed" {
			out = append(out, rc.Type)
		}
	}
	return out
}

// flow names a trace by Terraform addresses: "from -> to".
type flow string

// verdicts loads a plan and traces the flows (chosen on the first call,
// when flows is nil: between the interfaces of instances, network
// interfaces and interface endpoints, and from each to the internet, on
// tcp/443 and tcp/22).
func verdicts(name string, data []byte, flows []flow) (map[flow]simulate.Verdict, []flow, error) {
	p, err := tfplan.Parse(name, data)
	if err != nil {
		return nil, nil, err
	}
	m, err := p.Model()
	if err != nil {
		return nil, nil, err
	}
	byAddr := map[string]string{} // address -> ENI ID (the first interface of the resource)
	for _, id := range model.SortedKeys(m.ENIs) {
		addr := m.Sources[id]
		if addr == "" {
			continue
		}
		key := addr
		if e := m.ENIs[id]; e.Type == "vpc_endpoint" && strings.Contains(id, "#") {
			key = addr + strings.TrimSuffix(id[strings.LastIndex(id, "#"):], ")")
		}
		if _, ok := byAddr[key]; !ok {
			byAddr[key] = id
		}
	}
	if flows == nil {
		var addrs []string
		for a := range byAddr {
			addrs = append(addrs, a)
		}
		sort.Strings(addrs)
		if len(addrs) > 5 {
			addrs = addrs[:5]
		}
		for _, a := range addrs {
			for _, port := range []string{"443", "22"} {
				flows = append(flows, flow(a+" -> 8.8.8.8:"+port))
				for _, b := range addrs {
					if a != b {
						flows = append(flows, flow(a+" -> "+b+":"+port))
					}
				}
			}
		}
	}
	out := map[flow]simulate.Verdict{}
	for _, fl := range flows {
		from, rest, _ := strings.Cut(string(fl), " -> ")
		to, port, _ := strings.Cut(rest, ":")
		if strings.LastIndex(rest, ":") > 0 {
			to, port = rest[:strings.LastIndex(rest, ":")], rest[strings.LastIndex(rest, ":")+1:]
		}
		src := byAddr[from]
		if src == "" {
			out[fl] = simulate.Unknown // the interface is no longer there to trace: nothing decided
			continue
		}
		dst := to
		if to != "8.8.8.8" {
			if dst = byAddr[to]; dst == "" {
				out[fl] = simulate.Unknown
				continue
			}
		}
		var n uint16
		fmt.Sscan(port, &n)
		r, err := simulate.Trace(m, simulate.Query{From: src, To: dst, Protocol: model.ProtoTCP, Port: n})
		if err != nil {
			out[fl] = "" // a question the model cannot ask (an overlapping address): not a verdict
			continue
		}
		out[fl] = r.Verdict
	}
	return out, flows, nil
}

// site is one attribute to make unknown: attribute k of resource change
// i (at addr), or attribute ek of its element j when j >= 0.
type site struct {
	i, j        int
	addr, k, ek string
}

func (s site) apply(t *testing.T, data []byte) mutation {
	return mutate(t, data, s.i, s.addr, s.k, s.j, s.ek)
}

type mutation struct {
	what string
	plan []byte
}

// mutationsOf lists every attribute of every resource change, each to be
// made unknown alone by site.apply (removed from after and planned_values,
// true in after_unknown).
func mutationsOf(t *testing.T, data []byte) []site {
	var plan map[string]any
	if err := json.Unmarshal(data, &plan); err != nil {
		t.Fatal(err)
	}
	changes, _ := plan["resource_changes"].([]any)
	var out []site
	for i, c := range changes {
		rc, _ := c.(map[string]any)
		change, _ := rc["change"].(map[string]any)
		after, _ := change["after"].(map[string]any)
		if after == nil || rc["mode"] == "data" {
			continue
		}
		addr, _ := rc["address"].(string)
		for _, k := range sortedKeys(after) {
			if after[k] == nil || k == "id" {
				// An ID is unknown only when the resource is replaced, and
				// then so is every reference to it: Terraform cannot write
				// a plan with only the ID unknown.
				continue
			}
			if _, list := after[k].([]any); !list || configured(plan, addr, k) {
				// A whole inline list (ingress, route) unknown where the
				// configuration sets none is Terraform's computed default,
				// read as "none": it cannot be told from a dynamic block
				// over a collection unknown until apply (tfplan's
				// wholeUnknown; a known gap).
				out = append(out, site{i, -1, addr, k, ""})
			}
			elems, _ := after[k].([]any)
			for j, e := range elems {
				em, _ := e.(map[string]any)
				for _, ek := range sortedKeys(em) {
					if em[ek] != nil {
						out = append(out, site{i, j, addr, k, ek})
					}
				}
			}
		}
	}
	return out
}

func mutate(t *testing.T, data []byte, i int, addr, k string, j int, ek string) mutation {
	var plan map[string]any
	if err := json.Unmarshal(data, &plan); err != nil {
		t.Fatal(err)
	}
	rc := plan["resource_changes"].([]any)[i].(map[string]any)
	change := rc["change"].(map[string]any)
	unknown, _ := change["after_unknown"].(map[string]any)
	if unknown == nil {
		unknown = map[string]any{}
		change["after_unknown"] = unknown
	}
	what := addr + "." + k
	edit := func(vals map[string]any) {
		if j < 0 {
			delete(vals, k)
			return
		}
		if list, ok := vals[k].([]any); ok && j < len(list) {
			if em, ok := list[j].(map[string]any); ok {
				delete(em, ek)
			}
		}
	}
	edit(change["after"].(map[string]any))
	if j < 0 {
		unknown[k] = true
	} else {
		what = fmt.Sprintf("%s.%s[%d].%s", addr, k, j, ek)
		after := change["after"].(map[string]any)
		list, _ := unknown[k].([]any)
		for len(list) < len(after[k].([]any)) {
			list = append(list, map[string]any{})
		}
		em, _ := list[j].(map[string]any)
		if em == nil {
			em = map[string]any{}
		}
		em[ek] = true
		list[j] = em
		unknown[k] = list
	}
	forEachPlanned(plan["planned_values"], addr, edit)
	out, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	return mutation{what: what, plan: out}
}

// forEachPlanned applies edit to the planned values of the resource at addr.
func forEachPlanned(pv any, addr string, edit func(map[string]any)) {
	m, _ := pv.(map[string]any)
	if m == nil {
		return
	}
	var walk func(mod map[string]any)
	walk = func(mod map[string]any) {
		rs, _ := mod["resources"].([]any)
		for _, r := range rs {
			rm, _ := r.(map[string]any)
			if rm["address"] == addr {
				if vals, ok := rm["values"].(map[string]any); ok {
					edit(vals)
				}
			}
		}
		cs, _ := mod["child_modules"].([]any)
		for _, c := range cs {
			if cm, ok := c.(map[string]any); ok {
				walk(cm)
			}
		}
	}
	if root, ok := m["root_module"].(map[string]any); ok {
		walk(root)
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// configured reports whether the configuration of the resource at addr
// has an expression for attribute k.
func configured(plan map[string]any, addr, k string) bool {
	cfg, _ := plan["configuration"].(map[string]any)
	mod, _ := cfg["root_module"].(map[string]any)
	parts := strings.Split(addr, ".")
	for len(parts) > 2 && parts[0] == "module" {
		calls, _ := mod["module_calls"].(map[string]any)
		name := parts[1]
		if i := strings.IndexByte(name, '['); i >= 0 {
			name = name[:i]
		}
		call, _ := calls[name].(map[string]any)
		mod, _ = call["module"].(map[string]any)
		parts = parts[2:]
	}
	want := strings.Join(parts, ".")
	if i := strings.IndexByte(want, '['); i >= 0 {
		want = want[:i]
	}
	rs, _ := mod["resources"].([]any)
	for _, r := range rs {
		rm, _ := r.(map[string]any)
		if rm["address"] == want {
			ex, _ := rm["expressions"].(map[string]any)
			_, ok := ex[k]
			return ok
		}
	}
	return false
}
