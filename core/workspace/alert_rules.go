package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// AlertRule is a stored alert rule. Spec is the rule's JSON definition,
// which core/alert reads and writes; the workspace only keeps it.
type AlertRule struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Spec      string    `json:"spec"`
	Enabled   bool      `json:"enabled"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// SaveAlertRule inserts r (ID 0) or updates the rule with r.ID, and
// returns its id.
func (db *DB) SaveAlertRule(ctx context.Context, r AlertRule) (int64, error) {
	now := time.Now().UnixMilli()
	if r.ID == 0 {
		res, err := db.db.ExecContext(ctx, `INSERT INTO alert_rules (name, spec, enabled, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?)`, r.Name, r.Spec, r.Enabled, now, now)
		if err != nil {
			return 0, fmt.Errorf("save alert rule %q: %w", r.Name, err)
		}
		return res.LastInsertId()
	}
	res, err := db.db.ExecContext(ctx, `UPDATE alert_rules SET name = ?, spec = ?, enabled = ?, updated_at = ?
		WHERE id = ?`, r.Name, r.Spec, r.Enabled, now, r.ID)
	if err != nil {
		return 0, fmt.Errorf("save alert rule %d: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, fmt.Errorf("save alert rule %d: %w", r.ID, ErrNotFound)
	}
	return r.ID, nil
}

// DeleteAlertRule removes a rule with its state and history.
func (db *DB) DeleteAlertRule(ctx context.Context, id int64) error {
	res, err := db.db.ExecContext(ctx, `DELETE FROM alert_rules WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("delete alert rule %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("delete alert rule %d: %w", id, ErrNotFound)
	}
	return nil
}

// AlertRules lists every rule, oldest first.
func (db *DB) AlertRules(ctx context.Context) ([]AlertRule, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, name, spec, enabled, created_at, updated_at
		FROM alert_rules ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list alert rules: %w", err)
	}
	defer rows.Close()
	var out []AlertRule
	for rows.Next() {
		var r AlertRule
		var created, updated int64
		if err := rows.Scan(&r.ID, &r.Name, &r.Spec, &r.Enabled, &created, &updated); err != nil {
			return nil, fmt.Errorf("list alert rules: %w", err)
		}
		r.CreatedAt, r.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list alert rules: %w", err)
	}
	return out, nil
}

// AlertRule returns one rule.
func (db *DB) AlertRule(ctx context.Context, id int64) (AlertRule, error) {
	var r AlertRule
	var created, updated int64
	err := db.db.QueryRowContext(ctx, `SELECT id, name, spec, enabled, created_at, updated_at
		FROM alert_rules WHERE id = ?`, id).Scan(&r.ID, &r.Name, &r.Spec, &r.Enabled, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("alert rule %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, fmt.Errorf("alert rule %d: %w", id, err)
	}
	r.CreatedAt, r.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	return r, nil
}
