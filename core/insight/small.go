package insight

import (
	"fmt"
	"sort"
	"strings"

	"github.com/loupe-dev/loupe/core"
)

// SmallStudy is the number of sessions below which no test means much: a
// usability study of 5–30 watched sessions. Below it (or below
// Options.MinSample, when that is larger) a scan claims nothing and counts
// what happened instead.
const SmallStudy = 30

// KindObserved is a count of what happened in a small study: an element
// people rage-, dead- or error-clicked, an error they hit, where they left.
// It is never a claim.
const KindObserved Kind = "observed"

// smallNote says plainly why a small scan only counts.
func smallNote(n, need int) string {
	return fmt.Sprintf("%d sessions are too few for a test to mean anything (that takes %d or more): "+
		"these are counts of what happened in them, not measured rates, and nothing is claimed.", n, need)
}

// observe adds descriptive findings for a small study: every element with
// frustrated clicks, the errors behind error clicks, the JS errors people
// hit and where they left. Each names its counts out of the sessions seen.
func (s *scanner) observe() {
	n := len(s.all)
	if n == 0 {
		return
	}
	have := map[string]bool{}
	for _, c := range s.found {
		have[c.Key] = true
	}
	st := s.elementStats(s.all)
	elements := make([]element, 0, len(st.hits))
	for e := range st.hits {
		elements = append(elements, e)
	}
	sort.Slice(elements, func(i, j int) bool { return elements[i].String() < elements[j].String() })
	for _, sig := range signals {
		ranked := append([]element(nil), elements...)
		sort.SliceStable(ranked, func(i, j int) bool {
			return len(st.hits[ranked[i]][sig.name]) > len(st.hits[ranked[j]][sig.name])
		})
		for _, e := range ranked[:min(5, len(ranked))] {
			key := "frustration:" + sig.name + ":" + e.String()
			if len(st.hits[e][sig.name]) == 0 || have[key] {
				continue
			}
			s.add(s.observedElement(key, sig, e, st, n))
		}
	}
	s.observedErrors(n)
	s.observedExits(n)
}

// observedElement counts the sessions with a signal on one element.
func (s *scanner) observedElement(key string, sig signal, e element, st elementStats, n int) candidate {
	hit, clicked := len(st.hits[e][sig.name]), len(st.clickers[e])
	var hitters []*core.Facts
	for _, f := range st.clickers[e] {
		if _, ok := st.hits[e][sig.name][f.Session.ID]; ok {
			hitters = append(hitters, f)
		}
	}
	sentences := []string{fmt.Sprintf("%d of the %d sessions %s %s on %s (%d clicked it at all).",
		hit, n, sig.verb, e.selector, e.page, clicked)}
	if sig.name == "error" {
		if msgs := errorsAfterClicks(hitters, e, s.groups); len(msgs) > 0 {
			sentences = append(sentences, "What went wrong after the click: "+strings.Join(msgs, "; ")+".")
		}
	}
	return candidate{Finding: withStrength(Finding{
		Key:       key,
		Kind:      KindObserved,
		Title:     fmt.Sprintf("%d of %d sessions %s %s", hit, n, sig.verb, e.selector),
		Sentences: sentences,
		Evidence: Evidence{
			Figures: []Figure{
				{Label: "sessions with " + sig.noun + " on it", Value: float64(hit), Unit: "sessions"},
				{Label: "sessions that clicked it", Value: float64(clicked), Unit: "sessions"},
				{Label: "sessions seen", Value: float64(n), Unit: "sessions"},
			},
			Samples: samples(hitters, func(f *core.Facts) (int64, string) {
				return st.hits[e][sig.name][f.Session.ID], sig.noun
			}),
			Page: e.page, Selector: e.selector,
		},
		PValue: 1,
	}, 0.1+0.3*float64(hit)/float64(n))}
}

// errorsAfterClicks names the first JS error or failed request after each
// error click on e, with how many sessions saw it.
func errorsAfterClicks(fs []*core.Facts, e element, groups pathGroups) []string {
	count := map[string]int{}
	for _, f := range fs {
		seen := map[string]bool{}
		for _, c := range f.Clicks {
			if !c.Error || c.Selector != e.selector || groups.of(c.Path) != e.page {
				continue
			}
			if what := firstFailureAfter(f, c); what != "" && !seen[what] {
				seen[what] = true
				count[what]++
			}
		}
	}
	return topCounts(count, 3)
}

// firstFailureAfter is the first JS error or failed request on the click's
// page at or after the click.
func firstFailureAfter(f *core.Facts, c core.Click) string {
	at, what := int64(-1), ""
	for _, e := range f.Errors {
		if e.Pageview == c.Pageview && e.OffsetMS >= c.OffsetMS && (at < 0 || e.OffsetMS < at) {
			at, what = e.OffsetMS, fmt.Sprintf("the error %q", e.Message)
		}
	}
	for _, r := range f.Requests {
		if r.Failed && r.Pageview == c.Pageview && r.OffsetMS >= c.OffsetMS && (at < 0 || r.OffsetMS < at) {
			at, what = r.OffsetMS, fmt.Sprintf("%s %s failed (status %d)", r.Method, r.URL, r.Status)
		}
	}
	return what
}

// observedErrors counts the sessions that hit each JS error message.
func (s *scanner) observedErrors(n int) {
	type hit struct {
		sessions []*core.Facts
		at       map[string]int64
		page     string
	}
	by := map[string]*hit{}
	for _, f := range s.all {
		for _, e := range f.Errors {
			h := by[e.Message]
			if h == nil {
				h = &hit{at: map[string]int64{}, page: s.groups.of(e.Path)}
				by[e.Message] = h
			}
			if _, ok := h.at[f.Session.ID]; !ok {
				h.at[f.Session.ID] = e.OffsetMS
				h.sessions = append(h.sessions, f)
			}
		}
	}
	msgs := make([]string, 0, len(by))
	for m := range by {
		msgs = append(msgs, m)
	}
	sort.Slice(msgs, func(i, j int) bool {
		if a, b := len(by[msgs[i]].sessions), len(by[msgs[j]].sessions); a != b {
			return a > b
		}
		return msgs[i] < msgs[j]
	})
	for _, m := range msgs[:min(3, len(msgs))] {
		h := by[m]
		k := len(h.sessions)
		s.add(candidate{Finding: withStrength(Finding{
			Key:   "observed_error:" + m,
			Kind:  KindObserved,
			Title: fmt.Sprintf("%d of %d sessions hit the error %q", k, n, m),
			Sentences: []string{fmt.Sprintf("%d of the %d sessions had the JavaScript error %q, first on %s.",
				k, n, m, h.page)},
			Evidence: Evidence{
				Figures: []Figure{
					{Label: "sessions with the error", Value: float64(k), Unit: "sessions"},
					{Label: "sessions seen", Value: float64(n), Unit: "sessions"},
				},
				Samples: samples(h.sessions, func(f *core.Facts) (int64, string) { return h.at[f.Session.ID], "error" }),
				Page:    h.page,
			},
			PValue: 1,
		}, 0.1+0.25*float64(k)/float64(n))})
	}
}

// observedExits says on which pages the sessions ended.
func (s *scanner) observedExits(n int) {
	count := map[string]int{}
	last := map[string][]*core.Facts{}
	for _, f := range s.all {
		if len(f.Pageviews) == 0 {
			continue
		}
		p := s.groups.of(f.Pageviews[len(f.Pageviews)-1].Path)
		count[p]++
		last[p] = append(last[p], f)
	}
	if len(count) == 0 {
		return
	}
	pages := make([]string, 0, len(count))
	for p := range count {
		pages = append(pages, p)
	}
	sort.Slice(pages, func(i, j int) bool {
		if count[pages[i]] != count[pages[j]] {
			return count[pages[i]] > count[pages[j]]
		}
		return pages[i] < pages[j]
	})
	top := pages[0]
	chart := &Chart{Title: "Where the sessions ended", Unit: "sessions"}
	for _, p := range pages[:min(5, len(pages))] {
		chart.Labels = append(chart.Labels, p)
		chart.Values = append(chart.Values, float64(count[p]))
	}
	s.add(candidate{Finding: withStrength(Finding{
		Key:   "observed_exit",
		Kind:  KindObserved,
		Title: fmt.Sprintf("%d of %d sessions ended on %s", count[top], n, top),
		Sentences: []string{fmt.Sprintf("Where the %d sessions ended: %s.", n,
			strings.Join(topCounts(count, 5), ", "))},
		Evidence: Evidence{
			Figures: []Figure{
				{Label: "sessions that ended on " + top, Value: float64(count[top]), Unit: "sessions"},
				{Label: "sessions seen", Value: float64(n), Unit: "sessions"},
			},
			Samples: samples(last[top], func(f *core.Facts) (int64, string) {
				pv := f.Pageviews[len(f.Pageviews)-1]
				return pv.OffsetMS + pv.DwellMS, "left"
			}),
			Chart: chart,
			Page:  top,
		},
		PValue: 1,
	}, 0.1)})
}

// topCounts lists the most counted names as "name (n)", most first.
func topCounts(count map[string]int, limit int) []string {
	names := make([]string, 0, len(count))
	for k := range count {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if count[names[i]] != count[names[j]] {
			return count[names[i]] > count[names[j]]
		}
		return names[i] < names[j]
	})
	out := make([]string, 0, limit)
	for _, k := range names[:min(limit, len(names))] {
		out = append(out, fmt.Sprintf("%s (%d)", k, count[k]))
	}
	return out
}
