package index

import (
	"cmp"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// byStart is the slots newest first (start time, then rid, descending),
// the session list's order; built on first use.
type byStart struct {
	once  sync.Once
	slots []uint32
}

func (x *Index) newestFirst() []uint32 {
	x.order.once.Do(func() {
		s := make([]uint32, len(x.ids))
		for i := range s {
			s[i] = uint32(i)
		}
		slices.SortFunc(s, func(a, b uint32) int {
			if c := cmp.Compare(x.started[b], x.started[a]); c != 0 {
				return c
			}
			return cmp.Compare(x.rids[b], x.rids[a])
		})
		x.order.slots = s
	})
	return x.order.slots
}

// idOrder is the slots in session-id order, built on first use: a
// funnel visits sessions in this order so that its lists of dropped
// sessions come out sorted and Summarize's sort has nothing to do.
type idOrder struct {
	once  sync.Once
	slots []uint32
}

func (x *Index) byIDOrder() []uint32 {
	x.idOrder.once.Do(func() {
		s := make([]uint32, len(x.ids))
		for i := range s {
			s[i] = uint32(i)
		}
		slices.SortFunc(s, func(a, b uint32) int { return cmp.Compare(x.ids[a], x.ids[b]) })
		x.idOrder.slots = s
	})
	return x.idOrder.slots
}

// Newest lists the ids of at most limit sessions of b, newest first: what
// the session list shows above a segment's count.
func (x *Index) Newest(b *roaring.Bitmap, limit int) []string {
	var out []string
	for _, slot := range x.newestFirst() {
		if len(out) >= limit {
			break
		}
		if b.Contains(slot) {
			out = append(out, x.ids[slot])
		}
	}
	return out
}
