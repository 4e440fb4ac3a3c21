package derive

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"path/filepath"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
	"github.com/loupe-dev/loupe/core/rrweb/rrwebtest"
)

// generateSession builds a realistic 30-minute recording: a page load every
// two minutes with a full snapshot of about 1,500 nodes, mouse movement
// batched every 500 ms, scrolling, a click every 10 s answered by a
// mutation, typing, JS errors and requests. Seeded, so every run
// measures the same stream.
func generateSession(seed int64, minutes int) []rrweb.Event {
	r := rand.New(rand.NewSource(seed))
	const t0 = int64(1764195600000)
	var events []rrweb.Event
	add := func(t int64, typ rrweb.EventType, data any) {
		b, _ := json.Marshal(data)
		events = append(events, rrweb.Event{Type: typ, Data: b, Timestamp: t0 + t})
	}
	nextID := 1
	id := func() int { nextID++; return nextID }
	var clickable []int
	snapshot := func() map[string]any {
		nextID = 1
		clickable = clickable[:0]
		var sections []any
		for s := 0; s < 30; s++ {
			var items []any
			for i := 0; i < 12; i++ {
				bid := id()
				clickable = append(clickable, bid)
				items = append(items, map[string]any{"type": 2, "tagName": "li", "id": id(), "attributes": map[string]any{"class": "item"},
					"childNodes": []any{
						map[string]any{"type": 2, "tagName": "button", "id": bid, "attributes": map[string]any{"class": "btn add"},
							"childNodes": []any{map[string]any{"type": 3, "id": id(), "textContent": fmt.Sprintf("Add item %d", i)}}},
						map[string]any{"type": 3, "id": id(), "textContent": "Lorem ipsum dolor sit amet"},
					}})
			}
			sections = append(sections, map[string]any{"type": 2, "tagName": "section", "id": id(),
				"attributes": map[string]any{"id": fmt.Sprintf("s%d", s)}, "childNodes": []any{
					map[string]any{"type": 2, "tagName": "ul", "id": id(), "attributes": map[string]any{}, "childNodes": items}}})
		}
		return map[string]any{"type": 0, "id": 1, "childNodes": []any{
			map[string]any{"type": 2, "tagName": "html", "id": id(), "attributes": map[string]any{}, "childNodes": []any{
				map[string]any{"type": 2, "tagName": "body", "id": id(), "attributes": map[string]any{}, "childNodes": sections}}}}}
	}
	paths := []string{"/", "/shop", "/product/1", "/cart", "/checkout"}
	end := int64(minutes) * 60_000
	for t := int64(0); t < end; {
		add(t, rrweb.Meta, map[string]any{"href": "https://shop.example" + paths[r.Intn(len(paths))], "width": 1280, "height": 800})
		add(t+5, rrweb.FullSnapshot, map[string]any{"node": snapshot(), "initialOffset": map[string]any{"left": 0, "top": 0}})
		add(t+10, rrweb.Custom, map[string]any{"tag": rrweb.TagPage, "payload": map[string]any{"doc_height": 9000, "doc_width": 1280, "viewport": map[string]any{"w": 1280, "h": 800}}})
		pageEnd := t + 120_000
		y := 0
		for now := t + 500; now < pageEnd && now < end; now += 500 {
			var pos []any
			for k := 0; k < 10; k++ {
				pos = append(pos, map[string]any{"x": r.Intn(1280), "y": r.Intn(800), "id": 3, "timeOffset": -50 * k})
			}
			add(now, rrweb.IncrementalSnapshot, map[string]any{"source": 1, "positions": pos})
			if r.Intn(3) == 0 {
				y = max(0, y+r.Intn(600)-200)
				add(now+100, rrweb.IncrementalSnapshot, map[string]any{"source": 3, "id": 1, "x": 0, "y": y})
			}
			if now%10_000 == 0 {
				target := clickable[r.Intn(len(clickable))]
				add(now+150, rrweb.Custom, map[string]any{"tag": rrweb.TagRect, "payload": map[string]any{"id": target, "x": 100, "y": y + 200, "w": 120, "h": 40}})
				add(now+151, rrweb.IncrementalSnapshot, map[string]any{"source": 2, "type": 2, "id": target, "x": 150, "y": 210})
				add(now+300, rrweb.IncrementalSnapshot, map[string]any{"source": 0, "texts": []any{}, "removes": []any{},
					"attributes": []any{map[string]any{"id": target, "attributes": map[string]any{"class": "btn add done"}}},
					"adds":       []any{map[string]any{"parentId": 3, "nextId": nil, "node": map[string]any{"type": 2, "tagName": "div", "id": id(), "attributes": map[string]any{"class": "toast"}, "childNodes": []any{}}}}})
				add(now+320, rrweb.Plugin, map[string]any{"plugin": rrweb.PluginNetwork, "payload": map[string]any{"requests": []any{map[string]any{"name": "https://shop.example/api/cart", "method": "POST", "status": 200 + 300*r.Intn(2), "startTime": 0, "endTime": 40}}}})
			}
			if now%60_000 == 0 {
				add(now+200, rrweb.Custom, map[string]any{"tag": rrweb.TagError, "payload": map[string]any{"message": "Error: oops", "source": "https://shop.example/app.js", "line": 1, "col": 2, "kind": "error"}})
				add(now+250, rrweb.IncrementalSnapshot, map[string]any{"source": 5, "id": clickable[0], "text": "****", "isChecked": false})
			}
		}
		t = pageEnd
	}
	return events
}

func benchmarkDerive(b *testing.B, events []rrweb.Event) {
	b.ReportAllocs()
	h := archive.Header{Session: "bench"}
	defs := core.Default()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f := Session(h, events, defs)
		if f.Session.Events != len(events) {
			b.Fatal("events lost")
		}
	}
	b.ReportMetric(float64(len(events))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkDerive measures deriving a generated 30-minute session and the
// largest recording of rrweb's corpus.
func BenchmarkDerive(b *testing.B) {
	b.Run("generated-30min", func(b *testing.B) {
		events := generateSession(1, 30)
		b.Logf("%d events", len(events))
		benchmarkDerive(b, events)
	})
	b.Run("corpus-largest", func(b *testing.B) {
		events := rrwebtest.Events(b, filepath.Join(rrwebtest.CorpusDir(b), "rrweb-player-public-events.json"))
		benchmarkDerive(b, events)
	})
}

// BenchmarkDecode measures decoding the generated session from JSON, the
// step before deriving on import.
func BenchmarkDecode(b *testing.B) {
	events := generateSession(1, 30)
	raw, _ := json.Marshal(events)
	b.SetBytes(int64(len(raw)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := rrweb.Decode(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(events))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// The generator's stream must derive to what it generated, or the
// benchmark measures something else.
func TestGeneratedSession(t *testing.T) {
	events := generateSession(1, 30)
	f := Session(archive.Header{Session: "gen"}, events, core.Default())
	s := f.Session
	if s.Pageviews != 15 || s.Clicks < 150 || s.DurationMS < 29*60_000 || s.JSErrors != 15 || s.FailedReqs == 0 {
		t.Fatalf("generated session: %d pageviews, %d clicks, %d ms, %d errors, %d failed", s.Pageviews, s.Clicks, s.DurationMS, s.JSErrors, s.FailedReqs)
	}
	for _, c := range f.Clicks {
		if c.Tag != "button" || c.RelX < 0 || c.Dead {
			t.Fatalf("generated click not resolved as generated: %+v", c)
		}
	}
	if len(f.Uninterpreted) != 0 {
		t.Fatalf("uninterpreted: %v", f.Uninterpreted)
	}
}
