package heatmap

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
)

// RenderOptions size a rendered heatmap.
type RenderOptions struct {
	// Width of the image in px (default 640); the page is scaled to fit.
	Width int
	// MaxHeight caps the image height in px (default 4000).
	MaxHeight int
	// Radius of a point's blob in image px (default 10).
	Radius float64
}

// RenderPNG draws d as a PNG: density blobs in a blue-to-red ramp (or
// scroll bands for scroll heatmaps) over a neutral outline of the page
// (page area, header, the first screen's fold, 25 % depth marks).
//
// It uses only the standard library: a Gaussian splat and a five-stop
// colour ramp are a few dozen lines, and the Go heatmap packages we know
// are unmaintained and would add a dependency for just that.
func RenderPNG(w io.Writer, d *Data, o RenderOptions) error {
	if o.Width <= 0 {
		o.Width = 640
	}
	if o.MaxHeight <= 0 {
		o.MaxHeight = 4000
	}
	if o.Radius <= 0 {
		o.Radius = 10
	}
	pageW := float64(max(d.Width, 320))
	pageH := float64(max(d.Height, 480))
	scale := float64(o.Width) / pageW
	h := min(int(math.Ceil(pageH*scale)), o.MaxHeight)
	img := image.NewNRGBA(image.Rect(0, 0, o.Width, h))
	drawOutline(img, d, scale)
	if d.Kind == Scroll {
		drawScroll(img, d)
	} else {
		drawDensity(img, d, scale, o.Radius)
	}
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("encode heatmap png: %w", err)
	}
	return nil
}

var (
	outlineBG     = color.NRGBA{0xee, 0xef, 0xf1, 0xff}
	outlinePage   = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	outlineHeader = color.NRGBA{0xdd, 0xdf, 0xe3, 0xff}
	outlineBlock  = color.NRGBA{0xf2, 0xf3, 0xf5, 0xff}
	outlineLine   = color.NRGBA{0xb8, 0xbc, 0xc4, 0xff}
)

func fill(img *image.NRGBA, r image.Rectangle, c color.NRGBA) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetNRGBA(x, y, c)
		}
	}
}

// drawOutline paints a neutral page: margins, header, content blocks, the
// fold (the first screen at a typical height) and dashed 25 % depth marks.
func drawOutline(img *image.NRGBA, d *Data, scale float64) {
	b := img.Bounds()
	fill(img, b, outlineBG)
	margin := b.Dx() / 40
	page := image.Rect(margin, 0, b.Dx()-margin, b.Dy())
	fill(img, page, outlinePage)
	fill(img, image.Rect(page.Min.X, 0, page.Max.X, int(80*scale)), outlineHeader)
	// Content blocks every 400 page px, so the eye has landmarks.
	for y := 120.0; y*scale < float64(b.Dy()); y += 400 {
		fill(img, image.Rect(page.Min.X+margin, int(y*scale), page.Max.X-margin, int((y+300)*scale)), outlineBlock)
	}
	fold := int(float64(d.Width) * 0.625 * scale) // a 16:10 first screen
	for x := page.Min.X; x < page.Max.X; x++ {
		if x/6%2 == 0 && fold < b.Dy() {
			img.SetNRGBA(x, fold, outlineLine)
		}
	}
	for q := 1; q < 4; q++ {
		y := b.Dy() * q / 4
		for x := page.Min.X; x < page.Min.X+margin*2; x++ {
			img.SetNRGBA(x, y, outlineLine)
		}
	}
}

// drawDensity splats each point as a Gaussian blob, normalises by the
// densest spot and blends the ramp colour over the outline.
func drawDensity(img *image.NRGBA, d *Data, scale, radius float64) {
	b := img.Bounds()
	W, H := b.Dx(), b.Dy()
	dens := make([]float64, W*H)
	r := int(math.Ceil(radius * 2))
	kernel := make([]float64, (2*r+1)*(2*r+1))
	for dy := -r; dy <= r; dy++ {
		for dx := -r; dx <= r; dx++ {
			kernel[(dy+r)*(2*r+1)+dx+r] = math.Exp(-float64(dx*dx+dy*dy) / (2 * radius * radius / 2.25))
		}
	}
	for _, p := range d.Points {
		x := p.X * scale
		if p.VW > 0 && d.Width > 0 {
			x = p.X * float64(d.Width) / float64(p.VW) * scale // rescale to the reference width
		}
		cx, cy := int(x), int(p.Y*scale)
		for dy := -r; dy <= r; dy++ {
			yy := cy + dy
			if yy < 0 || yy >= H {
				continue
			}
			for dx := -r; dx <= r; dx++ {
				xx := cx + dx
				if xx < 0 || xx >= W {
					continue
				}
				dens[yy*W+xx] += kernel[(dy+r)*(2*r+1)+dx+r]
			}
		}
	}
	peak := 0.0
	for _, v := range dens {
		peak = math.Max(peak, v)
	}
	if peak == 0 {
		return
	}
	for y := 0; y < H; y++ {
		for x := 0; x < W; x++ {
			v := dens[y*W+x] / peak
			if v < 0.02 {
				continue
			}
			// A square root lifts sparse areas so single clicks stay visible.
			blend(img, x, y, Ramp(math.Sqrt(v)), 0.35+0.5*math.Sqrt(v))
		}
	}
}

// drawScroll tints each 5 % band by the share of pageviews that reached it.
func drawScroll(img *image.NRGBA, d *Data) {
	b := img.Bounds()
	for i, band := range d.Scroll {
		y0 := b.Dy() * i / len(d.Scroll)
		y1 := b.Dy() * (i + 1) / len(d.Scroll)
		c := Ramp(band.Share)
		for y := y0; y < y1; y++ {
			for x := 0; x < b.Dx(); x++ {
				blend(img, x, y, c, 0.55)
			}
		}
	}
}

func blend(img *image.NRGBA, x, y int, c color.NRGBA, alpha float64) {
	o := img.NRGBAAt(x, y)
	mix := func(a, b uint8) uint8 { return uint8(float64(a)*(1-alpha) + float64(b)*alpha + 0.5) }
	img.SetNRGBA(x, y, color.NRGBA{mix(o.R, c.R), mix(o.G, c.G), mix(o.B, c.B), 0xff})
}

// rampStops run cold to hot: blue, cyan, green, yellow, red.
var rampStops = []color.NRGBA{{0x2b, 0x4c, 0xe0, 0xff}, {0x1e, 0xc8, 0xe6, 0xff}, {0x3c, 0xd2, 0x5a, 0xff}, {0xff, 0xdc, 0x28, 0xff}, {0xe6, 0x28, 0x1e, 0xff}}

// Ramp maps 0..1 to the heatmap colour ramp.
func Ramp(v float64) color.NRGBA {
	v = math.Max(0, math.Min(1, v))
	f := v * float64(len(rampStops)-1)
	i := min(int(f), len(rampStops)-2)
	t := f - float64(i)
	a, b := rampStops[i], rampStops[i+1]
	l := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t + 0.5) }
	return color.NRGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), 0xff}
}
