package asset

import "strings"

// SrcsetCandidate is one image candidate of a srcset attribute.
type SrcsetCandidate struct {
	// Start and End delimit the URL inside the attribute value.
	Start, End int
	URL        string // as written
}

// ParseSrcset splits a srcset value into its candidate URLs following the
// HTML parsing algorithm: a URL runs to the next whitespace (so data: URLs
// keep their commas), a trailing comma ends a candidate without
// descriptors, and descriptors run to the next comma outside parentheses.
func ParseSrcset(v string) []SrcsetCandidate {
	var out []SrcsetCandidate
	i := 0
	for {
		for i < len(v) && (isSpace(v[i]) || v[i] == ',') {
			i++
		}
		if i >= len(v) {
			return out
		}
		start := i
		for i < len(v) && !isSpace(v[i]) {
			i++
		}
		end := i
		trailingComma := false
		for end > start && v[end-1] == ',' {
			end--
			trailingComma = true
		}
		if end > start {
			out = append(out, SrcsetCandidate{Start: start, End: end, URL: v[start:end]})
		}
		if trailingComma {
			continue
		}
		// Descriptors: up to a comma outside parentheses.
		depth := 0
		for i < len(v) {
			c := v[i]
			i++
			if c == '(' {
				depth++
			} else if c == ')' && depth > 0 {
				depth--
			} else if c == ',' && depth == 0 {
				break
			}
		}
	}
}

// RewriteSrcset replaces each candidate URL for which fn returns ok,
// keeping descriptors and separators as they were. fn gets the URL as
// written; resolve it with Resolve.
func RewriteSrcset(v string, fn func(raw string) (string, bool)) string {
	cands := ParseSrcset(v)
	if len(cands) == 0 {
		return v
	}
	var b strings.Builder
	last := 0
	for _, c := range cands {
		repl, ok := fn(c.URL)
		if !ok {
			continue
		}
		// A URL in srcset ends at whitespace; percent-encode it. (Commas
		// are fine inside, as in a data: URL, just not at the end.)
		repl = strings.NewReplacer(" ", "%20", "\t", "%09", "\n", "%0A", "\r", "%0D", "\f", "%0C").Replace(repl)
		if strings.HasSuffix(repl, ",") {
			repl = strings.TrimSuffix(repl, ",") + "%2C"
		}
		b.WriteString(v[last:c.Start])
		b.WriteString(repl)
		last = c.End
	}
	b.WriteString(v[last:])
	return b.String()
}
