// Package demoshop serves the demo shop next to an embedded collector and
// replays the shop's recorded visits through the collector's real ingest
// path, so `loupe demo` shows real data with one command.
package demoshop

import (
	"net/http"
	"strings"

	"github.com/loupe-dev/loupe/assets"
)

// Handler serves the demo shop's pages, the two API endpoints the shop calls
// (/api/ok... answers 200, /api/fail... answers 500: planted failed
// requests), and hands /t.js and /v1/ to the collector, so the shop and its
// collector share one origin and the tracker needs no configuration.
func Handler(collector http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/t.js", collector)
	mux.Handle("/v1/", collector)
	mux.Handle("/healthz", collector)
	mux.Handle("/metrics", collector)
	mux.HandleFunc("/api/", serveAPI)
	mux.Handle("/", http.FileServerFS(assets.DemoSite()))
	return mux
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
