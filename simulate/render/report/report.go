// Package report writes vpcpath's answers as one self-contained HTML page
// to attach to an incident ticket or a pull request: the summary first,
// then every item (a requirement, a change, a path) expandable to its hops
// and rules, the path picture inline and the fix copyable.
//
// The page fetches nothing: its styles, its script and its pictures are
// inline (a Content-Security-Policy in the page forbids any other source),
// so it opens the same from a mail attachment, a ticket or a CI artifact.
//
// A page type is a builder from an answer to a Page (check.go, diff.go,
// trace.go, matrix.go); the layout, the summary block with its status filter, the
// expandable item list and the pictures are shared (page.html).
package report

import (
	"embed"
	"encoding/base64"
	"html/template"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/simulate"
)

//go:embed page.html
var files embed.FS

var page = template.Must(template.New("page.html").ParseFS(files, "page.html"))

// Page is one report. The builders fill it; Write lays it out.
type Page struct {
	Kind    string // check, diff, trace, matrix: the page's data-kind
	Title   string
	Verdict string // the one-word answer: PASS, FAIL, BROKEN, REACHABLE...
	Class   string // the verdict's class: pass, fail or unknown
	Lead    string // one sentence under the verdict
	Facts   []Fact // what was asked of what: profile, source, command
	Counts  []Count
	// Tally counts what the page shows without filtering it (the cells
	// of a matrix by status).
	Tally   []Count
	Notes   []List // lists under the facts: discovered parameters, plan changes
	Picture template.HTML
	Fix     *Fix
	// Grid is a matrix as a table, after the picture.
	Grid *Grid
	// Sections hold the items; within each, the builders put failing
	// items first.
	Sections []Section
}

// Fact is one labelled value of the summary or of an item.
type Fact struct {
	Name, Value string
	Code        bool // the value is an ID or a command: shown in monospace
}

// adder returns a function that appends a fact to l when its value is
// not empty.
func adder(l *[]Fact) func(name, value string, code bool) {
	return func(name, value string, code bool) {
		if value != "" {
			*l = append(*l, Fact{Name: name, Value: value, Code: code})
		}
	}
}

// Count is one status and how many items have it; its button filters the
// items by Class.
type Count struct {
	Label string
	Class string
	N     int
}

// List is a titled list of lines (findings, assumptions, notes).
type List struct {
	Title string
	Items []string
}

// Section is a titled group of items.
type Section struct {
	Title string
	Note  string
	Items []Item
}

// Item is one expandable entry.
type Item struct {
	ID       string // the anchor, unique in the page
	Status   string // as shown: FAIL, PASS -> FAIL, ADDED...
	Class    string // what the status filter matches: fail, unknown, pass...
	Title    string
	Subtitle string
	// Where is the short answer on the closed item's line: the hop that
	// blocks ("security-group sg-0a… ingress").
	Where   string
	Open    bool
	Detail  string
	Fields  []Fact
	Picture template.HTML
	Paths   []Path
	Fix     *Fix
	Lists   []List
}

// Path is one direction of a trace as a hop table.
type Path struct {
	Title string
	Hops  []HopRow
}

// HopRow is one hop; Blocking marks where the packet dies (or where the
// model stops knowing).
type HopRow struct {
	N                                             int
	Component, ID, Direction, Decision, Rule, Why string
	Blocking                                      bool
}

// Fix is what to change: the tracer's sentence and copyable code blocks
// (the AWS CLI command, the Terraform or CloudFormation change). Title
// is "Fix", or, for an unknown, "What would decide it".
type Fix struct {
	Title  string
	Text   string
	Blocks []CodeBlock
}

// CodeBlock is a copyable block of code.
type CodeBlock struct {
	Label string
	Code  string
}

// PictureFunc draws a trace's path (an SVG document, or PNG bytes). A nil
// PictureFunc, or one that fails, leaves the page with its own path strip
// (Strip). The SVG goes into the page as it is: it must come from vpcpath
// (no script, no external reference; the page's policy would block them).
type PictureFunc func(simulate.Result) ([]byte, error)

// pictures hands out the PictureFunc to the first OpenLimit items that
// want a picture: a page of hundreds of failures draws the rest as strips,
// and stays light.
type pictures struct {
	f    PictureFunc
	used int
}

func (p *pictures) draw(wants bool) PictureFunc {
	if !wants || p.used >= OpenLimit {
		return nil
	}
	p.used++
	return p.f
}

// OpenLimit is how many failing items a page opens by default: beyond it
// every item starts closed, so a report of hundreds stays a list to scan.
const OpenLimit = 10

//go:embed style.css
var css string

//go:embed script.js
var js string

// Write lays p out as one HTML document.
func Write(w io.Writer, p Page) error {
	return page.Execute(w, struct {
		Page
		CSS template.CSS
		JS  template.JS
	}{p, template.CSS(css), template.JS(js)})
}

// rank orders item classes: what needs attention first.
func rank(class string) int {
	switch class {
	case "fail", "removed":
		return 0
	case "unknown":
		return 1
	case "added", "path":
		return 2
	}
	return 3
}

// sortItems puts failing items first (stable: the answer's own order
// otherwise), numbers their anchors and opens the failing ones when there
// are few enough.
func sortItems(prefix string, items []Item) {
	sort.SliceStable(items, func(i, j int) bool { return rank(items[i].Class) < rank(items[j].Class) })
	failing := 0
	for _, it := range items {
		if rank(it.Class) < 2 {
			failing++
		}
	}
	for i := range items {
		if items[i].ID == "" {
			items[i].ID = prefix + "-" + strconv.Itoa(i+1)
		}
		items[i].Open = items[i].Open || rank(items[i].Class) < 2 && failing <= OpenLimit
	}
}

// paths turns a trace's hops into its forward and return tables, the
// blocking hop marked.
func paths(res simulate.Result) []Path {
	var out []Path
	fw := Path{Title: "Forward path", Hops: rows(res.Hops, res.BlockedBy, false)}
	out = append(out, fw)
	if len(res.ReturnHops) > 0 {
		out = append(out, Path{Title: "Return path", Hops: rows(res.ReturnHops, res.BlockedBy, true)})
	}
	return out
}

func rows(hs []simulate.Hop, b *simulate.Block, ret bool) []HopRow {
	block := blockingHop(hs, b, ret)
	out := make([]HopRow, len(hs))
	for i, h := range hs {
		out[i] = HopRow{N: i + 1, Component: string(h.Component), ID: h.ID, Direction: string(h.Direction),
			Decision: string(h.Decision), Rule: h.Rule, Why: h.Reason, Blocking: i == block}
	}
	return out
}

// blockingHop is the index of the hop b names in hs (the last that did
// not allow the packet), or -1 when b is not on this path.
func blockingHop(hs []simulate.Hop, b *simulate.Block, ret bool) int {
	if b == nil || b.Return != ret {
		return -1
	}
	for i := len(hs) - 1; i >= 0; i-- {
		if hs[i].Decision != simulate.Allow && hs[i].Component == b.Component && hs[i].ID == b.ID {
			return i
		}
	}
	for i := len(hs) - 1; i >= 0; i-- {
		if hs[i].Decision != simulate.Allow {
			return i
		}
	}
	return -1
}

// awsCommand finds the AWS CLI commands a fix sentence carries in
// parentheses ("add ... (aws ec2 authorize-security-group-ingress ...)").
var awsCommand = regexp.MustCompile(`\(aws `)

// fix builds the copyable fix: the CLI commands found in the sentence,
// then the change in the source's language.
func fix(text *string, src []simulate.SourceFix) *Fix {
	if text == nil && len(src) == 0 {
		return nil
	}
	f := &Fix{Title: "Fix"}
	if text != nil {
		f.Text = *text
		for _, cmd := range commands(*text) {
			f.Blocks = append(f.Blocks, CodeBlock{Label: "AWS CLI", Code: cmd})
		}
	}
	for _, s := range src {
		label := languageName(s.Language)
		if s.Summary != "" {
			label += ": " + s.Summary
		}
		f.Blocks = append(f.Blocks, CodeBlock{Label: label, Code: s.Code})
	}
	return f
}

// commands extracts each parenthesised "aws ..." command of s, keeping
// the parentheses nested inside it.
func commands(s string) []string {
	var out []string
	for _, loc := range awsCommand.FindAllStringIndex(s, -1) {
		depth := 0
		for i := loc[0]; i < len(s); i++ {
			switch s[i] {
			case '(':
				depth++
			case ')':
				depth--
			}
			if depth == 0 {
				out = append(out, s[loc[0]+1:i])
				break
			}
		}
	}
	return out
}

func languageName(l string) string {
	switch l {
	case "terraform":
		return "Terraform"
	case "cloudformation":
		return "CloudFormation"
	}
	return l
}

// picture draws res with draw, or with the page's own strip when draw is
// nil or fails (the failure is said under the strip).
func picture(draw PictureFunc, res simulate.Result) template.HTML {
	if draw != nil {
		b, err := draw(res)
		if err == nil && len(b) > 0 {
			if inline, ok := inlineImage(b); ok {
				return inline
			}
		}
		strip := Strip(res)
		if err != nil {
			return strip + template.HTML(`<figcaption>topology picture unavailable: `+template.HTMLEscapeString(err.Error())+`</figcaption>`)
		}
		return strip
	}
	return Strip(res)
}

// inlineImage places picture bytes in the page: an SVG document inline
// (its XML prolog dropped), a PNG as a data: URI.
func inlineImage(b []byte) (template.HTML, bool) {
	if len(b) > 8 && string(b[:8]) == "\x89PNG\r\n\x1a\n" {
		return template.HTML(`<img alt="path picture" src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(b) + `">`), true
	}
	s := string(b)
	i := strings.Index(s, "<svg")
	if i < 0 {
		return "", false
	}
	return template.HTML(s[i:]), true
}

// where names the hop that stops res, for the closed item's line.
func where(res *simulate.Result) string {
	if res == nil || res.BlockedBy == nil {
		return ""
	}
	b := res.BlockedBy
	w := "at " + string(b.Component) + " " + b.ID
	if b.Return {
		w += " on the return path"
	}
	return w
}

// statusClass is the filter class of a check status.
func statusClass(s string) string {
	return strings.ToLower(s)
}
