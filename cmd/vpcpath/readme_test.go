package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// docFiles are the README and docs/*.md.
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
				if strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://") {
					continue
				}
				if anchor, ok := strings.CutPrefix(target, "#"); ok {
					if !anchors(t, file)[anchor] {
						at("link %q: no such heading in %s", target, filepath.Base(file))
					}
					continue
				}
				if strings.Contains(target, "://") || strings.HasPrefix(target, "/") {
					at("link %q is not relative", target)
					continue
				}
				target, anchor, hasAnchor := strings.Cut(target, "#")
				p := filepath.Join(dir, target)
				if rel, err := filepath.Rel(root, p); err != nil || strings.HasPrefix(rel, "..") {
					at("link %q points outside the repository", m[1])
				} else if _, err := os.Stat(p); err != nil {
					at("link %q: %v", m[1], err)
				} else if hasAnchor && !anchors(t, p)[anchor] {
					at("link %q: no such heading in %s", m[1], target)
				}
			}
		}
	}
}

// anchors are the fragment names GitHub gives the headings of a Markdown
// file: lower case, punctuation dropped, spaces as hyphens, a repeated name
// numbered (-1, -2). Lines inside code blocks are not headings.
func anchors(t *testing.T, file string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	seen := map[string]int{}
	inCode := false
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			inCode = !inCode
			continue
		}
		text, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " ")
		if inCode || !ok || !strings.HasPrefix(line, "#") || len(line)-len(strings.TrimLeft(line, "#")) > 6 {
			continue
		}
		var b strings.Builder
		for _, r := range strings.ToLower(strings.TrimSpace(text)) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		name := b.String()
		if n := seen[name]; n > 0 {
			names[fmt.Sprintf("%s-%d", name, n)] = true
		} else {
			names[name] = true
		}
		seen[name]++
	}
	return names
}

// TestAnchors checks the heading names the link check compares with.
func TestAnchors(t *testing.T) {
	f := filepath.Join(t.TempDir(), "a.md")
	doc := "# Trace by host name: DNS as the VPC sees it\n```sh\n# not a heading\n```\n## `--port` ranges (A-B)\n## Notes\n## Notes\n"
	if err := os.WriteFile(f, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	var got []string
	for a := range anchors(t, f) {
		got = append(got, a)
	}
	sort.Strings(got)
	want := "--port-ranges-a-b notes notes-1 trace-by-host-name-dns-as-the-vpc-sees-it"
	if strings.Join(got, " ") != want {
		t.Errorf("anchors %q, want %q", strings.Join(got, " "), want)
	}
}
