package workspace

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/loupe-dev/loupe/core"
)

// A heat row packs what a heatmap needs of one session on one page, so a
// heatmap reads a few long ranges of bytes instead of hundreds of
// thousands of SQL rows (SQLite's per-row cost dominated the query).
// Rows are concatenated by the query, so each is self-delimiting:
//
//	uvarint len, then len bytes:
//	uvarint sid, varint viewport width,
//	uvarint pageviews, each: varint doc height, varint round(scroll % × 100)
//	uvarint clicks, each: uvarint seq delta, varint x, varint y,
//	  varint round(rel_x × 1e4), varint round(rel_y × 1e4),
//	  uvarint selector id << 3 | flags
//
// Values are rounded and clamped exactly as heatmap.FromFacts does.

// heatClick is one click of a heat row.
type heatClick struct {
	seq        int64
	x, y       int64
	relX, relY int64 // × 1e4
	selector   int64
	flags      int64
}

// heatPageview is one pageview of a heat row.
type heatPageview struct {
	docHeight, scroll int64 // scroll: percent × 100
}

// heatRow is one decoded row.
type heatRow struct {
	sid       int64
	vw        int64
	pageviews []heatPageview
	clicks    []heatClick
}

// errHeatRow marks a damaged packed heat row.
var errHeatRow = errors.New("damaged heat row")

func clampInt(v, lo, hi int64) int64 { return max(lo, min(hi, v)) }

// heatRel is a position inside an element as the heatmap keeps it.
func heatRel(v float64) int64 {
	if math.IsNaN(v) {
		return 0
	}
	return int64(math.Round(max(-1, min(2, v)) * 10000))
}

// heatScroll is a scroll depth in hundredths of a percent.
func heatScroll(v float64) int64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return int64(math.Round(v * 100))
}

func appendHeatRow(dst []byte, r *heatRow) []byte {
	body := make([]byte, 0, 8+4*len(r.pageviews)+12*len(r.clicks))
	body = binary.AppendUvarint(body, uint64(r.sid))
	body = binary.AppendVarint(body, r.vw)
	body = binary.AppendUvarint(body, uint64(len(r.pageviews)))
	for _, p := range r.pageviews {
		body = binary.AppendVarint(body, p.docHeight)
		body = binary.AppendVarint(body, p.scroll)
	}
	body = binary.AppendUvarint(body, uint64(len(r.clicks)))
	var prev int64
	for _, c := range r.clicks {
		body = binary.AppendUvarint(body, uint64(c.seq-prev))
		prev = c.seq
		body = binary.AppendVarint(body, c.x)
		body = binary.AppendVarint(body, c.y)
		body = binary.AppendVarint(body, c.relX)
		body = binary.AppendVarint(body, c.relY)
		body = binary.AppendUvarint(body, uint64(c.selector)<<3|uint64(c.flags&7))
	}
	dst = binary.AppendUvarint(dst, uint64(len(body)))
	return append(dst, body...)
}

// heatReader decodes concatenated heat rows.
type heatReader struct {
	b   []byte
	err error
}

// uvarint and varint read the next number; on damage they set h.err and
// empty h.b, so every later read returns 0 and the caller checks h.err
// once per row. Most numbers in a heat row take one or two bytes, which
// are read without the general loop (a fifth of a heatmap's time went to
// it).
func (h *heatReader) uvarint() int64 {
	// Kept small enough to be inlined.
	if len(h.b) == 0 || h.b[0] >= 0x80 {
		return h.uvarintLong()
	}
	v := h.b[0]
	h.b = h.b[1:]
	return int64(v)
}

func (h *heatReader) uvarintLong() int64 {
	b := h.b
	if len(b) > 1 && b[1] < 0x80 {
		h.b = b[2:]
		return int64(b[0]&0x7f) | int64(b[1])<<7
	}
	v, n := binary.Uvarint(b)
	if n <= 0 {
		h.fail()
		return 0
	}
	h.b = b[n:]
	return int64(v)
}

func (h *heatReader) varint() int64 {
	u := uint64(h.uvarint())
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (h *heatReader) fail() {
	if h.err == nil {
		h.err = errHeatRow
	}
	h.b = nil
}

// heatCounts are how many pageviews and clicks some heat rows
// hold.
type heatCounts struct{ pageviews, clicks int }

// countHeat adds up the pageviews and clicks of the rows in b of
// sessions in scope, reading only each row's session and counts: a
// heatmap reserves room with them, and a click heatmap samples its
// points evenly once it knows how many come.
func countHeat(b []byte, scope HeatmapScope, n *heatCounts) {
	h := heatReader{b: b}
	for len(h.b) > 0 && h.err == nil {
		size := h.uvarint()
		if h.err != nil || size < 0 || size > int64(len(h.b)) {
			return
		}
		row := heatReader{b: h.b[:size]}
		h.b = h.b[size:]
		if !scope.has(row.uvarint()) {
			continue
		}
		row.varint() // viewport width
		pv := row.uvarint()
		var pageviews int64
		for ; pv > 0 && row.err == nil; pv-- {
			row.varint()
			row.varint()
			pageviews++
		}
		if c := row.uvarint(); row.err == nil {
			n.pageviews += int(pageviews)
			n.clicks += int(c)
		}
	}
}

// row reads one length-prefixed row, its body decoded by body (which
// reads from h); false at the end or on damage (then h.err is set).
func (h *heatReader) row(body func()) bool {
	if len(h.b) == 0 || h.err != nil {
		return false
	}
	n := h.uvarint()
	if h.err != nil || n < 0 || n > int64(len(h.b)) {
		h.err = errHeatRow
		return false
	}
	rest := h.b[n:]
	h.b = h.b[:n]
	body()
	if h.err == nil && len(h.b) != 0 {
		h.err = errHeatRow
	}
	h.b = rest
	return h.err == nil
}

// next decodes the following row into r (reusing its slices); false at
// the end or on damage (then h.err is set).
func (h *heatReader) next(r *heatRow) bool {
	return h.row(func() {
		r.sid = h.uvarint()
		r.vw = h.varint()
		np := h.uvarint()
		r.pageviews = r.pageviews[:0]
		for i := int64(0); i < np && h.err == nil; i++ {
			r.pageviews = append(r.pageviews, heatPageview{docHeight: h.varint(), scroll: h.varint()})
		}
		nc := h.uvarint()
		r.clicks = r.clicks[:0]
		var seq int64
		for i := int64(0); i < nc && h.err == nil; i++ {
			seq += h.uvarint()
			c := heatClick{seq: seq, x: h.varint(), y: h.varint(), relX: h.varint(), relY: h.varint()}
			sf := h.uvarint()
			c.selector, c.flags = sf>>3, sf&7
			r.clicks = append(r.clicks, c)
		}
	})
}

// putHeatRows stores one heat row per page the session viewed or clicked
// on; path and selector ids come from the dictionary like the fact rows.
func (b *Batch) putHeatRows(sid int64, f *core.Facts) error {
	ctx, d := b.ctx, b.dict
	rows := map[int64]*heatRow{}
	var order []int64
	row := func(path string) (*heatRow, error) {
		id, err := d.id(ctx, dictPaths, path)
		if err != nil {
			return nil, err
		}
		r := rows[id]
		if r == nil {
			r = &heatRow{sid: sid, vw: int64(f.Session.Viewport.W)}
			rows[id] = r
			order = append(order, id)
		}
		return r, nil
	}
	for _, p := range f.Pageviews {
		r, err := row(p.Path)
		if err != nil {
			return err
		}
		r.pageviews = append(r.pageviews, heatPageview{docHeight: int64(p.DocHeight), scroll: heatScroll(p.ScrollPct)})
	}
	for i, c := range f.Clicks {
		r, err := row(c.Path)
		if err != nil {
			return err
		}
		sel, err := d.id(ctx, dictSelectors, c.Selector)
		if err != nil {
			return err
		}
		r.clicks = append(r.clicks, heatClick{seq: int64(i),
			x: clampInt(roundPx(c.X), -100000, 150000), y: clampInt(roundPx(c.Y), -100000, 1997151),
			relX: heatRel(c.RelX), relY: heatRel(c.RelY), selector: sel,
			flags: int64(flag(c.Rage, clickRage) | flag(c.Dead, clickDead) | flag(c.Error, clickError))})
	}
	for _, id := range order {
		if _, err := b.st.addHeatRow.ExecContext(ctx, id, sid, appendHeatRow(nil, rows[id])); err != nil {
			return fmt.Errorf("add heat row: %w", err)
		}
	}
	return nil
}

// RebuildHeatRows refills heat_rows from the fact tables, and heat_moves
// from the moves table, in one transaction and marks them complete: once, for a workspace with
// sessions imported before heat rows existed. It reads the sessions,
// pageviews and clicks side by side in session order, so memory stays
// flat at any size.
func (db *DB) RebuildHeatRows(ctx context.Context) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rebuild heat rows: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM heat_rows`); err != nil {
		return fmt.Errorf("rebuild heat rows: %w", err)
	}
	sessions, err := tx.QueryContext(ctx, `SELECT rid, viewport_w FROM sessions ORDER BY rid`)
	if err != nil {
		return fmt.Errorf("rebuild heat rows: %w", err)
	}
	defer sessions.Close()
	pvs, err := newFactCursor(ctx, tx, `SELECT sid, path_id, doc_height, scroll_pct, 0, 0, 0, 0, 0 FROM pageviews ORDER BY sid, idx`)
	if err != nil {
		return err
	}
	defer pvs.rows.Close()
	clicks, err := newFactCursor(ctx, tx, `SELECT sid, path_id, x, y, rel_x, rel_y, selector_id, flags, seq FROM clicks ORDER BY sid, seq`)
	if err != nil {
		return err
	}
	defer clicks.rows.Close()
	insert, err := tx.PrepareContext(ctx, `INSERT INTO heat_rows (path_id, sid, data) VALUES (?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("rebuild heat rows: %w", err)
	}
	defer insert.Close()
	for sessions.Next() {
		var sid, vw int64
		if err := sessions.Scan(&sid, &vw); err != nil {
			return fmt.Errorf("rebuild heat rows: %w", err)
		}
		rows := map[int64]*heatRow{}
		var order []int64
		row := func(path int64) *heatRow {
			r := rows[path]
			if r == nil {
				r = &heatRow{sid: sid, vw: vw}
				rows[path] = r
				order = append(order, path)
			}
			return r
		}
		for pvs.skipTo(sid) {
			v := &pvs.v
			row(v.path).pageviews = append(row(v.path).pageviews, heatPageview{docHeight: int64(v.f[0]), scroll: heatScroll(v.f[1])})
			pvs.next()
		}
		for clicks.skipTo(sid) {
			v := &clicks.v
			row(v.path).clicks = append(row(v.path).clicks, heatClick{seq: int64(v.f[6]),
				x: clampInt(roundPx(v.f[0]), -100000, 150000), y: clampInt(roundPx(v.f[1]), -100000, 1997151),
				relX: heatRel(v.f[2]), relY: heatRel(v.f[3]), selector: int64(v.f[4]), flags: int64(v.f[5]) & 7})
			clicks.next()
		}
		for _, path := range order {
			if _, err := insert.ExecContext(ctx, path, sid, appendHeatRow(nil, rows[path])); err != nil {
				return fmt.Errorf("rebuild heat rows: %w", err)
			}
		}
	}
	for _, err := range []error{sessions.Err(), pvs.err, clicks.err} {
		if err != nil {
			return fmt.Errorf("rebuild heat rows: %w", err)
		}
	}
	if err := rebuildHeatMoves(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE heat_state SET complete = 1, moves = 1`); err != nil {
		return fmt.Errorf("rebuild heat rows: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rebuild heat rows: %w", err)
	}
	return nil
}

// factCursor reads a fact table in session order, one row ahead: sid,
// path id and seven numbers.
type factCursor struct {
	rows *sql.Rows
	ok   bool
	err  error
	v    struct {
		sid, path int64
		f         [7]float64
	}
}

func newFactCursor(ctx context.Context, tx *sql.Tx, query string) (*factCursor, error) {
	rows, err := tx.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("rebuild heat rows: %w", err)
	}
	c := &factCursor{rows: rows}
	c.next()
	return c, nil
}

func (c *factCursor) next() {
	c.ok = c.rows.Next()
	if !c.ok {
		c.err = c.rows.Err()
		return
	}
	v := &c.v
	if err := c.rows.Scan(&v.sid, &v.path, &v.f[0], &v.f[1], &v.f[2], &v.f[3], &v.f[4], &v.f[5], &v.f[6]); err != nil {
		c.ok, c.err = false, err
	}
}

// skipTo passes rows of sessions before sid (none exist but for damage)
// and reports whether the current row is sid's.
func (c *factCursor) skipTo(sid int64) bool {
	for c.ok && c.v.sid < sid {
		c.next()
	}
	return c.ok && c.v.sid == sid
}
