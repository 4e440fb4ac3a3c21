package collector

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// slowStore is a memStore behind a link that, while down, holds every Put
// for delay (or until the link is back) and then fails it, as a bucket
// that times out does. It notes how many archives were already built in
// the sealing directory when the first Put came, and how often each key
// was stored.
type slowStore struct {
	*memStore
	delay      time.Duration
	sealingDir string
	down       atomic.Bool
	back       chan struct{} // closed when the link is back
	backOnce   sync.Once

	mu             sync.Mutex
	started        int
	finished       int
	builtAtFirst   int
	storedTimes    map[string]int
	honourDeadline bool
}

func newSlowStore(delay time.Duration, sealingDir string) *slowStore {
	s := &slowStore{memStore: newMemStore(), delay: delay, sealingDir: sealingDir,
		back: make(chan struct{}), storedTimes: map[string]int{}}
	s.down.Store(true)
	return s
}

// comeBack ends the outage: Puts held now fail at once, later ones succeed.
func (s *slowStore) comeBack() {
	s.backOnce.Do(func() {
		s.down.Store(false)
		close(s.back)
	})
}

func (s *slowStore) Put(ctx context.Context, key string, r io.Reader, size int64, sum string) error {
	s.mu.Lock()
	s.started++
	if s.started == 1 {
		built, _ := filepath.Glob(filepath.Join(s.sealingDir, "*.loupe"))
		s.builtAtFirst = len(built)
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.finished++
		s.mu.Unlock()
	}()
	if s.down.Load() {
		t := time.NewTimer(s.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-s.back:
		case <-ctx.Done():
			if s.honourDeadline {
				return ctx.Err()
			}
			select {
			case <-t.C:
			case <-s.back:
			}
		}
		return errStoreDown
	}
	if err := s.memStore.Put(ctx, key, r, size, sum); err != nil {
		return err
	}
	s.mu.Lock()
	s.storedTimes[key]++
	s.mu.Unlock()
	return nil
}

// counts reports Puts started and finished, and archives built when the
// first Put started.
func (s *slowStore) counts() (started, finished, builtAtFirst int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.started, s.finished, s.builtAtFirst
}

// outageSessions is how many sessions are open when the store goes down;
// each gets two batches of outageEvents events.
const (
	outageSessions = 20
	outageEvents   = 3
)

func outageSessionID(i int) string { return fmt.Sprintf("s_outage%03d", i) }

// ingestOutageSessions opens outageSessions sessions of two batches each.
func ingestOutageSessions(t testing.TB, tc *testCollector) {
	t.Helper()
	for i := 0; i < outageSessions; i++ {
		tc.mustIngest(t, newBatch(outageSessionID(i), 0, outageEvents, "/"))
		tc.mustIngest(t, newBatch(outageSessionID(i), 1, outageEvents, ""))
	}
}

// checkAllSealed asserts that every session's archive is built in the
// sealing directory and its log holds the seal record with the key.
func checkAllSealed(t *testing.T, dir string) {
	t.Helper()
	built, _ := filepath.Glob(filepath.Join(dir, "sealing", "*.loupe"))
	if len(built) != outageSessions {
		t.Errorf("archives built in sealing/ = %d, want %d", len(built), outageSessions)
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "open", "*.log"))
	if len(logs) != outageSessions {
		t.Errorf("session logs = %d, want %d kept until the store has them", len(logs), outageSessions)
	}
	for _, p := range logs {
		lg, err := readLog(p, false)
		if err != nil {
			t.Fatalf("read %s: %v", p, err)
		}
		if lg.Seal == nil || lg.Seal.Key == "" {
			t.Errorf("%s has no seal record", filepath.Base(p))
		}
	}
}

// checkAllLandedOnce asserts that each session is in the store exactly
// once with every acknowledged event in order, and nothing is left on disk.
func checkAllLandedOnce(t *testing.T, store *slowStore, dir string) {
	t.Helper()
	keys := store.keys()
	if len(keys) != outageSessions {
		t.Fatalf("stored archives = %d, want %d", len(keys), outageSessions)
	}
	sessions := map[string]bool{}
	for _, k := range keys {
		store.mu.Lock()
		n := store.storedTimes[k]
		store.mu.Unlock()
		if n != 1 {
			t.Errorf("%s stored %d times, want once", k, n)
		}
		h, evs := store.readArchive(t, k)
		if sessions[h.Session] {
			t.Errorf("session %s stored twice", h.Session)
		}
		sessions[h.Session] = true
		if got, want := timestamps(evs), wantTimestamps(outageEvents, 0, 1); !equalInts(got, want) {
			t.Errorf("%s timestamps = %v, want %v", h.Session, got, want)
		}
	}
	for i := 0; i < outageSessions; i++ {
		if !sessions[outageSessionID(i)] {
			t.Errorf("session %s missing from the store", outageSessionID(i))
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, "sealing", "*"))
	logs, _ := filepath.Glob(filepath.Join(dir, "open", "*"))
	if len(left)+len(logs) != 0 {
		t.Errorf("leftovers after upload: %v %v", left, logs)
	}
}

// TestSealingDoesNotWaitForSlowStore: 20 sessions fall due while every Put
// hangs (ignoring its context) until the outage ends and then fails. All
// 20 must be sealed (built and recorded) before the store has answered
// even once; once the store is back, all 20 land exactly once with every
// acknowledged event.
func TestSealingDoesNotWaitForSlowStore(t *testing.T) {
	dir := t.TempDir()
	store := newSlowStore(time.Minute, filepath.Join(dir, "sealing"))
	var skew atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	tc := startCollector(t, dir, store.memStore, func(c *Config) {
		c.Store = store
		c.Now = clock
		c.SealAfter = 400 * time.Millisecond // a 100 ms sealer tick
	})
	ingestOutageSessions(t, tc)
	skew.Store(int64(time.Hour)) // every session is due at the first tick
	due := time.Now()
	runCollector(t, tc)
	t.Cleanup(store.comeBack) // a failed run must not leave Puts hanging
	waitFor(t, "all sessions to be sealed", func() bool {
		built, _ := filepath.Glob(filepath.Join(dir, "sealing", "*.loupe"))
		return len(built) == outageSessions && tc.Status().OpenSessions == 0
	})
	sealedIn := time.Since(due)
	started, finished, _ := store.counts()
	if finished != 0 {
		t.Errorf("all sealed after %d Puts answered, want all sealed before the store answered once", finished)
	}
	checkAllSealed(t, dir)
	if st := tc.Status(); st.PendingUploads != outageSessions {
		t.Errorf("pending uploads = %d, want %d", st.PendingUploads, outageSessions)
	}
	t.Logf("%d sessions sealed %v after falling due, with %d Put(s) started and none answered", outageSessions, sealedIn.Round(time.Millisecond), started)

	store.comeBack()
	back := time.Now()
	waitFor(t, "all archives to land", func() bool {
		return len(store.keys()) == outageSessions && tc.Status().PendingUploads == 0
	})
	t.Logf("all %d stored %v after the store came back", outageSessions, time.Since(back).Round(time.Millisecond))
	checkAllLandedOnce(t, store, dir)
}

// TestCloseSealsEverythingDuringOutage: a shutdown while the store hangs
// seals every open session before its first upload attempt, reports how
// many archives wait, and the next start uploads each exactly once.
func TestCloseSealsEverythingDuringOutage(t *testing.T) {
	dir := t.TempDir()
	store := newSlowStore(2*time.Second, filepath.Join(dir, "sealing"))
	store.honourDeadline = true
	first := startCollector(t, dir, store.memStore, func(c *Config) { c.Store = store })
	ingestOutageSessions(t, first)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	begin := time.Now()
	err := first.Close(ctx)
	closedIn := time.Since(begin)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), fmt.Sprintf("%d sealed archives wait", outageSessions)) {
		t.Fatalf("Close with the store down: %v, want a deadline error saying %d archives wait", err, outageSessions)
	}
	if _, _, builtAtFirst := store.counts(); builtAtFirst != outageSessions {
		t.Errorf("archives built when the first Put started = %d, want all %d", builtAtFirst, outageSessions)
	}
	checkAllSealed(t, dir)
	t.Logf("Close sealed %d sessions and gave up on the store after %v", outageSessions, closedIn.Round(time.Millisecond))

	store.comeBack()
	second := startCollector(t, dir, store.memStore, func(c *Config) { c.Store = store })
	if st := second.Status(); st.PendingUploads != outageSessions || st.OpenSessions != 0 {
		t.Fatalf("after restart: %+v, want %d pending uploads and no open session", st, outageSessions)
	}
	if err := second.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	checkAllLandedOnce(t, store, dir)
}

// TestUploadTimeoutBoundsAnAttempt: a Put that would hang for a minute is
// cut at UploadTimeout, counted as a failed attempt and retried later; the
// archive stays on disk meanwhile.
func TestUploadTimeoutBoundsAnAttempt(t *testing.T) {
	dir := t.TempDir()
	store := newSlowStore(time.Minute, filepath.Join(dir, "sealing"))
	store.honourDeadline = true
	t.Cleanup(store.comeBack)
	tc := startCollector(t, dir, store.memStore, func(c *Config) {
		c.Store = store
		c.UploadTimeout = 50 * time.Millisecond
	})
	tc.mustIngest(t, newBatch("s_hungput01", 0, 2, "/"))
	tc.sealDue(context.Background(), true)
	started, finished, _ := store.counts()
	if st := tc.Status(); started != 1 || finished != 1 || st.UploadErrors != 1 || st.PendingUploads != 1 {
		t.Fatalf("after a hung Put: %d started, %d finished, status %+v; want one attempt cut short, 1 upload error, 1 pending", started, finished, st)
	}
	if built, _ := filepath.Glob(filepath.Join(dir, "sealing", "*.loupe")); len(built) != 1 {
		t.Errorf("archives kept in sealing/ = %d, want 1", len(built))
	}
	store.comeBack()
	if err := tc.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := len(store.keys()); got != 1 {
		t.Errorf("stored archives = %d, want 1", got)
	}
}
