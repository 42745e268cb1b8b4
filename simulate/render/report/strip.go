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
	stripBox   = 176 // a hop's box
	stripGap   = 22  // the arrow between two boxes
	stripRow   = 64  // a row: a box and its margin
	stripBoxH  = 46
)

// Strip draws a trace as a left-to-right path strip, one box per hop: the
// forward path on the first row, the return path under it, the hop that
// blocks red (thick), an undecided one amber and dashed. It is the page's
// own picture, always there; a topology picture (PictureFunc) replaces it.
func Strip(res simulate.Result) template.HTML {
	rows := [][]simulate.Hop{res.Hops}
	names := []string{"forward"}
	if len(res.ReturnHops) > 0 {
		rows = append(rows, res.ReturnHops)
		names = append(names, "return")
	}
	widest := 1
	for _, r := range rows {
		widest = max(widest, len(r))
	}
	width := stripLabel + widest*(stripBox+stripGap)
	height := len(rows)*stripRow + 8
	var b strings.Builder
	label := fmt.Sprintf("path of %s to %s: %s", res.Flow.From, res.Flow.To, res.Verdict)
	fmt.Fprintf(&b, `<svg class="strip" xmlns="http://www.w3.org/2000/svg" role="img" width="%d" height="%d" viewBox="0 0 %d %d" aria-label="%s">`,
		width, height, width, height, esc(label))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(label))
	for r, hops := range rows {
		y := 8 + r*stripRow
		fmt.Fprintf(&b, `<text x="4" y="%d" class="rowlabel">%s</text>`, y+stripBoxH/2+4, names[r])
		block := blockingHop(hops, res.BlockedBy, r == 1)
		for i, h := range hops {
			x := stripLabel + i*(stripBox+stripGap)
			class := "allow"
			switch h.Decision {
			case simulate.Deny:
				class = "deny"
			case simulate.Undecided:
				class = "undecided"
			}
			if i == block {
				class += " blocking"
			}
			tip := string(h.Component) + " " + h.ID + ": " + string(h.Decision)
			if h.Rule != "" {
				tip += " (" + h.Rule + ")"
			}
			if h.Reason != "" {
				tip += ", " + h.Reason
			}
			fmt.Fprintf(&b, `<g class="hop %s"><title>%s</title><rect x="%d" y="%d" width="%d" height="%d" rx="6"/>`,
				class, esc(tip), x, y, stripBox, stripBoxH)
			fmt.Fprintf(&b, `<text x="%d" y="%d" class="comp">%s</text><text x="%d" y="%d" class="id">%s</text></g>`,
				x+8, y+18, esc(clip(string(h.Component), 24)), x+8, y+36, esc(clip(h.ID, 24)))
			if i+1 < len(hops) {
				ax := x + stripBox
				ay := y + stripBoxH/2
				fmt.Fprintf(&b, `<path class="arrow" d="M%d %d H%d"/><path class="head" d="M%d %d l-7 -4 v8 z"/>`,
					ax+2, ay, ax+stripGap-4, ax+stripGap-1, ay)
			}
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
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
