package derive

import (
	"slices"
	"time"

	"github.com/loupe-dev/loupe/core/rrweb"
)

// clock turns recorded timestamps into monotone offsets from the session's
// start. Recordings carry odd clocks: relative timestamps starting at 0,
// epochs in 1970, a typo that jumps months ahead, small backward steps
// between events written in the same millisecond. Offsets never go
// backwards, and a timestamp implausibly far from the rest (more than the
// session maximum from the median) is treated as "no time passed".
type clock struct {
	start    int64 // ms, the earliest plausible timestamp
	lo, hi   int64 // plausible range
	now      int64 // current offset, ms
	outliers int
}

// newClock finds the plausible range and the start from a session's
// timestamps in file order.
func newClock(stamps []int64, max time.Duration) clock {
	if len(stamps) == 0 {
		return clock{}
	}
	ts := slices.Clone(stamps)
	slices.Sort(ts)
	median := ts[len(ts)/2]
	span := max.Milliseconds()
	if span <= 0 {
		span = (24 * time.Hour).Milliseconds()
	}
	c := clock{lo: median - span, hi: median + span}
	c.start = c.hi
	for _, t := range ts {
		if t >= c.lo {
			c.start = t
			break
		}
	}
	// The session starts at the first event in file order that is
	// plausible: events are written in order, and a late event with an
	// earlier timestamp is clock skew, not an earlier start.
	for _, t := range stamps {
		if t >= c.lo && t <= c.hi {
			c.start = t
			break
		}
	}
	return c
}

// tick advances the clock to e's timestamp and returns the event's offset.
func (c *clock) tick(e rrweb.Event) int64 {
	t := e.Timestamp
	if t < c.lo || t > c.hi {
		c.outliers++
		return c.now
	}
	if off := t - c.start; off > c.now {
		c.now = off
	}
	return c.now
}
