package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestReadmeExampleCommands runs every vpcpath command of the README that
// needs nothing but the bundled example, and checks the sample output of
// the first one: the README's claims stay true.
func TestReadmeExampleCommands(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	var cmds [][]string
	for _, block := range strings.Split(readme, "```sh\n")[1:] {
		block, _, _ = strings.Cut(block, "```")
		block = strings.ReplaceAll(block, "\\\n", " ")
		for _, line := range strings.Split(block, "\n") {
			line, _, _ = strings.Cut(line, "#")
			f := strings.Fields(line)
			if len(f) < 2 || f[0] != "vpcpath" && !(len(f) > 3 && f[0] == "go" && f[1] == "run") {
				continue
			}
			if f[0] == "go" {
				f = f[3:]
			} else {
				f = f[1:]
			}
			if !strings.Contains(line, "--example") || strings.Contains(line, ">") || strings.Contains(line, "--export") {
				continue
			}
			cmds = append(cmds, f)
		}
	}
	t.Logf("%d README commands on the example", len(cmds))
	if len(cmds) < 8 {
		t.Fatalf("found only %d example commands in the README", len(cmds))
	}
	for i, args := range cmds {
		var out, errOut bytes.Buffer
		code := run(args, &streams{Out: &out, ErrOut: &errOut})
		if code == exitError {
			t.Errorf("README command %q: exit 2: %s", strings.Join(args, " "), errOut.String())
		}
		if i == 0 {
			// The sample shown under "Try it" is this command's output.
			_, rest, _ := strings.Cut(readme, "```\nTRACE")
			sample, _, _ := strings.Cut("TRACE"+rest, "```")
			for _, l := range strings.Split(strings.TrimSpace(sample), "\n") {
				if strings.TrimSpace(l) != "..." && !strings.Contains(out.String(), l) {
					t.Errorf("README sample line not in the output: %q", l)
				}
			}
		}
	}
}
