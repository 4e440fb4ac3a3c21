package pull

import (
	"context"
	"testing"

	"github.com/loupe-dev/loupe/sync/source"
)

// The retention rule runs after every sync, and expired sessions do not
// come back when the store is listed again from the start.
func TestSyncAppliesRetention(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	db := openWorkspace(t)
	fill(t, st, 6) // recorded 2 November 2026
	if err := db.SetRetentionDays(ctx, 1); err != nil {
		t.Fatal(err)
	}
	srv := fakeCollector(t, st, "tok")
	src, err := source.Open(ctx, srv.URL, "tok")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Sync(ctx, src, db, Options{Source: source.Name(srv.URL)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 6 || rep.Expired != 6 || countSessions(t, db) != 0 {
		t.Errorf("sync = %d imported, %d expired, %d kept; want 6, 6, 0", rep.Imported, rep.Expired, countSessions(t, db))
	}
	// A new cursor lists everything again: the archives are known, so
	// nothing is imported.
	rep, err = Sync(ctx, src, db, Options{Source: "again"})
	if err != nil || rep.Imported != 0 || rep.Skipped != 6 || countSessions(t, db) != 0 {
		t.Errorf("second sync = %+v, %v; want all skipped", rep, err)
	}
}
