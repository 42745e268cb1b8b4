package awscollect

import (
	"fmt"
	"io"
	"os"
	"sync"
)

// progress reports calls as they finish. On a terminal it keeps one status
// line updated in place; elsewhere it writes one line per call. Warnings
// always get a line of their own. A nil *progress is silent.
type progress struct {
	w   io.Writer
	tty bool

	mu      sync.Mutex
	running int
	done    int
	drawn   bool
}

func newProgress(w io.Writer) *progress {
	if w == nil {
		return nil
	}
	return &progress{w: w, tty: isTerminal(w)}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb"
}

func callLabel(service, operation, account, region string) string {
	where := account
	if region != "" {
		where += " " + region
	}
	if where != "" {
		where = "[" + where + "] "
	}
	return where + service + ":" + operation
}

func (p *progress) begin(s callSpec) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running++
	if p.tty {
		p.draw(callLabel(s.service, s.operation, s.account, s.region))
	}
}

func (p *progress) end(c Call) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running--
	p.done++
	label := callLabel(c.Service, c.Operation, c.Account, c.Region)
	if p.tty {
		p.draw(label)
		return
	}
	outcome := "ok"
	if !c.OK {
		outcome = "not collected"
	}
	pages := "pages"
	if c.Pages == 1 {
		pages = "page"
	}
	fmt.Fprintf(p.w, "collect: %s %s, %d %s, %.0fms\n", label, outcome, c.Pages, pages, c.DurationMS)
}

func (p *progress) warn(msg string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
	fmt.Fprintf(p.w, "collect: %s\n", msg)
}

// draw rewrites the status line; the caller holds p.mu.
func (p *progress) draw(last string) {
	line := fmt.Sprintf("collect: %d calls done, %d running; %s", p.done, p.running, last)
	const width = 100
	if len(line) > width {
		line = line[:width-3] + "..."
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", line)
	p.drawn = true
}

func (p *progress) close() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && (p.drawn || p.done > 0) {
		fmt.Fprintf(p.w, "\r\x1b[Kcollect: %d calls done\n", p.done)
		p.drawn = false
	}
}
