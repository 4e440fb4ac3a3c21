package index

import (
	"fmt"
	"math"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/segment"
)

// Builder makes an index straight from sessions' facts, without a
// workspace: for comparisons with other engines over generated sessions,
// and for holding the index to the reference evaluators' case files. A
// workspace's index comes from Build.
type Builder struct {
	x        *Index
	codes    []map[string]uint32
	dict     [4]map[string]uint32
	visitors map[string]uint32
	messages map[string]uint32
}

// NewBuilder starts an empty index.
func NewBuilder() *Builder {
	b := &Builder{x: newIndex(), codes: make([]map[string]uint32, len(textFields)),
		visitors: map[string]uint32{}, messages: map[string]uint32{}}
	for i := range b.codes {
		b.codes[i] = map[string]uint32{}
	}
	for k := range b.dict {
		b.dict[k] = map[string]uint32{}
	}
	return b
}

// id is a value's dictionary id for a kind slot; clicks and inputs share
// the selector dictionary, as in the workspace.
func (b *Builder) id(slot int, v string) uint32 {
	if slot == kindSlot(step.Input) {
		slot = kindSlot(step.Click)
	}
	d := b.dict[slot]
	id, ok := d[v]
	if !ok {
		id = uint32(len(d) + 1)
		d[v] = id
	}
	return id
}

// Add appends one session.
func (b *Builder) Add(f *core.Facts) error {
	x := b.x
	s := &f.Session
	x.ids = append(x.ids, s.ID)
	x.maxRID++
	x.rids = append(x.rids, x.maxRID)
	x.started = append(x.started, s.StartedAt.UnixMilli())
	x.score = append(x.score, s.Score)
	for i, name := range numberFields {
		v := segment.NumberOf(name, s)
		if v < math.MinInt32 || v > math.MaxInt32 {
			return fmt.Errorf("%w: %s %v in session %s", ErrOutOfRange, name, v, s.ID)
		}
		x.nums[i] = append(x.nums[i], int32(v))
	}
	slot := len(x.ids) - 1
	for i, name := range textFields {
		w := segment.TextOf(name, s)
		c, ok := b.codes[i][w]
		if !ok {
			c = uint32(len(x.texts[i].words))
			b.codes[i][w] = c
			x.texts[i].words = append(x.texts[i].words, w)
		}
		x.texts[i].codes = append(x.texts[i].codes, c)
	}
	x.visitor = append(x.visitor, codeOf(b.visitors, s.Visitor))
	for _, e := range f.Errors {
		id, ok := b.messages[e.Message]
		if !ok {
			id = uint32(len(b.messages) + 1)
			b.messages[e.Message] = id
		}
		x.errs.val = append(x.errs.val, id)
	}
	x.errs.off = append(x.errs.off, uint32(len(x.errs.val)))
	for _, t := range s.Tags {
		bm := x.tags[t]
		if bm == nil {
			bm = roaring.New()
			x.tags[t] = bm
		}
		bm.Add(uint32(slot))
	}
	for k, kind := range kinds {
		fs := &x.facts[k]
		for j, fact := range step.FactsOf(f, kind) {
			fs.val = append(fs.val, b.id(k, fact.Value))
			fs.at = append(fs.at, int32(min(max(fact.At, 0), math.MaxInt32)))
			if kind == step.Click {
				c := &f.Clicks[j]
				fs.page = append(fs.page, b.id(kindSlot(step.Page), c.Path))
				fs.flags = append(fs.flags, clickFlags(c))
			}
		}
		fs.off = append(fs.off, uint32(len(fs.val)))
	}
	return nil
}

// codeOf numbers the distinct visitors from 1, as the workspace's
// visitors table does; "" (no visitor, stored as NULL) is 0.
func codeOf(codes map[string]uint32, v string) uint32 {
	if v == "" {
		return 0
	}
	c, ok := codes[v]
	if !ok {
		c = uint32(len(codes) + 1)
		codes[v] = c
	}
	return c
}

// clickFlags packs a click's frustration as the workspace's clicks.flags
// column does.
func clickFlags(c *core.Click) uint8 {
	var f uint8
	if c.Rage {
		f |= 1
	}
	if c.Dead {
		f |= 2
	}
	if c.Error {
		f |= 4
	}
	return f
}

// Index finishes the index; the builder must not be used afterwards.
func (b *Builder) Index() *Index {
	x := b.x
	for k := range b.dict {
		if k == kindSlot(step.Input) {
			continue
		}
		var d dict
		for v, id := range b.dict[k] {
			d.ids = append(d.ids, id)
			d.vals = append(d.vals, v)
		}
		x.dicts[k] = d
	}
	x.dicts[kindSlot(step.Input)] = x.dicts[kindSlot(step.Click)]
	for v, id := range b.messages {
		x.messages.ids = append(x.messages.ids, id)
		x.messages.vals = append(x.messages.vals, v)
	}
	x.indexRanges()
	for _, bm := range x.tags {
		bm.RunOptimize()
	}
	return x
}
