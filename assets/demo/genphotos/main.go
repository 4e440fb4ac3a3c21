// Command genphotos renders the demo shop's pictures: a product photo per
// product (two widths, for srcset), the home page's hero and the journal's
// background texture. The shop needs pictures of realistic weight so a
// replay shows whether page assets travel with a session; drawn pictures
// keep the repository free of third-party photos and are reproducible
// byte for byte (fixed seeds, image/jpeg is deterministic).
//
//	go run ./assets/demo/genphotos            (from the repository root)
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
)

func main() {
	dir := flag.String("dir", "assets/demo", "the demo folder (holds site/ and cdn/)")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "genphotos:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	for i, p := range products {
		for _, w := range []int{480, 960} {
			img := renderProduct(p, w, w*3/4, uint64(i+1))
			if err := save(filepath.Join(dir, "cdn", "img", fmt.Sprintf("%s-%d.jpg", p.id, w)), img, 82); err != nil {
				return err
			}
		}
	}
	if err := save(filepath.Join(dir, "site", "img", "hero.jpg"), renderHero(1440, 640, 99), 80); err != nil {
		return err
	}
	return save(filepath.Join(dir, "cdn", "img", "linen.jpg"), renderLinen(512, 512, 7), 78)
}

func save(path string, img image.Image, quality int) error {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	fmt.Printf("%-40s %4d KB\n", path, buf.Len()/1024)
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// rgb is a colour in linear 0..1 components, mixed before quantising.
type rgb struct{ r, g, b float64 }

func (c rgb) mul(k float64) rgb { return rgb{c.r * k, c.g * k, c.b * k} }
func (c rgb) add(o rgb) rgb     { return rgb{c.r + o.r, c.g + o.g, c.b + o.b} }
func mix(a, b rgb, t float64) rgb {
	return a.mul(1 - t).add(b.mul(t))
}

// hsl turns a hue in degrees and saturation/lightness in 0..1 into rgb.
func hsl(h, s, l float64) rgb {
	c := (1 - math.Abs(2*l-1)) * s
	hp := math.Mod(h/60, 6)
	x := c * (1 - math.Abs(math.Mod(hp, 2)-1))
	var r, g, b float64
	switch {
	case hp < 1:
		r, g = c, x
	case hp < 2:
		r, g = x, c
	case hp < 3:
		g, b = c, x
	case hp < 4:
		g, b = x, c
	case hp < 5:
		r, b = x, c
	default:
		r, b = c, x
	}
	m := l - c/2
	return rgb{r + m, g + m, b + m}
}

func clamp8(v float64) uint8 {
	v = math.Round(v * 255)
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

func smoothstep(a, b, x float64) float64 {
	t := math.Max(0, math.Min(1, (x-a)/(b-a)))
	return t * t * (3 - 2*t)
}

// canvas renders a picture pixel by pixel from a shading function in
// normalised coordinates (u right, v down, both 0..1), adding film grain.
func canvas(w, h int, seed uint64, grain float64, shade func(u, v float64) rgb) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := shade((float64(x)+0.5)/float64(w), (float64(y)+0.5)/float64(h))
			n := rng.NormFloat64() * grain
			img.SetRGBA(x, y, color.RGBA{clamp8(c.r + n), clamp8(c.g + n*0.9), clamp8(c.b + n*1.1), 255})
		}
	}
	return img
}

// product is what a product photo shows: a hue and a silhouette.
type product struct {
	id    string
	hue   float64
	parts []part
}

// part is one solid piece of a product: an ellipse or a rounded box in
// photo coordinates (4:3 frame, u and v in 0..1).
type part struct {
	ellipse        bool
	cx, cy, rx, ry float64
	round          float64 // corner radius, boxes only
	color          rgb
	glow           bool // emits light (a lantern's flame)
}

// products match the shop's catalogue (shop.js).
var products = []product{
	{id: "lantern", hue: 38, parts: []part{
		{cx: 0.5, cy: 0.27, rx: 0.05, ry: 0.05, round: 0.02, color: hsl(38, 0.55, 0.35)},
		{cx: 0.5, cy: 0.52, rx: 0.11, ry: 0.2, round: 0.05, color: hsl(38, 0.6, 0.42)},
		{ellipse: true, cx: 0.5, cy: 0.52, rx: 0.06, ry: 0.08, color: rgb{1, 0.86, 0.55}, glow: true},
	}},
	{id: "mug", hue: 200, parts: []part{
		{ellipse: true, cx: 0.62, cy: 0.52, rx: 0.09, ry: 0.11, color: hsl(200, 0.35, 0.4)},
		{ellipse: true, cx: 0.62, cy: 0.52, rx: 0.055, ry: 0.07, color: hsl(30, 0.3, 0.8)},
		{cx: 0.47, cy: 0.53, rx: 0.13, ry: 0.17, round: 0.03, color: hsl(200, 0.4, 0.45)},
	}},
	{id: "tent", hue: 140, parts: []part{
		{cx: 0.5, cy: 0.56, rx: 0.26, ry: 0.16, round: 0.14, color: hsl(140, 0.35, 0.34)},
		{ellipse: true, cx: 0.5, cy: 0.62, rx: 0.06, ry: 0.1, color: hsl(140, 0.2, 0.15)},
	}},
	{id: "blanket", hue: 8, parts: []part{
		{cx: 0.5, cy: 0.55, rx: 0.27, ry: 0.15, round: 0.04, color: hsl(8, 0.45, 0.42)},
		{cx: 0.5, cy: 0.49, rx: 0.27, ry: 0.012, color: hsl(30, 0.4, 0.85)},
		{cx: 0.5, cy: 0.59, rx: 0.27, ry: 0.012, color: hsl(30, 0.4, 0.85)},
	}},
	{id: "knife", hue: 260, parts: []part{
		{cx: 0.6, cy: 0.53, rx: 0.16, ry: 0.03, round: 0.03, color: rgb{0.78, 0.8, 0.83}},
		{cx: 0.36, cy: 0.55, rx: 0.11, ry: 0.04, round: 0.035, color: hsl(28, 0.45, 0.35)},
	}},
	{id: "flask", hue: 180, parts: []part{
		{cx: 0.5, cy: 0.27, rx: 0.05, ry: 0.04, round: 0.015, color: rgb{0.3, 0.32, 0.33}},
		{cx: 0.5, cy: 0.53, rx: 0.1, ry: 0.24, round: 0.07, color: hsl(180, 0.12, 0.62)},
	}},
	{id: "map", hue: 90, parts: []part{
		{cx: 0.5, cy: 0.55, rx: 0.25, ry: 0.16, round: 0.01, color: hsl(50, 0.45, 0.82)},
		{ellipse: true, cx: 0.44, cy: 0.52, rx: 0.09, ry: 0.06, color: hsl(90, 0.35, 0.55)},
		{ellipse: true, cx: 0.6, cy: 0.6, rx: 0.06, ry: 0.04, color: hsl(205, 0.45, 0.6)},
	}},
	{id: "stove", hue: 20, parts: []part{
		{cx: 0.5, cy: 0.62, rx: 0.15, ry: 0.08, round: 0.03, color: rgb{0.25, 0.26, 0.27}},
		{ellipse: true, cx: 0.5, cy: 0.46, rx: 0.05, ry: 0.09, color: rgb{1, 0.55, 0.2}, glow: true},
	}},
}

// inside reports how far (u,v) is inside a part: >0 inside, with a soft
// 1.5% edge, and the horizontal position across it (0..1) for shading.
func (p part) inside(u, v float64) (float64, float64) {
	dx, dy := (u-p.cx)/p.rx, (v-p.cy)/p.ry
	across := (dx + 1) / 2
	if p.ellipse {
		d := math.Sqrt(dx*dx + dy*dy)
		return smoothstep(1, 1-0.015/p.rx, d), across
	}
	// rounded box: signed distance in photo units
	qx := math.Abs(u-p.cx) - (p.rx - p.round)
	qy := math.Abs(v-p.cy) - (p.ry - p.round)
	out := math.Hypot(math.Max(qx, 0), math.Max(qy, 0)) + math.Min(math.Max(qx, qy), 0) - p.round
	return smoothstep(0.004, -0.004, out), across
}

// renderProduct draws a product on a tabletop against a soft wall, lit
// from the upper left, with a contact shadow and out-of-focus lights.
func renderProduct(p product, w, h int, seed uint64) *image.RGBA {
	wall := hsl(p.hue, 0.28, 0.86)
	wallDark := hsl(p.hue, 0.22, 0.66)
	table := hsl(30, 0.3, 0.55)
	tableDark := hsl(25, 0.35, 0.32)
	rng := rand.New(rand.NewPCG(seed, 1))
	type blob struct{ u, v, r, a float64 }
	var bokeh []blob
	for i := 0; i < 9; i++ {
		bokeh = append(bokeh, blob{rng.Float64(), rng.Float64() * 0.5, 0.03 + rng.Float64()*0.05, 0.05 + rng.Float64()*0.08})
	}
	horizon := 0.68
	return canvas(w, h, seed, 0.022, func(u, v float64) rgb {
		var c rgb
		if v < horizon {
			c = mix(wall, wallDark, math.Hypot(u-0.3, v-0.2)*0.9)
			for _, b := range bokeh {
				c = c.add(rgb{1, 0.97, 0.9}.mul(b.a * smoothstep(b.r, b.r*0.8, math.Hypot((u-b.u)*4/3, v-b.v))))
			}
		} else {
			t := (v - horizon) / (1 - horizon)
			c = mix(table, tableDark, t*0.8+0.2*math.Abs(u-0.5))
			// wood grain
			c = c.mul(1 + 0.04*math.Sin(v*180+math.Sin(u*9)*3))
		}
		c = mix(c, c.mul(0.55), smoothstep(0.3, 0, math.Hypot((u-0.5)*1.6, (v-0.74)*5))*0.7)
		for _, pt := range p.parts {
			a, across := pt.inside(u, v)
			if a <= 0 {
				continue
			}
			col := pt.color
			if !pt.glow {
				light := 0.55 + 0.6*math.Cos((across-0.3)*math.Pi*0.9)
				col = col.mul(light)
				// specular streak
				col = col.add(rgb{1, 1, 1}.mul(0.25 * smoothstep(0.06, 0, math.Abs(across-0.28))))
			}
			c = mix(c, col, a)
		}
		// vignette
		return c.mul(1 - 0.28*math.Pow(math.Hypot(u-0.5, v-0.5), 2))
	})
}

// renderHero draws hills at dusk: layered ridges with haze, a low sun and
// a warm sky.
func renderHero(w, h int, seed uint64) *image.RGBA {
	sky := []rgb{hsl(28, 0.7, 0.78), hsl(200, 0.35, 0.72)}
	ridges := []struct {
		base, amp, freq, phase float64
		color                  rgb
	}{
		{0.52, 0.08, 5, 0.3, hsl(150, 0.18, 0.5)},
		{0.62, 0.07, 7, 1.7, hsl(150, 0.25, 0.36)},
		{0.74, 0.06, 9, 2.9, hsl(152, 0.35, 0.24)},
		{0.86, 0.05, 13, 4.1, hsl(155, 0.4, 0.15)},
	}
	return canvas(w, h, seed, 0.018, func(u, v float64) rgb {
		c := mix(sky[1], sky[0], smoothstep(0, 0.6, v))
		sun := math.Hypot((u-0.72)*float64(w)/float64(h), v-0.38)
		c = c.add(rgb{1, 0.75, 0.45}.mul(0.5 * smoothstep(0.5, 0, sun)))
		c = mix(c, rgb{1, 0.93, 0.8}, smoothstep(0.075, 0.07, sun))
		for _, r := range ridges {
			top := r.base - r.amp*(0.6*math.Sin(u*r.freq+r.phase)+0.4*math.Sin(u*r.freq*2.3+r.phase*1.7))
			if v > top {
				c = mix(c, r.color.mul(1-0.25*(v-top)), smoothstep(top, top+0.003, v))
			}
		}
		return c
	})
}

// renderLinen draws a seamless woven texture for a CSS background.
func renderLinen(w, h int, seed uint64) *image.RGBA {
	base := hsl(36, 0.35, 0.9)
	return canvas(w, h, seed, 0.035, func(u, v float64) rgb {
		warp := math.Sin(u*2*math.Pi*64) * 0.5
		weft := math.Sin(v*2*math.Pi*64) * 0.5
		return base.mul(1 + 0.035*warp + 0.03*weft)
	})
}
