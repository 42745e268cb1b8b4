package simulate

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

// produced collects the code of every hop the package's tests record.
var produced = struct {
	sync.Mutex
	codes map[Code]int
	bad   []string
}{codes: map[Code]int{}}

// TestMain checks, after a run of every test, that every code of Codes is
// produced by some test scenario (none is dead) and that every hop had a
// code of the list.
func TestMain(m *testing.M) {
	codeSeen = func(h Hop) {
		produced.Lock()
		defer produced.Unlock()
		produced.codes[h.Code]++
		if !slices.Contains(Codes, h.Code) {
			produced.bad = append(produced.bad, fmt.Sprintf("%s %s %s: code %q not in Codes (reason %q)", h.Component, h.ID, h.Decision, h.Code, h.Reason))
		}
		if msg := refProblem(h); msg != "" {
			produced.bad = append(produced.bad, fmt.Sprintf("%s %s %s %s: %s", h.Component, h.ID, h.Decision, h.Code, msg))
		}
	}
	rc := m.Run()
	if rc == 0 && !filtered() {
		var missing []string
		for _, c := range Codes {
			if produced.codes[c] == 0 {
				missing = append(missing, string(c))
			}
		}
		sort.Strings(produced.bad)
		if len(produced.bad) > 0 {
			fmt.Fprintf(os.Stderr, "hops without a listed code:\n  %s\n", strings.Join(slices.Compact(produced.bad), "\n  "))
			rc = 1
		}
		if len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "codes in Codes that no test scenario produces: %s\n", strings.Join(missing, ", "))
			rc = 1
		}
	}
	os.Exit(rc)
}

// filtered reports whether the run selects or skips tests, so that not
// every scenario ran.
func filtered() bool {
	for _, name := range []string{"test.run", "test.skip", "test.short"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" && f.Value.String() != "false" {
			return true
		}
	}
	return false
}

// refProblem says what is wrong with a hop's rule reference: a hop with a
// rule has one, of a listed kind, whose identifiers are the hop's.
func refProblem(h Hop) string {
	r := h.Ref
	switch {
	case r == nil && h.Rule != "":
		return fmt.Sprintf("rule %q without a ref", h.Rule)
	case r == nil:
		return ""
	case !slices.Contains(RefKinds, r.Kind):
		return fmt.Sprintf("ref kind %q not in RefKinds", r.Kind)
	case r.HopID() != h.ID:
		return fmt.Sprintf("ref %+v names %q, not the hop's %q", *r, r.HopID(), h.ID)
	case (r.Kind == RefSGRule) != (r.RuleIndex != nil):
		return fmt.Sprintf("ref %+v: a rule index belongs to a security group rule", *r)
	case !hasFields(r, RefRequired[r.Kind]):
		return fmt.Sprintf("ref %+v lacks one of %v", *r, RefRequired[r.Kind])
	case r.Kind != RefNACLEntry && r.RuleNumber != 0:
		return fmt.Sprintf("ref %+v: a rule number belongs to a network ACL entry", *r)
	case r.Kind == RefNACLEntry && r.RuleNumber == 0 && h.Decision != Undecided:
		// An entry whose number the plan leaves undecided has none.
		return fmt.Sprintf("ref %+v: a deciding network ACL entry has its number", *r)
	case r.Kind == RefRoute && (r.Destination == "" || r.Target == ""):
		return fmt.Sprintf("ref %+v: a route has a destination and a target", *r)
	}
	return ""
}

// hasFields reports whether r marshals every one of the JSON fields.
func hasFields(r *RuleRef, fields []string) bool {
	data, err := json.Marshal(r)
	if err != nil {
		return false
	}
	var m map[string]any
	if json.Unmarshal(data, &m) != nil {
		return false
	}
	for _, f := range fields {
		if _, ok := m[f]; !ok {
			return false
		}
	}
	return true
}
