package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/core"
)

// Facts returns everything derived from one session, read back from the
// workspace; a missing session matches ErrNotFound.
func (db *DB) Facts(ctx context.Context, id string) (*core.Facts, error) {
	s, err := db.Session(ctx, id)
	if err != nil {
		return nil, err
	}
	sid, err := db.rid(ctx, db.db, id)
	if err != nil {
		return nil, err
	}
	f := &core.Facts{Session: s}
	var unint sql.NullString
	if err := db.db.QueryRowContext(ctx, `SELECT uninterpreted FROM sessions WHERE rid = ?`, sid).Scan(&unint); err != nil {
		return nil, fmt.Errorf("facts of %s: %w", id, err)
	}
	if unint.Valid {
		if err := json.Unmarshal([]byte(unint.String), &f.Uninterpreted); err != nil {
			return nil, fmt.Errorf("facts of %s: decode uninterpreted: %w", id, err)
		}
	}
	loaders := []func(context.Context, int64, *core.Facts) error{
		db.loadPageviews, db.loadClicks, db.loadInputs, db.loadErrors, db.loadRequests,
		db.loadCustomEvents, db.loadFeedback, db.loadMoves,
	}
	for _, load := range loaders {
		if err := load(ctx, sid, f); err != nil {
			return nil, fmt.Errorf("facts of %s: %w", id, err)
		}
	}
	return f, nil
}

// scanAll runs query with sid and calls scan for each row.
func (db *DB) scanAll(ctx context.Context, query string, sid int64, scan func(*sql.Rows) error) error {
	rows, err := db.db.QueryContext(ctx, query, sid)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (db *DB) loadPageviews(ctx context.Context, sid int64, f *core.Facts) error {
	start := f.Session.StartedAt
	return db.scanAll(ctx, `SELECT pv.idx, u.s, p.path, coalesce(t.s, ''), pv.offset_ms, pv.dwell_ms, pv.viewport_w,
		pv.viewport_h, pv.doc_height, pv.max_scroll_y, pv.scroll_pct, pv.flags
		FROM pageviews pv JOIN paths p ON p.id = pv.path_id JOIN strs u ON u.id = pv.url_id
		LEFT JOIN strs t ON t.id = pv.title_id WHERE pv.sid = ? ORDER BY pv.idx`, sid, func(r *sql.Rows) error {
		var p core.Pageview
		var flags int
		if err := r.Scan(&p.Index, &p.URL, &p.Path, &p.Title, &p.OffsetMS, &p.DwellMS, &p.Viewport.W, &p.Viewport.H,
			&p.DocHeight, &p.MaxScrollY, &p.ScrollPct, &flags); err != nil {
			return err
		}
		p.At = start.Add(time.Duration(p.OffsetMS) * time.Millisecond)
		p.QuickBack = flags&pageQuickBack != 0
		p.ExcessiveScroll = flags&pageExcessiveScroll != 0
		f.Pageviews = append(f.Pageviews, p)
		return nil
	})
}

func (db *DB) loadClicks(ctx context.Context, sid int64, f *core.Facts) error {
	return db.scanAll(ctx, `SELECT c.offset_ms, c.pageview, p.path, c.x, c.y, sel.selector, coalesce(tg.s, ''),
		coalesce(tx.s, ''), c.rel_x, c.rel_y, c.flags
		FROM clicks c JOIN paths p ON p.id = c.path_id JOIN selectors sel ON sel.id = c.selector_id
		LEFT JOIN strs tg ON tg.id = c.tag_id LEFT JOIN strs tx ON tx.id = c.text_id
		WHERE c.sid = ? ORDER BY c.seq`, sid, func(r *sql.Rows) error {
		var c core.Click
		var flags int
		if err := r.Scan(&c.OffsetMS, &c.Pageview, &c.Path, &c.X, &c.Y, &c.Selector, &c.Tag, &c.Text,
			&c.RelX, &c.RelY, &flags); err != nil {
			return err
		}
		c.Rage, c.Dead, c.Error = flags&clickRage != 0, flags&clickDead != 0, flags&clickError != 0
		f.Clicks = append(f.Clicks, c)
		return nil
	})
}

func (db *DB) loadInputs(ctx context.Context, sid int64, f *core.Facts) error {
	return db.scanAll(ctx, `SELECT i.offset_ms, i.pageview, p.path, sel.selector
		FROM inputs i JOIN paths p ON p.id = i.path_id JOIN selectors sel ON sel.id = i.selector_id
		WHERE i.sid = ? ORDER BY i.seq`, sid, func(r *sql.Rows) error {
		var in core.Input
		if err := r.Scan(&in.OffsetMS, &in.Pageview, &in.Path, &in.Selector); err != nil {
			return err
		}
		f.Inputs = append(f.Inputs, in)
		return nil
	})
}

func (db *DB) loadErrors(ctx context.Context, sid int64, f *core.Facts) error {
	return db.scanAll(ctx, `SELECT e.offset_ms, e.pageview, p.path, m.s, coalesce(so.s, ''), coalesce(st.s, '')
		FROM errors e JOIN paths p ON p.id = e.path_id JOIN strs m ON m.id = e.message_id
		LEFT JOIN strs so ON so.id = e.source_id LEFT JOIN strs st ON st.id = e.stack_id
		WHERE e.sid = ? ORDER BY e.seq`, sid, func(r *sql.Rows) error {
		var e core.JSError
		if err := r.Scan(&e.OffsetMS, &e.Pageview, &e.Path, &e.Message, &e.Source, &e.Stack); err != nil {
			return err
		}
		f.Errors = append(f.Errors, e)
		return nil
	})
}

func (db *DB) loadRequests(ctx context.Context, sid int64, f *core.Facts) error {
	return db.scanAll(ctx, `SELECT r.offset_ms, r.pageview, p.path, m.s, u.s, r.status, r.duration_ms, r.failed
		FROM requests r JOIN paths p ON p.id = r.path_id JOIN strs m ON m.id = r.method_id JOIN strs u ON u.id = r.url_id
		WHERE r.sid = ? ORDER BY r.seq`, sid, func(r *sql.Rows) error {
		var q core.Request
		if err := r.Scan(&q.OffsetMS, &q.Pageview, &q.Path, &q.Method, &q.URL, &q.Status, &q.DurationMS, &q.Failed); err != nil {
			return err
		}
		f.Requests = append(f.Requests, q)
		return nil
	})
}

func (db *DB) loadCustomEvents(ctx context.Context, sid int64, f *core.Facts) error {
	return db.scanAll(ctx, `SELECT c.offset_ms, c.pageview, p.path, n.s, c.props
		FROM custom_events c JOIN paths p ON p.id = c.path_id JOIN strs n ON n.id = c.name_id
		WHERE c.sid = ? ORDER BY c.seq`, sid, func(r *sql.Rows) error {
		var c core.CustomEvent
		var props sql.NullString
		if err := r.Scan(&c.OffsetMS, &c.Pageview, &c.Path, &c.Name, &props); err != nil {
			return err
		}
		if props.Valid {
			if err := json.Unmarshal([]byte(props.String), &c.Props); err != nil {
				return fmt.Errorf("decode event props: %w", err)
			}
		}
		f.CustomEvents = append(f.CustomEvents, c)
		return nil
	})
}

func (db *DB) loadFeedback(ctx context.Context, sid int64, f *core.Facts) error {
	return db.scanAll(ctx, `SELECT fb.offset_ms, fb.pageview, p.path, fb.kind, fb.score, coalesce(fb.comment, '')
		FROM feedback fb JOIN paths p ON p.id = fb.path_id WHERE fb.sid = ? ORDER BY fb.seq`, sid, func(r *sql.Rows) error {
		var fb core.Feedback
		if err := r.Scan(&fb.OffsetMS, &fb.Pageview, &fb.Path, &fb.Kind, &fb.Score, &fb.Comment); err != nil {
			return err
		}
		f.Feedback = append(f.Feedback, fb)
		return nil
	})
}

func (db *DB) loadMoves(ctx context.Context, sid int64, f *core.Facts) error {
	return db.scanAll(ctx, `SELECT m.pageview, p.path, m.points FROM moves m JOIN paths p ON p.id = m.path_id
		WHERE m.sid = ? ORDER BY m.pageview`, sid, func(r *sql.Rows) error {
		var (
			pv   int
			path string
			blob []byte
		)
		if err := r.Scan(&pv, &path, &blob); err != nil {
			return err
		}
		for _, xy := range DecodePoints(blob) {
			f.Moves = append(f.Moves, core.Point{Pageview: pv, Path: path, X: xy[0], Y: xy[1]})
		}
		return nil
	})
}
