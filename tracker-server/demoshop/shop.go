// Package demoshop serves the demo shop next to an embedded collector and
// replays the shop's recorded visits through the collector's real ingest
// path, so `loupe demo` shows real data with one command.
package demoshop

import (
	"bytes"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/assets"
)

// CDNPlaceholder stands for the CDN's origin in the shop's pages and
// scripts; the shop's server writes the real origin in its place. The
// .invalid name never resolves, so a page served without the substitution
// requests nothing from anywhere.
const CDNPlaceholder = "https://cdn.fernhill.invalid"

// Handler serves the demo shop's pages, the two API endpoints the shop calls
// (/api/ok... answers 200, /api/fail... answers 500: planted failed
// requests), and hands /t.js, /t-feedback.js and /v1/ to the collector, so
// the shop and its collector share one origin and the tracker needs no
// configuration.
// cdnOrigin (e.g. http://127.0.0.1:8789) is where CDNHandler is served;
// pages and scripts load the photos, the font and the brand stylesheet
// from there.
func Handler(collector http.Handler, cdnOrigin string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/t.js", collector)
	mux.Handle("/t-feedback.js", collector)
	mux.Handle("/v1/", collector)
	mux.Handle("/healthz", collector)
	mux.Handle("/metrics", collector)
	mux.HandleFunc("/api/", serveAPI)
	mux.Handle("/", siteHandler(assets.DemoSite(), cdnOrigin))
	return mux
}

// CDNHandler serves the shop's CDN origin: photos, the web font and the
// brand stylesheet, cacheable and without CORS headers, as most CDNs serve
// them, so page script can read neither the pictures nor the stylesheet's
// rules and a replay has to get them some other way. Fonts are the
// exception: browsers refuse a cross-origin web font without
// Access-Control-Allow-Origin, so font CDNs send it.
func CDNHandler() http.Handler {
	files := http.FileServerFS(assets.DemoCDN())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		if path.Ext(r.URL.Path) == ".woff2" {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Content-Type", "font/woff2")
		}
		files.ServeHTTP(w, r)
	})
}

// siteHandler serves the site's files, writing cdnOrigin in place of the
// placeholder in pages and scripts.
func siteHandler(site fs.FS, cdnOrigin string) http.Handler {
	files := http.FileServerFS(site)
	started := time.Now()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if strings.HasSuffix(r.URL.Path, "/") {
			name = path.Join(name, "index.html")
		}
		if ext := path.Ext(name); ext != ".html" && ext != ".js" || name == "index.html" && r.URL.Path != "/" {
			files.ServeHTTP(w, r) // also redirects /index.html to /
			return
		}
		body, err := fs.ReadFile(site, name)
		if err != nil {
			files.ServeHTTP(w, r) // the file server's own 404
			return
		}
		body = bytes.ReplaceAll(body, []byte(CDNPlaceholder), []byte(cdnOrigin))
		http.ServeContent(w, r, name, started, bytes.NewReader(body))
	})
}

func serveAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/fail"):
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"error":"planted failure"}`))
	case strings.HasPrefix(r.URL.Path, "/api/ok"):
		_, _ = w.Write([]byte(`{"ok":true}`))
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":"no such endpoint"}`))
	}
}
