// Command vpcpath-probe is vpcpath's probe agent alone, the small static
// binary to copy onto a node inside the VPC: vpcpath-probe --plan
// plan.json runs what vpcpath probe-plan wrote, vpcpath-probe dns NAME and
// vpcpath-probe tcp HOST:PORT check one thing. It does what `vpcpath probe`
// does, with the same code (cmd/internal/probecmd), without the
// simulator's renderers, the AWS SDK or the in-process Graphviz, whose
// WebAssembly compilation costs vpcpath seconds and a cache on disk at
// every start. Build it with CGO_ENABLED=0 go build ./cmd/vpcpath-probe.
package main

import (
	"os"

	"github.com/vpcpath/vpcpath/cmd/internal/probecmd"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() { os.Exit(run(os.Args[1:], probecmd.SystemStreams())) }

func run(args []string, s *probecmd.Streams) int {
	root := probecmd.NewProbeCmd(s, "vpcpath-probe", version)
	probecmd.SetupRoot(root, s, version)
	return probecmd.Execute(root, args, s, "vpcpath-probe")
}
