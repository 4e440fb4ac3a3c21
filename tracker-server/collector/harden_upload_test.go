package collector

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a settable clock for Config.Now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeClock) now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }
func (f *fakeClock) add(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

func TestUploadResumesPromptlyAfterOutage(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
	store := newMemStore()
	tc := startCollector(t, t.TempDir(), store, func(c *Config) {
		c.Now = clock.now
		c.RetryMin, c.RetryMax = 0, 0 // the defaults
	})
	tc.mustIngest(t, newBatch("s_outage001", 0, 2, "/"))
	store.setFailPuts(1 << 30)
	tc.sealSessions(true)
	// A long outage: retries fail for twenty minutes of clock time,
	// and the loop stops right after a failed attempt.
	puts := func() int { store.mu.Lock(); defer store.mu.Unlock(); return store.puts }
	for elapsed := time.Duration(0); ; elapsed += time.Second {
		before := puts()
		tc.retryPending(t.Context())
		if elapsed > 20*time.Minute && puts() > before {
			break
		}
		clock.add(time.Second)
	}
	store.setFailPuts(0)
	clock.add(10 * time.Second)
	tc.retryPending(t.Context())
	if n := len(store.keys()); n != 1 {
		t.Fatalf("archive not uploaded 10 s after the store came back, want a retry within the backoff cap")
	}
}

// gatedStore holds each Put until several run at once (or a timeout), to
// see how many uploads the collector runs in parallel.
type gatedStore struct {
	*memStore
	want          int32
	inflight, max atomic.Int32
}

func (g *gatedStore) Put(ctx context.Context, key string, r io.Reader, size int64, sum string) error {
	n := g.inflight.Add(1)
	defer g.inflight.Add(-1)
	for {
		if m := g.max.Load(); n > m && !g.max.CompareAndSwap(m, n) {
			continue
		}
		break
	}
	deadline := time.Now().Add(2 * time.Second)
	for g.max.Load() < g.want && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	return g.memStore.Put(ctx, key, r, size, sum)
}

func TestUploadsRunConcurrently(t *testing.T) {
	mem := newMemStore()
	g := &gatedStore{memStore: mem, want: 4}
	dir := t.TempDir()
	c, err := New(Config{DataDir: dir, Store: g, SealAfter: time.Hour, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	tc := &testCollector{Collector: c, store: mem, dir: dir}
	for i := range 8 {
		b := newBatch(fmt.Sprintf("s_parallel%02d", i), 0, 2, "/")
		if _, err := tc.ingest(t.Context(), &b, requestContext{}); err != nil {
			t.Fatal(err)
		}
	}
	tc.sealSessions(true)
	tc.retryPending(t.Context())
	if n := len(mem.keys()); n != 8 {
		t.Fatalf("%d of 8 archives uploaded", n)
	}
	if m := g.max.Load(); m < 4 {
		t.Fatalf("at most %d uploads ran at once, want 4", m)
	}
}
