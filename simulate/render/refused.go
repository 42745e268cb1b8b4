package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcpath/vpcpath/simulate"
)

// refused ends the text of a trace over a network AWS would refuse: why it
// cannot exist, one line per problem.
func refused(w io.Writer, r simulate.Result) error {
	fmt.Fprintf(w, "INVALID  the network cannot exist as described: AWS would refuse %d change(s), so no flow was traced\n", len(r.Refused))
	for _, p := range r.Refused {
		fmt.Fprintf(w, "REFUSED  %s\n", p)
	}
	return nil
}

// sourceFixes writes each fix in the input's language under the fix:
// what to change, where, and the code, indented by indent.
func sourceFixes(w io.Writer, indent string, fs []simulate.SourceFix) {
	for _, f := range fs {
		where := ""
		if f.Module != "" {
			where = " in " + f.Module
		}
		fmt.Fprintf(w, "%sin %s: %s%s:\n", indent, f.Language, f.Summary, where)
		for _, line := range strings.Split(strings.TrimRight(f.Code, "\n"), "\n") {
			fmt.Fprintf(w, "%s  %s\n", indent, line)
		}
	}
}

// mermaidRefused is the diagram of a trace over a network that cannot
// exist: the source, and a note per problem.
func mermaidRefused(w io.Writer, r simulate.Result) error {
	fmt.Fprintln(w, "sequenceDiagram")
	fmt.Fprintf(w, "    participant P1 as %s\n", mermaidText(r.Flow.From))
	fmt.Fprintln(w, "    Note over P1: INVALID: AWS would refuse this network")
	for _, p := range r.Refused {
		fmt.Fprintf(w, "    Note over P1: %s\n", mermaidText(p.String()))
	}
	return nil
}
