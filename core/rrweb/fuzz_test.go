package rrweb

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// fuzzSeeds are the corpus recordings, the hostile fixture and a few
// hand-made odd shapes.
func fuzzSeeds(f *testing.F) {
	f.Helper()
	for _, path := range corpusFiles(f) {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	if b, err := os.ReadFile(filepath.Join("testdata", "hostile.json")); err == nil {
		f.Add(b)
	}
	for _, s := range []string{
		`[]`, `{"events":[]}`, "{\"type\":4,\"timestamp\":1.5}\n{\"type\":99}",
		`[{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":1,"tagName":"a","childNodes":[{"type":2,"id":1}]}]}}}]`,
		`[{"type":3,"data":{"source":0,"adds":[{"parentId":2,"nextId":3,"node":{"type":2,"id":3}},{"parentId":3,"nextId":2,"node":{"type":2,"id":2}}]}}]`,
		`[{"type":3,"data":{"source":0,"removes":[{"parentId":1,"id":1}],"texts":[{"id":1,"value":null}]}}]`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzMirror decodes arbitrary bytes as a recording, applies it to a
// mirror, resolves every id it names and sanitizes it. Nothing may panic,
// and a sanitized stream must decode again with the same length.
func FuzzMirror(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		events, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		m := NewMirror()
		for _, e := range events {
			m.Apply(e)
			if inc, err := e.DecodeIncremental(); err == nil {
				m.Element(inc.ID)
				m.IsPage(inc.ID)
				for _, a := range inc.Adds {
					if a.Node != nil {
						m.Element(a.Node.ID)
					}
				}
			}
		}
		for id := range m.nodes {
			m.Element(id)
		}
		clean := Sanitize(events)
		if len(clean) != len(events) {
			t.Fatalf("sanitize changed the event count: %d → %d", len(events), len(clean))
		}
		for i, e := range clean {
			if e.Data != nil && !json.Valid(e.Data) {
				t.Fatalf("sanitized event %d is not valid JSON", i)
			}
		}
		Count(events)
	})
}

// FuzzDecode checks that Decode never panics and that what it accepts
// survives an NDJSON round trip.
func FuzzDecode(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		events, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		for _, e := range events {
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatalf("accepted event does not encode: %v", err)
			}
			buf.Write(b)
			buf.WriteByte('\n')
		}
		again, err := Decode(&buf)
		if len(events) > 0 && (err != nil || len(again) != len(events)) {
			t.Fatalf("round trip: %d events, then %d (%v)", len(events), len(again), err)
		}
		for i := range again {
			if again[i].Type != events[i].Type || again[i].Timestamp != events[i].Timestamp {
				t.Fatalf("event %d changed in a round trip", i)
			}
		}
	})
}

// FuzzSourceOf checks the fast source scan against a full decode.
func FuzzSourceOf(f *testing.F) {
	for _, s := range []string{`{"source":2,"id":1}`, `{"id":1,"source":3}`, `{"a":{"source":1},"source":0}`,
		`{"source":1,"source":2}`, `{"source":1,"Source":2}`, "{\"\u017fource\":3,\"source\":1}", `{"s":"\"source\":4","source":5}`, `{"source":"1"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var probe struct {
			Source *IncrementalSource `json:"source"`
		}
		if json.Unmarshal(b, &probe) != nil {
			return
		}
		if src, ok := leadingSource(b); ok && (probe.Source == nil || *probe.Source != src) {
			t.Fatalf("fast scan found source %d, decode says %v", src, probe.Source)
		}
	})
}

// FuzzEventEnvelope checks the one-pass envelope decoder against
// encoding/json: the same events accepted, with the same fields.
func FuzzEventEnvelope(f *testing.F) {
	for _, s := range []string{`{"type":3,"data":{"source":1},"timestamp":1}`, `{"type":"4","timestamp":"2024-01-01T00:00:00Z"}`,
		`{"type":2.0,"data":null,"timestamp":1.5e3,"delay":3}`, `{"TYPE":1,"Data":[1,2]}`, `{"type":1,"type":2}`, `[1]`, `{"type":1,"data":"\xff"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var got Event
		gotErr := got.UnmarshalJSON(b)
		var w wireEvent
		wantErr := json.Unmarshal(b, &w)
		var want Event
		if wantErr == nil {
			want.Type, wantErr = parseType(w.Type)
		}
		if wantErr == nil {
			want.Timestamp, wantErr = ParseTimestamp(w.Timestamp)
			want.Data, want.Delay = w.Data, w.Delay
		}
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("one pass: %v; encoding/json: %v", gotErr, wantErr)
		}
		if gotErr == nil && (got.Type != want.Type || got.Timestamp != want.Timestamp || !bytes.Equal(got.Data, want.Data) ||
			(got.Delay == nil) != (want.Delay == nil) || (got.Delay != nil && *got.Delay != *want.Delay)) {
			t.Fatalf("one pass: %+v; encoding/json: %+v", got, want)
		}
	})
}
