package ask

import (
	"strings"
	"unicode"
)

// token is one word of a sentence: norm is its lower-case form used for
// matching, orig its spelling for readings and unknown-word reports.
type token struct {
	norm   string
	orig   string
	quoted bool // a "quoted phrase" kept whole
}

// contractions expand so that negation reads the same however it is spelt.
var contractions = map[string][]string{
	"didn't": {"did", "not"}, "didnt": {"did", "not"},
	"don't": {"do", "not"}, "dont": {"do", "not"},
	"doesn't": {"does", "not"}, "doesnt": {"does", "not"},
	"haven't": {"have", "not"}, "hasn't": {"has", "not"},
	"wasn't": {"was", "not"}, "weren't": {"were", "not"},
	"couldn't": {"could", "not"}, "can't": {"can", "not"},
	"cannot": {"can", "not"}, "won't": {"will", "not"},
	"isn't": {"is", "not"}, "aren't": {"are", "not"},
}

// tokenize splits a sentence into words. Paths ("/cart"), selectors
// ("button.pay") and quoted phrases stay whole; other words split at
// hyphens so "drop-off" and "drop off" read alike.
func tokenize(s string) []token {
	var out []token
	for len(s) > 0 {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			break
		}
		if q := s[0]; q == '"' || q == '\u0060' {
			end := strings.IndexByte(s[1:], q)
			if end > 0 {
				phrase := strings.TrimSpace(s[1 : 1+end])
				if phrase != "" {
					out = append(out, token{norm: strings.ToLower(phrase), orig: phrase, quoted: true})
				}
				s = s[2+end:]
				continue
			}
		}
		end := strings.IndexFunc(s, unicode.IsSpace)
		if end < 0 {
			end = len(s)
		}
		word := s[:end]
		s = s[end:]
		out = append(out, splitWord(word)...)
	}
	return out
}

func splitWord(word string) []token {
	word = strings.TrimFunc(word, func(r rune) bool {
		return strings.ContainsRune(`,.?!;:"'()[]{}“”‘’`, r) && r != '/'
	})
	word = strings.ReplaceAll(word, "’", "'")
	if word == "" {
		return nil
	}
	lower := strings.ToLower(word)
	if exp, ok := contractions[lower]; ok {
		out := make([]token, len(exp))
		for i, e := range exp {
			out[i] = token{norm: e, orig: e}
		}
		return out
	}
	if strings.HasSuffix(lower, "'s") {
		word, lower = word[:len(word)-2], lower[:len(lower)-2]
	}
	if strings.HasPrefix(word, "/") || strings.ContainsAny(word, ".#[") {
		return []token{{norm: lower, orig: word}}
	}
	var out []token
	for _, part := range strings.Split(word, "-") {
		if part != "" {
			out = append(out, token{norm: strings.ToLower(part), orig: part})
		}
	}
	return out
}
