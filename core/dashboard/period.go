package dashboard

import "time"

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
