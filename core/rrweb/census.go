package rrweb

import (
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

// SourceOf reads only the source of an IncrementalSnapshot event.
func SourceOf(e Event) (IncrementalSource, bool) {
	if e.Type != IncrementalSnapshot {
		return 0, false
	}
	var probe struct {
		Source *IncrementalSource `json:"source"`
	}
	if err := json.Unmarshal(e.Data, &probe); err != nil || probe.Source == nil {
		return 0, false
	}
	return *probe.Source, true
}
