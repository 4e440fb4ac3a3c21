package workspace

import (
	"context"
	"database/sql"
	"fmt"
)

// importStmts are the prepared statements of one import transaction.
type importStmts struct {
	findArchive, findSession, addArchive *sql.Stmt
	addSite, findSite, upsertVisitor     *sql.Stmt
	addSession, updateSession            *sql.Stmt
	addPageview, addClick, addInput      *sql.Stmt
	addError, addRequest, addCustom      *sql.Stmt
	addFeedback, addMove, addTag         *sql.Stmt
	putReplay, addChunk, addHeatRow      *sql.Stmt
	addHeatMoves                         *sql.Stmt
	clear                                []*sql.Stmt // a session's derived rows, before a re-derive
}

const sessionColumns = `site_id, visitor_id, started_at, duration_ms, pageviews, clicks, rage_clicks,
	dead_clicks, error_clicks, js_errors, failed_requests, events, viewport_w, viewport_h, device,
	browser, os, country, user_id, score, entry_path_id, exit_path_id, max_scroll, traits, uninterpreted`

// derivedTables are the tables a re-derive replaces wholesale.
var derivedTables = []string{"pageviews", "clicks", "inputs", "errors", "requests", "custom_events",
	"feedback", "moves", "replay_chunks"}

// The inserts say OR FAIL: a failing row then keeps what its statement
// wrote before it instead of undoing it, so SQLite keeps no statement
// journal (a copy of every page each insert touches, a tenth of an
// import's time). Nothing is left half-written by it: every Add runs in a
// savepoint that is rolled back on error, or in a bulk batch that is
// dropped whole (BeginBulk), and each insert writes one row anyway.
func prepareImport(ctx context.Context, db *DB, tx *sql.Tx) (*importStmts, error) {
	s := &importStmts{}
	list := []struct {
		dst **sql.Stmt
		sql string
	}{
		{&s.findArchive, `SELECT session_id FROM archives WHERE sha256 = coalesce(unhex(?1), ?1)`},
		{&s.findSession, `SELECT rid FROM sessions WHERE id = ?`},
		{&s.addArchive, `INSERT OR FAIL INTO archives (sha256, key, session_id, part, imported_at) VALUES (coalesce(unhex(?1), ?1), ?2, ?3, ?4, ?5)`},
		{&s.findSite, `SELECT id FROM sites WHERE name = ?`},
		{&s.addSite, `INSERT INTO sites (name) VALUES (?)`},
		{&s.upsertVisitor, `INSERT INTO visitors (visitor, site_id, user_id, traits, first_seen, last_seen, sessions)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (visitor) DO UPDATE SET
				user_id = CASE WHEN excluded.user_id <> '' THEN excluded.user_id ELSE user_id END,
				traits = coalesce(excluded.traits, traits),
				first_seen = min(first_seen, excluded.first_seen),
				last_seen = max(last_seen, excluded.last_seen),
				sessions = sessions + excluded.sessions
			RETURNING id`},
		{&s.addSession, `INSERT OR FAIL INTO sessions (id, ` + sessionColumns + `)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.updateSession, `UPDATE sessions SET (` + sessionColumns + `)
			= (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE rid = ?`},
		{&s.addPageview, `INSERT OR FAIL INTO pageviews (sid, idx, path_id, url_id, title_id, offset_ms, dwell_ms,
			viewport_w, viewport_h, doc_height, max_scroll_y, scroll_pct, flags)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.addClick, `INSERT OR FAIL INTO clicks (sid, seq, offset_ms, pageview, path_id, x, y, rel_x, rel_y,
			selector_id, tag_id, text_id, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.addInput, `INSERT OR FAIL INTO inputs (sid, seq, offset_ms, pageview, path_id, selector_id) VALUES (?, ?, ?, ?, ?, ?)`},
		{&s.addError, `INSERT OR FAIL INTO errors (sid, seq, offset_ms, pageview, path_id, message_id, source_id, stack_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.addRequest, `INSERT OR FAIL INTO requests (sid, seq, offset_ms, pageview, path_id, method_id, url_id, status,
			duration_ms, failed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.addCustom, `INSERT OR FAIL INTO custom_events (sid, seq, offset_ms, pageview, path_id, name_id, props)
			VALUES (?, ?, ?, ?, ?, ?, ?)`},
		{&s.addFeedback, `INSERT OR FAIL INTO feedback (sid, seq, offset_ms, pageview, path_id, kind, score, comment)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.addMove, `INSERT OR FAIL INTO moves (sid, pageview, path_id, points) VALUES (?, ?, ?, ?)`},
		{&s.addTag, `INSERT OR FAIL INTO tags (sid, tag, source) VALUES (?, ?, 'auto') ON CONFLICT (sid, tag) DO NOTHING`},
		{&s.putReplay, `INSERT INTO replays (sid, header, events, bytes) VALUES (?, ?, ?, ?)
			ON CONFLICT (sid) DO UPDATE SET header = excluded.header, events = excluded.events, bytes = excluded.bytes`},
		{&s.addHeatRow, `INSERT OR FAIL INTO heat_rows (path_id, sid, data) VALUES (?, ?, ?)`},
		{&s.addHeatMoves, `INSERT OR FAIL INTO heat_moves (path_id, sid, data) VALUES (?, ?, ?)`},
		{&s.addChunk, `INSERT OR FAIL INTO replay_chunks (sid, chunk, first_ts, last_ts, events, data) VALUES (?, ?, ?, ?, ?, ?)`},
	}
	for _, p := range list {
		st, err := db.txStmt(ctx, tx, p.sql)
		if err != nil {
			return nil, fmt.Errorf("prepare import: %w", err)
		}
		*p.dst = st
	}
	// Heat rows are keyed by page first: their pages are found in the old
	// facts, so this runs before those are cleared.
	clearHeat, err := db.txStmt(ctx, tx, `DELETE FROM heat_rows WHERE sid = ?1 AND path_id IN
		(SELECT path_id FROM pageviews WHERE sid = ?1 UNION SELECT path_id FROM clicks WHERE sid = ?1)`)
	if err != nil {
		return nil, fmt.Errorf("prepare import: %w", err)
	}
	clearMoves, err := db.txStmt(ctx, tx, `DELETE FROM heat_moves WHERE sid = ?1 AND path_id IN (SELECT path_id FROM moves WHERE sid = ?1)`)
	if err != nil {
		return nil, fmt.Errorf("prepare import: %w", err)
	}
	s.clear = append(s.clear, clearHeat, clearMoves)
	for _, t := range append(derivedTables, "tags") {
		q := `DELETE FROM ` + t + ` WHERE sid = ?`
		if t == "tags" {
			q += ` AND source = 'auto'`
		}
		st, err := db.txStmt(ctx, tx, q)
		if err != nil {
			return nil, fmt.Errorf("prepare import: %w", err)
		}
		s.clear = append(s.clear, st)
	}
	return s, nil
}

// txStmt returns query prepared for tx. Statements are prepared once per
// workspace and database/sql reuses them on each connection, so a
// transaction per archive does not pay for parsing thirty statements.
func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	st, err := db.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return tx.StmtContext(ctx, st), nil
}

// stmt returns query prepared once for the workspace: for the lookups a
// sync makes once per archive, parsing the SQL each time cost more than
// running it.
func (db *DB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	db.stmtMu.Lock()
	defer db.stmtMu.Unlock()
	if st, ok := db.stmts[query]; ok {
		return st, nil
	}
	st, err := db.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	db.stmts[query] = st
	return st, nil
}
