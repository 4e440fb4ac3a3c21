package pull

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/sync/source"
)

func TestSyncFromCollectorAPI(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	fill(t, st, 23)
	srv := fakeCollector(t, st, "tok")
	db := openWorkspace(t)
	src, err := source.Open(ctx, srv.URL, "tok")
	if err != nil {
		t.Fatal(err)
	}
	var calls int
	opts := Options{Source: source.Name(srv.URL), Workers: 3, PageSize: 5, Progress: func(Progress) { calls++ }}
	rep, err := Sync(ctx, src, db, opts)
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if rep.Imported != 23 || rep.Listed != 23 || rep.Quarantined != 0 {
		t.Errorf("first sync: %+v, want 23 listed and imported", rep)
	}
	if calls != 23 {
		t.Errorf("progress called %d times, want 23", calls)
	}
	if n := countSessions(t, db); n != 23 {
		t.Errorf("workspace has %d sessions, want 23", n)
	}
	s, err := db.Session(ctx, "s_00000004")
	if err != nil {
		t.Fatal(err)
	}
	if s.Clicks != 2 || s.Pageviews != 1 || s.Site != "shop" {
		t.Errorf("session s_00000004: clicks=%d pageviews=%d site=%q, want 2, 1, shop", s.Clicks, s.Pageviews, s.Site)
	}

	rep, err = Sync(ctx, src, db, opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 0 || rep.Listed != 0 {
		t.Errorf("second sync: %+v, want nothing listed or imported", rep)
	}
	// New archives after the cursor arrive on the next run.
	b, sum := makeArchive(t, "s_late0001", 0, 1, time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC))
	st.Put(ctx, "2026/11/03/00000-s_late0001.loupe", bytesReader(b), int64(len(b)), sum)
	rep, err = Sync(ctx, src, db, opts)
	if err != nil || rep.Imported != 1 {
		t.Errorf("third sync: %+v, %v; want 1 imported", rep, err)
	}

	bad, _ := source.Open(ctx, srv.URL, "wrong")
	if _, err := Sync(ctx, bad, openWorkspace(t), Options{Source: "x"}); !errors.Is(err, source.ErrUnauthorized) {
		t.Errorf("sync with a wrong token: %v, want ErrUnauthorized", err)
	}
}

func TestSyncQuarantinesBadArchives(t *testing.T) {
	for _, limit := range []int64{maxInMemory, 64} {
		t.Run(fmt.Sprintf("in memory up to %d bytes", limit), func(t *testing.T) {
			defer func(old int64) { maxInMemory = old }(maxInMemory)
			maxInMemory = limit
			testQuarantine(t)
		})
	}
}

func testQuarantine(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	keys := fill(t, st, 8)
	// Tampered: bytes changed, listed digest kept.
	st.tamper(keys[2], func(b []byte) []byte { b[len(b)/2] ^= 0xff; return b })
	// Truncated with a matching digest: the archive's own checks catch it.
	st.mu.Lock()
	cut := st.files[keys[5]][:len(st.files[keys[5]])/2]
	st.files[keys[5]] = cut
	st.sums[keys[5]] = sha(cut)
	st.mu.Unlock()
	// Not an archive at all, listed correctly.
	junk := []byte("this is not an archive")
	st.Put(ctx, "2026/11/02/00006-zzz.loupe", bytesReader(junk), int64(len(junk)), sha(junk))

	srv := fakeCollector(t, st, "tok")
	db := openWorkspace(t)
	src, _ := source.Open(ctx, srv.URL, "tok")
	rep, err := Sync(ctx, src, db, Options{Source: "c", Workers: 2})
	if err != nil {
		t.Fatalf("Sync: %v", err)
	}
	if rep.Imported != 6 || rep.Quarantined != 3 {
		t.Errorf("report %+v, want 6 imported and 3 quarantined", rep)
	}
	q, err := db.QuarantinedArchives(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, e := range q {
		reasons[e.Key] = e.Reason
		if e.KeptAt == "" {
			t.Errorf("%s: not kept aside", e.Key)
		} else if _, err := os.Stat(e.KeptAt); err != nil {
			t.Errorf("%s: kept file missing: %v", e.Key, err)
		}
	}
	if len(q) != 3 || reasons[keys[2]] == "" || reasons[keys[5]] == "" {
		t.Errorf("quarantine = %v, want %s and %s among 3", reasons, keys[2], keys[5])
	}
	if c, _ := db.Cursor(ctx, "c"); c != "2026/11/02/00007-s_00000007.loupe" {
		t.Errorf("cursor = %q, want past the last archive", c)
	}
	rep, err = Sync(ctx, src, db, Options{Source: "c"})
	if err != nil || rep.Quarantined != 0 || rep.Imported != 0 {
		t.Errorf("second run: %+v, %v; want nothing new", rep, err)
	}
}

// cutSource cancels the sync after a number of archives were opened, as a
// process stopped halfway would.
type cutSource struct {
	source.Source
	after  int32
	opened atomic.Int32
	cancel context.CancelFunc
}

func (c *cutSource) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if c.opened.Add(1) > c.after {
		c.cancel()
		return nil, context.Canceled
	}
	return c.Source.Open(ctx, key)
}

func TestSyncResumesAfterCutOff(t *testing.T) {
	for _, group := range []int{1, 4, 64} {
		t.Run(fmt.Sprintf("group of %d", group), func(t *testing.T) { testResume(t, group) })
	}
}

func testResume(t *testing.T, group int) {
	st := newMemStore()
	fill(t, st, 30)
	srv := fakeCollector(t, st, "tok")
	db := openWorkspace(t)
	inner, _ := source.Open(context.Background(), srv.URL, "tok")
	ctx, cancel := context.WithCancel(context.Background())
	cut := &cutSource{Source: inner, after: 11, cancel: cancel}
	rep, err := Sync(ctx, cut, db, Options{Source: "c", Workers: 4, PageSize: 7, GroupSize: group})
	if err == nil {
		t.Fatal("a sync cut off halfway reported success")
	}
	first := countSessions(t, db)
	if first == 0 || first >= 30 {
		t.Fatalf("after the cut: %d sessions, want some but not all (report %+v)", first, rep)
	}
	cursor, _ := db.Cursor(context.Background(), "c")
	if cursor == "" {
		t.Error("cursor did not move past the archives imported before the cut")
	}
	rep, err = Sync(context.Background(), inner, db, Options{Source: "c", Workers: 4, PageSize: 7, GroupSize: group})
	if err != nil {
		t.Fatalf("resume: %v", err)
	}
	if n := countSessions(t, db); n != 30 {
		t.Errorf("after resume: %d sessions, want 30", n)
	}
	if rep.Imported+first != 30 {
		t.Errorf("resume imported %d after %d, want %d: something imported twice or not at all", rep.Imported, first, 30-first)
	}
	var archives int
	db.DB().QueryRow(`SELECT count(*) FROM archives`).Scan(&archives)
	if archives != 30 {
		t.Errorf("archives recorded = %d, want 30", archives)
	}
}

func TestSyncMergesPartsFromTwoCollectors(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	b0, s0 := makeArchive(t, "s_split0001", 0, 2, start)
	b1, s1 := makeArchive(t, "s_split0001", 1, 3, start)
	st.Put(ctx, "a/1-s_split0001-p0.loupe", bytesReader(b0), int64(len(b0)), s0)
	st.Put(ctx, "b/1-s_split0001-p1.loupe", bytesReader(b1), int64(len(b1)), s1)
	srv := fakeCollector(t, st, "tok")
	db := openWorkspace(t)
	src, _ := source.Open(ctx, srv.URL, "tok")
	rep, err := Sync(ctx, src, db, Options{Source: "c"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 2 || rep.Merged != 1 {
		t.Errorf("report %+v, want 2 imported, 1 merged", rep)
	}
	s, err := db.Session(ctx, "s_split0001")
	if err != nil {
		t.Fatal(err)
	}
	if s.Clicks != 5 || s.Pageviews != 2 || s.Events != 9 {
		t.Errorf("merged session clicks=%d pageviews=%d events=%d, want 5, 2, 9", s.Clicks, s.Pageviews, s.Events)
	}
	if n := countSessions(t, db); n != 1 {
		t.Errorf("%d sessions, want 1", n)
	}
}

func TestSyncFromFolder(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	write := func(name, sess string) {
		b, _ := makeArchive(t, sess, 0, 1, start)
		os.MkdirAll(dir+"/stick", 0o755)
		if err := os.WriteFile(dir+"/"+name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("z-first.loupe", "s_fold0001")
	write("stick/a-second.loupe", "s_fold0002")
	os.WriteFile(dir+"/broken.loupe", []byte{0x1f, 0x8b, 8, 0, 0, 0}, 0o644)
	os.WriteFile(dir+"/notes.txt", []byte("ignored"), 0o644)
	db := openWorkspace(t)
	src, err := source.Open(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Source: source.Name(dir)}
	rep, err := Sync(ctx, src, db, opts)
	if err != nil || rep.Imported != 2 || rep.Quarantined != 1 {
		t.Fatalf("folder sync: %+v, %v; want 2 imported, 1 quarantined", rep, err)
	}
	// A file copied in later that sorts first is still found.
	write("a-late.loupe", "s_fold0003")
	rep, err = Sync(ctx, src, db, opts)
	if err != nil || rep.Imported != 1 || rep.Quarantined != 0 || rep.Skipped != 3 {
		t.Errorf("second folder sync: %+v, %v; want 1 imported, 3 skipped", rep, err)
	}
}

func TestSyncMissingArchiveIsReported(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	keys := fill(t, st, 3)
	gone := &vanishing{Source: nil, st: st, missing: keys[1]}
	db := openWorkspace(t)
	rep, err := Sync(ctx, gone, db, Options{Source: "m"})
	if err != nil || rep.Imported != 2 || rep.Quarantined != 1 {
		t.Errorf("report %+v, %v; want 2 imported and the vanished one reported", rep, err)
	}
}

// vanishing lists an archive that is gone by the time it is opened.
type vanishing struct {
	source.Source
	st      *memStore
	missing string
}

func (v *vanishing) List(ctx context.Context, after string, limit int) ([]archive.Entry, error) {
	return v.st.List(ctx, after, limit)
}

func (v *vanishing) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if key == v.missing {
		return v.st.Open(ctx, "nope.loupe")
	}
	return v.st.Open(ctx, key)
}
