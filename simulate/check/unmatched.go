package check

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vpcpath/vpcpath/model"
)

// Unmatched reports the first selector of an intent file that names
// something no network of nets holds: a mistake in the file (a typo, a
// renamed group), not a property of the network, so an error naming the
// file, the line and the selector rather than an UNKNOWN. A selector
// matches a resource by its ID, its Name tag or group name, or by where
// the input defines it (Model.Sources: a Terraform address such as
// aws_security_group.workspace, a CloudFormation logical ID), so a plan's
// new resources are named as the plan names them. With several networks
// (diff: before and after) a selector must match in one of them. What is
// legitimately absent is not a mistake and stays an answer: an endpoint
// service without an endpoint (FAIL: create it), a prefix list whose
// entries were not collected (unknown), a host name, an address.
func (f *File) Unmatched(nets ...*model.Model) error {
	for i := range f.Requirements {
		in := &f.Requirements[i]
		for _, side := range []struct {
			key  string
			sel  Selector
			line int
		}{{"from", in.From, in.fromLine}, {"to", in.To, in.toLine}} {
			var why error
			for j, m := range nets {
				w := unmatched(m, side.sel, side.key == "from")
				if j == 0 || w == nil {
					why = w
				}
				if w == nil {
					break
				}
			}
			if why == nil {
				continue
			}
			line := side.line
			if line == 0 {
				line = in.line
			}
			return &model.LoadError{File: f.name, Line: line, Field: fmt.Sprintf("requirement %q", in.Name), Err: fmt.Errorf("%s: %w", side.key, why)}
		}
	}
	return nil
}

// unmatched says which part of sel matches nothing in m (a
// *model.NotFoundError when it names a resource), or nil.
func unmatched(m *model.Model, sel Selector, source bool) error {
	nothing := func(k model.Kind, id, what string) error {
		return &model.NotFoundError{Kind: k, ID: id, Why: what + " matches nothing in the network"}
	}
	if sel.ENI != "" && findID(m, m.ENIs, sel.ENI, nil) == "" {
		return nothing(model.KindENI, sel.ENI, "eni "+sel.ENI)
	}
	if sel.Instance != "" && findID(m, m.Instances, sel.Instance, nil) == "" {
		return nothing(model.KindInstance, sel.Instance, "instance "+sel.Instance)
	}
	if sel.Endpoint != "" && findID(m, m.Endpoints, sel.Endpoint, nil) == "" {
		return nothing(model.KindVPCEndpoint, sel.Endpoint, "endpoint "+sel.Endpoint)
	}
	for _, n := range sel.Subnet {
		if findID(m, m.Subnets, n, func(s *model.Subnet) bool { return s.Tags.Name() == n }) == "" {
			return nothing(model.KindSubnet, n, fmt.Sprintf("subnet %q", n))
		}
	}
	for _, n := range sel.SecurityGroup {
		if findID(m, m.SecurityGroups, n, func(g *model.SecurityGroup) bool { return g.Name == n }) == "" {
			return nothing(model.KindSecurityGroup, n, fmt.Sprintf("security_group %q", n))
		}
	}
	if len(sel.Tag) > 0 {
		found := false
		for _, e := range m.ENIs {
			in := m.Instances[e.InstanceID]
			found = found || tagsMatch(e.Tags, sel.Tag) || in != nil && tagsMatch(in.Tags, sel.Tag)
		}
		for _, s := range m.Subnets {
			found = found || tagsMatch(s.Tags, sel.Tag)
		}
		if !found {
			return errors.New("tag " + tagString(sel.Tag) + " matches nothing in the network")
		}
	}
	if source && sel.IP != "" && len(sel.Subnet) == 0 {
		p, err := netip.ParsePrefix(sel.IP)
		if err != nil {
			a, _ := netip.ParseAddr(sel.IP)
			p = netip.PrefixFrom(a, a.BitLen())
		}
		for _, e := range m.ENIs {
			if p.Contains(e.PrimaryIP()) {
				return nil
			}
		}
		return errors.New("ip " + sel.IP + " matches nothing in the network")
	}
	return nil
}

// findID returns the ID of the resource n names in mp: by ID, by
// alsoName, or by where the input defines it (Model.Sources).
func findID[V any](m *model.Model, mp map[string]V, n string, alsoName func(V) bool) string {
	if _, ok := mp[n]; ok {
		return n
	}
	for _, id := range model.SortedKeys(mp) {
		if m.Sources[id] == n || alsoName != nil && alsoName(mp[id]) {
			return id
		}
	}
	return ""
}

func tagString(t map[string]string) string {
	var parts []string
	for _, k := range model.SortedKeys(t) {
		parts = append(parts, k+"="+t[k])
	}
	return strings.Join(parts, ",")
}

// selectorLines records the line of each requirement's from and to, for
// Unmatched's errors.
func selectorLines(root *yaml.Node, f *File) {
	if root == nil || len(root.Content) == 0 {
		return
	}
	doc := root.Content[0]
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value != "requirements" {
			continue
		}
		for j, item := range doc.Content[i+1].Content {
			if j >= len(f.Requirements) {
				return
			}
			for k := 0; k+1 < len(item.Content); k += 2 {
				switch item.Content[k].Value {
				case "from":
					f.Requirements[j].fromLine = item.Content[k+1].Line
				case "to":
					f.Requirements[j].toLine = item.Content[k+1].Line
				}
			}
		}
	}
}
