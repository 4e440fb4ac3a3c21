package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// InsightDraft is a stored insight draft. Finding is the engine's JSON for
// the finding; the workspace keeps it opaque.
type InsightDraft struct {
	ID        int64     `json:"id"`
	Key       string    `json:"key"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Finding   string    `json:"finding"`
	Strength  float64   `json:"strength"`
	Edited    bool      `json:"edited"`
	Dismissed bool      `json:"dismissed"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// UpsertInsightDraft stores a draft from a scan. A draft with the same key
// gets the new evidence and strength; its title and body are replaced only
// if nobody edited them. It returns the draft's id.
func (db *DB) UpsertInsightDraft(ctx context.Context, d InsightDraft) (int64, error) {
	now := time.Now().UnixMilli()
	var id int64
	err := db.db.QueryRowContext(ctx, `INSERT INTO insight_drafts (key, kind, title, body, finding, strength, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET
			kind = excluded.kind,
			finding = excluded.finding,
			strength = excluded.strength,
			title = CASE WHEN insight_drafts.edited THEN insight_drafts.title ELSE excluded.title END,
			body = CASE WHEN insight_drafts.edited THEN insight_drafts.body ELSE excluded.body END,
			updated_at = excluded.updated_at
		RETURNING id`, d.Key, d.Kind, d.Title, d.Body, d.Finding, d.Strength, now, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("save insight draft %q: %w", d.Key, err)
	}
	return id, nil
}

// EditInsightDraft replaces a draft's title and body and marks it edited,
// so later scans keep the analyst's words.
func (db *DB) EditInsightDraft(ctx context.Context, id int64, title, body string) error {
	res, err := db.db.ExecContext(ctx, `UPDATE insight_drafts SET title = ?, body = ?, edited = 1, updated_at = ?
		WHERE id = ?`, title, body, time.Now().UnixMilli(), id)
	if err != nil {
		return fmt.Errorf("edit insight draft %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("edit insight draft %d: %w", id, ErrNotFound)
	}
	return nil
}

// DismissInsightDraft hides a draft (or shows it again).
func (db *DB) DismissInsightDraft(ctx context.Context, id int64, dismissed bool) error {
	res, err := db.db.ExecContext(ctx, `UPDATE insight_drafts SET dismissed = ?, updated_at = ? WHERE id = ?`,
		dismissed, time.Now().UnixMilli(), id)
	if err != nil {
		return fmt.Errorf("dismiss insight draft %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("dismiss insight draft %d: %w", id, ErrNotFound)
	}
	return nil
}

// InsightDrafts lists drafts, strongest first; dismissed ones only when
// asked.
func (db *DB) InsightDrafts(ctx context.Context, withDismissed bool) ([]InsightDraft, error) {
	q := `SELECT id, key, kind, title, body, finding, strength, edited, dismissed, created_at, updated_at FROM insight_drafts`
	if !withDismissed {
		q += ` WHERE dismissed = 0`
	}
	rows, err := db.db.QueryContext(ctx, q+` ORDER BY strength DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("list insight drafts: %w", err)
	}
	defer rows.Close()
	var out []InsightDraft
	for rows.Next() {
		d, err := scanInsightDraft(rows)
		if err != nil {
			return nil, fmt.Errorf("list insight drafts: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list insight drafts: %w", err)
	}
	return out, nil
}

// InsightDraft returns one draft.
func (db *DB) InsightDraft(ctx context.Context, id int64) (InsightDraft, error) {
	row := db.db.QueryRowContext(ctx, `SELECT id, key, kind, title, body, finding, strength, edited, dismissed, created_at, updated_at
		FROM insight_drafts WHERE id = ?`, id)
	d, err := scanInsightDraft(row)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("insight draft %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return d, fmt.Errorf("insight draft %d: %w", id, err)
	}
	return d, nil
}

func scanInsightDraft(r interface{ Scan(...any) error }) (InsightDraft, error) {
	var d InsightDraft
	var created, updated int64
	err := r.Scan(&d.ID, &d.Key, &d.Kind, &d.Title, &d.Body, &d.Finding, &d.Strength, &d.Edited, &d.Dismissed, &created, &updated)
	d.CreatedAt, d.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	return d, err
}
