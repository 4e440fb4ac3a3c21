package workspace

import (
	"context"
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core/segment"
)

// SessionIDs returns the ids of the sessions in segment e (every session
// when e is nil), in import order. This is the fast path of
// `loupe sessions --segment`; for full rows use
// db.Sessions(ctx, SessionQuery{}.WithSegment(e)).
func (db *DB) SessionIDs(ctx context.Context, e segment.Expr) ([]string, error) {
	q := `SELECT s.id FROM sessions s`
	var args []any
	if e != nil {
		var w string
		w, args = segmentWhere(e)
		q += ` WHERE ` + w
	}
	rows, err := db.db.QueryContext(ctx, q+` ORDER BY s.rid`, args...)
	if err != nil {
		return nil, fmt.Errorf("filter sessions by segment: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("filter sessions by segment: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("filter sessions by segment: %w", err)
	}
	return ids, nil
}

// SegmentPage is what the session list shows for a segment: how many
// sessions it holds and the ids of the newest limit of them. Two queries
// beat one with a window count: the count is a tight scan, and the page
// walks the start-time index backwards and stops after limit matches.
func (db *DB) SegmentPage(ctx context.Context, e segment.Expr, limit int) (ids []string, total int, err error) {
	if total, err = db.CountSegment(ctx, e); err != nil {
		return nil, 0, err
	}
	q := `SELECT s.id FROM sessions s`
	var args []any
	if e != nil {
		var w string
		w, args = segmentWhere(e)
		q += ` WHERE ` + w
	}
	rows, err := db.db.QueryContext(ctx, q+` ORDER BY s.started_at DESC, s.rid DESC LIMIT ?`, append(args, max(limit, 0))...)
	if err != nil {
		return nil, 0, fmt.Errorf("segment page: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, 0, fmt.Errorf("segment page: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("segment page: %w", err)
	}
	return ids, total, nil
}

// CountSegment returns how many sessions segment e holds.
func (db *DB) CountSegment(ctx context.Context, e segment.Expr) (int, error) {
	q := `SELECT count(*) FROM sessions s`
	var args []any
	if e != nil {
		var w string
		w, args = segmentWhere(e)
		q += ` WHERE ` + w
	}
	var n int
	if err := db.db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count segment: %w", err)
	}
	return n, nil
}

// ParseSegment parses a segment's text form; blank text means every
// session (nil). Parse errors are *segment.ParseError.
func ParseSegment(text string) (segment.Expr, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	return segment.Parse(text)
}
