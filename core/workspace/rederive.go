package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/loupe-dev/loupe/core/derive"
)

// rederiveBatch is how many sessions one re-derive transaction rewrites:
// small enough that a sync waiting for the write lock is not held up long,
// and that a cancelled run keeps what it finished.
const rederiveBatch = 200

// RederiveProgress is how far a re-derive has come.
type RederiveProgress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
	// Unreadable counts sessions whose stored replay could not be read;
	// they keep their facts.
	Unreadable int `json:"unreadable"`
}

// Rederive derives every session's facts again from its stored replay
// with the workspace's current definitions (thresholds changed in
// Settings apply to sessions already imported), then re-applies tag
// rules. Sessions are rewritten in transactions of rederiveBatch, so a
// cancelled run leaves each session either wholly re-derived or as it
// was, and running it again finishes the job. progress may be nil.
func (db *DB) Rederive(ctx context.Context, progress func(RederiveProgress)) (RederiveProgress, error) {
	var p RederiveProgress
	ids, err := db.sessionIDs(ctx)
	if err != nil {
		return p, err
	}
	p.Total = len(ids)
	if progress != nil {
		progress(p)
	}
	for start := 0; start < len(ids); start += rederiveBatch {
		if err := ctx.Err(); err != nil {
			return p, fmt.Errorf("re-derive: %w", err)
		}
		b, err := db.BeginBatch(ctx)
		if err != nil {
			return p, err
		}
		for _, id := range ids[start:min(start+rederiveBatch, len(ids))] {
			readable, err := b.rederive(id)
			if err != nil {
				b.Rollback()
				return p, err
			}
			if !readable {
				p.Unreadable++
			}
		}
		if err := b.Commit(); err != nil {
			return p, err
		}
		p.Done = min(start+rederiveBatch, len(ids))
		if progress != nil {
			progress(p)
		}
	}
	if _, err := db.ApplyTagRules(ctx); err != nil {
		return p, err
	}
	return p, nil
}

// sessionIDs lists every session id in import order.
func (db *DB) sessionIDs(ctx context.Context) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id FROM sessions ORDER BY rid`)
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list sessions: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// rederive replaces one session's derived rows with facts derived anew
// from its stored replay; a session deleted meanwhile is skipped, and one
// whose replay cannot be read is left as it is (readable false) rather
// than stopping the whole run.
func (b *Batch) rederive(id string) (readable bool, err error) {
	var sid int64
	err = b.st.findSession.QueryRowContext(b.ctx, id).Scan(&sid)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("re-derive %s: %w", id, err)
	}
	hdr, events, err := loadReplay(b.ctx, b.tx, sid)
	if err != nil {
		if ctxErr := b.ctx.Err(); ctxErr != nil {
			return false, fmt.Errorf("re-derive %s: %w", id, ctxErr)
		}
		return false, nil
	}
	for _, st := range b.st.clear {
		if _, err := st.ExecContext(b.ctx, sid); err != nil {
			return false, fmt.Errorf("re-derive %s: clear old facts: %w", id, err)
		}
	}
	facts := derive.Session(hdr, events, b.defs)
	if _, err := b.putSession(hdr, facts, sid); err != nil {
		return false, fmt.Errorf("re-derive %s: %w", id, err)
	}
	if err := b.putFacts(sid, facts); err != nil {
		return false, fmt.Errorf("re-derive %s: %w", id, err)
	}
	chunks, err := encodeChunks(events)
	if err != nil {
		return false, fmt.Errorf("re-derive %s: %w", id, err)
	}
	if err := b.putReplay(sid, hdr, len(events), chunks); err != nil {
		return false, fmt.Errorf("re-derive %s: %w", id, err)
	}
	return true, nil
}
