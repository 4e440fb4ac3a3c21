package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/segment"
)

// ErrInvalidName is returned for an empty or overlong saved-item name.
var ErrInvalidName = errors.New("invalid name")

func checkName(name string) error {
	if strings.TrimSpace(name) == "" || len(name) > 200 {
		return fmt.Errorf("%w: %q (want 1 to 200 characters)", ErrInvalidName, name)
	}
	return nil
}

// SavedSegment is a named segment kept in the workspace.
type SavedSegment struct {
	Name      string       `json:"name"`
	Expr      segment.Expr `json:"-"`
	Text      string       `json:"text"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
}

// SaveSegment stores (or replaces) a named segment.
func (db *DB) SaveSegment(ctx context.Context, name string, e segment.Expr) error {
	if err := checkName(name); err != nil {
		return err
	}
	if e == nil {
		return fmt.Errorf("save segment %q: %w: empty segment", name, segment.ErrSyntax)
	}
	now := time.Now().UnixMilli()
	if _, err := db.db.ExecContext(ctx, `INSERT INTO saved_segments (name, expr, created_at, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET expr = excluded.expr, updated_at = excluded.updated_at`, name, e.String(), now, now); err != nil {
		return fmt.Errorf("save segment %q: %w", name, err)
	}
	return nil
}

// SavedSegments lists the saved segments by name. A stored text that no
// longer parses is returned with a nil Expr rather than failing the list.
func (db *DB) SavedSegments(ctx context.Context) ([]SavedSegment, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT name, expr, created_at, updated_at FROM saved_segments ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list saved segments: %w", err)
	}
	defer rows.Close()
	out := []SavedSegment{}
	for rows.Next() {
		var s SavedSegment
		var c, u int64
		if err := rows.Scan(&s.Name, &s.Text, &c, &u); err != nil {
			return nil, fmt.Errorf("list saved segments: %w", err)
		}
		s.CreatedAt, s.UpdatedAt = time.UnixMilli(c).UTC(), time.UnixMilli(u).UTC()
		s.Expr, _ = segment.Parse(s.Text)
		out = append(out, s)
	}
	return out, rows.Err()
}

// SavedSegment returns one saved segment; ErrNotFound when absent.
func (db *DB) SavedSegment(ctx context.Context, name string) (segment.Expr, error) {
	var text string
	err := db.db.QueryRowContext(ctx, `SELECT expr FROM saved_segments WHERE name = ?`, name).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("segment %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("segment %q: %w", name, err)
	}
	e, err := segment.Parse(text)
	if err != nil {
		return nil, fmt.Errorf("segment %q: %w", name, err)
	}
	return e, nil
}

// DeleteSegment removes a saved segment; ErrNotFound when absent.
func (db *DB) DeleteSegment(ctx context.Context, name string) error {
	return deleteNamed(ctx, db, "saved_segments", "segment", name)
}

func deleteNamed(ctx context.Context, db *DB, table, what, name string) error {
	r, err := db.db.ExecContext(ctx, `DELETE FROM `+table+` WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("delete %s %q: %w", what, name, err)
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("delete %s %q: %w", what, name, ErrNotFound)
	}
	return nil
}

// SaveFunnel stores (or replaces) a named funnel query.
func (db *DB) SaveFunnel(ctx context.Context, name string, q funnel.Query) error {
	if err := checkName(name); err != nil {
		return err
	}
	if _, err := q.Normalize(); err != nil {
		return fmt.Errorf("save funnel %q: %w", name, err)
	}
	b, err := json.Marshal(q)
	if err != nil {
		return fmt.Errorf("save funnel %q: %w", name, err)
	}
	now := time.Now().UnixMilli()
	if _, err := db.db.ExecContext(ctx, `INSERT INTO saved_funnels (name, query, created_at, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET query = excluded.query, updated_at = excluded.updated_at`, name, string(b), now, now); err != nil {
		return fmt.Errorf("save funnel %q: %w", name, err)
	}
	return nil
}

// SavedFunnel is a named funnel kept in the workspace.
type SavedFunnel struct {
	Name  string       `json:"name"`
	Query funnel.Query `json:"query"`
}

// SavedFunnels lists the saved funnels by name.
func (db *DB) SavedFunnels(ctx context.Context) ([]SavedFunnel, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT name, query FROM saved_funnels ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list saved funnels: %w", err)
	}
	defer rows.Close()
	out := []SavedFunnel{}
	for rows.Next() {
		var f SavedFunnel
		var text string
		if err := rows.Scan(&f.Name, &text); err != nil {
			return nil, fmt.Errorf("list saved funnels: %w", err)
		}
		if err := json.Unmarshal([]byte(text), &f.Query); err != nil {
			return nil, fmt.Errorf("saved funnel %q: %w", f.Name, err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// DeleteFunnel removes a saved funnel; ErrNotFound when absent.
func (db *DB) DeleteFunnel(ctx context.Context, name string) error {
	return deleteNamed(ctx, db, "saved_funnels", "funnel", name)
}
