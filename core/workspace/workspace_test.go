package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "ws", "workspace.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrationsApplyOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "w.db")
	for i := 0; i < 2; i++ {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("Open #%d: %v", i, err)
		}
		want, err := loadMigrations(migrationFiles)
		if err != nil {
			t.Fatal(err)
		}
		var n, distinct int
		if err := db.DB().QueryRow(`SELECT count(*), count(DISTINCT version) FROM schema_migrations`).Scan(&n, &distinct); err != nil {
			t.Fatal(err)
		}
		if n != len(want) || distinct != len(want) {
			t.Errorf("open #%d: schema_migrations has %d rows (%d distinct), want %d", i, n, distinct, len(want))
		}
		var mode string
		if err := db.DB().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q, %v; want wal", mode, err)
		}
		db.Close()
	}
}

func TestMigrationRunner(t *testing.T) {
	ctx := context.Background()
	raw, err := sql.Open("sqlite", DSN(filepath.Join(t.TempDir(), "m.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// Files from several feature ranges, listed out of order.
	set := fstest.MapFS{
		"migrations/0001_a.sql":      {Data: []byte(`CREATE TABLE t1 (x INTEGER);`)},
		"migrations/0012_funnel.sql": {Data: []byte(`CREATE TABLE t12 (x INTEGER); INSERT INTO t12 VALUES (1);`)},
		"migrations/0003_c.sql":      {Data: []byte(`INSERT INTO t1 VALUES (3);`)},
	}
	for i := 0; i < 2; i++ {
		if err := migrate(ctx, raw, set); err != nil {
			t.Fatalf("migrate #%d: %v", i, err)
		}
	}
	var got int
	if err := raw.QueryRow(`SELECT count(*) FROM t12`).Scan(&got); err != nil || got != 1 {
		t.Errorf("t12 rows = %d, %v; want 1 (applied once)", got, err)
	}
	if err := raw.QueryRow(`SELECT x FROM t1`).Scan(&got); err != nil || got != 3 {
		t.Errorf("t1 x = %d, %v; want 3 (0003 after 0001)", got, err)
	}
	var versions string
	raw.QueryRow(`SELECT group_concat(version) FROM (SELECT version FROM schema_migrations ORDER BY version)`).Scan(&versions)
	if versions != "1,3,12" {
		t.Errorf("recorded versions %q, want 1,3,12", versions)
	}

	bad := []fstest.MapFS{
		{"migrations/abc.sql": {Data: []byte(`SELECT 1`)}},
		{"migrations/0021_a.sql": {Data: []byte(`SELECT 1`)}, "migrations/0021_b.sql": {Data: []byte(`SELECT 1`)}},
	}
	for i, fsys := range bad {
		if _, err := loadMigrations(fsys); err == nil {
			t.Errorf("bad set %d: loadMigrations succeeded, want an error", i)
		}
	}
	failing := fstest.MapFS{"migrations/0039_fail.sql": {Data: []byte(`CREATE TABLE ok39 (x); CREATE TABLE;`)}}
	if err := migrate(ctx, raw, failing); err == nil {
		t.Fatal("a broken migration applied without error")
	}
	var n int
	raw.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'ok39'`).Scan(&n)
	if n != 0 {
		t.Errorf("a failed migration left table ok39 behind: its transaction was not rolled back")
	}
	raw.QueryRow(`SELECT count(*) FROM schema_migrations WHERE version = 39`).Scan(&n)
	if n != 0 {
		t.Errorf("a failed migration was recorded as applied")
	}
}

// ev builds an rrweb event.
func ev(typ rrweb.EventType, ts int64, data string) rrweb.Event {
	return rrweb.Event{Type: typ, Timestamp: ts, Data: json.RawMessage(data)}
}

func header(session string, part int, start time.Time) archive.Header {
	return archive.Header{Format: archive.FormatName, Version: archive.Version, Site: "shop", Session: session,
		Visitor: "v_" + session, StartedAt: start, EndedAt: start.Add(time.Minute), Part: part, Source: "tracker"}
}

func TestImportIdempotent(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	start := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	events := []rrweb.Event{
		ev(rrweb.Meta, start.UnixMilli(), `{"href":"https://shop.test/","width":1280,"height":800}`),
		ev(rrweb.FullSnapshot, start.UnixMilli()+1, `{"node":{"type":0,"childNodes":[],"id":1},"initialOffset":{"top":0,"left":0}}`),
	}
	h := header("s_idem0001", 0, start)
	for i, wantSkipped := range []bool{false, true, true} {
		res, err := db.Import(ctx, h, events, nil, "k/1.loupe", "sha-one")
		if err != nil {
			t.Fatalf("Import #%d: %v", i, err)
		}
		if res.Skipped != wantSkipped {
			t.Errorf("Import #%d: Skipped = %v, want %v", i, res.Skipped, wantSkipped)
		}
	}
	n, err := db.Count(ctx, SessionQuery{})
	if err != nil || n != 1 {
		t.Errorf("Count = %d, %v; want 1", n, err)
	}
	got, err := db.ReplayEvents(ctx, "s_idem0001")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(events) {
		t.Errorf("replay has %d events after three imports, want %d", len(got), len(events))
	}
	if _, err := db.Import(ctx, archive.Header{}, events, nil, "k/2.loupe", "sha-two"); err == nil {
		t.Error("import of a header without a session succeeded")
	}
}

func TestImportMergesParts(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	start := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	ms := start.UnixMilli()
	part0 := []rrweb.Event{
		ev(rrweb.Meta, ms, `{"href":"https://shop.test/","width":1280,"height":800}`),
		ev(rrweb.IncrementalSnapshot, ms+1000, `{"source":2,"type":2,"id":5,"x":10,"y":10}`),
		ev(rrweb.IncrementalSnapshot, ms+5000, `{"source":2,"type":2,"id":5,"x":11,"y":11}`),
	}
	part1 := []rrweb.Event{
		ev(rrweb.IncrementalSnapshot, ms+3000, `{"source":2,"type":2,"id":6,"x":20,"y":20}`),
		ev(rrweb.IncrementalSnapshot, ms+5000, `{"source":2,"type":2,"id":5,"x":11,"y":11}`), // in both parts
		ev(rrweb.Meta, ms+7000, `{"href":"https://shop.test/cart","width":1280,"height":800}`),
	}
	if _, err := db.Import(ctx, header("s_merge0001", 0, start), part0, nil, "a.loupe", "sha-a"); err != nil {
		t.Fatal(err)
	}
	if err := db.AddTag(ctx, "s_merge0001", "watch-later"); err != nil {
		t.Fatal(err)
	}
	h1 := header("s_merge0001", 1, start.Add(3*time.Second))
	h1.EndedAt = start.Add(2 * time.Minute)
	res, err := db.Import(ctx, h1, part1, nil, "b.loupe", "sha-b")
	if err != nil {
		t.Fatal(err)
	}
	if !res.Merged {
		t.Errorf("second part: Merged = false, want true")
	}
	got, err := db.ReplayEvents(ctx, "s_merge0001")
	if err != nil {
		t.Fatal(err)
	}
	wantTS := []int64{ms, ms + 1000, ms + 3000, ms + 5000, ms + 7000}
	if len(got) != len(wantTS) {
		t.Fatalf("merged replay has %d events, want %d", len(got), len(wantTS))
	}
	for i, e := range got {
		if e.Timestamp != wantTS[i] {
			t.Errorf("event %d at %d, want %d", i, e.Timestamp, wantTS[i])
		}
	}
	s, err := db.Session(ctx, "s_merge0001")
	if err != nil {
		t.Fatal(err)
	}
	if s.Events != len(wantTS) || s.Pageviews != 2 {
		t.Errorf("merged session events=%d pageviews=%d, want %d and 2", s.Events, s.Pageviews, len(wantTS))
	}
	if !contains(s.Tags, "watch-later") {
		t.Errorf("manual tag lost in the merge: tags %v", s.Tags)
	}
	h, _, err := db.Replay(ctx, "s_merge0001")
	if err != nil {
		t.Fatal(err)
	}
	if !h.EndedAt.Equal(h1.EndedAt) || !h.StartedAt.Equal(start) {
		t.Errorf("merged header spans %v..%v, want %v..%v", h.StartedAt, h.EndedAt, start, h1.EndedAt)
	}
	var archives int
	db.DB().QueryRow(`SELECT count(*) FROM archives WHERE session_id = 's_merge0001'`).Scan(&archives)
	if archives != 2 {
		t.Errorf("archives recorded for the session = %d, want 2", archives)
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func TestReplayRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	start := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	var events []rrweb.Event
	delay := 1.5
	// Three minutes of events: several time chunks.
	for i := 0; i < 400; i++ {
		e := ev(rrweb.IncrementalSnapshot, start.UnixMilli()+int64(i)*450, fmt.Sprintf(`{"source":1,"positions":[{"x":%d,"y":%d,"id":3,"timeOffset":0}]}`, i, i*2))
		if i == 7 {
			e.Delay = &delay
		}
		events = append(events, e)
	}
	if _, err := db.Import(ctx, header("s_replay01", 0, start), events, nil, "r.loupe", "sha-r"); err != nil {
		t.Fatal(err)
	}
	var chunks int
	db.DB().QueryRow(`SELECT count(*) FROM replay_chunks`).Scan(&chunks)
	if chunks < 3 {
		t.Errorf("replay stored in %d chunks, want at least 3 (one per minute)", chunks)
	}
	got, err := db.ReplayEvents(ctx, "s_replay01")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(events) {
		t.Fatalf("got %d events, want %d", len(got), len(events))
	}
	for i := range events {
		if got[i].Timestamp != events[i].Timestamp || string(got[i].Data) != string(events[i].Data) || got[i].Type != events[i].Type {
			t.Fatalf("event %d = %+v, want %+v", i, got[i], events[i])
		}
	}
	if got[7].Delay == nil || *got[7].Delay != delay {
		t.Errorf("delay lost: %v", got[7].Delay)
	}
	var buf jsonBuffer
	if err := db.WriteReplayJSON(ctx, "s_replay01", &buf); err != nil {
		t.Fatal(err)
	}
	var arr []rrweb.Event
	if err := json.Unmarshal(buf.b, &arr); err != nil || len(arr) != len(events) {
		t.Errorf("WriteReplayJSON: %d events, %v; want %d", len(arr), err, len(events))
	}
	if _, err := db.ReplayEvents(ctx, "nope"); err == nil {
		t.Error("ReplayEvents of a missing session succeeded")
	}
}

type jsonBuffer struct{ b []byte }

func (j *jsonBuffer) Write(p []byte) (int, error) { j.b = append(j.b, p...); return len(p), nil }

func TestCursorAndQuarantine(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	if c, err := db.Cursor(ctx, "http://c"); err != nil || c != "" {
		t.Errorf("fresh cursor = %q, %v", c, err)
	}
	for _, want := range []string{"a/1.loupe", "b/2.loupe"} {
		if err := db.SetCursor(ctx, "http://c", want); err != nil {
			t.Fatal(err)
		}
		if c, err := db.Cursor(ctx, "http://c"); err != nil || c != want {
			t.Errorf("cursor = %q, %v; want %q", c, err, want)
		}
	}
	q := Quarantined{Source: "http://c", Key: "x.loupe", SHA256: "ab", Reason: "truncated", KeptAt: "/tmp/x"}
	if err := db.Quarantine(ctx, q); err != nil {
		t.Fatal(err)
	}
	list, err := db.QuarantinedArchives(ctx)
	if err != nil || len(list) != 1 || list[0].Reason != "truncated" {
		t.Errorf("quarantine = %+v, %v", list, err)
	}
	defs := core.Default()
	defs.RageClicks = 5
	if err := db.SetDefinitions(ctx, defs); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Definitions(ctx); err != nil || got.RageClicks != 5 || got.QuickBack != defs.QuickBack {
		t.Errorf("definitions = %+v, %v", got, err)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data/x")
	if got, err := DefaultPath(); err != nil || got != "/data/x/loupe/workspace.db" {
		t.Errorf("DefaultPath with XDG_DATA_HOME = %q, %v", got, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/ana")
	if got, err := DefaultPath(); err != nil || got != "/home/ana/.local/share/loupe/workspace.db" {
		t.Errorf("DefaultPath without XDG_DATA_HOME = %q, %v", got, err)
	}
}
