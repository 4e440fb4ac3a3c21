package collector

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
)

// pngBytes is a real 1×1 PNG, so the type sniffer sees an image.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

// otherPNG is a different valid image (GIF) for the CSS background.
var otherPNG = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

var woff2Bytes = append([]byte("wOF2\x00\x01\x00\x00"), bytes.Repeat([]byte{7}, 100)...)

// sessionBatch is one batch of a page at page that shows each URL as an
// <img>, plus a stylesheet link when css is set.
func sessionBatch(site, session, page, css string, imgs ...string) Batch {
	var kids []string
	id := 10
	if css != "" {
		kids = append(kids, fmt.Sprintf(`{"type":2,"id":%d,"tagName":"link","attributes":{"rel":"stylesheet","href":%q},"childNodes":[]}`, id, css))
		id++
	}
	for _, src := range imgs {
		kids = append(kids, fmt.Sprintf(`{"type":2,"id":%d,"tagName":"img","attributes":{"src":%q},"childNodes":[]}`, id, src))
		id++
	}
	snap := fmt.Sprintf(`{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[{"type":2,"id":3,"tagName":"body","attributes":{},"childNodes":[%s]}]}]},"initialOffset":{"left":0,"top":0}},"timestamp":1764195600001}`, strings.Join(kids, ","))
	meta := fmt.Sprintf(`{"type":4,"data":{"href":%q,"width":1280,"height":800},"timestamp":1764195600000}`, page)
	return Batch{Site: site, Session: session, Visitor: "v_visitor1", Seq: 0, Tracker: "0.1.0",
		Events: []json.RawMessage{json.RawMessage(meta), json.RawMessage(snap)}}
}

// sealAndManifest ingests b, seals everything and returns the manifest of
// the archive stored for b's session.
func sealAndManifest(t *testing.T, tc *testCollector, b Batch) []archive.AssetRef {
	t.Helper()
	if _, err := tc.ingest(context.Background(), &b, requestContext{}); err != nil {
		t.Fatalf("ingest: %v", err)
	}
	tc.sealDue(context.Background(), true)
	for _, key := range tc.store.keys() {
		if !strings.Contains(key, b.Session) {
			continue
		}
		tc.store.mu.Lock()
		data := tc.store.objects[key]
		tc.store.mu.Unlock()
		r, err := archive.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("read archive %s: %v", key, err)
			}
		}
		if r.Header().Version != archive.Version {
			t.Errorf("sealed archive version %d, want %d", r.Header().Version, archive.Version)
		}
		return r.Assets()
	}
	t.Fatalf("no archive for %s among %v", b.Session, tc.store.keys())
	return nil
}

func manifestByURL(refs []archive.AssetRef) map[string]archive.AssetRef {
	m := map[string]archive.AssetRef{}
	for _, r := range refs {
		m[r.URL] = r
	}
	return m
}

// localAssetFiles counts the files in the collector's local asset folder.
func localAssetFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(filepath.Join(dir, "assets"), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

func TestAssetsKeptWithSealedSession(t *testing.T) {
	var hits atomic.Int64
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Cookie") != "" || r.Header.Get("Referer") != "" || r.Header.Get("Authorization") != "" {
			t.Errorf("asset request for %s carried cookies, a referer or credentials", r.URL.Path)
		}
		switch r.URL.Path {
		case "/logo.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(pngBytes)
		case "/css/site.css":
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
			io.WriteString(w, `@font-face{font-family:F;src:url("../fonts/f.woff2") format("woff2")} body{background:url(bg.gif)}`)
		case "/fonts/f.woff2":
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Write(woff2Bytes)
		case "/css/bg.gif":
			w.Header().Set("Content-Type", "image/gif")
			w.Write(otherPNG)
		default:
			http.NotFound(w, r)
		}
	}))
	defer site.Close()
	dir := t.TempDir()
	store := newMemStore()
	tc := startCollector(t, dir, store, nil) // the default "demo" site on localhost
	defer tc.Close(context.Background())

	page := site.URL + "/products/1"
	refs := sealAndManifest(t, tc, sessionBatch("demo", "s_assets001", page, site.URL+"/css/site.css", "/logo.png", "/gone.png"))
	got := manifestByURL(refs)
	want := map[string]struct {
		body []byte
		typ  string
	}{
		site.URL + "/logo.png":      {pngBytes, "image/png"},
		site.URL + "/css/bg.gif":    {otherPNG, "image/gif"},
		site.URL + "/fonts/f.woff2": {woff2Bytes, "font/woff2"},
		site.URL + "/css/site.css":  {nil, "text/css"},
	}
	if len(refs) != 5 {
		t.Fatalf("manifest has %d entries, want 5: %+v", len(refs), refs)
	}
	for u, w := range want {
		r := got[u]
		if r.SHA256 == "" || r.Type != w.typ || r.Missing != "" {
			t.Errorf("%s: %+v, want kept as %s", u, r, w.typ)
			continue
		}
		if w.body != nil && (r.SHA256 != archive.SumAsset(w.body) || r.Size != int64(len(w.body))) {
			t.Errorf("%s: digest/size %s/%d do not match the served bytes", u, r.SHA256, r.Size)
		}
		if ok, _ := store.HasAsset(context.Background(), r.SHA256); !ok {
			t.Errorf("%s: the store lacks %s", u, r.SHA256)
		}
	}
	if r := got[site.URL+"/gone.png"]; r.Missing != "http 404" || r.SHA256 != "" {
		t.Errorf("missing asset entry = %+v, want missing http 404", r)
	}
	if n := store.assetCount(); n != 4 {
		t.Errorf("store holds %d assets, want 4", n)
	}
	if n := localAssetFiles(t, dir); n != 4 {
		t.Errorf("local folder holds %d files, want 4", n)
	}
	bytesAfterFirst := tc.Status().AssetBytes

	// A second session using the same assets stores nothing new.
	refs2 := sealAndManifest(t, tc, sessionBatch("demo", "s_assets002", page, site.URL+"/css/site.css", "/logo.png"))
	if len(refs2) != 4 {
		t.Errorf("second manifest has %d entries, want 4: %+v", len(refs2), refs2)
	}
	st := tc.Status()
	if n := store.assetCount(); n != 4 {
		t.Errorf("after a second session the store holds %d assets, want still 4", n)
	}
	if st.AssetsDeduped < 4 || st.AssetBytes != bytesAfterFirst {
		t.Errorf("deduped %d, asset bytes %d → %d; want ≥4 deduped and no new bytes", st.AssetsDeduped, bytesAfterFirst, st.AssetBytes)
	}
	if st.AssetsFetched != 4 || st.AssetsFailed < 1 {
		t.Errorf("fetched %d failed %d, want each asset fetched once and the 404 counted", st.AssetsFetched, st.AssetsFailed)
	}

	// The analyst API serves the bytes by digest.
	get := func(path, token string) (int, []byte) {
		req, _ := http.NewRequest(http.MethodGet, tc.srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	logo := got[site.URL+"/logo.png"].SHA256
	if code, body := get("/v1/assets/"+logo, tc.Token()); code != 200 || !bytes.Equal(body, pngBytes) {
		t.Errorf("GET asset = %d, %d bytes; want 200 and the PNG", code, len(body))
	}
	if code, _ := get("/v1/assets/"+logo, ""); code != 401 {
		t.Errorf("GET asset without the token = %d, want 401", code)
	}
	if code, _ := get("/v1/assets/"+archive.SumAsset([]byte("nothing")), tc.Token()); code != 404 {
		t.Errorf("GET unknown asset = %d, want 404", code)
	}
	if code, _ := get("/v1/assets/ABC", tc.Token()); code != 400 {
		t.Errorf("GET malformed digest = %d, want 400", code)
	}
	if _, body := get("/metrics", tc.Token()); !strings.Contains(string(body), "loupe_assets_deduped_total") || !strings.Contains(string(body), "loupe_asset_bytes_total") {
		t.Errorf("metrics lack the asset counters")
	}
}

// publicNet makes names ending in ".example" resolve to a public address
// (or to 127.0.0.1 for rebind.example, as a rebinding DNS server would) and
// connects the public address to srv, so a loopback server plays a public
// one without the guard being told anything.
func publicNet(srv *httptest.Server) func(*Config) {
	public := netip.MustParseAddr("93.184.216.34")
	target := srv.Listener.Addr().String()
	return func(cfg *Config) {
		cfg.assetResolve = func(ctx context.Context, host string) ([]netip.Addr, error) {
			switch {
			case host == "rebind.example", host == "localhost":
				return []netip.Addr{netip.MustParseAddr("127.0.0.1")}, nil
			case strings.HasSuffix(host, ".example"):
				return []netip.Addr{public}, nil
			}
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		cfg.assetDial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if ap, err := netip.ParseAddrPort(addr); err == nil && ap.Addr() == public {
				addr = target
			}
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		}
	}
}

func publicSite(tweak func(*Config)) func(*Config) {
	return func(cfg *Config) {
		cfg.Sites = map[string][]string{"shop": {"https://shop.example.com"}}
		cfg.Assets.FetchTimeout = 500 * time.Millisecond
		if tweak != nil {
			tweak(cfg)
		}
	}
}

func TestAssetFetchRefusesInternalAddresses(t *testing.T) {
	var internalHits atomic.Int64
	internal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		internalHits.Add(1)
		w.Header().Set("Content-Type", "image/png")
		w.Write(pngBytes)
	}))
	defer internal.Close()
	// The "public" server redirects to the internal one.
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, internal.URL+"/x.png", http.StatusFound)
	}))
	defer redirector.Close()
	port := internal.Listener.Addr().(*net.TCPAddr).Port
	dir := t.TempDir()
	store := newMemStore()
	tc := startCollector(t, dir, store, publicSite(publicNet(redirector)))
	defer tc.Close(context.Background())

	urls := map[string]string{
		fmt.Sprintf("http://127.0.0.1:%d/x.png", port):      "refused: loopback address",
		fmt.Sprintf("http://localhost:%d/x.png", port):      "refused: loopback address",
		"http://169.254.169.254/latest/meta-data":           "refused: metadata address",
		"http://[::ffff:169.254.169.254]/latest/meta-data":  "refused: metadata address",
		"http://10.1.2.3/x.png":                             "refused: private address",
		"http://100.64.0.1/x.png":                           "refused: shared (CGNAT) address",
		"http://0.0.0.0/x.png":                              "refused: unspecified address",
		fmt.Sprintf("http://rebind.example:%d/x.png", port): "refused: loopback address",
		"http://public.example/redirect-to-internal.png":    "refused: loopback address",
	}
	var imgs []string
	for u := range urls {
		imgs = append(imgs, u)
	}
	refs := sealAndManifest(t, tc, sessionBatch("shop", "s_ssrf0001", "https://shop.example.com/", "", imgs...))
	got := manifestByURL(refs)
	for u, reason := range urls {
		if r := got[u]; r.Missing != reason || r.SHA256 != "" {
			t.Errorf("%s: %+v, want missing %q", u, r, reason)
		}
	}
	if n := internalHits.Load(); n != 0 {
		t.Errorf("the internal server was reached %d times", n)
	}
	if n := store.assetCount(); n != 0 {
		t.Errorf("store holds %d assets, want none", n)
	}
	if n := localAssetFiles(t, dir); n != 0 {
		t.Errorf("local folder holds %d files, want none", n)
	}
}

func TestAssetFetchLimits(t *testing.T) {
	html := []byte("<!DOCTYPE html><html><body>not an image</body></html>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big.png":
			w.Header().Set("Content-Type", "image/png")
			w.Header().Set("Content-Length", fmt.Sprint(6<<20))
			w.Write(pngBytes)
			w.Write(make([]byte, 6<<20-len(pngBytes)))
		case "/big-chunked.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(pngBytes)
			w.(http.Flusher).Flush()
			for i := 0; i < 6; i++ {
				w.Write(make([]byte, 1<<20))
			}
		case "/slow.png":
			select {
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
		case "/loop.png":
			http.Redirect(w, r, "/loop.png", http.StatusFound)
		case "/page.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(html)
		case "/script.css":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, "alert(1)")
		case "/ftp.png":
			http.Redirect(w, r, "ftp://public.example/x.png", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	store := newMemStore()
	tc := startCollector(t, dir, store, publicSite(func(cfg *Config) {
		publicNet(srv)(cfg)
		cfg.AssetOrigins = map[string][]string{"shop": {"http://public.example"}}
		// Long enough that the 6 MiB answers reach the size cap on a
		// machine busy with other work; only slow.png, which never
		// answers, runs into it.
		cfg.Assets.FetchTimeout = 4 * time.Second
	}))
	defer tc.Close(context.Background())

	urls := map[string]string{
		"http://public.example/big.png":         "too large: 6 MiB over 5 MiB",
		"http://public.example/big-chunked.png": "too large: over 5 MiB",
		"http://public.example/slow.png":        "timeout",
		"http://public.example/loop.png":        "too many redirects",
		"http://public.example/page.png":        "refused: content type text/html",
		"http://public.example/script.css":      "refused: content type text/javascript",
		"http://public.example/nope.png":        "http 404",
		"http://public.example/ftp.png":         "refused: not http or https",
		"http://elsewhere.example/x.png":        "origin not allowed",
	}
	var imgs []string
	for u := range urls {
		imgs = append(imgs, u)
	}
	start := time.Now()
	refs := sealAndManifest(t, tc, sessionBatch("shop", "s_limits01", "https://shop.example.com/", "", imgs...))
	if d := time.Since(start); d > 45*time.Second {
		t.Errorf("seal took %v; the fetch limits should bound it (slow.png never answers)", d)
	}
	got := manifestByURL(refs)
	for u, reason := range urls {
		if r := got[u]; r.Missing != reason || r.SHA256 != "" {
			t.Errorf("%s: %+v, want missing %q", u, r, reason)
		}
	}
	if n := store.assetCount(); n != 0 {
		t.Errorf("store holds %d assets, want none", n)
	}
	if n := localAssetFiles(t, dir); n != 0 {
		t.Errorf("local folder holds %d files, want none", n)
	}
	if st := tc.Status(); st.AssetsFailed < int64(len(urls)) || st.AssetsFetched != 0 {
		t.Errorf("status fetched %d failed %d, want 0 and ≥%d", st.AssetsFetched, st.AssetsFailed, len(urls))
	}
}
