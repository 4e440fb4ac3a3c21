package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/segment"
)

// SessionQuery filters, sorts and pages the session list. Zero values
// mean "no filter".
type SessionQuery struct {
	IDs  []string
	Site string
	// Page is a glob over visited paths ("/checkout*"; * and ? as in
	// SQLite GLOB).
	Page          string
	Device        string
	MinDurationMS int64
	MaxDurationMS int64
	// HasErrors keeps sessions with a JS error or a failed request.
	HasErrors bool
	// Text matches, case-insensitively, a visited path or URL, a custom
	// event name, a JS error message, the visitor id, the user id or any
	// trait value, so one box finds a page or a person.
	Text string
	Tag  string
	// Frustrated keeps sessions with a frustration score above zero (the
	// workbench's "worth watching" tab).
	Frustrated bool
	// Visitor keeps one visitor's sessions, by the visitor id as recorded.
	Visitor string
	// From and To keep sessions started in [From, To) (zero: open end).
	From, To time.Time
	// Segment keeps the sessions in a segment (nil: no filter); see
	// WithSegment to narrow an existing query.
	Segment segment.Expr
	// Sort is a column name (started_at, duration_ms, pageviews, clicks,
	// rage_clicks, dead_clicks, error_clicks, js_errors, failed_requests,
	// events, frustration_score, id), "-" in front for descending. The
	// default is newest first.
	Sort   string
	Limit  int
	Offset int
}

// ErrBadQuery is returned for a query the workspace cannot run (an unknown
// sort column, ...).
var ErrBadQuery = errors.New("bad query")

var sortColumns = map[string]string{
	"started_at": "s.started_at", "duration_ms": "s.duration_ms", "pageviews": "s.pageviews",
	"clicks": "s.clicks", "rage_clicks": "s.rage_clicks", "dead_clicks": "s.dead_clicks",
	"error_clicks": "s.error_clicks", "js_errors": "s.js_errors", "failed_requests": "s.failed_requests",
	"events": "s.events", "frustration_score": "s.score", "score": "s.score", "id": "s.id",
}

// where builds the WHERE clause of q over sessions s.
func (q SessionQuery) where() (string, []any) {
	var conds []string
	var args []any
	add := func(c string, a ...any) { conds = append(conds, c); args = append(args, a...) }
	if len(q.IDs) > 0 {
		add(`s.id IN (`+strings.TrimSuffix(strings.Repeat("?,", len(q.IDs)), ",")+`)`, anys(q.IDs)...)
	}
	if q.Site != "" {
		add(`s.site_id = (SELECT id FROM sites WHERE name = ?)`, q.Site)
	}
	if q.Page != "" {
		// Through the small paths dictionary and the pageviews_path index,
		// not a probe of every session's pageviews.
		add(`s.rid IN (SELECT pv.sid FROM pageviews pv
			WHERE pv.path_id IN (SELECT id FROM paths WHERE path GLOB ?))`, q.Page)
	}
	if q.Device != "" {
		add(`s.device = ?`, q.Device)
	}
	if q.MinDurationMS > 0 {
		add(`s.duration_ms >= ?`, q.MinDurationMS)
	}
	if q.MaxDurationMS > 0 {
		add(`s.duration_ms <= ?`, q.MaxDurationMS)
	}
	if q.HasErrors {
		add(erroredSQL)
	}
	if q.Tag != "" {
		add(`s.rid IN (SELECT t.sid FROM tags t WHERE t.tag = ?)`, q.Tag)
	}
	if q.Text != "" {
		like := "%" + escapeLikePattern(strings.ToLower(q.Text)) + "%"
		add(`(EXISTS (SELECT 1 FROM pageviews pv JOIN paths p ON p.id = pv.path_id JOIN strs u ON u.id = pv.url_id
				WHERE pv.sid = s.rid AND (lower(p.path) LIKE ? ESCAPE '\' OR lower(u.s) LIKE ? ESCAPE '\'))
			OR EXISTS (SELECT 1 FROM custom_events ce JOIN strs n ON n.id = ce.name_id
				WHERE ce.sid = s.rid AND lower(n.s) LIKE ? ESCAPE '\')
			OR EXISTS (SELECT 1 FROM errors e JOIN strs m ON m.id = e.message_id
				WHERE e.sid = s.rid AND lower(m.s) LIKE ? ESCAPE '\')
			OR lower(s.user_id) LIKE ? ESCAPE '\'
			OR EXISTS (SELECT 1 FROM json_each(s.traits) tr WHERE lower(CAST(tr.value AS TEXT)) LIKE ? ESCAPE '\')
			OR s.visitor_id IN (SELECT v.id FROM visitors v WHERE lower(v.visitor) LIKE ? ESCAPE '\'
				OR lower(v.user_id) LIKE ? ESCAPE '\'
				OR EXISTS (SELECT 1 FROM json_each(v.traits) vt WHERE lower(CAST(vt.value AS TEXT)) LIKE ? ESCAPE '\')))`,
			like, like, like, like, like, like, like, like, like)
	}
	if q.Frustrated {
		add(`s.score > 0`)
	}
	if q.Visitor != "" {
		add(`s.visitor_id = (SELECT id FROM visitors WHERE visitor = ?)`, q.Visitor)
	}
	if q.Segment != nil {
		w, a := segmentWhere(q.Segment)
		add(`(`+w+`)`, a...)
	}
	if !q.From.IsZero() {
		add(`s.started_at >= ?`, q.From.UnixMilli())
	}
	if !q.To.IsZero() {
		add(`s.started_at < ?`, q.To.UnixMilli())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func escapeLikePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

func anys[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// orderBy returns the ORDER BY clause for q.Sort.
func (q SessionQuery) orderBy() (string, error) {
	sort, desc := q.Sort, false
	if sort == "" {
		sort, desc = "started_at", true
	}
	if strings.HasPrefix(sort, "-") {
		sort, desc = sort[1:], true
	}
	col, ok := sortColumns[sort]
	if !ok {
		return "", fmt.Errorf("%w: cannot sort by %q", ErrBadQuery, q.Sort)
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	return " ORDER BY " + col + dir + ", s.rid" + dir, nil
}

const sessionRowSelect = `SELECT s.rid, s.id, si.name, coalesce(v.visitor, ''), s.started_at, s.duration_ms,
	s.pageviews, s.clicks, s.rage_clicks, s.dead_clicks, s.error_clicks, s.js_errors, s.failed_requests,
	s.events, s.viewport_w, s.viewport_h, s.device, s.browser, s.os, s.country, s.user_id, s.score,
	s.max_scroll, s.traits
	FROM sessions s JOIN sites si ON si.id = s.site_id LEFT JOIN visitors v ON v.id = s.visitor_id`

// Sessions lists the sessions matching q, each with its pages, URLs and
// tags filled in.
func (db *DB) Sessions(ctx context.Context, q SessionQuery) ([]core.Session, error) {
	where, args := q.where()
	order, err := q.orderBy()
	if err != nil {
		return nil, err
	}
	if q.Offset >= anchorEvery {
		return db.sessionsFromAnchor(ctx, q)
	}
	query := sessionRowSelect + where + order
	if q.Limit > 0 || q.Offset > 0 {
		limit := q.Limit
		if limit <= 0 {
			limit = -1
		}
		query += " LIMIT ? OFFSET ?"
		args = append(args, limit, q.Offset)
	}
	out, err := db.loadSessions(ctx, db.db, query, args...)
	if err == nil && q.Offset == 0 && q.Limit > 0 && len(out) == q.Limit {
		db.warmAnchors(ctx, q) // a long list: its first jump will need them
	}
	return out, err
}

// Count returns how many sessions match q (its sort and paging ignored).
func (db *DB) Count(ctx context.Context, q SessionQuery) (int, error) {
	where, args := q.where()
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM sessions s`+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count sessions: %w", err)
	}
	return n, nil
}

// Session returns one session by id; a missing one matches ErrNotFound.
func (db *DB) Session(ctx context.Context, id string) (core.Session, error) {
	ss, err := db.loadSessions(ctx, db.db, sessionRowSelect+` WHERE s.id = ?`, id)
	if err != nil {
		return core.Session{}, err
	}
	if len(ss) == 0 {
		return core.Session{}, fmt.Errorf("session %s: %w", id, ErrNotFound)
	}
	return ss[0], nil
}

// Sites lists the site names that have sessions, sorted.
func (db *DB) Sites(ctx context.Context) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT name FROM sites si
		WHERE EXISTS (SELECT 1 FROM sessions s WHERE s.site_id = si.id) ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("list sites: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// loadSessions runs a sessionRowSelect query and fills pages, URLs and tags.
func (db *DB) loadSessions(ctx context.Context, q querier, query string, args ...any) ([]core.Session, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	var (
		out  []core.Session
		rids []any
	)
	for rows.Next() {
		var (
			s                 core.Session
			rid, started      int64
			maxScroll, traits sql.NullString
		)
		if err := rows.Scan(&rid, &s.ID, &s.Site, &s.Visitor, &started, &s.DurationMS, &s.Pageviews, &s.Clicks,
			&s.RageClicks, &s.DeadClicks, &s.ErrorClicks, &s.JSErrors, &s.FailedReqs, &s.Events,
			&s.Viewport.W, &s.Viewport.H, &s.Device, &s.Browser, &s.OS, &s.Country, &s.UserID, &s.Score,
			&maxScroll, &traits); err != nil {
			return nil, fmt.Errorf("list sessions: %w", err)
		}
		s.StartedAt = time.UnixMilli(started).UTC()
		s.MaxScrollPct = map[string]float64{}
		if maxScroll.Valid {
			if err := json.Unmarshal([]byte(maxScroll.String), &s.MaxScrollPct); err != nil {
				return nil, fmt.Errorf("session %s: decode scroll depth: %w", s.ID, err)
			}
		}
		if traits.Valid {
			if err := json.Unmarshal([]byte(traits.String), &s.Traits); err != nil {
				return nil, fmt.Errorf("session %s: decode traits: %w", s.ID, err)
			}
		}
		s.Pages, s.URLs, s.Tags = []string{}, []string{}, []string{}
		out = append(out, s)
		rids = append(rids, rid)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	if err := db.fillLists(ctx, q, out, rids); err != nil {
		return nil, err
	}
	return out, nil
}

// fillLists adds pages, URLs and tags to loaded sessions in two queries,
// whatever the number of sessions.
func (db *DB) fillLists(ctx context.Context, q querier, out []core.Session, rids []any) error {
	pos := make(map[int64]int, len(rids))
	for i, r := range rids {
		pos[r.(int64)] = i
	}
	// json_each over one bound array keeps the statement the same size for
	// any page size.
	ids, err := json.Marshal(rids)
	if err != nil {
		return fmt.Errorf("list sessions: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT pv.sid, p.path, u.s FROM json_each(?) j
		JOIN pageviews pv ON pv.sid = j.value JOIN paths p ON p.id = pv.path_id JOIN strs u ON u.id = pv.url_id
		ORDER BY pv.sid, pv.idx`, string(ids))
	if err != nil {
		return fmt.Errorf("list session pages: %w", err)
	}
	for rows.Next() {
		var (
			sid       int64
			path, url string
		)
		if err := rows.Scan(&sid, &path, &url); err != nil {
			rows.Close()
			return fmt.Errorf("list session pages: %w", err)
		}
		s := &out[pos[sid]]
		s.Pages = append(s.Pages, path)
		s.URLs = append(s.URLs, url)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list session pages: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT t.sid, t.tag FROM json_each(?) j JOIN tags t ON t.sid = j.value
		ORDER BY t.sid, t.tag`, string(ids))
	if err != nil {
		return fmt.Errorf("list session tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			sid int64
			tag string
		)
		if err := rows.Scan(&sid, &tag); err != nil {
			return fmt.Errorf("list session tags: %w", err)
		}
		s := &out[pos[sid]]
		s.Tags = append(s.Tags, tag)
	}
	return rows.Err()
}
