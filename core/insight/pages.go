package insight

import (
	"fmt"
	"math"

	"github.com/loupe-dev/loupe/core"
)

// pageVisit is one session's time on one page group.
type pageVisit struct {
	f         *core.Facts
	offset    int64   // first pageview of the group
	scroll    float64 // max scroll %, -1 when unknown
	dwellMS   int64   // total dwell
	quickBack bool
}

// visitsByPage gives each page group one value per session, so that a
// session that reloads a page ten times does not count ten times.
func (s *scanner) visitsByPage(sessions []*core.Facts) map[string][]pageVisit {
	out := map[string][]pageVisit{}
	for _, f := range sessions {
		mine := map[string]*pageVisit{}
		var order []string
		for _, pv := range f.Pageviews {
			g := s.groups.of(pv.Path)
			v := mine[g]
			if v == nil {
				v = &pageVisit{f: f, offset: pv.OffsetMS, scroll: -1}
				mine[g] = v
				order = append(order, g)
			}
			if pv.ScrollPct >= 0 && pv.ScrollPct > v.scroll {
				v.scroll = pv.ScrollPct
			}
			v.dwellMS += pv.DwellMS
			v.quickBack = v.quickBack || pv.QuickBack
		}
		for _, g := range order {
			out[g] = append(out[g], *mine[g])
		}
	}
	return out
}

// pageChanges compares each page's scroll depth, dwell and quick backs
// between the two periods, and names the page people most often leave
// straight back.
func (s *scanner) pageChanges() {
	cur, prev := s.visitsByPage(s.cur), s.visitsByPage(s.prev)
	for _, page := range sortedKeys(cur) {
		now, then := cur[page], prev[page]
		s.scrollChange(page, now, then)
		s.dwellChange(page, now, then)
		s.quickBackChange(page, now, then)
	}
	s.topQuickBack(s.visitsByPage(s.all))
}

func (s *scanner) scrollChange(page string, now, then []pageVisit) {
	values := func(vs []pageVisit) []float64 {
		var out []float64
		for _, v := range vs {
			if v.scroll >= 0 {
				out = append(out, v.scroll)
			}
		}
		return out
	}
	x, y := summarize(values(now)), summarize(values(then))
	if x.n < s.opt.MinSample || y.n < s.opt.MinSample {
		return
	}
	s.test()
	ratio := ratioOf(x.mean, y.mean)
	if ratio < s.opt.MinLift {
		return
	}
	p := welch(x, y)
	dir := "fell"
	if x.mean > y.mean {
		dir = "rose"
	}
	s.add(candidate{claim: true, effect: ratio, Finding: Finding{
		Key:   "scroll_change:" + page,
		Kind:  KindScroll,
		Title: fmt.Sprintf("Scroll depth on %s %s from %s%% to %s%%", page, dir, num(round1(y.mean)), num(round1(x.mean))),
		Sentences: []string{
			fmt.Sprintf("Visitors scrolled %s%% of %s on average in the later period, against %s%% before (%d and %d sessions).",
				num(round1(x.mean)), page, num(round1(y.mean)), x.n, y.n),
			fmt.Sprintf("The change is very unlikely to be chance (%s).", pText(p, welchTest)),
		},
		Evidence: Evidence{
			Figures: []Figure{
				{Label: "average scroll depth now", Value: round1(x.mean), Unit: "%"},
				{Label: "average scroll depth before", Value: round1(y.mean), Unit: "%"},
				{Label: "sessions now", Value: float64(x.n), Unit: "sessions"},
			},
			Samples: visitSamples(now, "on "+page),
			Chart: &Chart{Title: "Average scroll depth on " + page, Unit: "%", Labels: []string{"before", "now"},
				Values: []float64{round1(y.mean), round1(x.mean)}},
			Page: page,
		},
		PValue: p, Test: string(welchTest),
	}})
}

func (s *scanner) dwellChange(page string, now, then []pageVisit) {
	// Dwell times are skewed: compare their logarithms, i.e. the typical
	// (geometric mean) dwell rather than a mean pulled by a few long tabs.
	values := func(vs []pageVisit) []float64 {
		var out []float64
		for _, v := range vs {
			if v.dwellMS > 0 {
				out = append(out, math.Log(float64(v.dwellMS)))
			}
		}
		return out
	}
	x, y := summarize(values(now)), summarize(values(then))
	if x.n < s.opt.MinSample || y.n < s.opt.MinSample {
		return
	}
	s.test()
	gNow, gThen := math.Exp(x.mean)/1000, math.Exp(y.mean)/1000
	ratio := ratioOf(gNow, gThen)
	if ratio < s.opt.MinLift {
		return
	}
	p := welch(x, y)
	dir := "shorter"
	if gNow > gThen {
		dir = "longer"
	}
	s.add(candidate{claim: true, effect: ratio, Finding: Finding{
		Key:   "dwell_change:" + page,
		Kind:  KindDwell,
		Title: fmt.Sprintf("People stay %s on %s: %ss, was %ss", dir, page, num(round1(gNow)), num(round1(gThen))),
		Sentences: []string{
			fmt.Sprintf("A typical visit to %s lasted %s seconds in the later period, against %s seconds before (%d and %d sessions).",
				page, num(round1(gNow)), num(round1(gThen)), x.n, y.n),
			fmt.Sprintf("The change is very unlikely to be chance (%s on log dwell).", pText(p, welchTest)),
		},
		Evidence: Evidence{
			Figures: []Figure{
				{Label: "typical dwell now", Value: round1(gNow), Unit: "s"},
				{Label: "typical dwell before", Value: round1(gThen), Unit: "s"},
				{Label: "sessions now", Value: float64(x.n), Unit: "sessions"},
			},
			Samples: visitSamples(now, "on "+page),
			Chart: &Chart{Title: "Typical dwell on " + page, Unit: "s", Labels: []string{"before", "now"},
				Values: []float64{round1(gThen), round1(gNow)}},
			Page: page,
		},
		PValue: p, Test: string(welchTest),
	}})
}

func (s *scanner) quickBackChange(page string, now, then []pageVisit) {
	count := func(vs []pageVisit) int {
		n := 0
		for _, v := range vs {
			if v.quickBack {
				n++
			}
		}
		return n
	}
	n1, n2 := len(now), len(then)
	if n1 < s.opt.MinSample || n2 < s.opt.MinSample {
		return
	}
	x1, x2 := count(now), count(then)
	lift, p, t, ok := s.rose(x1, n1, x2, n2)
	if !ok {
		return
	}
	var back []pageVisit
	for _, v := range now {
		if v.quickBack {
			back = append(back, v)
		}
	}
	s.add(candidate{claim: true, effect: lift, Finding: Finding{
		Key:   "quick_back_change:" + page,
		Kind:  KindQuickBack,
		Title: fmt.Sprintf("More people leave %s straight back: %s%%, was %s%%", page, num(pct(x1, n1)), num(pct(x2, n2))),
		Sentences: []string{
			fmt.Sprintf("%d of %d sessions went straight back from %s in the later period, against %d of %d before.", x1, n1, page, x2, n2),
			fmt.Sprintf("The rise is very unlikely to be chance (%s).", pText(p, t)),
		},
		Evidence: Evidence{
			Figures: []Figure{
				{Label: "quick-back rate now", Value: pct(x1, n1), Unit: "%"},
				{Label: "quick-back rate before", Value: pct(x2, n2), Unit: "%"},
			},
			Samples: visitSamples(back, "quick back from "+page),
			Chart: &Chart{Title: "Quick backs from " + page, Unit: "%", Labels: []string{"before", "now"},
				Values: []float64{pct(x2, n2), pct(x1, n1)}},
			Page: page,
		},
		PValue: p, Test: string(t),
	}})
}

// topQuickBack describes the page with the highest quick-back rate.
func (s *scanner) topQuickBack(all map[string][]pageVisit) {
	best, bestRate, bestN := "", 0.0, 0
	for _, page := range sortedKeys(all) {
		vs := all[page]
		n := 0
		for _, v := range vs {
			if v.quickBack {
				n++
			}
		}
		if len(vs) < s.opt.MinSample || n < 5 {
			continue
		}
		if r := pct(n, len(vs)); r > bestRate {
			best, bestRate, bestN = page, r, n
		}
	}
	if best == "" {
		return
	}
	var back []pageVisit
	for _, v := range all[best] {
		if v.quickBack {
			back = append(back, v)
		}
	}
	s.add(candidate{Finding: withStrength(Finding{
		Key:   "quick_back:" + best,
		Kind:  KindQuickBack,
		Title: fmt.Sprintf("%s is the page people most often leave straight back", best),
		Sentences: []string{
			fmt.Sprintf("%d of the %d sessions that opened %s went back to the previous page within seconds (%s%%).",
				bestN, len(all[best]), best, num(bestRate)),
		},
		Evidence: Evidence{
			Figures: []Figure{
				{Label: "quick backs", Value: float64(bestN), Unit: "sessions"},
				{Label: "quick-back rate", Value: bestRate, Unit: "%"},
			},
			Samples: visitSamples(back, "quick back from "+best),
			Page:    best,
		},
		PValue: 1,
	}, 0.1+0.2*bestRate/100)})
}

func visitSamples(vs []pageVisit, note string) []Moment {
	fs := make([]*core.Facts, len(vs))
	at := map[string]int64{}
	for i, v := range vs {
		fs[i] = v.f
		at[v.f.Session.ID] = v.offset
	}
	return samples(fs, func(f *core.Facts) (int64, string) { return at[f.Session.ID], note })
}

// ratioOf is the larger of a/b and b/a, ≥ 1 (0 when either is 0).
func ratioOf(a, b float64) float64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	return math.Max(a/b, b/a)
}
