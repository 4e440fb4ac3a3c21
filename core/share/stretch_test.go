package share

import (
	"errors"
	"testing"

	"github.com/loupe-dev/loupe/core/rrweb"
)

func TestParseOffset(t *testing.T) {
	for in, want := range map[string]int64{"90": 90000, "0:30": 30000, "1:45": 105000, "1:02:03": 3723000, "0:30.5": 30500} {
		if got, err := ParseOffset(in); err != nil || got != want {
			t.Errorf("ParseOffset(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "x", "1:75", "-3", "1:2:3:4", "1.5:00"} {
		if _, err := ParseOffset(bad); !errors.Is(err, ErrBadStretch) {
			t.Errorf("ParseOffset(%q) = %v; want ErrBadStretch", bad, err)
		}
	}
}

// A stretch keeps the last full snapshot before it (with its Meta) and
// the incremental events up to its end; nothing earlier, nothing later.
func TestCutKeepsOnlyWhatTheStretchNeeds(t *testing.T) {
	ev := func(typ rrweb.EventType, at int64) rrweb.Event {
		return rrweb.Event{Type: typ, Timestamp: 1_000_000 + at, Data: []byte(`{}`)}
	}
	events := []rrweb.Event{ev(rrweb.Meta, 0), ev(rrweb.FullSnapshot, 10), ev(rrweb.IncrementalSnapshot, 1000),
		ev(rrweb.Meta, 4990), ev(rrweb.FullSnapshot, 5000), ev(rrweb.IncrementalSnapshot, 6000),
		ev(rrweb.IncrementalSnapshot, 7000), ev(rrweb.IncrementalSnapshot, 9000)}
	kept, start, err := Cut(events, 6500, 8000)
	if err != nil {
		t.Fatal(err)
	}
	if start != 4990 || len(kept) != 4 || kept[0].Timestamp != 1_004_990 || kept[3].Timestamp != 1_007_000 {
		t.Fatalf("kept %d events from %d ms (%v); want 4 from 4990 ms", len(kept), start, kept)
	}
	if head, start, err := Cut(events, 0, 500); err != nil || start != 0 || len(head) != 2 {
		t.Errorf("a stretch from the start kept %d events from %d ms, %v; want Meta and snapshot from 0", len(head), start, err)
	}
	if all, start, _ := Cut(events, 0, 0); len(all) != len(events) || start != 0 {
		t.Errorf("no stretch kept %d of %d events", len(all), len(events))
	}
	if _, _, err := Cut(events, 8000, 7000); !errors.Is(err, ErrBadStretch) {
		t.Errorf("a stretch ending before it starts: %v", err)
	}
}
