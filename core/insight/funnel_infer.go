package insight

import (
	"sort"
	"strings"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/funnel/step"
)

// goalEvents and goalPages are the words that mark a conversion: a
// purchase-like custom event, else a thank-you page.
var (
	goalEvents = []string{"purchase", "order_completed", "checkout_completed", "order", "paid", "payment", "transaction", "conversion"}
	goalPages  = []string{"thanks", "thank-you", "thankyou", "confirmation", "success", "order-complete", "receipt", "complete"}
)

// stepShare is how many converting sessions must pass a page for it to be
// a step of the inferred funnel.
const stepShare = 0.7

// inferFunnel guesses the site's conversion funnel: the goal, and before
// it the pages that most converting sessions visit, in their usual order.
// It returns nil when the data shows no goal.
func inferFunnel(sessions []*core.Facts, groups pathGroups, minSample int) []string {
	goal := inferGoal(sessions, groups, minSample)
	if goal == "" {
		return nil
	}
	gs, _ := step.Parse(goal)
	type seen struct {
		count   int
		indexes []int
	}
	visits := map[string]*seen{}
	converters := 0
	for _, f := range sessions {
		at := goalIndex(f, gs)
		if at < 0 {
			continue
		}
		converters++
		first := map[string]int{}
		for i, pv := range f.Pageviews[:at] {
			g := groups.of(pv.Path)
			if _, ok := first[g]; !ok {
				first[g] = i
			}
		}
		for g, i := range first {
			if visits[g] == nil {
				visits[g] = &seen{}
			}
			visits[g].count++
			visits[g].indexes = append(visits[g].indexes, i)
		}
	}
	type cand struct {
		glob   string
		median int
	}
	var cands []cand
	for _, g := range sortedKeys(visits) {
		v := visits[g]
		if g == "/" || "page:"+g == goal || float64(v.count) < stepShare*float64(converters) {
			continue
		}
		sort.Ints(v.indexes)
		cands = append(cands, cand{g, v.indexes[len(v.indexes)/2]})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].median < cands[j].median })
	if len(cands) > 4 {
		cands = cands[len(cands)-4:]
	}
	steps := make([]string, 0, len(cands)+1)
	for _, c := range cands {
		steps = append(steps, "page:"+c.glob)
	}
	if len(steps) == 0 {
		steps = append(steps, "page:/*") // any visit
	}
	return append(steps, goal)
}

// inferGoal finds a purchase-like event reached by enough sessions, else a
// thank-you page.
func inferGoal(sessions []*core.Facts, groups pathGroups, minSample int) string {
	events := map[string]int{}
	pages := map[string]int{}
	for _, f := range sessions {
		seenE := map[string]bool{}
		for _, e := range f.CustomEvents {
			if !seenE[e.Name] {
				seenE[e.Name] = true
				events[e.Name]++
			}
		}
		seenP := map[string]bool{}
		for _, pv := range f.Pageviews {
			g := groups.of(pv.Path)
			if !seenP[g] {
				seenP[g] = true
				pages[g]++
			}
		}
	}
	enough := max(10, minSample/3)
	for _, want := range goalEvents {
		for _, name := range sortedKeys(events) {
			if events[name] >= enough && strings.Contains(strings.ToLower(name), want) {
				return "event:" + name
			}
		}
	}
	for _, want := range goalPages {
		for _, g := range sortedKeys(pages) {
			last := g[strings.LastIndexByte(g, '/')+1:]
			if pages[g] >= enough && strings.Contains(strings.ToLower(last), want) {
				return "page:" + g
			}
		}
	}
	return ""
}

// goalIndex is the index of the first pageview at or after which the
// goal happened, or -1.
func goalIndex(f *core.Facts, goal step.Step) int {
	if goal.Kind != step.Page && goal.Kind != step.Event {
		return -1
	}
	found := goal.Find(f)
	if len(found) == 0 {
		return -1
	}
	return min(max(found[0].Pageview, 0), len(f.Pageviews))
}

// depths evaluates the funnel for each session on its own and returns how
// many steps each completed.
func depths(steps []string, sessions []*core.Facts) ([]int, []step.Step, error) {
	q := funnel.Query{}
	for _, s := range steps {
		st, err := step.Parse(s)
		if err != nil {
			return nil, nil, err
		}
		q.Steps = append(q.Steps, st)
	}
	q, err := q.Normalize()
	if err != nil {
		return nil, nil, err
	}
	out := make([]int, len(sessions))
	for i, f := range sessions {
		r, err := funnel.EvaluateTimelines(q, []funnel.Timeline{funnel.TimelineOf(q, f)})
		if err != nil {
			return nil, nil, err
		}
		for _, sr := range r.Steps {
			if sr.Count > 0 {
				out[i]++
			}
		}
	}
	return out, q.Steps, nil
}

// stepOffset is when a session was at a step (its last occurrence), for a
// replay link; 0 when not found.
func stepOffset(f *core.Facts, st step.Step) int64 {
	found := st.Find(f)
	if len(found) == 0 {
		return 0
	}
	return found[len(found)-1].At
}

// stepLabel reads a step for a sentence: "/checkout", "a click on #pay".
func stepLabel(st step.Step) string {
	switch st.Kind {
	case step.Page:
		return st.Pattern
	case step.Click:
		return "a click on " + st.Pattern
	case step.Input:
		return "typing in " + st.Pattern
	}
	return "the " + st.Pattern + " event"
}
