package workspace

import (
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func TestRetentionDeletesOldSessions(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	importWithPerson(t, db, 20)
	if rep, err := db.ApplyRetention(ctx, time.Now()); err != nil || len(rep.Sessions) != 0 {
		t.Fatalf("without a rule ApplyRetention = %+v, %v; want nothing deleted", rep, err)
	}
	all, _ := db.Sessions(ctx, SessionQuery{Sort: "started_at"})
	newest := all[len(all)-1].StartedAt
	if err := db.SetRetentionDays(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRetentionDays(ctx, -1); !errors.Is(err, ErrBadQuery) {
		t.Errorf("SetRetentionDays(-1) = %v, want ErrBadQuery", err)
	}
	rep, err := db.ApplyRetention(ctx, newest)
	if err != nil {
		t.Fatal(err)
	}
	cut := newest.AddDate(0, 0, -3)
	left, _ := db.Sessions(ctx, SessionQuery{})
	for _, s := range left {
		if s.StartedAt.Before(cut) {
			t.Errorf("session %s of %v outlived the 3-day rule", s.ID, s.StartedAt)
		}
	}
	if len(rep.Sessions) == 0 || len(left) == 0 || len(rep.Sessions)+len(left) != len(all) {
		t.Errorf("deleted %d, kept %d of %d", len(rep.Sessions), len(left), len(all))
	}
}

func TestCopyIsAWorkingWorkspace(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	importWithPerson(t, db, 10)
	out := filepath.Join(t.TempDir(), "copy", "copy.db")
	if err := db.CopyTo(ctx, out); err != nil {
		t.Fatal(err)
	}
	if err := db.CopyTo(ctx, out); err != nil {
		t.Fatalf("copy over an earlier copy: %v", err)
	}
	if err := db.CopyTo(ctx, db.Path()); err == nil {
		t.Error("copying a workspace onto itself succeeded")
	}
	cp, err := Open(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	got, _ := cp.Sessions(ctx, SessionQuery{})
	if len(got) != 10 {
		t.Errorf("the copy holds %d sessions, want 10", len(got))
	}
	if _, err := cp.ReplayEvents(ctx, got[0].ID); err != nil {
		t.Errorf("replay from the copy: %v", err)
	}
}
