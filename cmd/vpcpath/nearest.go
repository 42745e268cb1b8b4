package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// withNearest adds to a *model.NotFoundError in err the IDs of the same
// kind in m nearest to the one given: "...; nearest: a, b, c".
func withNearest(m *model.Model, err error) error {
	var nf *model.NotFoundError
	if m == nil || !errors.As(err, &nf) {
		return err
	}
	near := nearest(nf.ID, idsOf(m, nf.Kind), 3)
	if len(near) == 0 {
		return err
	}
	return fmt.Errorf("%w; nearest: %s", err, strings.Join(near, ", "))
}

// idsOf lists what names a resource of kind k in m: IDs, and the Name
// tags or group names the selectors and profile parameters also take.
func idsOf(m *model.Model, k model.Kind) []string {
	switch k {
	case model.KindENI:
		return model.SortedKeys(m.ENIs)
	case model.KindInstance:
		return model.SortedKeys(m.Instances)
	case model.KindVPCEndpoint:
		return model.SortedKeys(m.Endpoints)
	case model.KindVPC:
		return model.SortedKeys(m.VPCs)
	case model.KindSubnet:
		out := model.SortedKeys(m.Subnets)
		for _, id := range model.SortedKeys(m.Subnets) {
			if n := m.Subnets[id].Tags.Name(); n != "" {
				out = append(out, n)
			}
		}
		return out
	case model.KindSecurityGroup:
		out := model.SortedKeys(m.SecurityGroups)
		for _, id := range model.SortedKeys(m.SecurityGroups) {
			if n := m.SecurityGroups[id].Name; n != "" {
				out = append(out, n)
			}
		}
		return out
	}
	return nil
}

// nearest returns up to n of candidates closest to s: fewest edits
// (Levenshtein), then longest common prefix, then in order.
func nearest(s string, candidates []string, n int) []string {
	type scored struct {
		c            string
		dist, prefix int
	}
	seen := map[string]bool{}
	var all []scored
	for _, c := range candidates {
		if c == s || seen[c] {
			continue
		}
		seen[c] = true
		all = append(all, scored{c, levenshtein(s, c), commonPrefix(s, c)})
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].dist != all[j].dist {
			return all[i].dist < all[j].dist
		}
		return all[i].prefix > all[j].prefix
	})
	var out []string
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].c)
	}
	return out
}

// levenshtein is the number of single-character insertions, deletions and
// substitutions that turn a into b (bytes: IDs and tags are ASCII).
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func commonPrefix(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}
