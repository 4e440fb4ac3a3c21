package asset

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core/rrweb"
)

func events(t testing.TB, raw ...string) []rrweb.Event {
	t.Helper()
	out := make([]rrweb.Event, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal([]byte(r), &out[i]); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	return out
}

const (
	metaEvent = `{"type":4,"data":{"href":"https://shop.example/products/1","width":1280,"height":800},"timestamp":1}`
	// A full snapshot as rrweb-snapshot records it: absolute URLs in most
	// attributes, a relative one left in for resolution, an inlined
	// stylesheet, a <style> text child, a picture, an icon, a blocked
	// element (a placeholder without its image) and a style attribute.
	snapshotEvent = `{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[
	  {"type":1,"id":2,"name":"html","publicId":"","systemId":""},
	  {"type":2,"id":3,"tagName":"html","attributes":{"lang":"en"},"childNodes":[
	    {"type":2,"id":4,"tagName":"head","attributes":{},"childNodes":[
	      {"type":2,"id":5,"tagName":"link","attributes":{"rel":"stylesheet","href":"https://cdn.example/site.css"},"childNodes":[]},
	      {"type":2,"id":6,"tagName":"link","attributes":{"rel":"shortcut icon","href":"/favicon.ico"},"childNodes":[]},
	      {"type":2,"id":7,"tagName":"link","attributes":{"_cssText":"body{background:url(\"https://cdn.example/bg.jpg\")}"},"childNodes":[]},
	      {"type":2,"id":8,"tagName":"style","attributes":{},"childNodes":[
	        {"type":3,"id":9,"textContent":"@font-face{font-family:S;src:url(/fonts/s.woff2) format(\"woff2\")}","isStyle":true}]},
	      {"type":2,"id":10,"tagName":"link","attributes":{"rel":"preload","href":"https://cdn.example/not-kept.js"},"childNodes":[]}
	    ]},
	    {"type":2,"id":11,"tagName":"body","attributes":{"style":"background-image: url('/hero.png')"},"childNodes":[
	      {"type":2,"id":12,"tagName":"img","attributes":{"src":"https://cdn.example/logo.png","srcset":"https://cdn.example/logo.png 1x, https://cdn.example/logo@2x.png 2x","alt":"Logo"},"childNodes":[]},
	      {"type":2,"id":13,"tagName":"picture","attributes":{},"childNodes":[
	        {"type":2,"id":14,"tagName":"source","attributes":{"srcset":"https://cdn.example/p.webp","type":"image/webp"},"childNodes":[]},
	        {"type":2,"id":15,"tagName":"img","attributes":{"src":"https://cdn.example/p.jpg"},"childNodes":[]}]},
	      {"type":2,"id":16,"tagName":"video","attributes":{"poster":"https://cdn.example/poster.jpg","src":"https://cdn.example/movie.mp4"},"childNodes":[]},
	      {"type":2,"id":17,"tagName":"input","attributes":{"type":"image","src":"https://cdn.example/go.png"},"childNodes":[]},
	      {"type":2,"id":18,"tagName":"svg","attributes":{},"isSVG":true,"childNodes":[
	        {"type":2,"id":19,"tagName":"image","attributes":{"xlink:href":"https://cdn.example/s.svg"},"isSVG":true,"childNodes":[]}]},
	      {"type":2,"id":20,"tagName":"div","attributes":{"class":"rr-block","rr_width":"300px","rr_height":"200px"},"childNodes":[]},
	      {"type":2,"id":21,"tagName":"a","attributes":{"href":"https://shop.example/cart"},"childNodes":[]},
	      {"type":2,"id":22,"tagName":"img","attributes":{"src":"data:image/gif;base64,R0lGOD"},"childNodes":[]}
	    ]}]}]},"initialOffset":{"left":0,"top":0}},"timestamp":2}`
	mutationEvent = `{"type":3,"data":{"source":0,"texts":[{"id":9,"value":"p{background:url(https://cdn.example/t.png)}"}],"removes":[],
	  "adds":[
	    {"parentId":30,"nextId":null,"node":{"type":2,"id":31,"tagName":"img","attributes":{"src":"https://cdn.example/lazy.png"},"childNodes":[]}},
	    {"parentId":11,"nextId":null,"node":{"type":2,"id":30,"tagName":"div","attributes":{},"childNodes":[]}}],
	  "attributes":[
	    {"id":12,"attributes":{"src":"https://cdn.example/logo-dark.png"}},
	    {"id":21,"attributes":{"style":{"background-image":"url(\"https://cdn.example/hover.png\")","color":["red","important"]}}},
	    {"id":20,"attributes":{"src":"https://cdn.example/never.png"}}]},"timestamp":3}`
	ruleEvent = `{"type":3,"data":{"source":8,"id":8,"adds":[{"rule":".x{background:url(/rule.png)}","index":0}]},"timestamp":4}`
)

func TestExtract(t *testing.T) {
	got := Extract(events(t, metaEvent, snapshotEvent, mutationEvent, ruleEvent))
	want := []string{
		// The snapshot, element by element in document order.
		"stylesheet https://cdn.example/site.css",
		"image https://shop.example/favicon.ico",
		"image https://cdn.example/bg.jpg",
		"font https://shop.example/fonts/s.woff2",
		"image https://shop.example/hero.png",
		"image https://cdn.example/logo.png",
		"image https://cdn.example/logo@2x.png",
		"image https://cdn.example/p.webp",
		"image https://cdn.example/p.jpg",
		"image https://cdn.example/poster.jpg",
		"image https://cdn.example/go.png",
		"image https://cdn.example/s.svg",
		// The mutation: adds, then text changes, then attribute changes.
		"image https://cdn.example/lazy.png",
		"image https://cdn.example/t.png",
		"image https://cdn.example/logo-dark.png",
		"image https://cdn.example/hover.png",
		// The inserted rule.
		"image https://shop.example/rule.png",
	}
	var have []string
	for _, r := range got {
		have = append(have, string(r.Kind)+" "+r.URL)
	}
	if fmt.Sprint(have) != fmt.Sprint(want) {
		t.Errorf("Extract:\n got %q\nwant %q", have, want)
	}
}

func TestExtractorReturnsOnlyNewURLs(t *testing.T) {
	x := NewExtractor()
	evs := events(t, metaEvent, snapshotEvent, snapshotEvent)
	x.Add(evs[0])
	first := x.Add(evs[1])
	second := x.Add(evs[2])
	if len(first) != 12 || len(second) != 0 {
		t.Errorf("first snapshot gave %d new URLs, the same again %d; want 12 and 0", len(first), len(second))
	}
	if x.Page() != "https://shop.example/products/1" {
		t.Errorf("page = %q", x.Page())
	}
}

func TestExtractWithoutPageKeepsOnlyAbsolute(t *testing.T) {
	for _, r := range Extract(events(t, snapshotEvent)) {
		if r.URL == "https://shop.example/favicon.ico" || r.URL == "https://shop.example/hero.png" {
			t.Errorf("relative URL %s resolved without a page", r.URL)
		}
	}
}

func BenchmarkExtract(b *testing.B) {
	evs := events(b, metaEvent, snapshotEvent, mutationEvent, ruleEvent)
	// A realistic session is mostly pointer moves between a few snapshots.
	move := events(b, `{"type":3,"data":{"source":1,"positions":[{"x":10,"y":20,"id":12,"timeOffset":0}]},"timestamp":5}`)[0]
	for i := 0; i < 500; i++ {
		evs = append(evs, move)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(Extract(evs)) != 17 {
			b.Fatal("wrong count")
		}
	}
}

// FuzzExtract: any event JSON, hostile or broken, gives only well-formed
// http(s) URLs and never a panic.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{metaEvent, snapshotEvent, mutationEvent, ruleEvent,
		`{"type":3,"data":{"source":0,"attributes":[{"id":1,"attributes":{"style":{"a":["url(x)"]}}}]}}`,
		`{"type":2,"data":{"node":null}}`, `{"type":3,"data":{"source":13,"set":{"value":"url(/a.png)"}}}`} {
		f.Add(metaEvent, s)
	}
	f.Fuzz(func(t *testing.T, first, second string) {
		x := NewExtractor()
		x.AddRaw(json.RawMessage(first))
		x.AddRaw(json.RawMessage(second))
		for _, r := range x.Refs() {
			if !strings.HasPrefix(r.URL, "http://") && !strings.HasPrefix(r.URL, "https://") || strings.Contains(r.URL, "#") {
				t.Fatalf("extracted %q", r.URL)
			}
			if r.Kind != KindImage && r.Kind != KindFont && r.Kind != KindStylesheet {
				t.Fatalf("kind %q", r.Kind)
			}
		}
	})
}
