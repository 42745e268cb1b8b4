package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vpcpath/vpcpath/model/awscollect/mototest"
)

// The docs test (TestDocsCommands) runs every command of the README and
// docs/*.md as a newcomer would type them, in one scratch directory; the
// conventions it reads are described in docs/development.md ("The docs
// test"):
//
//   - Every ```sh block is run, command by command, in document order; the
//     README first, then docs/*.md in the order the README links them, then
//     any other docs/*.md by name. A document's commands run in one bash
//     (set -e -o pipefail), so `cd`, variables, pipes and redirections
//     carry on as in a terminal; the README starts in an empty home folder
//     (it clones the repository), every other document in the clone.
//   - A command exits 0 unless its last line ends in a comment that says
//     `# exit N` (for example `# exit 1: blocked at the internet gateway`).
//   - A ```text or ```mermaid block right after a ```sh block (blank lines
//     between at most) is the output of that block's last command: equal to
//     it, or, when it has `...` lines, its lines appear in the output in
//     that order.
//   - `<!-- docs-test: skip: REASON -->` right before a ```sh block skips
//     the block; the test logs each skip with its reason and counts them.
//   - Commands that need AWS (`aws ...`, `vpcpath collect`, `--region`,
//     `--aws-profile`) run against moto_server holding the bundled example;
//     `terraform` and scripts/terraform-plans.sh run with the provider
//     mirror. Without moto_server, or terraform and its mirror, they are
//     skipped with that reason.

// docCommand is one command of a document's ```sh block.
type docCommand struct {
	doc   string // README.md, docs/tracing.md
	line  int    // of the command's first line, from 1
	block int    // the line of its block's opening fence
	text  string // as written, continuation lines included
	want  int    // the exit code the document claims
	skip  string // why the test does not run it, or ""
	slow  string // why it runs only with VPCPATH_DOCS_TEST_SLOW set, or ""
	shown *docOutput
}

// docOutput is the output a document shows under a command.
type docOutput struct {
	line int
	text string
}

var (
	fence      = regexp.MustCompile("^```\\s*([A-Za-z]*)\\s*$")
	skipMarker = regexp.MustCompile(`^<!--\s*docs-test:\s*(skip|slow):\s*(.*?)\s*-->\s*$`)
	exitClaim  = regexp.MustCompile(`(?:^|\s)#.*\bexit ([0-9]+)\b`)
	heredoc    = regexp.MustCompile(`<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?`)
	needsAWS   = regexp.MustCompile(`(?:^|[\s;&|(])aws\s|\bvpcpath\s+collect\b|\s--region\b|\s--aws-profile\b`)
	needsTF    = regexp.MustCompile(`(?:^|[\s;&|(])terraform\s|terraform-plans\.sh`)
	iamOnly    = regexp.MustCompile(`\bvpcpath\s+collect\s+--print-iam-policy\b`)
	docLinkRe  = regexp.MustCompile(`\]\((docs/[^)#\s]+\.md)(?:#[^)]*)?\)`)
)

// docOrder is the order the docs test reads the documents in, relative to
// the repository's root: README.md, the docs/*.md the README links in the
// order of their first link, then the others by name.
func docOrder(root string) ([]string, error) {
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		return nil, err
	}
	all, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		return nil, err
	}
	rest := map[string]bool{}
	for _, f := range all {
		rest["docs/"+filepath.Base(f)] = true
	}
	order := []string{"README.md"}
	list := string(readme)
	if _, after, ok := strings.Cut(list, "\n## Documentation\n"); ok {
		list = after
	}
	for _, m := range docLinkRe.FindAllStringSubmatch(list, -1) {
		if rest[m[1]] {
			order = append(order, m[1])
			delete(rest, m[1])
		}
	}
	var others []string
	for f := range rest {
		others = append(others, f)
	}
	sort.Strings(others)
	return append(order, others...), nil
}

// parseDocCommands returns the commands of a document's ```sh blocks, with
// the skip markers and shown outputs applied.
func parseDocCommands(doc, text string) ([]*docCommand, error) {
	lines := strings.Split(text, "\n")
	var cmds []*docCommand
	var skip, slow string    // a marker waiting for its block
	var lastSh []*docCommand // the commands of the ```sh block just closed
	afterSh := false         // only blank lines since a ```sh block closed
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if m := skipMarker.FindStringSubmatch(line); m != nil {
			if m[2] == "" {
				return nil, fmt.Errorf("%s:%d: a docs-test %s marker needs a reason", doc, i+1, m[1])
			}
			if m[1] == "skip" {
				skip = m[2]
			} else {
				slow = m[2]
			}
			afterSh = false
			continue
		}
		m := fence.FindStringSubmatch(line)
		if m == nil {
			if strings.TrimSpace(line) != "" {
				skip, slow = "", ""
				afterSh = false
			}
			continue
		}
		start := i
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, lines[i])
		}
		if i == len(lines) {
			return nil, fmt.Errorf("%s:%d: the code block is not closed", doc, start+1)
		}
		switch lang := m[1]; {
		case lang == "sh" || lang == "bash":
			block, err := splitCommands(doc, start+2, body)
			if err != nil {
				return nil, err
			}
			if len(block) == 0 {
				return nil, fmt.Errorf("%s:%d: a ```sh block without a command", doc, start+1)
			}
			for _, c := range block {
				c.skip, c.slow = skip, slow
			}
			cmds = append(cmds, block...)
			lastSh, afterSh = block, true
		case (lang == "text" || lang == "mermaid") && afterSh:
			lastSh[len(lastSh)-1].shown = &docOutput{line: start + 1, text: strings.Join(body, "\n")}
			afterSh = false
		default:
			afterSh = false
		}
		skip, slow = "", ""
	}
	return cmds, nil
}

// splitCommands cuts a ```sh block into commands: a line with its `\`
// continuations and here-documents, and a for/while/until/if/case compound
// up to its done/fi/esac. Lines that are only a comment are left out.
func splitCommands(doc string, first int, body []string) ([]*docCommand, error) {
	var cmds []*docCommand
	for i := 0; i < len(body); {
		if t := strings.TrimSpace(body[i]); t == "" || strings.HasPrefix(t, "#") {
			i++
			continue
		}
		start, depth := i, 0
		for {
			logical := ""
			for {
				if i == len(body) {
					return nil, fmt.Errorf("%s:%d: the command does not end in its block", doc, first+start)
				}
				l := body[i]
				i++
				if strings.HasSuffix(l, "\\") {
					logical += strings.TrimSuffix(l, "\\") + " "
					continue
				}
				logical += l
				break
			}
			if m := heredoc.FindStringSubmatch(logical); m != nil {
				for i < len(body) && strings.TrimSpace(body[i]) != m[1] {
					i++
				}
				i++
			}
			depth += compoundDepth(logical)
			if depth <= 0 {
				break
			}
		}
		text := strings.Join(body[start:min(i, len(body))], "\n")
		c := &docCommand{doc: doc, line: first + start, block: first - 1, text: text}
		lastLine := body[min(i, len(body))-1]
		if m := exitClaim.FindStringSubmatch(lastLine); m != nil {
			c.want, _ = strconv.Atoi(m[1])
		}
		cmds = append(cmds, c)
	}
	return cmds, nil
}

// compoundDepth is how many compound commands a line opens less those it
// closes.
func compoundDepth(line string) int {
	if j := strings.Index(line, " #"); j >= 0 {
		line = line[:j]
	}
	for _, sep := range []string{";", "&&", "||", "|", "(", ")"} {
		line = strings.ReplaceAll(line, sep, " ; ")
	}
	d, prev := 0, ";"
	for _, w := range strings.Fields(line) {
		atStart := prev == ";" || prev == "do" || prev == "then" || prev == "else" || prev == "{"
		if atStart {
			switch w {
			case "for", "while", "until", "if", "case":
				d++
			case "done", "fi", "esac":
				d--
			}
		}
		prev = w
	}
	return d
}

// TestDocCommandParsing checks the docs test's reading of a document on
// the conventions docs/development.md describes.
func TestDocCommandParsing(t *testing.T) {
	doc := strings.Join([]string{
		"# Title",
		"```sh",
		"vpcpath a --x \\",
		"  --y   # exit 1: blocked",
		"# a comment line",
		"for f in a b; do",
		"  echo $f",
		"done",
		"cat > f <<'EOF'",
		"for",
		"EOF",
		"```",
		"",
		"```text",
		"out",
		"```",
		"<!-- docs-test: skip: needs a VPC -->",
		"",
		"```sh",
		"vpcpath probe --plan p",
		"```",
		"prose",
		"```text",
		"not an output",
		"```",
	}, "\n")
	cmds, err := parseDocCommands("x.md", doc)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cmds {
		s := fmt.Sprintf("%d want=%d skip=%q %q", c.line, c.want, c.skip, c.text)
		if c.shown != nil {
			s += fmt.Sprintf(" shown@%d=%q", c.shown.line, c.shown.text)
		}
		got = append(got, s)
	}
	want := []string{
		`3 want=1 skip="" "vpcpath a --x \\\n  --y   # exit 1: blocked"`,
		`6 want=0 skip="" "for f in a b; do\n  echo $f\ndone"`,
		`9 want=0 skip="" "cat > f <<'EOF'\nfor\nEOF" shown@14="out"`,
		`20 want=0 skip="needs a VPC" "vpcpath probe --plan p"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	slow, err := parseDocCommands("z.md", "<!-- docs-test: slow: many AWS CLI calls -->\n```sh\naws ec2 describe-vpcs\n```\n")
	if err != nil || len(slow) != 1 || slow[0].slow != "many AWS CLI calls" || slow[0].skip != "" {
		t.Errorf("slow marker: %v %+v", err, slow)
	}
	if _, err := parseDocCommands("y.md", "<!-- docs-test: skip: -->\n```sh\nls\n```\n"); err == nil {
		t.Error("a skip marker without a reason was accepted")
	}
}

// outputMatches reports whether out is what a document shows: equal, or,
// when the shown text has `...` lines, its other lines in order among the
// output's lines.
func outputMatches(shown, out string) (bool, string) {
	trim := func(s string) []string {
		var ls []string
		for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
			ls = append(ls, strings.TrimRight(l, " \t"))
		}
		return ls
	}
	want, got := trim(shown), trim(out)
	elided := false
	for _, l := range want {
		if strings.TrimSpace(l) == "..." {
			elided = true
		}
	}
	if !elided {
		if strings.Join(want, "\n") == strings.Join(got, "\n") {
			return true, ""
		}
		return false, "the output differs"
	}
	j := 0
	for _, l := range want {
		if strings.TrimSpace(l) == "..." {
			continue
		}
		for j < len(got) && got[j] != l {
			j++
		}
		if j == len(got) {
			return false, fmt.Sprintf("line %q is not in the output (in this order)", l)
		}
		j++
	}
	return true, ""
}

// docEnv is the environment the documents' commands run in.
type docEnv struct {
	env       []string
	noAWS     string // why commands that need AWS are skipped, or ""
	noTF      string // why terraform commands are skipped, or ""
	cloneURL  string // the URL the README clones from
	scratch   string
	home      string // where the README starts
	clone     string // where every other document starts
	resultDir string
}

// TestDocsCommands runs every command of the README and docs/*.md, in
// order, from a fresh clone; see the conventions at the top of this file.
func TestDocsCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the docs test builds vpcpath and runs every documented command")
	}
	if os.Getenv("VPCPATH_DOCS_TEST") != "" {
		t.Skip("inside the docs test: a documented `go test` does not run it again")
	}
	for _, tool := range []string{"bash", "git", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH: the docs test runs the documents' commands with it", tool)
		}
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	order, err := docOrder(root)
	if err != nil {
		t.Fatal(err)
	}
	var all [][]*docCommand
	for _, doc := range order {
		b, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		cmds, err := parseDocCommands(doc, string(b))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, cmds)
	}
	e := newDocEnv(t, root)
	total, skipped := 0, 0
	for i, doc := range order {
		dir := e.clone
		if i == 0 {
			dir = e.home
		}
		ran, skips := runDoc(t, e, doc, dir, all[i])
		total += ran
		skipped += len(skips)
		t.Logf("%s: %d commands run, %d skipped", doc, ran, len(skips))
		for i, c := range skips {
			if i > 0 && skips[i-1].block == c.block && skips[i-1].skip == c.skip {
				continue // logged with its block's first
			}
			n := 1
			for _, d := range skips[i+1:] {
				if d.block == c.block && d.skip == c.skip {
					n++
				}
			}
			more := ""
			if n > 1 {
				more = fmt.Sprintf(" and %d more", n-1)
			}
			t.Logf("    skipped %s:%d (%s): %s%s", c.doc, c.line, c.skip, firstLine(c.text), more)
		}
		if i == 0 {
			if _, err := os.Stat(filepath.Join(e.clone, "go.mod")); err != nil {
				t.Fatalf("after the README's commands there is no clone at %s: %v", e.clone, err)
			}
		}
	}
	t.Logf("%d documents: %d commands run, %d skipped", len(order), total, skipped)
	if total < 30 {
		t.Errorf("only %d commands ran", total)
	}
}

// newDocEnv makes the scratch folder: the repository's files (tracked and
// untracked but not ignored, as they are in the working tree) committed to
// a git repository the README's `git clone` URL is redirected to, a home
// folder to clone into, moto_server holding the bundled example, and the
// terraform provider mirror.
func newDocEnv(t *testing.T, root string) *docEnv {
	t.Helper()
	scratch := scratchDir(t, root)
	e := &docEnv{
		scratch:   scratch,
		home:      filepath.Join(scratch, "home"),
		clone:     filepath.Join(scratch, "home", "vpcpath"),
		resultDir: filepath.Join(scratch, "results"),
		cloneURL:  "https://github.com/vpcpath/vpcpath",
	}
	src := filepath.Join(scratch, "src")
	for _, d := range []string{e.home, e.resultDir, src, filepath.Join(scratch, "bin"), filepath.Join(scratch, "aws")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ls := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	ls.Dir = root
	out, err := ls.Output()
	if err != nil {
		t.Skipf("git ls-files in %s: %v: the docs test needs a git checkout", root, err)
	}
	n := 0
	for _, f := range strings.Split(string(out), "\x00") {
		if f == "" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, f))
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		}
		if err != nil {
			t.Fatal(err)
		}
		info, _ := os.Stat(filepath.Join(root, f))
		dst := filepath.Join(src, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
		n++
	}
	gitEnv := []string{
		"GIT_AUTHOR_NAME=docs test", "GIT_AUTHOR_EMAIL=docs@test.invalid",
		"GIT_COMMITTER_NAME=docs test", "GIT_COMMITTER_EMAIL=docs@test.invalid",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=" + os.DevNull,
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "the working tree"}} {
		c := exec.Command("git", args...)
		c.Dir = src
		c.Env = append(os.Environ(), gitEnv...)
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	t.Logf("the clone's source: %d files of %s", n, root)

	bin := filepath.Join(scratch, "bin")
	set := map[string]string{
		// `go install` puts vpcpath here, on PATH, as a Go user's GOBIN.
		"GOBIN": bin,
		"PATH":  bin + string(os.PathListSeparator) + os.Getenv("PATH"),
		// The README's `git clone` of the project's URL clones src.
		"GIT_CONFIG_COUNT":    "1",
		"GIT_CONFIG_KEY_0":    "url." + src + ".insteadOf",
		"GIT_CONFIG_VALUE_0":  e.cloneURL,
		"GIT_CONFIG_NOSYSTEM": "1",
		"GIT_CONFIG_GLOBAL":   os.DevNull,
		"GIT_TERMINAL_PROMPT": "0",
		"TF_IN_AUTOMATION":    "1",
		"CHECKPOINT_DISABLE":  "1",
		"NO_COLOR":            "1",
		"VPCPATH_DOCS_TEST":   "1",
	}
	// Nothing may reach a real AWS account: no profile, no credentials, no
	// instance role; AWS calls go to moto_server or nowhere.
	cfgFile := filepath.Join(scratch, "aws", "config")
	credFile := filepath.Join(scratch, "aws", "credentials")
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":             cfgFile,
		"AWS_SHARED_CREDENTIALS_FILE": credFile,
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_ENDPOINT_URL":            "http://127.0.0.1:1",
		"AWS_PAGER":                   "",
	} {
		set[k] = v
	}
	config := "[default]\nregion = us-east-1\n\n[profile prod]\nregion = us-east-1\n"
	creds := fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n[prod]\naws_access_key_id = %s\naws_secret_access_key = %s\n",
		mototest.AccessKeyID, mototest.SecretAccessKey, mototest.AccessKeyID, mototest.SecretAccessKey)
	if err := os.WriteFile(cfgFile, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(credFile, []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath(mototest.Binary); err != nil {
		e.noAWS = mototest.Binary + " is not on PATH (pip install 'moto[server]'): needs AWS"
	} else {
		srv := mototest.New(t)
		ex, err := mototest.LoadExample(e2eExampleDir)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mototest.Replay(context.Background(), srv.Config(e2eRegion), ex); err != nil {
			t.Fatalf("building the bundled example in moto_server: %v", err)
		}
		set["AWS_ENDPOINT_URL"] = srv.URL
		// moto has no Direct Connect: an empty stand-in answers for it.
		set["AWS_ENDPOINT_URL_DIRECT_CONNECT"] = mototest.NewDirectConnect(t).URL
	}
	mirror := os.Getenv("TF_PLUGIN_MIRROR")
	if mirror == "" {
		mirror = "/opt/tf-plugins"
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		e.noTF = "terraform is not on PATH: needs terraform"
	} else if _, err := os.Stat(mirror); err != nil {
		e.noTF = "no hashicorp/aws provider mirror at " + mirror + " (TF_PLUGIN_MIRROR): needs terraform"
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if _, ok := set[k]; ok || strings.HasPrefix(k, "AWS_") || strings.HasPrefix(k, "GIT_") || k == "CDPATH" || k == "BASH_ENV" || k == "ENV" {
			continue
		}
		e.env = append(e.env, kv)
	}
	for k, v := range set {
		e.env = append(e.env, k+"="+v)
	}
	return e
}

// scratchDir is the docs test's scratch folder, emptied, for the checkout
// at root. It is the same folder run after run, so that the go build cache
// knows the clone's packages (their folder is part of the cache's key, and
// the stdlib and dependencies built with -trimpath would be built again);
// a lock keeps two runs on one checkout apart.
func scratchDir(t *testing.T, root string) string {
	t.Helper()
	sum := sha256.Sum256([]byte(root))
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("vpcpath-docs-test-%x", sum[:6]))
	lock, err := os.OpenFile(dir+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	clean := func() {
		// The module cache marks its files read-only; the clone has none.
		if err := os.RemoveAll(dir); err != nil {
			t.Errorf("removing the scratch folder: %v", err)
		}
	}
	clean()
	t.Cleanup(func() {
		clean()
		lock.Close() // releases the lock
	})
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runDoc runs one document's commands in one bash started in dir and checks
// each exit code and shown output. It returns how many ran and the skips.
func runDoc(t *testing.T, e *docEnv, doc, dir string, cmds []*docCommand) (ran int, skips []*docCommand) {
	t.Helper()
	res := filepath.Join(e.resultDir, strings.ReplaceAll(doc, "/", "_"))
	if err := os.MkdirAll(res, 0o755); err != nil {
		t.Fatal(err)
	}
	var script strings.Builder
	script.WriteString("set -e -o pipefail\n")
	fmt.Fprintf(&script, "__dt=%s\n", shellQuote(res))
	var run []*docCommand
	skippedBlock := -1
	for _, c := range cmds {
		switch {
		case c.skip != "":
		case c.slow != "" && os.Getenv("VPCPATH_DOCS_TEST_SLOW") == "":
			c.skip = "slow: " + c.slow + "; VPCPATH_DOCS_TEST_SLOW=1 runs it"
		case c.block == skippedBlock:
			c.skip = "follows a skipped command of its block"
		case needsAWS.MatchString(c.text) && !iamOnly.MatchString(c.text) && e.noAWS != "":
			c.skip = e.noAWS
		case needsTF.MatchString(c.text) && e.noTF != "":
			c.skip = e.noTF
		}
		if c.skip != "" {
			skippedBlock = c.block
			skips = append(skips, c)
			continue
		}
		n := len(run)
		run = append(run, c)
		script.WriteString("__t=$EPOCHREALTIME\n")
		if c.want == 0 {
			fmt.Fprintf(&script, "{ %s\n} >\"$__dt/%d.out\" 2>\"$__dt/%d.err\"\necho \"%d 0 $__t $EPOCHREALTIME\" >>\"$__dt/rc\"\n", c.text, n, n, n)
		} else {
			fmt.Fprintf(&script, "{ %s\n} >\"$__dt/%d.out\" 2>\"$__dt/%d.err\" && __rc=0 || __rc=$?\necho \"%d $__rc $__t $EPOCHREALTIME\" >>\"$__dt/rc\"\n[ \"$__rc\" = %d ] || exit 97\n", c.text, n, n, n, c.want)
		}
	}
	file := filepath.Join(res, "script.sh")
	if err := os.WriteFile(file, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("bash", "-n", file).CombinedOutput(); err != nil {
		t.Fatalf("%s: the commands are not valid shell: %v\n%s", doc, err, out)
	}
	// A command that hangs is stopped before the test's deadline, so the
	// failure names it; its whole process group goes.
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-time.Until(d)/10))
		defer cancel()
	}
	bash := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", file)
	bash.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	bash.Cancel = func() error { return syscall.Kill(-bash.Process.Pid, syscall.SIGKILL) }
	bash.WaitDelay = 5 * time.Second
	bash.Dir = dir
	bash.Env = e.env
	var stderr bytes.Buffer
	bash.Stderr = &stderr
	runErr := bash.Run()
	if bash.Process != nil {
		syscall.Kill(-bash.Process.Pid, syscall.SIGKILL) // what a command left in the background
	}

	codes := map[int]int{}
	if b, err := os.ReadFile(filepath.Join(res, "rc")); err == nil {
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var i, code int
			var start, end float64
			if _, err := fmt.Sscan(l, &i, &code, &start, &end); err == nil {
				codes[i] = code
				if end-start > 5 {
					t.Logf("%s:%d: %.0f s", run[i].doc, run[i].line, end-start)
				}
			}
		}
	}
	for i, c := range run {
		out, _ := os.ReadFile(filepath.Join(res, fmt.Sprintf("%d.out", i)))
		errOut, _ := os.ReadFile(filepath.Join(res, fmt.Sprintf("%d.err", i)))
		code, done := codes[i]
		if !done {
			if i == len(codes) {
				// The command the script stopped at.
				exit := -1
				if ee, ok := runErr.(*exec.ExitError); ok {
					exit = ee.ExitCode()
				}
				t.Errorf("%s:%d: exit %d, the document claims %d:\n  %s\nstdout:\n%s\nstderr:\n%s%s",
					c.doc, c.line, exit, c.want, c.text, tail(out), tail(errOut), tail(stderr.Bytes()))
			} else if i > len(codes) {
				t.Errorf("%s:%d: not run: an earlier command of %s failed", c.doc, c.line, doc)
			}
			continue
		}
		ran++
		if code != c.want {
			t.Errorf("%s:%d: exit %d, the document claims %d:\n  %s\nstdout:\n%s\nstderr:\n%s",
				c.doc, c.line, code, c.want, c.text, tail(out), tail(errOut))
			continue
		}
		if c.shown != nil {
			if ok, why := outputMatches(c.shown.text, string(out)); !ok {
				t.Errorf("%s:%d: the output shown at line %d is not what\n  %s\nprints: %s; it prints:\n%s", c.doc, c.line, c.shown.line, c.text, why, out)
			}
		}
	}
	if runErr != nil && len(codes) == len(run) {
		t.Errorf("%s: the commands' shell failed after the last command: %v\n%s", doc, runErr, stderr.String())
	}
	return ran, skips
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(l)
}

// tail is the end of a command's output, enough to see why it failed.
func tail(b []byte) string {
	const max = 3000
	if len(b) > max {
		return "..." + string(b[len(b)-max:])
	}
	return string(b)
}

// TestDocOutputMatches: a shown output without `...` is the whole output;
// with it, its other lines are whole output lines in order.
func TestDocOutputMatches(t *testing.T) {
	for _, tc := range []struct {
		shown, out string
		ok         bool
	}{
		{"a\nb", "a\nb\n", true},
		{"a\nb", "a  \nb", true}, // trailing blanks of a table row
		{"a\nb", "a\nb\nc\n", false},
		{"a\n...", "a\nb\nc\n", true},
		{"a\n...\nc", "a\nb\nc\n", true},
		{"c\n...\na", "a\nb\nc\n", false}, // out of order
		{"a\n...", "ab\n", false},         // a whole line, not a part
		{"x\n...", "a\n", false},
	} {
		if ok, why := outputMatches(tc.shown, tc.out); ok != tc.ok {
			t.Errorf("shown %q, output %q: %v (%s), want %v", tc.shown, tc.out, ok, why, tc.ok)
		}
	}
}

// TestDocOrder: the README, its Documentation list in order, the rest by
// name; links before the list do not count.
func TestDocOrder(t *testing.T) {
	root := t.TempDir()
	readme := "See [dev](docs/c.md).\n\n## Documentation\n\n- [B](docs/b.md#x)\n- [A](docs/a.md)\n- [B again](docs/b.md)\n"
	files := map[string]string{"README.md": readme, "docs/a.md": "", "docs/b.md": "", "docs/c.md": "", "docs/d.md": ""}
	for name, text := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	order, err := docOrder(root)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(order, " "), "README.md docs/b.md docs/a.md docs/c.md docs/d.md"; got != want {
		t.Errorf("order %s, want %s", got, want)
	}
}
