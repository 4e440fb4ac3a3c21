package index

import "github.com/loupe-dev/loupe/core/funnel/step"

// ClicksOn is a click heatmap's totals for the pages matching a path
// glob: how many clicks, and in how many sessions.
func (x *Index) ClicksOn(pageGlob string) (clicks, sessions int) {
	paths := x.dicts[kindSlot(step.Page)]
	match := make([]bool, int(paths.maxID())+1)
	for j, id := range paths.ids {
		match[id] = step.MatchGlob(pageGlob, paths.vals[j])
	}
	f := &x.facts[kindSlot(step.Click)]
	for i := range x.ids {
		before := clicks
		for j := f.off[i]; j < f.off[i+1]; j++ {
			if lookup(match, f.page[j]) {
				clicks++
			}
		}
		if clicks > before {
			sessions++
		}
	}
	return clicks, sessions
}
