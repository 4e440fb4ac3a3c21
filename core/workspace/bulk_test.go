package workspace

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// TestAddAllMatchesAdd imports the same generated sessions one by one with
// Add and in bulk with AddAll (facts derived on workers) and compares every
// session's facts and replay; a split session merges and a bad item is
// reported without spoiling the rest.
func TestAddAllMatchesAdd(t *testing.T) {
	ctx := context.Background()
	sessions := generate.Sessions(generate.Options{Seed: 7, Sessions: 40})
	var items []BulkItem
	for _, s := range sessions {
		items = append(items, BulkItem{Header: s.Header, Events: s.Events, ArchiveKey: s.Header.Session, SHA: "sha-" + s.Header.Session})
	}
	// A second part of the first session, later in the stream, and an
	// archive that names no session.
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	extra := []rrweb.Event{ev(rrweb.Meta, start.UnixMilli(), `{"href":"https://shop.test/late","width":1280,"height":800}`)}
	part := header(sessions[0].Header.Session, 1, start)
	items = append(items[:10], append([]BulkItem{{Header: part, Events: extra, ArchiveKey: "late", SHA: "sha-late"},
		{Header: header("", 0, start), Events: extra, ArchiveKey: "nameless"}}, items[10:]...)...)

	one, bulk := openTemp(t), openTemp(t)
	b, err := one.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if _, err := b.Add(it.Header, it.Events, it.Facts, it.ArchiveKey, it.SHA); err != nil && !errors.Is(err, ErrInvalidSession) {
			t.Fatal(err)
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}

	bb, err := bulk.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var order []int
	var merged, invalid int
	err = bb.AddAll(items, 2, func(i int, res ImportResult, err error) error {
		order = append(order, i)
		switch {
		case errors.Is(err, ErrInvalidSession):
			invalid++
		case err != nil:
			return err
		case res.Merged:
			merged++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := bb.Commit(); err != nil {
		t.Fatal(err)
	}
	for i, got := range order {
		if got != i {
			t.Fatalf("report order %v, want 0..%d in order", order, len(items)-1)
		}
	}
	if len(order) != len(items) || merged != 1 || invalid != 1 {
		t.Errorf("reports %d merged %d invalid %d, want %d, 1, 1", len(order), merged, invalid, len(items))
	}
	for _, s := range sessions {
		sameSession(t, one, bulk, s.Header.Session, "AddAll")
	}
	if n := len(sessions[0].Events) + 1; n < 2 {
		t.Fatal("generated session has no events")
	} else if got, _ := bulk.ReplayEvents(ctx, sessions[0].Header.Session); len(got) != n {
		t.Errorf("merged session has %d events, want %d", len(got), n)
	}
}

// TestAddAllStopsOnReportError checks that an error from report ends the
// import with that error.
func TestAddAllStopsOnReportError(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	var items []BulkItem
	for _, s := range generate.Sessions(generate.Options{Seed: 3, Sessions: 30}) {
		items = append(items, BulkItem{Header: s.Header, Events: s.Events, ArchiveKey: s.Header.Session})
	}
	b, err := db.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Rollback()
	stop := errors.New("enough")
	calls := 0
	err = b.AddAll(items, 2, func(i int, _ ImportResult, _ error) error {
		calls++
		if i == 4 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 5 {
		t.Errorf("AddAll = %v after %d reports, want %v after 5", err, calls, stop)
	}
}

// TestBulkBatchHandsBackCheckedConnections: a bulk batch imports without
// foreign-key checks and with a larger checkpoint on its connection;
// after it commits or rolls back, that connection is set back, and what
// it imported is consistent.
func TestBulkBatchHandsBackCheckedConnections(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	sessions := generate.Sessions(generate.Options{Seed: 3, Sessions: 6})
	for round, commit := range []bool{true, false} {
		b, err := db.BeginBulk(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sessions[round*3 : round*3+3] {
			if _, err := b.Add(s.Header, s.Events, nil, s.Header.Session, ""); err != nil {
				t.Fatal(err)
			}
		}
		if commit {
			err = b.Commit()
		} else {
			err = b.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
		// Hold every open connection at once, the batch's among them.
		open := db.DB().Stats().OpenConnections
		var held []*sql.Conn
		for range open {
			c, err := db.DB().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			held = append(held, c)
			var on, pages int
			if err := c.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&on); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&pages); err != nil {
				t.Fatal(err)
			}
			if on != 1 || pages != defaultCheckpointPages {
				t.Fatalf("after the bulk batch (commit %v) a connection has foreign_keys = %d, wal_autocheckpoint = %d", commit, on, pages)
			}
		}
		for _, c := range held {
			c.Close()
		}
	}
	rows, err := db.DB().QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Fatal("a bulk batch left rows naming no parent")
	}
	var n int
	if err := db.DB().QueryRowContext(ctx, `SELECT count(*) FROM sessions`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("sessions after one committed and one dropped batch: %d, %v", n, err)
	}
}
