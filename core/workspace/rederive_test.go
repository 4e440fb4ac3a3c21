package workspace

import (
	"context"
	"errors"
	"testing"
)

func rageClicks(t *testing.T, db *DB) (sessions, clicks int) {
	t.Helper()
	err := db.DB().QueryRow(`SELECT coalesce(sum(rage_clicks), 0), (SELECT count(*) FROM clicks WHERE flags & 1)
		FROM sessions`).Scan(&sessions, &clicks)
	if err != nil {
		t.Fatal(err)
	}
	return sessions, clicks
}

func TestRederiveAppliesNewThreshold(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	importWithPerson(t, db, 60)
	if _, err := db.Rederive(ctx, nil); err != nil {
		t.Fatal(err)
	}
	before, beforeRows := rageClicks(t, db)
	if before == 0 {
		t.Fatal("the generated sessions have no rage clicks; the test proves nothing")
	}
	defs, _ := db.Definitions(ctx)
	defs.RageClicks = 50 // a burst now needs fifty clicks: none qualify
	if err := db.SetDefinitions(ctx, defs); err != nil {
		t.Fatal(err)
	}
	var seen []RederiveProgress
	p, err := db.Rederive(ctx, func(p RederiveProgress) { seen = append(seen, p) })
	if err != nil || p.Done != 60 || p.Total != 60 {
		t.Fatalf("Rederive = %+v, %v", p, err)
	}
	after, afterRows := rageClicks(t, db)
	if after != 0 || afterRows != 0 {
		t.Errorf("rage clicks %d (rows %d) → %d (rows %d) after raising the threshold to 50; want none", before, beforeRows, after, afterRows)
	}
	if len(seen) < 2 || seen[len(seen)-1].Done != 60 {
		t.Errorf("progress = %+v", seen)
	}
	defs.RageClicks = 3
	db.SetDefinitions(ctx, defs)
	if _, err := db.Rederive(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if back, backRows := rageClicks(t, db); back != before || backRows != beforeRows {
		t.Errorf("back at the default threshold: %d (rows %d), want %d (rows %d)", back, backRows, before, beforeRows)
	}
	if _, err := db.ReplayEvents(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("replay lookup broken after re-derive: %v", err)
	}

	// A session whose replay is gone keeps its facts; the others go on.
	var lost string
	db.DB().QueryRow(`SELECT id FROM sessions ORDER BY rid LIMIT 1`).Scan(&lost)
	if _, err := db.DB().Exec(`DELETE FROM replay_chunks WHERE sid = (SELECT rid FROM sessions WHERE id = ?);
		DELETE FROM replays WHERE sid = (SELECT rid FROM sessions WHERE id = ?)`, lost, lost); err != nil {
		t.Fatal(err)
	}
	p, err = db.Rederive(ctx, nil)
	if err != nil || p.Unreadable != 1 || p.Done != 60 {
		t.Errorf("Rederive with one replay gone = %+v, %v; want 60 done, 1 unreadable", p, err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.Rederive(cancelled, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Rederive = %v, want context.Canceled", err)
	}
}
