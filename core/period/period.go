// Package period reads the period an analysis covers, as every command
// and view writes it: a date (a whole UTC day) or an RFC 3339 time for
// each end, either end open.
package period

import (
	"errors"
	"fmt"
	"time"
)

// ErrInvalid is returned for an end that is neither a date nor a time, and
// for a period that ends before it starts.
var ErrInvalid = errors.New("invalid period")

// Parse reads from and to as [From, To). A bare date is a whole UTC day,
// so a to date includes its day; an RFC 3339 time is exact. "" leaves that
// end open (the zero time).
func Parse(from, to string) (time.Time, time.Time, error) {
	f, _, err := parseEnd("from", from)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	t, isDay, err := parseEnd("to", to)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if isDay {
		t = t.AddDate(0, 0, 1)
	}
	if !f.IsZero() && !t.IsZero() && !t.After(f) {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: it ends (%s) before it starts (%s)", ErrInvalid, to, from)
	}
	return f, t, nil
}

// parseEnd reads one end: a date (isDay) or an RFC 3339 time.
func parseEnd(name, s string) (t time.Time, isDay bool, err error) {
	if s == "" {
		return time.Time{}, false, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, false, nil
	}
	return time.Time{}, false, fmt.Errorf("%w: %s %q is neither a date like 2026-11-01 nor an RFC 3339 time like 2026-11-01T09:00:00Z", ErrInvalid, name, s)
}
