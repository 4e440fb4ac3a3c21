package rrweb

import (
	"encoding/json"
	"fmt"

	fastjson "github.com/segmentio/encoding/json"
)

// ErrWrongType is returned by a typed payload decoder called on an event of
// another type.
var ErrWrongType = fmt.Errorf("event is of another type: %w", ErrBadEvent)

// MetaData is the payload of a Meta event: the page and its viewport, sent
// at every page load and SPA navigation.
type MetaData struct {
	Href   string  `json:"href"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// Offset is a scroll position in CSS pixels.
type Offset struct {
	Left float64 `json:"left"`
	Top  float64 `json:"top"`
}

// FullSnapshotData is the payload of a FullSnapshot event: the serialized
// document and the page's scroll position when it was taken.
type FullSnapshotData struct {
	Node          *Node  `json:"node"`
	InitialOffset Offset `json:"initialOffset"`
}

// CustomData is the payload of a Custom event (record.addCustomEvent, and
// Loupe's own facts: see loupe.go).
type CustomData struct {
	Tag     string          `json:"tag"`
	Payload json.RawMessage `json:"payload"`
}

// PluginData is the payload of a Plugin event (rrweb/console@1,
// rrweb/network@1 ...).
type PluginData struct {
	Plugin  string          `json:"plugin"`
	Payload json.RawMessage `json:"payload"`
}

// DecodeMeta decodes a Meta event's payload.
func (e Event) DecodeMeta() (MetaData, error) {
	var d MetaData
	return d, e.decode(Meta, &d)
}

// DecodeFullSnapshot decodes a FullSnapshot event's payload.
func (e Event) DecodeFullSnapshot() (FullSnapshotData, error) {
	var d FullSnapshotData
	if err := e.decode(FullSnapshot, &d); err != nil {
		return d, err
	}
	if d.Node == nil {
		return d, fmt.Errorf("full snapshot without a node: %w", ErrBadEvent)
	}
	return d, nil
}

// DecodeCustom decodes a Custom event's payload.
func (e Event) DecodeCustom() (CustomData, error) {
	var d CustomData
	return d, e.decode(Custom, &d)
}

// DecodePlugin decodes a Plugin event's payload.
func (e Event) DecodePlugin() (PluginData, error) {
	var d PluginData
	return d, e.decode(Plugin, &d)
}

// DecodeIncremental decodes an IncrementalSnapshot event's payload; its
// Source says which of the fields are filled.
func (e Event) DecodeIncremental() (Incremental, error) {
	var d Incremental
	return d, e.decode(IncrementalSnapshot, &d)
}

func (e Event) decode(want EventType, v any) error {
	if e.Type != want {
		return fmt.Errorf("decode %s payload of a %s event: %w", want, e.Type, ErrWrongType)
	}
	if len(e.Data) == 0 {
		return fmt.Errorf("%s event without data: %w", want, ErrBadEvent)
	}
	// Payloads are decoded once per event on every import and replay
	// load, and a full snapshot is most of a session's bytes: a decoder
	// that reads a document in one pass (encoding/json validates it
	// first, then decodes it) cut decoding time by more than half.
	if err := fastjson.Unmarshal(e.Data, v); err != nil {
		return fmt.Errorf("%s payload: %w: %w", want, ErrBadEvent, err)
	}
	return nil
}
