// Package asset finds the resources a recorded page loads by URL — images,
// fonts, stylesheets — in rrweb events and in CSS, so that a collector can
// keep them with the session and a replay can point at the kept copies.
//
// It is pure: no network, no files. Fetching (and all its limits) belongs
// to the collector; rewriting events for replay reuses RewriteCSS and
// RewriteSrcset from here so both sides agree on what a URL is.
package asset

import (
	"net/url"
	"strings"
)

// Kind is what a URL is used as, which decides the placeholder a replay
// shows when its bytes are not kept (an image gets a grey box, a font or
// stylesheet nothing).
type Kind string

// The kinds of resource a page loads by URL that Loupe keeps.
const (
	KindImage      Kind = "image"
	KindFont       Kind = "font"
	KindStylesheet Kind = "stylesheet"
)

// Ref is one resource URL found in a recording.
type Ref struct {
	// URL is absolute http or https, without fragment: the key of the
	// resource in an archive's manifest.
	URL  string
	Kind Kind
}

// MaxURLBytes bounds the URLs kept; longer ones are data, not addresses
// worth fetching.
const MaxURLBytes = 4096

// Resolve turns raw, as found in an attribute or CSS, into the manifest
// form of the URL: resolved against base, http or https only, without its
// fragment (which never changes the bytes fetched) and with no user
// information. ok is false for anything else (data:, blob:, javascript:,
// a relative URL with no base, an unparsable or over-long URL).
func Resolve(base, raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > MaxURLBytes {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	if !u.IsAbs() {
		if base == "" {
			return "", false
		}
		b, err := url.Parse(base)
		if err != nil || !b.IsAbs() {
			return "", false
		}
		u = b.ResolveReference(u)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", false
	}
	u.Fragment, u.RawFragment = "", ""
	u.Host = strings.ToLower(u.Host)
	s := u.String()
	if len(s) > MaxURLBytes {
		return "", false
	}
	return s, true
}
