// Package heatmap draws a reachability matrix as a picture (SVG or PNG)
// with gonum.org/v1/plot: one square per cell, coloured by its status,
// rows the sources and columns the destinations, with a legend.
package heatmap

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/vpcpath/vpcpath/simulate/matrix"
)

// Colours of the statuses. Unknown is never drawn like reachable or
// blocked: a cell the model cannot decide has its own colour.
var Colours = map[matrix.Status]color.RGBA{
	matrix.Reachable: {R: 0x2e, G: 0x7d, B: 0x32, A: 0xff}, // green
	matrix.Partial:   {R: 0xf9, G: 0xa8, B: 0x25, A: 0xff}, // amber
	matrix.Blocked:   {R: 0xd0, G: 0xd0, B: 0xd0, A: 0xff}, // light grey
	matrix.Unknown:   {R: 0x7b, G: 0x1f, B: 0xa2, A: 0xff}, // purple
	matrix.Empty:     {R: 0xff, G: 0xff, B: 0xff, A: 0xff}, // white
}

// maxLabelled is the number of segments up to which every row and column
// is labelled; beyond, the picture shows the pattern and the JSON or CSV
// output names the cells.
const maxLabelled = 80

// Write draws x in format "svg" or "png".
func Write(w io.Writer, x *matrix.Matrix, format string) error {
	if format != "svg" && format != "png" {
		return fmt.Errorf("heatmap: want svg or png, not %q", format)
	}
	n := len(x.Segments)
	p := plot.New()
	title := fmt.Sprintf("vpcpath matrix by %s, %s", x.By, x.Protocol)
	if x.Ports != "" {
		title += " " + x.Ports
	}
	p.Title.Text = title
	p.X.Label.Text = "to"
	p.Y.Label.Text = "from"
	p.Add(cells{x})
	// Blank columns on the right hold the legend, clear of the cells.
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, float64(max(n, 1))+math.Max(2, math.Ceil(float64(n)*0.25)), 0, float64(max(n, 1))
	p.X.Padding, p.Y.Padding = 0, 0
	labels := make([]string, n)
	for i, s := range x.Segments {
		labels[i] = s.Label
	}
	p.X.Tick.Marker = ticks{labels: labels}
	p.Y.Tick.Marker = ticks{labels: labels, reverse: true}
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	p.Legend.Top = true
	p.Legend.Left = false
	for _, s := range matrix.Statuses {
		p.Legend.Add(string(s), swatch(Colours[s]))
	}
	side := vg.Length(n)*28 + 5*vg.Inch
	if n > maxLabelled {
		side = vg.Length(n)*2 + 6*vg.Inch
	}
	if side > 60*vg.Inch {
		side = 60 * vg.Inch
	}
	wt, err := p.WriterTo(side+2*vg.Inch, side, format)
	if err != nil {
		return err
	}
	_, err = wt.WriteTo(w)
	return err
}

// cells draws one square per cell: row i from the top, column j from the
// left.
type cells struct{ x *matrix.Matrix }

func (c cells) Plot(cv draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&cv)
	n := len(c.x.Segments)
	for i := range n {
		for j := range n {
			x0, x1 := trX(float64(j)), trX(float64(j+1))
			y0, y1 := trY(float64(n-1-i)), trY(float64(n-i))
			cv.FillPolygon(Colours[c.x.Cell(i, j).Status], []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		}
	}
	if n <= maxLabelled {
		grid := draw.LineStyle{Color: color.White, Width: vg.Points(1)}
		for k := 0; k <= n; k++ {
			cv.StrokeLines(grid, []vg.Point{{X: trX(float64(k)), Y: trY(0)}, {X: trX(float64(k)), Y: trY(float64(n))}})
			cv.StrokeLines(grid, []vg.Point{{X: trX(0), Y: trY(float64(k))}, {X: trX(float64(n)), Y: trY(float64(k))}})
		}
	}
}

// ticks puts one label in the middle of each row or column.
type ticks struct {
	labels  []string
	reverse bool
}

func (t ticks) Ticks(lo, hi float64) []plot.Tick {
	n := len(t.labels)
	if n > maxLabelled {
		return nil
	}
	out := make([]plot.Tick, n)
	for i, l := range t.labels {
		v := float64(i) + 0.5
		if t.reverse {
			v = float64(n-1-i) + 0.5
		}
		out[i] = plot.Tick{Value: v, Label: l}
	}
	return out
}

// swatch is a legend thumbnail: a filled square.
type swatch color.RGBA

func (s swatch) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	c.FillPolygon(color.RGBA(s), []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
	c.StrokeLines(draw.LineStyle{Color: color.Gray{Y: 0x60}, Width: vg.Points(0.5)},
		[]vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min})
}
