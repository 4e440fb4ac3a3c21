package derive

import (
	"math"
	"sort"

	"github.com/loupe-dev/loupe/core"
)

// rectMaxAgeMS bounds how old a loupe/rect may be to describe a click: the
// tracker sends it in the same event dispatch, so anything older belongs
// to a click rrweb did not record.
const rectMaxAgeMS = 1000

// rectMark is the last loupe/rect: the clicked element's box in page
// coordinates.
type rectMark struct {
	id         int
	x, y, w, h float64
	at         int64
}

// markRage finds bursts of at least defs.RageClicks consecutive clicks on
// one pageview, each within defs.RageRadiusPx of the burst's first click,
// first to last within defs.RageWindow. A burst counts once; its clicks are
// all marked.
func (d *deriver) markRage() {
	cs := d.f.Clicks
	n, radius, window := d.defs.RageClicks, d.defs.RageRadiusPx, d.defs.RageWindow.Milliseconds()
	if n < 2 {
		n = 2
	}
	for i := 0; i < len(cs); {
		j := i + 1
		for j < len(cs) && cs[j].Pageview == cs[i].Pageview &&
			cs[j].OffsetMS-cs[i].OffsetMS <= window &&
			math.Hypot(cs[j].X-cs[i].X, cs[j].Y-cs[i].Y) <= radius {
			j++
		}
		if j-i >= n {
			for k := i; k < j; k++ {
				cs[k].Rage = true
			}
			d.f.Session.RageClicks++
			i = j
			continue
		}
		i++
	}
}

// navigationGraceMS is how long a page load may take and still count as
// the reaction to the click that started it: a slow page is not a dead
// click when nothing else happened in between.
const navigationGraceMS = 10_000

// markDead marks clicks after which the page showed no reaction (DOM
// mutation, navigation, scroll, input, or focus of a text field) within
// defs.DeadClickWindow. A click on a link or a submit button less than the
// window before the recording ends is not judged: it probably left the
// page, and what followed was not recorded.
func (d *deriver) markDead(end int64) {
	window := d.defs.DeadClickWindow.Milliseconds()
	for i := range d.f.Clicks {
		c := &d.f.Clicks[i]
		seq := d.clickSeq[i]
		if d.clickText[i] || (d.clickNav[i] && end-c.OffsetMS < window) {
			continue // it focused a text field, or left before we could see
		}
		if r, ok := after(d.reactions, seq); ok && r.at-c.OffsetMS <= window {
			continue
		}
		if m, ok := after(d.metas, seq); ok && m.at-c.OffsetMS <= navigationGraceMS &&
			(i+1 == len(d.clickSeq) || d.clickSeq[i+1] > m.seq) {
			continue
		}
		c.Dead = true
	}
}

// markErrorClicks marks clicks followed by a JS error within
// defs.ErrorClickWindow.
func (d *deriver) markErrorClicks() {
	window := d.defs.ErrorClickWindow.Milliseconds()
	for i := range d.f.Clicks {
		c := &d.f.Clicks[i]
		if e, ok := after(d.kept, d.clickSeq[i]); ok && e.at-c.OffsetMS <= window {
			c.Error = true
		}
	}
}

// after is the first mark later in the stream than seq.
func after(marks []mark, seq int) (mark, bool) {
	i := sort.Search(len(marks), func(i int) bool { return marks[i].seq > seq })
	if i == len(marks) {
		return mark{}, false
	}
	return marks[i], true
}

// tags are the predefined tags of the signals that occurred.
func tags(f *core.Facts) []string {
	s := f.Session
	out := []string{}
	add := func(ok bool, tag string) {
		if ok {
			out = append(out, tag)
		}
	}
	quick, excessive := false, false
	for _, p := range f.Pageviews {
		quick = quick || p.QuickBack
		excessive = excessive || p.ExcessiveScroll
	}
	add(s.RageClicks > 0, TagRageClick)
	add(s.DeadClicks > 0, TagDeadClick)
	add(s.ErrorClicks > 0, TagErrorClick)
	add(s.JSErrors > 0, TagJSError)
	add(s.FailedReqs > 0, TagFailedRequest)
	add(quick, TagQuickBack)
	add(excessive, TagExcessiveScroll)
	return out
}

// The predefined tags, present on a session when the signal occurred.
const (
	TagRageClick       = "rage_click"
	TagDeadClick       = "dead_click"
	TagErrorClick      = "error_click"
	TagJSError         = "js_error"
	TagFailedRequest   = "failed_request"
	TagQuickBack       = "quick_back"
	TagExcessiveScroll = "excessive_scroll"
)
