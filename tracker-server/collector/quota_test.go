package collector

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testClock is a clock tests move while the collector reads it.
type testClock struct{ ns atomic.Int64 }

func newTestClock(t time.Time) *testClock {
	c := &testClock{}
	c.set(t)
	return c
}
func (c *testClock) set(t time.Time) { c.ns.Store(t.UnixNano()) }
func (c *testClock) now() time.Time  { return time.Unix(0, c.ns.Load()).UTC() }

// warnCounter is a slog handler that counts quota warnings.
type warnCounter struct {
	mu   sync.Mutex
	msgs []string
}

func (h *warnCounter) Enabled(context.Context, slog.Level) bool { return true }
func (h *warnCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Level == slog.LevelWarn {
		h.mu.Lock()
		h.msgs = append(h.msgs, r.Message)
		h.mu.Unlock()
	}
	return nil
}
func (h *warnCounter) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *warnCounter) WithGroup(string) slog.Handler      { return h }
func (h *warnCounter) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.msgs)
}

// stopReply is an ingest answer with its stop reason.
type stopReply struct {
	OK    bool   `json:"ok"`
	Stop  string `json:"stop"`
	Error string `json:"error"`
}

func postStop(t *testing.T, tc *testCollector, b Batch) (int, stopReply) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, tc.srv.URL+"/v1/ingest", strings.NewReader(string(batchJSON(t, b))))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Origin", testOrigin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r stopReply
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("decode reply: %v", err)
	}
	return resp.StatusCode, r
}

func quotaSession(i int) string { return fmt.Sprintf("s_quota%04d", i) }

func siteUsage(t *testing.T, c *Collector, site string) SiteUsage {
	t.Helper()
	for _, u := range c.Status().Sites {
		if u.Site == site {
			return u
		}
	}
	t.Fatalf("status lists no site %q", site)
	return SiteUsage{}
}

func TestQuotaWarnsOnceAtThreshold(t *testing.T) {
	warns := &warnCounter{}
	tc := startCollector(t, t.TempDir(), newMemStore(), func(c *Config) {
		c.Logger = slog.New(warns)
		c.Quotas = map[string]SiteQuota{"demo": {MonthlySessions: 10}}
	})
	for i := 0; i < 7; i++ {
		tc.mustIngest(t, newBatch(quotaSession(i), 0, 1, "/"))
	}
	if u := siteUsage(t, tc.Collector, "demo"); u.Warned || u.Sessions != 7 || warns.count() != 0 {
		t.Fatalf("after 7 of 10 sessions: %+v, %d warnings; want 7 sessions, no warning", u, warns.count())
	}
	tc.mustIngest(t, newBatch(quotaSession(7), 0, 1, "/"))
	if u := siteUsage(t, tc.Collector, "demo"); !u.Warned || u.Limited || u.WarnAt != DefaultWarnAt {
		t.Fatalf("after 8 of 10 sessions: %+v; want warned at %v, not limited", u, DefaultWarnAt)
	}
	tc.mustIngest(t, newBatch(quotaSession(8), 0, 1, "/"))
	tc.mustIngest(t, newBatch(quotaSession(7), 1, 1, ""))
	if n := warns.count(); n != 1 {
		t.Errorf("warnings logged = %d, want exactly 1", n)
	}
	_, body := get(t, tc.srv.URL+"/metrics", tc.Token())
	for _, want := range []string{
		`loupe_site_quota_warned{collector="` + tc.id + `",site="demo"} 1`,
		`loupe_site_sessions_month{collector="` + tc.id + `",site="demo"} 9`,
		`loupe_site_session_limit{collector="` + tc.id + `",site="demo"} 10`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestQuotaRefusesNewSessionsOnlyAtLimit(t *testing.T) {
	store := newMemStore()
	tc := startCollector(t, t.TempDir(), store, func(c *Config) {
		c.Quotas = map[string]SiteQuota{"demo": {MonthlySessions: 3}}
	})
	for i := 0; i < 3; i++ {
		tc.mustIngest(t, newBatch(quotaSession(i), 0, 2, "/"))
	}
	code, r := postStop(t, tc, newBatch(quotaSession(3), 0, 2, "/"))
	if code != http.StatusTooManyRequests || r.Stop != "quota" || r.Error == "" || r.OK {
		t.Fatalf("fourth session: %d %+v; want 429 with stop=quota and an error", code, r)
	}
	// A later batch of the refused session is refused as well: the
	// session never half-exists.
	if code, r := postStop(t, tc, newBatch(quotaSession(3), 1, 2, "")); code != http.StatusTooManyRequests || r.Stop != "quota" {
		t.Fatalf("refused session's second batch: %d %+v; want 429 stop=quota", code, r)
	}
	// Sessions opened before the limit go on to the end.
	for i := 0; i < 3; i++ {
		tc.mustIngest(t, newBatch(quotaSession(i), 1, 2, ""))
		tc.mustIngest(t, newBatch(quotaSession(i), 2, 2, ""))
	}
	u := siteUsage(t, tc.Collector, "demo")
	if !u.Limited || u.Sessions != 3 || u.Refused != 2 {
		t.Errorf("usage %+v; want limited, 3 sessions, 2 refused batches", u)
	}
	if err := tc.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	keys := store.keys()
	if len(keys) != 3 {
		t.Fatalf("archives = %d, want 3 (the refused session has none)", len(keys))
	}
	for _, k := range keys {
		h, evs := store.readArchive(t, k)
		if h.Session == quotaSession(3) {
			t.Errorf("refused session %s was archived", h.Session)
		}
		if got, want := timestamps(evs), wantTimestamps(2, 0, 1, 2); !equalInts(got, want) {
			t.Errorf("%s: timestamps %v, want all three batches %v", h.Session, got, want)
		}
	}
}

func TestQuotaRollsOverAtMonthBoundary(t *testing.T) {
	clock := newTestClock(time.Date(2026, 1, 31, 23, 59, 0, 0, time.UTC))
	tc := startCollector(t, t.TempDir(), newMemStore(), func(c *Config) {
		c.Now = clock.now
		c.Quotas = map[string]SiteQuota{"demo": {MonthlySessions: 2}}
	})
	tc.mustIngest(t, newBatch(quotaSession(0), 0, 1, "/"))
	tc.mustIngest(t, newBatch(quotaSession(1), 0, 1, "/"))
	if code, _ := postStop(t, tc, newBatch(quotaSession(2), 0, 1, "/")); code != http.StatusTooManyRequests {
		t.Fatalf("third session in January: %d, want 429", code)
	}
	if u := siteUsage(t, tc.Collector, "demo"); u.Month != "2026-01" || !u.Limited || !u.Warned {
		t.Fatalf("January usage %+v; want 2026-01, warned and limited", u)
	}
	clock.set(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	if u := siteUsage(t, tc.Collector, "demo"); u.Month != "2026-02" || u.Sessions != 0 || u.Limited || u.Warned {
		t.Fatalf("usage at the start of February %+v; want a fresh month", u)
	}
	tc.mustIngest(t, newBatch(quotaSession(2), 0, 1, "/"))
	if u := siteUsage(t, tc.Collector, "demo"); u.Sessions != 1 {
		t.Errorf("February sessions = %d, want 1", u.Sessions)
	}
}

func TestQuotaCountersSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	store := newMemStore()
	clock := newTestClock(time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC))
	warns := &warnCounter{}
	tweak := func(c *Config) {
		c.Now = clock.now
		c.Logger = slog.New(warns)
		c.Quotas = map[string]SiteQuota{"demo": {MonthlySessions: 4, WarnAt: 0.5}}
	}
	first := startCollector(t, dir, store, tweak)
	first.mustIngest(t, newBatch(quotaSession(0), 0, 1, "/"))
	first.mustIngest(t, newBatch(quotaSession(1), 0, 1, "/"))
	// No Close: the counters must already be on disk, as after a crash.

	second := startCollector(t, dir, store, tweak)
	if u := siteUsage(t, second.Collector, "demo"); u.Sessions != 2 || !u.Warned {
		t.Fatalf("after restart %+v; want 2 sessions, warned", u)
	}
	second.mustIngest(t, newBatch(quotaSession(2), 0, 1, "/"))
	second.mustIngest(t, newBatch(quotaSession(3), 0, 1, "/"))
	if code, _ := postStop(t, second, newBatch(quotaSession(4), 0, 1, "/")); code != http.StatusTooManyRequests {
		t.Errorf("fifth session after restart: %d, want 429", code)
	}
	// The session open before the restart is not new to the second run.
	second.mustIngest(t, newBatch(quotaSession(0), 1, 1, ""))
	if n := warns.count(); n != 1 {
		t.Errorf("warnings across the restart = %d, want 1", n)
	}
}

func TestQuotaSampledOutVisitorIsAnsweredQuietly(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), func(c *Config) {
		c.Quotas = map[string]SiteQuota{"demo": {SampleRate: 0.5}}
	})
	var in, out string
	for i := 0; in == "" || out == ""; i++ {
		v := fmt.Sprintf("v_sample%04d", i)
		if sampled("demo", v, 0.5) {
			in = v
		} else {
			out = v
		}
	}
	b := newBatch(quotaSession(0), 0, 1, "/")
	b.Visitor = out
	code, r := postStop(t, tc, b)
	if code != http.StatusAccepted || !r.OK || r.Stop != "sampled" {
		t.Fatalf("sampled-out visitor: %d %+v; want 202 ok with stop=sampled", code, r)
	}
	b = newBatch(quotaSession(1), 0, 1, "/")
	b.Visitor = in
	tc.mustIngest(t, b)
	if u := siteUsage(t, tc.Collector, "demo"); u.Sessions != 1 || u.SampledOut != 1 || tc.Status().OpenSessions != 1 {
		t.Errorf("usage %+v, open %d; want 1 session recorded, 1 sampled out", u, tc.Status().OpenSessions)
	}
}

func TestSampleRateOverManyVisitors(t *testing.T) {
	q, err := loadQuotaBook(t.TempDir(), map[string]SiteQuota{"demo": {SampleRate: 0.3}}, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	const visitors = 10_000
	in := 0
	for i := 0; i < visitors; i++ {
		v := fmt.Sprintf("v_%016x", uint64(i)*0x9e3779b97f4a7c15)
		_, err := q.admit("demo", v, now)
		if err == nil {
			in++
		}
		// The same visitor's next session gets the same answer.
		if _, again := q.admit("demo", v, now); (again == nil) != (err == nil) {
			t.Fatalf("visitor %s: first session %v, second %v", v, err, again)
		}
	}
	if share := float64(in) / visitors; share < 0.28 || share > 0.32 {
		t.Errorf("recorded %.4f of new visitors, want 0.3 ± 0.02", share)
	}
}

func TestQuotaConfigRejectsBadValues(t *testing.T) {
	for name, q := range map[string]SiteQuota{
		"negative limit": {MonthlySessions: -1},
		"warn above 1":   {WarnAt: 1.5},
		"rate above 1":   {SampleRate: 2},
		"negative rate":  {SampleRate: -0.1},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Config{DataDir: t.TempDir(), Store: newMemStore(), Quotas: map[string]SiteQuota{"demo": q}}.withDefaults()
			if err == nil {
				t.Errorf("accepted %+v", q)
			}
		})
	}
	if _, err := (Config{DataDir: t.TempDir(), Store: newMemStore(), Quotas: map[string]SiteQuota{"nosuch": {}}}).withDefaults(); err == nil {
		t.Error("accepted a quota for an unknown site")
	}
}

// BenchmarkNewSessions measures ingest when every batch opens a new
// session, the case quota counting adds a durable write to (shared by the
// sessions admitted while one write is under way).
//
//	go test -run '^$' -bench NewSessions -benchtime 400x ./tracker-server/collector/
func BenchmarkNewSessions(b *testing.B) {
	for _, limited := range []bool{false, true} {
		b.Run(fmt.Sprintf("limit=%v", limited), func(b *testing.B) {
			cfg := Config{DataDir: b.TempDir(), Store: newMemStore(), Logger: quietLogger()}
			if limited {
				cfg.Quotas = map[string]SiteQuota{"demo": {MonthlySessions: 1 << 40}}
			}
			c, err := New(cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close(context.Background())
			var next atomic.Int64
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					k := next.Add(1)
					if _, err := c.ingest(context.Background(), ptr(newBatch(fmt.Sprintf("s_new%06d", k), 0, 5, "/")), requestContext{}); err != nil {
						b.Error(err)
					}
				}
			})
			b.StopTimer() // the deferred Close seals every session: not ingest
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sessions/s")
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestQuotaHoldsUnderConcurrentNewSessions(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), func(c *Config) {
		c.Quotas = map[string]SiteQuota{"demo": {MonthlySessions: 25}}
	})
	var wg sync.WaitGroup
	var accepted, refused atomic.Int64
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			// Two batches of each session race as well: a session is
			// either wholly in or wholly out.
			var err0, err1 error
			var pair sync.WaitGroup
			pair.Add(2)
			go func() {
				defer pair.Done()
				_, err0 = tc.ingest(context.Background(), ptr(newBatch(quotaSession(i), 0, 1, "/")), requestContext{})
			}()
			go func() {
				defer pair.Done()
				_, err1 = tc.ingest(context.Background(), ptr(newBatch(quotaSession(i), 1, 1, "")), requestContext{})
			}()
			pair.Wait()
			switch {
			case err0 == nil && err1 == nil:
				accepted.Add(1)
			case err0 != nil && err1 != nil:
				refused.Add(1)
			default:
				t.Errorf("session %d half recorded: %v, %v", i, err0, err1)
			}
		}(i)
	}
	wg.Wait()
	if accepted.Load() != 25 || refused.Load() != 75 {
		t.Errorf("accepted %d, refused %d sessions; want 25 and 75", accepted.Load(), refused.Load())
	}
	if u := siteUsage(t, tc.Collector, "demo"); u.Sessions != 25 {
		t.Errorf("counted %d sessions, want 25", u.Sessions)
	}
}
