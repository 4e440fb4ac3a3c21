package collector

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/archive"
)

func TestRefusedAddr(t *testing.T) {
	tests := []struct {
		addr         string
		public       string // reason for a public site
		localAllowed bool   // allowed for a local site
	}{
		{"93.184.216.34", "", true},
		{"2606:2800:220:1:248:1893:25c8:1946", "", true},
		{"127.0.0.1", "refused: loopback address", true},
		{"::1", "refused: loopback address", true},
		{"10.0.0.1", "refused: private address", true},
		{"192.168.1.1", "refused: private address", true},
		{"172.16.0.1", "refused: private address", true},
		{"fd12::1", "refused: private address", true},
		{"100.64.1.1", "refused: shared (CGNAT) address", true},
		{"169.254.169.254", "refused: metadata address", false},
		{"::ffff:169.254.169.254", "refused: metadata address", false},
		{"64:ff9b::a9fe:a9fe", "refused: metadata address", false},
		{"fd00:ec2::254", "refused: metadata address", false},
		{"169.254.1.1", "refused: link-local address", false},
		{"fe80::1", "refused: link-local address", false},
		{"224.0.0.1", "refused: link-local address", false},
		{"239.1.2.3", "refused: multicast address", false},
		{"ff02::1", "refused: link-local address", false},
		{"ff05::1", "refused: multicast address", false},
		{"0.0.0.0", "refused: unspecified address", false},
		{"0.1.2.3", "refused: unspecified address", false},
		{"::", "refused: unspecified address", false},
		{"255.255.255.255", "refused: reserved address", false},
		{"::ffff:127.0.0.1", "refused: loopback address", true},
	}
	for _, tt := range tests {
		a := netip.MustParseAddr(tt.addr)
		if got := refusedAddr(a, false); got != tt.public {
			t.Errorf("refusedAddr(%s, public site) = %q, want %q", tt.addr, got, tt.public)
		}
		if got := refusedAddr(a, true); (got == "") != tt.localAllowed {
			t.Errorf("refusedAddr(%s, local site) = %q, want allowed=%v", tt.addr, got, tt.localAllowed)
		}
	}
}

func TestAssetType(t *testing.T) {
	svg := []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>`)
	tests := []struct {
		declared string
		body     []byte
		typ      string // "" when refused
	}{
		{"image/png", pngBytes, "image/png"},
		{"image/jpeg", pngBytes, "image/png"}, // the bytes name the format
		{"image/png", []byte("<html><body>hi</body></html>"), ""},
		{"image/png", []byte("just text"), ""},
		{"image/svg+xml", svg, "image/svg+xml"},
		{"image/svg+xml", []byte("<html><svg></svg></html>"), ""},
		{"text/css", []byte("body{color:red}"), "text/css"},
		{"text/css; charset=utf-8", []byte("\ufeffbody{}"), "text/css"},
		{"text/css", []byte("<!DOCTYPE html><p>"), ""},
		{"text/css", pngBytes, ""},
		{"font/woff2", woff2Bytes, "font/woff2"},
		{"application/octet-stream", []byte("wOFF\x00\x01"), "font/woff"},
		{"application/font-sfnt", []byte("\x00\x01\x00\x00\x00\x10"), "font/ttf"},
		{"font/woff2", []byte("<html>"), ""},
		{"application/octet-stream", []byte("MZ\x90\x00 an executable"), ""},
		{"text/javascript", []byte("alert(1)"), ""},
		{"text/html", []byte("<p>"), ""},
		{"", pngBytes, "image/png"},
	}
	for _, tt := range tests {
		typ, reason := assetType(tt.declared, tt.body)
		if typ != tt.typ || (typ == "") != (reason != "") {
			t.Errorf("assetType(%q, %.12q) = %q, %q; want %q", tt.declared, tt.body, typ, reason, tt.typ)
		}
	}
}

func TestSitePolicy(t *testing.T) {
	if !policyFor([]string{"http://localhost:*", "http://127.0.0.1:*"}, nil).local {
		t.Error("the demo site is not local")
	}
	if policyFor([]string{"http://localhost:*", "https://shop.example.com"}, nil).local {
		t.Error("a site with a public origin is local")
	}
	if policyFor([]string{"*"}, nil).local {
		t.Error("a site open to any origin is local")
	}
}

func TestIngestDoesNotWaitForAssets(t *testing.T) {
	release := make(chan struct{})
	var served atomic.Int64
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow.png" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		w.Header().Set("Content-Type", "image/png")
		w.Write(pngBytes)
		served.Add(1)
	}))
	defer site.Close()
	tc := startCollector(t, t.TempDir(), newMemStore(), nil)
	defer tc.Close(context.Background())
	defer close(release) // before Close, whose seal would wait for it
	b := sessionBatch("demo", "s_prefetch1", site.URL+"/", "", "/slow.png", "/logo.png")
	start := time.Now()
	tc.mustIngest(t, b)
	if d := time.Since(start); d > time.Second {
		t.Errorf("ingest took %v with an asset still loading", d)
	}
	// The background fetcher gets the other asset before any seal.
	waitFor(t, "the prefetch of logo.png", func() bool { return tc.Status().AssetsFetched >= 1 })
}

func TestSealAfterRestartUsesKeptManifest(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(pngBytes)
	}))
	dir := t.TempDir()
	store := newMemStore()
	store.setFailPuts(1 << 30)
	store.failAssetPuts = 1 << 30
	first := startCollector(t, dir, store, nil)
	first.mustIngest(t, sessionBatch("demo", "s_restart01", site.URL+"/", "", "/logo.png"))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := first.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close with the store down: %v, want a deadline error", err)
	}
	// The site is gone: the next start can only use what was kept.
	site.Close()
	store.setFailPuts(0)
	store.mu.Lock()
	store.failAssetPuts = 0
	store.mu.Unlock()
	second := startCollector(t, dir, store, nil)
	if err := second.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	keys := store.keys()
	if len(keys) != 1 {
		t.Fatalf("archives = %v, want 1", keys)
	}
	store.mu.Lock()
	data := store.objects[keys[0]]
	store.mu.Unlock()
	r, err := archive.NewReader(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := r.Next(); err != nil {
			break
		}
	}
	refs := r.Assets()
	if len(refs) != 1 || refs[0].SHA256 != archive.SumAsset(pngBytes) {
		t.Fatalf("manifest after restart = %+v, want the logo kept", refs)
	}
	if ok, _ := store.HasAsset(context.Background(), refs[0].SHA256); !ok {
		t.Error("the store lacks the asset of an uploaded archive")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "sealing", "*")); len(left) != 0 {
		t.Errorf("sealing folder after upload: %v, want empty", left)
	}
}

func TestSessionAssetCaps(t *testing.T) {
	img := func(n byte) []byte { return append(append([]byte{}, pngBytes...), bytes.Repeat([]byte{n}, 1000)...) }
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case strings.HasSuffix(p, ".png"):
			w.Header().Set("Content-Type", "image/png")
			w.Write(img(p[1]))
		case strings.HasSuffix(p, ".css"):
			// /1.css imports /2.css, which imports /3.css, and so on.
			w.Header().Set("Content-Type", "text/css")
			fmt.Fprintf(w, `@import "/%c.css";`, p[1]+1)
		}
	}))
	defer site.Close()
	store := newMemStore()
	tc := startCollector(t, t.TempDir(), store, func(c *Config) {
		c.Assets.MaxSessionBytes = 2500 // two of the 1,076-byte images
		c.Assets.MaxAssets = 7
	})
	defer tc.Close(context.Background())
	refs := sealAndManifest(t, tc, sessionBatch("demo", "s_caps00001", site.URL+"/", site.URL+"/1.css",
		"/a.png", "/b.png", "/a.png?again", "/c.png"))
	got := manifestByURL(refs)
	for u, want := range map[string]string{
		"/a.png":       "",
		"/b.png":       "",
		"/a.png?again": "", // the same bytes as a.png cost nothing more
		"/c.png":       "session limit: assets over 2500 B",
		"/1.css":       "",
		"/2.css":       "",
		"/3.css":       "",
		"/4.css":       "too many assets: over 7 in one session",
	} {
		r, ok := got[site.URL+u]
		if !ok || r.Missing != want || (want == "") != (r.SHA256 != "") {
			t.Errorf("%s: %+v (listed %v), want missing %q", u, r, ok, want)
		}
	}
	if len(refs) != 8 {
		t.Errorf("manifest has %d entries, want 8", len(refs))
	}

	// Nesting: with room for them all, the fifth stylesheet is one level
	// too deep.
	tc2 := startCollector(t, t.TempDir(), newMemStore(), nil)
	defer tc2.Close(context.Background())
	got = manifestByURL(sealAndManifest(t, tc2, sessionBatch("demo", "s_caps00002", site.URL+"/", site.URL+"/1.css")))
	if r := got[site.URL+"/4.css"]; r.SHA256 == "" {
		t.Errorf("/4.css: %+v, want kept (third level)", r)
	}
	if r := got[site.URL+"/5.css"]; r.Missing != "too deep: stylesheets nested over 3 levels" {
		t.Errorf("/5.css: %+v, want too deep", r)
	}
	if _, ok := got[site.URL+"/6.css"]; ok || len(got) != 5 {
		t.Errorf("manifest = %v, want 5 stylesheets and nothing beyond", got)
	}
}
