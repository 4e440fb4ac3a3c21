package desktop

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"strings"
)

// ContentSecurityPolicy keeps every request of the workbench on this
// machine: scripts only from the bundle, no outside images, fonts or
// connections, and frames only for the sandboxed replay. Styles may be
// inline because a replayed page's recorded <style> elements are.
const ContentSecurityPolicy = "default-src 'self'; " +
	"script-src 'self'; " +
	"style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; " +
	"font-src 'self' data: blob:; " +
	"media-src 'self' data: blob:; " +
	"frame-src 'self' about: blob:; " +
	"child-src 'self' about: blob:; " +
	"connect-src 'self'; " +
	"object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors 'self'"

// maxArgsBytes bounds one call's JSON arguments; the largest are files
// dropped for import, sent one at a time in base64.
const maxArgsBytes = 96 << 20

// Server is browser mode: the embedded workbench UI plus
// POST /api/<Struct>/<Method> with a JSON array of arguments, dispatched to
// the same binding structs the window binds.
type Server struct {
	ui       fs.FS
	dispatch *dispatcher
	mux      *http.ServeMux
	auth     *launchKey
}

// NewServer serves ui (the built workbench, index.html at its root) and
// the given bindings (pointers to binding structs).
func NewServer(ui fs.FS, bindings ...any) (*Server, error) {
	d, err := newDispatcher(bindings)
	if err != nil {
		return nil, err
	}
	auth, err := newLaunchKey(ui)
	if err != nil {
		return nil, err
	}
	s := &Server{ui: ui, dispatch: d, mux: http.NewServeMux(), auth: auth}
	s.mux.HandleFunc("/api/", s.serveAPI)
	s.mux.Handle("/", http.FileServerFS(ui))
	return s, nil
}

// Methods lists the callable "Struct.Method" names.
func (s *Server) Methods() []string { return s.dispatch.methods() }

// ServeHTTP applies the security headers and a loopback Host check (so a
// web page elsewhere cannot reach the workspace through DNS rebinding) and
// the launch key (so another local user or process cannot), then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	SecurityHeaders(w.Header())
	if !loopbackHost(r.Host) {
		writeError(w, http.StatusForbidden, &Error{Code: CodeInvalid, Message: "browser mode answers only on a loopback address"})
		return
	}
	if !s.auth.admit(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// SecurityHeaders sets the policy headers every workbench response carries,
// in browser mode and in the window's asset server alike.
func SecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/"), "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		writeError(w, http.StatusNotFound, &Error{Code: CodeNotFound, Message: "want /api/<Struct>/<Method>"})
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, &Error{Code: CodeInvalid, Message: "call bindings with POST"})
		return
	}
	// A JSON content type forces a CORS preflight on cross-site requests,
	// so a plain HTML form elsewhere cannot call a binding.
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, &Error{Code: CodeInvalid, Message: "send the arguments as application/json"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxArgsBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, &Error{Code: CodeInvalid, Message: "arguments are too large"})
			return
		}
		writeError(w, http.StatusBadRequest, &Error{Code: CodeInvalid, Message: "reading arguments: " + err.Error()})
		return
	}
	result, callErr := s.dispatch.call(r.Context(), parts[0], parts[1], body)
	if callErr != nil {
		writeError(w, statusOf(callErr.Code), callErr)
		return
	}
	writeJSON(w, http.StatusOK, result)
}

func statusOf(code string) int {
	switch code {
	case CodeNotFound:
		return http.StatusNotFound
	case CodeInvalid:
		return http.StatusBadRequest
	case CodeConflict:
		return http.StatusConflict
	case CodeUnavailable:
		return http.StatusServiceUnavailable
	case CodeCanceled:
		return 499 // client closed request, as nginx names it
	}
	return http.StatusInternalServerError
}

func writeError(w http.ResponseWriter, status int, e *Error) {
	writeJSON(w, status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		// The status is already sent; the client sees a truncated body.
		return
	}
}

// loopbackHost reports whether a Host header names this machine.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
