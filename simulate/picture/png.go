package picture

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/fogleman/gg"
	"github.com/golang/freetype/truetype"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
)

// PNG returns the graph drawn as PNG: Graphviz's SVG (RenderSVG)
// rasterised in-process. go-graphviz's own PNG renderer is not used: it
// draws no node outlines, cluster boxes or straight edges.
func (g *Graph) PNG() ([]byte, error) {
	svg, err := g.SVG()
	if err != nil {
		return nil, err
	}
	return RasterizeSVG(svg, 1.5)
}

// RasterizeSVG draws an SVG that Graphviz wrote (its subset: one root
// transform; polygon, polyline, ellipse, path with M, C, L and Z, text with
// an anchor; fill, stroke, stroke-width, stroke-dasharray) as a PNG at
// scale pixels per point, in the Go font. It is not a general SVG
// renderer.
func RasterizeSVG(svg []byte, scale float64) ([]byte, error) {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = false
	var dc *gg.Context
	var sx, sy, tx, ty float64 = 1, 1, 0, 0
	pt := func(x, y float64) (float64, float64) { return (x*sx + tx) * scale, (y*sy + ty) * scale }
	var text *xml.StartElement
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("png: reading the SVG: %w", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			a := attrMap(x.Attr)
			switch x.Name.Local {
			case "svg":
				w, h := ptValue(a["width"]), ptValue(a["height"])
				if w <= 0 || h <= 0 || w*h*scale*scale > 20000*20000 {
					return nil, fmt.Errorf("png: picture size %gx%g pt out of range", w, h)
				}
				dc = gg.NewContext(int(w*scale+0.5), int(h*scale+0.5))
				dc.SetColor(color.White)
				dc.Clear()
			case "g":
				if t := a["transform"]; t != "" {
					sx, sy, tx, ty = parseTransform(t)
				}
			case "polygon", "polyline":
				if dc == nil {
					continue
				}
				ps := parseNumbers(a["points"])
				for i := 0; i+1 < len(ps); i += 2 {
					px, py := pt(ps[i], ps[i+1])
					if i == 0 {
						dc.MoveTo(px, py)
					} else {
						dc.LineTo(px, py)
					}
				}
				if x.Name.Local == "polygon" {
					dc.ClosePath()
				}
				paint(dc, a, scale)
			case "ellipse":
				if dc == nil {
					continue
				}
				cx, cy := pt(num(a["cx"]), num(a["cy"]))
				dc.DrawEllipse(cx, cy, num(a["rx"])*sx*scale, num(a["ry"])*sy*scale)
				paint(dc, a, scale)
			case "path":
				if dc == nil {
					continue
				}
				drawPath(dc, a["d"], pt)
				paint(dc, a, scale)
			case "text":
				t := x.Copy()
				text = &t
			}
		case xml.CharData:
			if text == nil || dc == nil {
				continue
			}
			a := attrMap(text.Attr)
			size := num(a["font-size"])
			if size <= 0 {
				size = 14
			}
			dc.SetFontFace(face(size * scale))
			dc.SetColor(parseColor(a["fill"], color.Black))
			ax := 0.0
			switch a["text-anchor"] {
			case "middle":
				ax = 0.5
			case "end":
				ax = 1
			}
			px, py := pt(num(a["x"]), num(a["y"]))
			dc.DrawStringAnchored(string(x), px, py, ax, 0)
		case xml.EndElement:
			if x.Name.Local == "text" {
				text = nil
			}
		}
	}
	if dc == nil {
		return nil, fmt.Errorf("png: no <svg> element")
	}
	var out bytes.Buffer
	if err := png.Encode(&out, dc.Image()); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

var (
	fontOnce sync.Once
	goFont   *truetype.Font
	facesMu  sync.Mutex
	faces    = map[float64]font.Face{}
)

// face returns the Go font at size points (one face per size).
func face(size float64) font.Face {
	fontOnce.Do(func() { goFont, _ = truetype.Parse(goregular.TTF) })
	facesMu.Lock()
	defer facesMu.Unlock()
	if f := faces[size]; f != nil {
		return f
	}
	f := truetype.NewFace(goFont, &truetype.Options{Size: size})
	faces[size] = f
	return f
}

// paint fills and strokes the current path as the element's attributes
// say (SVG's defaults: fill black, no stroke).
func paint(dc *gg.Context, a map[string]string, scale float64) {
	fill, stroke := a["fill"], a["stroke"]
	if fill == "" {
		fill = "black"
	}
	if fill != "none" && fill != "transparent" {
		dc.SetColor(parseColor(fill, color.Black))
		if stroke != "" && stroke != "none" {
			dc.FillPreserve()
		} else {
			dc.Fill()
		}
	}
	if stroke == "" || stroke == "none" || stroke == "transparent" {
		dc.ClearPath()
		return
	}
	dc.SetColor(parseColor(stroke, color.Black))
	w := 1.0
	if s := a["stroke-width"]; s != "" {
		w = num(s)
	}
	dc.SetLineWidth(w * scale)
	if d := parseNumbers(a["stroke-dasharray"]); len(d) > 0 {
		for i := range d {
			d[i] *= scale
		}
		dc.SetDash(d...)
	} else {
		dc.SetDash()
	}
	dc.Stroke()
}

// drawPath adds an SVG path of absolute M, L, C and Z commands.
func drawPath(dc *gg.Context, d string, pt func(x, y float64) (float64, float64)) {
	var cmd byte
	var nums []float64
	flush := func() {
		switch cmd {
		case 'M', 'L':
			for i := 0; i+1 < len(nums); i += 2 {
				x, y := pt(nums[i], nums[i+1])
				if cmd == 'M' && i == 0 {
					dc.MoveTo(x, y)
				} else {
					dc.LineTo(x, y)
				}
			}
		case 'C':
			for i := 0; i+5 < len(nums); i += 6 {
				x1, y1 := pt(nums[i], nums[i+1])
				x2, y2 := pt(nums[i+2], nums[i+3])
				x3, y3 := pt(nums[i+4], nums[i+5])
				dc.CubicTo(x1, y1, x2, y2, x3, y3)
			}
		case 'Z', 'z':
			dc.ClosePath()
		}
		nums = nums[:0]
	}
	start := -1
	for i := 0; i <= len(d); i++ {
		var c byte
		if i < len(d) {
			c = d[i]
		}
		isNum := c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 'e'
		if start >= 0 && (!isNum || (c == '-' && i > start && d[i-1] != 'e')) {
			if f, err := strconv.ParseFloat(d[start:i], 64); err == nil {
				nums = append(nums, f)
			}
			start = -1
		}
		switch {
		case isNum && start < 0:
			start = i
		case c == 'M' || c == 'L' || c == 'C' || c == 'Z' || c == 'z':
			flush()
			cmd = c
		}
	}
	flush()
}

func attrMap(as []xml.Attr) map[string]string {
	m := make(map[string]string, len(as))
	for _, a := range as {
		m[a.Name.Local] = a.Value
	}
	return m
}

func num(s string) float64 {
	f, _ := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f
}

// ptValue reads "1842pt" (or a bare number) as points.
func ptValue(s string) float64 { return num(strings.TrimSuffix(s, "pt")) }

func parseNumbers(s string) []float64 {
	var out []float64
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' }) {
		if v, err := strconv.ParseFloat(f, 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// parseTransform reads Graphviz's root transform "scale(s s) rotate(0)
// translate(x y)": a point p is drawn at s*p + s*t.
func parseTransform(t string) (sx, sy, tx, ty float64) {
	sx, sy = 1, 1
	for _, part := range strings.Split(t, ")") {
		name, args, ok := strings.Cut(strings.TrimSpace(part), "(")
		if !ok {
			continue
		}
		v := parseNumbers(args)
		switch name {
		case "scale":
			if len(v) > 0 {
				sx, sy = v[0], v[0]
			}
			if len(v) > 1 {
				sy = v[1]
			}
		case "translate":
			if len(v) > 1 {
				tx, ty = v[0], v[1]
			}
		}
	}
	return sx, sy, tx * sx, ty * sy
}

// namedColors are the colour names Graphviz writes into our SVGs (it
// writes other X11 colours as #rrggbb).
var namedColors = map[string]color.RGBA{
	"black": {0, 0, 0, 255}, "white": {255, 255, 255, 255}, "red": {255, 0, 0, 255},
	"blue": {0, 0, 255, 255}, "darkorange": {255, 140, 0, 255}, "aliceblue": {240, 248, 255, 255},
	"mistyrose": {255, 228, 225, 255}, "darkgreen": {0, 100, 0, 255}, "gray": {190, 190, 190, 255},
	"grey": {190, 190, 190, 255}, "lightgrey": {211, 211, 211, 255},
}

func parseColor(s string, def color.Color) color.Color {
	s = strings.TrimSpace(strings.ToLower(s))
	if c, ok := namedColors[s]; ok {
		return c
	}
	if len(s) == 7 && s[0] == '#' {
		v, err := strconv.ParseUint(s[1:], 16, 32)
		if err == nil {
			return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
		}
	}
	return def
}
