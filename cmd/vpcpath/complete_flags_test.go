package main

import (
	"io"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Every flag that takes a value says how it completes: a closed list,
// files, folders, IDs of the network, or (free text) nothing. A flag added
// without one fails here, so that completion keeps up with the commands.
func TestEveryFlagCompletes(t *testing.T) {
	root := newRootCmd(&streams{In: nil, Out: io.Discard, ErrOut: io.Discard})
	root.InitDefaultCompletionCmd()
	for _, c := range allCommands(root) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if f.Value.Type() == "bool" || f.Name == "help" {
				return
			}
			if _, ok := c.GetFlagCompletionFunc(f.Name); !ok {
				t.Errorf("%s --%s has no completion: register one in complete.go (a closed list, files, folders, IDs of the network) or cobra.NoFileCompletions for free text",
					c.CommandPath(), f.Name)
			}
		})
	}
}

func allCommands(c *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{c}
	for _, sub := range c.Commands() {
		out = append(out, allCommands(sub)...)
	}
	return out
}
