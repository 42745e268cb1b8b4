package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/check"
	"github.com/vpcpath/vpcpath/simulate/diff"
	"github.com/vpcpath/vpcpath/simulate/matrix"
	"github.com/vpcpath/vpcpath/simulate/render"
	"github.com/vpcpath/vpcpath/simulate/render/report"
)

// TestReportInBrowser opens the --output html pages of check, diff,
// trace and matrix in a real headless Chromium (Debian's chromium, installed by
// scripts/setup.sh) and asserts on what the browser renders: the summary
// counts equal the command's own JSON, a failing requirement's blocking hop
// and rule show when its <details> opens, the inline picture has a size,
// the copy button sits next to each fix, the filter and the sticky counts
// work on a 200-requirement page, and the page makes no network request.
// A screenshot of each page goes to the test's temp dir (and to
// $VPCPATH_SCREENSHOTS when set, to look at).
func TestReportInBrowser(t *testing.T) {
	chrome := chromium(t)
	dir := t.TempDir()
	plan, _ := filepath.Abs("../../testdata/plans/fail-endpoint-sg-missing-8443.plan.json")
	snap := plantedSnapshot(t, dir)
	intents := manyIntents(t, dir, 200)

	// One browser for every page; a hung browser fails the test by this
	// deadline instead of hanging CI.
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.WindowSize(1280, 900))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start %s: %v", chrome, err)
	}

	t.Run("passing check", func(t *testing.T) {
		args := []string{"check", "--example", "databricks-privatelink", "--profile", "databricks-privatelink"}
		rep := jsonOf[render.CheckReport](t, args, exitOK)
		tab := openReport(t, browser, dir, "check-pass", args, exitOK)
		assertCounts(t, tab, map[string]int{"fail": rep.Summary["FAIL"], "unknown": rep.Summary["UNKNOWN"], "pass": rep.Summary["PASS"]})
		if v := eval[string](t, tab, `document.getElementById("verdict").textContent`); v != "PASS" {
			t.Errorf("verdict %q, want PASS", v)
		}
		if n := eval[int](t, tab, `document.querySelectorAll("details.item[open]").length`); n != 0 {
			t.Errorf("%d items open on a passing page, want all closed", n)
		}
		click(t, tab, `.toolbar [data-filter="fail"]`)
		if n := visibleItems(t, tab); n != 0 {
			t.Errorf("filter fail shows %d items on a passing page", n)
		}
		if !eval[bool](t, tab, `!document.getElementById("empty").hidden`) {
			t.Error("the filter shows nothing and does not say so")
		}
		// Printing opens every item the filter shows and leaves the
		// filter bar off the paper.
		click(t, tab, `.toolbar [data-filter=""]`)
		eval[bool](t, tab, `window.dispatchEvent(new Event("beforeprint"))`)
		if n := eval[int](t, tab, `document.querySelectorAll("details.item:not([open])").length`); n != 0 {
			t.Errorf("%d items stay closed for printing", n)
		}
		if _, err := chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		if d := eval[string](t, tab, `getComputedStyle(document.querySelector(".toolbar")).display`); d != "none" {
			t.Errorf("printed, the filter bar has display %q", d)
		}
	})

	t.Run("failing check, planted fault", func(t *testing.T) {
		args := []string{"check", "--snapshot", snap, "--profile", "databricks-privatelink"}
		rep := jsonOf[render.CheckReport](t, args, exitFinding)
		tab := openReport(t, browser, dir, "check-fail", args, exitFinding)
		assertCounts(t, tab, map[string]int{"fail": rep.Summary["FAIL"], "unknown": rep.Summary["UNKNOWN"], "pass": rep.Summary["PASS"]})
		var failing *check.Outcome
		for i, o := range rep.Functional {
			if o.Status == check.Fail {
				failing = &rep.Functional[i]
				break
			}
		}
		if failing == nil || rep.Summary["FAIL"] == 0 {
			t.Fatal("the planted fault fails no requirement")
		}
		assertBlockingHop(t, tab, "details.item.fail", failing.Name, failing.Rule, failing.Detail)
		assertFix(t, tab, "details.item.fail", "aws ec2 authorize-security-group-ingress --group-id sg-0a0000000000000f2 ")
	})

	t.Run("failing check, Terraform fix", func(t *testing.T) {
		args := []string{"check", "--plan", plan, "--profile", "databricks-privatelink"}
		rep := jsonOf[render.CheckReport](t, args, exitFinding)
		tab := openReport(t, browser, dir, "check-plan", args, exitFinding)
		assertCounts(t, tab, map[string]int{"fail": rep.Summary["FAIL"], "unknown": rep.Summary["UNKNOWN"], "pass": rep.Summary["PASS"]})
		assertFix(t, tab, "details.item.fail", `resource "aws_security_group_rule"`)
	})

	t.Run("diff", func(t *testing.T) {
		args := []string{"diff", "--before-example", "databricks-privatelink", "--after-plan", plan, "--profile", "databricks-privatelink"}
		rep := jsonOf[diff.Report](t, args, exitFinding)
		want := map[string]int{}
		for _, v := range rep.Requirements {
			if v.Worse {
				want["fail"]++
			} else {
				want["pass"]++
			}
		}
		for _, c := range rep.Reachability {
			want[strings.ToLower(c.Kind)]++
		}
		tab := openReport(t, browser, dir, "diff", args, exitFinding)
		assertCounts(t, tab, want)
		if v := eval[string](t, tab, `document.getElementById("verdict").textContent`); v != "BROKEN" || !rep.Broken {
			t.Errorf("verdict %q (broken %v), want BROKEN", v, rep.Broken)
		}
		var worse diff.VerdictChange
		for _, v := range rep.Requirements {
			if v.Worse {
				worse = v
				break
			}
		}
		assertBlockingHop(t, tab, "details.item.fail", worse.Name, "", worse.Detail)
	})

	t.Run("trace", func(t *testing.T) {
		args := []string{"trace", "--example", "databricks-privatelink", "--from", "i-0a0000000000c0001", "--to", "vpce-0a0000000000e0001", "--port", "8443"}
		res := jsonOf[simulate.Result](t, args, exitOK)
		tab := openReport(t, browser, dir, "trace", args, exitOK)
		if v := eval[string](t, tab, `document.getElementById("verdict").textContent`); v != strings.ToUpper(string(res.Verdict)) {
			t.Errorf("verdict %q, want %s", v, res.Verdict)
		}
		assertPicture(t, tab, "#picture")
		if eval[bool](t, tab, `document.querySelector("#picture svg").classList.contains("strip")`) {
			if n := eval[int](t, tab, `document.querySelectorAll("#picture svg g.hop").length`); n != len(res.Hops)+len(res.ReturnHops) {
				t.Errorf("the strip draws %d hops, the trace has %d", n, len(res.Hops)+len(res.ReturnHops))
			}
		}
		rows := eval[int](t, tab, `document.querySelectorAll("table.hops tbody tr").length`)
		if rows != len(res.Hops)+len(res.ReturnHops) {
			t.Errorf("%d hop rows, the trace has %d hops", rows, len(res.Hops)+len(res.ReturnHops))
		}
	})

	t.Run("blocked trace", func(t *testing.T) {
		args := []string{"trace", "--plan", plan, "--from", "i-0a0000000000c0001", "--to", "vpce-0a0000000000e0001", "--port", "8443"}
		res := jsonOf[simulate.Result](t, args, exitFinding)
		if res.BlockedBy == nil {
			t.Fatal("the plan's trace is not blocked")
		}
		tab := openReport(t, browser, dir, "trace-blocked", args, exitFinding)
		assertPicture(t, tab, "#picture")
		id := eval[string](t, tab, `document.querySelector("tr.blocking td:nth-child(3)").textContent`)
		rule := eval[string](t, tab, `document.querySelector("tr.blocking td.rule").textContent`)
		if id != res.BlockedBy.ID || rule != res.BlockedBy.Rule {
			t.Errorf("blocking row %s %q, the trace blocks at %s %q", id, rule, res.BlockedBy.ID, res.BlockedBy.Rule)
		}
		assertFix(t, tab, "body", "aws ec2 authorize-security-group-ingress")
	})

	t.Run("matrix", func(t *testing.T) {
		args := []string{"matrix", "--example", "databricks-privatelink", "--by", "vpc", "--port", "8443-8451"}
		x := jsonOf[matrix.Matrix](t, args, exitOK)
		tab := openReport(t, browser, dir, "matrix", args, exitOK)
		assertMatrix(t, tab, x)
	})

	t.Run("matrix audit, planted violation", func(t *testing.T) {
		// The workspace group loses its intra-cluster TCP rule: the
		// workspace subnets, which must reach each other on 443, no longer
		// do; the public subnet stays apart from them.
		snap := planted(t, filepath.Join(dir, "snap-matrix"), "sg-0a0000000000000f1", func(p map[string]any) bool { return p["IpProtocol"] == "tcp" })
		expect := filepath.Join(dir, "apart.yaml")
		if err := os.WriteFile(expect, []byte(`by: subnet
expectations:
  - name: workspace together
    from: {segment: [workspace-a, workspace-b]}
    to: {segment: [workspace-a, workspace-b]}
    ports: ["443"]
    expect: reachable
  - name: public apart
    from: {segment: [public-a]}
    to: {segment: [workspace-a, workspace-b]}
    expect: blocked
`), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"matrix", "--snapshot", snap, "--expect", expect}
		x := jsonOf[matrix.Matrix](t, args, exitFinding)
		if x.Audit == nil || x.Audit.Summary["FAIL"] == 0 || x.Audit.Summary["PASS"] == 0 {
			t.Fatalf("the planted fault gives the audit %v: want failures and passes", x.Audit)
		}
		tab := openReport(t, browser, dir, "matrix-audit", args, exitFinding)
		assertMatrix(t, tab, x)
		s := x.Audit.Summary
		assertCounts(t, tab, map[string]int{"fail": s["FAIL"], "unknown": s["UNKNOWN"], "pass": s["PASS"]})
		if v := eval[string](t, tab, `document.getElementById("verdict").textContent`); v != "FAIL" {
			t.Errorf("verdict %q, want FAIL", v)
		}
		var failing check.Outcome
		for _, o := range x.Audit.Outcomes {
			if o.Status == check.Fail {
				failing = o
				break
			}
		}
		if got := eval[string](t, tab, `document.querySelector("details.item.fail .title").textContent`); got != failing.Name {
			t.Errorf("first failing item %q, want %q", got, failing.Name)
		}
		if !eval[bool](t, tab, `document.querySelector("details.item.fail").open`) {
			t.Error("the failing audit item is closed")
		}
		rule := eval[string](t, tab, `(function () {
			var dd = Array.prototype.find.call(document.querySelectorAll("details.item.fail dt"), function (d) { return d.textContent === "deciding rule" });
			return dd ? dd.nextElementSibling.textContent : "";
		})()`)
		if rule == "" || rule != failing.Rule {
			t.Errorf("the failing item's rule is %q, the audit says %q", rule, failing.Rule)
		}
		if d := eval[string](t, tab, `document.querySelector("details.item.fail .detail").textContent`); d != failing.Detail {
			t.Errorf("the failing item says %q, the audit %q", d, failing.Detail)
		}
		assertFix(t, tab, "details.item.fail", "aws ec2 authorize-security-group-ingress --group-id sg-0a0000000000000f1 ")
	})

	t.Run("200 requirements", func(t *testing.T) {
		args := []string{"check", "--example", "databricks-privatelink", "--intents", intents}
		rep := jsonOf[render.CheckReport](t, args, exitFinding)
		tab := openReport(t, browser, dir, "check-200", args, exitFinding)
		fail, unknown, pass := rep.Summary["FAIL"], rep.Summary["UNKNOWN"], rep.Summary["PASS"]
		if fail+unknown+pass != 200 || fail <= report.OpenLimit || pass == 0 {
			t.Fatalf("the generated requirements give %d fail, %d unknown, %d pass: want 200, more failing than the page opens, some passing", fail, unknown, pass)
		}
		assertCounts(t, tab, map[string]int{"fail": fail, "unknown": unknown, "pass": pass})
		if n := eval[int](t, tab, `document.querySelectorAll("details.item").length`); n != 200 {
			t.Errorf("%d items, want 200", n)
		}
		if n := eval[int](t, tab, `document.querySelectorAll("details.item[open]").length`); n != 0 {
			t.Errorf("%d items open, want all %d collapsed", n, 200)
		}
		if first := eval[string](t, tab, `document.querySelector("details.item").dataset.class`); first != "fail" {
			t.Errorf("the first item is %s, want a failing one first", first)
		}
		// The counts stay on screen at the end of the page.
		eval[bool](t, tab, `window.scrollTo(0, document.body.scrollHeight), true`)
		if y := eval[float64](t, tab, `window.scrollY`); y < 1000 {
			t.Errorf("scrolled only to %v: the page is not long", y)
		}
		top := eval[float64](t, tab, `document.getElementById("summary").getBoundingClientRect().top`)
		if vis := eval[bool](t, tab, `(function(){var r=document.querySelector(".toolbar [data-filter=fail]").getBoundingClientRect();return r.top>=0&&r.bottom<=window.innerHeight&&r.height>0})()`); top != 0 || !vis {
			t.Errorf("at the end of the page the summary is at %v, its fail count visible %v: want sticky at 0", top, vis)
		}
		click(t, tab, `.toolbar [data-filter="fail"]`)
		if n := visibleItems(t, tab); n != fail {
			t.Errorf("filter fail shows %d items, want %d", n, fail)
		}
		click(t, tab, `#expand`)
		if n := eval[int](t, tab, `document.querySelectorAll("details.item[open]").length`); n != fail {
			t.Errorf("expand all under the fail filter opens %d, want the %d shown", n, fail)
		}
		click(t, tab, `.toolbar [data-filter="pass"]`)
		if n := visibleItems(t, tab); n != pass {
			t.Errorf("filter pass shows %d items, want %d", n, pass)
		}
		click(t, tab, `.toolbar [data-filter=""]`)
		if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS("#search"), "req 117 ")); err != nil {
			t.Fatal(err)
		}
		if n := visibleItems(t, tab); n != 1 {
			t.Errorf("searching one requirement's name shows %d items, want 1", n)
		}
	})
}

// chromium finds Debian's Chromium, or skips the test.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium not installed (scripts/setup.sh installs Debian's chromium as root): the HTML report is not tested in a browser")
	return ""
}

// runArgs runs vpcpath in-process and checks the exit code.
func runArgs(t *testing.T, args []string, want int) []byte {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(args, &streams{Out: &out, ErrOut: &errOut}); code != want {
		t.Fatalf("vpcpath %s: exit %d, want %d: %s", strings.Join(args, " "), code, want, errOut.String())
	}
	return out.Bytes()
}

// jsonOf is the command's own --output json answer: the data the page
// must agree with.
func jsonOf[T any](t *testing.T, args []string, code int) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(runArgs(t, append(args, "--output", "json"), code), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// openReport writes the command's page into dir and opens it in a new tab
// that records every request; when the subtest ends, it takes a
// screenshot and fails on any request that is not the page itself (or
// data:/about:) and on any console error.
func openReport(t *testing.T, browser context.Context, dir, name string, args []string, code int) context.Context {
	t.Helper()
	file := filepath.Join(dir, name+".html")
	if err := os.WriteFile(file, runArgs(t, append(args, "--output", "html"), code), 0o644); err != nil {
		t.Fatal(err)
	}
	tab, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	if err := chromedp.Do(tab); err != nil { // open the tab before listening
		t.Fatal(err)
	}
	var mu sync.Mutex
	var requests, errors []string
	if err := chromedp.Listen(tab, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			requests = append(requests, e.Request.URL)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				errors = append(errors, fmt.Sprintf("%s %s: %s", e.Entry.Source, e.Entry.Level, e.Entry.Text))
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	url := "file://" + file
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() {
		shot, err := chromedp.Run(tab, chromedp.FullScreenshot(90))
		if err != nil || len(shot) == 0 {
			t.Errorf("screenshot: %v (%d bytes)", err, len(shot))
		} else {
			if err := os.WriteFile(filepath.Join(t.TempDir(), name+".jpg"), shot, 0o644); err != nil {
				t.Error(err)
			}
			if keep := os.Getenv("VPCPATH_SCREENSHOTS"); keep != "" {
				_ = os.WriteFile(filepath.Join(keep, name+".jpg"), shot, 0o644)
				_ = os.WriteFile(filepath.Join(keep, name+".html"), mustRead(t, file), 0o644)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if len(requests) == 0 {
			t.Error("no request seen, not even the page: the network listener is blind")
		}
		for _, u := range requests {
			if u != url && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "about:") {
				t.Errorf("the page requested %s", u)
			}
		}
		for _, e := range errors {
			t.Errorf("console: %s", e)
		}
	})
	return tab
}

func mustRead(t *testing.T, file string) []byte {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func eval[T any](t *testing.T, tab context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func click(t *testing.T, tab context.Context, css string) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(css))); err != nil {
		t.Fatalf("click %s: %v", css, err)
	}
}

// visibleItems counts the items the browser renders (not hidden by the
// filter).
func visibleItems(t *testing.T, tab context.Context) int {
	return eval[int](t, tab, `Array.prototype.filter.call(document.querySelectorAll("details.item"), function (d) { return d.checkVisibility() }).length`)
}

// assertCounts compares the summary's counts, and the items of each
// class, with the command's data.
func assertCounts(t *testing.T, tab context.Context, want map[string]int) {
	t.Helper()
	got := eval[map[string]int](t, tab, `(function () {
		var m = {};
		document.querySelectorAll(".toolbar [data-filter]").forEach(function (b) {
			if (b.dataset.filter) { m[b.dataset.filter] = (m[b.dataset.filter] || 0) + Number(b.querySelector("b").textContent); }
		});
		return m;
	})()`)
	items := eval[map[string]int](t, tab, `(function () {
		var m = {};
		document.querySelectorAll("details.item").forEach(function (d) { m[d.dataset.class] = (m[d.dataset.class] || 0) + 1; });
		return m;
	})()`)
	for class, n := range want {
		if got[class] != n {
			t.Errorf("summary shows %d %s, the data has %d", got[class], class, n)
		}
		if items[class] != n {
			t.Errorf("%d %s items, the data has %d", items[class], class, n)
		}
	}
}

// assertMatrix compares a matrix page with the command's JSON: the cells
// counted by status in the summary and in the table, one table row per
// segment, one item per source with a partial or unknown cell, and the
// heatmap drawn with a size.
func assertMatrix(t *testing.T, tab context.Context, x matrix.Matrix) {
	t.Helper()
	want := map[string]int{}
	rows := 0
	for i := range x.Segments {
		detail := false
		for j := range x.Segments {
			c := x.Cells[i*len(x.Segments)+j]
			want[string(c.Status)]++
			detail = detail || c.Status == matrix.Partial || c.Status == matrix.Unknown
		}
		if detail {
			rows++
		}
	}
	tally := eval[map[string]int](t, tab, `(function () {
		var m = {};
		document.querySelectorAll("#tally [data-status]").forEach(function (s) { m[s.dataset.status] = Number(s.querySelector("b").textContent); });
		return m;
	})()`)
	cells := eval[map[string]int](t, tab, `(function () {
		var m = {};
		document.querySelectorAll("table.matrix tbody td").forEach(function (d) { m[d.className] = (m[d.className] || 0) + 1; });
		return m;
	})()`)
	for _, st := range matrix.Statuses {
		if tally[string(st)] != want[string(st)] || cells[string(st)] != want[string(st)] {
			t.Errorf("%s cells: the summary shows %d, the table %d, the data has %d", st, tally[string(st)], cells[string(st)], want[string(st)])
		}
	}
	if n := eval[int](t, tab, `document.querySelectorAll("table.matrix tbody tr").length`); n != len(x.Segments) {
		t.Errorf("%d table rows, %d segments", n, len(x.Segments))
	}
	if n := eval[int](t, tab, `document.querySelectorAll("details.item.cells").length`); n != rows {
		t.Errorf("%d per-source items, %d sources have a partial or unknown cell", n, rows)
	}
	assertPicture(t, tab, "#picture")
}

// assertBlockingHop closes the first item matching sel, checks that its
// blocking hop is not rendered, opens it with a click on its summary and
// checks the blocking row shows, with the rule (when given) and an ID the
// data names.
func assertBlockingHop(t *testing.T, tab context.Context, sel, name, rule, detail string) {
	t.Helper()
	if got := eval[string](t, tab, `document.querySelector("`+sel+` .title").textContent`); got != name {
		t.Errorf("first failing item %q, want %q", got, name)
	}
	if !eval[bool](t, tab, `document.querySelector("`+sel+`").open`) {
		t.Errorf("the failing item %q is closed: few failing items open by default", name)
	}
	eval[bool](t, tab, `document.querySelector("`+sel+`").open = false`)
	if eval[bool](t, tab, `document.querySelector("`+sel+` tr.blocking").checkVisibility()`) {
		t.Error("the blocking hop shows while its item is closed")
	}
	click(t, tab, sel+" > summary")
	if !eval[bool](t, tab, `document.querySelector("`+sel+` tr.blocking").checkVisibility()`) {
		t.Fatal("opened, the item does not show its blocking hop")
	}
	if h := eval[float64](t, tab, `document.querySelector("`+sel+` tr.blocking").getBoundingClientRect().height`); h <= 0 {
		t.Fatalf("opened, the blocking hop has height %v", h)
	}
	id := eval[string](t, tab, `document.querySelector("`+sel+` tr.blocking td:nth-child(3)").textContent`)
	if id == "" || !strings.Contains(detail, id) {
		t.Errorf("the blocking hop is %q, the data says %q", id, detail)
	}
	if got := eval[string](t, tab, `document.querySelector("`+sel+` tr.blocking td.rule").textContent`); rule != "" && got != rule {
		t.Errorf("the blocking rule is %q, the data says %q", got, rule)
	}
	if !eval[bool](t, tab, `document.querySelector("`+sel+` tr.blocking .mark") !== null`) {
		t.Error("the blocking hop is not marked")
	}
	assertPicture(t, tab, sel+" figure.picture")
}

// assertPicture checks the inline picture under sel has rendered with a
// size.
func assertPicture(t *testing.T, tab context.Context, sel string) {
	t.Helper()
	size := eval[[]float64](t, tab, `(function () {
		var p = document.querySelector("`+sel+` svg, `+sel+` img");
		if (!p) { return [0, 0]; }
		var r = p.getBoundingClientRect();
		return [r.width, r.height];
	})()`)
	if size[0] <= 0 || size[1] <= 0 {
		t.Errorf("the picture in %s renders %vx%v", sel, size[0], size[1])
	}
}

// assertFix checks that under sel a fix block holds code starting with
// want, with a copy button next to it that answers a click.
func assertFix(t *testing.T, tab context.Context, sel, want string) {
	t.Helper()
	idx := eval[int](t, tab, `Array.prototype.findIndex.call(document.querySelectorAll("`+sel+` .fix .code"), function (c) {
		var pre = c.querySelector("pre"), b = c.querySelector(".codehead button.copy");
		return pre !== null && b !== null && b.parentElement.nextElementSibling === pre && pre.textContent.indexOf(`+jsString(want)+`) === 0;
	})`)
	if idx < 0 {
		t.Fatalf("no fix block starting %q with a copy button next to it", want)
	}
	btn := fmt.Sprintf(`document.querySelectorAll("%s .fix .code")[%d].querySelector("button.copy")`, sel, idx)
	eval[bool](t, tab, btn+`.scrollIntoView(), true`)
	eval[bool](t, tab, btn+`.click(), true`)
	// The clipboard answers asynchronously: wait for the button to say so
	// (the context's deadline bounds the wait).
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](btn+`.textContent !== "copy"`)); err != nil {
		t.Errorf("the copy button does not answer a click: %v", err)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// plantedSnapshot is the example with one fault planted, as the txtar
// scenarios do: the endpoint group sg-0a0000000000000f2 loses its ingress
// rule for tcp 8443-8451.
func plantedSnapshot(t *testing.T, dir string) string {
	return planted(t, filepath.Join(dir, "snap"), "sg-0a0000000000000f2", func(p map[string]any) bool { return p["FromPort"] == float64(8443) })
}

// planted exports the example into snap and removes the one ingress rule
// of group that drop picks.
func planted(t *testing.T, snap, group string, drop func(map[string]any) bool) string {
	t.Helper()
	runArgs(t, []string{"examples", "databricks-privatelink", "--export", snap}, exitOK)
	file := filepath.Join(snap, "us-east-1", "ec2-describe-security-groups.json")
	var doc map[string]any
	if err := json.Unmarshal(mustRead(t, file), &doc); err != nil {
		t.Fatal(err)
	}
	removed := 0
	for _, g := range doc["SecurityGroups"].([]any) {
		g := g.(map[string]any)
		if g["GroupId"] != group {
			continue
		}
		var keep []any
		for _, p := range g["IpPermissions"].([]any) {
			if drop(p.(map[string]any)) {
				removed++
				continue
			}
			keep = append(keep, p)
		}
		g["IpPermissions"] = keep
	}
	if removed != 1 {
		t.Fatalf("planted %d faults, want 1: the example changed", removed)
	}
	b, _ := json.Marshal(doc)
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return snap
}

// manyIntents writes an intent file of n requirements from the workspace
// subnet to the REST endpoint, on ports its group partly admits.
func manyIntents(t *testing.T, dir string, n int) string {
	ports := []string{"443", "2443", "22", "5432", "80", "6666", "3306", "8443", "9000", "8451"}
	var b strings.Builder
	b.WriteString("requirements:\n")
	for i := 1; i <= n; i++ {
		p := ports[i%len(ports)]
		fmt.Fprintf(&b, "  - name: req %03d tcp/%s\n    from: {subnet: [subnet-0a0000000000000b1], security_group: [sg-0a0000000000000f1]}\n    to: {endpoint: vpce-0a0000000000e0001}\n    protocol: tcp\n    ports: [\"%s\"]\n    expect: reachable\n", i, p, p)
	}
	file := filepath.Join(dir, "intents.yaml")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}
