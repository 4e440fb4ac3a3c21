package index

import (
	"math"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/heatmap"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

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

// HeatmapScope is the sessions a heatmap of q covers (its device,
// segment and period) by rid, with each one's viewport width, for
// workspace.DB.HeatmapWithin: picked from the columns in about a
// millisecond at 100k sessions, where the workspace reads every session
// row (55 ms). ok is false when the index does not cover q's segment.
func (x *Index) HeatmapScope(q heatmap.Query) (scope workspace.HeatmapScope, ok bool) {
	in, keep, ok := x.heatmapFilter(q, q.Segment)
	if !ok {
		return nil, false
	}
	widths := x.nums[numberSlot("width")]
	scope = make(workspace.HeatmapScope, x.maxRID+1)
	for i := range scope {
		scope[i] = -1
	}
	add := func(i int) {
		if keep(i) {
			scope[x.rids[i]] = widths[i]
		}
	}
	if in != nil {
		for it := in.Iterator(); it.HasNext(); {
			add(int(it.Next()))
		}
	} else {
		for i := range x.rids {
			add(i)
		}
	}
	return scope, true
}

// NewestViewing lists, newest first, at most limit sessions of a
// heatmap's scope that viewed a page matching q.Page: where the workbench
// takes the recorded page it draws a heatmap on. ok is false when the
// index does not cover q's segment.
func (x *Index) NewestViewing(q heatmap.Query, limit int) ([]string, bool) {
	var viewed segment.Expr = segment.Behaviour{Verb: segment.Visited, Pattern: q.Page}
	if q.Segment != nil {
		viewed = segment.And{q.Segment, viewed}
	}
	in, keep, ok := x.heatmapFilter(q, viewed)
	if !ok {
		return nil, false
	}
	out := []string{}
	for _, slot := range x.newestFirst() {
		if len(out) >= limit {
			break
		}
		if in.Contains(slot) && keep(int(slot)) {
			out = append(out, x.ids[slot])
		}
	}
	return out, true
}

// heatmapFilter is the sessions of segment e (nil in: every session) and
// a test of a slot against q's device and period; ok is false when the
// index does not cover e.
func (x *Index) heatmapFilter(q heatmap.Query, e segment.Expr) (in *roaring.Bitmap, keep func(int) bool, ok bool) {
	if e != nil {
		if in, ok = x.Segment(e); !ok {
			return nil, nil, false
		}
	}
	var device []bool // by device code; nil: every device
	if q.Device != "" {
		t := x.texts[textSlot("device")]
		device = make([]bool, len(t.words))
		for code, w := range t.words {
			device[code] = segment.FoldEqual(w, q.Device)
		}
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if !q.From.IsZero() {
		lo = q.From.UnixMilli()
	}
	if !q.To.IsZero() {
		hi = q.To.UnixMilli()
	}
	codes := x.texts[textSlot("device")].codes
	keep = func(i int) bool {
		return (device == nil || device[codes[i]]) && x.started[i] >= lo && x.started[i] < hi
	}
	return in, keep, true
}
