package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/core/metric"
)

// PeriodStats are the headline numbers of the sessions that started in a
// period, for the workbench's dashboard cards.
type PeriodStats struct {
	From          time.Time `json:"from"`
	To            time.Time `json:"to"`
	Sessions      int       `json:"sessions"`
	Visitors      int       `json:"visitors"`
	AvgDurationMS float64   `json:"avg_duration_ms"`
	BounceRate    float64   `json:"bounce_rate"`     // metric.Counts.BounceRate
	ErrorRate     float64   `json:"error_rate"`      // metric.Counts.ErrorRate
	RageRate      float64   `json:"rage_click_rate"` // metric.Counts.RageRate
}

// Ranked is a name with a count, for top-N lists.
type Ranked struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
	// Sessions is how many distinct sessions the count comes from.
	Sessions int `json:"sessions"`
}

// DayCount is the number of sessions started on one UTC day.
type DayCount struct {
	Day      string `json:"day"` // YYYY-MM-DD
	Sessions int    `json:"sessions"`
}

// LatestStart returns the start of the newest session, the anchor of the
// dashboard's periods: an offline workspace is read after the fact, so
// "the last 7 days" means the last 7 days of data, not of the wall clock.
// ok is false for an empty workspace.
func (db *DB) LatestStart(ctx context.Context) (t time.Time, ok bool, err error) {
	var ms *int64
	if err := db.db.QueryRowContext(ctx, `SELECT max(started_at) FROM sessions`).Scan(&ms); err != nil {
		return t, false, fmt.Errorf("find latest session: %w", err)
	}
	if ms == nil {
		return t, false, nil
	}
	return time.UnixMilli(*ms).UTC(), true, nil
}

// scopeWhere restricts sessions s to [from, to) and to q's filters.
func scopeWhere(q SessionQuery, from, to time.Time) (string, []any) {
	where, args := q.where()
	period := `s.started_at >= ? AND s.started_at < ?`
	if where == "" {
		return " WHERE " + period, []any{from.UnixMilli(), to.UnixMilli()}
	}
	return where + " AND " + period, append(args, from.UnixMilli(), to.UnixMilli())
}

// PeriodStats returns the headline numbers of q's sessions started in
// [from, to), by core/metric's definitions.
func (db *DB) PeriodStats(ctx context.Context, q SessionQuery, from, to time.Time) (PeriodStats, error) {
	c, err := db.Counts(ctx, q, from, to)
	if err != nil {
		return PeriodStats{}, fmt.Errorf("period stats: %w", err)
	}
	return StatsOf(from, to, c), nil
}

// StatsOf is the headline numbers of counts c over [from, to), however
// they were counted (in SQL here, or by the analytics index).
func StatsOf(from, to time.Time, c metric.Counts) PeriodStats {
	return PeriodStats{From: from, To: to, Sessions: c.Sessions, Visitors: c.Visitors, AvgDurationMS: c.AvgDurationMS(),
		BounceRate: c.BounceRate(), ErrorRate: c.ErrorRate(), RageRate: c.RageRate()}
}

// TopPages ranks the paths viewed by q's sessions started in [from, to).
func (db *DB) TopPages(ctx context.Context, q SessionQuery, from, to time.Time, limit int) ([]Ranked, error) {
	where, args := scopeWhere(q, from, to)
	return db.ranked(ctx, `SELECT p.path, count(*), count(DISTINCT pv.sid) FROM pageviews pv
		JOIN paths p ON p.id = pv.path_id WHERE pv.sid IN (SELECT s.rid FROM sessions s`+where+`)
		GROUP BY pv.path_id ORDER BY 2 DESC, 1 LIMIT ?`, append(args, limit)...)
}

// TopFrustrated ranks the elements that drew rage, dead or error clicks.
func (db *DB) TopFrustrated(ctx context.Context, q SessionQuery, from, to time.Time, limit int) ([]Ranked, error) {
	where, args := scopeWhere(q, from, to)
	return db.ranked(ctx, `SELECT sel.selector, count(*), count(DISTINCT c.sid) FROM clicks c
		JOIN selectors sel ON sel.id = c.selector_id
		WHERE c.flags <> 0 AND c.sid IN (SELECT s.rid FROM sessions s`+where+`)
		GROUP BY c.selector_id ORDER BY 2 DESC, 1 LIMIT ?`, append(args, limit)...)
}

// TopErrors ranks JS error messages.
func (db *DB) TopErrors(ctx context.Context, q SessionQuery, from, to time.Time, limit int) ([]Ranked, error) {
	where, args := scopeWhere(q, from, to)
	return db.ranked(ctx, `SELECT m.s, count(*), count(DISTINCT e.sid) FROM errors e
		JOIN strs m ON m.id = e.message_id WHERE e.sid IN (SELECT s.rid FROM sessions s`+where+`)
		GROUP BY e.message_id ORDER BY 2 DESC, 1 LIMIT ?`, append(args, limit)...)
}

func (db *DB) ranked(ctx context.Context, query string, args ...any) ([]Ranked, error) {
	rows, err := db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("rank: %w", err)
	}
	defer rows.Close()
	out := []Ranked{}
	for rows.Next() {
		var r Ranked
		if err := rows.Scan(&r.Name, &r.Count, &r.Sessions); err != nil {
			return nil, fmt.Errorf("rank: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SessionsPerDay counts q's sessions per UTC day in [from, to).
func (db *DB) SessionsPerDay(ctx context.Context, q SessionQuery, from, to time.Time) ([]DayCount, error) {
	where, args := scopeWhere(q, from, to)
	rows, err := db.db.QueryContext(ctx, `SELECT date(s.started_at / 1000, 'unixepoch'), count(*)
		FROM sessions s`+where+` GROUP BY 1 ORDER BY 1`, args...)
	if err != nil {
		return nil, fmt.Errorf("sessions per day: %w", err)
	}
	defer rows.Close()
	out := []DayCount{}
	for rows.Next() {
		var d DayCount
		if err := rows.Scan(&d.Day, &d.Sessions); err != nil {
			return nil, fmt.Errorf("sessions per day: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// TopClicked ranks clicked element selectors over every session, for the
// funnel builder's step suggestions.
func (db *DB) TopClicked(ctx context.Context, limit int) ([]Ranked, error) {
	return db.ranked(ctx, `SELECT sel.selector, count(*), count(DISTINCT c.sid) FROM clicks c
		JOIN selectors sel ON sel.id = c.selector_id GROUP BY c.selector_id ORDER BY 2 DESC, 1 LIMIT ?`, limit)
}

// TopEventNames ranks custom event names over every session.
func (db *DB) TopEventNames(ctx context.Context, limit int) ([]Ranked, error) {
	return db.ranked(ctx, `SELECT n.s, count(*), count(DISTINCT ce.sid) FROM custom_events ce
		JOIN strs n ON n.id = ce.name_id GROUP BY ce.name_id ORDER BY 2 DESC, 1 LIMIT ?`, limit)
}

// TopPaths ranks visited paths over every session.
func (db *DB) TopPaths(ctx context.Context, limit int) ([]Ranked, error) {
	return db.ranked(ctx, `SELECT p.path, count(*), count(DISTINCT pv.sid) FROM pageviews pv
		JOIN paths p ON p.id = pv.path_id GROUP BY pv.path_id ORDER BY 2 DESC, 1 LIMIT ?`, limit)
}
