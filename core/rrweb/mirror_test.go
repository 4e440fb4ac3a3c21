package rrweb

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// page builds a full snapshot event from an HTML-ish body description.
func snapshotEvent(t *testing.T, body string) Event {
	t.Helper()
	node := `{"type":0,"id":1,"childNodes":[{"type":1,"name":"html","id":2},
	  {"type":2,"tagName":"html","id":3,"attributes":{},"childNodes":[
	    {"type":2,"tagName":"head","id":4,"attributes":{},"childNodes":[]},
	    {"type":2,"tagName":"body","id":5,"attributes":{},"childNodes":[` + body + `]}]}]}`
	return Event{Type: FullSnapshot, Data: json.RawMessage(`{"node":` + node + `,"initialOffset":{"left":0,"top":0}}`)}
}

func mutationEvent(body string) Event {
	return Event{Type: IncrementalSnapshot, Data: json.RawMessage(`{"source":0,` + body + `}`)}
}

var selectorDoc = `
{"type":2,"tagName":"button","id":10,"attributes":{"id":"buy"},"childNodes":[{"type":3,"id":11,"textContent":"  Buy\n   now  "}]},
{"type":2,"tagName":"button","id":12,"attributes":{"id":":r1:","class":"btn primary"},"childNodes":[{"type":3,"id":13,"textContent":"Go"}]},
{"type":2,"tagName":"button","id":14,"attributes":{"class":"btn"},"childNodes":[]},
{"type":2,"tagName":"button","id":15,"attributes":{"class":"btn"},"childNodes":[]},
{"type":2,"tagName":"ul","id":20,"attributes":{"id":"menu"},"childNodes":[
  {"type":2,"tagName":"li","id":21,"attributes":{"class":"item"},"childNodes":[{"type":3,"id":22,"textContent":"One"}]},
  {"type":2,"tagName":"li","id":23,"attributes":{"class":"item"},"childNodes":[{"type":3,"id":24,"textContent":"Two"}]}]},
{"type":2,"tagName":"ul","id":25,"attributes":{},"childNodes":[
  {"type":2,"tagName":"li","id":26,"attributes":{"class":"item"},"childNodes":[]},
  {"type":2,"tagName":"li","id":27,"attributes":{"class":"item"},"childNodes":[]}]},
{"type":2,"tagName":"a","id":30,"attributes":{"class":"cta active is-open css-1x2y3z"},"childNodes":[{"type":3,"id":31,"textContent":"****"}]},
{"type":2,"tagName":"div","id":32,"attributes":{"class":"md:flex"},"childNodes":[]},
{"type":2,"tagName":"div","id":33,"attributes":{"id":"ember1234"},"childNodes":[
  {"type":2,"tagName":"script","id":34,"attributes":{},"childNodes":[{"type":3,"id":35,"textContent":"var secret=1"}]},
  {"type":3,"id":36,"textContent":"` + strings.Repeat("word ", 30) + `"}]},
{"type":2,"tagName":"button","id":37,"attributes":{"aria-label":"Close dialog","class":"icon"},"childNodes":[]},
{"type":2,"tagName":"input","id":38,"attributes":{"type":"email","name":"e"},"childNodes":[]},
{"type":2,"tagName":"input","id":39,"attributes":{"type":"checkbox"},"childNodes":[]},
{"type":2,"tagName":"textarea","id":40,"attributes":{},"childNodes":[]},
{"type":2,"tagName":"div","id":41,"attributes":{"contenteditable":"true"},"childNodes":[]}`

func TestMirrorElements(t *testing.T) {
	m := NewMirror()
	m.Apply(snapshotEvent(t, selectorDoc))
	tests := []struct {
		id        int
		selector  string
		tag       string
		text      string
		textEntry bool
	}{
		{10, "#buy", "button", "Buy now", false},
		{11, "#buy", "button", "Buy now", false}, // a text node resolves to its element
		{12, "button.btn.primary", "button", "Go", false},
		{14, "button:nth-of-type(3)", "button", "", false},
		{23, "#menu > li:nth-of-type(2)", "li", "Two", false},
		{27, "ul:nth-of-type(2) > li:nth-of-type(2)", "li", "", false},
		{30, "a.cta", "a", "****", false},
		{32, `div.md\:flex`, "div", "", false},
		{33, "div:nth-of-type(2)", "div", strings.TrimSpace(strings.Repeat("word ", 16)) + "…", false},
		{37, "button.icon", "button", "Close dialog", false},
		{38, "input:nth-of-type(1)", "input", "", true},
		{39, "input:nth-of-type(2)", "input", "", false},
		{40, "textarea", "textarea", "", true},
		{41, "div:nth-of-type(3)", "div", "", true},
	}
	for _, tt := range tests {
		el, ok := m.Element(tt.id)
		if !ok {
			t.Errorf("node %d: not found", tt.id)
			continue
		}
		if el.Selector != tt.selector || el.Tag != tt.tag || el.Text != tt.text || el.TextEntry != tt.textEntry {
			t.Errorf("node %d: got %q %q %q entry=%v, want %q %q %q entry=%v", tt.id,
				el.Selector, el.Tag, el.Text, el.TextEntry, tt.selector, tt.tag, tt.text, tt.textEntry)
		}
	}
	nav := NewMirror()
	nav.Apply(snapshotEvent(t, `
{"type":2,"tagName":"a","id":10,"attributes":{"href":"/x"},"childNodes":[{"type":2,"tagName":"span","id":11,"attributes":{},"childNodes":[]}]},
{"type":2,"tagName":"form","id":12,"attributes":{},"childNodes":[
  {"type":2,"tagName":"button","id":13,"attributes":{},"childNodes":[]},
  {"type":2,"tagName":"button","id":14,"attributes":{"type":"button"},"childNodes":[]},
  {"type":2,"tagName":"input","id":15,"attributes":{"type":"submit"},"childNodes":[]}]},
{"type":2,"tagName":"button","id":16,"attributes":{},"childNodes":[]}`))
	for id, want := range map[int]bool{10: true, 11: true, 13: true, 14: false, 15: true, 16: false} {
		if el, _ := nav.Element(id); el.Navigates != want {
			t.Errorf("node %d: Navigates %v, want %v", id, el.Navigates, want)
		}
	}
	if got := m.Title(); got != "" {
		t.Errorf("title of a page without one: got %q", got)
	}
	titled := NewMirror()
	titled.Apply(Event{Type: FullSnapshot, Data: json.RawMessage(`{"node":{"type":0,"id":1,"childNodes":[{"type":2,"tagName":"html","id":2,"attributes":{},"childNodes":[
	  {"type":2,"tagName":"head","id":3,"attributes":{},"childNodes":[{"type":2,"tagName":"title","id":4,"attributes":{},"childNodes":[{"type":3,"id":5,"textContent":"  Cart —\n Shop "}]}]}]}]}}`)})
	if got := titled.Title(); got != "Cart — Shop" {
		t.Errorf("title: got %q, want %q", got, "Cart — Shop")
	}
	if _, ok := m.Element(999); ok {
		t.Errorf("unknown node 999 resolved")
	}
	if !m.IsPage(1) || !m.IsPage(3) || m.IsPage(10) || m.DocumentID() != 1 {
		t.Errorf("page scroll target: IsPage(1)=%v IsPage(3)=%v IsPage(10)=%v doc=%d", m.IsPage(1), m.IsPage(3), m.IsPage(10), m.DocumentID())
	}
}

func TestMirrorMutations(t *testing.T) {
	m := NewMirror()
	m.Apply(snapshotEvent(t, selectorDoc))
	steps := []struct {
		name     string
		mutation string
		id       int
		selector string // "" means the node must not resolve
		text     string
		degraded map[string]int
	}{
		{"insert before a sibling shifts nth-of-type",
			`"adds":[{"parentId":5,"nextId":14,"node":{"type":2,"tagName":"button","id":50,"attributes":{},"childNodes":[]}}]`,
			15, "button:nth-of-type(5)", "", nil},
		{"next sibling added later in the same batch",
			`"adds":[{"parentId":20,"nextId":52,"node":{"type":2,"tagName":"li","id":51,"attributes":{"class":"item"},"childNodes":[]}},
			         {"parentId":20,"nextId":null,"node":{"type":2,"tagName":"li","id":52,"attributes":{"class":"item"},"childNodes":[]}}]`,
			51, "li:nth-of-type(3)", "", nil},
		{"parent added later in the same batch",
			`"adds":[{"parentId":53,"nextId":null,"node":{"type":3,"id":54,"textContent":"late child"}},
			         {"parentId":5,"nextId":null,"node":{"type":2,"tagName":"section","id":53,"attributes":{"id":"promo"},"childNodes":[]}}]`,
			53, "#promo", "late child", nil},
		{"text change",
			`"texts":[{"id":11,"value":"Pay"}]`, 10, "#buy", "Pay", nil},
		{"attribute change updates the selector",
			`"attributes":[{"id":14,"attributes":{"id":"checkout","style":{"color":"red"}}}]`, 14, "#checkout", "", nil},
		{"attribute removal",
			`"attributes":[{"id":14,"attributes":{"id":null}}]`, 14, "button:nth-of-type(4)", "", nil},
		{"add under a missing parent degrades and still resolves",
			`"adds":[{"parentId":777,"nextId":null,"node":{"type":2,"tagName":"span","id":60,"attributes":{"class":"orphan"},"childNodes":[{"type":3,"id":61,"textContent":"lost"}]}}]`,
			61, "span.orphan", "lost", map[string]int{"add under missing parent": 1}},
		{"add before an unknown sibling appends",
			`"adds":[{"parentId":25,"nextId":888,"node":{"type":2,"tagName":"li","id":62,"attributes":{},"childNodes":[]}}]`,
			62, "ul:nth-of-type(2) > li:nth-of-type(3)", "", map[string]int{"add before unknown sibling": 1}},
		{"removal of an unknown node degrades",
			`"removes":[{"parentId":5,"id":999}]`, 10, "#buy", "Pay", map[string]int{"removal of unknown node": 1}},
		{"removal forgets the subtree",
			`"removes":[{"parentId":5,"id":20}]`, 21, "", "", nil},
		{"changes to unknown nodes degrade",
			`"texts":[{"id":21,"value":"x"}],"attributes":[{"id":21,"attributes":{"class":"y"}}]`, 21, "", "",
			map[string]int{"text change of unknown node": 1, "attribute change of unknown node": 1}},
	}
	for _, s := range steps {
		before := map[string]int{}
		for k, v := range m.Degraded {
			before[k] = v
		}
		m.Apply(mutationEvent(s.mutation))
		el, ok := m.Element(s.id)
		if s.selector == "" {
			if ok {
				t.Errorf("%s: node %d resolved to %q, want gone", s.name, s.id, el.Selector)
			}
		} else if !ok || el.Selector != s.selector || el.Text != s.text {
			t.Errorf("%s: node %d got %q %q ok=%v, want %q %q", s.name, s.id, el.Selector, el.Text, ok, s.selector, s.text)
		}
		for k, v := range m.Degraded {
			if got := v - before[k]; got != s.degraded[k] {
				t.Errorf("%s: degraded %q by %d, want %d", s.name, k, got, s.degraded[k])
			}
		}
	}
}

func TestMirrorShadowAndIframe(t *testing.T) {
	m := NewMirror()
	m.Apply(snapshotEvent(t, `
{"type":2,"tagName":"my-card","id":10,"isShadowHost":true,"attributes":{},"childNodes":[
  {"type":2,"tagName":"button","id":11,"isShadow":true,"attributes":{"class":"inner"},"childNodes":[{"type":3,"id":12,"textContent":"Shadow"}]},
  {"type":2,"tagName":"button","id":13,"attributes":{"class":"inner"},"childNodes":[{"type":3,"id":14,"textContent":"Light"}]}]},
{"type":2,"tagName":"button","id":15,"attributes":{"class":"inner"},"childNodes":[]},
{"type":2,"tagName":"iframe","id":20,"attributes":{},"childNodes":[]}`))
	m.Apply(mutationEvent(`"isAttachIframe":true,"adds":[{"parentId":20,"nextId":null,"node":{"type":0,"id":30,"childNodes":[
  {"type":2,"tagName":"html","id":31,"rootId":30,"attributes":{},"childNodes":[
    {"type":2,"tagName":"body","id":32,"rootId":30,"attributes":{},"childNodes":[
      {"type":2,"tagName":"button","id":33,"rootId":30,"attributes":{"class":"inner"},"childNodes":[{"type":3,"id":34,"rootId":30,"textContent":"Framed"}]}]}]}]}}]`))
	tests := []struct {
		id       int
		selector string
		text     string
	}{
		{11, "button.inner", "Shadow"}, // unique inside its shadow root
		{13, "my-card > button.inner", "Light"},
		{15, "body > button.inner", ""},
		{33, "button.inner", "Framed"}, // unique inside the iframe's document
	}
	for _, tt := range tests {
		el, ok := m.Element(tt.id)
		if !ok || el.Selector != tt.selector || el.Text != tt.text {
			t.Errorf("node %d: got %q %q ok=%v, want %q %q", tt.id, el.Selector, el.Text, ok, tt.selector, tt.text)
		}
	}
	if m.IsPage(30) || !m.IsPage(1) {
		t.Errorf("the iframe's document is not the page: IsPage(30)=%v IsPage(1)=%v", m.IsPage(30), m.IsPage(1))
	}
	if len(m.Degraded) != 0 {
		t.Errorf("degraded: %v, want nothing", m.Degraded)
	}
}

// Every node an interaction names in rrweb's own recordings resolves at
// the moment of the interaction.
func TestMirrorCorpusResolves(t *testing.T) {
	resolved := 0
	for _, path := range corpusFiles(t) {
		m := NewMirror()
		for i, e := range decodeFile(t, path) {
			m.Apply(e)
			if e.Type != IncrementalSnapshot {
				continue
			}
			inc, err := e.DecodeIncremental()
			if err != nil {
				t.Fatalf("%s event %d: %v", filepath.Base(path), i, err)
			}
			switch inc.Source {
			case SourceMouseInteraction, SourceInput, SourceScroll:
				if inc.Source == SourceScroll && m.IsPage(inc.ID) {
					resolved++
					continue
				}
				el, ok := m.Element(inc.ID)
				if !ok || el.Selector == "" || el.Tag == "" {
					t.Errorf("%s event %d (%s on %d): got %+v ok=%v, want an element", filepath.Base(path), i, inc.Source, inc.ID, el, ok)
					continue
				}
				resolved++
			}
		}
		for k, n := range m.Degraded {
			t.Logf("%s: degraded %s ×%d", filepath.Base(path), k, n)
		}
	}
	if resolved < 40 {
		t.Errorf("resolved %d interactions across the corpus, want at least 40", resolved)
	}
}

// ExampleMirror shows the mirror resolving a click to its element.
func ExampleMirror() {
	m := NewMirror()
	m.Apply(Event{Type: FullSnapshot, Data: json.RawMessage(`{"node":{"type":0,"id":1,"childNodes":[
	  {"type":2,"tagName":"html","id":2,"attributes":{},"childNodes":[
	    {"type":2,"tagName":"body","id":3,"attributes":{},"childNodes":[
	      {"type":2,"tagName":"a","id":4,"attributes":{"class":"nav-link"},"childNodes":[{"type":3,"id":5,"textContent":" Pricing "}]}]}]}]}}`)})
	el, _ := m.Element(4)
	fmt.Println(el.Selector, el.Tag, el.Text)
	// Output: a.nav-link a Pricing
}

// A hostile stream nests elements a hundred thousand levels deep through
// mutations (JSON's own nesting limit stops it in a snapshot). Resolving
// the deepest node stays bounded and gives a short selector.
func TestMirrorDeepNesting(t *testing.T) {
	m := NewMirror()
	m.Apply(snapshotEvent(t, ``))
	const depth = 100_000
	adds := make([]AddedNode, depth)
	for i := range adds {
		// Listed deepest first: every add waits for the one after it.
		adds[depth-1-i] = AddedNode{ParentID: 5 + i, Node: &Node{Type: ElementNode, ID: 6 + i, TagName: "div"}}
	}
	m.ApplyMutation(Incremental{Source: SourceMutation, Adds: adds})
	el, ok := m.Element(5 + depth)
	if !ok || el.Tag != "div" {
		t.Fatalf("deepest node: got %+v ok=%v", el, ok)
	}
	if n := strings.Count(el.Selector, ">"); n > maxPathDepth {
		t.Errorf("selector has %d levels, want at most %d", n, maxPathDepth)
	}
	if len(m.Degraded) != 0 {
		t.Errorf("degraded: %v", m.Degraded)
	}
}
