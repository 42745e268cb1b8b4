package render

import (
	"fmt"
	"io"

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
