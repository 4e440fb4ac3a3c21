package asset

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// CSSURL is one url() or @import target in a stylesheet.
type CSSURL struct {
	// Start and End delimit the text to replace: the whole url(...) or the
	// quoted string after @import.
	Start, End int
	// Raw is the URL as written, CSS escapes decoded.
	Raw string
	// URL is Raw resolved (see Resolve), "" when it is not an http(s) URL.
	URL  string
	Kind Kind
}

// The stylesheet is parsed by this small scanner rather than a CSS
// library: only url() tokens, @import strings and @font-face blocks
// matter, the scanner must never fail on hostile input, and it must give
// exact byte offsets for rewriting. It follows the CSS Syntax tokenizer for
// comments, strings, escapes and url tokens, and nothing else.

// ScanCSS finds every url() and @import target in css, in order, resolving
// them against base (the stylesheet's own URL, or the page's for inline
// CSS). url() inside an @font-face block is a font, an @import target a
// stylesheet, any other url() an image.
func ScanCSS(css, base string) []CSSURL {
	var out []CSSURL
	s := scanner{css: css}
	depth, fontFaceDepth := 0, 0
	importing, fontFaceNext := false, false
	add := func(start, end int, raw string, kind Kind) {
		u, _ := Resolve(base, raw)
		out = append(out, CSSURL{Start: start, End: end, Raw: raw, URL: u, Kind: kind})
	}
	kindHere := func() Kind {
		switch {
		case importing:
			return KindStylesheet
		case fontFaceDepth > 0:
			return KindFont
		}
		return KindImage
	}
	for s.i < len(css) {
		c := css[s.i]
		switch {
		case c == '/' && strings.HasPrefix(css[s.i:], "/*"):
			end := strings.Index(css[s.i+2:], "*/")
			if end < 0 {
				s.i = len(css)
			} else {
				s.i += 2 + end + 2
			}
		case c == '"' || c == '\'':
			start := s.i
			raw := s.str()
			if importing {
				add(start, s.i, raw, KindStylesheet)
				importing = false
			}
		case c == '\\':
			s.i += 2 // an escaped character is part of an identifier
		case c == '@':
			s.i++
			name := strings.ToLower(s.ident())
			importing = name == "import"
			fontFaceNext = name == "font-face"
		case c == '{':
			depth++
			if fontFaceNext && fontFaceDepth == 0 {
				fontFaceDepth = depth
			}
			importing, fontFaceNext = false, false
			s.i++
		case c == '}':
			if depth == fontFaceDepth {
				fontFaceDepth = 0
			}
			if depth > 0 {
				depth--
			}
			importing, fontFaceNext = false, false
			s.i++
		case c == ';':
			importing, fontFaceNext = false, false
			s.i++
		case (c == 'u' || c == 'U') && !identByteBefore(css, s.i) && hasPrefixFold(css[s.i:], "url("):
			start := s.i
			s.i += 4
			if raw, ok := s.urlBody(); ok {
				add(start, s.i, raw, kindHere())
			}
			importing = false
		case identByte(c):
			s.ident()
		default:
			s.i++
		}
	}
	return out
}

// CSSRefs is the distinct resolved URLs of ScanCSS, in order of appearance.
func CSSRefs(css, base string) []Ref {
	var out []Ref
	seen := map[string]bool{}
	for _, u := range ScanCSS(css, base) {
		if u.URL != "" && !seen[u.URL] {
			seen[u.URL] = true
			out = append(out, Ref{URL: u.URL, Kind: u.Kind})
		}
	}
	return out
}

// RewriteCSS replaces each url() and @import target for which fn returns
// ok with url("replacement"), leaving every other byte as it was.
func RewriteCSS(css, base string, fn func(CSSURL) (string, bool)) string {
	urls := ScanCSS(css, base)
	if len(urls) == 0 {
		return css
	}
	var b strings.Builder
	b.Grow(len(css))
	last := 0
	for _, u := range urls {
		repl, ok := fn(u)
		if !ok {
			continue
		}
		b.WriteString(css[last:u.Start])
		if identByteBefore(css, u.Start) {
			b.WriteByte(' ') // @import"a.css" must not become @importurl(...)
		}
		b.WriteString(`url("`)
		b.WriteString(escapeCSSString(repl))
		b.WriteString(`")`)
		last = u.End
	}
	b.WriteString(css[last:])
	return b.String()
}

// escapeCSSString makes s safe inside a double-quoted CSS string.
func escapeCSSString(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r < 0x20 || r == 0x7f:
			b.WriteString(`\` + strconv.FormatInt(int64(r), 16) + ` `)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

type scanner struct {
	css string
	i   int
}

// str consumes a string token starting at the quote at s.i and returns
// its decoded value. An unescaped newline or the end of input ends it, as
// in CSS.
func (s *scanner) str() string {
	quote := s.css[s.i]
	s.i++
	var b strings.Builder
	for s.i < len(s.css) {
		c := s.css[s.i]
		switch {
		case c == quote:
			s.i++
			return b.String()
		case c == '\n' || c == '\r' || c == '\f':
			return b.String() // a bad string; it ends here
		case c == '\\':
			s.i++
			if s.i < len(s.css) && (s.css[s.i] == '\n' || s.css[s.i] == '\f') {
				s.i++ // an escaped newline continues the string
				continue
			}
			if s.i < len(s.css) && s.css[s.i] == '\r' {
				s.i++
				if s.i < len(s.css) && s.css[s.i] == '\n' {
					s.i++
				}
				continue
			}
			s.escape(&b)
		default:
			b.WriteByte(c)
			s.i++
		}
	}
	return b.String()
}

// urlBody consumes what follows "url(": a quoted string or an unquoted URL,
// then the closing parenthesis. ok is false for a malformed url(), which a
// browser would not load either; the scanner then resumes after its ")".
func (s *scanner) urlBody() (string, bool) {
	s.space()
	if s.i < len(s.css) && (s.css[s.i] == '"' || s.css[s.i] == '\'') {
		raw := s.str()
		s.space()
		if s.i < len(s.css) && s.css[s.i] == ')' {
			s.i++
			return raw, true
		}
		s.skipBadURL()
		return "", false
	}
	var b strings.Builder
	for s.i < len(s.css) {
		c := s.css[s.i]
		switch {
		case c == ')':
			s.i++
			return b.String(), true
		case isSpace(c):
			s.space()
			if s.i < len(s.css) && s.css[s.i] == ')' {
				s.i++
				return b.String(), true
			}
			s.skipBadURL()
			return "", false
		case c == '"' || c == '\'' || c == '(' || c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f:
			s.skipBadURL()
			return "", false
		case c == '\\':
			if s.i+1 < len(s.css) && (s.css[s.i+1] == '\n' || s.css[s.i+1] == '\r' || s.css[s.i+1] == '\f') {
				s.skipBadURL()
				return "", false
			}
			s.i++
			s.escape(&b)
		default:
			b.WriteByte(c)
			s.i++
		}
	}
	return b.String(), true // unterminated at the end of input: still a url
}

// skipBadURL consumes the rest of a bad url token: up to and including the
// next unescaped ")".
func (s *scanner) skipBadURL() {
	for s.i < len(s.css) {
		c := s.css[s.i]
		s.i++
		if c == ')' {
			return
		}
		if c == '\\' {
			s.i++
		}
	}
}

// escape decodes the escape after a backslash (already consumed).
func (s *scanner) escape(b *strings.Builder) {
	if s.i >= len(s.css) {
		b.WriteRune(utf8.RuneError)
		return
	}
	j := s.i
	for j < len(s.css) && j-s.i < 6 && isHex(s.css[j]) {
		j++
	}
	if j > s.i {
		n, _ := strconv.ParseUint(s.css[s.i:j], 16, 32)
		r := rune(n)
		if n == 0 || n > utf8.MaxRune || (r >= 0xd800 && r <= 0xdfff) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
		s.i = j
		if s.i < len(s.css) && isSpace(s.css[s.i]) {
			if s.css[s.i] == '\r' && s.i+1 < len(s.css) && s.css[s.i+1] == '\n' {
				s.i++
			}
			s.i++
		}
		return
	}
	r, size := utf8.DecodeRuneInString(s.css[s.i:])
	b.WriteRune(r)
	s.i += size
}

// ident consumes an identifier (escapes included) and returns it raw.
func (s *scanner) ident() string {
	start := s.i
	for s.i < len(s.css) {
		c := s.css[s.i]
		switch {
		case c == '\\':
			s.i += 2
		case identByte(c):
			s.i++
		default:
			return s.css[start:min(s.i, len(s.css))]
		}
	}
	s.i = len(s.css)
	return s.css[start:]
}

func (s *scanner) space() {
	for s.i < len(s.css) && isSpace(s.css[s.i]) {
		s.i++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

func identByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 0x80
}

// identByteBefore reports whether the byte before i continues an
// identifier, so "myurl(" is not taken for "url(".
func identByteBefore(css string, i int) bool {
	return i > 0 && (identByte(css[i-1]) || css[i-1] == '\\')
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
