package index_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/index"
)

// TestLiveFollowsImportsAndChanges: the first query starts a background
// build and answers from SQL; an import extends the index in place; a
// manual tag makes it rebuild in the background. Every answer equals the
// workspace's.
func TestLiveFollowsImportsAndChanges(t *testing.T) {
	ctx := context.Background()
	db := openWorkspace(t)
	facts := generated(t, db, 21, 0, 120)
	dir := t.TempDir()
	live := index.NewLive(db, filepath.Join(dir, "ws.index"))
	t.Cleanup(live.Wait) // no write into dir after the test
	var q funnel.Query
	for _, s := range []string{"page:/", "page:/products*", "page:/cart"} {
		st, _ := funnel.ParseStep(s)
		q.Steps = append(q.Steps, st)
	}
	same := func(what string) {
		t.Helper()
		got, err := live.Funnel(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want, err := db.Funnel(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if got.Sessions != want.Sessions || !reflect.DeepEqual(got.Steps, want.Steps) {
			t.Fatalf("%s: live %d %+v, workspace %d %+v", what, got.Sessions, got.Steps, want.Sessions, want.Steps)
		}
	}
	waitReady := func(n int) *index.Index {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for time.Now().Before(deadline) {
			if x := live.Current(ctx); x != nil && x.Len() == n {
				return x
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatalf("the index never came to hold %d sessions", n)
		return nil
	}
	same("before the index exists")
	first := waitReady(120)
	same("from the index")

	generated(t, db, 21, 120, 30)
	if x := live.Current(ctx); x == nil || x.Len() != 150 || x == first {
		t.Fatalf("after an import the index was not extended in place: %v", x)
	}
	same("after an import")

	if err := db.AddTag(ctx, facts[0].Session.ID, "seen"); err != nil {
		t.Fatal(err)
	}
	same("while rebuilding")
	waitReady(150)
	same("after the rebuild")
}
