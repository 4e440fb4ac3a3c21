package index

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"os"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/loupe-dev/loupe/core/atomicfile"
	"github.com/loupe-dev/loupe/core/funnel/step"
)

// fileMagic starts the compact file; the digit is the layout version
// (2: the integer columns' range marks follow the dictionaries; 3: then
// the dashboard's parts, visitor codes, click flags, JS error messages
// and their dictionary). A file of another version is stale and rebuilt.
const fileMagic = "LOUPEIX3"

// ErrStale marks a compact file that is not this workspace's current
// index (another layout, generation or last session).
var ErrStale = errors.New("index file is stale")

// Open returns the workspace's index, reading the compact file at path
// when it is current, extending it when only imports happened since, and
// building it otherwise; whatever it had to build it writes back to path.
// An unreadable file is rebuilt, never an error. When only the write
// back fails (a read-only folder), the index is returned with the error,
// still good to use.
func Open(ctx context.Context, db *sql.DB, path string) (*Index, error) {
	x, err := ReadFile(path)
	if err != nil {
		x, err = Build(ctx, db)
		if err != nil {
			return nil, err
		}
		return x, x.Save(path)
	}
	y, err := x.Refresh(ctx, db)
	if err != nil {
		return nil, err
	}
	if y != x {
		return y, y.Save(path)
	}
	return x, nil
}

// PathFor is where a workspace file's compact index lives: beside it.
func PathFor(workspacePath string) string { return workspacePath + ".index" }

// Save writes the compact form to path atomically.
func (x *Index) Save(path string) error {
	err := atomicfile.Write(path, 0o644, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := x.write(bw); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return fmt.Errorf("save index: %w", err)
	}
	return nil
}

// ReadFile reads a compact file Save wrote.
func ReadFile(path string) (*Index, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read index: %w", err)
	}
	x, err := read(data)
	if err != nil {
		return nil, fmt.Errorf("read index %s: %w", path, err)
	}
	return x, nil
}

type writer struct {
	w   io.Writer
	err error
}

func (w *writer) put(v any) {
	if w.err == nil {
		w.err = binary.Write(w.w, binary.LittleEndian, v)
	}
}

func (w *writer) strings(ss []string) {
	lens := make([]uint32, len(ss))
	for i, s := range ss {
		lens[i] = uint32(len(s))
	}
	w.put(uint64(len(ss)))
	w.put(lens)
	for _, s := range ss {
		if w.err == nil {
			_, w.err = io.WriteString(w.w, s)
		}
	}
}

func (x *Index) write(out io.Writer) error {
	w := &writer{w: out}
	if _, err := io.WriteString(out, fileMagic); err != nil {
		return err
	}
	w.put([]int64{x.gen.Appended, x.gen.Changed, x.maxRID, int64(len(x.ids))})
	w.strings(x.ids)
	w.put(x.rids)
	w.put(x.started)
	w.put(x.score)
	for _, col := range x.nums {
		w.put(col)
	}
	for _, t := range x.texts {
		w.strings(t.words)
		w.put(t.codes)
	}
	names := make([]string, 0, len(x.tags))
	for name := range x.tags {
		names = append(names, name)
	}
	sort.Strings(names)
	w.strings(names)
	for _, name := range names {
		if w.err == nil {
			w.put(uint64(x.tags[name].GetSerializedSizeInBytes()))
			if w.err == nil {
				_, w.err = x.tags[name].WriteTo(out)
			}
		}
	}
	for k := range x.facts {
		f := &x.facts[k]
		w.put(uint64(len(f.val)))
		w.put(f.off)
		w.put(f.val)
		w.put(f.at)
		w.put(uint64(len(f.page)))
		w.put(f.page)
	}
	for k := range x.dicts {
		w.put(uint64(len(x.dicts[k].ids)))
		w.put(x.dicts[k].ids)
		w.strings(x.dicts[k].vals)
	}
	for _, r := range x.ranges {
		w.put(uint64(len(r.bounds)))
		w.put(r.bounds)
		w.put([]int32{r.lo, r.hi})
		w.put(uint64(r.chosenFor))
		for _, mk := range r.marks {
			w.put(mk)
		}
		w.put(uint64(len(r.perm)))
		w.put(r.perm)
	}
	w.put(x.visitor)
	clicks := &x.facts[kindSlot(step.Click)]
	w.put(uint64(len(clicks.flags)))
	w.put(clicks.flags)
	w.put(uint64(len(x.errs.val)))
	w.put(x.errs.off)
	w.put(x.errs.val)
	w.put(uint64(len(x.messages.ids)))
	w.put(x.messages.ids)
	w.strings(x.messages.vals)
	return w.err
}

// reader decodes the compact form from memory: one read of the file, then
// plain loops, which beats binary.Read's copy per slice.
type reader struct {
	b   []byte
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b) {
		r.err = fmt.Errorf("%w: truncated", ErrStale)
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

// peek returns the next n bytes without consuming them, nil when short.
func (r *reader) peek(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		return nil
	}
	return r.b[:n]
}

func (r *reader) u64() uint64 {
	b := r.take(8)
	if b == nil {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// count reads a length and refuses absurd ones, so a damaged file fails
// cleanly instead of asking for terabytes.
func (r *reader) count() int {
	n := r.u64()
	if r.err == nil && n > uint64(len(r.b)) && n > math.MaxInt32 {
		r.err = fmt.Errorf("%w: length %d", ErrStale, n)
	}
	if r.err != nil {
		return 0
	}
	return int(n)
}

func (r *reader) u32s(n int) []uint32 {
	if b := r.peek(4 * n); b != nil {
		out := make([]uint32, n)
		if copyRaw(out, b) {
			r.take(len(b))
			return out
		}
	}
	b := r.take(4 * n)
	out := make([]uint32, n)
	for i := range out {
		if b == nil {
			break
		}
		out[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return out
}

func (r *reader) i32s(n int) []int32 {
	if b := r.peek(4 * n); b != nil {
		out := make([]int32, n)
		if copyRaw(out, b) {
			r.take(len(b))
			return out
		}
	}
	b := r.take(4 * n)
	out := make([]int32, n)
	for i := range out {
		if b == nil {
			break
		}
		out[i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return out
}

func (r *reader) i64s(n int) []int64 {
	if b := r.peek(8 * n); b != nil {
		out := make([]int64, n)
		if copyRaw(out, b) {
			r.take(len(b))
			return out
		}
	}
	b := r.take(8 * n)
	out := make([]int64, n)
	for i := range out {
		if b == nil {
			break
		}
		out[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out
}

func (r *reader) f64s(n int) []float64 {
	if b := r.peek(8 * n); b != nil {
		out := make([]float64, n)
		if copyRaw(out, b) {
			r.take(len(b))
			return out
		}
	}
	b := r.take(8 * n)
	out := make([]float64, n)
	for i := range out {
		if b == nil {
			break
		}
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out
}

// strings reads a string list; all of them share one allocation.
func (r *reader) strings() []string {
	n := r.count()
	lens := r.u32s(n)
	total := 0
	for _, l := range lens {
		total += int(l)
	}
	block := string(r.take(total))
	if r.err != nil {
		return nil
	}
	out := make([]string, n)
	at := 0
	for i, l := range lens {
		out[i] = block[at : at+int(l)]
		at += int(l)
	}
	return out
}

func (r *reader) u64s(n int) []uint64 {
	if b := r.peek(8 * n); b != nil {
		out := make([]uint64, n)
		if copyRaw(out, b) {
			r.take(len(b))
			return out
		}
	}
	b := r.take(8 * n)
	out := make([]uint64, n)
	for i := range out {
		if b == nil {
			break
		}
		out[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return out
}

// ranges reads one column's range marks and order over n slots. Bounds
// out of order, marks not nested or slots past the last make the file
// stale, since a query would read or write beyond the column's end.
func (r *reader) ranges(n int) *ranges {
	m := r.count()
	if r.err == nil && m > max(exactBelow, maxBounds) {
		r.err = fmt.Errorf("%w: %d range bounds", ErrStale, m)
	}
	g := &ranges{n: n, bounds: r.i32s(m)}
	lohi := r.i32s(2)
	g.lo, g.hi = lohi[0], lohi[1]
	g.chosenFor = r.count()
	for k := 0; r.err == nil && k < m; k++ {
		if k > 0 && g.bounds[k] <= g.bounds[k-1] {
			r.err = fmt.Errorf("%w: range bounds out of order", ErrStale)
		}
		mk := r.u64s(words(n))
		if len(mk) > 0 && mk[len(mk)-1]&^lastMask(n) != 0 {
			r.err = fmt.Errorf("%w: range mark past the last session", ErrStale)
		}
		g.marks = append(g.marks, mk)
		c := 0
		for _, w := range mk {
			c += bits.OnesCount64(w)
		}
		if k > 0 && c < g.below[k-1] {
			r.err = fmt.Errorf("%w: range marks not nested", ErrStale)
		}
		g.below = append(g.below, c)
	}
	if p := r.count(); p > 0 {
		if p != n {
			r.err = fmt.Errorf("%w: range order of %d slots, want %d", ErrStale, p, n)
		}
		g.perm = r.u32s(p)
		for _, s := range g.perm {
			if int(s) >= n {
				r.err = fmt.Errorf("%w: range order past the last session", ErrStale)
				break
			}
		}
	}
	return g
}

func read(data []byte) (*Index, error) {
	if len(data) < len(fileMagic) || string(data[:len(fileMagic)]) != fileMagic {
		return nil, fmt.Errorf("%w: not an index file of this version", ErrStale)
	}
	r := &reader{b: data[len(fileMagic):]}
	head := r.i64s(4)
	if r.err != nil {
		return nil, r.err
	}
	x := newIndex()
	x.gen = Generation{Appended: head[0], Changed: head[1]}
	x.maxRID = head[2]
	n := int(head[3])
	if n < 0 || n > math.MaxInt32 {
		return nil, fmt.Errorf("%w: %d sessions", ErrStale, n)
	}
	x.ids = r.strings()
	if r.err == nil && len(x.ids) != n {
		r.err = fmt.Errorf("%w: session count", ErrStale)
	}
	if r.err != nil {
		return nil, r.err
	}
	x.rids = r.i64s(n)
	x.started = r.i64s(n)
	x.score = r.f64s(n)
	for i := range x.nums {
		x.nums[i] = r.i32s(n)
	}
	for i := range x.texts {
		x.texts[i].words = r.strings()
		x.texts[i].codes = r.u32s(n)
		for _, c := range x.texts[i].codes {
			if r.err == nil && int(c) >= len(x.texts[i].words) {
				r.err = fmt.Errorf("%w: text code out of range", ErrStale)
			}
		}
	}
	for _, name := range r.strings() {
		b := r.take(r.count())
		if r.err != nil {
			break
		}
		bm := roaring.New()
		if _, err := bm.FromBuffer(b); err != nil {
			return nil, fmt.Errorf("%w: tag %q: %w", ErrStale, name, err)
		}
		x.tags[name] = bm
	}
	for k := range x.facts {
		m := r.count()
		f := &x.facts[k]
		f.off = r.u32s(n + 1)
		f.val = r.u32s(m)
		f.at = r.i32s(m)
		if p := r.count(); p > 0 {
			f.page = r.u32s(p)
			if r.err == nil && p != m {
				r.err = fmt.Errorf("%w: click pages", ErrStale)
			}
		}
		for i := 0; r.err == nil && i < n; i++ {
			if f.off[i] > f.off[i+1] || int(f.off[i+1]) > m {
				r.err = fmt.Errorf("%w: fact offsets", ErrStale)
			}
		}
	}
	for k := range x.dicts {
		m := r.count()
		x.dicts[k].ids = r.u32s(m)
		x.dicts[k].vals = r.strings()
		if r.err == nil && len(x.dicts[k].vals) != m {
			r.err = fmt.Errorf("%w: dictionary size", ErrStale)
		}
	}
	for i := range x.ranges {
		x.ranges[i] = r.ranges(n)
	}
	x.visitor = r.u32s(n)
	clicks := &x.facts[kindSlot(step.Click)]
	if m := r.count(); r.err == nil {
		if m != len(clicks.val) {
			r.err = fmt.Errorf("%w: click flags", ErrStale)
		}
		clicks.flags = r.bytes(m)
	}
	m := r.count()
	x.errs.off = r.u32s(n + 1)
	x.errs.val = r.u32s(m)
	for i := 0; r.err == nil && i < n; i++ {
		if x.errs.off[i] > x.errs.off[i+1] || int(x.errs.off[i+1]) > m {
			r.err = fmt.Errorf("%w: error offsets", ErrStale)
		}
	}
	m = r.count()
	x.messages.ids = r.u32s(m)
	x.messages.vals = r.strings()
	if r.err == nil && len(x.messages.vals) != m {
		r.err = fmt.Errorf("%w: message dictionary size", ErrStale)
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = fmt.Errorf("%w: %d bytes after the end", ErrStale, len(r.b))
	}
	if r.err != nil {
		return nil, r.err
	}
	return x, nil
}

// bytes reads n bytes into a slice of their own (the file's buffer is not
// kept).
func (r *reader) bytes(n int) []uint8 {
	b := r.take(n)
	if b == nil {
		return make([]uint8, n)
	}
	return append([]uint8(nil), b...)
}
