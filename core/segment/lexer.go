package segment

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokWord
	tokString
	tokOp
	tokLParen
	tokRParen
	tokBad
)

type token struct {
	kind tokenKind
	text string // word text, unquoted string value, or operator
	pos  int    // byte offset
}

// describe names a token for error messages.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of input"
	case tokString:
		return strconv.Quote(t.text)
	case tokLParen:
		return "'('"
	case tokRParen:
		return "')'"
	}
	return "'" + t.text + "'"
}

// isWordRune reports whether r may appear in a bare word: everything but
// space, quotes, parentheses and operator characters.
func isWordRune(r rune) bool {
	if unicode.IsSpace(r) || r == utf8.RuneError {
		return false
	}
	return !strings.ContainsRune(`"()=!<>~,`, r)
}

// lex splits a segment's text into tokens. A bad token (an unterminated
// string, a stray character) is returned as tokBad with its message in text.
func lex(src string) []token {
	var toks []token
	i := 0
	for i < len(src) {
		r, n := utf8.DecodeRuneInString(src[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case r == '(':
			toks = append(toks, token{tokLParen, "(", i})
			i++
		case r == ')':
			toks = append(toks, token{tokRParen, ")", i})
			i++
		case r == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				return append(toks, token{tokBad, "unterminated string", i})
			}
			s, err := strconv.Unquote(src[i : j+1])
			if err != nil {
				return append(toks, token{tokBad, "invalid string (bad escape or line break)", i})
			}
			toks = append(toks, token{tokString, s, i})
			i = j + 1
		case strings.ContainsRune("=!<>~", r):
			op := string(r)
			if i+1 < len(src) && src[i+1] == '=' && r != '=' && r != '~' {
				op += "="
			}
			if op == "!" {
				return append(toks, token{tokBad, "expected '=' after '!'", i})
			}
			toks = append(toks, token{tokOp, op, i})
			i += len(op)
		case isWordRune(r):
			j := i
			for j < len(src) {
				r2, n2 := utf8.DecodeRuneInString(src[j:])
				if !isWordRune(r2) {
					break
				}
				j += n2
			}
			toks = append(toks, token{tokWord, src[i:j], i})
			i = j
		default:
			return append(toks, token{tokBad, "unexpected character " + strconv.QuoteRune(r), i})
		}
	}
	return append(toks, token{tokEOF, "", len(src)})
}
