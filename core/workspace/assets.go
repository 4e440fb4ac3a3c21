package workspace

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrAssetDigest is returned when an asset's bytes do not hash to the
// digest they were offered under; nothing is stored.
var ErrAssetDigest = errors.New("asset bytes do not match their sha256")

// SessionAsset is one entry of a session's asset manifest: a URL the
// recorded page referenced, and either the digest of the bytes fetched
// for it or the reason none were.
type SessionAsset struct {
	URL     string `json:"url"`
	SHA256  string `json:"sha256,omitempty"`
	Type    string `json:"type,omitempty"`
	Missing string `json:"missing,omitempty"`
	// Stored is true when the bytes are in this workspace, Size their
	// length (read back only).
	Stored bool  `json:"stored"`
	Size   int64 `json:"size,omitempty"`
}

// Asset is one stored asset body.
type Asset struct {
	SHA256 string
	Type   string
	Data   []byte
}

// ValidDigest reports whether s is a lowercase hex SHA-256.
func ValidDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// PutAsset stores an asset body under its digest, after checking the
// bytes hash to it. It is idempotent: added is false when the digest was
// already stored.
func (db *DB) PutAsset(ctx context.Context, sha, typ string, data []byte) (added bool, err error) {
	return putAsset(ctx, db.db, sha, typ, data)
}

// PutAsset stores an asset body in the batch's transaction (see DB.PutAsset).
func (b *Batch) PutAsset(sha, typ string, data []byte) (bool, error) {
	return putAsset(b.ctx, b.tx, sha, typ, data)
}

func putAsset(ctx context.Context, x execer, sha, typ string, data []byte) (bool, error) {
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != sha {
		return false, fmt.Errorf("store asset %.12s: %w (bytes hash to %.12s)", sha, ErrAssetDigest, got)
	}
	r, err := x.ExecContext(ctx, `INSERT INTO assets (sha256, type, size, data) VALUES (?, ?, ?, ?)
		ON CONFLICT (sha256) DO NOTHING`, sha, typ, len(data), data)
	if err != nil {
		return false, fmt.Errorf("store asset %.12s: %w", sha, err)
	}
	n, err := r.RowsAffected()
	return n > 0, err
}

// HasAsset reports whether the bytes of a digest are stored.
func (db *DB) HasAsset(ctx context.Context, sha string) (bool, error) {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM assets WHERE sha256 = ?`, sha).Scan(&n); err != nil {
		return false, fmt.Errorf("look up asset: %w", err)
	}
	return n > 0, nil
}

// OpenAsset returns a stored asset by digest; ErrNotFound when absent.
func (db *DB) OpenAsset(ctx context.Context, sha string) (Asset, error) {
	a := Asset{SHA256: sha}
	err := db.db.QueryRowContext(ctx, `SELECT type, data FROM assets WHERE sha256 = ?`, sha).Scan(&a.Type, &a.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("asset %.12s: %w", sha, ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("read asset %.12s: %w", sha, err)
	}
	return a, nil
}

// PutSessionAssets records a session's manifest (the session must be in
// the workspace). Entries merge with what is recorded, URL by URL, as the
// parts of one session arrive: a digest replaces a missing reason, never
// the other way round.
func (db *DB) PutSessionAssets(ctx context.Context, session string, refs []SessionAsset) error {
	return putSessionAssets(ctx, db.db, session, refs)
}

// PutSessionAssets records a session's manifest in the batch's transaction.
func (b *Batch) PutSessionAssets(session string, refs []SessionAsset) error {
	return putSessionAssets(b.ctx, b.tx, session, refs)
}

func putSessionAssets(ctx context.Context, x execer, session string, refs []SessionAsset) error {
	for _, r := range refs {
		if r.URL == "" {
			continue
		}
		var sha, missing any
		if r.SHA256 != "" {
			if !ValidDigest(r.SHA256) {
				return fmt.Errorf("record assets of %s: %q is not a sha256", session, r.SHA256)
			}
			sha = r.SHA256
		} else {
			reason := r.Missing
			if reason == "" {
				reason = "not fetched"
			}
			missing = reason
		}
		if _, err := x.ExecContext(ctx, `INSERT INTO session_assets (session_id, url, sha256, type, missing)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (session_id, url) DO UPDATE SET
				sha256 = coalesce(excluded.sha256, sha256),
				type = CASE WHEN excluded.sha256 IS NOT NULL THEN excluded.type ELSE type END,
				missing = CASE WHEN coalesce(excluded.sha256, sha256) IS NOT NULL THEN NULL ELSE excluded.missing END`,
			session, r.URL, sha, r.Type, missing); err != nil {
			return fmt.Errorf("record assets of %s: %w", session, err)
		}
	}
	return nil
}

// MarkAssetUnavailable records why the bytes of a digest could not be
// fetched, on every manifest entry that names it, so completeness can say
// why it is missing.
func (db *DB) MarkAssetUnavailable(ctx context.Context, sha, reason string) error {
	return markAssetUnavailable(ctx, db.db, sha, reason)
}

// MarkAssetUnavailable records why a digest's bytes could not be fetched,
// in the batch's transaction.
func (b *Batch) MarkAssetUnavailable(sha, reason string) error {
	return markAssetUnavailable(b.ctx, b.tx, sha, reason)
}

func markAssetUnavailable(ctx context.Context, x execer, sha, reason string) error {
	if _, err := x.ExecContext(ctx, `UPDATE session_assets SET missing = ?
		WHERE sha256 = ? AND NOT EXISTS (SELECT 1 FROM assets WHERE assets.sha256 = session_assets.sha256)`,
		reason, sha); err != nil {
		return fmt.Errorf("record missing asset %.12s: %w", sha, err)
	}
	return nil
}

// HasAsset reports whether a digest's bytes are stored, as the batch's
// transaction sees it.
func (b *Batch) HasAsset(sha string) (bool, error) {
	var n int
	if err := b.tx.QueryRowContext(b.ctx, `SELECT count(*) FROM assets WHERE sha256 = ?`, sha).Scan(&n); err != nil {
		return false, fmt.Errorf("look up asset: %w", err)
	}
	return n > 0, nil
}

// WantedAsset is a digest some manifest names whose bytes are not stored.
type WantedAsset struct {
	SHA256 string
	Type   string
}

// WantedAssets lists every digest named by a manifest and not stored, each
// once: what a sync should fetch.
func (db *DB) WantedAssets(ctx context.Context) ([]WantedAsset, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT sa.sha256, max(sa.type) FROM session_assets sa
		WHERE sa.sha256 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.sha256 = sa.sha256)
		GROUP BY sa.sha256 ORDER BY sa.sha256`)
	if err != nil {
		return nil, fmt.Errorf("list wanted assets: %w", err)
	}
	defer rows.Close()
	var out []WantedAsset
	for rows.Next() {
		var w WantedAsset
		if err := rows.Scan(&w.SHA256, &w.Type); err != nil {
			return nil, fmt.Errorf("list wanted assets: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// SessionAssets returns a session's manifest in URL order, each entry
// saying whether its bytes are stored.
func (db *DB) SessionAssets(ctx context.Context, session string) ([]SessionAsset, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT sa.url, coalesce(sa.sha256, ''), sa.type, coalesce(sa.missing, ''),
			a.sha256 IS NOT NULL, coalesce(a.size, 0)
		FROM session_assets sa LEFT JOIN assets a ON a.sha256 = sa.sha256
		WHERE sa.session_id = ? ORDER BY sa.url`, session)
	if err != nil {
		return nil, fmt.Errorf("read assets of %s: %w", session, err)
	}
	defer rows.Close()
	var out []SessionAsset
	for rows.Next() {
		var a SessionAsset
		if err := rows.Scan(&a.URL, &a.SHA256, &a.Type, &a.Missing, &a.Stored, &a.Size); err != nil {
			return nil, fmt.Errorf("read assets of %s: %w", session, err)
		}
		if a.Stored {
			a.Missing = ""
		} else if a.Missing == "" {
			a.Missing = "not fetched"
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// MissingAsset is a manifest URL whose bytes are not stored, and why.
type MissingAsset struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

// AssetCompleteness says how much of a session's manifest is stored.
type AssetCompleteness struct {
	Total   int            `json:"total"`
	Stored  int            `json:"stored"`
	Missing []MissingAsset `json:"missing"`
	// Summary reads "42 of 43 stored; 1 missing: http 404".
	Summary string `json:"summary"`
}

// Completeness summarises a manifest.
func Completeness(refs []SessionAsset) AssetCompleteness {
	c := AssetCompleteness{Total: len(refs), Missing: []MissingAsset{}}
	reasons := map[string]int{}
	for _, r := range refs {
		if r.Stored {
			c.Stored++
			continue
		}
		c.Missing = append(c.Missing, MissingAsset{URL: r.URL, Reason: r.Missing})
		reasons[r.Missing]++
	}
	switch {
	case c.Total == 0:
		c.Summary = "no assets recorded"
	case len(c.Missing) == 0:
		c.Summary = fmt.Sprintf("%d of %d stored", c.Stored, c.Total)
	default:
		keys := make([]string, 0, len(reasons))
		for k := range reasons {
			keys = append(keys, k)
		}
		// Most frequent reason first, then by name, so the summary is stable.
		sort.Slice(keys, func(i, j int) bool {
			if reasons[keys[i]] != reasons[keys[j]] {
				return reasons[keys[i]] > reasons[keys[j]]
			}
			return keys[i] < keys[j]
		})
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k
			if len(keys) > 1 {
				parts[i] = fmt.Sprintf("%s (%d)", k, reasons[k])
			}
		}
		c.Summary = fmt.Sprintf("%d of %d stored; %d missing: %s", c.Stored, c.Total, len(c.Missing), strings.Join(parts, ", "))
	}
	return c
}

// AssetCompleteness returns how much of a session's manifest is stored.
func (db *DB) AssetCompleteness(ctx context.Context, session string) (AssetCompleteness, error) {
	refs, err := db.SessionAssets(ctx, session)
	if err != nil {
		return AssetCompleteness{}, err
	}
	return Completeness(refs), nil
}

// AssetTotals is what the workspace holds in page assets.
type AssetTotals struct {
	Count int   `json:"count"`
	Bytes int64 `json:"bytes"`
}

// AssetTotals counts the stored asset bodies and their bytes.
func (db *DB) AssetTotals(ctx context.Context) (AssetTotals, error) {
	var t AssetTotals
	if err := db.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(size), 0) FROM assets`).Scan(&t.Count, &t.Bytes); err != nil {
		return t, fmt.Errorf("count assets: %w", err)
	}
	return t, nil
}

// PruneAssets deletes stored bodies no session's manifest names any more
// (after sessions were deleted), returning how many went.
func (db *DB) PruneAssets(ctx context.Context) (int64, error) {
	r, err := db.db.ExecContext(ctx, `DELETE FROM assets WHERE NOT EXISTS
		(SELECT 1 FROM session_assets sa WHERE sa.sha256 = assets.sha256)`)
	if err != nil {
		return 0, fmt.Errorf("prune assets: %w", err)
	}
	return r.RowsAffected()
}
