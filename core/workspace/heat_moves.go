package workspace

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/loupe-dev/loupe/core/heatmap"
)

// A heat-moves row packs the mouse positions of one session on one page,
// the way a heat row packs its clicks (heat_rows.go): a move heatmap
// reads one range of bytes per matching page instead of every session's
// positions, and needs no other table for the viewport width. Rows are
// concatenated by the query, so each is self-delimiting:
//
//	uvarint len, then len bytes:
//	uvarint sid, varint viewport width, uvarint pageviews, each:
//	  uvarint pageview index, uvarint positions in the blob,
//	  uvarint n, n bytes of a moves.points blob
//
// Pageviews are in index order. The blobs are those of the moves table
// (encodePoints), which keeps the same positions keyed by session.

// heatMovePageview is one pageview's positions in a heat-moves row.
type heatMovePageview struct {
	pageview int64
	count    int64 // positions in points (countPoints), so a heatmap counts them without a pass over the bytes
	points   []byte
}

// heatMovesRow is one decoded heat-moves row; points alias the bytes read.
type heatMovesRow struct {
	sid       int64
	vw        int64
	pageviews []heatMovePageview
}

func appendHeatMovesRow(dst []byte, r *heatMovesRow) []byte {
	n := 8
	for _, p := range r.pageviews {
		n += 9 + len(p.points)
	}
	body := make([]byte, 0, n)
	body = binary.AppendUvarint(body, uint64(r.sid))
	body = binary.AppendVarint(body, r.vw)
	body = binary.AppendUvarint(body, uint64(len(r.pageviews)))
	for _, p := range r.pageviews {
		body = binary.AppendUvarint(body, uint64(p.pageview))
		body = binary.AppendUvarint(body, uint64(p.count))
		body = binary.AppendUvarint(body, uint64(len(p.points)))
		body = append(body, p.points...)
	}
	dst = binary.AppendUvarint(dst, uint64(len(body)))
	return append(dst, body...)
}

// nextMoves decodes the following heat-moves row into r (reusing its
// slice); false at the end or on damage (then h.err is set).
func (h *heatReader) nextMoves(r *heatMovesRow) bool {
	return h.row(func() {
		r.sid = h.uvarint()
		r.vw = h.varint()
		np := h.uvarint()
		r.pageviews = r.pageviews[:0]
		for i := int64(0); i < np && h.err == nil; i++ {
			pv, count, size := h.uvarint(), h.uvarint(), h.uvarint()
			if h.err != nil || size < 0 || size > int64(len(h.b)) || count < 0 {
				h.fail()
				return
			}
			r.pageviews = append(r.pageviews, heatMovePageview{pageview: pv, count: count, points: h.b[:size:size]})
			h.b = h.b[size:]
		}
	})
}

// putHeatMoves stores one heat-moves row per page the session moved the
// mouse on, from the blobs putMoves stored.
func (b *Batch) putHeatMoves(sid int64, vw int, blobs []pageviewPoints) error {
	for _, g := range groupHeatMoves(sid, vw, blobs) {
		if _, err := b.st.addHeatMoves.ExecContext(b.ctx, g.path, sid, appendHeatMovesRow(nil, g.row)); err != nil {
			return fmt.Errorf("add heat moves: %w", err)
		}
	}
	return nil
}

// pageHeatMoves is a heat-moves row and the page it belongs to.
type pageHeatMoves struct {
	path int64
	row  *heatMovesRow
}

// groupHeatMoves makes a session's heat-moves rows: one per page, in the
// order the pages first come, each with its pageviews in index order.
func groupHeatMoves(sid int64, vw int, blobs []pageviewPoints) []pageHeatMoves {
	var out []pageHeatMoves
	for _, p := range blobs {
		i := slices.IndexFunc(out, func(g pageHeatMoves) bool { return g.path == p.path })
		if i < 0 {
			i = len(out)
			out = append(out, pageHeatMoves{path: p.path, row: &heatMovesRow{sid: sid, vw: int64(vw)}})
		}
		r := out[i].row
		r.pageviews = append(r.pageviews, heatMovePageview{pageview: int64(p.pageview), count: int64(p.count), points: p.points})
	}
	for _, g := range out {
		slices.SortStableFunc(g.row.pageviews, func(x, y heatMovePageview) int { return int(x.pageview - y.pageview) })
	}
	return out
}

// pageviewPoints is one pageview's packed positions, how many they are,
// and its path id.
type pageviewPoints struct {
	pageview int
	path     int64
	count    int
	points   []byte
}

// moveCursor walks one page's heat-moves rows, skipping sessions out of
// scope (nil scope: every session).
type moveCursor struct {
	path int64
	r    heatReader
	row  heatMovesRow
}

func (c *moveCursor) session() int64 { return c.row.sid }

func (c *moveCursor) advance(scope HeatmapScope) bool {
	for c.r.nextMoves(&c.row) {
		if scope.has(c.row.sid) {
			return true
		}
	}
	return false
}

func (c *moveCursor) damage() error {
	if c.r.err != nil {
		return fmt.Errorf("heatmap moves of path %d: %w", c.path, c.r.err)
	}
	return nil
}

// heatmapMovesByPage adds the mouse positions of the matching pages from
// their heat-moves rows. The rows are read twice: first to count the
// positions in scope (the accumulator keeps an even sample past
// heatmap.MaxMovePoints and must know how many come), then to add them,
// session by session in id order and each session's pageviews in index
// order, the order the reference adds them in.
func (db *DB) heatmapMovesByPage(ctx context.Context, a *heatmap.Accumulator, scope HeatmapScope, paths []int64) error {
	blobs, err := db.packedRows(ctx, "heat_moves", paths)
	if err != nil {
		return fmt.Errorf("heatmap: %w", err)
	}
	total := 0
	for i, id := range paths {
		c := moveCursor{path: id, r: heatReader{b: blobs[i]}}
		for c.advance(scope) {
			for _, p := range c.row.pageviews {
				total += int(p.count)
			}
		}
		if err := c.damage(); err != nil {
			return err
		}
	}
	a.ExpectMoves(total)
	cursors := make([]*moveCursor, 0, len(paths))
	for i, id := range paths {
		c := &moveCursor{path: id, r: heatReader{b: blobs[i]}}
		if c.advance(scope) {
			cursors = append(cursors, c)
		}
	}
	var xy []int32
	add := func(vw int, points []byte) {
		xy = appendPoints(xy[:0], points)
		a.AddMovesAt(vw, xy)
	}
	var pvs []heatMovePageview
	return bySession(cursors, scope, func(same []*moveCursor) {
		vw := int(same[0].row.vw)
		if len(same) == 1 {
			for _, p := range same[0].row.pageviews {
				add(vw, p.points)
			}
			return
		}
		// The session moved on several matching pages: its pageviews are
		// put back in index order.
		pvs = pvs[:0]
		for _, c := range same {
			pvs = append(pvs, c.row.pageviews...)
		}
		slices.SortStableFunc(pvs, func(x, y heatMovePageview) int { return int(x.pageview - y.pageview) })
		for _, p := range pvs {
			add(vw, p.points)
		}
	})
}

// RebuildHeatMoves refills heat_moves from the moves table in one
// transaction and marks them complete: once, for a workspace with
// sessions imported before heat_moves existed, on its first move heatmap
// (about a second at 100k sessions).
func (db *DB) RebuildHeatMoves(ctx context.Context) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rebuild heat moves: %w", err)
	}
	defer tx.Rollback()
	if err := rebuildHeatMoves(ctx, tx); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE heat_state SET moves = 1`); err != nil {
		return fmt.Errorf("rebuild heat moves: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rebuild heat moves: %w", err)
	}
	return nil
}

// rebuildHeatMoves refills heat_moves from the moves table inside tx,
// a session at a time in id order (RebuildHeatMoves, RebuildHeatRows).
func rebuildHeatMoves(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM heat_moves`); err != nil {
		return fmt.Errorf("rebuild heat moves: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT m.sid, s.viewport_w, m.pageview, m.path_id, m.points
		FROM moves m JOIN sessions s ON s.rid = m.sid ORDER BY m.sid, m.pageview`)
	if err != nil {
		return fmt.Errorf("rebuild heat moves: %w", err)
	}
	defer rows.Close()
	insert, err := tx.PrepareContext(ctx, `INSERT INTO heat_moves (path_id, sid, data) VALUES (?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("rebuild heat moves: %w", err)
	}
	defer insert.Close()
	var cur int64 = -1
	var vw int
	var pending []pageviewPoints
	flush := func() error {
		for _, g := range groupHeatMoves(cur, vw, pending) {
			if _, err := insert.ExecContext(ctx, g.path, cur, appendHeatMovesRow(nil, g.row)); err != nil {
				return fmt.Errorf("rebuild heat moves: %w", err)
			}
		}
		pending = pending[:0]
		return nil
	}
	for rows.Next() {
		var sid int64
		var p pageviewPoints
		var w int
		if err := rows.Scan(&sid, &w, &p.pageview, &p.path, &p.points); err != nil {
			return fmt.Errorf("rebuild heat moves: %w", err)
		}
		p.count = countPoints(p.points)
		if sid != cur {
			if err := flush(); err != nil {
				return err
			}
			cur, vw = sid, w
		}
		pending = append(pending, p)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("rebuild heat moves: %w", err)
	}
	return flush()
}
