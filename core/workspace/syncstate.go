package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Cursor returns how far a sync source has been read ("" for never).
func (db *DB) Cursor(ctx context.Context, source string) (string, error) {
	var c string
	err := db.db.QueryRowContext(ctx, `SELECT cursor FROM sources WHERE addr = ?`, source).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read cursor of %s: %w", source, err)
	}
	return c, nil
}

// execer is what both *sql.DB and *sql.Tx offer for writes.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// SetCursor records how far a sync source has been read.
func (db *DB) SetCursor(ctx context.Context, source, cursor string) error {
	return setCursor(ctx, db.db, source, cursor)
}

// SetCursor records how far a sync source has been read, committed with
// the batch: the cursor then never runs ahead of what is imported.
func (b *Batch) SetCursor(source, cursor string) error {
	return setCursor(b.ctx, b.tx, source, cursor)
}

func setCursor(ctx context.Context, x execer, source, cursor string) error {
	if _, err := x.ExecContext(ctx, `INSERT INTO sources (addr, cursor, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (addr) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
		source, cursor, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("store cursor of %s: %w", source, err)
	}
	return nil
}

// SourceState is one sync source and how far it has been read.
type SourceState struct {
	Addr      string    `json:"addr"`
	Cursor    string    `json:"cursor"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Sources lists the sync sources this workspace has read from.
func (db *DB) Sources(ctx context.Context) ([]SourceState, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT addr, cursor, updated_at FROM sources ORDER BY addr`)
	if err != nil {
		return nil, fmt.Errorf("list sources: %w", err)
	}
	defer rows.Close()
	var out []SourceState
	for rows.Next() {
		var s SourceState
		var ms int64
		if err := rows.Scan(&s.Addr, &s.Cursor, &ms); err != nil {
			return nil, fmt.Errorf("list sources: %w", err)
		}
		s.UpdatedAt = time.UnixMilli(ms).UTC()
		out = append(out, s)
	}
	return out, rows.Err()
}

// HasArchive reports whether an archive with this digest is imported.
func (db *DB) HasArchive(ctx context.Context, sha string) (bool, error) {
	var n int
	st, err := db.stmt(ctx, `SELECT count(*) FROM archives WHERE sha256 = coalesce(unhex(?1), ?1)`)
	if err == nil {
		err = st.QueryRowContext(ctx, sha).Scan(&n)
	}
	if err != nil {
		return false, fmt.Errorf("look up archive: %w", err)
	}
	return n > 0, nil
}

// Quarantined is an archive that could not be imported, set aside with
// the reason.
type Quarantined struct {
	Source    string    `json:"source"`
	Key       string    `json:"key"`
	SHA256    string    `json:"sha256"`
	Reason    string    `json:"reason"`
	KeptAt    string    `json:"kept_at"` // the file kept aside, "" if none
	CreatedAt time.Time `json:"created_at"`
}

// Quarantine records an archive that could not be imported. Recording the
// same source and key again replaces the earlier reason.
func (db *DB) Quarantine(ctx context.Context, q Quarantined) error {
	return quarantine(ctx, db.db, q)
}

// Quarantine records an archive that could not be imported, committed
// with the batch.
func (b *Batch) Quarantine(q Quarantined) error {
	return quarantine(b.ctx, b.tx, q)
}

func quarantine(ctx context.Context, x execer, q Quarantined) error {
	if q.CreatedAt.IsZero() {
		q.CreatedAt = time.Now()
	}
	if _, err := x.ExecContext(ctx, `INSERT INTO quarantine (source, key, sha256, reason, kept_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, key) DO UPDATE SET
		sha256 = excluded.sha256, reason = excluded.reason, kept_at = excluded.kept_at, created_at = excluded.created_at`,
		q.Source, q.Key, q.SHA256, q.Reason, q.KeptAt, q.CreatedAt.UnixMilli()); err != nil {
		return fmt.Errorf("quarantine %s: %w", q.Key, err)
	}
	return nil
}

// QuarantinedArchives lists the archives set aside, oldest first.
func (db *DB) QuarantinedArchives(ctx context.Context) ([]Quarantined, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT source, key, sha256, reason, kept_at, created_at
		FROM quarantine ORDER BY created_at, key`)
	if err != nil {
		return nil, fmt.Errorf("list quarantine: %w", err)
	}
	defer rows.Close()
	var out []Quarantined
	for rows.Next() {
		var q Quarantined
		var ms int64
		if err := rows.Scan(&q.Source, &q.Key, &q.SHA256, &q.Reason, &q.KeptAt, &ms); err != nil {
			return nil, fmt.Errorf("list quarantine: %w", err)
		}
		q.CreatedAt = time.UnixMilli(ms).UTC()
		out = append(out, q)
	}
	return out, rows.Err()
}
