package dashboard

import (
	"fmt"
	"time"
)

// Periods are the two windows a card compares.
type Periods struct {
	// From and To bound the current period, [From, To).
	From, To time.Time
	// PrevFrom starts the period before it, [PrevFrom, From).
	PrevFrom time.Time
	Days     int
}

// PeriodsEndingAt returns the last `days` whole UTC days of data, ending
// at the day after latest (the newest session's start), and the same
// number of days before them: an offline workspace is read after the
// fact, so "the last 7 days" means the last 7 days of data, not of the
// wall clock. days <= 0 means DefaultDays.
func PeriodsEndingAt(latest time.Time, days int) Periods {
	if days <= 0 {
		days = DefaultDays
	}
	const day = 24 * time.Hour
	to := latest.UTC().Truncate(day).Add(day)
	span := time.Duration(days) * day
	return Periods{From: to.Add(-span), To: to, PrevFrom: to.Add(-2 * span), Days: days}
}

// PeriodsBetween is the period [from, to) and the period of the same
// length just before it, for a period the analyst picked. Days counts the
// whole days it spans, rounded up.
func PeriodsBetween(from, to time.Time) (Periods, error) {
	if !to.After(from) {
		return Periods{}, fmt.Errorf("the period ends (%s) before it starts (%s): %w", to.Format(time.RFC3339), from.Format(time.RFC3339), ErrInvalid)
	}
	span := to.Sub(from)
	const day = 24 * time.Hour
	return Periods{From: from, To: to, PrevFrom: from.Add(-span), Days: int((span + day - 1) / day)}, nil
}
