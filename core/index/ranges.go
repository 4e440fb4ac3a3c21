package index

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// ranges answers range filters on one integer column without testing
// every slot. Think of the slots sorted by value (ties by slot): a filter
// lo ≤ v ≤ hi selects the slots of one contiguous run of ranks [ra, rb).
// Two parts make that run a bit set quickly:
//
//   - marks, a range-encoded bitmap index: for each bound b_k (ascending
//     values) the bit set of the slots whose value is below b_k, that is
//     of ranks [0, rank(b_k)). Ranks [Ra, Rb) between two marks are one
//     pass over two marks' words (Rb's mark and not Ra's).
//   - perm, the slots in rank order, for the ranks between the nearest
//     marks and the run's ends: their bits are set or cleared one by one.
//
// A column with few distinct values (pageviews, errors, width) gets a
// bound at every value but its smallest; every comparison then lands on
// marks and perm is not kept at all. Other columns get quantile bounds,
// one per ~1/targetBins of the slots, each where a new value starts (a
// value filling more than a bin is bounded on both sides), and at most
// half a bin of single bits per end of the run.
//
// roaring's BitSliceIndexing package was the first candidate, but its
// CompareValue tests each slot bit by bit with Contains on every slice
// (slower than scanning the column), and its slices are binary, not
// range encoded; cumulative marks in plain words plus a permutation fit
// range filters better and need no more than a word loop.
type ranges struct {
	bounds []int32    // ascending
	marks  [][]uint64 // marks[k]: slots with value < bounds[k], one bit each
	below  []int      // below[k]: how many slots marks[k] holds (rank of bounds[k])
	// perm is every slot in (value, slot) order; nil when the column's
	// values are exactly its bounds and lo, so that marks alone answer.
	perm   []uint32
	lo, hi int32 // the smallest and largest value held (lo > hi when empty)
	n      int   // slots held
	// chosenFor is how many slots the bounds were chosen over; extending
	// past twice that chooses them again, so bins stay balanced as a
	// workspace grows.
	chosenFor int
}

const (
	// exactBelow: a column with at most this many distinct values gets a
	// bound per value.
	exactBelow = 48
	// targetBins for other columns; more bins set fewer single bits per
	// query but cost n/8 bytes each.
	targetBins = 32
	// sampleSize values, drawn at random, choose the quantiles.
	sampleSize = 1 << 14
	// maxBounds caps the bounds of either kind; quantileBounds stays
	// below it (a short step to a run's start is followed by a full one).
	maxBounds = 2*targetBins + 2
)

func words(n int) int { return (n + 63) / 64 }

// lastMask keeps the bits of the last word that are slots.
func lastMask(n int) uint64 {
	if n%64 == 0 {
		return ^uint64(0)
	}
	return 1<<(uint(n)%64) - 1
}

// exact reports whether the marks alone answer every comparison.
func (r *ranges) exact() bool { return r.perm == nil }

// buildRanges indexes a whole column.
func buildRanges(col []int32) *ranges {
	bounds, exact := chooseBounds(col)
	r := &ranges{bounds: bounds, lo: math.MaxInt32, hi: math.MinInt32, n: len(col), chosenFor: len(col)}
	m := len(bounds)
	r.marks = make([][]uint64, m)
	for k := range r.marks {
		r.marks[k] = make([]uint64, words(len(col)))
	}
	// First each slot's bit goes into its own bin's mark (the first bound
	// above the value), then the marks are made cumulative.
	count := make([]int, m+1)
	bin := make([]uint8, len(col))
	for i, v := range col {
		r.lo, r.hi = min(r.lo, v), max(r.hi, v)
		k := binOf(bounds, v)
		bin[i] = uint8(k)
		count[k]++
		if k < m {
			r.marks[k][i>>6] |= 1 << (uint(i) & 63)
		}
	}
	for k := 1; k < m; k++ {
		prev, cur := r.marks[k-1], r.marks[k]
		for w := range cur {
			cur[w] |= prev[w]
		}
	}
	r.below = make([]int, m)
	start := make([]int, m+1)
	for k := range m {
		start[k+1] = start[k] + count[k]
		r.below[k] = start[k+1]
	}
	if exact {
		return r
	}
	// Slots bucketed by bin in slot order, then each bin sorted by value.
	r.perm = make([]uint32, len(col))
	at := slices.Clone(start)
	for i, k := range bin {
		r.perm[at[k]] = uint32(i)
		at[k]++
	}
	for k := range m + 1 {
		end := len(col)
		if k < m {
			end = start[k+1]
		}
		sortByValue(r.perm[start[k]:end], col)
	}
	return r
}

// sortByValue orders slots by (value, slot).
func sortByValue(slots []uint32, col []int32) {
	keys := make([]uint64, len(slots))
	for i, s := range slots {
		keys[i] = key(col, s)
	}
	slices.Sort(keys)
	for i, k := range keys {
		slots[i] = uint32(k)
	}
}

// key orders a slot by value, then slot, as one unsigned number.
func key(col []int32, s uint32) uint64 {
	return uint64(uint32(col[s])^1<<31)<<32 | uint64(s)
}

// binOf is the index of the first bound above v (len(bounds) for none).
func binOf(bounds []int32, v int32) int {
	lo, hi := 0, len(bounds)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if bounds[mid] <= v {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// chooseBounds picks a column's bounds; exact when they are all its
// values but the smallest.
func chooseBounds(col []int32) (bounds []int32, exact bool) {
	distinct := map[int32]struct{}{}
	for _, v := range col {
		distinct[v] = struct{}{}
		if len(distinct) > exactBelow {
			break
		}
	}
	if len(distinct) <= exactBelow {
		vals := make([]int32, 0, len(distinct))
		for v := range distinct {
			vals = append(vals, v)
		}
		slices.Sort(vals)
		if len(vals) > 0 {
			vals = vals[1:]
		}
		return vals, true
	}
	// Slots drawn at random with a fixed seed, not at a stride, which a
	// column with a period (every 4th session the same) would fool.
	var sample []int32
	if len(col) > sampleSize {
		pick := rand.New(rand.NewPCG(uint64(len(col)), 1))
		sample = make([]int32, sampleSize)
		for i := range sample {
			sample[i] = col[pick.IntN(len(col))]
		}
	} else {
		sample = slices.Clone(col)
	}
	slices.Sort(sample)
	return quantileBounds(sample, max(1, len(sample)/targetBins)), false
}

// quantileBounds walks a sorted sample in steps of about per values and
// bounds a bin where a new value starts. A value that fills more than a
// step is bounded on both sides, so that comparing against it is exact.
func quantileBounds(sample []int32, per int) []int32 {
	var out []int32
	for i := 0; ; {
		j := i + per
		if j >= len(sample) || len(out) == maxBounds {
			return out
		}
		if sample[j] == sample[j-1] {
			// Inside a run: bound at its start when that is past i, else
			// just after it.
			run := sample[j]
			start := sort.Search(j, func(p int) bool { return sample[p] >= run })
			if start > i {
				j = start
			} else {
				j = sort.Search(len(sample), func(p int) bool { return sample[p] > run })
				if j >= len(sample) {
					return out
				}
			}
		}
		out = append(out, sample[j])
		i = j
	}
}

// extended returns the ranges of col, which is this index's column with
// slots appended. Nothing is written in place: an older index may be
// reading the marks and perm.
func (r *ranges) extended(col []int32) *ranges {
	if r == nil || len(col) >= 2*r.chosenFor || len(col) < r.n {
		return buildRanges(col)
	}
	added := col[r.n:]
	if r.exact() {
		for _, v := range added {
			if _, found := slices.BinarySearch(r.bounds, v); !found && v != r.lo {
				return buildRanges(col) // a new value: the marks alone no longer answer
			}
		}
	}
	y := &ranges{bounds: r.bounds, lo: r.lo, hi: r.hi, chosenFor: r.chosenFor, n: len(col),
		marks: make([][]uint64, len(r.marks)), below: slices.Clone(r.below)}
	for k, mk := range r.marks {
		y.marks[k] = make([]uint64, words(len(col)))
		copy(y.marks[k], mk)
	}
	for i, v := range added {
		i += r.n
		y.lo, y.hi = min(y.lo, v), max(y.hi, v)
		for k := binOf(y.bounds, v); k < len(y.marks); k++ {
			y.marks[k][i>>6] |= 1 << (uint(i) & 63)
			y.below[k]++
		}
	}
	if !r.exact() {
		// The new slots sorted, then merged in; they follow every old
		// slot of the same value.
		fresh := make([]uint32, len(added))
		for i := range fresh {
			fresh[i] = uint32(r.n + i)
		}
		sortByValue(fresh, col)
		y.perm = make([]uint32, 0, len(col))
		old := r.perm
		for len(old) > 0 && len(fresh) > 0 {
			if key(col, old[0]) < key(col, fresh[0]) {
				y.perm, old = append(y.perm, old[0]), old[1:]
			} else {
				y.perm, fresh = append(y.perm, fresh[0]), fresh[1:]
			}
		}
		y.perm = append(append(y.perm, old...), fresh...)
	}
	return y
}

// rank is how many slots hold a value below t.
func (r *ranges) rank(col []int32, t int64) int {
	switch {
	case t <= int64(r.lo):
		return 0
	case t > int64(r.hi):
		return r.n
	}
	j := sort.Search(len(r.bounds), func(k int) bool { return int64(r.bounds[k]) >= t })
	from, to := 0, r.n
	if j > 0 {
		from = r.below[j-1]
	}
	if j < len(r.bounds) {
		to = r.below[j]
		if int64(r.bounds[j]) == t {
			return to
		}
	}
	if r.exact() {
		// No value lies strictly between two bounds (or lo and the
		// first): all of this bin is below t.
		return to
	}
	return from + sort.Search(to-from, func(i int) bool { return int64(col[r.perm[from+i]]) >= t })
}

// nearestMark is the mark whose rank is closest to rank: -1 for rank 0
// (no slot), len(marks) for every slot.
func (r *ranges) nearestMark(rank int) (k, at int) {
	k, at = -1, 0
	if d := r.n - rank; d < rank {
		k, at = len(r.marks), r.n
	}
	j := sort.SearchInts(r.below, rank)
	for _, c := range []int{j - 1, j} {
		if c >= 0 && c < len(r.below) && abs(r.below[c]-rank) < abs(at-rank) {
			k, at = c, r.below[c]
		}
	}
	return k, at
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// markWord is word w of mark k, with -1 no slot and len(marks) all.
func (r *ranges) markWord(k, w int) uint64 {
	switch {
	case k < 0:
		return 0
	case k >= len(r.marks):
		return ^uint64(0)
	}
	return r.marks[k][w]
}

// between sets in out the slots whose value is in [lo, hi]; out has
// words(len(col)) zero words.
func (r *ranges) between(out dense, col []int32, lo, hi int64) {
	lo, hi = max(lo, math.MinInt32), min(hi, math.MaxInt32)
	if lo > hi || len(out) == 0 {
		return
	}
	ra, rb := r.rank(col, lo), r.rank(col, hi+1)
	if ra >= rb {
		return
	}
	ka, at := r.nearestMark(ra)
	kb, bt := r.nearestMark(rb)
	// Setting the run's bits one by one beats a pass over the marks'
	// words when the run is short.
	if !r.exact() && rb-ra <= abs(ra-at)+abs(rb-bt)+len(out) {
		r.flip(out, ra, rb)
		return
	}
	if ka < 0 && kb >= len(r.marks) {
		for w := range out {
			out[w] = ^uint64(0)
		}
	} else {
		for w := range out {
			out[w] = r.markWord(kb, w) &^ r.markWord(ka, w)
		}
	}
	out[len(out)-1] &= lastMask(r.n)
	// out holds ranks [at, bt). Toggling [ra, at) or [at, ra), and the
	// same at the other end, leaves exactly [ra, rb) (as half-lines:
	// {≥at}^{≥bt}^{≥ra}^{≥at}^{≥rb}^{≥bt} = {≥ra}^{≥rb}). An exact
	// column's ranks are always a mark's, so it toggles nothing.
	r.flip(out, min(ra, at), max(ra, at))
	r.flip(out, min(rb, bt), max(rb, bt))
}

// flip toggles the bits of the slots of ranks [from, to).
func (r *ranges) flip(out dense, from, to int) {
	if from >= to {
		return
	}
	for _, s := range r.perm[from:to] {
		out[s>>6] ^= 1 << (s & 63)
	}
}
