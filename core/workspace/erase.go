package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Erasure names the sessions to delete: exactly one of its fields is set.
// Visitor and User erase a person: every session of the visitor (or of
// every visitor identified as the user) and the visitor rows themselves.
type Erasure struct {
	Session string
	Visitor string
	User    string
	// Before deletes every session that started before this time.
	Before time.Time
}

// ErasureReport says what an erasure deleted, or would delete on a dry run.
type ErasureReport struct {
	DryRun   bool     `json:"dry_run"`
	Sessions []string `json:"sessions"`
	Visitors int64    `json:"visitors"`
	Notes    int64    `json:"notes"`
	Archives int64    `json:"archives"`
	Drafts   int64    `json:"insight_drafts"`
	Assets   int64    `json:"assets"`
	Strings  int64    `json:"strings"`
	// BytesBefore and BytesAfter are the file's size around the vacuum.
	BytesBefore int64 `json:"bytes_before"`
	BytesAfter  int64 `json:"bytes_after"`
}

// ErrBadErasure is returned for an erasure that names nothing or more than
// one thing.
var ErrBadErasure = errors.New("name exactly one of a session, a visitor, a user or a date")

// where returns the condition over sessions s that selects the erasure.
func (e Erasure) where() (string, []any, error) {
	n := 0
	for _, set := range []bool{e.Session != "", e.Visitor != "", e.User != "", !e.Before.IsZero()} {
		if set {
			n++
		}
	}
	if n != 1 {
		return "", nil, ErrBadErasure
	}
	switch {
	case e.Session != "":
		return `s.id = ?`, []any{e.Session}, nil
	case e.Visitor != "":
		return `s.visitor_id IN (SELECT id FROM visitors WHERE visitor = ?)`, []any{e.Visitor}, nil
	case e.User != "":
		// The sessions a visitor had before identify() carry no user id
		// but are the same person's.
		return `(s.user_id = ? OR s.visitor_id IN (SELECT id FROM visitors WHERE user_id = ?))`, []any{e.User, e.User}, nil
	default:
		return `s.started_at < ?`, []any{e.Before.UnixMilli()}, nil
	}
}

// Erase deletes the sessions an erasure names and everything derived from
// them: fact rows, replay chunks, tags, heat rows, asset manifests (by
// cascade), notes and bookmarks, the archive bookkeeping, insight drafts
// that cite them, visitors left without sessions, dictionary strings no
// row uses any more and page assets no session uses any more. A visitor or
// user erasure also removes the visitor rows (and their traits) at once.
//
// The transaction runs with secure_delete so freed cells are zeroed, and a
// VACUUM then rewrites the file so no page of the old layout survives;
// incremental vacuum would only hand free pages back and needs
// auto_vacuum set when the file was created. The WAL is truncated last, so
// the erased bytes are gone from both files when Erase returns. A dry run
// only lists the sessions.
func (db *DB) Erase(ctx context.Context, e Erasure, dryRun bool) (ErasureReport, error) {
	rep := ErasureReport{DryRun: dryRun, Sessions: []string{}}
	w, args, err := e.where()
	if err != nil {
		return rep, fmt.Errorf("erase: %w", err)
	}
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return rep, fmt.Errorf("erase: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return rep, fmt.Errorf("erase: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA secure_delete = OFF`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("erase: %w", err)
	}
	defer tx.Rollback()
	if rep.Sessions, err = erasedIDs(ctx, tx, w, args); err != nil {
		return rep, err
	}
	if dryRun || len(rep.Sessions) == 0 {
		return rep, nil
	}
	ids, _ := json.Marshal(rep.Sessions)
	// The dictionary lock is held from here to the commit so no cached id
	// of a string about to be pruned is handed out meanwhile; imports take
	// it only inside their own write transaction, which waits for ours.
	db.dictMu.Lock()
	locked := true
	defer func() {
		if locked {
			db.dictMu.Unlock()
		}
	}()
	steps := []struct {
		n    *int64
		sql  string
		args []any
	}{
		{&rep.Notes, `DELETE FROM notes WHERE session_id IN (SELECT value FROM json_each(?))`, []any{ids}},
		// A date cut keeps the archive bookkeeping (hash, key, session id,
		// nothing of the content) so the next sync does not import the
		// expired sessions again; erasing a person drops it too, and
		// `loupe erase` removes their archives from the store.
		{&rep.Archives, `DELETE FROM archives WHERE ? AND session_id IN (SELECT value FROM json_each(?))`, []any{e.Before.IsZero(), ids}},
		{nil, `DELETE FROM quarantine WHERE EXISTS (SELECT 1 FROM json_each(?) j WHERE instr(quarantine.key, j.value) > 0)`, []any{ids}},
		{&rep.Drafts, `DELETE FROM insight_drafts WHERE EXISTS (SELECT 1 FROM json_each(?) j WHERE instr(insight_drafts.finding, j.value) > 0)`, []any{ids}},
		{nil, `DELETE FROM sessions WHERE id IN (SELECT value FROM json_each(?))`, []any{ids}},
		{&rep.Visitors, `DELETE FROM visitors WHERE visitor = ? OR (? != '' AND user_id = ?)`, []any{e.Visitor, e.User, e.User}},
		{&rep.Visitors, `DELETE FROM visitors WHERE NOT EXISTS (SELECT 1 FROM sessions WHERE visitor_id = visitors.id)`, nil},
		{nil, `UPDATE visitors SET sessions = (SELECT count(*) FROM sessions WHERE visitor_id = visitors.id)`, nil},
		{&rep.Strings, `DELETE FROM strs WHERE id NOT IN (
			SELECT url_id FROM pageviews UNION SELECT title_id FROM pageviews WHERE title_id IS NOT NULL
			UNION SELECT tag_id FROM clicks WHERE tag_id IS NOT NULL UNION SELECT text_id FROM clicks WHERE text_id IS NOT NULL
			UNION SELECT message_id FROM errors UNION SELECT source_id FROM errors WHERE source_id IS NOT NULL
			UNION SELECT stack_id FROM errors WHERE stack_id IS NOT NULL
			UNION SELECT method_id FROM requests UNION SELECT url_id FROM requests UNION SELECT name_id FROM custom_events)`, nil},
		{&rep.Strings, `DELETE FROM selectors WHERE id NOT IN (SELECT selector_id FROM clicks UNION SELECT selector_id FROM inputs)`, nil},
		{&rep.Strings, `DELETE FROM paths WHERE id NOT IN (
			SELECT entry_path_id FROM sessions WHERE entry_path_id IS NOT NULL
			UNION SELECT exit_path_id FROM sessions WHERE exit_path_id IS NOT NULL
			UNION SELECT path_id FROM pageviews UNION SELECT path_id FROM clicks UNION SELECT path_id FROM inputs
			UNION SELECT path_id FROM errors UNION SELECT path_id FROM requests UNION SELECT path_id FROM custom_events
			UNION SELECT path_id FROM feedback UNION SELECT path_id FROM moves UNION SELECT path_id FROM heat_rows)`, nil},
		{&rep.Assets, `DELETE FROM assets WHERE NOT EXISTS (SELECT 1 FROM session_assets sa WHERE sa.sha256 = assets.sha256)`, nil},
	}
	for _, st := range steps {
		res, err := tx.ExecContext(ctx, st.sql, st.args...)
		if err != nil {
			return rep, fmt.Errorf("erase: %w", err)
		}
		if st.n != nil {
			n, _ := res.RowsAffected()
			*st.n += n
		}
	}
	if err := tx.Commit(); err != nil {
		return rep, fmt.Errorf("erase: %w", err)
	}
	// Ids of pruned strings may be reused by the next import, so the
	// cache must not keep them; it refills from the file.
	db.dicts = map[string]map[string]int64{}
	db.dictGen++
	db.dictMu.Unlock()
	locked = false
	rep.BytesBefore, rep.BytesAfter, err = db.reclaim(ctx, conn)
	if err != nil {
		// The rows are gone (and their cells zeroed); say so, or a retry
		// would look for sessions that are no longer there.
		return rep, fmt.Errorf("%d sessions were deleted, but %w", len(rep.Sessions), err)
	}
	return rep, nil
}

// erasedIDs lists the ids of the sessions matching the condition w.
func erasedIDs(ctx context.Context, tx *sql.Tx, w string, args []any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.id FROM sessions s WHERE `+w+` ORDER BY s.started_at, s.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("erase: %w", err)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("erase: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// checkpointTries bounds the retries of a busy WAL checkpoint (20 ms apart).
const checkpointTries = 250

// ErrBusy is returned when the space of erased rows could not be reclaimed
// because other connections kept the workspace busy; the rows are deleted.
var ErrBusy = errors.New("workspace busy")

// reclaim rewrites the file with VACUUM and truncates the WAL, returning
// the file's size before and after.
func (db *DB) reclaim(ctx context.Context, conn *sql.Conn) (before, after int64, err error) {
	size := func() int64 {
		var pages, pageSize int64
		conn.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages)
		conn.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&pageSize)
		return pages * pageSize
	}
	before = size()
	if _, err := conn.ExecContext(ctx, `VACUUM`); err != nil {
		return before, before, fmt.Errorf("reclaim space: %w", err)
	}
	// A reader still on an old snapshot makes the checkpoint report busy
	// and leave the WAL as it is; readers finish quickly, so try again.
	for try := 0; ; try++ {
		var busy, logPages, done int
		if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logPages, &done); err != nil {
			return before, size(), fmt.Errorf("reclaim space: %w", err)
		}
		if busy == 0 {
			break
		}
		if try == checkpointTries {
			return before, size(), fmt.Errorf("reclaim space: %w: another connection kept the write-ahead log busy; close other programs using the workspace and delete again", ErrBusy)
		}
		select {
		case <-ctx.Done():
			return before, size(), fmt.Errorf("reclaim space: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return before, size(), nil
}
