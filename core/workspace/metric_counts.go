package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/core/metric"
)

// The SQL forms of core/metric's session definitions, over sessions s.
// Every query that counts or filters by them uses these, and a test holds
// them to the Go definitions.
const (
	bouncedSQL = `s.pageviews <= 1`
	erroredSQL = `(s.js_errors > 0 OR s.failed_requests > 0)`
	ragedSQL   = `s.rage_clicks > 0`
)

// countsSQL tallies metric.Counts over sessions s; a WHERE clause follows.
const countsSQL = `SELECT count(*), count(DISTINCT s.visitor_id), coalesce(sum(s.duration_ms), 0),
	coalesce(sum(` + bouncedSQL + `), 0), coalesce(sum(` + erroredSQL + `), 0), coalesce(sum(` + ragedSQL + `), 0)
	FROM sessions s`

// Counts tallies q's sessions started in [from, to) by core/metric's
// definitions: the one SQL source of the dashboard's and alerts' numbers.
func (db *DB) Counts(ctx context.Context, q SessionQuery, from, to time.Time) (metric.Counts, error) {
	where, args := scopeWhere(q, from, to)
	var c metric.Counts
	err := db.db.QueryRowContext(ctx, countsSQL+where, args...).
		Scan(&c.Sessions, &c.Visitors, &c.DurationMS, &c.Bounced, &c.Errored, &c.Raged)
	if err != nil {
		return c, fmt.Errorf("count sessions: %w", err)
	}
	return c, nil
}
