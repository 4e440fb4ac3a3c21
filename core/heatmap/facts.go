package heatmap

import (
	"math"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/segment"
)

// FromFacts builds a heatmap from sessions' facts: the reference the
// workspace's SQL path is checked against. Positions are rounded to whole
// pixels, as the workspace stores them, positions inside elements to 1e-4
// and scroll depth to 0.01 %: a heatmap needs no finer, and the workspace
// reads them as integers, which is several times faster.
func FromFacts(q Query, sessions []*core.Facts) (*Data, error) {
	q, err := q.Normalize()
	if err != nil {
		return nil, err
	}
	a := NewAccumulator(q)
	inScope := func(f *core.Facts) bool {
		s := &f.Session
		return (q.Device == "" || segment.FoldEqual(s.Device, q.Device)) && (q.Segment == nil || segment.Eval(q.Segment, f))
	}
	// Moves and clicks past their limit are sampled evenly, which needs
	// their count first.
	n := 0
	for _, f := range sessions {
		if !inScope(f) {
			continue
		}
		switch q.Kind {
		case Moves:
			for _, m := range f.Moves {
				if step.MatchGlob(q.Page, m.Path) {
					n++
				}
			}
		case Clicks:
			for _, c := range f.Clicks {
				if step.MatchGlob(q.Page, c.Path) {
					n++
				}
			}
		}
	}
	a.ExpectMoves(n) // each ignores the kinds it does not sample
	a.ExpectClicks(n)
	for _, f := range sessions {
		s := &f.Session
		if !inScope(f) {
			continue
		}
		vw := s.Viewport.W
		for _, p := range f.Pageviews {
			if step.MatchGlob(q.Page, p.Path) {
				a.AddPageview(s.ID, vw, p.DocHeight, math.Round(p.ScrollPct*100)/100)
			}
		}
		for _, c := range f.Clicks {
			if step.MatchGlob(q.Page, c.Path) {
				a.AddClick(Point{X: clampRound(c.X, -100000, 150000), Y: clampRound(c.Y, -100000, 1997151), VW: vw,
					Selector: c.Selector, RelX: round4(c.RelX), RelY: round4(c.RelY)}, c.Rage, c.Dead, c.Error)
			}
		}
		for _, m := range f.Moves {
			if step.MatchGlob(q.Page, m.Path) {
				a.AddMove(Point{X: math.Round(m.X), Y: math.Round(m.Y), VW: vw, RelX: -1, RelY: -1})
			}
		}
	}
	return a.Data(), nil
}

// round4 rounds a position inside an element to 1e-4, within -1..2
// (-1 means unknown; anything past 2 is noise).
func round4(v float64) float64 { return math.Round(math.Max(-1, math.Min(2, v))*10000) / 10000 }

// clampRound rounds a page coordinate to a whole pixel within bounds no
// real page reaches, the range the workspace packs them in.
func clampRound(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, math.Round(v))) }
