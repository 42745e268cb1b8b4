package model

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Suggest returns err with "; nearest: a, b, c" added when it holds a
// *NotFoundError: the names of its kind in m nearest to the one not found
// (see NearestIDs). Any other error, or a kind m holds nothing of, comes
// back unchanged.
func (m *Model) Suggest(err error) error {
	var nf *NotFoundError
	if m == nil || !errors.As(err, &nf) {
		return err
	}
	near := Nearest(nf.ID, m.namesOf(nf.Kind), 3)
	if len(near) == 0 {
		return err
	}
	return fmt.Errorf("%w; nearest: %s", err, strings.Join(near, ", "))
}

// NearestIDs returns up to n names of resources of kind k nearest to id.
func (m *Model) NearestIDs(k Kind, id string, n int) []string {
	return Nearest(id, m.namesOf(k), n)
}

// namesOf lists what names a resource of kind k: IDs, and the Name tags
// and group names that selectors and profile parameters also take.
func (m *Model) namesOf(k Kind) []string {
	switch k {
	case KindENI:
		return SortedKeys(m.ENIs)
	case KindInstance:
		return SortedKeys(m.Instances)
	case KindVPCEndpoint:
		return SortedKeys(m.Endpoints)
	case KindVPC:
		return SortedKeys(m.VPCs)
	case KindSubnet:
		out := SortedKeys(m.Subnets)
		for _, id := range SortedKeys(m.Subnets) {
			if n := m.Subnets[id].Tags.Name(); n != "" {
				out = append(out, n)
			}
		}
		return out
	case KindSecurityGroup:
		out := SortedKeys(m.SecurityGroups)
		for _, id := range SortedKeys(m.SecurityGroups) {
			if n := m.SecurityGroups[id].Name; n != "" {
				out = append(out, n)
			}
		}
		return out
	}
	return nil
}

// Nearest returns up to n of candidates closest to s: fewest edits
// (Levenshtein), then longest common prefix, then in the order given. s
// itself and repeats are left out.
func Nearest(s string, candidates []string, n int) []string {
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
		all = append(all, scored{c, Levenshtein(s, c), commonPrefix(s, c)})
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

// Levenshtein is the number of single-byte insertions, deletions and
// substitutions that turn a into b (IDs and tags are ASCII).
func Levenshtein(a, b string) int {
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
