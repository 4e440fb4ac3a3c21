package workspace

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestReferencesAreIndexed: every column that refers to a session or a
// visitor can be looked up without scanning its table. Deleting a
// session makes SQLite find its rows in every table that refers to it,
// and an erasure recounts every visitor's sessions; a reference without
// an index made that one scan per row (a date cut of 1,791 sessions from
// 100k did not finish in 14 minutes).
func TestReferencesAreIndexed(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.DB().QueryContext(ctx, `SELECT m.name, f."from", f."table" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND f."table" IN ('sessions', 'visitors')`)
	if err != nil {
		t.Fatal(err)
	}
	type ref struct{ table, column, to string }
	var refs []ref
	for rows.Next() {
		var r ref
		if err := rows.Scan(&r.table, &r.column, &r.to); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, r)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(refs) < 10 {
		t.Fatalf("found %d references to sessions and visitors; the query for them is broken", len(refs))
	}
	for _, r := range refs {
		var plan strings.Builder
		q, err := db.DB().QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT 1 FROM "`+r.table+`" WHERE "`+r.column+`" = ?`, 1)
		if err != nil {
			t.Fatal(err)
		}
		for q.Next() {
			var id, parent, unused int
			var detail string
			if err := q.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan.WriteString(detail + "; ")
		}
		q.Close()
		if !strings.Contains(plan.String(), "USING") {
			t.Errorf("%s.%s (→ %s) is looked up by scanning: %s", r.table, r.column, r.to, plan.String())
		}
	}
}
