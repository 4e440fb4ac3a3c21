package index

import (
	"cmp"
	"slices"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/funnel/step"
)

// entry is a timeline entry before ordering: ties in time go by kind rank,
// then recorded order, as the workspace and the reference order them.
type entry struct {
	at   int32
	rank uint8
	seq  uint32
	mask uint32
}

// Funnel evaluates q over the index with the same greedy scan as the
// workspace (funnel.OutcomeOf over the same timelines), for every mode.
// ok is false when q's segment or breakdown uses something the index does
// not hold.
func (x *Index) Funnel(q funnel.Query) (res *funnel.Result, ok bool, err error) {
	q, err = q.Normalize()
	if err != nil {
		return nil, false, err
	}
	scope, ok := x.Segment(q.Segment)
	if !ok {
		return nil, false, nil
	}
	group, ok := x.grouper(q.Breakdown)
	if !ok {
		return nil, false, nil
	}
	type kindMasks struct {
		slot  int
		rank  uint8
		masks []uint32
	}
	var used []kindMasks
	for slot, k := range kinds {
		var any bool
		for _, s := range q.Steps {
			any = any || s.Kind == k
		}
		if !any {
			continue
		}
		d := x.dicts[slot]
		masks := make([]uint32, int(d.maxID())+1)
		for j, id := range d.ids {
			for si, s := range q.Steps {
				if s.Kind == k && s.Matches(d.vals[j]) {
					masks[id] |= 1 << si
				}
			}
		}
		used = append(used, kindMasks{slot, uint8(k.Rank()), masks})
	}
	strict := q.Mode == funnel.Strict
	ranged := !q.From.IsZero() || !q.To.IsZero()
	outcomes := make([]funnel.Outcome, 0, scope.GetCardinality())
	var buf []entry
	var es []funnel.Entry
	in := scope.ToDense()
	for _, slot := range x.byIDOrder() {
		i := int(slot)
		if w := i >> 6; w >= len(in) || in[w]&(1<<(uint(i)&63)) == 0 { // ToDense stops at the last member
			continue
		}
		if ranged && !q.InRange(millisTime(x.started[i])) {
			continue
		}
		buf = buf[:0]
		for _, u := range used {
			f := &x.facts[u.slot]
			a := f.off[i]
			for j := a; j < f.off[i+1]; j++ {
				var m uint32
				if v := f.val[j]; int(v) < len(u.masks) {
					m = u.masks[v]
				}
				if m != 0 || strict {
					buf = append(buf, entry{at: f.at[j], rank: u.rank, seq: j - a, mask: m})
				}
			}
		}
		if !sortedEntries(buf) {
			slices.SortFunc(buf, func(a, b entry) int {
				if c := cmp.Compare(a.at, b.at); c != 0 {
					return c
				}
				if c := cmp.Compare(a.rank, b.rank); c != 0 {
					return c
				}
				return cmp.Compare(a.seq, b.seq)
			})
		}
		es = es[:0]
		for _, e := range buf {
			es = append(es, funnel.Entry{At: int64(e.at), Mask: e.mask})
		}
		o := funnel.OutcomeOf(q, es)
		o.Session = x.ids[i]
		if group != nil {
			o.Group = group(i)
		}
		outcomes = append(outcomes, o)
	}
	return funnel.Summarize(q, outcomes), true, nil
}

func sortedEntries(es []entry) bool {
	for k := 1; k < len(es); k++ {
		a, b := es[k-1], es[k]
		if a.at > b.at || a.at == b.at && (a.rank > b.rank || a.rank == b.rank && a.seq > b.seq) {
			return false
		}
	}
	return true
}

// grouper returns a session's breakdown value by slot (nil for no
// breakdown); ok is false for a field the index does not hold.
func (x *Index) grouper(field string) (func(int) string, bool) {
	switch field {
	case "":
		return nil, true
	case "entry", "exit":
		pages := &x.facts[kindSlot(step.Page)]
		d := x.dicts[kindSlot(step.Page)]
		byID := make(map[uint32]string, len(d.ids))
		for j, id := range d.ids {
			byID[id] = d.vals[j]
		}
		return func(i int) string {
			a, b := pages.off[i], pages.off[i+1]
			if a == b {
				return ""
			}
			if field == "exit" {
				return byID[pages.val[b-1]]
			}
			return byID[pages.val[a]]
		}, true
	}
	if t := textSlot(field); t >= 0 {
		col := x.texts[t]
		return func(i int) string { return col.words[col.codes[i]] }, true
	}
	return nil, false
}
