package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes (README, "Exit codes").
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

// exitCodeError ends a command with a code; a non-empty message is printed
// to stderr.
type exitCodeError struct {
	code int
	msg  string
}

func (e *exitCodeError) Error() string { return e.msg }

// finding ends a command with exit code 1 and no message: the result on
// stdout says what was found.
func finding() error { return &exitCodeError{code: exitFinding} }

// Main runs vpcpath with the process's arguments and streams.
func Main() int { return run(os.Args[1:], systemStreams()) }

func run(args []string, s *streams) int {
	root := newRootCmd(s)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitCodeError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(s.ErrOut, "vpcpath: "+ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(s.ErrOut, "vpcpath: "+err.Error())
	return exitError
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
		return &exitCodeError{code: exitError, msg: err.Error() + " (see " + c.CommandPath() + " --help)"}
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
	return root
}
