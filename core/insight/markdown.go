package insight

import (
	"fmt"
	"io"
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
			fmt.Fprintf(&b, "; funnel %s", strings.Join(r.Funnel, " → "))
		}
		fmt.Fprintf(&b, "; %d significance tests, corrected for their number.\n\n", r.Tests)
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
			fmt.Fprintf(&b, "- segment: `%s`\n", strings.ReplaceAll(f.Segment, "`", "'"))
		}
		if len(f.Evidence.Samples) > 0 {
			b.WriteString("\nSessions to watch:\n\n")
			for _, m := range f.Evidence.Samples {
				fmt.Fprintf(&b, "- [%s at %s](%s%s) — %s\n", m.Session, clock(m.OffsetMS), linkPrefix, m.Link(), mdEscape(m.Note))
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

// mdEscape keeps recorded text (selectors, messages) from turning into
// Markdown markup.
func mdEscape(s string) string {
	return strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]", "<", "&lt;", "`", "\\`").Replace(s)
}
