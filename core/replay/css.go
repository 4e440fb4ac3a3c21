package replay

import (
	"fmt"
	"strings"
)

// cssKind says what a URL inside CSS loads, which decides its placeholder
// when the asset is not stored.
type cssKind int

const (
	cssImage cssKind = iota // url() in a property value, image-set() strings
	cssFont                 // url() inside @font-face
)

// cssRewriter maps the URLs of a stylesheet.
type cssRewriter struct {
	// url returns what a url() or image-set() string target becomes.
	url func(ref string, kind cssKind) string
	// imported returns the CSS that stands in for "@import ref media;"
	// ("" drops the rule). It is hoisted to the front of the result, where
	// @import rules must be anyway.
	imported func(ref, media string) string
}

// rewriteCSS returns css with every url() target, image-set() string and
// @import mapped through rw. Comments are kept, strings outside url()
// are copied as they are; a url( without its closing parenthesis ends the
// stylesheet there, since what follows cannot be told apart from the URL.
//
// This is a scanner, not a CSS parser: it knows comments, strings,
// escapes, blocks (to tell @font-face from the rest) and the three places
// a stylesheet names a resource. That is all a rewrite needs, and it keeps
// the scan linear on hostile input.
func rewriteCSS(css string, rw cssRewriter) string {
	var out, hoisted strings.Builder
	out.Grow(len(css))
	depth := 0      // brace depth
	fontDepth := -1 // depth at which the current @font-face block opened, -1 outside
	pendingFont := false
	imageSet := 0 // paren depth inside image-set(), 0 outside
	parens := 0
	i := 0
	for i < len(css) {
		c := css[i]
		switch {
		case c == '/' && i+1 < len(css) && css[i+1] == '*':
			end := strings.Index(css[i+2:], "*/")
			if end < 0 {
				out.WriteString(css[i:])
				i = len(css)
				continue
			}
			out.WriteString(css[i : i+2+end+2])
			i += 2 + end + 2
		case c == '"' || c == '\'':
			s, n := readCSSString(css[i:])
			if imageSet > 0 {
				out.WriteString(quoteCSS(rw.url(s, cssImage)))
			} else {
				out.WriteString(css[i : i+n])
			}
			i += n
		case c == '\\':
			// An escape outside strings: copy it and the escaped character.
			n := min(2, len(css)-i)
			out.WriteString(css[i : i+n])
			i += n
		case c == '{':
			depth++
			if pendingFont {
				fontDepth, pendingFont = depth, false
			}
			out.WriteByte(c)
			i++
		case c == '}':
			if depth == fontDepth {
				fontDepth = -1
			}
			depth = max(0, depth-1)
			out.WriteByte(c)
			i++
		case c == ';' && pendingFont:
			pendingFont = false
			out.WriteByte(c)
			i++
		case c == '(':
			parens++
			out.WriteByte(c)
			i++
		case c == ')':
			if imageSet > 0 && parens == imageSet {
				imageSet = 0
			}
			parens = max(0, parens-1)
			out.WriteByte(c)
			i++
		case c == '@' && hasFold(css[i+1:], "font-face") && !isIdentByte(at(css, i+10)):
			pendingFont = true
			out.WriteString(css[i : i+10])
			i += 10
		case c == '@' && hasFold(css[i+1:], "import") && !isIdentByte(at(css, i+7)):
			ref, media, n := readImport(css[i+7:])
			if ref != "" || n > 0 {
				hoisted.WriteString(rw.imported(ref, media))
			}
			i += 7 + n
		case isIdentStart(c) && (i == 0 || !isIdentByte(css[i-1])):
			name := identAt(css[i:])
			lower := strings.ToLower(name)
			after := i + len(name)
			switch {
			case lower == "url" && at(css, after) == '(':
				ref, n, ok := readURLCall(css[after+1:])
				if !ok {
					// Unterminated: nothing after it is safe to keep.
					i = len(css)
					continue
				}
				kind := cssImage
				if fontDepth >= 0 {
					kind = cssFont
				}
				out.WriteString("url(" + quoteCSS(rw.url(ref, kind)) + ")")
				i = after + 1 + n
			case strings.HasSuffix(lower, "image-set") && at(css, after) == '(':
				out.WriteString(name)
				out.WriteByte('(')
				parens++
				imageSet = parens
				i = after + 1
			default:
				out.WriteString(name)
				i = after
			}
		default:
			out.WriteByte(c)
			i++
		}
	}
	if hoisted.Len() == 0 {
		return out.String()
	}
	return hoisted.String() + out.String()
}

// readImport reads what follows "@import": the target (url() or string),
// the media list, up to and including the ";" (or the end). n is the
// bytes consumed.
func readImport(s string) (ref, media string, n int) {
	i := skipSpace(s, 0)
	switch {
	case i < len(s) && (s[i] == '"' || s[i] == '\''):
		r, m := readCSSString(s[i:])
		ref, i = r, i+m
	case hasFold(s[i:], "url("):
		r, m, ok := readURLCall(s[i+4:])
		if !ok {
			return "", "", len(s)
		}
		ref, i = r, i+4+m
	}
	end := strings.IndexByte(s[i:], ';')
	if end < 0 {
		return ref, strings.TrimSpace(s[i:]), len(s)
	}
	return ref, strings.TrimSpace(s[i : i+end]), i + end + 1
}

// readURLCall reads the inside of url( ... ) after the "(": the target and
// the bytes consumed including ")". ok is false when it never closes.
func readURLCall(s string) (ref string, n int, ok bool) {
	i := skipSpace(s, 0)
	if i < len(s) && (s[i] == '"' || s[i] == '\'') {
		r, m := readCSSString(s[i:])
		i = skipSpace(s, i+m)
		if i >= len(s) || s[i] != ')' {
			// Something after the string: skip to the ")" like a browser
			// skips a bad url().
			end := strings.IndexByte(s[i:], ')')
			if end < 0 {
				return "", 0, false
			}
			return r, i + end + 1, true
		}
		return r, i + 1, true
	}
	var b strings.Builder
	for i < len(s) {
		switch c := s[i]; {
		case c == ')':
			return strings.TrimSpace(b.String()), i + 1, true
		case c == '\\' && i+1 < len(s):
			r, m := unescapeCSS(s[i:])
			b.WriteString(r)
			i += m
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", 0, false
}

// readCSSString reads a quoted string at the start of s, returning its
// unescaped value and the bytes consumed (to the end when unterminated).
func readCSSString(s string) (string, int) {
	q := s[0]
	var b strings.Builder
	i := 1
	for i < len(s) {
		c := s[i]
		switch {
		case c == q:
			return b.String(), i + 1
		case c == '\n':
			return b.String(), i // a bad string ends at the newline
		case c == '\\' && i+1 < len(s):
			if s[i+1] == '\n' {
				i += 2
				continue
			}
			r, m := unescapeCSS(s[i:])
			b.WriteString(r)
			i += m
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), len(s)
}

// unescapeCSS decodes one backslash escape at the start of s.
func unescapeCSS(s string) (string, int) {
	i, cp := 1, 0
	for i < len(s) && i <= 6 && isHex(s[i]) {
		cp = cp*16 + hexVal(s[i])
		i++
	}
	if i == 1 {
		return s[1:2], 2
	}
	if i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
		i++
	}
	if cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) {
		cp = 0xFFFD
	}
	return string(rune(cp)), i
}

// quoteCSS writes s as a double-quoted CSS string.
func quoteCSS(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			if r == 0 {
				r = 0xfffd // CSS never decodes an escaped NUL as NUL
			}
			fmt.Fprintf(&b, "\\%x ", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f') {
		i++
	}
	return i
}

func hasFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func at(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_' || c >= 0x80
}

func isIdentByte(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9'
}

// identAt returns the identifier at the start of s.
func identAt(s string) string {
	i := 0
	for i < len(s) && isIdentByte(s[i]) {
		i++
	}
	return s[:i]
}
