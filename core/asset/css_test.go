package asset

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestScanCSS(t *testing.T) {
	const base = "https://cdn.example/css/site.css"
	tests := []struct {
		name string
		css  string
		want []string // "kind url" (resolved) or "kind -raw" when not http(s)
	}{
		{"unquoted", `a{background:url(img/bg.png)}`, []string{"image https://cdn.example/css/img/bg.png"}},
		{"double quoted", `a{background:url("../bg.png")}`, []string{"image https://cdn.example/bg.png"}},
		{"single quoted with spaces", `a{background:url(  'bg 1.png'  )}`, []string{"image https://cdn.example/css/bg%201.png"}},
		{"upper case", `a{background:URL(bg.png)}`, []string{"image https://cdn.example/css/bg.png"}},
		{"not a url function", `a{background:myurl(bg.png);x:--url(y.png)}`, nil},
		{"comment", `/* url(no.png) */a{b:url(yes.png)}`, []string{"image https://cdn.example/css/yes.png"}},
		{"unterminated comment", `a{b:url(yes.png)} /* url(no.png)`, []string{"image https://cdn.example/css/yes.png"}},
		{"in a string", `a::after{content:"url(no.png)"}`, nil},
		{"escaped quote in string", `a{b:url("a\"b.png")}`, []string{`image https://cdn.example/css/a%22b.png`}},
		{"hex escape", `a{b:url(\62 g.png)}`, []string{"image https://cdn.example/css/bg.png"}},
		{"escaped paren", `a{b:url(a\).png)}`, []string{"image https://cdn.example/css/a).png"}},
		{"bad unquoted url", `a{b:url(a b.png)} c{d:url(ok.png)}`, []string{"image https://cdn.example/css/ok.png"}},
		{"quote inside unquoted", `a{b:url(a"b.png)} c{d:url(ok.png)}`, []string{"image https://cdn.example/css/ok.png"}},
		{"import string", `@import "reset.css";`, []string{"stylesheet https://cdn.example/css/reset.css"}},
		{"import url with media", `@import url(print.css) print;`, []string{"stylesheet https://cdn.example/css/print.css"}},
		{"import upper", `@IMPORT 'x.css';a{b:url(c.png)}`, []string{"stylesheet https://cdn.example/css/x.css", "image https://cdn.example/css/c.png"}},
		{"font face", `@font-face{font-family:X;src:local(X),url(x.woff2) format("woff2"),url("x.woff") format("woff")} p{background:url(p.png)}`,
			[]string{"font https://cdn.example/css/x.woff2", "font https://cdn.example/css/x.woff", "image https://cdn.example/css/p.png"}},
		{"font face in media", `@media screen{@font-face{src:url(f.woff)}a{b:url(i.png)}}`, []string{"font https://cdn.example/css/f.woff", "image https://cdn.example/css/i.png"}},
		{"data uri", `a{b:url(data:image/png;base64,AAAA)}`, []string{"image -data:image/png;base64,AAAA"}},
		{"absolute", `a{b:url(//other.example/x.png)}`, []string{"image https://other.example/x.png"}},
		{"fragment dropped", `a{filter:url(f.svg#blur)}`, []string{"image https://cdn.example/css/f.svg"}},
		{"unterminated url at end", `a{b:url(x.png`, []string{"image https://cdn.example/css/x.png"}},
		{"empty", ``, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, u := range ScanCSS(tt.css, base) {
				if u.URL == "" {
					got = append(got, string(u.Kind)+" -"+u.Raw)
				} else {
					got = append(got, string(u.Kind)+" "+u.URL)
				}
				if !strings.Contains(strings.ToLower(tt.css[u.Start:u.End]), "url(") && tt.css[u.Start] != '"' && tt.css[u.Start] != '\'' {
					t.Errorf("span %q is not a url() or a string", tt.css[u.Start:u.End])
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("ScanCSS(%q)\n got %q\nwant %q", tt.css, got, tt.want)
			}
		})
	}
}

func TestRewriteCSS(t *testing.T) {
	css := `@import "a.css" screen; /* url(keep.png) */ p{background:url( 'b.png' ) no-repeat;content:"url(x)"} @font-face{src:url(f.woff2) format("woff2")} i{b:url(data:image/gif;base64,R0)}`
	got := RewriteCSS(css, "https://s.example/", func(u CSSURL) (string, bool) {
		if u.URL == "" {
			return "", false
		}
		return "/asset/" + string(u.Kind) + "?" + strings.TrimPrefix(u.URL, "https://s.example/") + `"x\`, true
	})
	want := `@import url("/asset/stylesheet?a.css\22 x\5c ") screen; /* url(keep.png) */ p{background:url("/asset/image?b.png\22 x\5c ") no-repeat;content:"url(x)"} @font-face{src:url("/asset/font?f.woff2\22 x\5c ") format("woff2")} i{b:url(data:image/gif;base64,R0)}`
	if got != want {
		t.Errorf("RewriteCSS\n got %s\nwant %s", got, want)
	}
	// The rewritten URLs read back as the replacements.
	for _, u := range ScanCSS(got, "https://s.example/") {
		if strings.HasPrefix(u.Raw, "/asset/") && !strings.HasSuffix(u.Raw, `"x\`) {
			t.Errorf("rewritten url reads back as %q", u.Raw)
		}
	}
}

// FuzzScanCSS: the scanner never panics, its spans are in order and inside
// the input, and rewriting every URL to a fixed one and scanning again
// finds the same number of URLs, each reading back as that URL.
func FuzzScanCSS(f *testing.F) {
	for _, s := range []string{
		`a{b:url(x.png)}`, `@import "a.css";`, `@font-face{src:url("f.woff")}`, `url(`, `url("`, `"\`, `/*`,
		`a{b:url(\`, `@import url(a.css) screen`, `u\rl(x)`, `url(a\)b)`, "url(\"a\\\nb\")", `url(\0)`, `url(\110000)`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, css string) {
		urls := ScanCSS(css, "https://example.com/a/b.css")
		end := 0
		for _, u := range urls {
			if u.Start < end || u.End < u.Start || u.End > len(css) {
				t.Fatalf("span %d-%d out of order or range (after %d, len %d)", u.Start, u.End, end, len(css))
			}
			end = u.End
			if u.URL != "" && !strings.HasPrefix(u.URL, "http") {
				t.Fatalf("resolved URL %q is not http(s)", u.URL)
			}
		}
		if !utf8.ValidString(css) {
			return
		}
		out := RewriteCSS(css, "https://example.com/", func(CSSURL) (string, bool) { return `/asset/x "y"`, true })
		again := ScanCSS(out, "https://example.com/")
		n := 0
		for _, u := range again {
			if u.Raw == `/asset/x "y"` {
				n++
			}
		}
		if n != len(urls) {
			t.Fatalf("rewrite of %q = %q: %d URLs read back as the replacement, want %d", css, out, n, len(urls))
		}
	})
}
