package collector

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestDuplicateBatchesAreStoredOnce(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	const sess = "s_duplicate1"
	for _, step := range []struct {
		seq     int64
		wantDup bool
	}{{0, false}, {1, false}, {1, true}, {0, true}, {2, false}, {2, true}} {
		r := tc.mustIngest(t, newBatch(sess, step.seq, 3, "/"))
		if r.Duplicate != step.wantDup {
			t.Errorf("seq %d: duplicate = %v, want %v", step.seq, r.Duplicate, step.wantDup)
		}
	}
	if err := tc.Close(context.Background()); err != nil {
		t.Fatalf("Close: %v", err)
	}
	keys := tc.store.keys()
	if len(keys) != 1 {
		t.Fatalf("archives = %v, want 1", keys)
	}
	_, evs := tc.store.readArchive(t, keys[0])
	if got, want := timestamps(evs), wantTimestamps(3, 0, 1, 2); !equalInts(got, want) {
		t.Errorf("archived timestamps = %v, want %v", got, want)
	}
	st := tc.Status()
	if st.Batches != 3 || st.Duplicates != 3 || st.Events != 9 {
		t.Errorf("status batches/duplicates/events = %d/%d/%d, want 3/3/9", st.Batches, st.Duplicates, st.Events)
	}
}

func TestConcurrentDuplicatesShareOneCopy(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	const sess = "s_concurrent"
	var wg sync.WaitGroup
	var mu sync.Mutex
	dups := 0
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(seq int64) {
			defer wg.Done()
			code, r := post(t, tc.srv.URL, batchJSON(t, newBatch(sess, seq, 2, "")), nil)
			if code != http.StatusOK {
				t.Errorf("seq %d: status %d %q", seq, code, r.Error)
			}
			mu.Lock()
			if r.Duplicate {
				dups++
			}
			mu.Unlock()
		}(int64(i % 10))
	}
	wg.Wait()
	if dups != 30 {
		t.Errorf("duplicates = %d, want 30 (40 posts of 10 seqs)", dups)
	}
	if err := tc.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, evs := tc.store.readArchive(t, tc.store.keys()[0])
	if got, want := timestamps(evs), wantTimestamps(2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9); !equalInts(got, want) {
		t.Errorf("archived timestamps = %v, want %v", got, want)
	}
}

func TestBadBodiesAreRejectedAndNothingStored(t *testing.T) {
	good := newBatch("s_badbodies", 0, 2, "/")
	okJSON := batchJSON(t, good)
	gz := gzipBytes(t, okJSON)
	big := newBatch("s_badbodies", 0, 1, "/")
	big.Events[0] = []byte(`{"type":5,"data":{"tag":"x","payload":"` + strings.Repeat("a", 3000) + `"},"timestamp":1}`)
	bigJSON := batchJSON(t, big)
	tests := []struct {
		name     string
		body     []byte
		wantCode int
		wantErr  string
	}{
		{"oversized body", append(okJSON, bytes.Repeat([]byte(" "), 5000)...), 413, "too large"},
		{"oversized after gunzip", gzipBytes(t, bigJSON), 413, "decompressed"},
		{"truncated gzip", gz[:len(gz)-6], 400, "gzip"},
		{"gzip header only", gz[:4], 400, "gzip"},
		{"not json", []byte("hello"), 400, "invalid JSON"},
		{"truncated json", okJSON[:len(okJSON)/2], 400, "malformed"},
		{"json array", []byte(`[1,2]`), 400, "wrong type"},
		{"two objects", append(append([]byte{}, okJSON...), okJSON...), 400, "trailing"},
		{"empty body", nil, 400, "end of JSON"},
		{"short session id", []byte(`{"site":"demo","session":"s","visitor":"v_visitor1","seq":0,"events":[]}`), 400, "session"},
		{"bad visitor chars", []byte(`{"site":"demo","session":"s_session1","visitor":"v/../../x","seq":0,"events":[]}`), 400, "visitor"},
		{"negative seq", []byte(`{"site":"demo","session":"s_session1","visitor":"v_visitor1","seq":-1,"events":[]}`), 400, "seq"},
		{"fractional seq", []byte(`{"site":"demo","session":"s_session1","visitor":"v_visitor1","seq":1.5,"events":[]}`), 400, "seq"},
		{"missing events", []byte(`{"site":"demo","session":"s_session1","visitor":"v_visitor1","seq":0}`), 400, "events"},
		{"event not object", []byte(`{"site":"demo","session":"s_session1","visitor":"v_visitor1","seq":0,"events":[3]}`), 400, "event 0"},
		{"event without type", []byte(`{"site":"demo","session":"s_session1","visitor":"v_visitor1","seq":0,"events":[{"timestamp":1}]}`), 400, "type"},
		{"event without timestamp", []byte(`{"site":"demo","session":"s_session1","visitor":"v_visitor1","seq":0,"events":[{"type":3}]}`), 400, "timestamp"},
		{"missing site", []byte(`{"session":"s_session1","visitor":"v_visitor1","seq":0,"events":[]}`), 400, "site"},
	}
	dir := t.TempDir()
	tc := startCollector(t, dir, newMemStore(), func(c *Config) { c.MaxBody = 2048; c.MaxDecoded = 2048 })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, r := post(t, tc.srv.URL, tt.body, nil)
			if code != tt.wantCode {
				t.Errorf("status = %d, want %d (error %q)", code, tt.wantCode, r.Error)
			}
			if r.OK || !strings.Contains(r.Error, tt.wantErr) {
				t.Errorf("reply = %+v, want an error mentioning %q", r, tt.wantErr)
			}
		})
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "open", "*"))
	if len(logs) != 0 {
		t.Errorf("session logs after bad input = %v, want none", logs)
	}
	st := tc.Status()
	if st.Batches != 0 || st.OpenSessions != 0 || st.Rejected != int64(len(tests)) {
		t.Errorf("status = %+v, want 0 batches, 0 open, %d rejected", st, len(tests))
	}
	// The same collector still takes a good batch afterwards.
	tc.mustIngest(t, good)
}

func TestSiteKeyAndOriginChecks(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), func(c *Config) {
		c.Sites = map[string][]string{
			"demo": {"http://localhost:*"},
			"shop": {"https://shop.example.com", "https://*.shop.example.com"},
		}
	})
	tests := []struct {
		name, site, origin string
		wantCode           int
	}{
		{"demo from localhost", "demo", "http://localhost:3000", 200},
		{"demo from other port", "demo", "http://localhost:8080", 200},
		{"shop from its origin", "shop", "https://shop.example.com", 200},
		{"shop from a subdomain", "shop", "https://eu.shop.example.com", 200},
		{"unknown site key", "nope", "http://localhost:3000", 403},
		{"demo from another host", "demo", "http://evil.example:3000", 403},
		{"shop over http", "shop", "http://shop.example.com", 403},
		{"shop from lookalike", "shop", "https://shop.example.com.evil.io", 403},
		{"no origin", "demo", "", 403},
		{"null origin", "demo", "null", 403},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newBatch(fmt.Sprintf("s_origin%04d", i), 0, 1, "/")
			b.Site = tt.site
			code, r := post(t, tc.srv.URL, batchJSON(t, b), map[string]string{"Origin": tt.origin})
			if code != tt.wantCode {
				t.Errorf("status = %d (%q), want %d", code, r.Error, tt.wantCode)
			}
			if tt.wantCode != 200 && r.Error == "" {
				t.Errorf("no JSON error in a %d reply", code)
			}
		})
	}
	if got := tc.Status().OpenSessions; got != 4 {
		t.Errorf("open sessions = %d, want 4 (only the accepted posts)", got)
	}
}

func TestSessionOfAnotherSiteConflicts(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), func(c *Config) {
		c.Sites = map[string][]string{"demo": {"*"}, "other": {"*"}}
	})
	tc.mustIngest(t, newBatch("s_conflict1", 0, 1, "/"))
	b := newBatch("s_conflict1", 1, 1, "")
	b.Site = "other"
	if code, r := post(t, tc.srv.URL, batchJSON(t, b), nil); code != http.StatusConflict || r.Error == "" {
		t.Errorf("other site, same session: got %d %+v, want 409 with error", code, r)
	}
}

func TestClientContextKeptWithoutAddress(t *testing.T) {
	dir := t.TempDir()
	tc := startCollector(t, dir, newMemStore(), nil)
	b := newBatch("s_context01", 0, 2, "/shop")
	code, r := post(t, tc.srv.URL, gzipBytes(t, batchJSON(t, b)), map[string]string{
		"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0", "Accept-Language": "de-DE,de;q=0.9,en;q=0.5",
		"X-Forwarded-For": "203.0.113.77",
	})
	if code != 200 {
		t.Fatalf("gzip batch: %d %+v", code, r)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "open", "s_context01.0.log"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("203.0.113.77")) || bytes.Contains(raw, []byte("127.0.0.1")) {
		t.Errorf("session log holds a client address")
	}
	if err := tc.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	h, _ := tc.store.readArchive(t, tc.store.keys()[0])
	if h.UserAgent != "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0" || h.Country != "DE" {
		t.Errorf("header user agent %q country %q, want the request's and DE", h.UserAgent, h.Country)
	}
}

func TestPreflightAndTracker(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	for _, tt := range []struct {
		origin   string
		wantCode int
	}{{"http://localhost:5173", 204}, {"https://evil.example", 403}} {
		req, _ := http.NewRequest(http.MethodOptions, tc.srv.URL+"/v1/ingest", nil)
		req.Header.Set("Origin", tt.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.wantCode {
			t.Errorf("preflight from %s: %d, want %d", tt.origin, resp.StatusCode, tt.wantCode)
		}
		if got := resp.Header.Get("Access-Control-Allow-Origin"); (tt.wantCode == 204) != (got == tt.origin) {
			t.Errorf("preflight from %s: allow-origin %q", tt.origin, got)
		}
	}
	resp, err := http.Get(tc.srv.URL + "/t.js")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "max-age") {
		t.Errorf("GET /t.js: %d, headers %v", resp.StatusCode, resp.Header)
	}
	resp2, err := http.Get(tc.srv.URL + "/v1/ingest")
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /v1/ingest: %d, want 405", resp2.StatusCode)
	}
}

func TestSessionInURLMustMatch(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	body := batchJSON(t, newBatch("s_urlroute1", 0, 1, "/"))
	for _, tt := range []struct {
		query    string
		wantCode int
	}{{"?s=s_urlroute1", 200}, {"?s=s_otherone1", 400}, {"", 200}} {
		req, _ := http.NewRequest(http.MethodPost, tc.srv.URL+"/v1/ingest"+tt.query, bytes.NewReader(body))
		req.Header.Set("Origin", testOrigin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.wantCode {
			t.Errorf("POST /v1/ingest%s: %d, want %d", tt.query, resp.StatusCode, tt.wantCode)
		}
	}
}
