package rrweb

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Known reports whether s is a source this version understands.
func (s IncrementalSource) Known() bool { return s >= SourceMutation && s <= SourceCustomElement }

// String names the source as rrweb does.
func (s IncrementalSource) String() string {
	names := [...]string{"Mutation", "MouseMove", "MouseInteraction", "Scroll", "ViewportResize",
		"Input", "TouchMove", "MediaInteraction", "StyleSheetRule", "CanvasMutation", "Font", "Log",
		"Drag", "StyleDeclaration", "Selection", "AdoptedStyleSheet", "CustomElement"}
	if s.Known() {
		return names[s]
	}
	return fmt.Sprintf("IncrementalSource(%d)", int(s))
}

// Known reports whether m is an interaction this version understands.
func (m MouseInteraction) Known() bool { return m >= MouseUp && m <= TouchCancel }

// String names the interaction as rrweb does.
func (m MouseInteraction) String() string {
	names := [...]string{"MouseUp", "MouseDown", "Click", "ContextMenu", "DblClick", "Focus",
		"Blur", "TouchStart", "TouchMove_Departed", "TouchEnd", "TouchCancel"}
	if m.Known() {
		return names[m]
	}
	return fmt.Sprintf("MouseInteraction(%d)", int(m))
}

// Census counts a recording's events by type and its incremental events by
// source, unknown ones included, so an import can say what it holds and
// what it could not interpret.
type Census struct {
	Types   map[EventType]int
	Sources map[IncrementalSource]int
	// Unknown counts events this version cannot interpret, by a readable
	// kind ("event type 42", "incremental source 99", "unreadable payload").
	Unknown map[string]int
}

// Count takes the census of events.
func Count(events []Event) Census {
	c := Census{Types: map[EventType]int{}, Sources: map[IncrementalSource]int{}, Unknown: map[string]int{}}
	for _, e := range events {
		c.Types[e.Type]++
		if !e.Type.Known() {
			c.Unknown[fmt.Sprintf("event type %d", int(e.Type))]++
			continue
		}
		if e.Type != IncrementalSnapshot {
			continue
		}
		src, ok := SourceOf(e)
		if !ok {
			c.Unknown["unreadable incremental payload"]++
			continue
		}
		c.Sources[src]++
		if !src.Known() {
			c.Unknown[fmt.Sprintf("incremental source %d", int(src))]++
		}
	}
	return c
}

// SourceOf reads only the source of an IncrementalSnapshot event. rrweb
// writes "source" first, so the common case is read off the first bytes;
// anything else takes a full JSON pass.
func SourceOf(e Event) (IncrementalSource, bool) {
	if e.Type != IncrementalSnapshot {
		return 0, false
	}
	if src, ok := leadingSource(e.Data); ok {
		return src, true
	}
	var probe struct {
		Source *IncrementalSource `json:"source"`
	}
	if err := json.Unmarshal(e.Data, &probe); err != nil || probe.Source == nil {
		return 0, false
	}
	return *probe.Source, true
}

// leadingSource finds the top-level "source" key without decoding the
// payload: rrweb writes it first, other writers (Go maps) sort it later,
// and skipping values is far cheaper than a reflective decode.
func leadingSource(b []byte) (IncrementalSource, bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return 0, false
	}
	i++
	var src IncrementalSource
	found := false
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != '"' {
			return 0, false
		}
		end := stringEnd(b, i)
		key := b[i:end]
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return 0, false
		}
		i = skipSpace(b, i+1)
		vEnd := valueEnd(b, i)
		if string(key) != `"source"` && (bytes.EqualFold(key, []byte(`"source"`)) || !foldSafe(key)) {
			// encoding/json matches keys case-insensitively, with Unicode
			// folding (ſ for s); leave such payloads to it.
			return 0, false
		}
		if string(key) == `"source"` {
			// The last one wins, as in encoding/json.
			if src, found = parseSmallInt(b[i:vEnd]); !found {
				return 0, false
			}
		}
		i = skipSpace(b, vEnd)
		switch {
		case i < len(b) && b[i] == ',':
			i++
		case i < len(b) && b[i] == '}':
			return src, found
		default:
			return 0, false
		}
	}
}

func parseSmallInt(v []byte) (IncrementalSource, bool) {
	if len(v) == 0 || len(v) > 6 {
		return 0, false
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return IncrementalSource(n), true
}

// foldSafe reports whether a key cannot fold to "source" other than by
// ASCII case: it is long or all ASCII. Only a short
// non-ASCII key could fold to "source".
func foldSafe(key []byte) bool {
	if len(key) > 24 {
		return true
	}
	for _, c := range key {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
