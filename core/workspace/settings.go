package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/loupe-dev/loupe/core"
)

// definitionsKey is the settings key of the workspace's definitions.
const definitionsKey = "definitions"

// Setting reads a JSON setting into v; ok is false when it is not set.
func (db *DB) Setting(ctx context.Context, key string, v any) (ok bool, err error) {
	var raw string
	err = db.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read setting %s: %w", key, err)
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return false, fmt.Errorf("decode setting %s: %w", key, err)
	}
	return true, nil
}

// SetSetting stores v as JSON under key.
func (db *DB) SetSetting(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode setting %s: %w", key, err)
	}
	if _, err := db.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, string(b)); err != nil {
		return fmt.Errorf("store setting %s: %w", key, err)
	}
	return nil
}

// Definitions returns the workspace's definitions: the stored ones laid
// over the documented defaults, so a setting saved by an older version
// still gets defaults for thresholds added since.
func (db *DB) Definitions(ctx context.Context) (core.Definitions, error) {
	d := core.Default()
	if _, err := db.Setting(ctx, definitionsKey, &d); err != nil {
		return core.Default(), err
	}
	return d, nil
}

// SetDefinitions stores the workspace's definitions. Sessions already
// imported keep their facts until they are imported or re-derived again.
func (db *DB) SetDefinitions(ctx context.Context, d core.Definitions) error {
	return db.SetSetting(ctx, definitionsKey, d)
}
