// Package probecmd holds the commands of the in-VPC probe agent (probe
// --plan, probe dns, probe tcp) and the little they need from a command
// line: streams, exit codes, flag completion. Both vpcpath (as
// `vpcpath probe`) and the small static vpcpath-probe binary build on it,
// so it imports the probe packages and cobra only: never the simulator's
// renderers, the AWS SDK or the Graphviz picture code, whose start-up a
// probe on a customer's node must not pay.
package probecmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes (docs/json.md, "Exit codes").
const (
	ExitOK      = 0
	ExitFinding = 1 // blocked, unknown, a failed requirement
	ExitError   = 2 // bad input, bad flags, unreadable snapshot
)

// Streams are where a command reads and writes; tests pass buffers.
type Streams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// OutTTY is true when Out is a terminal.
	OutTTY bool
}

// SystemStreams are the process's standard streams.
func SystemStreams() *Streams {
	return &Streams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, OutTTY: isTerminal(os.Stdout)}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// FindingError ends a command with exit code 1 and no message: the result
// on stdout says what was found.
type FindingError struct{}

func (*FindingError) Error() string { return "a finding (see the output)" }

// Finding is the error of a command that found something (exit code 1).
func Finding() error { return &FindingError{} }

// ExitCode is the one place that maps what a command returned to the exit
// code: a finding is 1; any other error (bad flags, bad input: a
// *model.LoadError, a *model.NotFoundError, an unreadable file) is 2.
func ExitCode(err error) int {
	var f *FindingError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &f):
		return ExitFinding
	}
	return ExitError
}

// Execute runs root with args and returns the exit code; an error (not a
// finding) is written to s.ErrOut after "name: ".
func Execute(root *cobra.Command, args []string, s *Streams, name string) int {
	root.SetArgs(args)
	err := root.Execute()
	code := ExitCode(err)
	if code == ExitError {
		fmt.Fprintln(s.ErrOut, name+": "+err.Error())
	}
	return code
}

// SetupRoot makes c a root command that prints its own errors once (see
// Execute) and points at --help on a bad flag.
func SetupRoot(c *cobra.Command, s *Streams, version string) {
	c.Version = version
	c.SilenceErrors, c.SilenceUsage = true, true
	c.SetOut(s.Out)
	c.SetErr(s.ErrOut)
	c.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w (see %s --help)", err, c.CommandPath())
	})
}

// JSON writes v as indented JSON, without HTML escaping.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Completer completes a flag's value.
type Completer = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective)

// Fixed completes one of a closed list of "value\tdescription" entries.
func Fixed(values ...string) Completer {
	return func(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
		return WithPrefix(values, typed), cobra.ShellCompDirectiveNoFileComp
	}
}

// WithPrefix keeps the entries whose value starts with typed.
func WithPrefix(entries []string, typed string) []string {
	var out []string
	for _, e := range entries {
		v, _, _ := strings.Cut(e, "\t")
		if strings.HasPrefix(v, typed) {
			out = append(out, e)
		}
	}
	return out
}

// MustComplete registers f for flag name of c; a flag that does not exist
// is a programming error.
func MustComplete(c *cobra.Command, name string, f Completer) {
	if err := c.RegisterFlagCompletionFunc(name, f); err != nil {
		panic(err)
	}
}

// CompleteOutput completes --output with the formats of a command.
func CompleteOutput(c *cobra.Command, formats ...string) {
	MustComplete(c, "output", Fixed(formats...))
}

// CompleteFiles completes file names with one of the extensions.
func CompleteFiles(exts ...string) Completer {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return exts, cobra.ShellCompDirectiveFilterFileExt
	}
}

// FreeText marks flags whose value is free text (a port, a duration, an
// ARN): nothing to complete, and no file names either.
func FreeText(c *cobra.Command, names ...string) {
	for _, n := range names {
		MustComplete(c, n, cobra.NoFileCompletions)
	}
}
