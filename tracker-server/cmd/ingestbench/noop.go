package main

import (
	"io"
	"net/http"
)

// noopHandler is the yardstick: it reads the whole body within the same
// 1 MiB cap and answers with the headers and body of a stored batch, and
// does nothing else. What the collector does beyond it (decompress,
// validate, write, fsync) is what the ratio measures.
func noopHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if o := r.Header.Get("Origin"); o != "" {
			h.Set("Access-Control-Allow-Origin", o)
		}
		h.Add("Vary", "Origin")
		if _, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20)); err != nil {
			http.Error(w, "body could not be read", http.StatusBadRequest)
			return
		}
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", "no-store")
		io.WriteString(w, `{"duplicate":false,"ok":true}`+"\n")
	})
}
