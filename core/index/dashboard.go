package index

import (
	"cmp"
	"maps"
	"math/bits"
	"slices"
	"sort"
	"time"

	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/metric"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// The dashboard's questions (core/dashboard): each takes the sessions of
// segment e that started in [from, to), answers what the workspace's
// query of the same name answers (core/workspace/ui_dashboard.go), and
// reports ok=false when the index does not cover e.

// LatestStart is the start of the newest session; ok is false when the
// index is empty.
func (x *Index) LatestStart() (t time.Time, ok bool) {
	order := x.newestFirst()
	if len(order) == 0 {
		return t, false
	}
	return time.UnixMilli(x.started[order[0]]).UTC(), true
}

// periodSlots lists, in slot order, the sessions of segment e that started
// in [from, to). The start-time order holds a period as one run, found by
// two binary searches; the run's slots are set in a dense bit set and
// intersected with the segment's.
func (x *Index) periodSlots(e segment.Expr, from, to time.Time) ([]uint32, bool) {
	var seg []uint64
	if e != nil {
		b, ok := x.Segment(e)
		if !ok {
			return nil, false
		}
		seg = b.ToDense()
	}
	order := x.newestFirst()
	lo, hi := from.UnixMilli(), to.UnixMilli()
	a := sort.Search(len(order), func(i int) bool { return x.started[order[i]] < hi })
	b := sort.Search(len(order), func(i int) bool { return x.started[order[i]] < lo })
	if a >= b {
		return []uint32{}, true
	}
	d := newDense(len(x.ids))
	for _, s := range order[a:b] {
		d.set(int(s))
	}
	if e != nil {
		for w := range d {
			if w < len(seg) { // ToDense stops at the segment's last member
				d[w] &= seg[w]
			} else {
				d[w] = 0
			}
		}
	}
	out := make([]uint32, 0, b-a)
	for w, word := range d {
		for word != 0 {
			out = append(out, uint32(w<<6+bits.TrailingZeros64(word)))
			word &= word - 1
		}
	}
	return out, true
}

// PeriodCounts tallies core/metric's counts over the period's sessions,
// as workspace.DB.Counts does: distinct visitors leave out sessions
// without one (NULL in the workspace).
func (x *Index) PeriodCounts(e segment.Expr, from, to time.Time) (metric.Counts, bool) {
	slots, ok := x.periodSlots(e, from, to)
	if !ok {
		return metric.Counts{}, false
	}
	duration := x.nums[numberSlot("duration")]
	pageviews := x.nums[numberSlot("pageviews")]
	jsErrors := x.nums[numberSlot("errors")]
	failed := x.nums[numberSlot("failed_requests")]
	rage := x.nums[numberSlot("rage_clicks")]
	var c metric.Counts
	var top uint32
	for _, s := range slots {
		top = max(top, x.visitor[s])
	}
	seen := newDense(int(top) + 1)
	for _, s := range slots {
		c.Sessions++
		if v := x.visitor[s]; v != 0 && seen[v>>6]&(1<<(v&63)) == 0 {
			seen.set(int(v))
			c.Visitors++
		}
		c.DurationMS += int64(duration[s])
		if pageviews[s] <= 1 {
			c.Bounced++
		}
		if jsErrors[s] > 0 || failed[s] > 0 {
			c.Errored++
		}
		if rage[s] > 0 {
			c.Raged++
		}
	}
	return c, true
}

// TopPages ranks the paths the period's sessions viewed.
func (x *Index) TopPages(e segment.Expr, from, to time.Time, limit int) ([]workspace.Ranked, bool) {
	slots, ok := x.periodSlots(e, from, to)
	if !ok {
		return nil, false
	}
	return rank(slots, &x.facts[kindSlot(step.Page)], nil, x.dicts[kindSlot(step.Page)], limit), true
}

// TopFrustrated ranks the elements of the period's rage, dead and error
// clicks (flags other than 0).
func (x *Index) TopFrustrated(e segment.Expr, from, to time.Time, limit int) ([]workspace.Ranked, bool) {
	slots, ok := x.periodSlots(e, from, to)
	if !ok {
		return nil, false
	}
	clicks := &x.facts[kindSlot(step.Click)]
	if len(clicks.flags) != len(clicks.val) {
		return nil, false // nil flags would count every click
	}
	return rank(slots, clicks, clicks.flags, x.dicts[kindSlot(step.Click)], limit), true
}

// TopErrors ranks the period's JS error messages.
func (x *Index) TopErrors(e segment.Expr, from, to time.Time, limit int) ([]workspace.Ranked, bool) {
	slots, ok := x.periodSlots(e, from, to)
	if !ok {
		return nil, false
	}
	return rank(slots, &x.errs, nil, x.messages, limit), true
}

// rank counts the facts of slots per dictionary id, and the distinct
// sessions they come from, keeping only facts whose flag is not 0 when
// flags is not nil. Ids missing from the dictionary are left out, as the
// workspace's join leaves them out. The order is the workspace's: count
// descending, then name; limit < 0 keeps every row, as SQL's LIMIT -1.
func rank(slots []uint32, f *facts, flags []uint8, names dict, limit int) []workspace.Ranked {
	size := int(names.maxID()) + 1
	known := make([]bool, size)
	for _, id := range names.ids {
		known[id] = true
	}
	count := make([]int, size)
	sessions := make([]int, size)
	last := make([]uint32, size) // the last slot counted, plus one
	for _, s := range slots {
		for j := f.off[s]; j < f.off[s+1]; j++ {
			if flags != nil && flags[j] == 0 {
				continue
			}
			v := f.val[j]
			if int(v) >= size || !known[v] {
				continue
			}
			count[v]++
			if last[v] != s+1 {
				last[v] = s + 1
				sessions[v]++
			}
		}
	}
	out := []workspace.Ranked{}
	for j, id := range names.ids {
		if count[id] > 0 {
			out = append(out, workspace.Ranked{Name: names.vals[j], Count: count[id], Sessions: sessions[id]})
		}
	}
	slices.SortFunc(out, func(a, b workspace.Ranked) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	if limit >= 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// SQLite's date() covers the years 0000 to 9999; the index answers for
// starts within years 1 to 9999 and leaves others to the workspace.
const (
	firstDaySec = -62135596800 // 0001-01-01T00:00:00Z
	lastDaySec  = 253402300799 // 9999-12-31T23:59:59Z
)

// SessionsPerDay counts the period's sessions per UTC day, oldest first,
// days without sessions left out.
func (x *Index) SessionsPerDay(e segment.Expr, from, to time.Time) ([]workspace.DayCount, bool) {
	slots, ok := x.periodSlots(e, from, to)
	if !ok {
		return nil, false
	}
	const daySec = 24 * 60 * 60
	days := make([]int64, len(slots))
	for i, s := range slots {
		sec := x.started[s] / 1000 // truncated toward zero, as SQLite's integer division
		if sec < firstDaySec || sec > lastDaySec {
			return nil, false
		}
		days[i] = sec / daySec
		if sec%daySec < 0 {
			days[i]--
		}
	}
	out := []workspace.DayCount{}
	if len(days) == 0 {
		return out, true
	}
	// Count in a slice over the days spanned (a map costs more than the
	// rest of the card); a span of millennia is counted in a map.
	first, last := slices.Min(days), slices.Max(days)
	add := func(day int64, n int) {
		out = append(out, workspace.DayCount{Day: time.Unix(day*daySec, 0).UTC().Format("2006-01-02"), Sessions: n})
	}
	if last-first < 1<<16 {
		perDay := make([]int, last-first+1)
		for _, d := range days {
			perDay[d-first]++
		}
		for i, n := range perDay {
			if n > 0 {
				add(first+int64(i), n)
			}
		}
		return out, true
	}
	perDay := map[int64]int{}
	for _, d := range days {
		perDay[d]++
	}
	keys := slices.Sorted(maps.Keys(perDay))
	for _, d := range keys {
		add(d, perDay[d])
	}
	return out, true
}
