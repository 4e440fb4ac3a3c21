package saved

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/loupe-dev/loupe/core/workspace"
)

// FuzzImport feeds arbitrary files to Read and Import: a saved-work file
// comes from someone else's laptop, so it must give an error or import,
// never panic, and a refused file must save nothing.
func FuzzImport(f *testing.F) {
	f.Add([]byte(`{"format":"loupe-saved","version":1,"segments":[{"name":"m","segment":"device = mobile"}]}`))
	f.Add([]byte(`{"format":"loupe-saved","version":1,"funnels":[{"name":"f","steps":["page:/","page:/cart*"]}],"tag_rules":[{"name":"t","segment":"rage_clicks > 0"}]}`))
	f.Add([]byte(`{"format":"loupe-saved","version":1,"dashboard":{"cards":[{"kind":"sessions"}]},"notes":[{"session":"s","at_ms":5,"text":"x"}]}`))
	f.Add([]byte(`{"format":"loupe-saved","version":2}`))
	f.Add([]byte(`not json`))
	ctx := context.Background()
	db, err := workspace.Open(ctx, filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		before, _ := db.SavedSegments(ctx)
		if _, err := Import(ctx, db, b); err != nil {
			if after, _ := db.SavedSegments(ctx); len(after) != len(before) {
				t.Fatalf("a refused file saved segments: %d before, %d after", len(before), len(after))
			}
		}
	})
}
