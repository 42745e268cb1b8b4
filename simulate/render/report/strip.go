package report

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/vpcpath/vpcpath/simulate"
)

// Strip sizes, in pixels.
const (
	stripLabel = 70  // the row label on the left
	stripBox   = 150 // a hop's box
	stripGap   = 20  // the arrow between two boxes
	stripLine  = 58  // a line of boxes and its margin
	stripBoxH  = 44
	stripWrap  = 6 // boxes per line: a long path wraps, so the page need not scroll
)

// Strip draws a trace as a left-to-right path strip, one box per hop: the
// forward path first, the return path under it, the hop that blocks red
// (thick), an undecided one amber and dashed; a path longer than six hops
// wraps onto the next line, an arrow out of the line's end and into the
// next one's start. Each box's tooltip is its hop's rule and reason. It is
// the page's own picture, always there; a topology picture (PictureFunc)
// replaces it.
func Strip(res simulate.Result) template.HTML {
	rows := [][]simulate.Hop{res.Hops}
	names := []string{"forward"}
	if len(res.ReturnHops) > 0 {
		rows = append(rows, res.ReturnHops)
		names = append(names, "return")
	}
	lines, widest := 0, 1
	for _, r := range rows {
		lines += max(1, (len(r)+stripWrap-1)/stripWrap)
		widest = max(widest, min(len(r), stripWrap))
	}
	width := stripLabel + widest*(stripBox+stripGap)
	height := lines*stripLine + 8
	var b strings.Builder
	label := fmt.Sprintf("path of %s to %s: %s", res.Flow.From, res.Flow.To, res.Verdict)
	fmt.Fprintf(&b, `<svg class="strip" xmlns="http://www.w3.org/2000/svg" role="img" width="%d" height="%d" viewBox="0 0 %d %d" aria-label="%s">`,
		width, height, width, height, esc(label))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(label))
	line := 0
	for r, hops := range rows {
		fmt.Fprintf(&b, `<text x="4" y="%d" class="rowlabel">%s</text>`, 8+line*stripLine+stripBoxH/2+4, names[r])
		block := blockingHop(hops, res.BlockedBy, r == 1)
		for i, h := range hops {
			col := i % stripWrap
			if i > 0 && col == 0 {
				line++
			}
			x := stripLabel + col*(stripBox+stripGap)
			y := 8 + line*stripLine
			ay := y + stripBoxH/2
			if i > 0 && col == 0 { // continued from the line above
				arrow(&b, stripLabel-stripGap, ay)
			}
			box(&b, h, i == block, x, y)
			if i+1 < len(hops) {
				arrow(&b, x+stripBox, ay)
			}
		}
		line++
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// box draws one hop at x, y.
func box(b *strings.Builder, h simulate.Hop, blocking bool, x, y int) {
	class := "allow"
	switch h.Decision {
	case simulate.Deny:
		class = "deny"
	case simulate.Undecided:
		class = "undecided"
	}
	if blocking {
		class += " blocking"
	}
	tip := string(h.Component) + " " + h.ID + ": " + string(h.Decision)
	if h.Rule != "" {
		tip += " (" + h.Rule + ")"
	}
	if h.Reason != "" {
		tip += ", " + h.Reason
	}
	fmt.Fprintf(b, `<g class="hop %s"><title>%s</title><rect x="%d" y="%d" width="%d" height="%d" rx="6"/>`,
		class, esc(tip), x, y, stripBox, stripBoxH)
	fmt.Fprintf(b, `<text x="%d" y="%d" class="comp">%s</text><text x="%d" y="%d" class="id">%s</text></g>`,
		x+7, y+17, esc(clip(string(h.Component), 21)), x+7, y+34, esc(clip(h.ID, 22)))
}

// arrow draws the arrow of one gap, from x at height y.
func arrow(b *strings.Builder, x, y int) {
	fmt.Fprintf(b, `<path class="arrow" d="M%d %d H%d"/><path class="head" d="M%d %d l-7 -4 v8 z"/>`,
		x+2, y, x+stripGap-4, x+stripGap-1, y)
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// clip shortens s to n characters with an ellipsis (the box's title
// keeps the whole text).
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
