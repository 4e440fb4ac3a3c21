package rrweb

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	fastjson "github.com/segmentio/encoding/json"
)

// ErrNotEvents is returned by Decode when the input is JSON but not a
// recording: neither an array of events, an object with an "events" array,
// nor newline-delimited events.
var ErrNotEvents = errors.New("not an rrweb recording")

// Decode reads a recording in any of the shapes rrweb exports take: a JSON
// array of events, an object with an "events" array (other keys ignored), or
// newline-delimited JSON with one event per line. Odd timestamps and unknown
// event types are accepted (see Event.UnmarshalJSON); malformed JSON is an
// error that names the position of the event at fault.
func Decode(r io.Reader) ([]Event, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := firstByte(br)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("decode recording: empty input: %w", ErrNotEvents)
		}
		return nil, fmt.Errorf("decode recording: %w", err)
	}
	dec := json.NewDecoder(br)
	switch first {
	case '[':
		return decodeArray(dec, "")
	case '{':
		return decodeObjectOrLines(dec)
	}
	return nil, fmt.Errorf("decode recording: starts with %q: %w", first, ErrNotEvents)
}

// firstByte peeks past whitespace and a UTF-8 byte order mark.
func firstByte(br *bufio.Reader) (byte, error) {
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return b, br.UnreadByte()
	}
}

// decodeArray reads a JSON array of events, one element at a time so large
// recordings are not held twice in memory.
func decodeArray(dec *json.Decoder, where string) ([]Event, error) {
	if _, err := dec.Token(); err != nil { // '['
		return nil, fmt.Errorf("decode recording%s: %w", where, err)
	}
	var events []Event
	for i := 0; dec.More(); i++ {
		var e Event
		if err := dec.Decode(&e); err != nil {
			return events, fmt.Errorf("decode recording%s: event %d: %w", where, i, err)
		}
		events = append(events, e)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return events, fmt.Errorf("decode recording%s: %w", where, err)
	}
	return events, nil
}

// decodeObjectOrLines tells an {"events": [...]} export from NDJSON by the
// first object: an event has a "type"; an export wrapper has "events".
func decodeObjectOrLines(dec *json.Decoder) ([]Event, error) {
	var first json.RawMessage
	if err := dec.Decode(&first); err != nil {
		return nil, fmt.Errorf("decode recording: %w", err)
	}
	var probe struct {
		Type   json.RawMessage `json:"type"`
		Events json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(first, &probe); err != nil {
		return nil, fmt.Errorf("decode recording: %w", err)
	}
	if probe.Type == nil {
		if probe.Events == nil {
			return nil, fmt.Errorf("decode recording: object has neither \"type\" nor \"events\": %w", ErrNotEvents)
		}
		events, err := decodeArray(json.NewDecoder(bytes.NewReader(probe.Events)), " (events)")
		if err != nil {
			return events, err
		}
		if dec.More() {
			return events, fmt.Errorf("decode recording: data after the export object: %w", ErrNotEvents)
		}
		return events, nil
	}
	var e Event
	if err := json.Unmarshal(first, &e); err != nil {
		return nil, fmt.Errorf("decode recording: line 1: %w", err)
	}
	events := []Event{e}
	for i := 2; ; i++ {
		var e Event
		err := dec.Decode(&e)
		if errors.Is(err, io.EOF) {
			return events, nil
		}
		if err != nil {
			return events, fmt.Errorf("decode recording: line %d: %w", i, err)
		}
		events = append(events, e)
	}
}

// wireEvent is the envelope as it arrives, before its fields are checked.
type wireEvent struct {
	Type      json.RawMessage `json:"type"`
	Data      json.RawMessage `json:"data"`
	Timestamp json.RawMessage `json:"timestamp"`
	Delay     *float64        `json:"delay"`
}

// UnmarshalJSON decodes an event tolerantly: the type may be any integer
// (unknown ones are kept for the census and the replay), the timestamp may
// be an integer, a float, a numeric string or an RFC 3339 time, and a
// missing timestamp reads as 0. Only a missing or non-numeric type is an
// error, because without it the event cannot be read at all.
//
// Every event of every import and replay load passes here, so the
// envelope is read by the one-pass decoder (see Event.decode).
func (e *Event) UnmarshalJSON(b []byte) error {
	var w wireEvent
	if err := fastjson.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("event: %w", err)
	}
	t, err := parseType(w.Type)
	if err != nil {
		return err
	}
	ts, err := ParseTimestamp(w.Timestamp)
	if err != nil {
		return err
	}
	*e = Event{Type: t, Data: w.Data, Timestamp: ts, Delay: w.Delay}
	return nil
}

// ErrBadEvent marks an event envelope that cannot be read.
var ErrBadEvent = errors.New("bad rrweb event")

func parseType(raw json.RawMessage) (EventType, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, fmt.Errorf("event has no type: %w", ErrBadEvent)
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
		return 0, fmt.Errorf("event type %s is not an integer: %w", truncate(string(raw), 40), ErrBadEvent)
	}
	return EventType(f), nil
}

// ParseTimestamp reads an rrweb timestamp in milliseconds since the epoch.
// Recorders have written integers, floats (performance.now()-based clocks),
// exponent forms and, in a few old exports, strings; floats are rounded to
// the nearest millisecond. null or absent reads as 0.
func ParseTimestamp(raw json.RawMessage) (int64, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return 0, nil
	}
	if s[0] == '"' {
		var str string
		if err := json.Unmarshal(raw, &str); err != nil {
			return 0, fmt.Errorf("timestamp %s: %w", truncate(s, 40), ErrBadEvent)
		}
		str = strings.TrimSpace(str)
		if t, err := time.Parse(time.RFC3339Nano, str); err == nil {
			return t.UnixMilli(), nil
		}
		s = str
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 9e15 {
		return 0, fmt.Errorf("timestamp %s is not a number: %w", truncate(s, 40), ErrBadEvent)
	}
	return int64(math.Round(f)), nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
