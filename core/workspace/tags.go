package workspace

import (
	"context"
	"fmt"
)

// AddTag tags a session by hand. Manual tags survive re-derives.
func (db *DB) AddTag(ctx context.Context, id, tag string) error {
	return db.setTag(ctx, id, tag, "manual")
}

// AddRuleTag tags a session from a saved rule.
func (db *DB) AddRuleTag(ctx context.Context, id, tag string) error {
	return db.setTag(ctx, id, tag, "rule")
}

func (db *DB) setTag(ctx context.Context, id, tag, source string) error {
	if tag == "" {
		return fmt.Errorf("tag session %s: %w: empty tag", id, ErrBadQuery)
	}
	sid, err := db.rid(ctx, db.db, id)
	if err != nil {
		return err
	}
	if _, err := db.db.ExecContext(ctx, `INSERT INTO tags (sid, tag, source) VALUES (?, ?, ?)
		ON CONFLICT (sid, tag) DO UPDATE SET source = excluded.source`, sid, tag, source); err != nil {
		return fmt.Errorf("tag session %s: %w", id, err)
	}
	return nil
}

// RemoveTag removes a tag from a session, whatever put it there.
func (db *DB) RemoveTag(ctx context.Context, id, tag string) error {
	sid, err := db.rid(ctx, db.db, id)
	if err != nil {
		return err
	}
	if _, err := db.db.ExecContext(ctx, `DELETE FROM tags WHERE sid = ? AND tag = ?`, sid, tag); err != nil {
		return fmt.Errorf("untag session %s: %w", id, err)
	}
	return nil
}
