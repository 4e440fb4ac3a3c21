// Package replaytest builds a recorded page that uses page assets — an
// image, a stylesheet with a background image and a web font, and an image
// the collector could not fetch — as an archive that carries them. Tests
// of the whole path (import, export, the player, the browser) replay it.
package replaytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"sort"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
)

// URLs the recorded page used.
const (
	PageURL   = "https://shop.fixture.test/"
	LogoURL   = "https://cdn.fixture.test/img/logo.png"
	SheetURL  = "https://cdn.fixture.test/css/site.css"
	BgURL     = "https://cdn.fixture.test/img/bg.png"
	FontURL   = "https://cdn.fixture.test/fonts/body.ttf"
	GoneURL   = "https://cdn.fixture.test/img/gone.png"
	FontName  = "LoupeFixtureFont"
	SessionID = "s_assetfixture"
)

// Stylesheet is the recorded site's CSS: relative url()s, resolved
// against its own URL.
const Stylesheet = `@font-face{font-family:"` + FontName + `";src:url("../fonts/body.ttf") format("truetype")}
.hero{width:120px;height:60px;background-image:url(../img/bg.png);background-repeat:no-repeat}
h1{font-family:"` + FontName + `",monospace}
`

// Page is the recording and its assets.
type Page struct {
	Header archive.Header
	Events []json.RawMessage
	Assets []archive.AssetRef
	Data   []archive.AssetData
	Logo   []byte // PNG, LogoWidth × LogoHeight
	Bg     []byte
	Font   []byte
}

// LogoWidth and LogoHeight are the logo's size in pixels.
const (
	LogoWidth  = 40
	LogoHeight = 30
)

// New builds the page; font is the bytes of a real TrueType font, so a
// browser can load it.
func New(font []byte) (Page, error) {
	logo, err := solidPNG(LogoWidth, LogoHeight, color.NRGBA{R: 220, G: 40, B: 40, A: 255})
	if err != nil {
		return Page{}, err
	}
	bg, err := solidPNG(120, 60, color.NRGBA{R: 30, G: 90, B: 200, A: 255})
	if err != nil {
		return Page{}, err
	}
	start := time.Date(2026, 11, 5, 10, 0, 0, 0, time.UTC)
	ms := start.UnixMilli()
	p := Page{Logo: logo, Bg: bg, Font: font}
	p.Header = archive.Header{Site: "fixture", Session: SessionID, Visitor: "v_assetfixture",
		StartedAt: start, EndedAt: start.Add(3 * time.Second), Pages: []string{"/"}, Source: "tracker"}
	snapshot := map[string]any{"node": doc(), "initialOffset": map[string]any{"top": 0, "left": 0}}
	for _, e := range []map[string]any{
		{"type": 4, "data": map[string]any{"href": PageURL, "width": 800, "height": 600}, "timestamp": ms},
		{"type": 2, "data": snapshot, "timestamp": ms + 10},
		{"type": 3, "data": map[string]any{"source": 1, "positions": []any{map[string]any{"x": 10, "y": 10, "id": 5, "timeOffset": 0}}}, "timestamp": ms + 3000},
	} {
		b, err := json.Marshal(e)
		if err != nil {
			return Page{}, err
		}
		p.Events = append(p.Events, b)
	}
	type body struct {
		url, typ string
		data     []byte
	}
	for _, b := range []body{
		{LogoURL, "image/png", logo}, {SheetURL, "text/css", []byte(Stylesheet)},
		{BgURL, "image/png", bg}, {FontURL, "font/ttf", font},
	} {
		sha := archive.SumAsset(b.data)
		p.Assets = append(p.Assets, archive.AssetRef{URL: b.url, SHA256: sha, Type: b.typ, Size: int64(len(b.data))})
		p.Data = append(p.Data, archive.AssetData{SHA256: sha, Type: b.typ, Data: b.data})
	}
	p.Assets = append(p.Assets, archive.AssetRef{URL: GoneURL, Missing: "http 404"})
	return p, nil
}

// doc is the recorded DOM: a stylesheet link, the logo, a styled hero, a
// heading in the web font and an image that was not fetched.
func doc() map[string]any {
	el := func(id int, tag string, attrs map[string]any, kids ...any) map[string]any {
		if kids == nil {
			kids = []any{}
		}
		return map[string]any{"type": 2, "id": id, "tagName": tag, "attributes": attrs, "childNodes": kids}
	}
	text := func(id int, s string) map[string]any { return map[string]any{"type": 3, "id": id, "textContent": s} }
	return map[string]any{"type": 0, "id": 1, "childNodes": []any{
		el(2, "html", map[string]any{},
			el(3, "head", map[string]any{},
				el(4, "link", map[string]any{"rel": "stylesheet", "href": SheetURL})),
			el(5, "body", map[string]any{},
				el(6, "img", map[string]any{"id": "logo", "src": LogoURL, "alt": "logo"}),
				el(7, "div", map[string]any{"id": "hero", "class": "hero"}),
				el(8, "h1", map[string]any{"id": "title"}, text(9, "Fixture shop")),
				el(10, "img", map[string]any{"id": "gone", "src": GoneURL, "width": "20", "height": "20"}))),
	}}
}

// WriteArchive writes the page as a version 2 archive; carry adds the
// asset bytes as data lines (what `loupe export` writes).
func (p Page) WriteArchive(w io.Writer, carry bool) error {
	aw, err := archive.NewWriter(w, p.Header)
	if err != nil {
		return err
	}
	for _, e := range p.Events {
		if err := aw.Write(e); err != nil {
			return err
		}
	}
	if err := aw.WriteAssets(p.Assets); err != nil {
		return err
	}
	if carry {
		data := append([]archive.AssetData{}, p.Data...)
		// Data lines go in digest order.
		sort.Slice(data, func(i, j int) bool { return data[i].SHA256 < data[j].SHA256 })
		for _, d := range data {
			if err := aw.WriteAssetData(d); err != nil {
				return fmt.Errorf("asset %s: %w", d.SHA256, err)
			}
		}
	}
	return aw.Close()
}

func solidPNG(w, h int, c color.NRGBA) ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}
