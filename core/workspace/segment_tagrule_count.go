package workspace

import (
	"context"
	"fmt"
)

// RuleTagged counts the sessions a tag rule's tag is on by a rule.
func (db *DB) RuleTagged(ctx context.Context, tag string) (int, error) {
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM tags WHERE tag = ? AND source = 'rule'`, tag).Scan(&n); err != nil {
		return 0, fmt.Errorf("count tagged sessions: %w", err)
	}
	return n, nil
}
