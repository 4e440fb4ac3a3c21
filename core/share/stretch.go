package share

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/loupe-dev/loupe/core/rrweb"
)

// ErrBadStretch is returned for a stretch that is malformed or empty.
var ErrBadStretch = errors.New("bad stretch")

// ParseOffset reads a time into a session: "90" (seconds), "1:30",
// "1:02:03", with optional fractional seconds ("0:30.5").
func ParseOffset(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty time: %w", ErrBadStretch)
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, fmt.Errorf("time %q: use s, m:ss or h:mm:ss: %w", s, ErrBadStretch)
	}
	var ms float64
	for i, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || v < 0 || (i < len(parts)-1 && v != float64(int64(v))) {
			return 0, fmt.Errorf("time %q: use s, m:ss or h:mm:ss: %w", s, ErrBadStretch)
		}
		if i > 0 && v >= 60 {
			return 0, fmt.Errorf("time %q: minutes and seconds run to 59: %w", s, ErrBadStretch)
		}
		ms = ms*60 + v
	}
	return int64(ms * 1000), nil
}

// Cut keeps the events a stretch [fromMS, toMS] of a session needs, with
// offsets counted from the session's first event (toMS 0 means the end).
//
// Nothing after toMS is kept. Before fromMS only what draws the stretch's
// first frame is kept: the last full snapshot at or before fromMS (or the
// first one, when the stretch starts before the page was drawn), the
// Meta event just before it (the page size), and the incremental events
// between that snapshot and fromMS, which the player applies at once
// before it starts at fromMS. Events are returned with startMS, the offset
// of the first kept event, so a player can shift the session's timeline.
func Cut(events []rrweb.Event, fromMS, toMS int64) (kept []rrweb.Event, startMS int64, err error) {
	if len(events) == 0 {
		return nil, 0, fmt.Errorf("the session has no events: %w", ErrBadStretch)
	}
	if toMS != 0 && toMS <= fromMS {
		return nil, 0, fmt.Errorf("the stretch ends (%d ms) before it starts (%d ms): %w", toMS, fromMS, ErrBadStretch)
	}
	base := events[0].Timestamp
	if fromMS == 0 && toMS == 0 {
		return events, 0, nil
	}
	first := -1
	for i, e := range events {
		if e.Timestamp-base > fromMS {
			break
		}
		if e.Type == rrweb.FullSnapshot {
			first = i
		}
	}
	if first < 0 {
		// The stretch starts before the page was first drawn: from there.
		for i, e := range events {
			if e.Type == rrweb.FullSnapshot {
				first = i
				break
			}
		}
	}
	if first < 0 {
		return nil, 0, fmt.Errorf("the session holds no full snapshot: %w", ErrBadStretch)
	}
	// The Meta event that precedes a full snapshot gives the page's size.
	if first > 0 && events[first-1].Type == rrweb.Meta {
		first--
	}
	for _, e := range events[first:] {
		if toMS != 0 && e.Timestamp-base > toMS {
			break
		}
		kept = append(kept, e)
	}
	if len(kept) < 2 {
		return nil, 0, fmt.Errorf("the stretch holds fewer than two events: %w", ErrBadStretch)
	}
	return kept, kept[0].Timestamp - base, nil
}
