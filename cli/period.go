package cli

import (
	"flag"
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/core/period"
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

// parsePeriod reads --from and --to (see period.Parse) as a usage error
// when they are wrong.
func parsePeriod(from, to string) (time.Time, time.Time, error) {
	f, t, err := period.Parse(from, to)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: --from/--to: %w", errUsage, err)
	}
	return f, t, nil
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
