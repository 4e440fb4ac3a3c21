package workspace

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// TestAddPreparedMatchesAdd imports the same sessions with Add into one
// workspace and, prepared beforehand, with AddPrepared into an unguarded
// batch of another: facts and replays are the same, and a later part of
// a session merges with the stored one from its compressed replay alone.
func TestAddPreparedMatchesAdd(t *testing.T) {
	ctx := context.Background()
	sessions := generate.Sessions(generate.Options{Seed: 11, Sessions: 25})
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	late := header(sessions[0].Header.Session, 1, start)
	lateEvents := []rrweb.Event{ev(rrweb.Meta, start.UnixMilli(), `{"href":"https://shop.test/late","width":1280,"height":800}`)}

	one, prepared := openTemp(t), openTemp(t)
	defs, err := prepared.Definitions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := one.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bp, err := prepared.BeginBulk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range append(sessions, generate.Session{Header: late, Events: lateEvents}) {
		if _, err := b.Add(s.Header, s.Events, nil, s.Header.Session, ""); err != nil {
			t.Fatal(err)
		}
		p, err := Prepare(s.Header, s.Events, nil, defs)
		if err != nil {
			t.Fatal(err)
		}
		if p.Events() != len(s.Events) {
			t.Fatalf("prepared %d events, want %d", p.Events(), len(s.Events))
		}
		res, err := bp.AddPrepared(p, s.Header.Session, "")
		if err != nil {
			t.Fatal(err)
		}
		if want := i == len(sessions); res.Merged != want {
			t.Errorf("item %d merged = %v, want %v", i, res.Merged, want)
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := bp.Commit(); err != nil {
		t.Fatal(err)
	}
	for _, s := range sessions {
		sameSession(t, one, prepared, s.Header.Session, "AddPrepared")
	}
}

// sameSession fails the test unless session id has the same facts and
// replay in got as in want; how names the path that made got.
func sameSession(t *testing.T, want, got *DB, id, how string) {
	t.Helper()
	ctx := context.Background()
	wantFacts, err := want.Facts(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	gotFacts, err := got.Facts(ctx, id)
	if err != nil {
		t.Fatalf("%s lost session %s: %v", how, id, err)
	}
	if !reflect.DeepEqual(gotFacts, wantFacts) {
		t.Errorf("session %s: %s facts differ from Add's", id, how)
	}
	wantEv, _ := want.ReplayEvents(ctx, id)
	gotEv, err := got.ReplayEvents(ctx, id)
	if err != nil || !reflect.DeepEqual(gotEv, wantEv) {
		t.Errorf("session %s: %s replay has %d events (%v), Add's %d", id, how, len(gotEv), err, len(wantEv))
	}
}

// TestPrepareRefusesNamelessSession: an archive without a session id is
// refused before any work.
func TestPrepareRefusesNamelessSession(t *testing.T) {
	_, err := Prepare(header("", 0, time.Now()), nil, nil, core.Definitions{})
	if !errors.Is(err, ErrInvalidSession) {
		t.Errorf("Prepare of a nameless session: %v, want ErrInvalidSession", err)
	}
}

// TestBulkBatchFailureSpoilsIt: in an unguarded batch, a session that
// fails halfway through its rows spoils the batch (no later Add, no
// Commit, nothing of it stored), while a guarded batch rolls back only
// that session.
func TestBulkBatchFailureSpoilsIt(t *testing.T) {
	ctx := context.Background()
	sessions := generate.Sessions(generate.Options{Seed: 5, Sessions: 3})
	for _, guarded := range []bool{true, false} {
		db := openTemp(t)
		// The second session's pageviews are refused by the database.
		if _, err := db.db.ExecContext(ctx, `CREATE TRIGGER refuse BEFORE INSERT ON pageviews
			WHEN NEW.sid = (SELECT rid FROM sessions WHERE id = '`+sessions[1].Header.Session+`')
			BEGIN SELECT RAISE(ABORT, 'refused'); END`); err != nil {
			t.Fatal(err)
		}
		begin := db.BeginBulk
		if guarded {
			begin = db.BeginBatch
		}
		b, err := begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Add(header("", 0, time.Now()), nil, nil, "nameless", ""); !errors.Is(err, ErrInvalidSession) {
			t.Fatalf("nameless session: %v", err)
		}
		if b.Failed() != nil {
			t.Fatalf("a refusal before any write spoiled the batch: %v", b.Failed())
		}
		var errs []error
		for _, s := range sessions {
			_, err := b.Add(s.Header, s.Events, nil, s.Header.Session, "")
			errs = append(errs, err)
		}
		if errs[0] != nil || errs[1] == nil {
			t.Fatalf("guarded=%v: errors %v, want only the second session to fail", guarded, errs)
		}
		if guarded {
			if errs[2] != nil {
				t.Fatalf("guarded batch: third session: %v", errs[2])
			}
			if err := b.Commit(); err != nil {
				t.Fatal(err)
			}
			if n, _ := db.Count(ctx, SessionQuery{}); n != 2 {
				t.Errorf("guarded batch stored %d sessions, want 2", n)
			}
			continue
		}
		if errs[2] == nil || b.Failed() == nil {
			t.Fatalf("unguarded batch went on after a failure: %v, %v", errs[2], b.Failed())
		}
		if err := b.Commit(); err == nil {
			t.Fatal("unguarded batch committed after a failure")
		}
		if err := b.Rollback(); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.Count(ctx, SessionQuery{}); n != 0 {
			t.Errorf("spoiled batch left %d sessions", n)
		}
	}
}
