package collector

import (
	"fmt"
	"net/url"
	"strings"
)

// MatchOrigin reports whether a request's Origin header value matches an
// allowed-origin pattern. Patterns are "*" (any origin), an exact origin
// ("https://shop.example.com"), an origin with any port
// ("http://localhost:*"), or any subdomain ("https://*.example.com", which
// also matches example.com itself). Scheme and host compare
// case-insensitively; an origin of "null" or a missing one never matches
// anything but "*".
func MatchOrigin(pattern, origin string) bool {
	if pattern == "*" {
		return true
	}
	o, ok := parseOrigin(origin)
	if !ok {
		return false
	}
	p, ok := splitPattern(pattern)
	if !ok || p.scheme != o.scheme {
		return false
	}
	if p.port != "*" && p.port != o.port {
		return false
	}
	if rest, wild := strings.CutPrefix(p.host, "*."); wild {
		return o.host == rest || strings.HasSuffix(o.host, "."+rest)
	}
	return p.host == o.host
}

type originParts struct{ scheme, host, port string }

func parseOrigin(s string) (originParts, bool) {
	if s == "" || s == "null" {
		return originParts{}, false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return originParts{}, false
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = defaultPort(scheme)
	}
	return originParts{scheme, strings.ToLower(u.Hostname()), port}, true
}

func splitPattern(p string) (originParts, bool) {
	scheme, rest, ok := strings.Cut(p, "://")
	if !ok || rest == "" {
		return originParts{}, false
	}
	scheme = strings.ToLower(scheme)
	host, port := strings.ToLower(rest), defaultPort(scheme)
	if i := strings.LastIndexByte(rest, ':'); i >= 0 && !strings.Contains(rest[i:], "]") {
		host, port = strings.ToLower(rest[:i]), rest[i+1:]
	}
	host = strings.TrimSuffix(host, "/")
	port = strings.TrimSuffix(port, "/")
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]") // IPv6 literal, as url.Hostname gives it
	if host == "" || strings.ContainsAny(host+port, "/?#@") {
		return originParts{}, false
	}
	return originParts{scheme, host, port}, true
}

func defaultPort(scheme string) string {
	switch scheme {
	case "http":
		return "80"
	case "https":
		return "443"
	}
	return ""
}

func checkOriginPattern(p string) error {
	if p == "*" {
		return nil
	}
	if _, ok := splitPattern(p); !ok {
		return fmt.Errorf("origin pattern %q: want *, or scheme://host with an optional :port or :*", p)
	}
	return nil
}
