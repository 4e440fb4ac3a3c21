package collector

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"

	"github.com/loupe-dev/loupe/assets"
)

// Handler serves the collector's HTTP API:
//
//	GET  /t.js                  the tracker bundle
//	GET  /t-feedback.js         its feedback prompt, loaded on demand
//	POST /v1/ingest             a tracker batch (OPTIONS for CORS preflight)
//	GET  /v1/archives?after=C   sealed archives after cursor C (Bearer token)
//	GET  /v1/archives/{key...}  one archive (Bearer token)
//	GET  /v1/assets/{sha256}    one page asset (Bearer token)
//	GET  /healthz
//	GET  /v1/status, /metrics   (Bearer analyst or metrics token)
//
// Every error body is JSON {"error": "..."}.
func (c *Collector) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /t.js", trackerHandler("t.js", assets.Tracker))
	mux.Handle("GET /t-feedback.js", trackerHandler("t-feedback.js", assets.TrackerFeedback))
	mux.HandleFunc("OPTIONS /v1/ingest", c.servePreflight)
	mux.HandleFunc("POST /v1/ingest", c.serveIngest)
	mux.HandleFunc("/v1/ingest", methodNotAllowed("POST, OPTIONS"))
	mux.HandleFunc("GET /v1/archives", c.requireToken(c.serveList))
	mux.HandleFunc("GET /v1/archives/{key...}", c.requireToken(c.serveArchive))
	mux.HandleFunc("GET /v1/assets/{sha256}", c.requireToken(c.serveAsset))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "collector": c.id})
	})
	mux.HandleFunc("GET /v1/status", c.requireMonitorToken(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, c.Status())
	}))
	mux.HandleFunc("GET /metrics", c.requireMonitorToken(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		if err := writeMetrics(w, c.Status()); err != nil {
			c.cfg.Logger.Debug("write metrics", "err", err)
		}
	}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint")
	})
	return mux
}

// trackerHandler serves an embedded tracker script with a short cache (a new
// collector version reaches visitors within minutes) and CORS open to all,
// since any site may load it.
func trackerHandler(name string, script func() ([]byte, error)) http.Handler {
	js, err := script()
	if err != nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeError(w, http.StatusInternalServerError, "tracker bundle missing from this build")
		})
	}
	sum := sha256.Sum256(js)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		h.Set("Cache-Control", "public, max-age=300")
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("ETag", etag)
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(js))
	})
}

func methodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed")
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v) // the client may be gone; nothing to do then
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}
