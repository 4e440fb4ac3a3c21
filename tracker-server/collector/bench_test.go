package collector

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkIngest measures POST /v1/ingest through the real handler, with
// every batch fsynced to a session log in a temp dir before its ack.
// Generated data: batches of 50 rrweb events (a Meta event, then mouse
// interactions) of about 5 KB JSON each, sent plain or gzipped. Sub-runs:
// one client posting in series; 16 concurrent clients over 16 sessions;
// 16 concurrent clients sharing one session (group commit).
//
//	go test -run '^$' -bench Ingest -benchtime 2000x ./tracker-server/collector/
func BenchmarkIngest(b *testing.B) {
	const eventsPerBatch = 50
	cases := []struct {
		name       string
		parallel   bool
		oneSession bool
		compressed bool
	}{
		{"serial", false, false, false},
		{"serial-gzip", false, false, true},
		{"parallel-16-sessions", true, false, false},
		{"parallel-1-session", true, true, false},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			c, err := New(Config{DataDir: b.TempDir(), Store: newMemStore(), Logger: quietLogger()})
			if err != nil {
				b.Fatal(err)
			}
			h := c.Handler()
			// Bodies are made before timing: body k belongs to one of 16
			// sessions (or the shared one) with a seq unique within it.
			bodies := make([][]byte, b.N)
			for k := range bodies {
				session, seq := fmt.Sprintf("s_bench%04d", k%16), int64(k/16)
				if !bc.parallel || bc.oneSession {
					session, seq = "s_benchshared", int64(k)
				}
				js := batchJSON(b, newBatch(session, seq, eventsPerBatch, "/"))
				if bc.compressed {
					js = gzipBytes(b, js)
				}
				bodies[k] = js
			}
			b.SetBytes(int64(len(bodies[0])))
			post := func(body []byte) {
				req := httptest.NewRequest(http.MethodPost, "/v1/ingest", bytes.NewReader(body))
				req.Header.Set("Origin", testOrigin)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Errorf("ingest: %d %s", w.Code, w.Body)
				}
			}
			var next atomic.Int64
			b.ResetTimer()
			if bc.parallel {
				b.SetParallelism(8) // 16 clients on 2 cores: acks wait on fsync, not CPU
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						post(bodies[next.Add(1)-1])
					}
				})
			} else {
				for _, body := range bodies {
					post(body)
				}
			}
			b.StopTimer()
			secs := b.Elapsed().Seconds()
			b.ReportMetric(float64(b.N)/secs, "batches/s")
			b.ReportMetric(float64(b.N*eventsPerBatch)/secs, "events/s")
			if got := c.Status().Batches; got != int64(b.N) {
				b.Errorf("stored %d batches, want %d", got, b.N)
			}
		})
	}
}

// BenchmarkSealDuringOutage measures a shutdown's sealing step while the
// store hangs: 20 open sessions of two batches of 3 events each (about
// 1 KB of archive apiece) are sealed into the sealing directory with every
// fsync, and the upload pass that follows gives up at once because its
// context has ended. Sealing never waits on the store, so the figure is
// disk time only.
//
//	go test -run '^$' -bench SealDuringOutage -benchtime 20x ./tracker-server/collector/
func BenchmarkSealDuringOutage(b *testing.B) {
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		store := newSlowStore(time.Minute, filepath.Join(dir, "sealing"))
		tc := startCollector(b, dir, store.memStore, func(c *Config) { c.Store = store })
		ingestOutageSessions(b, tc)
		b.StartTimer()
		tc.sealDue(ended, true)
		b.StopTimer()
		if built, _ := filepath.Glob(filepath.Join(dir, "sealing", "*.loupe")); len(built) != outageSessions {
			b.Fatalf("sealed %d archives, want %d", len(built), outageSessions)
		}
		store.comeBack()
		tc.index.close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/20-sessions")
}
