package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportDocCommands runs every command of docs/report.md from the
// repository's root, as a fresh clone would, each writing its page to the
// file the document names (here in a temp dir): each succeeds or reports a
// finding, never an error, and writes an HTML page.
func TestReportDocCommands(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	t.Chdir(filepath.Join("..", ".."))
	n := 0
	for _, block := range strings.Split(string(data), "```sh\n")[1:] {
		block, _, _ = strings.Cut(block, "```")
		for _, line := range strings.Split(block, "\n") {
			cmd, file, ok := strings.Cut(line, ">")
			f := strings.Fields(cmd)
			if len(f) < 2 || f[0] != "vpcpath" {
				continue
			}
			if !ok || !strings.HasSuffix(strings.TrimSpace(file), ".html") {
				t.Errorf("docs/report.md: %q does not write an .html file", line)
				continue
			}
			n++
			var stdout, stderr bytes.Buffer
			code := run(f[1:], &streams{Out: &stdout, ErrOut: &stderr})
			if code == exitError {
				t.Errorf("%s: exit 2: %s", cmd, stderr.String())
				continue
			}
			if !strings.HasPrefix(stdout.String(), "<!DOCTYPE html>") || !strings.HasSuffix(stdout.String(), "</html>\n") {
				t.Errorf("%s: not an HTML page", cmd)
			}
			if err := os.WriteFile(filepath.Join(out, filepath.Base(strings.TrimSpace(file))), stdout.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n < 4 {
		t.Errorf("docs/report.md shows %d commands, want check, trace, diff and a failing check", n)
	}
}
