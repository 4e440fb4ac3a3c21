package pull

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/loupe-dev/loupe/sync/file"
	"github.com/loupe-dev/loupe/tracker-server/collector"
)

// startCollector runs a real collector (analyst token "analyst-token")
// over a fresh file store behind a loopback HTTP server; quotas may be nil.
// The caller closes the collector, which seals what is open.
func startCollector(t *testing.T, quotas map[string]collector.SiteQuota) (*collector.Collector, *httptest.Server) {
	t.Helper()
	store, err := file.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	col, err := collector.New(collector.Config{DataDir: t.TempDir(), Store: store, Token: "analyst-token",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Quotas: quotas})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(col.Handler())
	t.Cleanup(srv.Close)
	return col, srv
}

// ingest posts one tracker batch from origin and fails the test unless
// the collector acknowledges it.
func ingest(t *testing.T, srv *httptest.Server, origin string, b collector.Batch) {
	t.Helper()
	body, _ := json.Marshal(b)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/ingest", bytes.NewReader(body))
	req.Header.Set("Origin", origin)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ingest %s/%d: %d %s", b.Session, b.Seq, resp.StatusCode, msg)
	}
}
