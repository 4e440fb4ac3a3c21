package collector

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"
)

// runCollector runs tc's sealer loop until the test ends.
func runCollector(t testing.TB, tc *testCollector) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { tc.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func TestSealAfterInactivity(t *testing.T) {
	store := newMemStore()
	tc := startCollector(t, t.TempDir(), store, func(c *Config) { c.SealAfter = 150 * time.Millisecond })
	runCollector(t, tc)
	const sess = "s_inactive1"
	// Sent out of order: the archive must still be in seq order.
	for _, seq := range []int64{1, 0, 2} {
		page := ""
		if seq != 2 {
			page = []string{"/", "/cart"}[seq]
		}
		b := newBatch(sess, seq, 4, page)
		code, r := post(t, tc.srv.URL, batchJSON(t, b), map[string]string{"CF-IPCountry": "fr"})
		if code != 200 {
			t.Fatalf("seq %d: %d %+v", seq, code, r)
		}
	}
	waitFor(t, "the session to be sealed", func() bool { return tc.Status().SealedArchives == 1 })
	key := store.keys()[0]
	if !regexp.MustCompile(`^\d{4}/\d{2}/\d{2}/\d{8}T\d{6}\.\d{9}Z-` + tc.ID() + `-` + sess + `\.loupe$`).MatchString(key) {
		t.Errorf("archive key %q does not have the seal-time form", key)
	}
	h, evs := store.readArchive(t, key)
	if got, want := timestamps(evs), wantTimestamps(4, 0, 1, 2); !equalInts(got, want) {
		t.Errorf("timestamps = %v, want %v", got, want)
	}
	checks := []struct {
		field, got, want string
	}{
		{"site", h.Site, "demo"},
		{"session", h.Session, sess},
		{"visitor", h.Visitor, "v_visitor1"},
		{"tracker", h.TrackerVersion, "0.1.0"},
		{"country", h.Country, "FR"},
		{"collector", h.Collector, tc.ID()},
		{"source", h.Source, "tracker"},
		{"started", h.StartedAt.Format(time.RFC3339Nano), time.UnixMilli(1764195600000).UTC().Format(time.RFC3339Nano)},
		{"ended", h.EndedAt.Format(time.RFC3339Nano), time.UnixMilli(1764195602003).UTC().Format(time.RFC3339Nano)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("header %s = %q, want %q", c.field, c.got, c.want)
		}
	}
	if want := []string{"/", "/cart"}; !slices.Equal(h.Pages, want) {
		t.Errorf("pages = %v, want %v", h.Pages, want)
	}
	logs, _ := filepath.Glob(filepath.Join(tc.dir, "open", "*.log"))
	if len(logs) != 0 {
		t.Errorf("logs left after a successful seal: %v", logs)
	}
	st := tc.Status()
	if st.OpenSessions != 0 || st.SealedArchives != 1 || st.SealedBytes <= 0 {
		t.Errorf("status after seal = %+v", st)
	}

	// A retry of a sealed batch is a duplicate; a new batch starts part 1.
	if r := tc.mustIngest(t, newBatch(sess, 2, 4, "")); !r.Duplicate {
		t.Errorf("resent sealed seq 2: duplicate = false, want true")
	}
	tc.mustIngest(t, newBatch(sess, 3, 2, "/thanks"))
	waitFor(t, "the second part to be sealed", func() bool { return tc.Status().SealedArchives == 2 })
	h2, evs2 := store.readArchive(t, store.keys()[1])
	if h2.Part != 1 || h2.Session != sess {
		t.Errorf("second archive part %d session %q, want part 1 of %s", h2.Part, h2.Session, sess)
	}
	if got, want := timestamps(evs2), wantTimestamps(2, 3); !equalInts(got, want) {
		t.Errorf("part 1 timestamps = %v, want %v", got, want)
	}
}

func TestSealAtMaxSessionAge(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	store := newMemStore()
	tc := startCollector(t, t.TempDir(), store, func(c *Config) {
		c.Now = clock
		c.SealAfter = 30 * time.Minute
		c.MaxSessionAge = 24 * time.Hour
	})
	for seq := int64(0); seq < 50; seq++ {
		tc.mustIngest(t, newBatch("s_longsession", seq, 1, ""))
		now = now.Add(29 * time.Minute) // never idle long enough
		tc.sealDue(context.Background(), false)
		if got, wantSealed := len(store.keys()), seq >= 49; (got == 1) != wantSealed {
			t.Fatalf("after %d batches over %v: %d archives", seq+1, time.Duration(seq+1)*29*time.Minute, got)
		}
	}
}

func TestRestartKeepsOpenSessions(t *testing.T) {
	dir := t.TempDir()
	store := newMemStore()
	first := startCollector(t, dir, store, nil)
	first.mustIngest(t, newBatch("s_restart01", 0, 3, "/"))
	first.mustIngest(t, newBatch("s_restart01", 1, 3, ""))
	first.mustIngest(t, newBatch("s_restart02", 0, 2, "/a"))
	// No Close: the process is gone as after a crash.

	second := startCollector(t, dir, store, nil)
	if st := second.Status(); st.OpenSessions != 2 {
		t.Fatalf("open sessions after restart = %d, want 2", st.OpenSessions)
	}
	if r := second.mustIngest(t, newBatch("s_restart01", 1, 3, "")); !r.Duplicate {
		t.Errorf("seq 1 resent after restart: duplicate = false, want true")
	}
	second.mustIngest(t, newBatch("s_restart01", 2, 3, ""))
	if err := second.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := len(store.keys()); got != 2 {
		t.Fatalf("archives = %d, want 2", got)
	}
	for _, k := range store.keys() {
		h, evs := store.readArchive(t, k)
		want := map[string][]int64{"s_restart01": wantTimestamps(3, 0, 1, 2), "s_restart02": wantTimestamps(2, 0)}[h.Session]
		if !equalInts(timestamps(evs), want) || h.Part != 0 {
			t.Errorf("%s part %d: timestamps %v, want %v in part 0", h.Session, h.Part, timestamps(evs), want)
		}
	}
}

func TestTornLogTailIsCut(t *testing.T) {
	dir := t.TempDir()
	store := newMemStore()
	first := startCollector(t, dir, store, nil)
	first.mustIngest(t, newBatch("s_tornlog01", 0, 3, "/"))
	first.mustIngest(t, newBatch("s_tornlog01", 1, 3, ""))
	path := filepath.Join(dir, "open", "s_tornlog01.0.log")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// A third append cut off mid-frame, as kill -9 during a write leaves it.
	frame := appendFrame(nil, append([]byte{kindBatch}, `{"seq":2,"received_at":1,"events":[{"type":3,"timestamp":5}]}`...))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(frame[:len(frame)-7])
	f.Close()

	second := startCollector(t, dir, store, nil)
	if st2, _ := os.Stat(path); st2.Size() != st.Size() {
		t.Errorf("log size after recovery = %d, want the intact %d", st2.Size(), st.Size())
	}
	// seq 2 was never acknowledged, so it is new, not a duplicate.
	if r := second.mustIngest(t, newBatch("s_tornlog01", 2, 3, "")); r.Duplicate {
		t.Errorf("seq 2 after a torn write: duplicate = true, want false")
	}
	if err := second.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, evs := store.readArchive(t, store.keys()[0])
	if got, want := timestamps(evs), wantTimestamps(3, 0, 1, 2); !equalInts(got, want) {
		t.Errorf("timestamps = %v, want %v", got, want)
	}
}

func TestFailingStoreLosesNothing(t *testing.T) {
	dir := t.TempDir()
	store := newMemStore()
	store.setFailPuts(3)
	tc := startCollector(t, dir, store, func(c *Config) { c.SealAfter = 20 * time.Millisecond })
	tc.mustIngest(t, newBatch("s_storedown", 0, 5, "/"))
	tc.mustIngest(t, newBatch("s_storedown", 1, 5, ""))
	// Drive the sealer by hand so the state between attempts is visible.
	time.Sleep(30 * time.Millisecond)
	tc.sealDue(context.Background(), false)
	if st := tc.Status(); st.PendingUploads != 1 || st.UploadErrors != 1 {
		t.Fatalf("after a failed upload: status %+v, want 1 pending, 1 upload error", st)
	}
	for _, p := range []string{filepath.Join(dir, "open", "s_storedown.0.log"), filepath.Join(dir, "sealing", "s_storedown.0.loupe")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s must stay while the store is down: %v", filepath.Base(p), err)
		}
	}
	runCollector(t, tc)
	waitFor(t, "the archive to land", func() bool { return len(store.keys()) == 1 })
	waitFor(t, "pending uploads to drain", func() bool { return tc.Status().PendingUploads == 0 })
	if st := tc.Status(); st.UploadErrors != 3 || st.SealedArchives != 1 {
		t.Errorf("status = %+v, want 3 upload errors and 1 sealed", st)
	}
	_, evs := store.readArchive(t, store.keys()[0])
	if got, want := timestamps(evs), wantTimestamps(5, 0, 1); !equalInts(got, want) {
		t.Errorf("timestamps = %v, want %v", got, want)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "sealing", "*"))
	logs, _ := filepath.Glob(filepath.Join(dir, "open", "*"))
	if len(left)+len(logs) != 0 {
		t.Errorf("leftovers after upload: %v %v", left, logs)
	}
}

func TestCloseWithStoreDownKeepsDataForNextStart(t *testing.T) {
	dir := t.TempDir()
	store := newMemStore()
	store.setFailPuts(1 << 30)
	first := startCollector(t, dir, store, nil)
	first.mustIngest(t, newBatch("s_closedown", 0, 4, "/"))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := first.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close with the store down: %v, want a deadline error", err)
	}
	if code, _ := post(t, first.srv.URL, batchJSON(t, newBatch("s_closedown", 1, 1, "")), nil); code != 503 {
		t.Errorf("ingest after Close: %d, want 503", code)
	}
	store.setFailPuts(0)
	second := startCollector(t, dir, store, nil)
	if st := second.Status(); st.PendingUploads != 1 || st.OpenSessions != 0 {
		t.Fatalf("after restart: %+v, want 1 pending upload and no open session", st)
	}
	if r := second.mustIngest(t, newBatch("s_closedown", 0, 4, "/")); !r.Duplicate {
		t.Errorf("resent seq 0 of a part waiting for upload: duplicate = false")
	}
	if err := second.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	keys := store.keys()
	if len(keys) != 1 {
		t.Fatalf("archives = %v, want 1", keys)
	}
	_, evs := store.readArchive(t, keys[0])
	if got, want := timestamps(evs), wantTimestamps(4, 0); !equalInts(got, want) {
		t.Errorf("timestamps = %v, want %v", got, want)
	}
}

func TestRecoveredSealUsesItsKey(t *testing.T) {
	dir := t.TempDir()
	store := newMemStore()
	store.setFailPuts(1)
	first := startCollector(t, dir, store, nil)
	first.mustIngest(t, newBatch("s_samekey01", 0, 2, "/"))
	first.sealDue(context.Background(), true) // seal record written, upload failed
	var key string
	for _, j := range first.pending {
		key = j.key
	}
	second := startCollector(t, dir, store, nil)
	if err := second.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := store.keys(); len(got) != 1 || got[0] != key {
		t.Errorf("stored keys = %v, want exactly the key chosen before the restart %q", got, key)
	}
}
