package workspace

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/heatmap"
)

// Heatmap builds a heatmap over the workspace for a page glob, device and
// kind, with the same Data as heatmap.FromFacts over the sessions' facts.
//
// It reads the packed heat rows of the matching pages (heat_rows.go), one
// key range per page. A workspace with sessions imported before heat rows
// existed gets them rebuilt on its first heatmap.
func (db *DB) Heatmap(ctx context.Context, q heatmap.Query) (*heatmap.Data, error) {
	q, err := q.Normalize()
	if err != nil {
		return nil, err
	}
	// Without filters every session is in scope, and the rows carry the
	// viewport widths themselves.
	var scope HeatmapScope
	if q.Device != "" || q.Segment != nil || !q.From.IsZero() || !q.To.IsZero() {
		if scope, err = db.heatmapSessions(ctx, q); err != nil {
			return nil, err
		}
	}
	return db.heatmapIn(ctx, q, scope)
}

// HeatmapWithin is Heatmap over the sessions of scope, which already
// applies q's device, segment and period (the analytics index picks them
// in a millisecond; heatmapSessions reads every session row for them).
func (db *DB) HeatmapWithin(ctx context.Context, q heatmap.Query, scope HeatmapScope) (*heatmap.Data, error) {
	q, err := q.Normalize()
	if err != nil {
		return nil, err
	}
	if scope == nil {
		scope = HeatmapScope{} // no session, not every session
	}
	return db.heatmapIn(ctx, q, scope)
}

// heatmapIn is Heatmap over the sessions of scope (nil: every session).
func (db *DB) heatmapIn(ctx context.Context, q heatmap.Query, scope HeatmapScope) (*heatmap.Data, error) {
	var complete, haveMoves bool
	if err := db.db.QueryRowContext(ctx, `SELECT complete, moves FROM heat_state`).Scan(&complete, &haveMoves); err != nil {
		return nil, fmt.Errorf("heatmap: %w", err)
	}
	// Sessions from before heat rows, or before heat moves for a move
	// heatmap: fill them in once; should that fail (a busy or read-only
	// file), answer from the fact tables.
	switch {
	case !complete:
		if err := db.RebuildHeatRows(ctx); err != nil {
			return db.heatmapFromFacts(ctx, q, scope)
		}
	case !haveMoves && q.Kind == heatmap.Moves:
		if err := db.RebuildHeatMoves(ctx); err != nil {
			return db.heatmapFromFacts(ctx, q, scope)
		}
	}
	_, paths, err := db.pathCase(ctx, q.Page)
	if err != nil {
		return nil, err
	}
	a := heatmap.NewAccumulator(q)
	if len(paths) == 0 {
		return a.Data(), nil
	}
	// A move heatmap's positions are read and decoded on a second core
	// while this one adds the pageviews and clicks (they share nothing
	// but the scope, which both only read); on a busy machine that costs
	// nothing over doing one after the other.
	var moves *heatmap.Accumulator
	var movesDone chan error
	if q.Kind == heatmap.Moves {
		moves, movesDone = heatmap.NewAccumulator(q), make(chan error, 1)
		go func() { movesDone <- db.heatmapMovesByPage(ctx, moves, scope, paths) }()
	}
	waitMoves := func() error {
		if movesDone == nil {
			return nil
		}
		err := <-movesDone
		movesDone = nil
		return err
	}
	defer waitMoves() // an early return still waits for it
	selectors, err := db.selectorNames(ctx)
	if err != nil {
		return nil, err
	}
	blobs, err := db.packedRows(ctx, "heat_rows", paths)
	if err != nil {
		return nil, fmt.Errorf("heatmap: %w", err)
	}
	cursors := make([]*heatCursor, 0, len(paths))
	var counts heatCounts
	for i, id := range paths {
		blob := blobs[i]
		countHeat(blob, &counts)
		c := &heatCursor{path: id, r: heatReader{b: blob}}
		if c.advance(scope) {
			cursors = append(cursors, c)
		}
		if err := c.damage(); err != nil {
			return nil, err
		}
	}
	// Sessions out of scope make these upper bounds; room for a few too
	// many is cheaper than growing by doubling.
	a.Reserve(counts.pageviews, counts.clicks)
	// Clicks are counted by element here, by selector id, and handed
	// over as totals: a map lookup by selector per click cost a tenth of
	// the heatmap.
	elements := make([]heatmap.Element, len(selectors))
	points := a.WantsClickPoints()
	addClick := func(vw int, c *heatClick) {
		rage := c.flags&clickRage != 0
		if c.selector >= 0 && c.selector < int64(len(elements)) {
			e := &elements[c.selector]
			e.Clicks++
			if rage {
				e.Rage++
			}
			if c.flags&clickDead != 0 {
				e.Dead++
			}
			if c.flags&clickError != 0 {
				e.Error++
			}
		} else {
			a.AddElement(heatmap.Element{Clicks: 1, Rage: b2i(rage), Dead: b2i(c.flags&clickDead != 0), Error: b2i(c.flags&clickError != 0)})
		}
		if points {
			a.AddClickPoint(heatmap.Point{VW: vw, X: float64(c.x), Y: float64(c.y), RelX: float64(c.relX) / 10000,
				RelY: float64(c.relY) / 10000, Selector: selectors.name(c.selector)}, rage)
		}
	}
	// A session's clicks on several pages are merged by click order, the
	// order the facts have them in.
	var heads []int
	err = bySession(cursors, scope, func(same []*heatCursor) {
		vw := int(same[0].row.vw)
		counted := false
		for _, c := range same {
			for _, p := range c.row.pageviews {
				if !counted {
					a.CountSession()
					counted = true
				}
				a.AddSessionPageview(vw, int(p.docHeight), float64(p.scroll)/100)
			}
		}
		if len(same) == 1 {
			for i := range same[0].row.clicks {
				addClick(vw, &same[0].row.clicks[i])
			}
		} else {
			heads = mergeClicks(same, heads, func(c *heatClick) { addClick(vw, c) })
		}
	})
	if err != nil {
		return nil, err
	}
	for id, e := range elements {
		if e.Clicks > 0 {
			e.Selector = selectors[id]
			a.AddElement(e)
		}
	}
	if err := waitMoves(); err != nil {
		return nil, err
	}
	if moves != nil {
		a.TakeMoves(moves)
	}
	return a.Data(), nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// heatCursor walks one page's heat rows, skipping sessions out of scope.
type heatCursor struct {
	path int64
	r    heatReader
	row  heatRow
}

func (c *heatCursor) session() int64 { return c.row.sid }

func (c *heatCursor) advance(scope HeatmapScope) bool {
	for c.r.next(&c.row) {
		if scope.has(c.row.sid) {
			return true
		}
	}
	return false
}

func (c *heatCursor) damage() error {
	if c.r.err != nil {
		return fmt.Errorf("heatmap rows of path %d: %w", c.path, c.r.err)
	}
	return nil
}

// mergeClicks calls fn with the clicks of one session's rows on several
// pages in click order; each row's clicks are in that order already. heads
// is scratch space, returned for reuse.
func mergeClicks(rows []*heatCursor, heads []int, fn func(*heatClick)) []int {
	heads = heads[:0]
	for range rows {
		heads = append(heads, 0)
	}
	for {
		best := -1
		for i, c := range rows {
			if heads[i] == len(c.row.clicks) {
				continue
			}
			if best < 0 || c.row.clicks[heads[i]].seq < rows[best].row.clicks[heads[best]].seq {
				best = i
			}
		}
		if best < 0 {
			return heads
		}
		fn(&rows[best].row.clicks[heads[best]])
		heads[best]++
	}
}

// heatmapFromFacts is Heatmap over the fact tables, for workspaces whose
// heat rows are incomplete. It avoids joins and per-row reads: the
// sessions in scope, the matching path ids and the selector names are
// resolved first, then each fact table is scanned once in primary-key
// order and its matching rows come back packed in one string.
func (db *DB) heatmapFromFacts(ctx context.Context, q heatmap.Query, scope HeatmapScope) (*heatmap.Data, error) {
	if scope == nil {
		var err error
		if scope, err = db.heatmapSessions(ctx, q); err != nil {
			return nil, err
		}
	}
	pathCase, paths, err := db.pathCase(ctx, q.Page)
	if err != nil {
		return nil, err
	}
	a := heatmap.NewAccumulator(q)
	if len(paths) == 0 {
		return a.Data(), nil
	}
	err = db.eachPacked(ctx, `SELECT group_concat(sid || ':' || doc_height || ':' || CAST(round(scroll_pct * 100) AS INTEGER), ',')
		FROM pageviews NOT INDEXED WHERE `+pathCase+` <> 0`, 3, func(f []string) error {
		vw, ok := scope.vw(atoi(f[0]))
		if !ok {
			return nil
		}
		a.AddPageview(f[0], vw, int(atoi(f[1])), float64(atoi(f[2]))/100)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("heatmap pageviews: %w", err)
	}
	selectors, err := db.selectorNames(ctx)
	if err != nil {
		return nil, err
	}
	// Two packed integers per click keep SQLite's text building small:
	// position (x, y) and the rest (rel_x, rel_y, selector id, flags).
	err = db.eachPacked(ctx, `SELECT group_concat(sid || ':' ||
		(((max(min(CAST(x AS INTEGER), 150000), -100000) + 100000) << 21) | (max(min(CAST(y AS INTEGER), 1997151), -100000) + 100000)) || ':' ||
		(((CAST(round(max(min(rel_x, 2), -1) * 10000) AS INTEGER) + 10000) << 48) |
		 ((CAST(round(max(min(rel_y, 2), -1) * 10000) AS INTEGER) + 10000) << 33) | (selector_id << 3) | (flags & 7)), ',')
		FROM clicks NOT INDEXED WHERE `+pathCase+` <> 0`, 3, func(f []string) error {
		vw, ok := scope.vw(atoi(f[0]))
		if !ok {
			return nil
		}
		pos, rest := atoi(f[1]), atoi(f[2])
		p := heatmap.Point{VW: vw, X: float64(pos>>21 - 100000), Y: float64(pos&(1<<21-1) - 100000),
			RelX: float64(rest>>48&(1<<15-1)-10000) / 10000, RelY: float64(rest>>33&(1<<15-1)-10000) / 10000,
			Selector: selectors.name(rest >> 3 & (1<<30 - 1))}
		flags := rest & 7
		a.AddClick(p, flags&clickRage != 0, flags&clickDead != 0, flags&clickError != 0)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("heatmap clicks: %w", err)
	}
	if q.Kind == heatmap.Moves {
		if err := db.heatmapMovesFromFacts(ctx, a, scope, pathCase); err != nil {
			return nil, err
		}
	}
	return a.Data(), nil
}

// HeatmapScope holds, by session rid, the viewport width of each session
// a heatmap covers, -1 for the others and for rids past its end (rids are
// dense, so a slice beats a map).
type HeatmapScope []int32

// has reports whether the session rid is in scope; a nil scope holds
// every session.
func (h HeatmapScope) has(rid int64) bool {
	if h == nil {
		return true
	}
	_, ok := h.vw(rid)
	return ok
}

func (h HeatmapScope) vw(rid int64) (int, bool) {
	if rid < 0 || rid >= int64(len(h)) || h[rid] < 0 {
		return 0, false
	}
	return int(h[rid]), true
}

// heatmapSessions maps the rid of each session in scope (device and
// segment) to its viewport width. Sessions are told apart by rid, which
// counts them as well as their ids would.
func (db *DB) heatmapSessions(ctx context.Context, q heatmap.Query) (HeatmapScope, error) {
	var conds []string
	var args []any
	if q.Device != "" {
		conds = append(conds, "s.device = ? COLLATE NOCASE")
		args = append(args, q.Device)
	}
	if q.Segment != nil {
		w, a := segmentWhere(q.Segment)
		conds = append(conds, "("+w+")")
		args = append(args, a...)
	}
	if !q.From.IsZero() {
		conds = append(conds, "s.started_at >= ?")
		args = append(args, q.From.UnixMilli())
	}
	if !q.To.IsZero() {
		conds = append(conds, "s.started_at < ?")
		args = append(args, q.To.UnixMilli())
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	out := HeatmapScope{} // not nil, which would mean every session, when none matches
	err := db.eachPacked(ctx, `SELECT group_concat(s.rid || ':' || s.viewport_w, ',') FROM sessions s`+where, 2, func(f []string) error {
		rid := atoi(f[0])
		if rid < 0 || rid > 1<<31 {
			return fmt.Errorf("session rid %d out of range", rid)
		}
		for int64(len(out)) <= rid {
			out = append(out, -1)
		}
		out[rid] = int32(atoi(f[1]))
		return nil
	}, args...)
	if err != nil {
		return nil, fmt.Errorf("heatmap sessions: %w", err)
	}
	return out, nil
}

// pathCase is an SQL expression over path_id that is 1 for paths matching
// the glob (matched in Go, as the reference does) and 0 otherwise, and the
// ids of those paths.
func (db *DB) pathCase(ctx context.Context, glob string) (string, []int64, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, path FROM paths`)
	if err != nil {
		return "", nil, fmt.Errorf("heatmap paths: %w", err)
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteString("CASE path_id")
	var ids []int64
	for rows.Next() {
		var id int64
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			return "", nil, fmt.Errorf("heatmap paths: %w", err)
		}
		if step.MatchGlob(glob, p) {
			fmt.Fprintf(&b, " WHEN %d THEN 1", id)
			ids = append(ids, id)
		}
	}
	b.WriteString(" ELSE 0 END")
	return b.String(), ids, rows.Err()
}

// selectorNames are the selectors of the dictionary by id ("" for ids
// not in it).
type selectorNames []string

func (s selectorNames) name(id int64) string {
	if id < 0 || id >= int64(len(s)) {
		return ""
	}
	return s[id]
}

func (db *DB) selectorNames(ctx context.Context) (selectorNames, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, selector FROM selectors ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("heatmap selectors: %w", err)
	}
	defer rows.Close()
	var out selectorNames
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return nil, fmt.Errorf("heatmap selectors: %w", err)
		}
		if id < 0 || id > 1<<31 {
			return nil, fmt.Errorf("heatmap selectors: id %d out of range", id)
		}
		for int64(len(out)) < id {
			out = append(out, "")
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// heatmapMovesFromFacts adds the mouse positions of matching pageviews
// from the moves table, for workspaces whose heat rows are incomplete. A page
// pattern of a busy site holds millions of points: the blobs are read
// first and their points counted, so that the accumulator reserves room
// once and keeps an even sample past heatmap.MaxMovePoints, and the
// points are decoded in place.
func (db *DB) heatmapMovesFromFacts(ctx context.Context, a *heatmap.Accumulator, scope HeatmapScope, pathCase string) error {
	rows, err := db.db.QueryContext(ctx, `SELECT sid, points FROM moves NOT INDEXED WHERE `+pathCase+` <> 0`)
	if err != nil {
		return fmt.Errorf("heatmap moves: %w", err)
	}
	defer rows.Close()
	type blob struct {
		vw     int
		points []byte
	}
	var blobs []blob
	room := 0
	for rows.Next() {
		var sid int64
		var points []byte
		if err := rows.Scan(&sid, &points); err != nil {
			return fmt.Errorf("heatmap moves: %w", err)
		}
		vw, ok := scope.vw(sid)
		if !ok {
			continue
		}
		blobs = append(blobs, blob{vw: vw, points: points})
		room += countPoints(points)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("heatmap moves: %w", err)
	}
	a.ExpectMoves(room)
	var xy []int32
	for _, b := range blobs {
		xy = appendPoints(xy[:0], b.points)
		a.AddMovesAt(b.vw, xy)
	}
	return nil
}

// eachPacked runs a query returning group_concat strings of rows (fields
// split by ':', rows by ',') and calls fn with each row's fields in order.
func (db *DB) eachPacked(ctx context.Context, query string, fields int, fn func([]string) error, args ...any) error {
	rows, err := db.db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	f := make([]string, fields)
	for rows.Next() {
		var packed sql.NullString
		if err := rows.Scan(&packed); err != nil {
			return err
		}
		for rest := packed.String; rest != ""; {
			var row string
			row, rest, _ = strings.Cut(rest, ",")
			for i := range f {
				var ok bool
				if f[i], row, ok = strings.Cut(row, ":"); !ok && i < fields-1 {
					return fmt.Errorf("malformed row")
				}
			}
			if err := fn(f); err != nil {
				return err
			}
		}
	}
	return rows.Err()
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
