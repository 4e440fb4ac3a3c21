package collector

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestBatchWithoutSeqIsRefused(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	body := `{"site":"demo","session":"s_noseq0001","visitor":"v_visitor1","events":[{"type":3,"data":{},"timestamp":1}]}`
	code, r := post(t, tc.srv.URL, []byte(body), nil)
	if code != http.StatusBadRequest || !strings.Contains(r.Error, "seq") {
		t.Fatalf("batch without seq: %d %q, want 400 naming seq", code, r.Error)
	}
	if st := tc.Status(); st.Batches != 0 {
		t.Errorf("%d batches stored, want 0", st.Batches)
	}
}

func TestInvalidUTF8IsReplaced(t *testing.T) {
	body := []byte("{\"site\":\"demo\",\"session\":\"s_utf8bad01\",\"visitor\":\"v_visitor1\",\"seq\":0,\"events\":[{\"type\":5,\"data\":{\"tag\":\"a\xff\xfeb\"},\"timestamp\":1}]}")
	b, err := DecodeBatch(body, Limits{})
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	ev := string(b.Events[0])
	if !utf8.ValidString(ev) || !strings.Contains(ev, "a\uFFFDb") {
		t.Fatalf("event %q: want valid UTF-8 with U+FFFD in place of the bad bytes", ev)
	}
}

func TestConflictingRepeatIsRefused(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	first := newBatch("s_conflict1", 0, 3, "/")
	tc.mustIngest(t, first)
	if r := tc.mustIngest(t, first); !r.Duplicate {
		t.Fatalf("identical repeat: %+v, want a duplicate ack", r)
	}
	other := newBatch("s_conflict1", 0, 5, "/other")
	code, r := post(t, tc.srv.URL, batchJSON(t, other), nil)
	if code != http.StatusConflict || !strings.Contains(r.Error, "different content") {
		t.Fatalf("repeat with other content: %d %q, want 409", code, r.Error)
	}
	_, body := get(t, tc.srv.URL+"/metrics", tc.Token())
	want := fmt.Sprintf("loupe_collector_conflicting_batches_total{collector=%q} 1\n", tc.ID())
	if !strings.Contains(string(body), want) {
		t.Errorf("metrics lack %q:\n%s", want, body)
	}
	// The conflict must survive a restart too: the seq's digest is kept
	// with the sealed part.
	tc.srv.Close()
	tc.Close(t.Context())
	tc2 := startCollector(t, tc.dir, tc.store, nil)
	if code, r := post(t, tc2.srv.URL, batchJSON(t, other), nil); code != http.StatusConflict {
		t.Fatalf("after restart: %d %q, want 409", code, r.Error)
	}
	if r := tc2.mustIngest(t, first); !r.Duplicate {
		t.Fatalf("identical repeat after restart: %+v, want a duplicate ack", r)
	}
}

func TestDeepNestingNamesTheLimit(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	body := `{"site":"demo","session":"s_deepnest1","visitor":"v_visitor1","seq":0,"events":[{"type":3,"timestamp":1,"data":` + deep + `}]}`
	code, r := post(t, tc.srv.URL, []byte(body), nil)
	if code != http.StatusBadRequest || !strings.Contains(r.Error, "nesting deeper than") {
		t.Fatalf("deep document: %d %q, want 400 naming the nesting limit", code, r.Error)
	}
}

func TestSlowBodySaysTimedOut(t *testing.T) {
	c, err := New(Config{DataDir: t.TempDir(), Store: newMemStore(), Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(c.Handler())
	srv.Config.ReadTimeout = 300 * time.Millisecond
	srv.Start()
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /v1/ingest HTTP/1.1\r\nHost: x\r\nOrigin: %s\r\nContent-Length: 1000\r\n\r\n{\"site\":", testOrigin)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	defer resp.Body.Close()
	var buf strings.Builder
	_, _ = bufio.NewReader(resp.Body).WriteTo(&buf)
	msg := buf.String()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(msg, "request body timed out") || strings.Contains(msg, "127.0.0.1") {
		t.Fatalf("slow body: %d %s, want 400 saying only that the body timed out", resp.StatusCode, msg)
	}
}

func TestEmptyBatchesAreNotRemembered(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	for i := range 200 {
		b := Batch{Site: "demo", Session: fmt.Sprintf("s_empty%05d", i), Visitor: "v_visitor1", Seq: 0, Events: []json.RawMessage{}}
		if r := tc.mustIngest(t, b); r.Duplicate {
			t.Fatalf("empty batch acknowledged as duplicate")
		}
	}
	tc.mu.Lock()
	n := len(tc.seen)
	tc.mu.Unlock()
	if n != 0 {
		t.Fatalf("%d sessions remembered after 200 empty batches, want 0", n)
	}
}

func TestCreateLogRetrySucceedsAfterFsyncFailure(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	fail := true
	restore := setSyncDirForTest(func(dir string) error {
		if fail {
			fail = false
			return errors.New("injected fsync failure")
		}
		return syncDirOS(dir)
	})
	defer restore()
	b := newBatch("s_fsyncfail", 0, 2, "/")
	if code, _ := post(t, tc.srv.URL, batchJSON(t, b), nil); code < 500 {
		t.Fatalf("ingest during fsync failure: %d, want a 5xx", code)
	}
	tc.mustIngest(t, b)
	tc.sealDue(t.Context(), true)
	if keys := tc.store.keys(); len(keys) != 1 {
		t.Fatalf("%d archives, want 1", len(keys))
	}
}

func TestStatusAndMetricsNeedToken(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), func(c *Config) { c.MetricsToken = "metrics-secret-token" })
	for _, path := range []string{"/v1/status", "/metrics"} {
		if code, _ := get(t, tc.srv.URL+path, ""); code != http.StatusUnauthorized {
			t.Errorf("GET %s without token: %d, want 401", path, code)
		}
		if code, _ := get(t, tc.srv.URL+path, "wrong"); code != http.StatusUnauthorized {
			t.Errorf("GET %s with a wrong token: %d, want 401", path, code)
		}
		if code, _ := get(t, tc.srv.URL+path, tc.Token()); code != http.StatusOK {
			t.Errorf("GET %s with the analyst token: %d, want 200", path, code)
		}
		if code, _ := get(t, tc.srv.URL+path, "metrics-secret-token"); code != http.StatusOK {
			t.Errorf("GET %s with the metrics token: %d, want 200", path, code)
		}
	}
	if code, _ := get(t, tc.srv.URL+"/v1/archives", "metrics-secret-token"); code != http.StatusUnauthorized {
		t.Errorf("archive list with the metrics token: %d, want 401", code)
	}
}

func TestRememberedSessionsAreBounded(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), func(c *Config) { c.MaxRememberedSessions = 50 })
	for i := range 120 {
		tc.mustIngest(t, newBatch(fmt.Sprintf("s_remember%03d", i), 0, 1, ""))
		if i%10 == 9 {
			tc.sealDue(t.Context(), true)
		}
	}
	tc.sealDue(t.Context(), true)
	if n := tc.Status().Remembered; n > 55 {
		t.Fatalf("%d sessions remembered, want at most 55 (cap 50 plus a tenth)", n)
	}
	// The most recent are still deduplicated.
	if r := tc.mustIngest(t, newBatch("s_remember119", 0, 1, "")); !r.Duplicate {
		t.Fatalf("latest session forgotten: %+v", r)
	}
}
