package index

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/loupe-dev/loupe/core/funnel/step"
)

// ErrOutOfRange marks a workspace value the index cannot hold (an integer
// column beyond 32 bits); callers then use the workspace's queries.
var ErrOutOfRange = errors.New("index: value out of range")

// ReadGeneration reads the workspace's change counters.
func ReadGeneration(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (Generation, error) {
	var g Generation
	if err := q.QueryRowContext(ctx, `SELECT appended, changed FROM index_generation WHERE id = 1`).Scan(&g.Appended, &g.Changed); err != nil {
		return g, fmt.Errorf("index generation: %w", err)
	}
	return g, nil
}

// Build reads a whole workspace into a new index.
func Build(ctx context.Context, db *sql.DB) (*Index, error) {
	return extend(ctx, db, newIndex())
}

// Refresh returns an index that reflects the workspace now: x itself when
// nothing changed, x extended with the sessions imported since when only
// imports happened, else a rebuild.
func (x *Index) Refresh(ctx context.Context, db *sql.DB) (*Index, error) {
	g, err := ReadGeneration(ctx, db)
	if err != nil {
		return nil, err
	}
	var maxRID int64
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(rid), 0) FROM sessions`).Scan(&maxRID); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	switch {
	case g == x.gen && maxRID == x.maxRID:
		return x, nil
	case g.Changed == x.gen.Changed && g.Appended > x.gen.Appended:
		return extend(ctx, db, x.clone())
	}
	return Build(ctx, db)
}

// clone copies the slice headers so that extending never writes into
// memory an older index's readers can see: appends past the old length go
// to fresh backing arrays.
func (x *Index) clone() *Index {
	y := *x
	y.order = &byStart{}
	y.idOrder = &idOrder{}
	clip := func(s []int32) []int32 { return s[:len(s):len(s)] }
	y.ids = x.ids[:len(x.ids):len(x.ids)]
	y.rids = x.rids[:len(x.rids):len(x.rids)]
	y.started = x.started[:len(x.started):len(x.started)]
	y.score = x.score[:len(x.score):len(x.score)]
	y.nums = make([][]int32, len(x.nums))
	for i := range x.nums {
		y.nums[i] = clip(x.nums[i])
	}
	y.ranges = slices.Clone(x.ranges) // extending replaces entries, never edits them
	y.texts = make([]text, len(x.texts))
	for i, t := range x.texts {
		y.texts[i] = text{codes: t.codes[:len(t.codes):len(t.codes)], words: t.words[:len(t.words):len(t.words)]}
	}
	y.tags = make(map[string]*roaring.Bitmap, len(x.tags))
	for k, b := range x.tags {
		y.tags[k] = b.Clone()
	}
	for k, f := range x.facts {
		y.facts[k] = f.clip()
	}
	y.errs = x.errs.clip()
	y.visitor = x.visitor[:len(x.visitor):len(x.visitor)]
	return &y
}

// clip caps every array at its length, so appends copy.
func (f facts) clip() facts {
	return facts{off: f.off[:len(f.off):len(f.off)], val: f.val[:len(f.val):len(f.val)], at: f.at[:len(f.at):len(f.at)],
		page: f.page[:len(f.page):len(f.page)], flags: f.flags[:len(f.flags):len(f.flags)]}
}

// extend appends the sessions after x.maxRID, read in one snapshot.
func extend(ctx context.Context, db *sql.DB, x *Index) (*Index, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	defer conn.Close()
	// A deferred read transaction: one consistent snapshot under WAL
	// without taking the write lock the workspace's DSN asks BEGIN for.
	if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `COMMIT`)
	if x.gen, err = ReadGeneration(ctx, conn); err != nil {
		return nil, err
	}
	first := len(x.ids)
	after := x.maxRID
	if err := x.loadSessions(ctx, conn, after); err != nil {
		return nil, err
	}
	x.indexRanges()
	if err := x.loadTags(ctx, conn, after, first); err != nil {
		return nil, err
	}
	for slot, k := range kinds {
		if err := x.loadFacts(ctx, conn, &x.facts[slot], factTables[k], after, first); err != nil {
			return nil, err
		}
	}
	if err := x.loadFacts(ctx, conn, &x.errs, errorTable, after, first); err != nil {
		return nil, err
	}
	if err := x.loadDicts(ctx, conn); err != nil {
		return nil, err
	}
	return x, nil
}

func (x *Index) loadSessions(ctx context.Context, conn *sql.Conn, after int64) error {
	rows, err := conn.QueryContext(ctx, `SELECT s.rid, s.id, coalesce((SELECT name FROM sites WHERE sites.id = s.site_id), ''),
		s.device, s.browser, s.os, s.country, coalesce(s.visitor_id, 0), s.started_at,
		s.duration_ms, s.pageviews, s.clicks, s.rage_clicks, s.dead_clicks, s.error_clicks, s.js_errors,
		s.failed_requests, s.events, s.viewport_w, s.viewport_h, s.score
		FROM sessions s WHERE s.rid > ? ORDER BY s.rid`, after)
	if err != nil {
		return fmt.Errorf("index sessions: %w", err)
	}
	defer rows.Close()
	codes := make([]map[string]uint32, len(textFields))
	for i, t := range x.texts {
		codes[i] = make(map[string]uint32, len(t.words))
		for c, w := range t.words {
			codes[i][w] = uint32(c)
		}
	}
	var (
		rid, started int64
		visitor      int64
		id           string
		txt          = make([]string, len(textFields))
		num          = make([]int64, len(numberFields))
		score        float64
	)
	dest := []any{&rid, &id}
	for i := range txt {
		dest = append(dest, &txt[i])
	}
	dest = append(dest, &visitor, &started)
	for i := range num {
		dest = append(dest, &num[i])
	}
	dest = append(dest, &score)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("index sessions: %w", err)
		}
		if visitor < 0 || visitor > math.MaxUint32 {
			return fmt.Errorf("%w: visitor id %d in session %s", ErrOutOfRange, visitor, id)
		}
		x.visitor = append(x.visitor, uint32(visitor))
		x.rids = append(x.rids, rid)
		x.ids = append(x.ids, id)
		x.started = append(x.started, started)
		x.score = append(x.score, score)
		for i, v := range num {
			if v < math.MinInt32 || v > math.MaxInt32 {
				return fmt.Errorf("%w: %s %d in session %s", ErrOutOfRange, numberFields[i], v, id)
			}
			x.nums[i] = append(x.nums[i], int32(v))
		}
		for i, w := range txt {
			c, ok := codes[i][w]
			if !ok {
				c = uint32(len(x.texts[i].words))
				codes[i][w] = c
				x.texts[i].words = append(x.texts[i].words, w)
			}
			x.texts[i].codes = append(x.texts[i].codes, c)
		}
		x.maxRID = rid
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index sessions: %w", err)
	}
	return nil
}

// slotOf finds the slot of a session rid among slots [first, len).
func (x *Index) slotOf(rid int64, first int) (int, bool) {
	s := x.rids[first:]
	i := sort.Search(len(s), func(i int) bool { return s[i] >= rid })
	if i < len(s) && s[i] == rid {
		return first + i, true
	}
	return 0, false
}

func (x *Index) loadTags(ctx context.Context, conn *sql.Conn, after int64, first int) error {
	rows, err := conn.QueryContext(ctx, `SELECT sid, tag FROM tags WHERE sid > ?`, after)
	if err != nil {
		return fmt.Errorf("index tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid int64
		var tag string
		if err := rows.Scan(&sid, &tag); err != nil {
			return fmt.Errorf("index tags: %w", err)
		}
		i, ok := x.slotOf(sid, first)
		if !ok {
			continue
		}
		b := x.tags[tag]
		if b == nil {
			b = roaring.New()
			x.tags[tag] = b
		}
		b.Add(uint32(i))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index tags: %w", err)
	}
	for _, b := range x.tags {
		b.RunOptimize()
	}
	return nil
}

// factTable is where one kind of fact is read from: its table, value
// column and recorded order, and what besides the value is kept.
type factTable struct {
	name, value, order string
	at                 bool // offsets into the session
	page               bool // the click's page and flags (clicks only)
}

// factTables are each kind's table, read in primary key order: session,
// then recorded order.
var factTables = map[step.Kind]factTable{
	step.Page:  {name: "pageviews", value: "path_id", order: "idx", at: true},
	step.Input: {name: "inputs", value: "selector_id", order: "seq", at: true},
	step.Click: {name: "clicks", value: "selector_id", order: "seq", at: true, page: true},
	step.Event: {name: "custom_events", value: "name_id", order: "seq", at: true},
}

// errorTable holds the JS error messages, for the dashboard's top errors.
var errorTable = factTable{name: "errors", value: "message_id", order: "seq"}

// loadFacts appends to f the facts in table t of the slots from first on
// (sessions with rid > after), in recorded order.
func (x *Index) loadFacts(ctx context.Context, conn *sql.Conn, f *facts, t factTable, after int64, first int) error {
	page, flags := "0", "0"
	if t.page {
		page, flags = "path_id", "flags"
	}
	rows, err := conn.QueryContext(ctx, `SELECT sid, `+t.value+`, offset_ms, `+page+`, `+flags+` FROM `+t.name+` WHERE sid > ? ORDER BY sid, `+t.order, after)
	if err != nil {
		return fmt.Errorf("index %s: %w", t.name, err)
	}
	defer rows.Close()
	cur := first // next slot whose offsets are not yet closed
	for rows.Next() {
		var sid, val, at, pathID, flag int64
		if err := rows.Scan(&sid, &val, &at, &pathID, &flag); err != nil {
			return fmt.Errorf("index %s: %w", t.name, err)
		}
		i, ok := x.slotOf(sid, cur)
		if !ok {
			continue
		}
		for ; cur < i; cur++ {
			f.off = append(f.off, uint32(len(f.val)))
		}
		if val < 0 || val > math.MaxUint32 {
			return fmt.Errorf("%w: %s id %d", ErrOutOfRange, t.name, val)
		}
		f.val = append(f.val, uint32(val))
		if t.at {
			f.at = append(f.at, int32(min(max(at, 0), math.MaxInt32)))
		}
		if t.page {
			if flag < 0 || flag > math.MaxUint8 {
				return fmt.Errorf("%w: click flags %d", ErrOutOfRange, flag)
			}
			f.page = append(f.page, uint32(min(max(pathID, 0), math.MaxUint32)))
			f.flags = append(f.flags, uint8(flag))
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index %s: %w", t.name, err)
	}
	for ; cur < len(x.ids); cur++ {
		f.off = append(f.off, uint32(len(f.val)))
	}
	if len(f.val) > math.MaxUint32 {
		return fmt.Errorf("%w: %d %s rows", ErrOutOfRange, len(f.val), t.name)
	}
	return nil
}

func (x *Index) loadDicts(ctx context.Context, conn *sql.Conn) error {
	queries := []string{
		`SELECT id, path FROM paths`,
		`SELECT id, selector FROM selectors`,
		`SELECT id, selector FROM selectors`,
		`SELECT id, s FROM strs WHERE id IN (SELECT DISTINCT name_id FROM custom_events)`,
		`SELECT id, s FROM strs WHERE id IN (SELECT DISTINCT message_id FROM errors)`,
	}
	for slot, q := range queries {
		if slot == 2 {
			x.dicts[2] = x.dicts[1]
			continue
		}
		rows, err := conn.QueryContext(ctx, q)
		if err != nil {
			return fmt.Errorf("index dictionary: %w", err)
		}
		var d dict
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return fmt.Errorf("index dictionary: %w", err)
			}
			if id < 0 || id > math.MaxUint32 {
				rows.Close()
				return fmt.Errorf("%w: dictionary id %d", ErrOutOfRange, id)
			}
			d.ids = append(d.ids, uint32(id))
			d.vals = append(d.vals, v)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("index dictionary: %w", err)
		}
		if slot < len(x.dicts) {
			x.dicts[slot] = d
		} else {
			x.messages = d
		}
	}
	return nil
}
