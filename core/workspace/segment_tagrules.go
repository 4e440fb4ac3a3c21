package workspace

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/segment"
)

// TagRule tags every session in a segment.
type TagRule struct {
	Name string       `json:"name"`
	Tag  string       `json:"tag"`
	Expr segment.Expr `json:"-"`
	Text string       `json:"segment"`
}

// SaveTagRule stores (or replaces) a rule and applies it at once.
func (db *DB) SaveTagRule(ctx context.Context, name, tag string, e segment.Expr) (int, error) {
	if err := checkName(name); err != nil {
		return 0, err
	}
	if strings.TrimSpace(tag) == "" || e == nil {
		return 0, fmt.Errorf("save tag rule %q: %w: a rule needs a tag and a segment", name, ErrBadQuery)
	}
	if _, err := db.db.ExecContext(ctx, `INSERT INTO tag_rules (name, tag, expr, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET tag = excluded.tag, expr = excluded.expr`, name, tag, e.String(), time.Now().UnixMilli()); err != nil {
		return 0, fmt.Errorf("save tag rule %q: %w", name, err)
	}
	return db.ApplyTagRules(ctx)
}

// TagRules lists the rules by name.
func (db *DB) TagRules(ctx context.Context) ([]TagRule, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT name, tag, expr FROM tag_rules ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list tag rules: %w", err)
	}
	defer rows.Close()
	out := []TagRule{}
	for rows.Next() {
		var r TagRule
		if err := rows.Scan(&r.Name, &r.Tag, &r.Text); err != nil {
			return nil, fmt.Errorf("list tag rules: %w", err)
		}
		if r.Expr, err = segment.Parse(r.Text); err != nil {
			return nil, fmt.Errorf("tag rule %q: %w", r.Name, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DeleteTagRule removes a rule and re-applies the others.
func (db *DB) DeleteTagRule(ctx context.Context, name string) error {
	if err := deleteNamed(ctx, db, "tag_rules", "tag rule", name); err != nil {
		return err
	}
	_, err := db.ApplyTagRules(ctx)
	return err
}

// ApplyTagRules recomputes every rule tag in one transaction: rule tags
// are dropped and each rule's segment tags its sessions again (a tag a
// session already has from elsewhere is left as it is). It returns how
// many rule tags were set. Call it after imports.
func (db *DB) ApplyTagRules(ctx context.Context) (int, error) {
	rules, err := db.TagRules(ctx)
	if err != nil {
		return 0, err
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("apply tag rules: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM tags WHERE source = 'rule'`); err != nil {
		return 0, fmt.Errorf("apply tag rules: %w", err)
	}
	total := 0
	for _, r := range rules {
		w, args := segmentWhere(r.Expr)
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO tags (sid, tag, source) SELECT s.rid, ?, 'rule' FROM sessions s WHERE `+w,
			append([]any{r.Tag}, args...)...)
		if err != nil {
			return 0, fmt.Errorf("apply tag rule %q: %w", r.Name, err)
		}
		n, _ := res.RowsAffected()
		total += int(n)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("apply tag rules: %w", err)
	}
	return total, nil
}
