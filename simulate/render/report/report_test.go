package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/check"
	"github.com/vpcpath/vpcpath/simulate/diff"
	"github.com/vpcpath/vpcpath/simulate/render"
)

// blocked is a trace that dies at the endpoint's security group ingress,
// after an allowed egress through the same kind of component.
func blocked() simulate.Result {
	fix := "add to sg-b an ingress rule tcp/8444 from sg-a (aws ec2 authorize-security-group-ingress --group-id sg-b --ip-permissions 'IpProtocol=tcp,FromPort=8444,ToPort=8444,UserIdGroupPairs=[{GroupId=sg-a}]')"
	return simulate.Result{
		Flow:    simulate.Flow{From: "i-1", To: "vpce-1", SrcENI: "eni-1", SrcIP: "10.0.1.5", DstIP: "10.0.3.5", Protocol: model.ProtoTCP, Port: "8444", Ephemeral: "32768-60999"},
		Verdict: simulate.Blocked,
		Hops: []simulate.Hop{
			{Component: simulate.CompENI, ID: "eni-1", Direction: simulate.Egress, Decision: simulate.Allow},
			{Component: simulate.CompSecurityGroup, ID: "sg-b", Direction: simulate.Egress, Decision: simulate.Allow, Rule: "egress all"},
			{Component: simulate.CompRouteTable, ID: "rtb-1", Direction: simulate.Forward, Decision: simulate.Allow, Rule: "10.0.0.0/16 -> local"},
			{Component: simulate.CompSecurityGroup, ID: "sg-b", Direction: simulate.Ingress, Decision: simulate.Deny, Rule: "no matching rule", Reason: "no ingress rule of sg-b allows tcp/8444"},
		},
		BlockedBy:   &simulate.Block{Component: simulate.CompSecurityGroup, ID: "sg-b", Rule: "no matching rule", Reason: "no ingress rule of sg-b allows tcp/8444"},
		Assumptions: []string{"something listens on tcp/8444"},
		Fix:         &fix,
		FixSource:   []simulate.SourceFix{{Language: "terraform", Resource: "aws_security_group.vpce", Summary: "add a resource beside aws_security_group.vpce", Code: "resource \"aws_security_group_rule\" \"x\" {\n  from_port = 8444\n}"}},
	}
}

func outcome(name string, st check.Status, trace *simulate.Result) check.Outcome {
	o := check.Outcome{Name: name, Section: "functional", Status: st, Protocol: "tcp", Ports: check.PortList{{First: 8444, Last: 8444}}, SourceSubnet: "subnet-1 (a)", Source: "eni-1", SharedBy: []string{"eni-1"}, Trace: trace}
	if st != check.Pass && trace != nil {
		o.Rule, o.Fix, o.FixSource, o.Detail = trace.BlockedBy.Rule, trace.Fix, trace.FixSource, "blocked at security-group sg-b"
	}
	return o
}

func TestCheckPage(t *testing.T) {
	b := blocked()
	reach := simulate.Result{Verdict: simulate.Reachable, Hops: b.Hops[:3]}
	rep := render.NewCheckReport("p", []string{"vpc: vpc-1"}, []check.Outcome{
		outcome("passes first in input", check.Pass, &reach),
		outcome("fails", check.Fail, &b),
		{Name: "undecidable", Section: "functional", Status: check.Unknown, Detail: "to: no such subnet"},
		{Name: "shape", Section: "shape", Status: check.Pass},
	})
	p := CheckPage(rep, Options{Run: Run{Source: "bundled example x", Command: "vpcpath check --example x"}})
	if p.Verdict != "FAIL" || p.Class != "fail" {
		t.Errorf("verdict %s/%s, want FAIL/fail", p.Verdict, p.Class)
	}
	counts := map[string]int{}
	for _, c := range p.Counts {
		counts[c.Class] = c.N
	}
	if counts["fail"] != 1 || counts["unknown"] != 1 || counts["pass"] != 2 {
		t.Errorf("counts %v, want fail 1 unknown 1 pass 2", counts)
	}
	if len(p.Sections) != 2 {
		t.Fatalf("%d sections, want requirements and shape", len(p.Sections))
	}
	items := p.Sections[0].Items
	var order []string
	for _, it := range items {
		order = append(order, it.Status+" "+it.Title)
	}
	if got, want := strings.Join(order, "; "), "FAIL fails; UNKNOWN undecidable; PASS passes first in input"; got != want {
		t.Errorf("order %q, want %q", got, want)
	}
	f := items[0]
	if !f.Open || !items[1].Open || items[2].Open {
		t.Errorf("open: %v %v %v, want the failing and unknown open, the passing closed", f.Open, items[1].Open, items[2].Open)
	}
	if len(f.Paths) != 1 {
		t.Fatalf("failing item has %d paths, want the forward one", len(f.Paths))
	}
	var blocking []string
	for _, h := range f.Paths[0].Hops {
		if h.Blocking {
			blocking = append(blocking, fmt.Sprint(h.N, h.Component, h.ID, h.Direction))
		}
	}
	if got := strings.Join(blocking, ","); got != "4security-groupsg-bingress" {
		t.Errorf("blocking hops %q, want only hop 4, sg-b ingress (not its egress at hop 2)", got)
	}
	if f.Where != "at security-group sg-b" || items[2].Where != "" {
		t.Errorf("where: failing %q, passing %q; want the blocking hop on the failing line only", f.Where, items[2].Where)
	}
	if f.Fix.Title != "Fix" {
		t.Errorf("a failure's fix is titled %q", f.Fix.Title)
	}
	if f.Picture == "" || items[2].Picture != "" {
		t.Errorf("picture on failing item: %v, on passing item: %v; want only the failing one", f.Picture != "", items[2].Picture != "")
	}
	if f.Fix == nil || len(f.Fix.Blocks) != 2 || !strings.HasPrefix(f.Fix.Blocks[0].Code, "aws ec2 authorize-security-group-ingress --group-id sg-b") ||
		!strings.HasSuffix(f.Fix.Blocks[0].Code, "UserIdGroupPairs=[{GroupId=sg-a}]'") || f.Fix.Blocks[1].Label != "Terraform: add a resource beside aws_security_group.vpce" {
		t.Errorf("fix %+v", f.Fix)
	}
}

// TestUnknownFix: what an unknown needs is not a fix but what would decide
// it, and the page says so.
func TestUnknownFix(t *testing.T) {
	u := blocked()
	u.Verdict = simulate.Unknown
	u.Hops[3].Decision = simulate.Undecided
	o := outcome("undecided", check.Unknown, &u)
	p := CheckPage(render.NewCheckReport("", nil, []check.Outcome{o}), Options{})
	if it := p.Sections[0].Items[0]; it.Fix == nil || it.Fix.Title != "What would decide it" || it.Where != "at security-group sg-b" {
		t.Errorf("unknown item: fix %+v, where %q", it.Fix, it.Where)
	}
	if tp := TracePage(u, Options{}); tp.Fix == nil || tp.Fix.Title != "What would decide it" || tp.Verdict != "UNKNOWN" || tp.Class != "unknown" {
		t.Errorf("unknown trace: verdict %s/%s, fix %+v", tp.Verdict, tp.Class, tp.Fix)
	}
}

func TestOpenLimit(t *testing.T) {
	b := blocked()
	for _, failing := range []int{OpenLimit, OpenLimit + 1} {
		var os []check.Outcome
		for i := 0; i < 200; i++ {
			st := check.Pass
			if i < failing {
				st = check.Fail
			}
			os = append(os, outcome(fmt.Sprint("r", i), st, &b))
		}
		p := CheckPage(render.NewCheckReport("", nil, os), Options{})
		open := 0
		for _, it := range p.Sections[0].Items {
			if it.Open {
				open++
			}
		}
		want := failing
		if failing > OpenLimit {
			want = 0
		}
		if open != want {
			t.Errorf("%d failing of 200: %d open, want %d", failing, open, want)
		}
	}
}

func TestCommands(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"associate vpce-1 with rtb-1 (aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-1 --add-route-table-ids rtb-1)", "aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-1 --add-route-table-ids rtb-1"},
		{"a (aws x (nested) y); b (aws z)", "aws x (nested) y|aws z"},
		{"enable DNS hostnames on vpc-1 in the console", ""},
		{"unclosed (aws x", ""},
	} {
		if got := strings.Join(commands(c.in), "|"); got != c.want {
			t.Errorf("commands(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// attrURL finds every attribute or CSS reference that could fetch.
var attrURL = regexp.MustCompile(`(?i)(?:\b(?:src|href|action|poster|data)\s*=\s*"([^"]*)"|url\(|@import)`)

// TestSelfContained: the page of every kind references nothing outside
// itself (the browser test checks the same from the network's side), and
// what comes from the network is escaped.
func TestSelfContained(t *testing.T) {
	b := blocked()
	b.Hops[3].Reason = `<script>alert(1)</script>`
	png := func(simulate.Result) ([]byte, error) { return []byte("\x89PNG\r\n\x1a\nrest"), nil }
	pages := map[string]func(*bytes.Buffer) error{
		"check": func(w *bytes.Buffer) error {
			return Check(w, render.NewCheckReport("p", nil, []check.Outcome{outcome("<b>name</b>", check.Fail, &b)}), Options{})
		},
		"trace": func(w *bytes.Buffer) error { return Trace(w, b, Options{}) },
		"trace-png": func(w *bytes.Buffer) error {
			return Trace(w, b, Options{Picture: png})
		},
		"diff": func(w *bytes.Buffer) error {
			o := outcome("r", check.Fail, &b)
			return Diff(w, diff.Report{Before: "a", After: "b", Broken: true, Requirements: []diff.VerdictChange{{Name: "r", Before: check.Pass, After: check.Fail, Worse: true, Outcome: &o}},
				Reachability: []diff.Change{{Kind: "REMOVED", From: "sg-a", To: "sg-b", Protocol: model.ProtoTCP, Ports: diff.Ranges{{First: 8444, Last: 8444}}}}}, Options{})
		},
	}
	for name, write := range pages {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		page := buf.String()
		for _, m := range attrURL.FindAllStringSubmatch(page, -1) {
			if m[1] == "" || !strings.HasPrefix(m[1], "data:") && !strings.HasPrefix(m[1], "#") {
				t.Errorf("%s: reference %q", name, m[0])
			}
		}
		if strings.Contains(page, "<script>alert") || strings.Contains(page, "<b>name</b>") {
			t.Errorf("%s: text from the network is not escaped", name)
		}
		if !strings.Contains(page, "Content-Security-Policy") || strings.Count(page, "<script>") != 1 {
			t.Errorf("%s: want the CSP and the one inline script", name)
		}
	}
}

func TestStrip(t *testing.T) {
	b := blocked()
	b.ReturnHops = []simulate.Hop{{Component: simulate.CompSecurityGroup, ID: "sg-b", Decision: simulate.Allow}}
	svg := string(Strip(b))
	var doc struct {
		XMLName xml.Name
		Width   int `xml:"width,attr"`
		Groups  []struct {
			Class string     `xml:"class,attr"`
			Rects []struct{} `xml:"rect"`
		} `xml:"g"`
	}
	if err := xml.Unmarshal([]byte(svg), &doc); err != nil {
		t.Fatalf("strip is not XML: %v\n%s", err, svg)
	}
	if doc.XMLName.Local != "svg" || doc.Width <= 0 {
		t.Errorf("root %s width %d", doc.XMLName.Local, doc.Width)
	}
	var classes []string
	for _, g := range doc.Groups {
		if len(g.Rects) != 1 {
			t.Errorf("hop %q has %d boxes", g.Class, len(g.Rects))
		}
		classes = append(classes, g.Class)
	}
	if got, want := strings.Join(classes, ","), "hop allow,hop allow,hop allow,hop deny blocking,hop allow"; got != want {
		t.Errorf("hops %q, want %q (4 forward, the blocking one last; 1 return)", got, want)
	}
	if want := "<title>security-group sg-b: deny (no matching rule), no ingress rule of sg-b allows tcp/8444</title>"; !strings.Contains(svg, want) {
		t.Errorf("the blocking box's tooltip is not %s", want)
	}
}

func TestPictureOption(t *testing.T) {
	b := blocked()
	for _, c := range []struct {
		name string
		draw PictureFunc
		want []string
	}{
		{"none", nil, []string{`<svg class="strip"`}},
		{"svg", func(simulate.Result) ([]byte, error) {
			return []byte(`<?xml version="1.0"?><svg id="topology" width="10" height="10"></svg>`), nil
		}, []string{`<svg id="topology"`}},
		{"png", func(simulate.Result) ([]byte, error) { return []byte("\x89PNG\r\n\x1a\nxx"), nil }, []string{`src="data:image/png;base64,`}},
		{"error", func(simulate.Result) ([]byte, error) { return nil, errors.New("no layout") }, []string{`<svg class="strip"`, "topology picture unavailable: no layout"}},
	} {
		got := string(picture(c.draw, b))
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: picture lacks %q", c.name, w)
			}
		}
		if strings.Contains(got, "<?xml") {
			t.Errorf("%s: the XML prolog is inline", c.name)
		}
	}
}

// TestRefusedTrace: a network AWS would refuse gets its refusals, no path
// and no picture.
func TestRefusedTrace(t *testing.T) {
	res := simulate.Result{Verdict: simulate.Invalid, Flow: simulate.Flow{From: "i-1", To: "10.0.0.1", Protocol: model.ProtoTCP, Port: "443"},
		Refused: []model.Problem{{ID: "rtb-1", Source: "aws_route.a", Attribute: "DestinationCidrBlock", Code: "InvalidParameterValue", Msg: "not a CIDR"}}}
	p := TracePage(res, Options{})
	if p.Verdict != "INVALID" || p.Class != "fail" || p.Picture != "" || len(p.Sections) != 1 {
		t.Fatalf("verdict %s/%s, picture %v, %d sections", p.Verdict, p.Class, p.Picture != "", len(p.Sections))
	}
	it := p.Sections[0].Items[0]
	if p.Sections[0].Title != "Refused by AWS" || it.Title != "InvalidParameterValue: rtb-1 DestinationCidrBlock" || it.Detail != "not a CIDR" || !it.Open {
		t.Errorf("refusal item %+v", it)
	}
}

// TestSourceFixLanguages: the change in the input's language, labelled by
// it, is a copyable block of its own, after the CLI command.
func TestSourceFixLanguages(t *testing.T) {
	text := "add a rule (aws ec2 authorize-security-group-egress --group-id sg-1)"
	f := fix(&text, []simulate.SourceFix{
		{Language: "cloudformation", Resource: "Inline", Summary: "add a resource beside Inline", Code: "InlineEgressTcp8443:\n  Type: AWS::EC2::SecurityGroupEgress\n"},
		{Language: "terraform", Resource: "aws_security_group.a", Summary: "add a block to aws_security_group.a", Code: "egress {\n}\n"},
	})
	var got []string
	for _, b := range f.Blocks {
		got = append(got, b.Label)
	}
	if want := "AWS CLI|CloudFormation: add a resource beside Inline|Terraform: add a block to aws_security_group.a"; strings.Join(got, "|") != want {
		t.Errorf("blocks %q, want %q", strings.Join(got, "|"), want)
	}
	if f.Blocks[1].Code != "InlineEgressTcp8443:\n  Type: AWS::EC2::SecurityGroupEgress\n" {
		t.Errorf("the YAML block is %q", f.Blocks[1].Code)
	}
}

// TestPictureBudget: the picture function draws the first OpenLimit
// failing items; the rest, and every passing one, get the strip or
// nothing.
func TestPictureBudget(t *testing.T) {
	b := blocked()
	calls := 0
	draw := func(simulate.Result) ([]byte, error) {
		calls++
		return []byte(`<svg class="topology" width="1" height="1"></svg>`), nil
	}
	var os []check.Outcome
	for i := 0; i < OpenLimit+5; i++ {
		os = append(os, outcome(fmt.Sprint("f", i), check.Fail, &b), outcome(fmt.Sprint("p", i), check.Pass, &b))
	}
	p := CheckPage(render.NewCheckReport("", nil, os), Options{Picture: draw})
	topo, strips := 0, 0
	for _, it := range p.Sections[0].Items {
		switch {
		case strings.Contains(string(it.Picture), `class="topology"`):
			topo++
		case strings.Contains(string(it.Picture), `class="strip"`):
			strips++
		}
	}
	if calls != OpenLimit || topo != OpenLimit || strips != 5 {
		t.Errorf("%d calls, %d topology pictures, %d strips; want %d, %d, 5", calls, topo, strips, OpenLimit, OpenLimit)
	}
}

// TestStripWraps: a path longer than a line wraps instead of running off
// the page; every hop keeps its box.
func TestStripWraps(t *testing.T) {
	var res simulate.Result
	for i := 0; i < stripWrap+2; i++ {
		res.Hops = append(res.Hops, simulate.Hop{Component: simulate.CompRouteTable, ID: fmt.Sprint("rtb-", i), Decision: simulate.Allow})
	}
	res.ReturnHops = res.Hops[:2]
	var doc struct {
		Width  int        `xml:"width,attr"`
		Height int        `xml:"height,attr"`
		Rects  []struct{} `xml:"g>rect"`
	}
	if err := xml.Unmarshal([]byte(Strip(res)), &doc); err != nil {
		t.Fatal(err)
	}
	if want := stripLabel + stripWrap*(stripBox+stripGap); doc.Width != want {
		t.Errorf("width %d, want %d: %d boxes a line", doc.Width, want, stripWrap)
	}
	if want := 3*stripLine + 8; doc.Height != want {
		t.Errorf("height %d, want %d: 2 forward lines and 1 return line", doc.Height, want)
	}
	if len(doc.Rects) != stripWrap+4 {
		t.Errorf("%d boxes, want %d", len(doc.Rects), stripWrap+4)
	}
}
