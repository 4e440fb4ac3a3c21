package replay

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core/rrweb"
)

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// A manifest with a stored image, font and stylesheets, and a URL the
// collector could not fetch.
var (
	logoPNG  = "png bytes"
	fontWOFF = "woff2 bytes"
	mainCSS  = `@import url("theme.css") screen; .hero{background:url(img/bg.png)} @font-face{font-family:F;src:url("/f.woff2") format("woff2")}`
	themeCSS = `body{color:rgb(1,2,3);background-image:url('https://cdn.test/logo.png')}`
	bgPNG    = "bg bytes"

	testManifest = []Asset{
		{URL: "https://cdn.test/logo.png", SHA256: sum(logoPNG), Type: "image/png", Stored: true},
		{URL: "https://shop.test/f.woff2", SHA256: sum(fontWOFF), Type: "font/woff2", Stored: true},
		{URL: "https://shop.test/css/main.css", SHA256: sum(mainCSS), Type: "text/css", Stored: true},
		{URL: "https://shop.test/css/theme.css", SHA256: sum(themeCSS), Type: "text/css", Stored: true},
		{URL: "https://shop.test/css/img/bg.png", SHA256: sum(bgPNG), Type: "image/png", Stored: true},
		{URL: "https://cdn.test/gone.png"},
		{URL: "https://cdn.test/notyet.png", SHA256: sum("never arrived"), Type: "image/png"},
	}
	testBodies = map[string]string{sum(logoPNG): logoPNG, sum(fontWOFF): fontWOFF, sum(mainCSS): mainCSS, sum(themeCSS): themeCSS, sum(bgPNG): bgPNG}
)

func testResolver(link func(Asset) string) *Resolver {
	return NewResolver(testManifest, link, func(a Asset) (string, bool) {
		b, ok := testBodies[a.SHA256]
		return b, ok
	})
}

func local(body string) string { return "/asset/" + sum(body) }

func TestRewriteAttributes(t *testing.T) {
	r := testResolver(WorkbenchLink)
	cases := []struct {
		name, tag string
		attrs     map[string]any
		want      map[string]any
	}{
		{"stored img", "img", map[string]any{"src": "https://cdn.test/logo.png", "alt": "x"},
			map[string]any{"src": local(logoPNG), "alt": "x"}},
		{"relative img resolves against the page", "img", map[string]any{"src": "/f.woff2"},
			map[string]any{"src": local(fontWOFF)}},
		{"missing img", "img", map[string]any{"src": "https://cdn.test/gone.png"},
			map[string]any{"src": PlaceholderImage}},
		{"listed but not stored", "img", map[string]any{"src": "https://cdn.test/notyet.png"},
			map[string]any{"src": PlaceholderImage}},
		{"unknown url", "img", map[string]any{"src": "https://tracker.evil/pixel.gif"},
			map[string]any{"src": PlaceholderImage}},
		{"protocol relative", "img", map[string]any{"src": "//evil.test/x.png"},
			map[string]any{"src": PlaceholderImage}},
		{"fragment in the url", "img", map[string]any{"src": "https://cdn.test/logo.png#frag"},
			map[string]any{"src": local(logoPNG)}},
		{"data url kept", "img", map[string]any{"src": "data:image/png;base64,AAAA"},
			map[string]any{"src": "data:image/png;base64,AAAA"}},
		{"srcset keeps stored candidates", "img", map[string]any{"srcset": "https://cdn.test/logo.png 1x, https://evil.test/2x.png 2x"},
			map[string]any{"srcset": local(logoPNG) + " 1x, " + PlaceholderImage + " 2x"}},
		{"srcset with nothing stored", "source", map[string]any{"srcset": "https://evil.test/a.png 100w,https://evil.test/b.png 200w"},
			map[string]any{"srcset": PlaceholderImage + " 100w," + PlaceholderImage + " 200w"}},
		{"video poster and src", "video", map[string]any{"poster": "https://cdn.test/logo.png", "src": "https://cdn.test/movie.mp4"},
			map[string]any{"poster": local(logoPNG)}},
		{"input image", "input", map[string]any{"type": "image", "src": "https://cdn.test/gone.png"},
			map[string]any{"type": "image", "src": PlaceholderImage}},
		{"svg image xlink", "image", map[string]any{"xlink:href": "https://cdn.test/logo.png"},
			map[string]any{"xlink:href": local(logoPNG)}},
		{"svg use fragment kept", "use", map[string]any{"href": "#icon"},
			map[string]any{"href": "#icon"}},
		{"anchor href is not a load", "a", map[string]any{"href": "https://elsewhere.test/"},
			map[string]any{"href": "https://elsewhere.test/"}},
		{"style attribute", "div", map[string]any{"style": "background: url(https://cdn.test/logo.png) no-repeat; border-image: url('https://evil.test/b.png')"},
			map[string]any{"style": `background: url("` + local(logoPNG) + `") no-repeat; border-image: url("` + PlaceholderImage + `")`}},
		{"icon link", "link", map[string]any{"rel": "icon", "href": "https://cdn.test/logo.png"},
			map[string]any{"rel": "icon", "href": local(logoPNG)}},
		{"preload link removed", "link", map[string]any{"rel": "preload", "as": "font", "href": "https://cdn.test/f.woff2"},
			map[string]any{"rel": "preload", "as": "font"}},
		{"unknown stylesheet removed", "link", map[string]any{"rel": "stylesheet", "href": "https://evil.test/x.css"},
			map[string]any{"rel": "stylesheet"}},
		{"recorded _cssText rewritten against the sheet", "link", map[string]any{"rel": "stylesheet", "href": "https://shop.test/css/main.css", "_cssText": ".a{background:url(img/bg.png)}"},
			map[string]any{"rel": "stylesheet", "_cssText": `.a{background:url("` + local(bgPNG) + `")}`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := rewriteOne(t, r, c.tag, c.attrs)
			if !equalJSON(got, c.want) {
				t.Errorf("got  %v\nwant %v", got, c.want)
			}
		})
	}
}

func TestStoredStylesheetBecomesInlineCSS(t *testing.T) {
	r := testResolver(WorkbenchLink)
	got := rewriteOne(t, r, "link", map[string]any{"rel": "stylesheet", "href": "https://shop.test/css/main.css"})
	if _, has := got["href"]; has {
		t.Errorf("href kept: %v", got)
	}
	css, _ := got["_cssText"].(string)
	// theme.css is hoisted in front, under its media query; the url()s of
	// both sheets resolve against their own URLs.
	for _, want := range []string{
		`@media screen{body{color:rgb(1,2,3);background-image:url("` + local(logoPNG) + `")}}`,
		`.hero{background:url("` + local(bgPNG) + `")}`,
		`src:url("` + local(fontWOFF) + `") format("woff2")`,
	} {
		if !strings.Contains(css, want) {
			t.Errorf("_cssText lacks %s\ngot: %s", want, css)
		}
	}
	if strings.Index(css, "@media screen") > strings.Index(css, ".hero") {
		t.Errorf("the imported sheet does not come first: %s", css)
	}
	if strings.Contains(css, "@import") || strings.Contains(css, "http") {
		t.Errorf("an @import or a remote URL survived: %s", css)
	}
}

func TestDataLinksAreSelfContained(t *testing.T) {
	r := testResolver(DataLinks(func(sha string) ([]byte, error) { return []byte(testBodies[sha]), nil }))
	got := rewriteOne(t, r, "img", map[string]any{"src": "https://cdn.test/logo.png"})
	want := "data:image/png;base64," + base64.StdEncoding.EncodeToString([]byte(logoPNG))
	if got["src"] != want {
		t.Errorf("src = %v, want %s", got["src"], want)
	}
	css := rewriteOne(t, r, "link", map[string]any{"rel": "stylesheet", "href": "https://shop.test/css/main.css"})["_cssText"].(string)
	if !strings.Contains(css, "data:font/woff2;base64,") || strings.Contains(css, "/asset/") {
		t.Errorf("inlined stylesheet does not carry its font as data: %s", css)
	}
}

func TestRewriteMutations(t *testing.T) {
	r := testResolver(WorkbenchLink)
	events := []rrweb.Event{
		{Type: rrweb.Meta, Timestamp: 1, Data: json.RawMessage(`{"href":"https://shop.test/p","width":800,"height":600}`)},
		{Type: rrweb.FullSnapshot, Timestamp: 2, Data: json.RawMessage(`{"node":{"type":0,"id":1,"childNodes":[
			{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[
				{"type":2,"id":3,"tagName":"style","attributes":{},"childNodes":[{"type":3,"id":4,"textContent":"p{background:url(https://evil.test/a.png)}","isStyle":true}]},
				{"type":2,"id":5,"tagName":"img","attributes":{"src":"https://cdn.test/logo.png"},"childNodes":[]},
				{"type":2,"id":6,"tagName":"link","attributes":{"rel":"stylesheet","href":"https://shop.test/css/theme.css"},"childNodes":[]}]}]},"initialOffset":{"top":0,"left":0}}`)},
		{Type: rrweb.IncrementalSnapshot, Timestamp: 3, Data: json.RawMessage(`{"source":0,
			"adds":[{"parentId":2,"nextId":null,"node":{"type":2,"id":7,"tagName":"img","attributes":{"srcset":"https://cdn.test/logo.png 2x"},"childNodes":[]}}],
			"texts":[{"id":4,"value":"p{background:url('https://cdn.test/logo.png')}"}],
			"attributes":[{"id":5,"attributes":{"src":"https://evil.test/new.png","style":{"background-image":"url(https://evil.test/s.png)"}}},
				{"id":6,"attributes":{"href":"https://evil.test/other.css"}}],
			"removes":[]}`)},
	}
	out := Rewrite(events, r)
	all := string(out[1].Data) + string(out[2].Data)
	for _, bad := range []string{"evil.test", "cdn.test", "shop.test"} {
		if strings.Contains(all, bad) {
			t.Errorf("%s survived:\n%s", bad, all)
		}
	}
	for _, want := range []string{local(logoPNG) + ` 2x`, `"src":"` + PlaceholderImage, `"href":null`, `"_cssText":"body{color:rgb(1,2,3)`} {
		if !strings.Contains(all, want) {
			t.Errorf("rewritten events lack %s:\n%s", want, all)
		}
	}
	if string(out[0].Data) != string(events[0].Data) {
		t.Error("the Meta event changed")
	}
}

func TestRewriteCSSOMEvents(t *testing.T) {
	r := testResolver(WorkbenchLink)
	cases := []struct{ in, want string }{
		{`{"source":8,"id":3,"adds":[{"rule":".a{background:url(https://cdn.test/logo.png)}","index":0}]}`,
			`{"adds":[{"index":0,"rule":".a{background:url(\"` + local(logoPNG) + `\")}"}],"id":3,"source":8}`},
		{`{"source":8,"id":3,"replaceSync":".b{background:url(https://evil.test/x.png)}"}`,
			`{"id":3,"replaceSync":".b{background:url(\"` + PlaceholderImage + `\")}","source":8}`},
		{`{"source":13,"id":3,"index":[0],"set":{"property":"background","value":"url(/f.woff2)","priority":""}}`,
			`{"id":3,"index":[0],"set":{"priority":"","property":"background","value":"url(\"` + local(fontWOFF) + `\")"},"source":13}`},
		{`{"source":15,"id":1,"styleIds":[1],"styles":[{"styleId":1,"rules":[{"rule":"@font-face{src:url(https://evil.test/f.woff)}"}]}]}`,
			`{"id":1,"source":15,"styleIds":[1],"styles":[{"rules":[{"rule":"@font-face{src:url(\"data:,\")}"}],"styleId":1}]}`},
	}
	for _, c := range cases {
		out := Rewrite([]rrweb.Event{
			{Type: rrweb.Meta, Timestamp: 1, Data: json.RawMessage(`{"href":"https://shop.test/","width":1,"height":1}`)},
			{Type: rrweb.IncrementalSnapshot, Timestamp: 2, Data: json.RawMessage(c.in)},
		}, r)
		if got := string(out[1].Data); got != c.want {
			t.Errorf("%s\n got  %s\n want %s", c.in, got, c.want)
		}
	}
}

func TestPlaceholderIsAnSVG(t *testing.T) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(PlaceholderImage, "data:image/svg+xml;base64,"))
	if err != nil || !strings.HasPrefix(string(b), "<svg") || !strings.HasSuffix(string(b), "</svg>") {
		t.Errorf("placeholder decodes to %q, %v", b, err)
	}
}

func TestInlineType(t *testing.T) {
	for typ, want := range map[string]bool{"image/png": true, "font/woff2": true, "text/css; charset=utf-8": true,
		"text/html": false, "application/javascript": false, "image/svg+xml": true, "": false, "image/png\" onload": false} {
		if got := InlineType(typ); got != want {
			t.Errorf("InlineType(%q) = %v, want %v", typ, got, want)
		}
	}
}

// rewriteOne rewrites a snapshot holding one element and returns its
// attributes.
func rewriteOne(t *testing.T, r *Resolver, tag string, attrs map[string]any) map[string]any {
	t.Helper()
	node := map[string]any{"type": 0, "id": 1, "childNodes": []any{
		map[string]any{"type": 2, "id": 2, "tagName": tag, "attributes": attrs, "childNodes": []any{}},
	}}
	data, _ := json.Marshal(map[string]any{"node": node, "initialOffset": map[string]any{"top": 0, "left": 0}})
	out := Rewrite([]rrweb.Event{
		{Type: rrweb.Meta, Timestamp: 1, Data: json.RawMessage(`{"href":"https://shop.test/","width":800,"height":600}`)},
		{Type: rrweb.FullSnapshot, Timestamp: 2, Data: data},
	}, r)
	var got struct {
		Node struct {
			ChildNodes []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"childNodes"`
		} `json:"node"`
	}
	if err := json.Unmarshal(out[1].Data, &got); err != nil || len(got.Node.ChildNodes) != 1 {
		t.Fatalf("rewritten snapshot unreadable: %v %s", err, out[1].Data)
	}
	return got.Node.ChildNodes[0].Attributes
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
