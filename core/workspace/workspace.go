// Package workspace is Loupe's SQLite workspace: one file holding every
// synced session, its derived facts, its compressed replay and the sync
// bookkeeping. Every query over the workspace lives in this package; other
// features add their own <feature>_*.go query files and numbered migrations
// (see migrate.go for the ranges).
//
// Schema conventions (migrations/0001-0003):
//   - sessions.rid is the integer key every fact row carries as sid; the
//     session id as recorded is sessions.id.
//   - Repeated strings live once in paths, selectors and strs (URLs,
//     titles, texts, messages, methods, event names); rows hold their ids.
//   - Fact tables (pageviews, clicks, inputs, errors, requests,
//     custom_events, feedback) are WITHOUT ROWID, keyed (sid, seq|idx),
//     with indexes only for what segments and heatmaps look up: pages and
//     clicks by path, clicks by selector, events by name, tags by tag.
//   - Booleans are bits of a flags column (clicks: 1 rage, 2 dead, 4 error;
//     pageviews: 1 quick back, 2 excessive scroll).
//   - Moves are one blob per pageview (DecodePoints); replays are gzip'd
//     JSON arrays of events in time chunks (replay_chunks), never a row
//     per event.
package workspace

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ErrNotFound is returned when a session (or another named thing) is not
// in the workspace.
var ErrNotFound = errors.New("not found")

// DB is an open workspace. It is safe for concurrent use; SQLite allows
// one writer at a time, which _txlock=immediate and busy_timeout make wait
// instead of failing.
type DB struct {
	db   *sql.DB
	path string

	// dictMu guards the in-memory dictionary caches (dict.go).
	dictMu sync.Mutex
	dicts  map[string]map[string]int64
	// dictGen counts dictionary prunes (Erase); a transaction that began
	// before one does not publish its ids, which may have been pruned.
	dictGen int

	// stmtMu guards stmts, the import statements prepared once (stmts.go).
	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt

	// anchors caches the session list's page anchors (sessions_keyset.go).
	anchors anchorCache
}

// DSN returns the connection string for a workspace file (docs/workspace.md: WAL,
// busy timeout, NORMAL sync, foreign keys, immediate write transactions).
func DSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	// A 64 MiB page cache keeps the hot fact tables of a 100k-session
	// workspace in memory; the default 2 MiB makes behaviour filters reread.
	q.Add("_pragma", "cache_size(-65536)")
	q.Set("_txlock", "immediate")
	return "file:" + uriPath.Replace(path) + "?" + q.Encode()
}

// uriPath escapes the characters SQLite's URI filenames give a meaning to,
// so a workspace folder named "50% off?#1" opens as the file it names.
var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// Open opens the workspace at path, creating the file and its folder if
// needed, and applies any migration not yet applied.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open workspace: empty path")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open workspace %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("open workspace %s: %w", path, err)
	}
	sdb, err := sql.Open("sqlite", DSN(abs))
	if err != nil {
		return nil, fmt.Errorf("open workspace %s: %w", path, err)
	}
	if err := sdb.PingContext(ctx); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open workspace %s: %w", path, err)
	}
	// A sync's workers and its writer use five or six connections at once;
	// with database/sql's default of two idle ones the rest were closed
	// and reopened, with every statement prepared again, for each archive.
	// Idle connections go after a minute, and their page caches with them.
	sdb.SetMaxIdleConns(8)
	sdb.SetConnMaxIdleTime(time.Minute)
	db := &DB{db: sdb, path: abs, dicts: map[string]map[string]int64{}, stmts: map[string]*sql.Stmt{}}
	if err := migrate(ctx, sdb, migrationFiles); err != nil {
		sdb.Close()
		return nil, fmt.Errorf("open workspace %s: %w", path, err)
	}
	return db, nil
}

// DefaultPath is the workspace used when none is named:
// $XDG_DATA_HOME/loupe/workspace.db, else ~/.local/share/loupe/workspace.db.
func DefaultPath() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "loupe", "workspace.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find default workspace: %w", err)
	}
	return filepath.Join(home, ".local", "share", "loupe", "workspace.db"), nil
}

// DB returns the underlying database for query files in this package and
// for callers that need plain SQL.
func (db *DB) DB() *sql.DB { return db.db }

// Path is the absolute path of the workspace file.
func (db *DB) Path() string { return db.path }

// Close closes the workspace.
func (db *DB) Close() error {
	db.stmtMu.Lock()
	for _, st := range db.stmts {
		st.Close()
	}
	db.stmts = map[string]*sql.Stmt{}
	db.stmtMu.Unlock()
	return db.db.Close()
}
