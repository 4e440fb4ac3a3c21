package workspace

import (
	"context"
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/core/segment"
)

// AlertCounts are the session counts alert metrics are made of, over one
// time range.
type AlertCounts struct {
	Sessions   int `json:"sessions"`
	WithErrors int `json:"with_errors"` // sessions with a JS error or a failed request (as the dashboard counts them)
	WithRage   int `json:"with_rage"`   // sessions with a rage click
}

// CountAlertSessions counts the sessions started in [from, to) that are in
// segment e (every session when e is nil).
func (db *DB) CountAlertSessions(ctx context.Context, e segment.Expr, from, to time.Time) (AlertCounts, error) {
	q := `SELECT count(*), coalesce(sum(s.js_errors > 0 OR s.failed_requests > 0), 0), coalesce(sum(s.rage_clicks > 0), 0)
		FROM sessions s WHERE s.started_at >= ? AND s.started_at < ?`
	args := []any{from.UnixMilli(), to.UnixMilli()}
	if e != nil {
		w, wa := SegmentWhere(e)
		q += ` AND ` + w
		args = append(args, wa...)
	}
	var c AlertCounts
	if err := db.db.QueryRowContext(ctx, q, args...).Scan(&c.Sessions, &c.WithErrors, &c.WithRage); err != nil {
		return c, fmt.Errorf("count sessions for alerts: %w", err)
	}
	return c, nil
}
