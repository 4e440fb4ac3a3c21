package replay

import (
	"strconv"
	"strings"

	"github.com/loupe-dev/loupe/core/asset"
)

// css rewrites a stylesheet or declaration list found at base (the
// stylesheet's own URL, or the page's for inline CSS), on the same scan of
// CSS the collector used to find what to fetch (asset.ScanCSS):
//
//   - url() targets: the stored copy, else a placeholder (grey image, or
//     an empty data: URI for fonts);
//   - @import of a stored stylesheet: the rule is replaced by the
//     stylesheet's own rewritten CSS, hoisted to the front where @import
//     rules stand anyway (a data: or /asset/ stylesheet would be refused
//     or lose its own relative URLs); @import of anything else is dropped.
func (w *rewriter) css(css, base string, depth int) string {
	out := w.cssOnce(css, base, depth)
	// Dropping or replacing an @import rule can change how the text after
	// it tokenizes (a quote inside the removed rule no longer opens a
	// string, so a url() that was string content becomes a real one). The
	// result is therefore read again as the browser will read it, until
	// nothing in it points anywhere but at stored copies and placeholders.
	for i := 0; i < maxCSSPasses && w.remoteIn(out, base); i++ {
		out = w.cssOnce(out, base, depth)
	}
	if w.remoteIn(out, base) {
		return "" // never settled: no CSS beats CSS that loads from elsewhere
	}
	return out
}

// maxCSSPasses bounds the re-reads of rewritten CSS; each pass removes at
// least one rule or url(), and hostile input must not loop for long.
const maxCSSPasses = 4

// remoteIn reports whether css still names something a replay would
// fetch: neither kept as is (data:, fragments) nor a link this rewrite
// issued.
func (w *rewriter) remoteIn(css, base string) bool {
	for _, u := range asset.ScanCSS(css, base) {
		if w.r.isIssued(u.Raw) {
			continue
		}
		if _, _, keep := w.r.lookup(u.Raw, base); !keep {
			return true
		}
	}
	return false
}

// cssOnce is one rewriting pass of css.
func (w *rewriter) cssOnce(css, base string, depth int) string {
	urls := asset.ScanCSS(css, base)
	if len(urls) == 0 {
		return css
	}
	var out, hoisted strings.Builder
	last := 0
	for _, u := range urls {
		if u.Start < last {
			continue // inside a rule already replaced
		}
		if u.Kind == asset.KindStylesheet {
			start, end, media := importRule(css, u.Start, u.End)
			if start < last {
				start = u.Start
			}
			out.WriteString(css[last:start])
			last = end
			a, local, _ := w.r.lookup(u.Raw, base)
			if local == "" {
				continue
			}
			if inner, ok := w.sheetText(a, depth); ok {
				if media != "" {
					hoisted.WriteString("@media " + media + "{" + inner + "}\n")
				} else {
					hoisted.WriteString(inner + "\n")
				}
			}
			continue
		}
		_, local, keep := w.r.lookup(u.Raw, base)
		repl := local
		switch {
		case keep || w.r.isIssued(u.Raw):
			continue
		case local != "":
		case u.Kind == asset.KindFont:
			repl = PlaceholderEmpty
		default:
			repl = PlaceholderImage
		}
		out.WriteString(css[last:u.Start])
		out.WriteString(`url("` + escapeCSSString(repl) + `")`)
		last = u.End
	}
	out.WriteString(css[last:])
	if hoisted.Len() == 0 {
		return out.String()
	}
	return hoisted.String() + out.String()
}

// importRule widens an @import target at [start, end) to its whole rule:
// from "@import" to the ";" that ends it (or the end of the text), and
// returns the media list between.
func importRule(css string, start, end int) (int, int, string) {
	at := strings.LastIndex(strings.ToLower(css[:start]), "@import")
	if at < 0 {
		at = start
	}
	semi := strings.IndexByte(css[end:], ';')
	stop := len(css)
	if semi >= 0 {
		stop = end + semi + 1
	}
	media := strings.TrimSpace(strings.TrimSuffix(css[end:stop], ";"))
	return at, stop, media
}

// escapeCSSString makes s safe inside a double-quoted CSS string.
func escapeCSSString(s string) string {
	if !strings.ContainsAny(s, "\"\\\n\r\f\t") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\' || r < 0x20 || r == 0x7f:
			if r == 0 {
				r = 0xfffd // CSS never decodes an escaped NUL as NUL
			}
			b.WriteString(`\` + strconv.FormatInt(int64(r), 16) + " ")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
