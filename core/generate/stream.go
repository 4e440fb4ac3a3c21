package generate

import (
	"encoding/json"
	"sort"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// stream writes the rrweb events a tracker would have recorded for the
// facts: per pageview a Meta, a FullSnapshot of the page's DOM and
// loupe/page, then moves, scrolls, clicks (with loupe/rect), inputs,
// mutations after clicks that did something, custom events, errors and
// network requests, in time order.
// With countOnly it only counts them (Options.NoEvents), which is cheaper.
func stream(h archive.Header, f *core.Facts, p profile, motions map[int]*motion, countOnly bool) ([]rrweb.Event, int) {
	start := h.StartedAt.UnixMilli()
	type timed struct {
		at  int64
		seq int
		ev  rrweb.Event
	}
	var out []timed
	count := 0
	add := func(at int64, typ rrweb.EventType, data any) {
		count++
		if countOnly {
			return
		}
		b, _ := json.Marshal(data)
		out = append(out, timed{at, len(out), rrweb.Event{Type: typ, Data: b, Timestamp: start + at}})
	}
	incr := func(at int64, src rrweb.IncrementalSource, data map[string]any) {
		data["source"] = int(src)
		add(at, rrweb.IncrementalSnapshot, data)
	}
	for _, pv := range f.Pageviews {
		at := pv.OffsetMS
		add(at, rrweb.Meta, map[string]any{"href": pv.URL, "width": p.vw, "height": p.vh})
		dom, ids := snapshot(pv.Path, pv.Title)
		add(at, rrweb.FullSnapshot, map[string]any{"node": dom, "initialOffset": map[string]int{"left": 0, "top": 0}})
		add(at, rrweb.Custom, map[string]any{"tag": rrweb.TagPage, "payload": map[string]any{
			"doc_height": pv.DocHeight, "doc_width": p.vw, "viewport": map[string]int{"w": p.vw, "h": p.vh}}})
		if pv.Index == 0 && (f.Session.UserID != "" || len(f.Session.Traits) > 0) {
			// The site identified the visitor on the first page, as a real
			// site calls identify() once it knows who is signed in.
			traits := map[string]any{}
			for k, v := range f.Session.Traits {
				traits[k] = v
			}
			add(at, rrweb.Custom, map[string]any{"tag": rrweb.TagIdentify, "payload": map[string]any{"id": f.Session.UserID, "traits": traits}})
		}
		m := motions[pv.Index]
		if m == nil {
			m = &motion{}
		}
		// rrweb records scroll positions, and mouse positions and clicks
		// in viewport coordinates: page coordinates minus the scroll.
		for _, k := range m.emitted() {
			incr(k.at, rrweb.SourceScroll, map[string]any{"id": 1, "x": 0, "y": k.y})
		}
		moveIdx := 0
		for _, mv := range f.Moves {
			if mv.Pageview != pv.Index || moveIdx >= len(m.moveTimes) {
				continue
			}
			at := m.moveTimes[moveIdx]
			moveIdx++
			incr(at, rrweb.SourceMouseMove, map[string]any{"positions": []any{
				map[string]any{"x": mv.X, "y": mv.Y - m.scrollAt(at), "id": 5, "timeOffset": 0}}})
		}
		for _, c := range f.Clicks {
			if c.Pageview != pv.Index {
				continue
			}
			id := ids[c.Selector]
			e := elementBySelector(pv.Path, c.Selector)
			sx, sy := float64(p.vw)/1280, layoutScale(p.vw)
			add(c.OffsetMS, rrweb.Custom, map[string]any{"tag": rrweb.TagRect, "payload": map[string]any{
				"id": id, "x": e.x * sx, "y": c.Y - c.RelY*e.h*sy, "w": e.w * sx, "h": e.h * sy}})
			vy := c.Y - m.scrollAt(c.OffsetMS)
			for _, mi := range []rrweb.MouseInteraction{rrweb.MouseDown, rrweb.MouseUp, rrweb.Click} {
				incr(c.OffsetMS, rrweb.SourceMouseInteraction, map[string]any{"type": int(mi), "id": id, "x": c.X, "y": vy})
			}
			if !e.dead { // a working element changes the DOM; a dead one does not
				incr(c.OffsetMS+mutationDelay, rrweb.SourceMutation, map[string]any{"texts": []any{}, "removes": []any{}, "adds": []any{},
					"attributes": []any{map[string]any{"id": id, "attributes": map[string]any{"class": e.class + " active"}}}})
			}
		}
		for _, in := range f.Inputs {
			if in.Pageview == pv.Index {
				incr(in.OffsetMS, rrweb.SourceInput, map[string]any{"id": ids[in.Selector], "text": "*****", "isChecked": false})
			}
		}
		for _, ce := range f.CustomEvents {
			if ce.Pageview == pv.Index {
				add(ce.OffsetMS, rrweb.Custom, map[string]any{"tag": rrweb.TagEvent, "payload": map[string]any{"name": ce.Name, "props": ce.Props}})
			}
		}
		for _, je := range f.Errors {
			if je.Pageview == pv.Index {
				add(je.OffsetMS, rrweb.Custom, map[string]any{"tag": rrweb.TagError, "payload": map[string]any{
					"message": je.Message, "source": je.Source, "stack": je.Stack, "kind": "error"}})
			}
		}
		for _, rq := range f.Requests {
			if rq.Pageview == pv.Index {
				st := float64(rq.OffsetMS)
				add(rq.OffsetMS+rq.DurationMS, rrweb.Plugin, map[string]any{"plugin": rrweb.PluginNetwork, "payload": map[string]any{
					"requests": []any{map[string]any{"name": rq.URL, "method": rq.Method, "status": rq.Status,
						"startTime": st, "endTime": st + float64(rq.DurationMS), "initiatorType": "fetch"}}}})
			}
		}
	}
	if countOnly {
		return nil, count
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at < out[j].at })
	evs := make([]rrweb.Event, len(out))
	for i, t := range out {
		evs[i] = t.ev
	}
	return evs, count
}

// node is a serialized rrweb-snapshot node, written with only the fields
// a snapshot of this small DOM needs.
type node struct {
	Type        int               `json:"type"`
	ID          int               `json:"id"`
	Name        string            `json:"name,omitempty"`
	TagName     string            `json:"tagName,omitempty"`
	Attributes  map[string]string `json:"attributes,omitempty"`
	ChildNodes  []*node           `json:"childNodes,omitempty"`
	TextContent string            `json:"textContent,omitempty"`
}

// snapshot builds a page's DOM and the node id of each element selector.
func snapshot(path, title string) (*node, map[string]int) {
	next := 0
	id := func() int { next++; return next }
	ids := map[string]int{}
	doc := &node{Type: int(rrweb.DocumentNode), ID: id()}
	doc.ChildNodes = append(doc.ChildNodes, &node{Type: int(rrweb.DocumentTypeNode), ID: id(), Name: "html"})
	html := &node{Type: int(rrweb.ElementNode), ID: id(), TagName: "html"}
	head := &node{Type: int(rrweb.ElementNode), ID: id(), TagName: "head"}
	head.ChildNodes = []*node{{Type: int(rrweb.ElementNode), ID: id(), TagName: "title",
		ChildNodes: []*node{{Type: int(rrweb.TextNode), ID: id(), TextContent: title}}}}
	body := &node{Type: int(rrweb.ElementNode), ID: id(), TagName: "body"}
	nav := &node{Type: int(rrweb.ElementNode), ID: id(), TagName: "nav"}
	main := &node{Type: int(rrweb.ElementNode), ID: id(), TagName: "main"}
	for i, e := range elementsOf(path) {
		n := &node{Type: int(rrweb.ElementNode), ID: id(), TagName: e.tag, Attributes: map[string]string{}}
		if e.id != "" {
			n.Attributes["id"] = e.id
		}
		if e.class != "" {
			n.Attributes["class"] = e.class
		}
		if e.text != "" {
			n.ChildNodes = []*node{{Type: int(rrweb.TextNode), ID: id(), TextContent: e.text}}
		}
		ids[e.selector()] = n.ID
		if i < len(navElements) {
			nav.ChildNodes = append(nav.ChildNodes, n)
		} else {
			main.ChildNodes = append(main.ChildNodes, n)
		}
	}
	body.ChildNodes = []*node{nav, main}
	html.ChildNodes = []*node{head, body}
	doc.ChildNodes = append(doc.ChildNodes, html)
	return doc, ids
}

func elementBySelector(path, sel string) element {
	for _, e := range elementsOf(path) {
		if e.selector() == sel {
			return e
		}
	}
	return element{}
}
