package collector

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/loupe-dev/loupe/assets"
)

// Both tracker scripts are served as embedded, cacheable, open to any site,
// with an ETag that answers a revalidation with 304.
func TestTrackerScriptsServed(t *testing.T) {
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	for path, script := range map[string]func() ([]byte, error){"/t.js": assets.Tracker, "/t-feedback.js": assets.TrackerFeedback} {
		want, err := script()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		resp, err := http.Get(tc.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		h := resp.Header
		if resp.StatusCode != 200 || !bytes.Equal(body, want) {
			t.Fatalf("GET %s: %d, %d bytes, want the %d embedded bytes", path, resp.StatusCode, len(body), len(want))
		}
		if h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Cache-Control") != "public, max-age=300" ||
			h.Get("Content-Type") != "text/javascript; charset=utf-8" || h.Get("ETag") == "" {
			t.Errorf("GET %s: headers %v", path, h)
		}
		req, _ := http.NewRequest("GET", tc.srv.URL+path, nil)
		req.Header.Set("If-None-Match", h.Get("ETag"))
		again, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		again.Body.Close()
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with its ETag: %d, want 304", path, again.StatusCode)
		}
	}
}
