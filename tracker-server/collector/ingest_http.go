package collector

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
)

// serveIngest handles POST /v1/ingest: read within the size cap, decode,
// check the site key and Origin, make the batch durable, then acknowledge.
func (c *Collector) serveIngest(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin != "" {
		// Echoed so the tracker can read error bodies too; CORS guards
		// reads, the site check below guards writes.
		w.Header().Set("Access-Control-Allow-Origin", origin)
	}
	w.Header().Add("Vary", "Origin")
	body, err := readBody(http.MaxBytesReader(w, r.Body, c.cfg.MaxBody), r.ContentLength, c.cfg.MaxBody)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			c.reject(w, http.StatusRequestEntityTooLarge, "batch too large: body over the collector's limit")
			return
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			// The error text names both socket addresses; the client
			// needs only to know it was too slow.
			c.reject(w, http.StatusBadRequest, "request body timed out")
			return
		}
		c.reject(w, http.StatusBadRequest, "request body could not be read")
		return
	}
	b, err := DecodeBatch(body, c.cfg.limits())
	switch {
	case errors.Is(err, ErrTooLarge):
		c.reject(w, http.StatusRequestEntityTooLarge, err.Error())
		return
	case err != nil:
		c.reject(w, http.StatusBadRequest, err.Error())
		return
	}
	// A load balancer routes on the session id in the URL (?s=), since it
	// cannot read the body; a mismatch would defeat that routing.
	if s := r.URL.Query().Get("s"); s != "" && s != b.Session {
		c.reject(w, http.StatusBadRequest, "session in the URL (?s=) does not match the batch")
		return
	}
	origins, ok := c.cfg.Sites[b.Site]
	if !ok {
		c.reject(w, http.StatusForbidden, "unknown site key")
		return
	}
	if !matchAny(origins, origin) {
		c.reject(w, http.StatusForbidden, "origin not allowed for this site key")
		return
	}
	ua, country := clientContext(r)
	addr, _, _ := net.SplitHostPort(r.RemoteAddr)
	dup, err := c.ingest(r.Context(), b, requestContext{userAgent: ua, country: country, addr: addr})
	switch {
	case errors.Is(err, ErrClosed):
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, err.Error())
	case errors.Is(err, ErrQuotaReached):
		// "stop" tells the tracker to end this visit's recording and not
		// retry; no Retry-After, since the limit lasts the month.
		writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": err.Error(), "stop": "quota"})
	case errors.Is(err, ErrSampledOut):
		writeJSON(w, http.StatusAccepted, map[string]any{"ok": true, "stop": "sampled"})
	case errors.Is(err, ErrSiteMismatch):
		c.reject(w, http.StatusConflict, err.Error())
	case errors.Is(err, ErrSessionTooLarge):
		c.reject(w, http.StatusRequestEntityTooLarge, err.Error())
	case errors.Is(err, ErrTooManySessions):
		w.Header().Set("Retry-After", "60")
		c.reject(w, http.StatusTooManyRequests, err.Error())
	case errors.Is(err, ErrSeqConflict):
		c.stats.conflicts.Add(1)
		c.reject(w, http.StatusConflict, err.Error())
	case errors.Is(err, ErrDiskFull):
		// 507 with a delay: the tracker keeps the batch and retries, and
		// the collector frees room as sealed sessions upload.
		w.Header().Set("Retry-After", "30")
		writeError(w, http.StatusInsufficientStorage, "collector disk is full; batch not stored, retry later")
	case err != nil:
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, "batch not stored; retry")
	default:
		writeStored(w, dup)
	}
}

// The two success bodies, as writeJSON would encode them, made once.
var (
	storedReply    = []byte(`{"duplicate":false,"ok":true}` + "\n")
	duplicateReply = []byte(`{"duplicate":true,"ok":true}` + "\n")
)

// writeStored acknowledges a durable batch.
func writeStored(w http.ResponseWriter, duplicate bool) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	if duplicate {
		_, _ = w.Write(duplicateReply) // the client may be gone; nothing to do then
		return
	}
	_, _ = w.Write(storedReply)
}

// presizedBody bounds the buffer readBody makes up front from a declared
// length: a client that declares a large body and sends it slowly (or
// never) must not make the collector hold the whole of it in advance.
// Past it the buffer grows with what arrives.
const presizedBody = 64 << 10

// readBody reads r whole into a buffer sized from the declared length.
func readBody(r io.Reader, declared, limit int64) ([]byte, error) {
	size := max(min(declared, limit, presizedBody), 0)
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead)) // ReadFrom wants MinRead spare to see EOF
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// servePreflight answers CORS preflight for origins some site allows; the
// tracker normally avoids preflight (text/plain bodies, beacons), but a
// client sending JSON content types needs it.
func (c *Collector) servePreflight(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	w.Header().Add("Vary", "Origin")
	for _, origins := range c.cfg.Sites {
		if matchAny(origins, origin) {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type, Content-Encoding")
			h.Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	writeError(w, http.StatusForbidden, "origin not allowed")
}

func (c *Collector) reject(w http.ResponseWriter, code int, msg string) {
	c.stats.rejected.Add(1)
	writeError(w, code, msg)
}

func matchAny(patterns []string, origin string) bool {
	for _, p := range patterns {
		if MatchOrigin(p, origin) {
			return true
		}
	}
	return false
}
