// Package index is a columnar, in-memory copy of what the workspace's
// analytics read: one slot per session (in rid order) holding its
// attributes as plain columns, its text attributes dictionary-encoded, its
// tags as roaring bitmaps, and its pageviews, inputs, clicks and custom
// events as compact integer arrays (dictionary id and offset) laid out
// session after session. Segments evaluate to bitmaps over the slots and
// funnels walk the arrays, which answers in milliseconds what SQLite
// answers in tens or hundreds.
//
// The index is a cache. The workspace stays the truth: Load builds the
// index from it (or reads the compact file Save wrote when it is still
// current), Refresh extends it with sessions imported since, and every
// query the index does not cover (feedback, traits, user and visitor
// fields, counted custom events in a funnel's scope ...) reports ok=false
// so the caller runs the workspace's own query. Equivalence tests hold
// both to the same answers.
package index

import (
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/loupe-dev/loupe/core/funnel/step"
)

// Generation is the workspace's change counters (table index_generation):
// Appended counts sessions inserted, Changed every other change to
// sessions or their tags.
type Generation struct {
	Appended int64
	Changed  int64
}

// numberFields are the integer session columns, in column order; score is
// kept apart as a float.
var numberFields = []string{"duration", "pageviews", "clicks", "rage_clicks", "dead_clicks",
	"error_clicks", "errors", "failed_requests", "events", "width", "height"}

// textFields are the dictionary-encoded text columns.
var textFields = []string{"site", "device", "browser", "os", "country"}

// kinds are the fact kinds held, in step.Kind rank order.
var kinds = []step.Kind{step.Page, step.Input, step.Click, step.Event}

func kindSlot(k step.Kind) int {
	for i, x := range kinds {
		if x == k {
			return i
		}
	}
	return -1
}

// facts is one kind's facts for every session: session i's are
// [off[i], off[i+1]) in recorded order.
type facts struct {
	off []uint32
	val []uint32 // dictionary id: path, selector or event name
	at  []int32  // ms since the session's start, clamped to [0, 2^31-1]
	// page is the path id of the page each click happened on (clicks
	// only; nil for the other kinds), for heatmap totals.
	page []uint32
	// flags are each click's rage (1), dead (2) and error (4) bits as the
	// workspace packs them (clicks only), for the frustrated elements.
	flags []uint8
}

// dict is a workspace dictionary table (paths, selectors, event names).
type dict struct {
	ids  []uint32
	vals []string
}

// maxID is the largest id, for sizing lookup tables.
func (d dict) maxID() uint32 {
	var m uint32
	for _, id := range d.ids {
		m = max(m, id)
	}
	return m
}

// text is one dictionary-encoded text column.
type text struct {
	codes []uint32
	words []string // code -> value
}

// Index is the columnar copy of a workspace. It is read-only once built;
// Refresh returns a new one.
type Index struct {
	gen    Generation
	maxRID int64

	ids     []string
	rids    []int64
	started []int64 // unix ms
	nums    [][]int32
	ranges  []*ranges // per nums column: its range-encoded marks
	score   []float64
	texts   []text
	tags    map[string]*roaring.Bitmap
	facts   [4]facts
	dicts   [4]dict // by kind slot; inputs and clicks share selectors
	// visitor is each session's visitor code (visitors.id in a workspace),
	// 0 for a session without a visitor, for counting distinct visitors.
	visitor []uint32
	// errs are the sessions' JS errors (val is the message's strs id;
	// at and page stay empty) and messages their dictionary, for the
	// dashboard's top errors.
	errs     facts
	messages dict
	order    *byStart
	idOrder  *idOrder
}

// Len is the number of sessions held.
func (x *Index) Len() int { return len(x.ids) }

// Generation is the workspace generation the index reflects.
func (x *Index) Generation() Generation { return x.gen }

// ID is the session id at slot i.
func (x *Index) ID(i int) string { return x.ids[i] }

func newIndex() *Index {
	x := &Index{order: &byStart{}, idOrder: &idOrder{}, nums: make([][]int32, len(numberFields)), ranges: make([]*ranges, len(numberFields)), texts: make([]text, len(textFields)), tags: map[string]*roaring.Bitmap{}}
	for k := range x.facts {
		x.facts[k].off = []uint32{0}
	}
	x.errs.off = []uint32{0}
	return x
}

// indexRanges brings every integer column's range marks up to the
// column's length: built on first use, extended after appends.
func (x *Index) indexRanges() {
	for i, col := range x.nums {
		if r := x.ranges[i]; r == nil || r.n != len(col) {
			x.ranges[i] = r.extended(col)
		}
	}
}

// numberSlot finds a numeric field's column, -1 when not an int column.
func numberSlot(field string) int {
	for i, f := range numberFields {
		if f == field {
			return i
		}
	}
	return -1
}

func textSlot(field string) int {
	for i, f := range textFields {
		if f == field {
			return i
		}
	}
	return -1
}

func millisTime(ms int64) time.Time { return time.UnixMilli(ms) }
