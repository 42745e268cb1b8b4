package simulate

import "github.com/vpcpath/vpcpath/model"

// loadAssumptions adds to a result what the loader assumed about the
// resources the trace passes (model.Model.Assumptions: a planned
// interface's representative address, a planned endpoint's state).
func loadAssumptions(m *model.Model, r Result) []string {
	if len(m.Assumptions) == 0 {
		return r.Assumptions
	}
	out := r.Assumptions
	seen := map[string]bool{}
	for _, a := range out {
		seen[a] = true
	}
	add := func(id string) {
		for _, a := range m.Assumptions[id] {
			if !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	add(r.Flow.SrcENI)
	add(r.Flow.DstENI)
	for _, t := range r.Targets {
		add(t.DstENI)
		if ep := m.EndpointOfENI(t.DstENI); ep != nil {
			add(ep.ID)
		}
	}
	for _, hs := range [][]Hop{r.Hops, r.ReturnHops} {
		for _, h := range hs {
			add(h.ID)
			if n := m.NATGateways[h.ID]; n != nil {
				add(n.ENIID)
			}
		}
	}
	return out
}
