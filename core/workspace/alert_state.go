package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// AlertEvent is one entry of the alert history: a rule fired or resolved.
type AlertEvent struct {
	ID       int64     `json:"id"`
	RuleID   int64     `json:"rule_id"`
	At       time.Time `json:"at"`
	Kind     string    `json:"kind"` // "fired" or "resolved"
	Value    float64   `json:"value"`
	Previous *float64  `json:"previous,omitempty"`
	Trigger  string    `json:"trigger"`
	Message  string    `json:"message"`
	Seen     bool      `json:"seen"`
}

// AlertCheck is the outcome of evaluating one rule.
type AlertCheck struct {
	RuleID   int64
	Holds    bool // the rule's condition holds now
	Value    float64
	Previous *float64
	At       time.Time
	Trigger  string
	// Message is recorded if the check changes the rule's state.
	Message string
}

// RecordAlertCheck stores a check and, in the same write transaction,
// compares it with the rule's last state: when the condition starts to
// hold it records a "fired" event, when it stops a "resolved" one, and
// otherwise nothing. Because the read and the write share one immediate
// transaction, a sync and a scheduled check racing each other still fire
// once. It returns the event recorded, if any.
func (db *DB) RecordAlertCheck(ctx context.Context, c AlertCheck) (*AlertEvent, error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("record alert check: %w", err)
	}
	defer tx.Rollback()
	var firing bool
	err = tx.QueryRowContext(ctx, `SELECT firing FROM alert_state WHERE rule_id = ?`, c.RuleID).Scan(&firing)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("record alert check: %w", err)
	}
	at := c.At.UnixMilli()
	if _, err := tx.ExecContext(ctx, `INSERT INTO alert_state (rule_id, firing, value, checked_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (rule_id) DO UPDATE SET firing = excluded.firing, value = excluded.value, checked_at = excluded.checked_at`,
		c.RuleID, c.Holds, c.Value, at); err != nil {
		return nil, fmt.Errorf("record alert check: %w", err)
	}
	var ev *AlertEvent
	if c.Holds != firing {
		ev = &AlertEvent{RuleID: c.RuleID, At: c.At.UTC(), Kind: "resolved", Value: c.Value, Previous: c.Previous,
			Trigger: c.Trigger, Message: c.Message}
		if c.Holds {
			ev.Kind = "fired"
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO alert_history (rule_id, at, kind, value, previous, trigger, message)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, c.RuleID, at, ev.Kind, c.Value, c.Previous, c.Trigger, c.Message)
		if err != nil {
			return nil, fmt.Errorf("record alert check: %w", err)
		}
		ev.ID, _ = res.LastInsertId()
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("record alert check: %w", err)
	}
	return ev, nil
}

// AlertFiring tells whether a rule's condition held at its last check.
func (db *DB) AlertFiring(ctx context.Context, ruleID int64) (bool, error) {
	var firing bool
	err := db.db.QueryRowContext(ctx, `SELECT firing FROM alert_state WHERE rule_id = ?`, ruleID).Scan(&firing)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("alert state %d: %w", ruleID, err)
	}
	return firing, nil
}

// AlertHistory lists history entries, newest first; ruleID 0 means every
// rule, limit 0 means all.
func (db *DB) AlertHistory(ctx context.Context, ruleID int64, limit int) ([]AlertEvent, error) {
	q := `SELECT id, rule_id, at, kind, value, previous, trigger, message, seen FROM alert_history`
	var args []any
	if ruleID != 0 {
		q += ` WHERE rule_id = ?`
		args = append(args, ruleID)
	}
	q += ` ORDER BY at DESC, id DESC`
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := db.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("alert history: %w", err)
	}
	defer rows.Close()
	var out []AlertEvent
	for rows.Next() {
		var e AlertEvent
		var at int64
		var prev sql.NullFloat64
		if err := rows.Scan(&e.ID, &e.RuleID, &at, &e.Kind, &e.Value, &prev, &e.Trigger, &e.Message, &e.Seen); err != nil {
			return nil, fmt.Errorf("alert history: %w", err)
		}
		e.At = time.UnixMilli(at).UTC()
		if prev.Valid {
			e.Previous = &prev.Float64
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("alert history: %w", err)
	}
	return out, nil
}

// MarkAlertsSeen dismisses the in-app notices up to and including id.
func (db *DB) MarkAlertsSeen(ctx context.Context, upTo int64) error {
	if _, err := db.db.ExecContext(ctx, `UPDATE alert_history SET seen = 1 WHERE id <= ?`, upTo); err != nil {
		return fmt.Errorf("mark alerts seen: %w", err)
	}
	return nil
}
