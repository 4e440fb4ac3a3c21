package workspace

import (
	"context"
	"fmt"
	"time"
)

// Note is a note or bookmark on a session's timeline.
type Note struct {
	ID        int64     `json:"id"`
	Session   string    `json:"session"`
	OffsetMS  int64     `json:"offset_ms"`
	Text      string    `json:"text"`
	Bookmark  bool      `json:"bookmark"`
	CreatedAt time.Time `json:"created_at"`
}

// Notes returns a session's notes in timeline order.
func (db *DB) Notes(ctx context.Context, session string) ([]Note, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, session_id, offset_ms, body, bookmark, created_at
		FROM notes WHERE session_id = ? ORDER BY offset_ms, id`, session)
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
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	return out, nil
}

// AddNote saves a note on an existing session's timeline.
func (db *DB) AddNote(ctx context.Context, n Note) (Note, error) {
	if _, err := db.rid(ctx, db.db, n.Session); err != nil {
		return n, fmt.Errorf("add note: %w", err)
	}
	n.CreatedAt = time.Now().UTC().Truncate(time.Millisecond)
	r, err := db.db.ExecContext(ctx, `INSERT INTO notes (session_id, offset_ms, body, bookmark, created_at)
		VALUES (?, ?, ?, ?, ?)`, n.Session, n.OffsetMS, n.Text, n.Bookmark, n.CreatedAt.UnixMilli())
	if err != nil {
		return n, fmt.Errorf("add note: %w", err)
	}
	if n.ID, err = r.LastInsertId(); err != nil {
		return n, fmt.Errorf("add note: %w", err)
	}
	return n, nil
}

// DeleteNote removes a note; a missing one matches ErrNotFound.
func (db *DB) DeleteNote(ctx context.Context, id int64) error {
	r, err := db.db.ExecContext(ctx, `DELETE FROM notes WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete note %d: %w", id, err)
	}
	if n, err := r.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("delete note %d: %w", id, ErrNotFound)
	}
	return nil
}
