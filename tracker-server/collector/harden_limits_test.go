package collector

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
)

// bigBatch is a batch with one event of about n bytes that gzips to a few
// kilobytes, as an attacker would send it.
func bigBatch(t testing.TB, session string, seq int64, n int) []byte {
	ev := fmt.Sprintf(`{"type":3,"timestamp":%d,"data":{"source":5,"text":"%s"}}`, 1764195600000+seq, strings.Repeat("a", n))
	js := fmt.Sprintf(`{"site":"demo","session":%q,"visitor":"v_visitor1","seq":%d,"events":[%s]}`, session, seq, ev)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(js))
	zw.Close()
	return buf.Bytes()
}

// heapPeak runs fn while sampling the live heap and returns how far the
// heap rose above where it stood before fn.
func heapPeak(fn func()) uint64 {
	// A low GC target keeps garbage from passing for live memory.
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-time.After(200 * time.Microsecond):
			}
		}
	}()
	fn()
	close(done)
	<-stopped
	if p := peak.Load(); p > base {
		return p - base
	}
	return 0
}

func TestSessionSizeCapAndBoundedSealMemory(t *testing.T) {
	store := newMemStore()
	dir := t.TempDir()
	tc := startCollector(t, dir, store, nil)
	const eventBytes = 2 << 20
	accepted, refused := 0, 0
	for seq := range int64(36) {
		code, r := post(t, tc.srv.URL, bigBatch(t, "s_bigsess01", seq, eventBytes), nil)
		switch code {
		case http.StatusOK:
			if refused > 0 {
				t.Fatalf("batch %d accepted after a refusal", seq)
			}
			accepted++
		case http.StatusRequestEntityTooLarge:
			if !strings.Contains(r.Error, "size cap") {
				t.Fatalf("413 without a clear reason: %q", r.Error)
			}
			refused++
		default:
			t.Fatalf("batch %d: %d %q", seq, code, r.Error)
		}
	}
	if refused == 0 || accepted*eventBytes > 80<<20 {
		t.Fatalf("%d batches of %d MiB accepted for one session, %d refused: want a cap", accepted, eventBytes>>20, refused)
	}
	// Recovery after a crash (no Close) indexes the logs without holding
	// their events.
	tc.srv.Close()
	var tc2 *testCollector
	grew := heapPeak(func() { tc2 = startCollector(t, dir, store, nil) })
	logMiB := accepted * eventBytes >> 20
	if grew > 16<<20 {
		t.Errorf("recovery of a %d MiB log raised the heap by %d MiB, want under 16", logMiB, grew>>20)
	}
	grew = heapPeak(func() { tc2.sealDue(t.Context(), true) })
	if grew > 24<<20 {
		t.Errorf("sealing a %d MiB log raised the heap by %d MiB, want under 24", logMiB, grew>>20)
	}
	keys := store.keys()
	if len(keys) != 1 {
		t.Fatalf("%d archives, want 1", len(keys))
	}
	rc, _ := store.Open(t.Context(), keys[0])
	ar, err := archive.NewReader(rc)
	if err != nil {
		t.Fatal(err)
	}
	var hdr map[string]any
	b, _ := json.Marshal(ar.Header())
	json.Unmarshal(b, &hdr)
	if hdr["truncated"] != true {
		t.Errorf("archive header %s: want truncated true", b)
	}
	n := 0
	for {
		if _, err := ar.Next(); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatal(err)
			}
			break
		}
		n++
	}
	if n != accepted {
		t.Errorf("archive holds %d events, want the %d accepted", n, accepted)
	}
}

func TestManySessionsDoNotExhaustFileDescriptors(t *testing.T) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skip("no rlimit:", err)
	}
	old := lim
	lim.Cur = 620
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skip("cannot lower the file limit:", err)
	}
	defer syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old)
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	for i := range 900 {
		b := newBatch(fmt.Sprintf("s_flood%05d", i), 0, 1, "")
		// Each from its own address, so that only the descriptors limit.
		if _, err := tc.ingest(t.Context(), &b, requestContext{addr: fmt.Sprintf("10.0.%d.%d", i/250, i%250)}); err != nil {
			t.Fatalf("flood session %d: %v", i, err)
		}
	}
	visitor := newBatch("s_realvisit", 0, 3, "/")
	tc.mustIngest(t, visitor)
	// Every flooded log still takes a second batch (reopened on demand).
	for i := range 900 {
		if i%5 != 0 {
			continue
		}
		b := newBatch(fmt.Sprintf("s_flood%05d", i), 1, 1, "")
		if _, err := tc.ingest(t.Context(), &b, requestContext{}); err != nil {
			t.Fatalf("second batch of flood session %d: %v", i, err)
		}
	}
}

func TestOpenSessionCapsAnswer429(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), func(c *Config) {
		c.MaxOpenSessionsPerAddr = 20
		c.MaxOpenSessionsPerSite = 30
	})
	for i := range 20 {
		tc.mustIngest(t, newBatch(fmt.Sprintf("s_capaddr%03d", i), 0, 1, ""))
	}
	code, r := post(t, tc.srv.URL, batchJSON(t, newBatch("s_capaddr999", 0, 1, "")), nil)
	if code != http.StatusTooManyRequests || !strings.Contains(r.Error, "client address") {
		t.Fatalf("21st session from one address: %d %q, want 429", code, r.Error)
	}
	// An open session of that address still takes batches.
	tc.mustIngest(t, newBatch("s_capaddr000", 1, 1, ""))
	// Other addresses still get in, up to the site's cap.
	for i := range 10 {
		b := newBatch(fmt.Sprintf("s_capother%02d", i), 0, 1, "")
		if _, err := tc.ingest(t.Context(), &b, requestContext{addr: "10.9.9.9"}); err != nil {
			t.Fatalf("session %d from another address: %v", i, err)
		}
	}
	b := newBatch("s_capsite999", 0, 1, "")
	if _, err := tc.ingest(t.Context(), &b, requestContext{addr: "10.9.9.8"}); !errors.Is(err, ErrTooManySessions) {
		t.Fatalf("31st session of the site: %v, want ErrTooManySessions", err)
	}
	// Sealing frees the room.
	tc.sealDue(t.Context(), true)
	tc.mustIngest(t, newBatch("s_capaddr999", 0, 1, ""))
}

// TestFewHandlesManyWriters has many goroutines write to more sessions
// than there are file handles, so logs are closed and reopened under
// concurrent appends; every batch must end up archived.
func TestFewHandlesManyWriters(t *testing.T) {
	store := newMemStore()
	tc := startCollector(t, t.TempDir(), store, func(c *Config) { c.MaxOpenLogs = 4 })
	const writers, perWriter, sessions = 16, 30, 24
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				seq := int64(w*perWriter + i)
				b := newBatch(fmt.Sprintf("s_handles%03d", int(seq)%sessions), seq, 2, "")
				if _, err := tc.ingest(t.Context(), &b, requestContext{}); err != nil {
					t.Errorf("batch %d: %v", seq, err)
				}
			}
		}()
	}
	wg.Wait()
	// Logs busy at the moment of an eviction are skipped, so the bound is
	// the limit plus the writers in flight.
	if n := tc.handles.open(); n > 4+writers {
		t.Errorf("%d log files open, want at most %d", n, 4+writers)
	}
	tc.sealDue(t.Context(), true)
	total := 0
	for _, k := range store.keys() {
		_, evs := store.readArchive(t, k)
		total += len(evs)
	}
	if total != writers*perWriter*2 {
		t.Fatalf("%d events archived, want %d", total, writers*perWriter*2)
	}
}

func TestRefusedSessionsAreNotRemembered(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), func(c *Config) { c.MaxOpenSessionsPerAddr = 5 })
	for i := range 5 {
		tc.mustIngest(t, newBatch(fmt.Sprintf("s_refused%03d", i), 0, 1, ""))
	}
	for i := 5; i < 200; i++ {
		if code, _ := post(t, tc.srv.URL, batchJSON(t, newBatch(fmt.Sprintf("s_refused%03d", i), 0, 1, "")), nil); code != http.StatusTooManyRequests {
			t.Fatalf("session %d: %d, want 429", i, code)
		}
	}
	if n := tc.Status().Remembered; n != 5 {
		t.Fatalf("%d sessions remembered, want the 5 admitted", n)
	}
	// A retry of a stored batch is still a duplicate, not a 429.
	tc.sealDue(t.Context(), true)
	for i := range 5 {
		tc.mustIngest(t, newBatch(fmt.Sprintf("s_refusedx%02d", i), 0, 1, ""))
	}
	if r := tc.mustIngest(t, newBatch("s_refused000", 0, 1, "")); !r.Duplicate {
		t.Fatalf("retry of a sealed batch at the cap: %+v, want a duplicate ack", r)
	}
}
