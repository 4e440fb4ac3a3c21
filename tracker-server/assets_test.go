package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/loupe-dev/loupe/core/archive"
)

// TestBinaryKeepsPageAssets runs the real binary with a sites file in the
// object form: a recorded page's image is fetched, sealed into the
// archive's manifest, stored beside the archives and served by digest,
// while the archive listing shows only the archive.
func TestBinaryKeepsPageAssets(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/logo.png" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(png)
	}))
	defer site.Close()
	dir := t.TempDir()
	sites := filepath.Join(dir, "sites.json")
	if err := os.WriteFile(sites, []byte(`{"demo": {"origins": ["http://localhost:*"], "asset_origins": ["*"]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s := start(t, dir, "127.0.0.1:18205", "--sites", sites)
	body := fmt.Sprintf(`{"site":"demo","session":"s_binassets","visitor":"v_visitor1","seq":0,"events":[`+
		`{"type":4,"data":{"href":%q,"width":800,"height":600},"timestamp":1764195600000},`+
		`{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"img","attributes":{"src":"/logo.png"},"childNodes":[]}]},"initialOffset":{"left":0,"top":0}},"timestamp":1764195600001}]}`,
		site.URL+"/")
	if ok, err := postBatch(http.DefaultClient, s.url, []byte(body)); !ok {
		t.Fatalf("post: %v", err)
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-s.done; err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, s.logs)
	}
	sum := archive.SumAsset(png)
	if b, err := os.ReadFile(filepath.Join(dir, "loupe-data", "archives", "assets", sum[:2], sum)); err != nil || !bytes.Equal(b, png) {
		t.Fatalf("asset in the file store: %v", err)
	}

	again := start(t, dir, "127.0.0.1:18205", "--sites", sites)
	var lr struct {
		Archives []archive.Entry `json:"archives"`
	}
	getJSON(t, again.url+"/v1/archives", again.token, &lr)
	if len(lr.Archives) != 1 {
		t.Fatalf("archives listed: %+v, want 1", lr.Archives)
	}
	r, err := archive.NewReader(bytes.NewReader(getBytes(t, again.url+"/v1/archives/"+lr.Archives[0].Key, again.token)))
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := r.Next(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if refs := r.Assets(); len(refs) != 1 || refs[0].URL != site.URL+"/logo.png" || refs[0].SHA256 != sum || refs[0].Type != "image/png" {
		t.Fatalf("manifest = %+v, want the logo", refs)
	}
	if got := getBytes(t, again.url+"/v1/assets/"+sum, again.token); !bytes.Equal(got, png) {
		t.Errorf("GET /v1/assets/%s = %d bytes, want the logo", sum, len(got))
	}
}
