package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// PlaylistItem is one entry of a presenter playlist: a session, or the
// stretch of it from FromMS to ToMS (0: its end), with a title and caption.
type PlaylistItem struct {
	Session string `json:"session"`
	FromMS  int64  `json:"from_ms"`
	ToMS    int64  `json:"to_ms"`
	Title   string `json:"title"`
	Caption string `json:"caption"`
}

// Playlist is a named, ordered list of sessions or moments to present.
type Playlist struct {
	Name      string         `json:"name"`
	Items     []PlaylistItem `json:"items"`
	UpdatedAt time.Time      `json:"updated_at"`
}

// ErrInvalidPlaylist is returned for a playlist without a name or with a
// malformed item.
var ErrInvalidPlaylist = errors.New("invalid playlist")

// SavePlaylist stores a playlist under its name, replacing one saved
// before under that name, in one transaction.
func (db *DB) SavePlaylist(ctx context.Context, p Playlist) (Playlist, error) {
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		return p, fmt.Errorf("save playlist: a playlist needs a name: %w", ErrInvalidPlaylist)
	}
	for i, it := range p.Items {
		if it.Session == "" || it.FromMS < 0 || it.ToMS < 0 || (it.ToMS != 0 && it.ToMS <= it.FromMS) {
			return p, fmt.Errorf("save playlist %q: item %d needs a session and a stretch that ends after it starts: %w", p.Name, i+1, ErrInvalidPlaylist)
		}
	}
	p.UpdatedAt = time.Now().UTC().Truncate(time.Millisecond)
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return p, fmt.Errorf("save playlist %q: %w", p.Name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM playlist_items WHERE playlist = ?`, p.Name); err != nil {
		return p, fmt.Errorf("save playlist %q: %w", p.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO playlists (name, updated_at) VALUES (?, ?)
		ON CONFLICT(name) DO UPDATE SET updated_at = excluded.updated_at`, p.Name, p.UpdatedAt.UnixMilli()); err != nil {
		return p, fmt.Errorf("save playlist %q: %w", p.Name, err)
	}
	for i, it := range p.Items {
		if _, err := tx.ExecContext(ctx, `INSERT INTO playlist_items (playlist, position, session_id, from_ms, to_ms, title, caption)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, p.Name, i, it.Session, it.FromMS, it.ToMS, it.Title, it.Caption); err != nil {
			return p, fmt.Errorf("save playlist %q: %w", p.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return p, fmt.Errorf("save playlist %q: %w", p.Name, err)
	}
	return p, nil
}

// PlaylistByName returns a saved playlist; a missing one matches ErrNotFound.
func (db *DB) PlaylistByName(ctx context.Context, name string) (Playlist, error) {
	p := Playlist{Name: name, Items: []PlaylistItem{}}
	var updated int64
	err := db.db.QueryRowContext(ctx, `SELECT updated_at FROM playlists WHERE name = ?`, name).Scan(&updated)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("playlist %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("playlist %q: %w", name, err)
	}
	p.UpdatedAt = time.UnixMilli(updated).UTC()
	rows, err := db.db.QueryContext(ctx, `SELECT session_id, from_ms, to_ms, title, caption
		FROM playlist_items WHERE playlist = ? ORDER BY position`, name)
	if err != nil {
		return p, fmt.Errorf("playlist %q: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var it PlaylistItem
		if err := rows.Scan(&it.Session, &it.FromMS, &it.ToMS, &it.Title, &it.Caption); err != nil {
			return p, fmt.Errorf("playlist %q: %w", name, err)
		}
		p.Items = append(p.Items, it)
	}
	return p, rows.Err()
}

// Playlists lists the saved playlists' names, most recently saved first.
func (db *DB) Playlists(ctx context.Context) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT name FROM playlists ORDER BY updated_at DESC, name`)
	if err != nil {
		return nil, fmt.Errorf("list playlists: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("list playlists: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// DeletePlaylist removes a playlist; a missing one matches ErrNotFound.
func (db *DB) DeletePlaylist(ctx context.Context, name string) error {
	r, err := db.db.ExecContext(ctx, `DELETE FROM playlists WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("delete playlist %q: %w", name, err)
	}
	if n, err := r.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("delete playlist %q: %w", name, ErrNotFound)
	}
	return nil
}
