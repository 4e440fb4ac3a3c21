package insight

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

// WriteMarkdown writes drafts as a Markdown document: a heading per
// finding, its text, its figures and links to the sample moments.
// linkPrefix goes before each moment's address ("loupe://" or "" for the
// workbench's own "#/sessions/…" links).
func WriteMarkdown(w io.Writer, r *Report, drafts []Draft, linkPrefix string) error {
	var b strings.Builder
	b.WriteString("# Insights\n\n")
	if r != nil {
		fmt.Fprintf(&b, "%d sessions", r.Sessions)
		if !r.From.IsZero() {
			fmt.Fprintf(&b, " from %s to %s", r.From.Format("2006-01-02"), r.To.Format("2006-01-02"))
		}
		if len(r.Funnel) > 0 {
			steps := make([]string, len(r.Funnel))
			for i, st := range r.Funnel {
				steps[i] = mdEscape(st)
			}
			fmt.Fprintf(&b, "; funnel %s", strings.Join(steps, " → "))
		}
		fmt.Fprintf(&b, "; %d significance tests, corrected for their number.\n\n", r.Tests)
		if r.Note != "" {
			fmt.Fprintf(&b, "%s\n\n", mdEscape(r.Note))
		}
	}
	if len(drafts) == 0 {
		b.WriteString("Nothing stood out.\n")
	}
	for _, d := range drafts {
		f := d.Finding
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", mdEscape(d.Title), mdEscape(d.Body))
		if f.Significant {
			fmt.Fprintf(&b, "*Strength %.2f · %s, p = %.2g*\n\n", f.Strength, f.Test, f.PValue)
		} else {
			fmt.Fprintf(&b, "*Strength %.2f · descriptive*\n\n", f.Strength)
		}
		for _, fig := range f.Evidence.Figures {
			fmt.Fprintf(&b, "- %s: %s%s\n", mdEscape(fig.Label), num(fig.Value), unitSuffix(fig.Unit))
		}
		if f.Segment != "" {
			fmt.Fprintf(&b, "- segment: %s\n", mdCode(f.Segment))
		}
		if len(f.Evidence.Samples) > 0 {
			b.WriteString("\nSessions to watch:\n\n")
			for _, m := range f.Evidence.Samples {
				fmt.Fprintf(&b, "- [%s at %s](%s) — %s\n", mdEscape(m.Session), clock(m.OffsetMS), mdDestination(linkPrefix+m.Link()), mdEscape(m.Note))
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func unitSuffix(u string) string {
	switch u {
	case "", "%", "x", "s", "ms", "pp":
		if u == "x" {
			return "×"
		}
		return u
	}
	return " " + u
}

// clock writes an offset as m:ss.
func clock(ms int64) string {
	s := ms / 1000
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// mdEscape makes any text — recorded selectors and messages, session ids
// from imported file names — inert in Markdown: the characters of
// emphasis, code, links and images are backslash-escaped (without '[' and
// ']' no link or image can form), the characters of HTML are entities so
// no raw HTML or autolink reaches a renderer, and line breaks become
// spaces so a value cannot open a block of its own.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case ':', '@':
			// "http://…" and "a@b.example" in text become links in
			// GitHub's Markdown; an entity keeps an address as text.
			fmt.Fprintf(&b, "&#%d;", r)
		case '\r', '\n', '\u2028', '\u2029':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	// "www.…" is the third kind of bare link.
	return wwwDot.ReplaceAllString(b.String(), "${1}&#46;")
}

var wwwDot = regexp.MustCompile(`(?i)(www)\.`)

// mdCode writes s as an inline code span: nothing inside one is markup,
// as long as the span cannot be closed early (a longer fence than any
// backtick run inside) or broken across paragraphs (no line breaks).
func mdCode(s string) string {
	s = strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " " // CommonMark strips one space on each side
	}
	return fence + s + fence
}

// mdDestination writes a link destination. One with a character that
// could end it early (a space, a parenthesis, '<', '>', a line break) is
// put in angle brackets with those percent-encoded.
func mdDestination(u string) string {
	if !strings.ContainsAny(u, " ()<>\r\n") {
		return u
	}
	return "<" + strings.NewReplacer("<", "%3C", ">", "%3E", "\r", "%0D", "\n", "%0A", " ", "%20").Replace(u) + ">"
}
