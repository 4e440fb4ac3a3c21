package desktop

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/replay/replaytest"
	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/sync/pull"
)

func TestServerServesStoredAssets(t *testing.T) {
	ctx := context.Background()
	db := newWorkspace(t)
	png := []byte("\x89PNG\r\n\x1a\n stored image")
	page := []byte("<script>alert(1)</script>")
	for body, typ := range map[string]string{string(png): "image/png", string(page): "text/html"} {
		if _, err := db.PutAsset(ctx, archive.SumAsset([]byte(body)), typ, []byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := NewServer(fstest.MapFS{"index.html": {Data: []byte("<title>Loupe</title>")}}, Bindings(db)...)
	if err != nil {
		t.Fatal(err)
	}
	srv.HandleAssets(db)
	ts := httptest.NewServer(srv)
	defer ts.Close()

	get := func(method, path string, hdr map[string]string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, ts.URL+path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		req.AddCookie(&http.Cookie{Name: cookieName(req.Host), Value: srv.Key()})
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, string(b)
	}
	sha := archive.SumAsset(png)
	// Without the launch key's cookie a stored asset is not served.
	if res, err := http.Get(ts.URL + "/asset/" + sha); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("GET asset without the cookie = %v, %v; want 401", res, err)
	}
	res, body := get("GET", "/asset/"+sha, nil)
	if res.StatusCode != 200 || body != string(png) {
		t.Fatalf("GET stored png = %d %q", res.StatusCode, body)
	}
	for k, want := range map[string]string{
		"Content-Type": "image/png", "X-Content-Type-Options": "nosniff",
		"Cache-Control": "public, max-age=31536000, immutable", "ETag": `"` + sha + `"`,
	} {
		if got := res.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, ContentSecurityPolicy) {
		t.Errorf("CSP = %q, want the workbench policy", csp)
	}
	if res, _ := get("GET", "/asset/"+sha, map[string]string{"If-None-Match": `"` + sha + `"`}); res.StatusCode != http.StatusNotModified {
		t.Errorf("conditional GET = %d, want 304", res.StatusCode)
	}
	// A stored body of another type never goes out as a page.
	res, _ = get("GET", "/asset/"+archive.SumAsset(page), nil)
	if ct := res.Header.Get("Content-Type"); res.StatusCode != 200 || ct != "application/octet-stream" {
		t.Errorf("stored text/html served as %d %q, want application/octet-stream", res.StatusCode, ct)
	}
	for _, path := range []string{"/asset/" + archive.SumAsset([]byte("absent")), "/asset/" + strings.ToUpper(sha), "/asset/"} {
		if res, _ := get("GET", path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, res.StatusCode)
		}
	}
	if res, _ := get("POST", "/asset/"+sha, nil); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d, want 405", res.StatusCode)
	}
}

// The heatmap view rebuilds the recorded page from the workspace's assets
// too, like the player.
func TestHeatmapPageUsesStoredAssets(t *testing.T) {
	ctx := context.Background()
	db, err := workspace.Open(ctx, filepath.Join(t.TempDir(), "ws.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	page, err := replaytest.New([]byte("font bytes"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "page.loupe")
	var buf bytes.Buffer
	if err := page.WriteArchive(&buf, true); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if res, err := pull.ImportFiles(ctx, db, []string{path}, nil); err != nil || res[0].Status != "imported" {
		t.Fatalf("import: %+v, %v", res, err)
	}
	view, err := NewHeatmaps(db).Get(HeatmapQuery{Page: "/"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(view.Snapshot[1:]) // after the Meta event, which names the page
	if len(view.Snapshot) < 2 || strings.Contains(string(b), "fixture.test") {
		t.Fatalf("heatmap snapshot still names the recorded site: %s", b)
	}
	if want := "/asset/" + archive.SumAsset(page.Logo); !strings.Contains(string(b), want) {
		t.Errorf("heatmap snapshot does not load the stored logo %s", want)
	}
}
