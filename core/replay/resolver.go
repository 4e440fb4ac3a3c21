// Package replay prepares a recorded session for rebuilding: the events
// are sanitized (rrweb.Sanitize), then every URL the recorded page loads
// from — images, srcsets, stylesheets, fonts, posters, url() in CSS — is
// mapped through the session's asset manifest to a copy kept on this
// machine, or to a neutral placeholder. A replay then looks like the page
// did, offline, and never makes a request off the machine.
//
// The player, the heatmap page and every self-contained output use
// Prepare; they differ only in how a stored asset is linked: a path the
// workbench serves (WorkbenchLink) or the bytes inline (DataLinks).
package replay

import (
	"encoding/base64"
	"strings"
	"sync"

	"github.com/loupe-dev/loupe/core/asset"
	"github.com/loupe-dev/loupe/core/rrweb"
)

// Asset is one manifest entry as the rewrite needs it.
type Asset struct {
	URL    string
	SHA256 string
	Type   string
	// Stored is true when the bytes are on this machine; only stored
	// assets are linked, everything else becomes a placeholder.
	Stored bool
}

// Resolver maps recorded URLs to what a replay loads instead.
type Resolver struct {
	byURL map[string]Asset
	// link returns the URL a replay loads a stored asset from; "" means
	// the asset cannot be linked (a placeholder is used).
	link func(Asset) string
	// text returns a stored stylesheet's CSS so a <link rel=stylesheet>
	// can become inline CSS; nil or false keeps the link as a link.
	text func(Asset) (string, bool)

	mu     sync.Mutex
	issued map[string]bool // every link handed out, see isIssued
}

// NewResolver builds a resolver over a manifest. link says how a stored
// asset is referenced (WorkbenchLink, or DataLinks for self-contained
// files); text reads a stored stylesheet for inlining (may be nil).
func NewResolver(manifest []Asset, link func(Asset) string, text func(Asset) (string, bool)) *Resolver {
	r := &Resolver{byURL: make(map[string]Asset, len(manifest)), link: link, text: text}
	for _, a := range manifest {
		if a.URL == "" {
			continue
		}
		// The collector keys its manifest by asset.Resolve's form; an
		// entry written some other way is normalised the same.
		if u, ok := asset.Resolve("", a.URL); ok {
			r.byURL[u] = a
		}
		r.byURL[a.URL] = a
	}
	return r
}

// WorkbenchLink links a stored asset to the workbench's own /asset/ path
// (served in the window and in browser mode alike).
func WorkbenchLink(a Asset) string {
	if !validDigest(a.SHA256) {
		return ""
	}
	return "/asset/" + a.SHA256
}

// DataLinks links stored assets as data: URIs read through open, for
// files that must open with no workbench behind them. Bytes are read once
// per digest; only image, font and stylesheet types are inlined.
func DataLinks(open func(sha string) ([]byte, error)) func(Asset) string {
	var mu sync.Mutex
	cache := map[string]string{}
	return func(a Asset) string {
		if !validDigest(a.SHA256) || !InlineType(a.Type) {
			return ""
		}
		mu.Lock()
		defer mu.Unlock()
		if s, ok := cache[a.SHA256]; ok {
			return s
		}
		b, err := open(a.SHA256)
		s := ""
		if err == nil {
			s = "data:" + a.Type + ";base64," + base64.StdEncoding.EncodeToString(b)
		}
		cache[a.SHA256] = s
		return s
	}
}

// InlineType reports whether a content type is one a replay may load as
// an asset: images, fonts and stylesheets. Anything else is served as
// opaque bytes, and never inlined.
func InlineType(typ string) bool {
	t := strings.ToLower(strings.TrimSpace(typ))
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch {
	case strings.HasPrefix(t, "image/"), strings.HasPrefix(t, "font/"):
		return !strings.ContainsAny(t, " ,\"'")
	case t == "text/css", t == "application/font-woff", t == "application/font-woff2",
		t == "application/x-font-ttf", t == "application/x-font-opentype", t == "application/x-font-woff",
		t == "application/vnd.ms-fontobject", t == "application/font-sfnt":
		return true
	}
	return false
}

// Placeholders for what is not stored. The image is a small grey SVG,
// base64-encoded so no URL text appears in it; fonts and stylesheets get
// an empty data: URI that loads nothing.
const (
	PlaceholderImage = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIxNiIgaGVpZ2h0PSIxNiI+PHJlY3Qgd2lkdGg9IjE2IiBoZWlnaHQ9IjE2IiBmaWxsPSIjZDlkY2UxIi8+PC9zdmc+"
	PlaceholderEmpty = "data:,"
)

// Prepare returns events ready for a replay: sanitized, then rewritten
// through r (see Rewrite).
func Prepare(events []rrweb.Event, r *Resolver) []rrweb.Event {
	if unprotectedReplay {
		return events
	}
	return Rewrite(rrweb.Sanitize(events), r)
}

// lookup finds the stored asset for a reference made on a page (or in a
// stylesheet) at base and the local URL to load it from ("" when it is not
// stored: the caller puts a placeholder). keep is true for references that
// load nothing from a server (empty, fragment-only, data:, blob:, about:),
// which stay as they are.
func (r *Resolver) lookup(ref, base string) (a Asset, local string, keep bool) {
	v := squash(ref)
	switch {
	case v == "", strings.HasPrefix(v, "#"), strings.HasPrefix(v, "data:"),
		strings.HasPrefix(v, "blob:"), strings.HasPrefix(v, "about:"):
		return a, "", true
	}
	abs, ok := asset.Resolve(base, ref)
	if !ok {
		return a, "", false
	}
	a, ok = r.byURL[abs]
	if !ok || !a.Stored || r.link == nil {
		return a, "", false
	}
	local = r.link(a)
	if local != "" {
		r.mu.Lock()
		if r.issued == nil {
			r.issued = map[string]bool{}
		}
		r.issued[local] = true
		r.mu.Unlock()
	}
	return a, local, false
}

// isIssued reports whether ref is a link this resolver handed out, so a
// second look at rewritten CSS keeps it instead of resolving it as a
// recorded URL.
func (r *Resolver) isIssued(ref string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.issued[ref]
}

// squash lower-cases a URL and drops the whitespace and control characters
// a browser ignores in it, to read its scheme as the browser will.
func squash(u string) string {
	var b strings.Builder
	for _, c := range u {
		if c <= 0x20 || c == 0x7f {
			continue
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

func validDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
