package rrweb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// replayDOM follows what a player's DOM holds, element by element, as
// events are applied in the order given, and reports what a replay must
// never hold: the checks are written against the DOM, not against the
// sanitizer's code paths.
type replayDOM struct {
	elements map[int]*simElement
	depth    map[int]int // node id → depth, the document at 0
}

type simElement struct {
	tag   string
	attrs map[string]string
}

func newReplayDOM() *replayDOM {
	return &replayDOM{elements: map[int]*simElement{}, depth: map[int]int{}}
}

// apply applies one event and returns what is wrong with the elements it
// touched.
func (d *replayDOM) apply(e Event) []string {
	var bad []string
	dec := json.NewDecoder(bytes.NewReader(e.Data))
	dec.UseNumber()
	var m map[string]any
	if dec.Decode(&m) != nil {
		return nil
	}
	switch e.Type {
	case FullSnapshot:
		clear(d.elements)
		clear(d.depth)
		if n, ok := m["node"].(map[string]any); ok {
			bad = append(bad, d.build(n, 0)...)
		}
	case IncrementalSnapshot:
		if IDOf(m["source"]) != int(SourceMutation) {
			return nil
		}
		adds, _ := m["adds"].([]any)
		for _, a := range adds {
			if am, ok := a.(map[string]any); ok {
				if n, ok := am["node"].(map[string]any); ok {
					bad = append(bad, d.build(n, d.depth[IDOf(am["parentId"])]+1)...)
				}
			}
		}
		attrs, _ := m["attributes"].([]any)
		for _, a := range attrs {
			am, _ := a.(map[string]any)
			el := d.elements[IDOf(am["id"])]
			values, _ := am["attributes"].(map[string]any)
			if el == nil || values == nil {
				continue
			}
			for k, v := range values {
				k = strings.ToLower(k)
				if v == nil {
					delete(el.attrs, k)
				} else {
					el.attrs[k] = fmt.Sprint(v)
				}
			}
			bad = append(bad, el.problems()...)
		}
	}
	return bad
}

func (d *replayDOM) build(n map[string]any, depth int) []string {
	var bad []string
	d.depth[IDOf(n["id"])] = depth
	if depth > MaxReplayDepth+1 {
		bad = append(bad, fmt.Sprintf("a node %d levels deep", depth))
	}
	if IDOf(n["type"]) == int(ElementNode) {
		tag, _ := n["tagName"].(string)
		el := &simElement{tag: strings.ToLower(tag), attrs: map[string]string{}}
		if attrs, ok := n["attributes"].(map[string]any); ok {
			for k, v := range attrs {
				if v != nil {
					el.attrs[strings.ToLower(k)] = fmt.Sprint(v)
				}
			}
		}
		d.elements[IDOf(n["id"])] = el
		bad = append(bad, el.problems()...)
	}
	kids, _ := n["childNodes"].([]any)
	for _, k := range kids {
		if km, ok := k.(map[string]any); ok {
			bad = append(bad, d.build(km, depth+1)...)
		}
	}
	return bad
}

// problems lists what this element must not be or carry in a replay.
func (el *simElement) problems() []string {
	var bad []string
	if el.tag == "script" || strings.HasSuffix(el.tag, ":script") {
		bad = append(bad, "a <script> element")
	}
	for k, v := range el.attrs {
		switch {
		case strings.HasPrefix(k, "on"):
			bad = append(bad, "an "+k+" handler")
		case k == "srcdoc":
			bad = append(bad, "srcdoc")
		case el.tag == "base" && k == "href":
			bad = append(bad, "<base href>")
		case el.tag == "meta" && k == "http-equiv" && !harmlessHTTPEquiv[strings.ToLower(strings.TrimSpace(v))]:
			bad = append(bad, "<meta http-equiv="+v+">")
		case frameTags[el.tag] && (k == "src" || k == "rr_src") && !strings.HasPrefix(v, "about:"):
			bad = append(bad, "a frame at "+v)
		case el.tag == "use" && (k == "href" || k == "xlink:href") && !strings.HasPrefix(strings.TrimSpace(v), "#"):
			bad = append(bad, "<use "+k+"="+v+">")
		case el.tag == "link" && k == "rel" && !replayableLink(v):
			bad = append(bad, "<link rel="+v+">")
		case urlAttrs[k] && dangerousURL(el.tag, v):
			bad = append(bad, k+"="+v)
		case animationAttrs[k] && strings.Contains(squash(v), "script:"):
			bad = append(bad, "an animation to "+v)
		}
	}
	return bad
}

// policyOnly are vectors the sanitizer leaves as recorded: outside
// addresses in stylesheets, images, frames and forms, which the
// workbench's content policy blocks (the browser suite checks that
// nothing leaves the machine), and text that only looks like markup.
var policyOnly = map[string]bool{
	"css-link-stylesheet": true, "css-import": true, "css-cssText-import": true, "css-style-attribute-url": true,
	"css-font-face": true, "css-expression": true, "css-style-rule-event": true, "css-style-attribute-mutation": true,
	"svg-image-outside": true, "object-outside": true,
	"embed-outside": true, "form-outside": true, "img-outside": true, "media-outside": true,
	"body-background-outside": true, "canvas-data-url-outside": true, "anchor-dns-prefetch": true,
	"text-breakout": true,
}

func hostileCorpus(t *testing.T) map[string][]Event {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(hostileDir, "*.json"))
	if err != nil || len(files) < 70 {
		t.Fatalf("hostile corpus: %d files (%v), want at least 70", len(files), err)
	}
	out := map[string][]Event{}
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		events, err := Decode(r)
		r.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = events
	}
	return out
}

// TestSanitizeHostileCorpus plays every vector, sanitized, in the order
// Sanitize returns (which must be the player's order), and checks the
// replayed DOM at every step. Unsanitized, each vector must show the
// problem it carries, or the test would prove nothing.
func TestSanitizeHostileCorpus(t *testing.T) {
	for name, events := range hostileCorpus(t) {
		t.Run(name, func(t *testing.T) {
			raw := newReplayDOM()
			var rawBad []string
			for _, e := range PlayOrder(events) {
				rawBad = append(rawBad, raw.apply(e)...)
			}
			if len(rawBad) == 0 && !policyOnly[name] {
				t.Errorf("unsanitized, the vector shows no problem: it tests nothing")
			}

			clean := Sanitize(events)
			if len(clean) != len(events) {
				t.Fatalf("%d events out, %d in", len(clean), len(events))
			}
			if !slices.IsSortedFunc(clean, func(a, b Event) int { return int(a.Timestamp - b.Timestamp) }) {
				t.Errorf("events are not returned in play order")
			}
			dom := newReplayDOM()
			for i, e := range clean {
				for _, bad := range dom.apply(e) {
					t.Errorf("event %d (t=%d): the replay holds %s", i, e.Timestamp-hostileT0, bad)
				}
			}
			out, _ := json.Marshal(clean)
			lower := strings.ToLower(string(out))
			for _, s := range []string{"javascript:", "vbscript:", "data:text/html", "__pwned=1;top"} {
				if strings.Contains(lower, s) && !policyOnly[name] && !strings.HasPrefix(name, "text-") && !strings.HasPrefix(name, "css-") {
					t.Errorf("%q survived", s)
				}
			}
		})
	}
}

// orderTricks are the vectors that an array-order walk lets through: an
// attribute change checked against the tag of a later snapshot's element.
// (The order-script-* vectors are caught either way and stay as guards.)
var orderTricks = []string{"order-base-href", "order-meta-refresh", "order-link-preconnect", "order-iframe-svg-data"}

// TestSanitizeArrayOrderWouldMissOrderTricks shows why the play order
// matters: checked in array order, each event-order vector keeps its
// payload.
func TestSanitizeArrayOrderWouldMissOrderTricks(t *testing.T) {
	corpus := hostileCorpus(t)
	for _, name := range orderTricks {
		events, ok := corpus[name]
		if !ok {
			t.Errorf("vector %s is missing", name)
			continue
		}
		inArrayOrder := sanitizeInOrder(slices.Clone(events))
		dom := newReplayDOM()
		var bad []string
		for _, e := range PlayOrder(inArrayOrder) {
			bad = append(bad, dom.apply(e)...)
		}
		if len(bad) == 0 {
			t.Errorf("%s: sanitized in array order, the replay is still clean; the vector does not test the order", name)
		}
	}
}

func TestReplayableLink(t *testing.T) {
	for rel, want := range map[string]bool{
		"stylesheet": true, "Stylesheet": true, "alternate stylesheet": true, "icon": true, "shortcut icon": true,
		"apple-touch-icon": true, "preconnect": false, "dns-prefetch": false, "prefetch": false, "preload": false,
		"modulepreload": false, "prerender": false, "manifest": false, "import": false, "": false,
		"stylesheet preconnect": false, "alternate": false, "shortcut": false, "next": false,
	} {
		if got := replayableLink(rel); got != want {
			t.Errorf("replayableLink(%q) = %v, want %v", rel, got, want)
		}
	}
}

// Flattening a deep tree loses no node: every id the recording built is
// still there for later events to find, and the text after it too.
func TestSanitizeDeepTreesKeepEveryNode(t *testing.T) {
	corpus := hostileCorpus(t)
	for _, name := range []string{"deep-nesting", "deep-nesting-by-mutation"} {
		ids := func(events []Event) map[int]bool {
			seen := map[int]bool{}
			for _, e := range events {
				var v any
				if err := json.Unmarshal(e.Data, &v); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				walkJSON(v, func(m map[string]any) {
					if _, ok := m["type"]; ok && m["id"] != nil && (m["tagName"] != nil || m["textContent"] != nil) {
						seen[IDOf(m["id"])] = true
					}
				})
			}
			return seen
		}
		before, after := ids(corpus[name]), ids(Sanitize(corpus[name]))
		if len(before) < MaxReplayDepth || len(after) != len(before) {
			t.Errorf("%s: %d nodes before sanitizing, %d after; want the same, over %d", name, len(before), len(after), MaxReplayDepth)
		}
	}
}
