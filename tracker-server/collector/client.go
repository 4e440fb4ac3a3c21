package collector

import (
	"net/http"
	"strings"
)

// maxUserAgent bounds the stored User-Agent; real ones are far shorter.
const maxUserAgent = 512

// clientContext is what the collector keeps about the browser that opened a
// session: its User-Agent and a country. The client address is never
// stored: the country comes from an edge header (Cloudflare's CF-IPCountry,
// or X-Country set by another proxy) or, failing that, from the region of
// the preferred language.
func clientContext(r *http.Request) (userAgent, country string) {
	userAgent = r.UserAgent()
	if len(userAgent) > maxUserAgent {
		userAgent = userAgent[:maxUserAgent]
	}
	for _, h := range []string{"CF-IPCountry", "X-Country"} {
		if c := countryCode(r.Header.Get(h)); c != "" {
			return userAgent, c
		}
	}
	return userAgent, languageRegion(r.Header.Get("Accept-Language"))
}

// countryCode normalises an ISO 3166-1 alpha-2 code; Cloudflare's "XX"
// (unknown) and "T1" (Tor) are not countries.
func countryCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 2 || s == "XX" || s == "T1" {
		return ""
	}
	if s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return ""
	}
	return s
}

// languageRegion returns the region of the first language range that has
// one: "de-DE,de;q=0.9" → "DE", "zh-Hant-TW" → "TW". Numeric regions
// ("es-419") name no single country and are skipped.
func languageRegion(acceptLanguage string) string {
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, _, _ := strings.Cut(part, ";")
		subtags := strings.Split(strings.TrimSpace(tag), "-")
		for _, st := range subtags[1:] {
			if c := countryCode(st); c != "" && len(st) == 2 {
				return c
			}
		}
	}
	return ""
}
