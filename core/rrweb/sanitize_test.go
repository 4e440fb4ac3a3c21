package rrweb

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func loadHostile(t *testing.T) []Event {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "hostile.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	events, err := Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// TestSanitizeHostile replays a recording built to run code in a naive
// player: after Sanitize, none of its payloads survive, while the page's
// harmless content does.
func TestSanitizeHostile(t *testing.T) {
	events := loadHostile(t)
	raw, _ := json.Marshal(events)
	if !bytes.Contains(raw, []byte("alert")) {
		t.Fatal("the hostile fixture holds no payload: the test would prove nothing")
	}
	clean := Sanitize(events)
	out, err := json.Marshal(clean)
	if err != nil {
		t.Fatal(err)
	}
	lower := strings.ToLower(string(out))
	for _, bad := range []string{"alert", "javascript", "vbscript", "msgbox", "evil.example", "srcdoc",
		"data:text/html", "data:image/svg", "refresh"} {
		if strings.Contains(lower, bad) {
			t.Errorf("sanitized stream still contains %q", bad)
		}
	}
	for _, good := range []string{"https://example.com/safe", "harmless paragraph", "safe link",
		"data:image/png;base64", "safe image", "https://shop.example/"} {
		if !strings.Contains(string(out), good) {
			t.Errorf("sanitized stream lost harmless %q", good)
		}
	}
	// Structurally: no script element and no on* attribute anywhere.
	for i, e := range clean {
		var v any
		if err := json.Unmarshal(e.Data, &v); err != nil {
			t.Fatalf("event %d: sanitized data is not JSON: %v", i, err)
		}
		walkJSON(v, func(m map[string]any) {
			if tag, _ := m["tagName"].(string); strings.EqualFold(tag, "script") {
				t.Errorf("event %d: a script element survived (id %v)", i, m["id"])
			}
			for _, key := range []string{"attributes"} {
				attrs, _ := m[key].(map[string]any)
				for k, v := range attrs {
					if strings.HasPrefix(strings.ToLower(k), "on") && v != nil {
						t.Errorf("event %d: attribute %s survived", i, k)
					}
				}
			}
		})
	}
	// Unchanged events keep their bytes; the replay needs them as recorded.
	if !bytes.Equal(clean[0].Data, events[0].Data) || !bytes.Equal(clean[3].Data, events[3].Data) {
		t.Errorf("events without anything to remove were rewritten")
	}
	// Mutations that wrote into removed scripts are gone; the harmless add stays.
	mut, err := clean[2].DecodeIncremental()
	if err != nil {
		t.Fatal(err)
	}
	if len(mut.Texts) != 0 {
		t.Errorf("text changes into a removed script: got %d, want 0", len(mut.Texts))
	}
	if len(mut.Adds) != 3 {
		t.Errorf("adds: got %d, want 3 (script as comment, div, paragraph)", len(mut.Adds))
	}
	// The replaced script keeps its id, so later mutations that name it
	// still find a node.
	snap, _ := clean[1].DecodeFullSnapshot()
	m := NewMirror()
	m.ApplyFullSnapshot(snap)
	if _, ok := m.nodes[7]; !ok || m.nodes[7].typ != CommentNode {
		t.Errorf("script 7: want an inert comment with the same id")
	}
	if len(events) != len(clean) {
		t.Errorf("event count changed: %d → %d", len(events), len(clean))
	}
}

func walkJSON(v any, visit func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		visit(x)
		for _, c := range x {
			walkJSON(c, visit)
		}
	case []any:
		for _, c := range x {
			walkJSON(c, visit)
		}
	}
}

func TestSanitizeURLs(t *testing.T) {
	tests := []struct {
		tag, url  string
		dangerous bool
	}{
		{"a", "javascript:alert(1)", true},
		{"a", " \tJAVA\nSCRIPT:alert(1)", true},
		{"a", "vbscript:x", true},
		{"iframe", "data:text/html,<b>", true},
		{"iframe", "data:image/svg+xml,<svg>", true},
		{"img", "data:image/svg+xml,<svg>", false},
		{"img", "data:image/png;base64,AAAA", false},
		{"a", "https://example.com/javascript:", false},
		{"a", "/relative?q=javascript:x", false},
		{"a", "#top", false},
	}
	for _, tt := range tests {
		if got := dangerousURL(tt.tag, tt.url); got != tt.dangerous {
			t.Errorf("dangerousURL(%q, %q): got %v, want %v", tt.tag, tt.url, got, tt.dangerous)
		}
	}
}

// Real recordings carry scripts and javascript: links. Sanitizing the
// corpus removes all of them, leaves every other event's bytes alone, and
// keeps every interaction resolvable.
func TestSanitizeCorpus(t *testing.T) {
	suspicious := []string{"script", "javascript:", "vbscript", "srcdoc", `"on`, "refresh", `"base"`, "data:", `"rel"`}
	for _, path := range corpusFiles(t) {
		name := filepath.Base(path)
		// Sanitize returns the play order; compare event by event in it.
		events := PlayOrder(decodeFile(t, path))
		clean := Sanitize(events)
		plain, resolved := NewMirror(), NewMirror()
		for i := range events {
			lower := strings.ToLower(string(events[i].Data))
			innocent := true
			for _, s := range suspicious {
				innocent = innocent && !strings.Contains(lower, s)
			}
			if innocent && !bytes.Equal(events[i].Data, clean[i].Data) {
				t.Errorf("%s event %d: changed, but holds nothing to remove", name, i)
			}
			out := strings.ToLower(string(clean[i].Data))
			if strings.Contains(out, `"tagname":"script"`) || strings.Contains(out, "javascript:") {
				t.Errorf("%s event %d: a script or javascript: URL survived", name, i)
			}
			plain.Apply(events[i])
			resolved.Apply(clean[i])
			if inc, err := events[i].DecodeIncremental(); err == nil && inc.Source == SourceMouseInteraction {
				a, okA := plain.Element(inc.ID)
				b, okB := resolved.Element(inc.ID)
				if okA != okB || a.Tag != b.Tag {
					t.Errorf("%s event %d: element %+v before sanitizing, %+v after", name, i, a, b)
				}
			}
		}
	}
}

func TestSanitizeUnreadableMutation(t *testing.T) {
	events := []Event{{Type: FullSnapshot, Data: json.RawMessage(`"not an object"`)}}
	clean := Sanitize(events)
	if !bytes.Equal(clean[0].Data, emptyMutation) {
		t.Errorf("unreadable snapshot: got %s, want an empty mutation", clean[0].Data)
	}
}
