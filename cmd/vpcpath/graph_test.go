package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmePicture is the topology picture of the bundled example shown near
// the top of the README.
const readmePicture = "docs/example-topology.svg"

// TestReadmeTopologyPicture: the README shows docs/example-topology.svg,
// and that file is what `vpcpath graph --example databricks-privatelink
// -o svg` draws now (Graphviz's SVG is byte-deterministic for one input).
// VPCPATH_UPDATE_GOLDEN=1 rewrites it.
func TestReadmeTopologyPicture(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "]("+readmePicture+")") {
		t.Errorf("the README does not show %s", readmePicture)
	}
	args := []string{"graph", "--example", "databricks-privatelink", "-o", "svg"}
	var out, errOut bytes.Buffer
	if code := run(args, &streams{Out: &out, ErrOut: &errOut}); code != exitOK {
		t.Fatalf("%q: exit %d: %s", strings.Join(args, " "), code, errOut.String())
	}
	file := filepath.Join("..", "..", readmePicture)
	if os.Getenv("VPCPATH_UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(file, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (VPCPATH_UPDATE_GOLDEN=1 go test ./cmd/vpcpath -run TestReadmeTopologyPicture writes it)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("%s is stale: `vpcpath %s` draws another picture (VPCPATH_UPDATE_GOLDEN=1 go test ./cmd/vpcpath -run TestReadmeTopologyPicture rewrites it)", readmePicture, strings.Join(args, " "))
	}
}

// A PNG is not written to a terminal (graph and trace): the user is told
// to redirect it or give --out; to a file or a pipe it is a PNG.
func TestPNGNotToTerminal(t *testing.T) {
	for _, args := range [][]string{
		{"graph", "--example", "databricks-privatelink", "-o", "png"},
		{"trace", "--example", "databricks-privatelink", "--from", "i-0a0000000000c0001", "--to", "vpce-0a0000000000e0001", "--port", "8443", "-o", "png"},
	} {
		var out, errOut bytes.Buffer
		if code := run(args, &streams{Out: &out, ErrOut: &errOut, OutTTY: true}); code != exitError {
			t.Errorf("%q to a terminal: exit %d", strings.Join(args, " "), code)
		}
		if !strings.Contains(errOut.String(), "redirect it (> picture.png) or give --out FILE") || out.Len() != 0 {
			t.Errorf("%q to a terminal: stdout %d bytes, stderr %q", strings.Join(args, " "), out.Len(), errOut.String())
		}
		out.Reset()
		errOut.Reset()
		if code := run(args, &streams{Out: &out, ErrOut: &errOut}); code != exitOK {
			t.Errorf("%q to a pipe: exit %d: %s", strings.Join(args, " "), code, errOut.String())
		}
		if !bytes.HasPrefix(out.Bytes(), []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("%q to a pipe: not a PNG", strings.Join(args, " "))
		}
	}
}
