package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath/cmd/internal/probecmd"
)

// Exit codes (docs/json.md, "Exit codes").
const (
	exitOK      = probecmd.ExitOK
	exitFinding = probecmd.ExitFinding
	exitError   = probecmd.ExitError
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// streams are where a command reads and writes; tests pass buffers.
type streams = probecmd.Streams

func systemStreams() *streams { return probecmd.SystemStreams() }

// finding ends a command with exit code 1 and no message: the result on
// stdout says what was found.
func finding() error { return probecmd.Finding() }

// exitCode maps what a command returned to the exit code (probecmd.ExitCode).
func exitCode(err error) int { return probecmd.ExitCode(err) }

// Main runs vpcpath with the process's arguments and streams.
func Main() int { return run(os.Args[1:], systemStreams()) }

func run(args []string, s *streams) int {
	return probecmd.Execute(newRootCmd(s), args, s, "vpcpath")
}

func newRootCmd(s *streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "vpcpath",
		Short: "Will a packet get where it should inside AWS? Why, and what to change.",
		Long: `vpcpath traces flows through a model of your AWS network (VPCs, subnets,
route tables, security groups, network ACLs, gateways, endpoints) built from
saved describe output, and names the rule that allowed or blocked each hop.`,
	}
	probecmd.SetupRoot(root, s, version)
	root.AddCommand(newTraceCmd(s))
	root.AddCommand(newResolveCmd(s))
	root.AddCommand(newCheckCmd(s))
	root.AddCommand(newProfilesCmd(s))
	root.AddCommand(newExamplesCmd(s))
	root.AddCommand(newCollectCmd(s))
	root.AddCommand(newDiffCmd(s))
	root.AddCommand(newProbePlanCmd(s))
	root.AddCommand(probecmd.NewProbeCmd(s, "vpcpath probe", version))
	root.AddCommand(newValidateCmd(s))
	root.AddCommand(newMatrixCmd(s))
	root.AddCommand(newGraphCmd(s))
	return root
}
