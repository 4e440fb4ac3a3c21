package archive

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"
)

// FuzzReader feeds arbitrary bytes to the reader. It must never panic,
// every failure must be one of the archive errors, and whatever it accepts
// must survive a rewrite: writing the same header and events again gives an
// archive that reads back to the same events.
func FuzzReader(f *testing.F) {
	valid, _ := writeArchive(f, testHeader(), loadFixture(f, "rrweb-test-utils.sampleEvents.json"))
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add(gzipLines(f, headerLine, eventLine, trailerFor(1, headerLine, eventLine)))
	f.Add(gzipLines(f, headerLine, eventLine))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			checkArchiveError(t, err)
			return
		}
		var events []json.RawMessage
		for {
			ev, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				checkArchiveError(t, err)
				return
			}
			events = append(events, ev)
		}
		again, _ := writeArchive(t, r.Header(), events)
		r2, err := NewReader(bytes.NewReader(again))
		if err != nil {
			t.Fatalf("rewrite of an accepted archive does not read: %v", err)
		}
		for i := 0; ; i++ {
			ev, err := r2.Next()
			if err == io.EOF {
				if i != len(events) {
					t.Fatalf("rewrite has %d events, want %d", i, len(events))
				}
				return
			}
			if err != nil {
				t.Fatalf("rewrite event %d: %v", i, err)
			}
			if want := compact(t, events[i]); string(ev) != want {
				t.Fatalf("rewrite event %d = %s, want %s", i, ev, want)
			}
		}
	})
}

func checkArchiveError(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrUnsupportedVersion) {
		t.Fatalf("error %v matches none of ErrCorrupt, ErrTruncated, ErrUnsupportedVersion", err)
	}
}
