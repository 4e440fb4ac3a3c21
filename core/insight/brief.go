package insight

import (
	"context"
	"strings"

	"github.com/loupe-dev/loupe/core/insight/reword"
)

// Brief turns a finding into what the optional model may see: its title,
// sentences and figures, each checked by reword.NewText. Sample sessions
// are left out by construction. Parts that fail the check are dropped;
// ok is false when the title itself fails.
func Brief(f Finding) (b reword.Brief, ok bool) {
	title, err := reword.NewText(f.Title)
	if err != nil {
		return b, false
	}
	b.Title = title
	for _, s := range f.Sentences {
		if t, err := reword.NewText(s); err == nil {
			b.Sentences = append(b.Sentences, t)
		}
	}
	for _, fig := range f.Evidence.Figures {
		label, err := reword.NewText(fig.Label)
		if err != nil {
			continue
		}
		b.Figures = append(b.Figures, reword.Figure{Label: label, Value: fig.Value, Unit: fig.Unit})
	}
	return b, len(b.Sentences) > 0
}

// Reword asks the model to reword each draft that nobody edited, keeping
// the deterministic text whenever the model is off, slow, broken or
// unfaithful. It returns how many drafts were reworded.
func Reword(ctx context.Context, c *reword.Client, drafts []Draft) int {
	if !c.Enabled() {
		return 0
	}
	n := 0
	for i := range drafts {
		d := &drafts[i]
		if d.Edited {
			continue
		}
		b, ok := Brief(d.Finding)
		if !ok {
			continue
		}
		if text, reworded, _ := c.RewordOrKeep(ctx, b); reworded {
			d.Body = strings.TrimSpace(text)
			n++
		}
	}
	return n
}
