package tfplan

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Placeholder ID prefixes by resource type (package doc).
var idPrefix = map[string]string{
	"aws_vpc":                                "vpc",
	"aws_subnet":                             "subnet",
	"aws_route_table":                        "rtb",
	"aws_default_route_table":                "rtb",
	"aws_security_group":                     "sg",
	"aws_default_security_group":             "sg",
	"aws_network_acl":                        "acl",
	"aws_default_network_acl":                "acl",
	"aws_vpc_endpoint":                       "vpce",
	"aws_nat_gateway":                        "nat",
	"aws_internet_gateway":                   "igw",
	"aws_eip":                                "eipalloc",
	"aws_instance":                           "i",
	"aws_network_interface":                  "eni",
	"aws_ec2_managed_prefix_list":            "pl",
	"aws_prefix_list":                        "pl",
	"aws_vpc_peering_connection":             "pcx",
	"aws_ec2_transit_gateway":                "tgw",
	"aws_ec2_transit_gateway_vpc_attachment": "tgw-attach",
	"aws_ec2_transit_gateway_route_table":    "tgw-rtb",
	"aws_route53_zone":                       "Z",
	"aws_security_group_rule":                "sgr",
	"aws_vpc_security_group_ingress_rule":    "sgr",
	"aws_vpc_security_group_egress_rule":     "sgr",
}

func placeholder(prefix, what string) string { return prefix + "-(" + what + ")" }

// IsPlaceholder reports whether id is a placeholder the loader made up for
// a value Terraform knows only after apply.
func IsPlaceholder(id string) bool { return strings.Contains(id, "-(") && strings.HasSuffix(id, ")") }

// assignIDs gives every resource its ID: the planned id, else a
// placeholder named after its address.
func (p *Plan) assignIDs() {
	for _, r := range append(append([]*resource{}, p.resources...), p.deleted...) {
		if id := str(r.vals, "id"); id != "" && !r.isUnknown("id") {
			r.id = id
			continue
		}
		prefix := idPrefix[r.typ]
		if prefix == "" {
			prefix = "tf"
		}
		r.id = placeholder(prefix, r.addr)
	}
}

// splitRef splits a reference at dots outside brackets.
func splitRef(ref string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(ref); i++ {
		switch ref[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '.':
			if depth == 0 {
				parts = append(parts, ref[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, ref[start:])
}

// target is a referenced attribute of a resource.
type target struct {
	res  *resource
	attr string
}

// resolve returns the resources that references made in module instance
// module point to. fromIndex is the referrer's count or for_each key: a
// scalar reference without an index to a counted resource picks the
// instance with the same key when there is one. seen reports whether any
// reference looked like one to a resource or module (so that resolving to
// nothing is an error, not a constant).
func (p *Plan) resolve(module string, refs []string, fromIndex any, scalar bool, depth int) (out []target, seen bool) {
	if depth > 8 {
		return nil, false
	}
	best := map[*resource]string{}
	var order []*resource
	add := func(r *resource, attr string) {
		if _, ok := best[r]; !ok {
			order = append(order, r)
		}
		if attr != "" || best[r] == "" {
			best[r] = attr
		}
	}
	for _, ref := range refs {
		parts := splitRef(ref)
		switch parts[0] {
		case "var":
			if len(parts) < 2 {
				continue
			}
			name, _ := cutIndex(parts[1])
			call := p.calls[configPath(module)]
			if call == nil || call.Expressions[name] == nil || call.Expressions[name].ExpressionData == nil {
				continue
			}
			parent := parentModule(module)
			vrefs := call.Expressions[name].References
			if fe := call.ForEachExpression; fe != nil && fe.ExpressionData != nil {
				// each.value of a module called with for_each = module.x
				// or aws_x.y is the element of this instance's key.
				vrefs = expandEachWith(fe.References, moduleKey(module), vrefs)
			}
			ts, s := p.resolve(parent, mostSpecific(vrefs), moduleIndex(module), scalar, depth+1)
			seen = seen || s
			for _, t := range ts {
				add(t.res, t.attr)
			}
		case "module":
			if len(parts) < 3 {
				continue
			}
			child := join(module, "module."+parts[1])
			cm := p.config[configPath(child)]
			out, idx := cutIndex(parts[2])
			if cm == nil || cm.Outputs[out] == nil || cm.Outputs[out].Expression == nil || cm.Outputs[out].Expression.ExpressionData == nil {
				seen = true
				continue
			}
			// An output whose expression names no resource (a local, a
			// function of variables) is not a missing resource.
			for _, inst := range p.moduleInstances(child) {
				ts, s := p.resolve(inst, cm.Outputs[out].Expression.References, nil, scalar, depth+1)
				seen = seen || s
				for _, t := range pickIndex(ts, idx) {
					add(t.res, t.attr)
				}
			}
		case "data":
			if len(parts) < 3 {
				continue
			}
			seen = true
			attr := ""
			if len(parts) > 3 {
				attr, _ = cutIndex(parts[3])
			}
			for _, r := range p.instances(module, "data."+parts[1], parts[2], fromIndex, scalar) {
				add(r, attr)
			}
		case "local", "each", "count", "path", "terraform", "self", "":
			continue
		default:
			if len(parts) < 2 || !strings.Contains(parts[0], "_") {
				continue
			}
			seen = true
			attr := ""
			if len(parts) > 2 {
				attr, _ = cutIndex(parts[2])
			}
			for _, r := range p.instances(module, parts[0], parts[1], fromIndex, scalar) {
				add(r, attr)
			}
		}
	}
	for _, r := range order {
		out = append(out, target{r, best[r]})
	}
	return out, seen
}

// cutIndex splits "name[0]" into "name" and "[0]".
func cutIndex(s string) (string, string) {
	if i := strings.IndexByte(s, '['); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}

// parentModule drops the last module.NAME[KEY] step.
func parentModule(module string) string {
	parts := splitRef(module)
	if len(parts) <= 2 {
		return ""
	}
	return strings.Join(parts[:len(parts)-2], ".")
}

// moduleIndex is the instance key of the last module step, as a string.
func moduleIndex(module string) any {
	parts := splitRef(module)
	if len(parts) == 0 {
		return nil
	}
	if _, idx := cutIndex(parts[len(parts)-1]); idx != "" {
		return idx
	}
	return nil
}

// moduleKey is the instance key of the last module step ("a" of
// module.x["a"], 0 of module.x[0]), nil without one.
func moduleKey(module string) any {
	idx, _ := moduleIndex(module).(string)
	if idx == "" {
		return nil
	}
	in := strings.Trim(idx, "[]")
	if strings.HasPrefix(in, "\"") {
		return strings.Trim(in, "\"")
	}
	var n int
	if _, err := fmt.Sscan(in, &n); err == nil {
		return float64(n)
	}
	return in
}

// moduleInstances lists the instances of a module call (module.a,
// module.a[0], module.a["x"]) present in the planned values.
func (p *Plan) moduleInstances(child string) []string {
	set := map[string]bool{}
	for _, r := range p.resources {
		m := r.module
		for m != "" {
			if configPath(m) == configPath(child) && strings.HasPrefix(m, strings.TrimSuffix(child, "")) {
				set[m] = true
				break
			}
			m = parentModule(m)
		}
	}
	if len(set) == 0 {
		return []string{child}
	}
	var out []string
	for m := range set {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// instances returns the planned instances of typ.name (name may carry an
// index) in module.
func (p *Plan) instances(module, typ, name string, fromIndex any, scalar bool) []*resource {
	base := join(module, typ+"."+strings.Split(name, "[")[0])
	if _, idx := cutIndex(name); literalIndex(idx) {
		if r := p.byAddr[base+idx]; r != nil {
			return []*resource{r}
		}
		if r := p.byAddr[base+strings.ReplaceAll(idx, "'", "\"")]; r != nil {
			return []*resource{r}
		}
	}
	if r := p.byAddr[base]; r != nil {
		return []*resource{r}
	}
	var all []*resource
	for _, r := range p.resources {
		if strings.HasPrefix(r.addr, base+"[") {
			all = append(all, r)
		}
	}
	if scalar && fromIndex != nil {
		key := indexKey(fromIndex)
		for _, r := range all {
			if indexKey(r.index) == key {
				return []*resource{r}
			}
		}
	}
	return all
}

func indexKey(i any) string {
	switch v := i.(type) {
	case nil:
		return ""
	case string:
		if strings.HasPrefix(v, "[") {
			return strings.Trim(v, "[]\"")
		}
		return v
	case float64:
		return fmt.Sprintf("%d", int(v))
	}
	return fmt.Sprint(i)
}

// literalIndex reports whether idx is a constant instance key: [0] or ["a"].
func literalIndex(idx string) bool {
	if len(idx) < 3 || idx[0] != '[' || idx[len(idx)-1] != ']' {
		return false
	}
	in := idx[1 : len(idx)-1]
	if strings.HasPrefix(in, "\"") && strings.HasSuffix(in, "\"") && len(in) >= 2 {
		return true
	}
	for _, c := range in {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Reference types. A reference is tied only to a resource whose ID (or
// referenced attribute) is the kind of ID the referring attribute holds:
// a vpc_id never takes a security group's ID because its expression also
// mentions the group.

// attrKinds are the ID kinds (AWS's ID prefixes) an attribute holds, by
// its name; absent names are not checked.
var attrKinds = map[string][]string{
	"vpc_id": {"vpc"}, "peer_vpc_id": {"vpc"},
	"subnet_id": {"subnet"}, "subnet_ids": {"subnet"},
	"security_group_id": {"sg"}, "source_security_group_id": {"sg"}, "referenced_security_group_id": {"sg"},
	"security_groups": {"sg"}, "vpc_security_group_ids": {"sg"}, "security_group_ids": {"sg"}, "default_security_group_id": {"sg"},
	"route_table_id": {"rtb"}, "route_table_ids": {"rtb"}, "default_route_table_id": {"rtb"}, "main_route_table_id": {"rtb"},
	"network_acl_id": {"acl"}, "default_network_acl_id": {"acl"},
	"nat_gateway_id":            {"nat"},
	"gateway_id":                {"igw", "vgw"},
	"internet_gateway_id":       {"igw"},
	"vpc_endpoint_id":           {"vpce"},
	"transit_gateway_id":        {"tgw"},
	"vpc_peering_connection_id": {"pcx"},
	"network_interface_id":      {"eni"}, "primary_network_interface_id": {"eni"}, "network_interface": {"eni"},
	"instance_id": {"i"}, "instance": {"i"},
	"allocation_id":  {"eipalloc"},
	"prefix_list_id": {"pl"}, "prefix_list_ids": {"pl"}, "destination_prefix_list_id": {"pl"},
	"egress_only_gateway_id": {"eigw"},
}

// typeKinds are the ID kinds of resource types beyond idPrefix: those the
// loader reads but names no placeholder after, and data sources of lists.
var typeKinds = map[string]string{
	"aws_default_vpc": "vpc", "aws_default_subnet": "subnet", "aws_vpn_gateway": "vgw",
	"aws_egress_only_internet_gateway": "eigw", "aws_subnets": "subnet", "aws_security_groups": "sg",
	"aws_route_tables": "rtb", "aws_network_acls": "acl", "aws_network_interfaces": "eni", "aws_instances": "i",
}

// wantKinds is the kinds attribute attr (possibly "block.attr") holds.
func wantKinds(attr string) []string {
	if i := strings.LastIndexByte(attr, '.'); i >= 0 {
		attr = attr[i+1:]
	}
	return attrKinds[attr]
}

// kindOf is the kind of ID a reference target yields: its resource's kind
// for the id, the attribute's for another ID attribute, "" when unknown,
// and "value" for an attribute that holds no ID (a CIDR, a name).
func kindOf(t target) string {
	if t.attr == "" || t.attr == "id" || t.attr == "ids" {
		if k := idPrefix[t.res.typ]; k != "" {
			return k
		}
		return typeKinds[t.res.typ]
	}
	if k := attrKinds[t.attr]; len(k) == 1 {
		return k[0]
	}
	if strings.HasSuffix(t.attr, "_id") || strings.HasSuffix(t.attr, "_ids") {
		return ""
	}
	return "value"
}

// typed keeps the targets whose kind attr can hold; dropped are the others.
func typed(attr string, ts []target) (kept, dropped []target) {
	want := wantKinds(attr)
	if len(want) == 0 {
		return ts, nil
	}
	for _, t := range ts {
		k := kindOf(t)
		if k == "" || slices.Contains(want, k) {
			kept = append(kept, t)
		} else {
			dropped = append(dropped, t)
		}
	}
	return kept, dropped
}

// expandEach rewrites each.value and each.key references of a for_each
// resource into references to the element it iterates over, when its
// for_each expression names one collection (for_each = aws_subnet.private,
// for_each = module.tier): each.value.id of instance ["a"] is
// aws_subnet.private["a"].id. Otherwise each.* stands for every reference
// of the for_each expression, and typing and ambiguity decide.
func expandEach(r *resource, refs []string) []string {
	if r.cfg == nil || r.cfg.ForEachExpression == nil || r.cfg.ForEachExpression.ExpressionData == nil {
		return refs
	}
	return expandEachWith(r.cfg.ForEachExpression.References, r.index, refs)
}

// expandEachWith is expandEach for the for_each references fe and the
// instance key (a resource's or a module call's).
func expandEachWith(fe []string, key any, refs []string) []string {
	var out []string
	for _, ref := range refs {
		if ref != "each.value" && !strings.HasPrefix(ref, "each.value.") && !strings.HasPrefix(ref, "each.value[") {
			out = append(out, ref)
			continue
		}
		coll := collection(fe)
		rest := strings.TrimPrefix(ref, "each.value")
		if coll != "" && key != nil {
			out = append(out, coll+"["+quoteKey(key)+"]"+rest)
			continue
		}
		out = append(out, fe...)
	}
	return out
}

// collection is the one resource or module call a for_each expression
// iterates over ("aws_subnet.private", "module.tier"), else "".
func collection(refs []string) string {
	if len(refs) != 1 {
		return ""
	}
	parts := splitRef(refs[0])
	switch {
	case parts[0] == "module" && len(parts) == 2:
		return refs[0]
	case parts[0] == "data" && len(parts) == 3:
		return refs[0]
	case strings.HasPrefix(parts[0], "aws_") && len(parts) == 2:
		return refs[0]
	}
	return ""
}

func quoteKey(i any) string {
	if f, ok := i.(float64); ok {
		return fmt.Sprintf("%d", int(f))
	}
	return fmt.Sprintf("%q", indexKey(i))
}

// pickIndex narrows the targets of a list output indexed by a literal
// number (module.vpc.private_subnet_ids[1]) to the instance of that count
// index, when they are instances of one counted resource.
func pickIndex(ts []target, idx string) []target {
	if !literalIndex(idx) || strings.Contains(idx, "\"") || len(ts) < 2 {
		return ts
	}
	var out []target
	for _, t := range ts {
		if t.res.typ != ts[0].res.typ || t.res.name != ts[0].res.name || t.res.module != ts[0].res.module {
			return ts
		}
		if indexKey(t.res.index) == strings.Trim(idx, "[]") {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return ts
	}
	return out
}

// mostSpecific drops a reference that another of the list refines:
// Terraform lists module.vpc.ids[1] with module.vpc.ids and aws_vpc.a.id
// with aws_vpc.a; the refined one says which element is meant.
func mostSpecific(refs []string) []string {
	var out []string
	for _, r := range refs {
		refined := false
		for _, s := range refs {
			if s != r && (strings.HasPrefix(s, r+"[") || strings.HasPrefix(s, r+".")) {
				refined = true
				break
			}
		}
		if !refined {
			out = append(out, r)
		}
	}
	return out
}
