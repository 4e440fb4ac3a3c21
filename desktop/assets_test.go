package desktop

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/loupe-dev/loupe/core/archive"
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
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		return res, string(b)
	}
	sha := archive.SumAsset(png)
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
