package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath"
)

func newExamplesCmd(s *streams) *cobra.Command {
	var export string
	c := &cobra.Command{
		Use:   "examples [NAME --export DIR]",
		Short: "List the bundled example networks, or write one out as a snapshot folder",
		Example: `  vpcpath examples
  vpcpath examples databricks-privatelink --export ./snap`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(c *cobra.Command, args []string, typed string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return completeExamples(c, args, typed)
		},
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				if export != "" {
					return errors.New("--export needs an example NAME")
				}
				for _, n := range vpcpath.ExampleNames() {
					fmt.Fprintln(s.Out, n)
				}
				return nil
			}
			fsys, err := vpcpath.Example(args[0])
			if err != nil {
				return err
			}
			if export == "" {
				return errors.New("give --export DIR to write the example out")
			}
			if err := exportFS(fsys, export); err != nil {
				return err
			}
			fmt.Fprintf(s.ErrOut, "wrote example %s to %s\n", args[0], export)
			return nil
		},
	}
	c.Flags().StringVar(&export, "export", "", "write the example's snapshot files into this folder")
	mustComplete(c, "export", completeDirs)
	return c
}

func exportFS(fsys fs.FS, dir string) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}
