package workspace

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/generate"
)

// Unique strings carried only by the visitor the tests erase.
const (
	eraseVisitor = "visitor-erase-me-7f3a"
	eraseUser    = "user-erase-me-91c2"
	eraseTrait   = "trait-erase-me-4d1e@example.test"
	eraseError   = "error-erase-me-55aa"
	eraseEvent   = "event-erase-me-66bb"
	eraseNote    = "note-erase-me-77cc"
)

// importWithPerson imports n generated sessions; sessions 3 and 7 belong to
// the person the erasure tests remove. It returns their ids.
func importWithPerson(t *testing.T, db *DB, n int) []string {
	t.Helper()
	b, err := db.BeginBatch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var person []string
	err = generate.Each(generate.Options{Seed: 11, Sessions: n}, func(i int, s generate.Session) error {
		if i == 3 || i == 7 {
			s.Header.Visitor = eraseVisitor
			s.Facts.Session.Visitor = eraseVisitor
			s.Facts.Session.UserID = eraseUser
			s.Facts.Session.Traits = map[string]string{"email": eraseTrait}
			s.Facts.Errors = append(s.Facts.Errors, core.JSError{Path: "/", Message: eraseError})
			s.Facts.CustomEvents = append(s.Facts.CustomEvents, core.CustomEvent{Path: "/", Name: eraseEvent})
			person = append(person, s.Header.Session)
		}
		_, err := b.Add(s.Header, s.Events, s.Facts, "", "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddNote(t.Context(), Note{Session: person[0], Text: eraseNote}); err != nil {
		t.Fatal(err)
	}
	return person
}

// fileHolds reports which of the needles occur in the workspace file or
// its WAL, byte for byte.
func fileHolds(t *testing.T, db *DB, needles ...string) []string {
	t.Helper()
	var found []string
	for _, p := range []string{db.Path(), db.Path() + "-wal"} {
		data, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range needles {
			if bytes.Contains(data, []byte(n)) {
				found = append(found, n+" in "+p)
			}
		}
	}
	return found
}

func TestEraseVisitorLeavesNoByte(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	person := importWithPerson(t, db, 30)
	needles := []string{eraseVisitor, eraseUser, eraseTrait, eraseError, eraseEvent, eraseNote, person[0], person[1]}
	if _, err := db.DB().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	// The needles must be there to begin with, or the scan below proves nothing.
	if got := fileHolds(t, db, eraseVisitor, eraseTrait, eraseError, eraseEvent, eraseNote); len(got) < 5 {
		t.Fatalf("before the erasure the file holds only %v", got)
	}

	dry, err := db.Erase(ctx, Erasure{Visitor: eraseVisitor}, true)
	if err != nil || len(dry.Sessions) != 2 {
		t.Fatalf("dry run = %+v, %v; want the 2 sessions", dry, err)
	}
	if n, _ := db.Sessions(ctx, SessionQuery{}); len(n) != 30 {
		t.Fatalf("a dry run deleted: %d sessions left", len(n))
	}

	rep, err := db.Erase(ctx, Erasure{Visitor: eraseVisitor}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sessions) != 2 || rep.Notes != 1 || rep.Strings < 2 || rep.Visitors != 1 {
		t.Errorf("report = %+v; want 2 sessions, 1 visitor, 1 note, the person's strings", rep)
	}
	if got := fileHolds(t, db, needles...); len(got) > 0 {
		t.Errorf("after the erasure the file still holds %v", got)
	}
	left, err := db.Sessions(ctx, SessionQuery{})
	if err != nil || len(left) != 28 {
		t.Errorf("sessions left = %d, %v; want 28", len(left), err)
	}
	if _, err := db.ReplayEvents(ctx, person[0]); !errors.Is(err, ErrNotFound) {
		t.Errorf("replay of an erased session = %v, want ErrNotFound", err)
	}
	var orphans int
	db.DB().QueryRow(`SELECT (SELECT count(*) FROM visitors WHERE visitor = ?) + (SELECT count(*) FROM notes)`, eraseVisitor).Scan(&orphans)
	if orphans != 0 {
		t.Errorf("%d visitor or note rows left", orphans)
	}

	// Pruned dictionary ids must not leak into the next import through
	// the cache: the other sessions' pages still resolve to their paths.
	importWithPerson(t, db, 12)
	var dangling int
	db.DB().QueryRow(`SELECT count(*) FROM pageviews pv LEFT JOIN paths p ON p.id = pv.path_id
		LEFT JOIN strs u ON u.id = pv.url_id WHERE p.id IS NULL OR u.id IS NULL`).Scan(&dangling)
	if dangling != 0 {
		t.Errorf("%d pageviews point at pruned strings", dangling)
	}
}

func TestEraseByUserAndDate(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	importWithPerson(t, db, 20)
	rep, err := db.Erase(ctx, Erasure{User: eraseUser}, false)
	if err != nil || len(rep.Sessions) != 2 {
		t.Fatalf("erase user = %+v, %v; want 2 sessions", rep, err)
	}
	all, _ := db.Sessions(ctx, SessionQuery{Sort: "started_at"})
	cut := all[len(all)/2].StartedAt
	rep, err = db.Erase(ctx, Erasure{Before: cut}, false)
	if err != nil {
		t.Fatal(err)
	}
	left, _ := db.Sessions(ctx, SessionQuery{})
	for _, s := range left {
		if s.StartedAt.Before(cut) {
			t.Errorf("session %s started %v, before %v, survived", s.ID, s.StartedAt, cut)
		}
	}
	if len(rep.Sessions)+len(left) != len(all) || len(rep.Sessions) == 0 {
		t.Errorf("deleted %d, left %d of %d", len(rep.Sessions), len(left), len(all))
	}
	if _, err := db.Erase(ctx, Erasure{}, false); !errors.Is(err, ErrBadErasure) {
		t.Errorf("empty erasure = %v, want ErrBadErasure", err)
	}
	if _, err := db.Erase(ctx, Erasure{Session: "x", Before: time.Now()}, false); !errors.Is(err, ErrBadErasure) {
		t.Errorf("two-way erasure = %v, want ErrBadErasure", err)
	}
}
