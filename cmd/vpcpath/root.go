package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes (docs/json.md, "Exit codes").
const (
	exitOK      = 0
	exitFinding = 1 // blocked, unknown, a failed requirement
	exitError   = 2 // bad input, bad flags, unreadable snapshot
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// streams are where a command reads and writes; tests pass buffers.
type streams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// OutTTY is true when Out is a terminal.
	OutTTY bool
}

func systemStreams() *streams {
	return &streams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, OutTTY: isTerminal(os.Stdout)}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// findingError ends a command with exit code 1 and no message: the result
// on stdout says what was found.
type findingError struct{}

func (*findingError) Error() string { return "a finding (see the output)" }

func finding() error { return &findingError{} }

// exitCode is the one place that maps what a command returned to the exit
// code: a finding is 1; any other error (bad flags, bad input: a
// *model.LoadError, a *model.NotFoundError, an unreadable file) is 2.
func exitCode(err error) int {
	var f *findingError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &f):
		return exitFinding
	}
	return exitError
}

// Main runs vpcpath with the process's arguments and streams.
func Main() int { return run(os.Args[1:], systemStreams()) }

func run(args []string, s *streams) int {
	root := newRootCmd(s)
	root.SetArgs(args)
	err := root.Execute()
	code := exitCode(err)
	if code == exitError {
		fmt.Fprintln(s.ErrOut, "vpcpath: "+err.Error())
	}
	return code
}

func newRootCmd(s *streams) *cobra.Command {
	root := &cobra.Command{
		Use:   "vpcpath",
		Short: "Will a packet get where it should inside AWS? Why, and what to change.",
		Long: `vpcpath traces flows through a model of your AWS network (VPCs, subnets,
route tables, security groups, network ACLs, gateways, endpoints) built from
saved describe output, and names the rule that allowed or blocked each hop.`,
		Version:       version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(s.Out)
	root.SetErr(s.ErrOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w (see %s --help)", err, c.CommandPath())
	})
	root.AddCommand(newTraceCmd(s))
	root.AddCommand(newResolveCmd(s))
	root.AddCommand(newCheckCmd(s))
	root.AddCommand(newProfilesCmd(s))
	root.AddCommand(newExamplesCmd(s))
	root.AddCommand(newCollectCmd(s))
	root.AddCommand(newDiffCmd(s))
	root.AddCommand(newProbePlanCmd(s))
	root.AddCommand(newProbeCmd(s))
	root.AddCommand(newValidateCmd(s))
	root.AddCommand(newMatrixCmd(s))
	return root
}
