package desktop

import (
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core/funnel/step"
)

// AlignStart aligns two replays at their first recorded moment.
const AlignStart = "start"

// Comparison is two replays on one timeline. Each replay's AlignMS is the
// moment (ms into that replay) that lines up with the other's: both zero
// when aligned at the start, else when each session first reached the
// step.
type Comparison struct {
	A      Replay `json:"a"`
	B      Replay `json:"b"`
	Align  string `json:"align"`
	AlignA int64  `json:"align_a_ms"`
	AlignB int64  `json:"align_b_ms"`
}

// Compare prepares two sessions' replays for side-by-side playback,
// aligned at their start (align empty or "start") or at the first moment
// each reached a funnel step ("page:/checkout*", "click:#buy"). The two
// may be the same session, to compare two stretches of it.
func (p *Player) Compare(a, b, align string) (Comparison, error) {
	align = strings.TrimSpace(align)
	if align == "" {
		align = AlignStart
	}
	var s step.Step
	if align != AlignStart {
		var err error
		if s, err = step.Parse(align); err != nil {
			return Comparison{}, fail(fmt.Errorf("%w: %w", ErrInvalid, err), "compare sessions")
		}
		align = s.String()
	}
	ra, err := p.Load(a)
	if err != nil {
		return Comparison{}, err
	}
	rb, err := p.Load(b)
	if err != nil {
		return Comparison{}, err
	}
	out := Comparison{A: ra, B: rb, Align: align}
	if align == AlignStart {
		return out, nil
	}
	for _, side := range []struct {
		r  Replay
		at *int64
	}{{ra, &out.AlignA}, {rb, &out.AlignB}} {
		at, ok := step.FirstAt(side.r.Facts, s)
		if !ok {
			return Comparison{}, fail(fmt.Errorf("session %s never reaches %s: %w", side.r.Session.ID, align, ErrInvalid), "compare sessions")
		}
		*side.at = at
	}
	return out, nil
}

// ConvertedSessions returns up to limit (at most one page) ids of the
// sessions that completed every step of the funnel, so a drop-off can be
// watched beside a converter.
func (f *Funnels) ConvertedSessions(q FunnelQuery, limit int) ([]string, error) {
	fq, err := q.Query()
	if err != nil {
		return nil, fail(err, "list converted sessions")
	}
	res, err := f.db.Funnel(f.ctx, fq)
	if err != nil {
		return nil, fail(err, "list converted sessions")
	}
	ids := res.ConvertedSessions()
	if limit <= 0 || limit > maxPage {
		limit = maxPage
	}
	if len(ids) > limit {
		ids = ids[:limit]
	}
	if ids == nil {
		ids = []string{}
	}
	return ids, nil
}
