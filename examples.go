// Package vpcpath holds what the whole tool shares: the bundled example
// networks. The code lives in model/, simulate/, probe/ and cmd/vpcpath.
package vpcpath

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed testdata/examples
var examples embed.FS

// ExampleNames lists the bundled example snapshots.
func ExampleNames() []string {
	entries, _ := fs.ReadDir(examples, "testdata/examples")
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}

// Example returns a bundled example snapshot as a file system rooted at the
// snapshot folder.
func Example(name string) (fs.FS, error) {
	for _, n := range ExampleNames() {
		if n == name {
			return fs.Sub(examples, "testdata/examples/"+name)
		}
	}
	return nil, fmt.Errorf("no bundled example %q (have: %s)", name, strings.Join(ExampleNames(), ", "))
}
