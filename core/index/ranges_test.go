package index

import (
	"bytes"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/segment"
)

// randomColumn draws a column of one of several shapes: few values, many,
// one value filling most slots, all equal, the int32 extremes.
func randomColumn(r *rand.Rand, n int) ([]int32, string) {
	col := make([]int32, n)
	shape := r.IntN(6)
	for i := range col {
		switch shape {
		case 0: // few distinct values, like pageviews
			col[i] = int32(r.IntN(12))
		case 1: // many, like durations in ms
			col[i] = int32(r.IntN(2_000_000))
		case 2: // mostly one value, like errors
			if r.IntN(10) == 0 {
				col[i] = int32(1 + r.IntN(200))
			}
		case 3: // all equal
			col[i] = 7
		case 4: // the extremes and their neighbours
			col[i] = []int32{math.MinInt32, math.MinInt32 + 1, -1, 0, 1, math.MaxInt32 - 1, math.MaxInt32}[r.IntN(7)]
		case 5: // anything
			col[i] = int32(r.Uint32())
		}
	}
	return col, []string{"few", "many", "skewed", "equal", "extremes", "any"}[shape]
}

// thresholds are the numbers a query compares against: values held and
// their neighbours, fractions, the int32 limits and beyond, NaN.
func thresholds(r *rand.Rand, col []int32) []float64 {
	out := []float64{0, -0.5, 0.5, math.MinInt32, math.MaxInt32, math.MinInt32 - 1.0, math.MaxInt32 + 1.0,
		-(1 << 41), 1 << 41, math.Inf(1), math.Inf(-1), math.NaN()}
	for range 12 {
		if len(col) == 0 {
			break
		}
		v := float64(col[r.IntN(len(col))])
		out = append(out, v, v-1, v+1, v+0.25, v-0.25)
	}
	return out
}

// scan is the straightforward answer: every slot compared in floats, as
// segment.Eval does.
func scan(col []int32, keep func(v float64) bool) *roaring.Bitmap {
	b := roaring.New()
	for i, v := range col {
		if keep(float64(v)) {
			b.Add(uint32(i))
		}
	}
	return b
}

var allOps = []segment.Op{segment.Eq, segment.Ne, segment.Gt, segment.Ge, segment.Lt, segment.Le}

// columnIndex builds an index of sessions whose durations are col, its
// range marks built in one go or, when grow, built on a prefix and
// extended in steps as imports would.
func columnIndex(t *testing.T, r *rand.Rand, col []int32, grow bool) *Index {
	b := NewBuilder()
	next := 1 + r.IntN(len(col)/3+1)
	for i, v := range col {
		if grow && i == next {
			b.x.indexRanges()
			next += 1 + r.IntN(len(col)/3+1)
		}
		if err := b.Add(&core.Facts{Session: core.Session{ID: fmt.Sprint(i), DurationMS: int64(v)}}); err != nil {
			t.Fatal(err)
		}
	}
	return b.Index()
}

// TestRangeMarksAgreeWithScan holds every integer comparison and range
// answered from the range marks to a plain scan of the column: random
// columns of every shape and size (empty included), every operator,
// thresholds on, between and beyond the values, marks built at once or
// grown by appends, and read back from the compact file.
func TestRangeMarksAgreeWithScan(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	slot := numberSlot("duration")
	checked := 0
	for trial := range 120 {
		n := []int{0, 1, 63, 64, 65, 1000, 5000, 70_000}[trial%8]
		col, shape := randomColumn(r, n)
		x := columnIndex(t, r, col, trial%3 == 1)
		if trial%3 == 2 {
			var buf bytes.Buffer
			if err := x.write(&buf); err != nil {
				t.Fatal(err)
			}
			y, err := read(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			x = y
		}
		if got := x.ranges[slot]; got.n != n || len(got.bounds) > max(exactBelow, maxBounds) {
			t.Fatalf("%s column of %d: marks hold %d slots, %d bounds", shape, n, got.n, len(got.bounds))
		}
		ts := thresholds(r, col)
		for _, want := range ts {
			for _, op := range allOps {
				got := x.numberCond(slot, op, want)
				exp := scan(col, func(v float64) bool { return op.CompareInt(v, want) })
				if !got.Equals(exp) {
					t.Fatalf("%s column of %d (trial %d): duration %s %v: %d slots, scan %d", shape, n, trial, op, want, got.GetCardinality(), exp.GetCardinality())
				}
				checked++
			}
		}
		// Between: two conditions on the column in one AND become one range.
		for range 20 {
			lo, hi := ts[r.IntN(len(ts))], ts[r.IntN(len(ts))]
			lop := []segment.Op{segment.Gt, segment.Ge}[r.IntN(2)]
			hop := []segment.Op{segment.Lt, segment.Le, segment.Eq}[r.IntN(3)]
			e := segment.And{segment.Cond{Field: "duration", Op: lop, Num: lo}, segment.Cond{Field: "duration", Op: hop, Num: hi}}
			got := x.eval(e)
			exp := scan(col, func(v float64) bool { return lop.CompareInt(v, lo) && hop.CompareInt(v, hi) })
			if !got.Equals(exp) {
				t.Fatalf("%s column of %d: %v: %d slots, scan %d", shape, n, e, got.GetCardinality(), exp.GetCardinality())
			}
			checked++
		}
	}
	if checked < 10_000 {
		t.Errorf("only %d comparisons checked", checked)
	}
}

// TestRangeMarksStayBalanced checks the bounds the marks are cut at: a
// column of few values gets one per value, so any comparison is answered
// from the marks alone; a wide one gets about targetBins bins; a value
// filling most of a column is bounded on both sides.
func TestRangeMarksStayBalanced(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	few := make([]int32, 10_000)
	for i := range few {
		few[i] = int32(1 + r.IntN(20))
	}
	if got := buildRanges(few).bounds; !slices.Equal(got, []int32{2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}) {
		t.Errorf("bounds of a 20-value column: %v", got)
	}
	const heavy = 1 << 29
	wide := make([]int32, 200_000)
	for i := range wide {
		wide[i] = int32(r.IntN(1 << 30))
		if i%4 == 0 {
			wide[i] = heavy // a quarter of the slots
		}
	}
	g := buildRanges(wide)
	if len(g.bounds) < targetBins*3/4-4 || len(g.bounds) > maxBounds {
		t.Errorf("wide column: %d bounds, want about %d", len(g.bounds), targetBins*3/4)
	}
	at := slices.Index(g.bounds, heavy)
	if at < 0 || at+1 == len(g.bounds) || g.bounds[at+1] <= heavy {
		t.Fatalf("the value filling a quarter of the column is not bounded on both sides: %v", g.bounds)
	}
	prev := 0
	for k, mk := range g.marks {
		c := 0
		for _, w := range mk {
			c += bits.OnesCount64(w)
		}
		if bin := c - prev; bin > len(wide)/targetBins*2 && k != at+1 {
			t.Errorf("bin below %d holds %d slots", g.bounds[k], bin)
		}
		prev = c
	}
}

// BenchmarkRangeFilter times the integer filters of the DuckDB
// comparison over a million generated-like values.
func BenchmarkRangeFilter(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	n := 1_000_000
	dur, pv := make([]int32, n), make([]int32, n)
	for i := range dur {
		dur[i] = int32(r.ExpFloat64() * 60_000)
		pv[i] = int32(1 + r.IntN(12))
	}
	x := newIndex()
	x.ids = make([]string, n)
	x.nums[numberSlot("duration")] = dur
	x.nums[numberSlot("pageviews")] = pv
	for i := range x.nums {
		if x.nums[i] == nil {
			x.nums[i] = make([]int32, n)
		}
	}
	x.indexRanges()
	for _, q := range []string{`duration > 2m`, `pageviews >= 3`, `duration >= 61s and duration < 62s`, `pageviews = 4`} {
		e := segment.MustParse(q)
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, ok := x.Count(e); !ok {
					b.Fatal("not covered")
				}
			}
		})
	}
	b.Run(fmt.Sprintf("build %d", n), func(b *testing.B) {
		for b.Loop() {
			buildRanges(dur)
		}
	})
}
