package workspace

import (
	"context"
	"fmt"
	"time"
)

// AllNotes returns every note and bookmark in the workspace, by session
// and timeline order (for exporting saved work).
func (db *DB) AllNotes(ctx context.Context) ([]Note, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, session_id, offset_ms, body, bookmark, created_at
		FROM notes ORDER BY session_id, offset_ms, id`)
	if err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	defer rows.Close()
	out := []Note{}
	for rows.Next() {
		var (
			n       Note
			created int64
		)
		if err := rows.Scan(&n.ID, &n.Session, &n.OffsetMS, &n.Text, &n.Bookmark, &created); err != nil {
			return nil, fmt.Errorf("list notes: %w", err)
		}
		n.CreatedAt = time.UnixMilli(created).UTC()
		out = append(out, n)
	}
	return out, rows.Err()
}
