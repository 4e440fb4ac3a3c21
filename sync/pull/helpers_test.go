package pull

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/workspace"
)

// memStore is an in-memory archive.Store for tests that need one behind a
// real collector handler or a fake collector.
type memStore struct {
	mu    sync.Mutex
	files map[string][]byte
	sums  map[string]string
}

func newMemStore() *memStore {
	return &memStore{files: map[string][]byte{}, sums: map[string]string{}}
}

var _ archive.Store = (*memStore)(nil)

func (m *memStore) List(ctx context.Context, after string, limit int) ([]archive.Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var keys []string
	for k := range m.files {
		if k > after {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if limit > 0 && len(keys) > limit {
		keys = keys[:limit]
	}
	out := make([]archive.Entry, 0, len(keys))
	for _, k := range keys {
		out = append(out, archive.Entry{Key: k, Size: int64(len(m.files[k])), SHA256: m.sums[k], Modified: time.Unix(0, 0).UTC()})
	}
	return out, nil
}

func (m *memStore) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.files[key]
	if !ok {
		return nil, fmt.Errorf("open %s: %w", key, fs.ErrNotExist)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (m *memStore) Put(ctx context.Context, key string, r io.Reader, size int64, sum string) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[key], m.sums[key] = b, sum
	return nil
}

// tamper replaces an archive's bytes but keeps its listed digest.
func (m *memStore) tamper(key string, f func([]byte) []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[key] = f(append([]byte(nil), m.files[key]...))
}

// fakeCollector serves a store over the collector archive API shapes
// (GET /v1/archives?after&limit, GET /v1/archives/{key...}, Bearer token).
func fakeCollector(t *testing.T, st archive.Store, token string) *httptest.Server {
	mux := http.NewServeMux()
	auth := func(w http.ResponseWriter, r *http.Request) bool {
		if r.Header.Get("Authorization") != "Bearer "+token {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"missing or wrong analyst token"}`)
			return false
		}
		return true
	}
	mux.HandleFunc("GET /v1/archives", func(w http.ResponseWriter, r *http.Request) {
		if !auth(w, r) {
			return
		}
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if limit == 0 {
			limit = 100
		}
		es, _ := st.List(r.Context(), r.URL.Query().Get("after"), limit)
		next := ""
		if len(es) == limit {
			next = es[len(es)-1].Key
		}
		json.NewEncoder(w).Encode(map[string]any{"archives": es, "next": next})
	})
	mux.HandleFunc("GET /v1/archives/{key...}", func(w http.ResponseWriter, r *http.Request) {
		if !auth(w, r) {
			return
		}
		rc, err := st.Open(r.Context(), r.PathValue("key"))
		if err != nil {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"error":"no such archive"}`)
			return
		}
		defer rc.Close()
		io.Copy(w, rc)
	})
	mux.HandleFunc("GET /v1/assets/{sha}", func(w http.ResponseWriter, r *http.Request) {
		if !auth(w, r) {
			return
		}
		as, ok := st.(archive.AssetStore)
		var rc io.ReadCloser
		err := fs.ErrNotExist
		if ok {
			rc, err = as.OpenAsset(r.Context(), r.PathValue("sha"))
		}
		if err != nil {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"error":"no such asset"}`)
			return
		}
		defer rc.Close()
		w.Header().Set("Content-Type", "application/octet-stream")
		io.Copy(w, rc)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// makeArchive writes one session archive with n click events.
func makeArchive(t testing.TB, session string, part, clicks int, start time.Time) ([]byte, string) {
	t.Helper()
	h := archive.Header{Format: archive.FormatName, Version: archive.Version, Site: "shop", Session: session,
		Visitor: "v_" + session, StartedAt: start, EndedAt: start.Add(time.Duration(clicks+1) * time.Second),
		Pages: []string{"/"}, Part: part, Source: "tracker", UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120"}
	var buf bytes.Buffer
	w, err := archive.NewWriter(&buf, h)
	if err != nil {
		t.Fatal(err)
	}
	ms := start.UnixMilli() + int64(part)*100_000
	lines := []string{
		fmt.Sprintf(`{"type":4,"data":{"href":"https://shop.test/p%d","width":1280,"height":800},"timestamp":%d}`, part, ms),
		fmt.Sprintf(`{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[{"type":2,"id":3,"tagName":"body","attributes":{},"childNodes":[{"type":2,"id":4,"tagName":"button","attributes":{"id":"buy"},"childNodes":[]}]}]}]},"initialOffset":{"top":0,"left":0}},"timestamp":%d}`, ms+1),
	}
	for i := 0; i < clicks; i++ {
		lines = append(lines, fmt.Sprintf(`{"type":3,"data":{"source":2,"type":2,"id":4,"x":%d,"y":40},"timestamp":%d}`, 100+i*200, ms+int64(i+1)*2000))
	}
	for _, l := range lines {
		if err := w.Write(json.RawMessage(l)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return buf.Bytes(), hex.EncodeToString(sum[:])
}

// fill puts n one-part sessions into st, keys in seal order.
func fill(t testing.TB, st archive.Store, n int) []string {
	t.Helper()
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	var keys []string
	for i := 0; i < n; i++ {
		sess := fmt.Sprintf("s_%08d", i)
		b, sum := makeArchive(t, sess, 0, 1+i%3, start.Add(time.Duration(i)*time.Minute))
		key := fmt.Sprintf("2026/11/02/%05d-%s.loupe", i, sess)
		if err := st.Put(context.Background(), key, bytes.NewReader(b), int64(len(b)), sum); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
	}
	return keys
}

func openWorkspace(t testing.TB) *workspace.DB {
	t.Helper()
	return openWorkspaceAt(t, filepath.Join(t.TempDir(), "workspace.db"))
}

func openWorkspaceAt(t testing.TB, path string) *workspace.DB {
	t.Helper()
	db, err := workspace.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func countSessions(t testing.TB, db *workspace.DB) int {
	t.Helper()
	n, err := db.Count(context.Background(), workspace.SessionQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func hasPrefixAny(s string, ps ...string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
