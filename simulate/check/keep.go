package check

import "strings"

// Discovered returns the parameters a run of the profile discovered on a
// network (its notes, "name: value (how)"), leaving out those given with
// --param. diff discovers them on the network before a change and keeps
// them for the network after it: a change that removes what discovery
// looks for (the NAT route that made egress "nat") must fail the
// requirements it had, not make them disappear.
func (pr *Profile) Discovered(notes []string) map[string]string {
	known := map[string]bool{}
	for _, p := range pr.Params {
		known[p.Name] = true
	}
	out := map[string]string{}
	for _, n := range notes {
		name, rest, ok := strings.Cut(n, ": ")
		if !ok || !known[name] {
			continue
		}
		value, how, _ := strings.Cut(rest, " (")
		if how == "given)" || value == "" || strings.ContainsAny(value, " \t") {
			continue
		}
		out[name] = value
	}
	return out
}
