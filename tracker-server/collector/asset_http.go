package collector

import (
	"errors"
	"io"
	"io/fs"
	"net/http"

	"github.com/loupe-dev/loupe/core/archive"
)

// serveAsset streams one page asset from the store by its digest. The
// bytes go out as application/octet-stream with nosniff: their type lives
// in the manifest of the archives that list them, and a browser must never
// render them from here.
func (c *Collector) serveAsset(w http.ResponseWriter, r *http.Request) {
	sum := r.PathValue("sha256")
	if archive.ValidateDigest(sum) != nil {
		writeError(w, http.StatusBadRequest, "bad asset digest: want 64 lowercase hex digits")
		return
	}
	store, ok := c.cfg.Store.(archive.AssetStore)
	if !ok {
		writeError(w, http.StatusNotFound, "this collector's store keeps no assets")
		return
	}
	rc, err := store.OpenAsset(r.Context(), sum)
	if errors.Is(err, fs.ErrNotExist) {
		writeError(w, http.StatusNotFound, "no such asset")
		return
	}
	if err != nil {
		c.cfg.Logger.Error("open asset", "sha256", sum, "err", err)
		writeError(w, http.StatusBadGateway, "archive store unavailable")
		return
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	if _, err := io.Copy(w, rc); err != nil {
		c.cfg.Logger.Warn("send asset", "sha256", sum, "err", err)
	}
}
