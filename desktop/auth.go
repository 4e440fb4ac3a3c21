package desktop

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// CodeUnauthorized is the code of a browser-mode request without the
// launch key: the page was opened without the address `loupe serve`
// printed, or the server was restarted since.
const CodeUnauthorized = "unauthorized"

// keyParam is the query parameter that carries the launch key in the
// address `loupe serve` prints.
const keyParam = "key"

// launchKey guards browser mode: a loopback port is open to every local
// user and process, so each launch makes a random secret that only the
// person who started it sees. The printed address carries it once; the
// first page load trades it for an HttpOnly, SameSite=Strict cookie and
// drops it from the address bar. The Wails window has its own asset
// server and never meets this check.
type launchKey struct {
	secret string
	ui     fs.FS // the public bundle, served without the key
}

func newLaunchKey(ui fs.FS) (*launchKey, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("launch key: %w", err)
	}
	return &launchKey{secret: base64.RawURLEncoding.EncodeToString(b), ui: ui}, nil
}

// Key returns this launch's secret, for callers that print the address.
func (s *Server) Key() string { return s.auth.secret }

// URL returns the address to open for a server listening on addr
// ("127.0.0.1:8790"): the root page with the launch key.
func (s *Server) URL(addr string) string {
	return "http://" + addr + "/?" + keyParam + "=" + url.QueryEscape(s.auth.secret)
}

// matches compares a presented key with the secret in constant time. Both
// sides are hashed first so that not even the length is compared early.
func (k *launchKey) matches(presented string) bool {
	a := sha256.Sum256([]byte(presented))
	b := sha256.Sum256([]byte(k.secret))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// cookieName is per port: cookies do not tell ports apart, and several
// workbenches may run on one machine (and in one browser) at once.
func cookieName(host string) string {
	if _, port, err := net.SplitHostPort(host); err == nil && port != "" {
		return "loupe_key_" + port
	}
	return "loupe_key"
}

// admit reports whether r may go on to the routes. When it returns false
// it has answered: a redirect that sets the cookie, or a 401.
func (k *launchKey) admit(w http.ResponseWriter, r *http.Request) bool {
	q := r.URL.Query()
	if q.Has(keyParam) {
		if (r.Method != http.MethodGet && r.Method != http.MethodHead) || !k.matches(q.Get(keyParam)) {
			refuse(w, "the key in this address is not this launch's key; open the address `loupe serve` printed")
			return false
		}
		http.SetCookie(w, &http.Cookie{
			Name:     cookieName(r.Host),
			Value:    k.secret,
			Path:     "/",
			HttpOnly: true,
			SameSite: http.SameSiteStrictMode,
		})
		// The same address without the key; the browser keeps the
		// fragment (the view) across the redirect.
		q.Del(keyParam)
		to := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, to.String(), http.StatusSeeOther)
		return false
	}
	if k.public(r) {
		return true
	}
	if c, err := r.Cookie(cookieName(r.Host)); err == nil && k.matches(c.Value) {
		return true
	}
	refuse(w, "browser mode needs this launch's key: open the address `loupe serve` printed (…/?key=…)")
	return false
}

// public reports whether r asks for a file of the workbench bundle, which
// holds no workspace data. Everything else — bindings, page assets, any
// route added later — needs the key.
func (k *launchKey) public(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	p := path.Clean("/" + r.URL.Path)
	if p == "/" {
		return true
	}
	if strings.HasPrefix(p, "/api/") {
		return false
	}
	st, err := fs.Stat(k.ui, strings.TrimPrefix(p, "/"))
	return err == nil && !st.IsDir()
}

func refuse(w http.ResponseWriter, msg string) {
	writeError(w, http.StatusUnauthorized, &Error{Code: CodeUnauthorized, Message: msg})
}
