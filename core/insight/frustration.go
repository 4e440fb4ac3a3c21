package insight

import (
	"fmt"
	"sort"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/segment"
)

// signal is one kind of frustrated click.
type signal struct {
	name, noun, verb string
	of               func(core.Click) bool
}

var signals = []signal{
	{"rage", "rage clicks", "rage-clicked", func(c core.Click) bool { return c.Rage }},
	{"dead", "dead clicks", "dead-clicked", func(c core.Click) bool { return c.Dead }},
	{"error", "error clicks", "error-clicked", func(c core.Click) bool { return c.Error }},
}

// element is a clicked element on a page group.
type element struct{ page, selector string }

func (e element) String() string { return e.selector + " on " + e.page }

// elementStats is, per element, which sessions clicked it and when each
// first had each signal on it.
type elementStats struct {
	clickers map[element][]*core.Facts
	hits     map[element]map[string]map[string]int64 // signal → session → offset
}

func (s *scanner) elementStats(sessions []*core.Facts) elementStats {
	st := elementStats{clickers: map[element][]*core.Facts{}, hits: map[element]map[string]map[string]int64{}}
	for _, f := range sessions {
		seen := map[element]bool{}
		for _, c := range f.Clicks {
			if c.Selector == "" {
				continue
			}
			e := element{s.groups.of(c.Path), c.Selector}
			if !seen[e] {
				seen[e] = true
				st.clickers[e] = append(st.clickers[e], f)
			}
			for _, sig := range signals {
				if !sig.of(c) {
					continue
				}
				if st.hits[e] == nil {
					st.hits[e] = map[string]map[string]int64{}
				}
				if st.hits[e][sig.name] == nil {
					st.hits[e][sig.name] = map[string]int64{}
				}
				if _, ok := st.hits[e][sig.name][f.Session.ID]; !ok {
					st.hits[e][sig.name][f.Session.ID] = c.OffsetMS
				}
			}
		}
	}
	return st
}

// frustration describes the element with the most frustrated clicks of
// each kind and how that changed, and tests whether an element's
// frustration rose or sits with one group (one browser, one device).
func (s *scanner) frustration() {
	all := s.elementStats(s.all)
	cur, prev := s.elementStats(s.cur), s.elementStats(s.prev)
	elements := make([]element, 0, len(all.clickers))
	for e := range all.clickers {
		elements = append(elements, e)
	}
	sort.Slice(elements, func(i, j int) bool { return elements[i].String() < elements[j].String() })
	for _, sig := range signals {
		ranked := append([]element(nil), elements...)
		sort.SliceStable(ranked, func(i, j int) bool {
			return len(all.hits[ranked[i]][sig.name]) > len(all.hits[ranked[j]][sig.name])
		})
		if len(ranked) == 0 || len(all.hits[ranked[0]][sig.name]) < 5 {
			continue
		}
		s.topElement(sig, ranked, all, cur, prev)
		for _, e := range ranked[:min(10, len(ranked))] {
			if len(all.hits[e][sig.name]) < 5 {
				break
			}
			s.elementChange(sig, e, cur, prev)
			for _, attr := range []string{"browser", "device", "os"} {
				s.concentrated(sig, e, attr, all)
			}
		}
	}
}

func (s *scanner) topElement(sig signal, ranked []element, all, cur, prev elementStats) {
	e := ranked[0]
	hit, clicked := len(all.hits[e][sig.name]), len(all.clickers[e])
	chart := &Chart{Title: "Sessions with " + sig.noun + " by element", Unit: "sessions"}
	for _, r := range ranked[:min(5, len(ranked))] {
		if n := len(all.hits[r][sig.name]); n > 0 {
			chart.Labels = append(chart.Labels, r.String())
			chart.Values = append(chart.Values, float64(n))
		}
	}
	sentences := []string{fmt.Sprintf("%d of the %d sessions that clicked %s %s it (%s%%).",
		hit, clicked, e, sig.verb, num(pct(hit, clicked)))}
	nowRate, thenRate := rateOf(cur, e, sig), rateOf(prev, e, sig)
	if len(prev.clickers[e]) >= s.opt.MinSample && len(cur.clickers[e]) >= s.opt.MinSample {
		if d := nowRate - thenRate; d >= 1 || d <= -1 {
			sentences = append(sentences, fmt.Sprintf("In the later period it was %s%% of the sessions that clicked it, against %s%% before.",
				num(nowRate), num(thenRate)))
		} else {
			sentences = append(sentences, fmt.Sprintf("That share held steady between the two periods (%s%% before).", num(thenRate)))
		}
	}
	var hitters []*core.Facts
	for _, f := range all.clickers[e] {
		if _, ok := all.hits[e][sig.name][f.Session.ID]; ok {
			hitters = append(hitters, f)
		}
	}
	s.add(candidate{Finding: withStrength(Finding{
		Key:       "frustration:" + sig.name + ":" + e.String(),
		Kind:      KindFrustration,
		Title:     fmt.Sprintf("The element %s gets the most %s", e, sig.noun),
		Sentences: sentences,
		Evidence: Evidence{
			Figures: []Figure{
				{Label: "sessions with " + sig.noun + " on it", Value: float64(hit), Unit: "sessions"},
				{Label: "sessions that clicked it", Value: float64(clicked), Unit: "sessions"},
				{Label: "share of clicking sessions", Value: pct(hit, clicked), Unit: "%"},
			},
			Samples: samples(hitters, func(f *core.Facts) (int64, string) {
				return all.hits[e][sig.name][f.Session.ID], sig.noun
			}),
			Chart:    chart,
			Page:     e.page,
			Selector: e.selector,
		},
		PValue: 1,
	}, 0.15+0.15*pct(hit, clicked)/100)})
}

func rateOf(st elementStats, e element, sig signal) float64 {
	return pct(len(st.hits[e][sig.name]), len(st.clickers[e]))
}

// elementChange tests whether a signal on an element became more common.
func (s *scanner) elementChange(sig signal, e element, cur, prev elementStats) {
	n1, n2 := len(cur.clickers[e]), len(prev.clickers[e])
	if n1 < s.opt.MinSample || n2 < s.opt.MinSample {
		return
	}
	x1, x2 := len(cur.hits[e][sig.name]), len(prev.hits[e][sig.name])
	lift, p, t, ok := s.rose(x1, n1, x2, n2)
	if !ok {
		return
	}
	var hitters []*core.Facts
	for _, f := range cur.clickers[e] {
		if _, ok := cur.hits[e][sig.name][f.Session.ID]; ok {
			hitters = append(hitters, f)
		}
	}
	s.add(candidate{claim: true, effect: lift, Finding: Finding{
		Key:   "frustration_change:" + sig.name + ":" + e.String(),
		Kind:  KindFrustration,
		Title: fmt.Sprintf("%s on %s rose from %s%% to %s%% of sessions", capitalise(sig.noun), e, num(pct(x2, n2)), num(pct(x1, n1))),
		Sentences: []string{
			fmt.Sprintf("%d of the %d sessions that clicked %s lately %s it, against %d of %d before.", x1, n1, e, sig.verb, x2, n2),
			fmt.Sprintf("The rise is very unlikely to be chance (%s).", pText(p, t)),
		},
		Evidence: Evidence{
			Figures: []Figure{
				{Label: "share now", Value: pct(x1, n1), Unit: "%"},
				{Label: "share before", Value: pct(x2, n2), Unit: "%"},
				{Label: "sessions that clicked it now", Value: float64(n1), Unit: "sessions"},
			},
			Samples: samples(hitters, func(f *core.Facts) (int64, string) {
				return cur.hits[e][sig.name][f.Session.ID], sig.noun
			}),
			Chart: &Chart{Title: capitalise(sig.noun) + " on " + e.String(), Unit: "%",
				Labels: []string{"before", "now"}, Values: []float64{pct(x2, n2), pct(x1, n1)}},
			Page: e.page, Selector: e.selector,
		},
		PValue: p, Test: string(t),
	}})
}

// concentrated tests whether one group of an attribute has a signal on an
// element far more often than the others ("rage clicks on #pay come from
// Safari").
func (s *scanner) concentrated(sig signal, e element, attr string, all elementStats) {
	by := map[string]*hitCounts{}
	total := hitCounts{}
	for _, f := range all.clickers[e] {
		v := segment.TextOf(attr, &f.Session)
		if by[v] == nil {
			by[v] = &hitCounts{}
		}
		if _, ok := all.hits[e][sig.name][f.Session.ID]; ok {
			by[v].hit++
			total.hit++
		} else {
			by[v].clean++
			total.clean++
		}
	}
	for _, v := range sortedKeys(by) {
		g := by[v]
		a, b := g.hit, g.clean
		c, d := total.hit-a, total.clean-b
		if v == "" || a+b < s.opt.MinSample || c+d < s.opt.MinSample {
			continue
		}
		s.test()
		rIn, rOut := float64(a)/float64(a+b), float64(c)/float64(c+d)
		if a < 5 || rIn <= rOut || (rOut > 0 && rIn/rOut < s.opt.MinLift) {
			continue
		}
		lift := rIn / maxf(rOut, 1.0/float64(c+d+1))
		p, t := table2{a, b, c, d}.pValue()
		who := groupLabel(attr, v)
		var hitters []*core.Facts
		for _, f := range all.clickers[e] {
			if _, ok := all.hits[e][sig.name][f.Session.ID]; ok && segment.FoldEqual(segment.TextOf(attr, &f.Session), v) {
				hitters = append(hitters, f)
			}
		}
		s.add(candidate{claim: true, effect: lift, subject: "concentrated:" + sig.name + ":" + e.String(), members: idSet(hitters), Finding: Finding{
			Key:   "concentrated:" + sig.name + ":" + e.String() + ":" + attr + "=" + v,
			Kind:  KindConcentrated,
			Title: fmt.Sprintf("%s on %s come from %s", capitalise(sig.noun), e, who),
			Sentences: []string{
				fmt.Sprintf("%s%% of the %d %s who clicked %s %s it, against %s%% of the %d others.",
					num(pct(a, a+b)), a+b, who, e, sig.verb, num(pct(c, c+d)), c+d),
				fmt.Sprintf("%s account for %s%% of the sessions with %s there (%s).",
					capitalise(who), num(pct(a, total.hit)), sig.noun, pText(p, t)),
			},
			Evidence: Evidence{
				Figures: []Figure{
					{Label: "rate among " + who, Value: pct(a, a+b), Unit: "%"},
					{Label: "rate among everyone else", Value: pct(c, c+d), Unit: "%"},
					{Label: "lift", Value: round1(lift), Unit: "x"},
					{Label: who + " who clicked it", Value: float64(a + b), Unit: "sessions"},
				},
				Samples: samples(hitters, func(f *core.Facts) (int64, string) {
					return all.hits[e][sig.name][f.Session.ID], sig.noun
				}),
				Chart: concentrationChart(by, sig, attr, e, s.opt.MinSample),
				Page:  e.page, Selector: e.selector,
			},
			PValue: p, Test: string(t),
			Segment: segment.And{segment.Cond{Field: attr, Op: segment.Eq, Str: v},
				segment.Behaviour{Verb: segment.Clicked, Pattern: e.selector}}.String(),
		}})
	}
}

// hitCounts splits the sessions of a group by whether they had a signal.
type hitCounts struct{ hit, clean int }

func concentrationChart(by map[string]*hitCounts, sig signal, attr string, e element, minSample int) *Chart {
	ch := &Chart{Title: capitalise(sig.noun) + " on " + e.String() + " by " + attr, Unit: "%"}
	for _, v := range sortedKeys(by) {
		g := by[v]
		if g.hit+g.clean >= minSample {
			ch.Labels = append(ch.Labels, v)
			ch.Values = append(ch.Values, pct(g.hit, g.hit+g.clean))
		}
	}
	return ch
}
