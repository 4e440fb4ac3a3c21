package desktop

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/replay"
	"github.com/loupe-dev/loupe/core/workspace"
)

// AssetPath is where the workbench serves stored page assets:
// AssetPath + <sha256>. Replays link to it (replay.WorkbenchLink).
const AssetPath = "/asset/"

// assetCacheControl: an asset's address is its content's digest, so a
// response never goes stale.
const assetCacheControl = "public, max-age=31536000, immutable"

// AssetHandler serves the page assets stored in db at AssetPath<sha256>,
// for the replay iframe: in browser mode (Server.HandleAssets) and in the
// window (the asset server's handler for paths the bundle lacks). Only
// image, font and stylesheet types are served as such; anything else goes
// out as application/octet-stream, and nosniff keeps a browser from
// guessing otherwise, so stored bytes can never run as a page or script.
func AssetHandler(db *workspace.DB) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		SecurityHeaders(w.Header())
		// A stored SVG opened directly must not act as a page either.
		w.Header().Set("Content-Security-Policy", ContentSecurityPolicy+"; sandbox")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, &Error{Code: CodeInvalid, Message: "assets are read with GET"})
			return
		}
		sha, ok := strings.CutPrefix(r.URL.Path, AssetPath)
		if !ok || !workspace.ValidDigest(sha) {
			writeError(w, http.StatusNotFound, &Error{Code: CodeNotFound, Message: "want " + AssetPath + "<sha256>"})
			return
		}
		a, err := db.OpenAsset(r.Context(), sha)
		if errors.Is(err, workspace.ErrNotFound) {
			writeError(w, http.StatusNotFound, &Error{Code: CodeNotFound, Message: "this asset is not in the workspace"})
			return
		}
		if err != nil {
			writeError(w, http.StatusInternalServerError, &Error{Code: CodeInternal, Message: "read asset: " + err.Error()})
			return
		}
		typ := "application/octet-stream"
		if replay.InlineType(a.Type) {
			typ = strings.TrimSpace(a.Type)
		}
		h := w.Header()
		h.Set("Content-Type", typ)
		h.Set("Cache-Control", assetCacheControl)
		h.Set("ETag", `"`+sha+`"`)
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		// ServeContent answers Range, HEAD and If-None-Match.
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.Data))
	})
}

// HandleAssets serves the page assets of db at AssetPath, next to the UI
// and the bindings.
func (s *Server) HandleAssets(db *workspace.DB) {
	s.mux.Handle(AssetPath, AssetHandler(db))
}
