package collector

import (
	"crypto/subtle"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/loupe-dev/loupe/core/archive"
)

// List page sizes for GET /v1/archives.
const (
	defaultListLimit = 100
	maxListLimit     = 1000
)

// requireToken guards the archive API with the analyst token
// ("Authorization: Bearer TOKEN"), compared in constant time.
func (c *Collector) requireToken(next http.HandlerFunc) http.HandlerFunc {
	return c.requireAnyToken(next, c.token)
}

// requireMonitorToken guards status and metrics: they reveal traffic
// figures, so they take the analyst token or the separate metrics token.
func (c *Collector) requireMonitorToken(next http.HandlerFunc) http.HandlerFunc {
	return c.requireAnyToken(next, c.token, c.cfg.MetricsToken)
}

func (c *Collector) requireAnyToken(next http.HandlerFunc, tokens ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		match := 0
		for _, t := range tokens {
			if t != "" {
				match |= subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(t))
			}
		}
		if !ok || match != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="loupe"`)
			writeError(w, http.StatusUnauthorized, "missing or wrong analyst token")
			return
		}
		next(w, r)
	}
}

// listResponse is the body of GET /v1/archives. Next is the cursor for the
// following page when this one was full, "" when the listing is complete.
type listResponse struct {
	Archives []archive.Entry `json:"archives"`
	Next     string          `json:"next"`
}

func (c *Collector) serveList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := defaultListLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxListLimit {
			writeError(w, http.StatusBadRequest, "limit must be an integer from 1 to "+strconv.Itoa(maxListLimit))
			return
		}
		limit = n
	}
	entries, err := c.cfg.Store.List(r.Context(), q.Get("after"), limit)
	if err != nil {
		c.cfg.Logger.Error("list archives", "err", err)
		writeError(w, http.StatusBadGateway, "archive store unavailable")
		return
	}
	resp := listResponse{Archives: entries, Next: ""}
	if resp.Archives == nil {
		resp.Archives = []archive.Entry{}
	}
	if len(entries) == limit {
		resp.Next = entries[len(entries)-1].Key
	}
	writeJSON(w, http.StatusOK, resp)
}

func (c *Collector) serveArchive(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if !validKey(key) {
		writeError(w, http.StatusBadRequest, "bad archive key")
		return
	}
	rc, err := c.cfg.Store.Open(r.Context(), key)
	if errors.Is(err, fs.ErrNotExist) {
		writeError(w, http.StatusNotFound, "no such archive")
		return
	}
	if err != nil {
		c.cfg.Logger.Error("open archive", "key", key, "err", err)
		writeError(w, http.StatusBadGateway, "archive store unavailable")
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="`+path.Base(key)+`"`)
	if _, err := io.Copy(w, rc); err != nil {
		// Headers are gone; the client sees a short body and its checksum
		// check rejects it.
		c.cfg.Logger.Warn("send archive", "key", key, "err", err)
	}
}

// validKey accepts only keys archive.ValidateKey allows, so no request can
// reach outside a file store's root.
func validKey(key string) bool { return archive.ValidateKey(key) == nil }
