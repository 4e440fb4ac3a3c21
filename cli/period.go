package cli

import (
	"flag"
	"fmt"
	"time"
)

// periodFlags are the --from and --to flags every analysis command takes.
type periodFlags struct {
	from, to *string
}

// addPeriodFlags registers --from and --to on fs.
func addPeriodFlags(fs *flag.FlagSet) periodFlags {
	return periodFlags{
		from: fs.String("from", "", "only sessions started on or after this day (2006-01-02) or time (RFC 3339)"),
		to:   fs.String("to", "", "only sessions started on or before this day (2006-01-02, inclusive) or before this time (RFC 3339)"),
	}
}

// period reads the flags as [from, to); either end may be open.
func (p periodFlags) period() (time.Time, time.Time, error) {
	return parsePeriod(*p.from, *p.to)
}

// parsePeriod reads --from and --to: a bare date is a whole day (so --to
// includes its day), an RFC 3339 time is exact. Either may be empty.
func parsePeriod(from, to string) (time.Time, time.Time, error) {
	f, _, err := parsePeriodEnd("--from", from)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	t, isDay, err := parsePeriodEnd("--to", to)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if isDay {
		t = t.AddDate(0, 0, 1)
	}
	if !f.IsZero() && !t.IsZero() && !t.After(f) {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: --to %s is not after --from %s", errUsage, to, from)
	}
	return f, t, nil
}

// parsePeriodEnd reads one end: a date (isDay) or an RFC 3339 time.
func parsePeriodEnd(flagName, s string) (t time.Time, isDay bool, err error) {
	if s == "" {
		return time.Time{}, false, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, false, nil
	}
	return time.Time{}, false, fmt.Errorf("%w: %s %q is neither a date like 2026-11-01 nor an RFC 3339 time like 2026-11-01T09:00:00Z", errUsage, flagName, s)
}

// dayRange reads --from and --to for commands that compare the period
// with the one before it, so both ends are needed.
func dayRange(from, to string) (time.Time, time.Time, error) {
	if from == "" && to == "" {
		return time.Time{}, time.Time{}, nil
	}
	if from == "" || to == "" {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: give both --from and --to", errUsage)
	}
	return parsePeriod(from, to)
}
