package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// docFiles are the README and docs/*.md, in the order the README's
// command tests run them: the README first, then docs/ by name.
func docFiles(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) == 0 {
		t.Fatal("no docs/*.md")
	}
	return append([]string{filepath.Join("..", "..", "README.md")}, docs...)
}

// exampleCommands returns the vpcpath commands of a document's sh blocks
// that need nothing but a bundled example, in document order.
func exampleCommands(doc string) [][]string {
	var cmds [][]string
	for _, block := range strings.Split(doc, "```sh\n")[1:] {
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
	return cmds
}

// TestReadmeExampleCommands runs every vpcpath command of the README and
// docs/*.md that needs nothing but the bundled example, in document order,
// and checks the sample output of the README's first one: the docs' claims
// stay true.
func TestReadmeExampleCommands(t *testing.T) {
	total := 0
	for _, file := range docFiles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		doc := string(data)
		cmds := exampleCommands(doc)
		name := filepath.Base(file)
		t.Logf("%s: %d commands on the example", name, len(cmds))
		total += len(cmds)
		isReadme := name == "README.md"
		if isReadme && len(cmds) == 0 {
			t.Fatal("the README has no command on the example")
		}
		for i, args := range cmds {
			var out, errOut bytes.Buffer
			code := run(args, &streams{Out: &out, ErrOut: &errOut})
			if code == exitError {
				t.Errorf("%s command %q: exit 2: %s", name, strings.Join(args, " "), errOut.String())
			}
			if isReadme && i == 0 {
				// The sample shown under "Three questions" is this command's output.
				_, rest, ok := strings.Cut(doc, "```\nTRACE")
				if !ok {
					t.Fatal("the README shows no sample output")
				}
				sample, _, _ := strings.Cut("TRACE"+rest, "```")
				for _, l := range strings.Split(strings.TrimSpace(sample), "\n") {
					if strings.TrimSpace(l) != "..." && !strings.Contains(out.String(), l) {
						t.Errorf("README sample line not in the output: %q", l)
					}
				}
			}
		}
	}
	if total < 8 {
		t.Fatalf("found only %d example commands in the README and docs/", total)
	}
}

var (
	// mdLink is the target of a Markdown link or image: [text](target).
	mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	// upPath is a relative path that climbs: ../x, ../../x.
	upPath = regexp.MustCompile(`(?:\.\./)+[\w.-]*`)
	// absPath is an absolute file path outside a URL: /work/..., /home/...
	absPath = regexp.MustCompile("(?:^|[\\s(`'\"=])(/[A-Za-z][\\w.-]*/[\\w./-]*)")
	// osPath is a file of the operating system the probe runs on (the
	// node's /etc/resolv.conf), not of anyone's checkout.
	osPath = regexp.MustCompile(`^/(etc|proc|sys|dev)/`)
)

// TestDocsStayInRepo fails on any link or path in the README and docs/*.md
// that points outside the repository (a user's clone has nothing else):
// `../shared/...`, an absolute path, or a relative link whose target is
// missing.
func TestDocsStayInRepo(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range docFiles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		dir, _ := filepath.Abs(filepath.Dir(file))
		name, _ := filepath.Rel(root, filepath.Join(dir, filepath.Base(file)))
		for n, line := range strings.Split(string(data), "\n") {
			at := func(format string, args ...any) {
				t.Helper()
				t.Errorf("%s:%d: "+format, append([]any{name, n + 1}, args...)...)
			}
			// Paths in prose and code are written from the repository's
			// root (`model/awscollect/doc.go`); links from their file.
			for _, m := range upPath.FindAllString(mdLink.ReplaceAllString(line, "]()"), -1) {
				p := filepath.Join(root, m)
				if rel, err := filepath.Rel(root, p); err != nil || strings.HasPrefix(rel, "..") {
					at("%q points outside the repository", m)
				}
			}
			for _, m := range absPath.FindAllStringSubmatch(line, -1) {
				if !osPath.MatchString(m[1]) {
					at("absolute path %q", m[1])
				}
			}
			for _, m := range mdLink.FindAllStringSubmatch(line, -1) {
				target := m[1]
				if strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "#") {
					continue
				}
				if strings.Contains(target, "://") || strings.HasPrefix(target, "/") {
					at("link %q is not relative", target)
					continue
				}
				target, _, _ = strings.Cut(target, "#")
				p := filepath.Join(dir, target)
				if rel, err := filepath.Rel(root, p); err != nil || strings.HasPrefix(rel, "..") {
					at("link %q points outside the repository", m[1])
				} else if _, err := os.Stat(p); err != nil {
					at("link %q: %v", m[1], err)
				}
			}
		}
	}
}

// TestReadmePicture: the README's mermaid picture is what the command
// shown just above it prints.
func TestReadmePicture(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok := strings.Cut(string(data), "```mermaid\n")
	if !ok {
		t.Fatal("the README has no mermaid picture")
	}
	picture, _, _ := strings.Cut(rest, "```")
	cmds := exampleCommands(before)
	if len(cmds) == 0 {
		t.Fatal("no command before the README's picture")
	}
	args := cmds[len(cmds)-1]
	var out, errOut bytes.Buffer
	if code := run(args, &streams{Out: &out, ErrOut: &errOut}); code != exitOK {
		t.Fatalf("%q: exit %d: %s", strings.Join(args, " "), code, errOut.String())
	}
	if got, want := strings.TrimSpace(out.String()), strings.TrimSpace(picture); got != want {
		t.Errorf("%q prints\n%s\nthe README's picture is\n%s", strings.Join(args, " "), got, want)
	}
}
