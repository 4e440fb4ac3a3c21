package insight

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// hostileTexts are values that reach Markdown from recordings and file
// names: session ids, selectors, messages, funnel steps.
var hostileTexts = []string{
	"[id](javascript:parent.__pwned=1)<img src=x onerror=parent.__pwned=1>",
	"x) [y](javascript:alert(1)",
	"![i](http://evil.example/i.png)",
	"<script>parent.__pwned=1</script>",
	"<javascript:alert(1)>",
	"`code` ``two``",
	"line\n\n<iframe src=javascript:alert(1)>\n# heading",
	"a > b & c \\[x]",
	"*bold* _em_ ~~gone~~",
	"[ref]: javascript:alert(1)",
	"see www.evil.example or mail me@evil.example",
}

// TestMarkdownEscapesHostileValues renders drafts made of hostile values
// with a CommonMark + GitHub parser and checks the document holds no raw
// HTML, no image and no link but the moments' own, each to the workbench
// address of the right session, and shows each value as written.
func TestMarkdownEscapesHostileValues(t *testing.T) {
	var drafts []Draft
	for _, s := range hostileTexts {
		drafts = append(drafts, Draft{Title: s, Body: s, Finding: Finding{
			Segment: "tag = \"" + s + "\"",
			Evidence: Evidence{
				Figures: []Figure{{Label: s, Value: 1}},
				Samples: []Moment{{Session: s, OffsetMS: 3000, Note: s}},
			},
		}})
	}
	rep := &Report{Sessions: len(hostileTexts), Funnel: hostileTexts}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, rep, drafts, "loupe://"); err != nil {
		t.Fatal(err)
	}
	src := md.Bytes()
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))

	var links []string
	var visible strings.Builder
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.RawHTML, *ast.HTMLBlock:
			t.Errorf("raw HTML in the document: %q", n.Lines().Value(src))
		case *ast.Image:
			t.Errorf("an image in the document: %q", n.Destination)
		case *ast.AutoLink:
			t.Errorf("an autolink in the document: %q", n.URL(src))
		case *ast.Link:
			links = append(links, string(n.Destination))
		case *ast.Text:
			visible.Write(n.Segment.Value(src))
		case *ast.String:
			visible.Write(n.Value)
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != len(hostileTexts) {
		t.Fatalf("%d links, want one per moment (%d): %q", len(links), len(hostileTexts), links)
	}
	for i, l := range links {
		want := "loupe://#/sessions/" + url.PathEscape(hostileTexts[i])
		u, err := url.Parse(l)
		if err != nil || u.Scheme != "loupe" {
			t.Errorf("link %d = %q: want a loupe:// address", i, l)
			continue
		}
		frag, _, _ := strings.Cut(strings.TrimPrefix(u.EscapedFragment(), "/sessions/"), "?t=")
		frag, _ = url.PathUnescape(frag)
		if !strings.HasPrefix(l, "loupe://#/sessions/") || frag != hostileTexts[i] {
			t.Errorf("link %d = %q (session %q), want %s… for session %q", i, l, frag, want[:30], hostileTexts[i])
		}
	}
	// The values are shown, not lost: their words are in the visible text.
	shown := visible.String()
	for _, w := range []string{"javascript:parent.__pwned=1", "onerror=parent.__pwned=1", "http://evil.example/i.png"} {
		if !strings.Contains(shown, w) {
			t.Errorf("visible text lacks %q", w)
		}
	}
}

func TestMomentLinkEncodesTheSession(t *testing.T) {
	got := Moment{Session: `a b/(c)"<d>'`, OffsetMS: 1500}.Link()
	if want := "#/sessions/a%20b%2F%28c%29%22%3Cd%3E%27?t=1500"; got != want {
		t.Errorf("Link() = %q, want %q", got, want)
	}
	if got := (Moment{Session: "s_x7-K.2~", OffsetMS: 0}).Link(); got != "#/sessions/s_x7-K.2~?t=0" {
		t.Errorf("a plain id changed: %q", got)
	}
}
