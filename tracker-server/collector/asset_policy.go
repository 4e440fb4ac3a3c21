package collector

import (
	"net/netip"
	"net/url"
	"strings"
)

// sitePolicy is where one site's assets may come from.
type sitePolicy struct {
	// local is true when every origin the site posts from is loopback or
	// private (the embedded demo on localhost): its assets are on the same
	// machine or network, so those addresses are allowed for it.
	local bool
	// origins is nil for the default policy (any origin, addresses
	// checked), or the patterns an asset's origin must match.
	origins []string
}

// policyFor builds a site's policy from its allowed origins and its asset
// origins (nil when not configured).
func policyFor(siteOrigins, assetOrigins []string) sitePolicy {
	p := sitePolicy{local: len(siteOrigins) > 0}
	for _, o := range siteOrigins {
		if !localPattern(o) {
			p.local = false
		}
	}
	if assetOrigins != nil {
		p.origins = append(append([]string{}, siteOrigins...), assetOrigins...)
	}
	return p
}

// allowed reports whether an asset at u may be fetched under the policy.
func (p sitePolicy) allowed(u *url.URL) bool {
	if p.origins == nil {
		return true
	}
	origin := u.Scheme + "://" + u.Host
	for _, pat := range p.origins {
		if MatchOrigin(pat, origin) {
			return true
		}
	}
	return false
}

// localPattern reports whether an origin pattern names only this machine
// or a private network: localhost, or a loopback or private IP literal.
func localPattern(pattern string) bool {
	parts, ok := splitPattern(pattern)
	if !ok {
		return false
	}
	if parts.host == "localhost" || strings.HasSuffix(parts.host, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(parts.host)
	return err == nil && (a.IsLoopback() || a.IsPrivate())
}
