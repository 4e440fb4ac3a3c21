package demoshop

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/assets"
)

func get(t *testing.T, h http.Handler, path string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The shop's pages and scripts name the CDN where it really is.
func TestShopNamesItsCDN(t *testing.T) {
	const cdn = "http://127.0.0.1:9999"
	h := Handler(http.NotFoundHandler(), cdn)
	for _, path := range []string{"/", "/product.html", "/cart.html", "/shop.js"} {
		r := get(t, h, path)
		text := body(t, r)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", path, r.Status)
		}
		if strings.Contains(text, CDNPlaceholder) {
			t.Errorf("GET %s still names %s", path, CDNPlaceholder)
		}
		if !strings.Contains(text, cdn) {
			t.Errorf("GET %s does not name the CDN %s", path, cdn)
		}
	}
	if r := get(t, h, "/img/hero.jpg"); r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("GET /img/hero.jpg: %s %q", r.Status, r.Header.Get("Content-Type"))
	}
	if r := get(t, h, "/index.html"); r.StatusCode != http.StatusMovedPermanently {
		t.Errorf("GET /index.html: %s, want a redirect to /", r.Status)
	}
}

// The CDN serves pictures and the stylesheet without CORS headers, and the
// font with them (browsers refuse a cross-origin font otherwise); every
// url() of the stylesheet is a file it serves.
func TestCDN(t *testing.T) {
	h := CDNHandler()
	css := get(t, h, "/fernhill.css")
	if css.StatusCode != http.StatusOK || css.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("GET /fernhill.css: %s, CORS %q", css.Status, css.Header.Get("Access-Control-Allow-Origin"))
	}
	text := body(t, css)
	urls := 0
	for _, part := range strings.Split(text, "url(")[1:] {
		ref := strings.Trim(part[:strings.Index(part, ")")], `"'`)
		urls++
		r := get(t, h, "/"+ref)
		if r.StatusCode != http.StatusOK {
			t.Errorf("stylesheet names %s: %s", ref, r.Status)
		}
		font := strings.HasSuffix(ref, ".woff2")
		if cors := r.Header.Get("Access-Control-Allow-Origin"); (cors == "*") != font {
			t.Errorf("%s: Access-Control-Allow-Origin %q", ref, cors)
		}
		if font && r.Header.Get("Content-Type") != "font/woff2" {
			t.Errorf("%s: Content-Type %q", ref, r.Header.Get("Content-Type"))
		}
	}
	if urls != 2 {
		t.Errorf("stylesheet has %d url()s, want the font and the background", urls)
	}
	for _, p := range []string{"/img/mug-480.jpg", "/img/mug-960.jpg"} {
		r := get(t, h, p)
		n := len(body(t, r))
		if r.StatusCode != http.StatusOK || r.Header.Get("Access-Control-Allow-Origin") != "" || n < 20<<10 || n > 160<<10 {
			t.Errorf("GET %s: %s, %d bytes, CORS %q", p, r.Status, n, r.Header.Get("Access-Control-Allow-Origin"))
		}
	}
}

// Replayed recordings name today's shop and CDN origins, each where it
// belongs: the recorded page origin becomes the shop, the other loopback
// origin the CDN.
func TestReplayRewritesBothOrigins(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		w.Write([]byte(`{"ok":true}`))
	}))
	defer collector.Close()
	const cdn = "http://127.0.0.1:1"
	st, err := Replay(context.Background(), assets.DemoRecordings(), ReplayOptions{Base: collector.URL, CDN: cdn, Variants: 1, Now: time.Unix(1_800_000_000, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if st.Sessions != 10 {
		t.Errorf("sent %d sessions, want one per recording (10)", st.Sessions)
	}
	all := strings.Join(bodies, "\n")
	for _, want := range []string{collector.URL + "/product.html", collector.URL + "/img/hero.jpg", cdn + "/fernhill.css", cdn + "/img/lantern-480.jpg"} {
		if !strings.Contains(all, want) {
			t.Errorf("replayed batches never name %s", want)
		}
	}
	for _, wrong := range []string{collector.URL + "/fernhill.css", cdn + "/product.html", "127.0.0.1:1811"} {
		if strings.Contains(all, wrong) {
			t.Errorf("replayed batches name %s", wrong)
		}
	}
	var b recordedBatch
	if err := json.Unmarshal([]byte(bodies[0]), &b); err != nil || !strings.HasPrefix(b.Session, "s_demo") {
		t.Errorf("first batch: session %q, %v", b.Session, err)
	}
}
