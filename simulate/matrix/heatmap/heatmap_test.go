package heatmap

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath"
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/snapshot"
	"github.com/vpcpath/vpcpath/simulate/matrix"
)

func exampleMatrix(t *testing.T) *matrix.Matrix {
	t.Helper()
	ex, err := vpcpath.Example("databricks-privatelink")
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := snapshot.LoadFS(ex, "databricks-privatelink")
	if err != nil {
		t.Fatal(err)
	}
	x, err := matrix.Compute(m, matrix.Options{By: matrix.BySubnet, Protocol: model.ProtoTCP, Ports: model.AllPorts})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// The SVG is well-formed XML, labels every row and column, and draws the
// legend of every status.
func TestSVG(t *testing.T) {
	x := exampleMatrix(t)
	var b bytes.Buffer
	if err := Write(&b, x, "svg"); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(b.Bytes()))
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		if c, ok := tok.(xml.CharData); ok {
			text.Write(c)
			text.WriteByte('\n')
		}
	}
	for _, s := range x.Segments {
		if !strings.Contains(text.String(), s.Label) {
			t.Errorf("no label %q in the SVG", s.Label)
		}
	}
	for _, s := range matrix.Statuses {
		if !strings.Contains(text.String(), string(s)) {
			t.Errorf("no legend entry %q in the SVG", s)
		}
	}
}

func TestPNG(t *testing.T) {
	x := exampleMatrix(t)
	var b bytes.Buffer
	if err := Write(&b, x, "png"); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if r := img.Bounds(); r.Dx() < 100 || r.Dy() < 100 {
		t.Fatalf("PNG of %v", r)
	}
	// The reachable green is drawn.
	want := Colours[matrix.Reachable]
	found := false
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y && !found; y += 3 {
		for xx := img.Bounds().Min.X; xx < img.Bounds().Max.X; xx += 3 {
			r, g, bl, _ := img.At(xx, y).RGBA()
			if uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(bl>>8) == want.B {
				found = true
				break
			}
		}
	}
	if !found {
		t.Fatal("no reachable cell drawn in the PNG")
	}
	if err := Write(&b, x, "gif"); err == nil {
		t.Fatal("gif accepted")
	}
}
