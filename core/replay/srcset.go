package replay

import "strings"

// srcsetCandidate is one "URL [descriptor]" of a srcset attribute.
type srcsetCandidate struct {
	url, descriptor string
}

// parseSrcset splits a srcset the way the HTML standard does: a URL is a
// run of non-space characters (commas inside it, as in data: URLs, belong
// to it; trailing commas end the candidate), then descriptors up to a comma
// outside parentheses.
func parseSrcset(s string) []srcsetCandidate {
	var out []srcsetCandidate
	i := 0
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
	for i < len(s) {
		for i < len(s) && (isSpace(s[i]) || s[i] == ',') {
			i++
		}
		if i >= len(s) {
			break
		}
		start := i
		for i < len(s) && !isSpace(s[i]) {
			i++
		}
		u := s[start:i]
		if strings.HasSuffix(u, ",") {
			out = append(out, srcsetCandidate{url: strings.TrimRight(u, ",")})
			continue
		}
		dstart, parens := i, 0
		for i < len(s) {
			c := s[i]
			if c == '(' {
				parens++
			} else if c == ')' && parens > 0 {
				parens--
			} else if c == ',' && parens == 0 {
				break
			}
			i++
		}
		out = append(out, srcsetCandidate{url: u, descriptor: strings.TrimSpace(s[dstart:i])})
	}
	return out
}

// formatSrcset joins candidates back into a srcset value.
func formatSrcset(cs []srcsetCandidate) string {
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		if c.descriptor != "" {
			parts = append(parts, c.url+" "+c.descriptor)
		} else {
			parts = append(parts, c.url)
		}
	}
	return strings.Join(parts, ", ")
}
