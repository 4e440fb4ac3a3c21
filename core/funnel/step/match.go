package step

import (
	"strings"
	"unicode/utf8"
)

// MatchGlob reports whether s matches pattern, where `*` stands for any run
// of characters (slashes included, so "/products/*" covers nested paths)
// and `?` for exactly one character; everything else is literal and case
// matters. path.Match is not used because its `*` stops at "/", and SQLite's
// GLOB (which GlobSQL targets) does not.
func MatchGlob(pattern, s string) bool {
	// Iterative matcher with single-star backtracking: linear in practice.
	px, sx := 0, 0
	starP, starS := -1, 0
	for sx < len(s) {
		if px < len(pattern) {
			switch pattern[px] {
			case '*':
				starP, starS = px, sx
				px++
				continue
			case '?':
				_, n := utf8.DecodeRuneInString(s[sx:])
				px++
				sx += n
				continue
			default:
				pr, pn := utf8.DecodeRuneInString(pattern[px:])
				sr, sn := utf8.DecodeRuneInString(s[sx:])
				if pr == sr && pn == sn && pattern[px:px+pn] == s[sx:sx+sn] {
					px += pn
					sx += sn
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[starS:])
		starS += n
		px, sx = starP+1, starS
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

// GlobSQL turns a MatchGlob pattern into an SQLite GLOB pattern with the
// same meaning: SQLite also treats `[` as a class, so it is escaped.
func GlobSQL(pattern string) string {
	return strings.ReplaceAll(pattern, "[", "[[]")
}

// MatchSelector reports whether a recorded element selector satisfies a
// selector pattern. A recorded selector is a path such as
// "main > div.card > button.buy"; the pattern matches when it equals the
// whole selector or its last part(s) ("button.buy", "div.card > button.buy").
// A pattern containing `*` or `?` is a glob over the whole selector.
func MatchSelector(pattern, selector string) bool {
	if HasWildcard(pattern) {
		return MatchGlob(pattern, selector)
	}
	if selector == pattern {
		return true
	}
	return strings.HasSuffix(selector, " "+pattern) || strings.HasSuffix(selector, ">"+pattern)
}

// HasWildcard reports whether a pattern uses glob wildcards.
func HasWildcard(pattern string) bool { return strings.ContainsAny(pattern, "*?") }
