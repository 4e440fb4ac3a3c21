package index

import (
	"github.com/RoaringBitmap/roaring/v2"
	"github.com/loupe-dev/loupe/core/segment"
)

// numberCond evaluates one integer column against a number: ranges and =
// from the column's range marks, != as the complement of =.
func (x *Index) numberCond(slot int, op segment.Op, want float64) *roaring.Bitmap {
	n := len(x.ids)
	col := x.nums[slot]
	d := newDense(n)
	eqOp := op
	if op == segment.Ne {
		eqOp = segment.Eq
	}
	lo, hi, ok := intRange(eqOp, want)
	if !ok {
		for i, v := range col {
			if op.CompareInt(float64(v), want) {
				d.set(i)
			}
		}
		return d.bitmap()
	}
	x.ranges[slot].between(d, col, lo, hi)
	if op == segment.Ne && n > 0 {
		for w := range d {
			d[w] = ^d[w]
		}
		d[len(d)-1] &= lastMask(n)
	}
	return d.bitmap()
}

// span is a closed integer range over one column.
type span struct {
	slot   int
	lo, hi int64
}

// andParts evaluates the terms of an AND, with the range conditions on
// one integer column (duration >= 1m and duration < 5m: a between)
// intersected first and answered as one range.
func (x *Index) andParts(e segment.And) []*roaring.Bitmap {
	var parts []*roaring.Bitmap
	var spans []span
	for _, t := range e {
		if s, ok := x.spanOf(t); ok {
			if i := indexOfSlot(spans, s.slot); i >= 0 {
				spans[i].lo, spans[i].hi = max(spans[i].lo, s.lo), min(spans[i].hi, s.hi)
			} else {
				spans = append(spans, s)
			}
			continue
		}
		parts = append(parts, x.eval(t))
	}
	for _, s := range spans {
		d := newDense(len(x.ids))
		x.ranges[s.slot].between(d, x.nums[s.slot], s.lo, s.hi)
		parts = append(parts, d.bitmap())
	}
	return parts
}

// spanOf is e's integer range when e compares an integer column.
func (x *Index) spanOf(e segment.Expr) (span, bool) {
	c, ok := e.(segment.Cond)
	if !ok {
		return span{}, false
	}
	f, ok := segment.LookupField(c.Field)
	if !ok || (f.Kind != segment.Number && f.Kind != segment.Duration) {
		return span{}, false
	}
	slot := numberSlot(f.Name)
	if slot < 0 {
		return span{}, false
	}
	lo, hi, ok := intRange(c.Op, c.Num)
	return span{slot: slot, lo: lo, hi: hi}, ok
}

func indexOfSlot(spans []span, slot int) int {
	for i, s := range spans {
		if s.slot == slot {
			return i
		}
	}
	return -1
}
