package ask

import "time"

// dateSpec is a relative date: a fixed phrase ("last week") or the last
// n units ("last 7 days").
type dateSpec struct {
	phrase string
	n      int
	unit   string
}

// dateRange resolves the first date the sentence names against now.
// Weeks start on Monday (ISO 8601); "last N days" includes today.
func dateRange(items []item, now time.Time) *DateRange {
	for _, it := range items {
		if it.kind != kindDate {
			continue
		}
		r := resolveDate(it.date, now)
		return &r
	}
	return nil
}

func resolveDate(d dateSpec, now time.Time) DateRange {
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	tomorrow := day.AddDate(0, 0, 1)
	monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	year := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, now.Location())
	if d.n > 0 {
		switch d.unit {
		case "hour":
			return DateRange{From: now.Add(-time.Duration(d.n) * time.Hour), To: now}
		case "week":
			return DateRange{From: tomorrow.AddDate(0, 0, -7*d.n), To: tomorrow}
		case "month":
			return DateRange{From: tomorrow.AddDate(0, -d.n, 0), To: tomorrow}
		default:
			return DateRange{From: tomorrow.AddDate(0, 0, -d.n), To: tomorrow}
		}
	}
	switch d.phrase {
	case "today":
		return DateRange{From: day, To: tomorrow}
	case "yesterday":
		return DateRange{From: day.AddDate(0, 0, -1), To: day}
	case "this week":
		return DateRange{From: monday, To: tomorrow}
	case "last week":
		return DateRange{From: monday.AddDate(0, 0, -7), To: monday}
	case "past week":
		return DateRange{From: tomorrow.AddDate(0, 0, -7), To: tomorrow}
	case "this month":
		return DateRange{From: month, To: tomorrow}
	case "last month":
		return DateRange{From: month.AddDate(0, -1, 0), To: month}
	case "past month":
		return DateRange{From: tomorrow.AddDate(0, -1, 0), To: tomorrow}
	case "this year":
		return DateRange{From: year, To: tomorrow}
	case "last year":
		return DateRange{From: year.AddDate(-1, 0, 0), To: year}
	}
	// Every phrase in datePhrases has a rule above (a test checks); an
	// unknown one reads as today rather than failing the sentence.
	return DateRange{From: day, To: tomorrow}
}

// String reads a range as dates; the end is exclusive, so the last day
// shown is the one before To.
func (r DateRange) String() string {
	last := r.To.AddDate(0, 0, -1)
	if r.To.Sub(r.From) < 24*time.Hour || !isMidnight(r.To) {
		return r.From.Format("2006-01-02 15:04") + " to " + r.To.Format("2006-01-02 15:04")
	}
	if last.Equal(r.From) {
		return "on " + r.From.Format("2006-01-02")
	}
	return "from " + r.From.Format("2006-01-02") + " to " + last.Format("2006-01-02")
}

func isMidnight(t time.Time) bool {
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}
