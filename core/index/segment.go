package index

import (
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/segment"
)

// Segment returns the slots of the sessions in segment e (every session
// for nil). ok is false when e uses something the index does not hold
// (feedback, csat, nps, user, visitor, traits); the caller then asks the
// workspace.
func (x *Index) Segment(e segment.Expr) (b *roaring.Bitmap, ok bool) {
	if e == nil {
		return x.all(), true
	}
	if !x.covers(e) {
		return nil, false
	}
	return x.eval(e), true
}

// Count is how many sessions segment e holds (ok as for Segment).
func (x *Index) Count(e segment.Expr) (int, bool) {
	b, ok := x.Segment(e)
	if !ok {
		return 0, false
	}
	return int(b.GetCardinality()), true
}

// IDs lists the ids of the sessions in segment e in import order.
func (x *Index) IDs(e segment.Expr) ([]string, bool) {
	b, ok := x.Segment(e)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, b.GetCardinality())
	it := b.Iterator()
	for it.HasNext() {
		out = append(out, x.ids[it.Next()])
	}
	return out, true
}

func (x *Index) all() *roaring.Bitmap {
	b := roaring.New()
	b.AddRange(0, uint64(len(x.ids)))
	return b
}

// covers reports whether every leaf of e is held by the index.
func (x *Index) covers(e segment.Expr) bool {
	switch e := e.(type) {
	case segment.And:
		for _, t := range e {
			if !x.covers(t) {
				return false
			}
		}
		return true
	case segment.Or:
		for _, t := range e {
			if !x.covers(t) {
				return false
			}
		}
		return true
	case segment.Not:
		return x.covers(e.X)
	case segment.Cond:
		f, ok := segment.LookupField(e.Field)
		if !ok || segment.IsFeedbackScore(f.Name) {
			return false
		}
		switch f.Kind {
		case segment.TagSet, segment.PathField:
			return true
		case segment.Number, segment.Duration:
			return numberSlot(f.Name) >= 0 || f.Name == "score"
		case segment.Text:
			return textSlot(f.Name) >= 0
		}
		return false
	case segment.Behaviour:
		switch e.Verb {
		case segment.Visited, segment.Clicked, segment.Did:
			return true
		case segment.Reached:
			_, err := step.Parse(e.Pattern)
			return err == nil
		}
	}
	return false
}

func (x *Index) eval(e segment.Expr) *roaring.Bitmap {
	switch e := e.(type) {
	case segment.And:
		if len(e) == 0 {
			return x.all()
		}
		return roaring.FastAnd(x.andParts(e)...)
	case segment.Or:
		parts := make([]*roaring.Bitmap, len(e))
		for i, t := range e {
			parts[i] = x.eval(t)
		}
		return roaring.FastOr(parts...)
	case segment.Not:
		b := x.eval(e.X).Clone()
		b.Flip(0, uint64(len(x.ids)))
		return b
	case segment.Cond:
		return x.cond(e)
	case segment.Behaviour:
		return x.behaviour(e)
	}
	return roaring.New()
}

// dense collects matching slots in a plain bit set before handing it to
// roaring: one pass over a column is cheaper than roaring's per-bit adds.
type dense []uint64

func newDense(n int) dense { return make(dense, (n+63)/64) }

func (d dense) set(i int) { d[i>>6] |= 1 << (uint(i) & 63) }

func (d dense) bitmap() *roaring.Bitmap { return roaring.FromDense(d, false) }

func (x *Index) cond(c segment.Cond) *roaring.Bitmap {
	f, _ := segment.LookupField(c.Field)
	n := len(x.ids)
	d := newDense(n)
	switch f.Kind {
	case segment.TagSet:
		var parts []*roaring.Bitmap
		for tag, b := range x.tags {
			if segment.FoldEqual(tag, c.Str) {
				parts = append(parts, b)
			}
		}
		has := roaring.New()
		for _, p := range parts {
			has.Or(p)
		}
		if c.Op == segment.Eq {
			return has
		}
		has.Flip(0, uint64(n))
		return has
	case segment.PathField:
		return x.pathCond(c, f.Name)
	case segment.Number, segment.Duration:
		if f.Name == "score" {
			for i, v := range x.score {
				if c.Op.CompareInt(v, c.Num) {
					d.set(i)
				}
			}
			return d.bitmap()
		}
		return x.numberCond(numberSlot(f.Name), c.Op, c.Num)
	}
	t := x.texts[textSlot(f.Name)]
	match := make([]bool, len(t.words))
	for code, w := range t.words {
		match[code] = textMatches(c.Op, w, c.Str)
	}
	for i, code := range t.codes {
		if match[code] {
			d.set(i)
		}
	}
	return d.bitmap()
}

// intRange is the closed integer range an ordering operator or = accepts
// against want (empty, lo > hi, for = with a fraction); ok is false for
// != and for a want that is NaN or beyond any int32 by far (those are
// compared in floats).
func intRange(op segment.Op, want float64) (lo, hi int64, ok bool) {
	const minI, maxI = -1 << 40, 1 << 40
	if want != want || want < minI || want > maxI {
		return 0, 0, false
	}
	fl := int64(want)
	if float64(fl) > want { // floor for negatives
		fl--
	}
	whole := float64(fl) == want
	switch op {
	case segment.Gt:
		return fl + 1, maxI, true
	case segment.Ge:
		if whole {
			return fl, maxI, true
		}
		return fl + 1, maxI, true
	case segment.Lt:
		if whole {
			return minI, fl - 1, true
		}
		return minI, fl, true
	case segment.Le:
		return minI, fl, true
	case segment.Eq:
		if whole {
			return fl, fl, true
		}
		return 1, 0, true
	}
	return 0, 0, false
}

func textMatches(op segment.Op, v, want string) bool {
	switch op {
	case segment.Eq:
		return segment.FoldEqual(v, want)
	case segment.Ne:
		return !segment.FoldEqual(v, want)
	case segment.Contains:
		return strings.Contains(segment.FoldLower(v), segment.FoldLower(want))
	}
	return false
}

// pathCond tests the entry or exit page: the path of the first or last
// pageview, "" for a session without one.
func (x *Index) pathCond(c segment.Cond, field string) *roaring.Bitmap {
	pages := &x.facts[kindSlot(step.Page)]
	paths := x.dicts[kindSlot(step.Page)]
	test := func(v string) bool {
		switch c.Op {
		case segment.Eq:
			return step.MatchGlob(c.Str, v)
		case segment.Ne:
			return !step.MatchGlob(c.Str, v)
		}
		return strings.Contains(v, c.Str)
	}
	table := make([]bool, int(paths.maxID())+1)
	for j, id := range paths.ids {
		table[id] = test(paths.vals[j])
	}
	none := test("")
	d := newDense(len(x.ids))
	for i := range x.ids {
		a, b := pages.off[i], pages.off[i+1]
		var hit bool
		switch {
		case a == b:
			hit = none
		case field == "exit":
			hit = lookup(table, pages.val[b-1])
		default:
			hit = lookup(table, pages.val[a])
		}
		if hit {
			d.set(i)
		}
	}
	return d.bitmap()
}

func lookup(table []bool, id uint32) bool { return int(id) < len(table) && table[id] }

func (x *Index) behaviour(b segment.Behaviour) *roaring.Bitmap {
	var st step.Step
	switch b.Verb {
	case segment.Visited:
		st = step.Step{Kind: step.Page, Pattern: b.Pattern}
	case segment.Clicked:
		st = step.Step{Kind: step.Click, Pattern: b.Pattern}
	case segment.Did:
		st = step.Step{Kind: step.Event, Pattern: b.Pattern}
	case segment.Reached:
		st, _ = step.Parse(b.Pattern)
	}
	slot := kindSlot(st.Kind)
	dct := x.dicts[slot]
	table := make([]bool, int(dct.maxID())+1)
	for j, id := range dct.ids {
		table[id] = st.Matches(dct.vals[j])
	}
	f := &x.facts[slot]
	d := newDense(len(x.ids))
	counted := b.Verb == segment.Did && b.Op != ""
	for i := range x.ids {
		n := 0
		for j := f.off[i]; j < f.off[i+1]; j++ {
			if lookup(table, f.val[j]) {
				n++
				if !counted {
					break
				}
			}
		}
		if counted {
			if b.Op.CompareInt(float64(n), float64(b.Count)) {
				d.set(i)
			}
		} else if n > 0 {
			d.set(i)
		}
	}
	return d.bitmap()
}
