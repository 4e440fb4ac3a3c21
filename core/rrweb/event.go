// Package rrweb mirrors rrweb's wire format: the typed event envelope, its
// positional enums, and decoders for the payloads Loupe derives facts from.
//
// rrweb recordings are untrusted input. Everything here tolerates unknown
// event types and sources (they are kept and passed through, never fatal),
// fractional coordinates and odd timestamps.
package rrweb

import (
	"encoding/json"
	"fmt"
)

// EventType is rrweb's top-level event kind. The values are positional in
// rrweb's TypeScript enum, so they are fixed here and locked by tests.
type EventType int

// rrweb EventType values (rrweb/packages/types EventType).
const (
	DomContentLoaded    EventType = 0
	Load                EventType = 1
	FullSnapshot        EventType = 2
	IncrementalSnapshot EventType = 3
	Meta                EventType = 4
	Custom              EventType = 5
	Plugin              EventType = 6
	Asset               EventType = 7
	Annotation          EventType = 8
)

// Known reports whether t is an event type this version understands.
func (t EventType) Known() bool { return t >= DomContentLoaded && t <= Annotation }

// String names the event type as rrweb does.
func (t EventType) String() string {
	switch t {
	case DomContentLoaded:
		return "DomContentLoaded"
	case Load:
		return "Load"
	case FullSnapshot:
		return "FullSnapshot"
	case IncrementalSnapshot:
		return "IncrementalSnapshot"
	case Meta:
		return "Meta"
	case Custom:
		return "Custom"
	case Plugin:
		return "Plugin"
	case Asset:
		return "Asset"
	case Annotation:
		return "Annotation"
	}
	return fmt.Sprintf("EventType(%d)", int(t))
}

// IncrementalSource says what an IncrementalSnapshot event carries.
type IncrementalSource int

// rrweb IncrementalSource values.
const (
	SourceMutation          IncrementalSource = 0
	SourceMouseMove         IncrementalSource = 1
	SourceMouseInteraction  IncrementalSource = 2
	SourceScroll            IncrementalSource = 3
	SourceViewportResize    IncrementalSource = 4
	SourceInput             IncrementalSource = 5
	SourceTouchMove         IncrementalSource = 6
	SourceMediaInteraction  IncrementalSource = 7
	SourceStyleSheetRule    IncrementalSource = 8
	SourceCanvasMutation    IncrementalSource = 9
	SourceFont              IncrementalSource = 10
	SourceLog               IncrementalSource = 11
	SourceDrag              IncrementalSource = 12
	SourceStyleDeclaration  IncrementalSource = 13
	SourceSelection         IncrementalSource = 14
	SourceAdoptedStyleSheet IncrementalSource = 15
	SourceCustomElement     IncrementalSource = 16
)

// MouseInteraction is the kind of a MouseInteraction incremental event.
type MouseInteraction int

// rrweb MouseInteractions values.
const (
	MouseUp           MouseInteraction = 0
	MouseDown         MouseInteraction = 1
	Click             MouseInteraction = 2
	ContextMenu       MouseInteraction = 3
	DblClick          MouseInteraction = 4
	Focus             MouseInteraction = 5
	Blur              MouseInteraction = 6
	TouchStart        MouseInteraction = 7
	TouchMoveDeparted MouseInteraction = 8
	TouchEnd          MouseInteraction = 9
	TouchCancel       MouseInteraction = 10
)

// Event is one rrweb event. Data stays raw so unknown shapes pass through
// untouched into the replay; typed views decode it on demand.
type Event struct {
	Type      EventType       `json:"type"`
	Data      json.RawMessage `json:"data"`
	Timestamp int64           `json:"timestamp"`
	// Delay is set by some rrweb versions; kept so replays stay faithful.
	Delay *float64 `json:"delay,omitempty"`
}
