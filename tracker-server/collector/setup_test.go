package collector

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// memStore is an in-memory archive.Store for fast unit tests. It can be told
// to fail its next Puts, standing in for an unreachable bucket. The real
// file store is exercised by the binary test.
type memStore struct {
	mu            sync.Mutex
	objects       map[string][]byte
	assets        map[string][]byte // page assets by sha256
	failPuts      int
	failAssetPuts int
	puts          int
}

var (
	_ archive.Store      = (*memStore)(nil)
	_ archive.AssetStore = (*memStore)(nil)
)

var errStoreDown = errors.New("store unreachable")

func newMemStore() *memStore {
	return &memStore{objects: map[string][]byte{}, assets: map[string][]byte{}}
}

func (m *memStore) HasAsset(ctx context.Context, sum string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.assets[sum]
	return ok, nil
}

func (m *memStore) OpenAsset(ctx context.Context, sum string) (io.ReadCloser, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.assets[sum]
	if !ok {
		return nil, fmt.Errorf("open asset %s: %w", sum, fs.ErrNotExist)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (m *memStore) PutAsset(ctx context.Context, sum string, r io.Reader, size int64) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if archive.SumAsset(b) != sum || (size >= 0 && int64(len(b)) != size) {
		return fmt.Errorf("put asset %s: %w", sum, archive.ErrDigestMismatch)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failAssetPuts > 0 {
		m.failAssetPuts--
		return errStoreDown
	}
	m.assets[sum] = b
	return nil
}

func (m *memStore) assetCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.assets)
}

func (m *memStore) List(ctx context.Context, after string, limit int) ([]archive.Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var keys []string
	for k := range m.objects {
		if k > after {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) > limit {
		keys = keys[:limit]
	}
	out := []archive.Entry{}
	for _, k := range keys {
		sum := sha256.Sum256(m.objects[k])
		out = append(out, archive.Entry{Key: k, Size: int64(len(m.objects[k])), SHA256: hex.EncodeToString(sum[:])})
	}
	return out, nil
}

func (m *memStore) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.objects[key]
	if !ok {
		return nil, fmt.Errorf("open %s: %w", key, fs.ErrNotExist)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (m *memStore) Put(ctx context.Context, key string, r io.Reader, size int64, sum string) error {
	m.mu.Lock()
	m.puts++
	if m.failPuts > 0 {
		m.failPuts--
		m.mu.Unlock()
		return errStoreDown
	}
	m.mu.Unlock()
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	got := sha256.Sum256(b)
	if int64(len(b)) != size || hex.EncodeToString(got[:]) != sum {
		return archive.ErrDigestMismatch
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, ok := m.objects[key]; ok && !bytes.Equal(old, b) {
		return archive.ErrConflict
	}
	m.objects[key] = b
	return nil
}

func (m *memStore) keys() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ks []string
	for k := range m.objects {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (m *memStore) setFailPuts(n int) {
	m.mu.Lock()
	m.failPuts = n
	m.mu.Unlock()
}

// readArchive reads one stored archive with core/archive's reader.
func (m *memStore) readArchive(t testing.TB, key string) (archive.Header, []rrweb.Event) {
	t.Helper()
	m.mu.Lock()
	b := m.objects[key]
	m.mu.Unlock()
	h, evs, err := archive.ReadAll(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("read archive %s: %v", key, err)
	}
	return h, evs
}

const testOrigin = "http://localhost:3000"

// testCollector starts a collector on dir with a test HTTP server.
type testCollector struct {
	*Collector
	store *memStore
	srv   *httptest.Server
	dir   string
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func startCollector(t testing.TB, dir string, store *memStore, tweak func(*Config)) *testCollector {
	t.Helper()
	cfg := Config{DataDir: dir, Store: store, SealAfter: time.Hour, Logger: quietLogger(),
		RetryMin: 5 * time.Millisecond, RetryMax: 20 * time.Millisecond}
	if tweak != nil {
		tweak(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(c.Handler())
	t.Cleanup(srv.Close)
	return &testCollector{Collector: c, store: store, srv: srv, dir: dir}
}

// batchEvents makes n rrweb events for one batch; seq 0 starts with a Meta
// event for page, and every event's timestamp encodes (seq, index) so
// order can be checked.
func batchEvents(seq int64, n int, page string) []json.RawMessage {
	var evs []json.RawMessage
	for i := 0; i < n; i++ {
		ts := 1764195600000 + seq*1000 + int64(i)
		var ev string
		if i == 0 && page != "" {
			ev = fmt.Sprintf(`{"type":4,"data":{"href":"http://localhost:3000%s?q=1#x","width":1280,"height":800},"timestamp":%d}`, page, ts)
		} else {
			ev = fmt.Sprintf(`{"type":3,"data":{"source":2,"type":2,"id":%d,"x":10.5,"y":20},"timestamp":%d}`, i, ts)
		}
		evs = append(evs, json.RawMessage(ev))
	}
	return evs
}

func batchJSON(t testing.TB, b Batch) []byte {
	t.Helper()
	js, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

func newBatch(session string, seq int64, n int, page string) Batch {
	return Batch{Site: "demo", Session: session, Visitor: "v_visitor1", Seq: seq,
		SentAt: 1764195600000 + seq*1000, Tracker: "0.1.0", Events: batchEvents(seq, n, page)}
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ingestReply is the JSON body of any ingest response.
type ingestReply struct {
	OK        bool   `json:"ok"`
	Duplicate bool   `json:"duplicate"`
	Error     string `json:"error"`
}

func post(t testing.TB, url string, body []byte, header map[string]string) (int, ingestReply) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/v1/ingest", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Origin", testOrigin)
	for k, v := range header {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	defer resp.Body.Close()
	var r ingestReply
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("reply content type %q, want application/json", ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("decode reply: %v", err)
	}
	return resp.StatusCode, r
}

// mustIngest posts a batch and fails the test unless it is acknowledged.
func (tc *testCollector) mustIngest(t testing.TB, b Batch) ingestReply {
	t.Helper()
	code, r := post(t, tc.srv.URL, batchJSON(t, b), nil)
	if code != http.StatusOK || !r.OK {
		t.Fatalf("ingest %s/%d: got %d %+v, want 200 ok", b.Session, b.Seq, code, r)
	}
	return r
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// timestamps lists the events' timestamps in archive order.
func timestamps(evs []rrweb.Event) []int64 {
	out := make([]int64, len(evs))
	for i, e := range evs {
		out[i] = e.Timestamp
	}
	return out
}

// wantTimestamps lists the timestamps batchEvents makes for seqs, in order.
func wantTimestamps(n int, seqs ...int64) []int64 {
	var out []int64
	for _, s := range seqs {
		for i := 0; i < n; i++ {
			out = append(out, 1764195600000+s*1000+int64(i))
		}
	}
	return out
}

func equalInts(a, b []int64) bool { return slices.Equal(a, b) }
