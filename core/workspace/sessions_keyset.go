package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/loupe-dev/loupe/core"
)

// anchorEvery is how many rows apart the session list's page anchors are:
// a window at any offset starts from the anchor before it and skips at
// most this many rows through the sort column's index, where OFFSET would
// walk every row before the window (half a million to reach the middle of
// a million sessions).
const anchorEvery = 1000

// anchorCache keeps the anchors of recent list queries, keyed by the
// query text, its arguments and the workspace's change counters
// (index_generation), so any import or edit makes new ones.
type anchorCache struct {
	mu      sync.Mutex
	entries map[string][][2]any
	// inflight holds the lists whose anchors are being computed; a second
	// asker waits for the first instead of computing them again.
	inflight map[string]chan struct{}
}

// maxAnchorSets bounds the cache: a handful of filters and sorts in use.
const maxAnchorSets = 16

// sortKey is q's sort column expression and direction.
func (q SessionQuery) sortKey() (col string, desc bool, err error) {
	sort, desc := q.Sort, false
	if sort == "" {
		sort, desc = "started_at", true
	}
	if strings.HasPrefix(sort, "-") {
		sort, desc = sort[1:], true
	}
	col, ok := sortColumns[sort]
	if !ok {
		return "", false, fmt.Errorf("%w: cannot sort by %q", ErrBadQuery, q.Sort)
	}
	return col, desc, nil
}

// sessionsFromAnchor is Sessions for a window far down the list. OFFSET
// there is slow because the list's joins (site, visitor) run for every
// skipped row: at 1M sessions, 3.3 s to reach the middle. Instead it finds
// the key of a row at or just before the window (keyAt) and reads the
// window with a row-value condition, (sort column, rid) past that key,
// which SQLite answers as a range scan of the sort column's index.
func (db *DB) sessionsFromAnchor(ctx context.Context, q SessionQuery) ([]core.Session, error) {
	col, desc, err := q.sortKey()
	if err != nil {
		return nil, err
	}
	where, args := q.where()
	order, err := q.orderBy()
	if err != nil {
		return nil, err
	}
	key, ok, err := db.keyAt(ctx, q.Offset, col, where, order, args)
	if err != nil || !ok {
		return nil, err
	}
	cmp := ">="
	if desc {
		cmp = "<="
	}
	cond := "(" + col + ", s.rid) " + cmp + " (?, ?)"
	if where == "" {
		where = " WHERE " + cond
	} else {
		where += " AND " + cond
	}
	args = append(append([]any(nil), args...), key[0], key[1])
	limit := q.Limit
	if limit <= 0 {
		limit = -1
	}
	args = append(args, limit, key[2])
	return db.loadSessions(ctx, db.db, sessionRowSelect+where+order+" LIMIT ? OFFSET ?", args...)
}

// keyAt finds where a window at offset starts: the sort key and rid of a
// row at or before it, and how many rows to skip from there. From the
// cached anchors when the list has them; else it asks for the row at the
// offset itself with a narrow query (sort column and rid only, no joins),
// which the sort column's index answers in milliseconds even half a
// million rows down, and has the anchors computed in the background for
// the next jump. ok is false past the end of the list.
func (db *DB) keyAt(ctx context.Context, offset int, col, where, order string, args []any) (key [3]any, ok bool, err error) {
	if anchors, cached, err := db.cachedAnchors(ctx, where, order, args); err != nil {
		return key, false, err
	} else if cached {
		a := offset / anchorEvery
		if a >= len(anchors) {
			return key, false, nil
		}
		return [3]any{anchors[a][0], anchors[a][1], offset % anchorEvery}, true, nil
	}
	go db.listAnchors(context.WithoutCancel(ctx), col, where, order, args) // an error shows again on the next jump
	var k any
	var rid int64
	err = db.db.QueryRowContext(ctx, `SELECT `+col+`, s.rid FROM sessions s`+where+order+` LIMIT 1 OFFSET ?`,
		append(append([]any(nil), args...), offset)...).Scan(&k, &rid)
	if errors.Is(err, sql.ErrNoRows) {
		return key, false, nil
	}
	if err != nil {
		return key, false, fmt.Errorf("list sessions: %w", err)
	}
	return [3]any{k, rid, 0}, true, nil
}

// warmAnchors computes q's anchors in the background after its first
// window was read in full, so the list's first jump finds them ready: the
// view shows its first rows meanwhile.
func (db *DB) warmAnchors(ctx context.Context, q SessionQuery) {
	col, _, err := q.sortKey()
	if err != nil {
		return
	}
	where, args := q.where()
	order, err := q.orderBy()
	if err != nil {
		return
	}
	go db.listAnchors(context.WithoutCancel(ctx), col, where, order, args) // an error shows again on the jump
}

// anchors lists the sort key and rid of every anchorEvery-th row of the
// list (rows 0, anchorEvery, 2·anchorEvery ...), from the cache when the
// workspace has not changed since.
func (db *DB) listAnchors(ctx context.Context, col, where, order string, args []any) ([][2]any, error) {
	key, err := db.anchorKey(ctx, where, order, args)
	if err != nil {
		return nil, err
	}
	c := &db.anchors
	for {
		c.mu.Lock()
		if got, ok := c.entries[key]; ok {
			c.mu.Unlock()
			return got, nil
		}
		wait, busy := c.inflight[key]
		if !busy {
			if c.inflight == nil {
				c.inflight = map[string]chan struct{}{}
			}
			done := make(chan struct{})
			c.inflight[key] = done
			c.mu.Unlock()
			defer func() {
				c.mu.Lock()
				delete(c.inflight, key)
				c.mu.Unlock()
				close(done)
			}()
			break
		}
		c.mu.Unlock()
		select {
		case <-wait: // computed (or failed: then this asker tries itself)
		case <-ctx.Done():
			return nil, fmt.Errorf("list sessions: %w", ctx.Err())
		}
	}
	rows, err := db.db.QueryContext(ctx, `SELECT k, rid FROM (SELECT `+col+` AS k, s.rid AS rid, row_number() OVER (`+
		strings.TrimPrefix(order, " ")+`) AS rn FROM sessions s`+where+`) WHERE rn % ? = 1 ORDER BY rn`, append(append([]any(nil), args...), anchorEvery)...)
	if err != nil {
		return nil, fmt.Errorf("list sessions: anchors: %w", err)
	}
	defer rows.Close()
	var out [][2]any
	for rows.Next() {
		var k any
		var rid int64
		if err := rows.Scan(&k, &rid); err != nil {
			return nil, fmt.Errorf("list sessions: anchors: %w", err)
		}
		out = append(out, [2]any{k, rid})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sessions: anchors: %w", err)
	}
	c.mu.Lock()
	if len(c.entries) >= maxAnchorSets || c.entries == nil {
		c.entries = map[string][][2]any{}
	}
	c.entries[key] = out
	c.mu.Unlock()
	return out, nil
}

// anchorKey names a list's anchors in the cache: the query and the
// workspace's change counters, so any import or edit makes new ones.
func (db *DB) anchorKey(ctx context.Context, where, order string, args []any) (string, error) {
	var appended, changed int64
	if err := db.db.QueryRowContext(ctx, `SELECT appended, changed FROM index_generation WHERE id = 1`).Scan(&appended, &changed); err != nil {
		return "", fmt.Errorf("list sessions: %w", err)
	}
	return fmt.Sprintf("%d/%d|%s|%s|%q", appended, changed, where, order, args), nil
}

// cachedAnchors returns a list's anchors when they are cached.
func (db *DB) cachedAnchors(ctx context.Context, where, order string, args []any) ([][2]any, bool, error) {
	key, err := db.anchorKey(ctx, where, order, args)
	if err != nil {
		return nil, false, err
	}
	db.anchors.mu.Lock()
	defer db.anchors.mu.Unlock()
	got, ok := db.anchors.entries[key]
	return got, ok, nil
}
