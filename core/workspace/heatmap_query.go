package workspace

import (
	"context"
	"errors"
	"fmt"
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
	if q.Kind != heatmap.Moves {
		if err := db.addHeatRows(ctx, a, scope, paths); err != nil {
			return nil, err
		}
		return a.Data(), nil
	}
	// A move heatmap's positions are read and decoded on a second core
	// while this one adds the pageviews and clicks (they share nothing
	// but the scope, which both only read); on a busy machine that costs
	// nothing over doing one after the other.
	moves, movesDone := heatmap.NewAccumulator(q), make(chan error, 1)
	go func() { movesDone <- db.heatmapMovesByPage(ctx, moves, scope, paths) }()
	rowsErr := db.addHeatRows(ctx, a, scope, paths)
	if err := errors.Join(rowsErr, <-movesDone); err != nil {
		return nil, err
	}
	a.TakeMoves(moves)
	return a.Data(), nil
}

// addHeatRows adds the pageviews and clicks of the matching pages from
// their heat rows: the pages' rows are merged by session, and a session's
// clicks on several pages by click order, the order the facts have them.
func (db *DB) addHeatRows(ctx context.Context, a *heatmap.Accumulator, scope HeatmapScope, paths []int64) error {
	selectors, err := db.selectorNames(ctx)
	if err != nil {
		return err
	}
	blobs, err := db.packedRows(ctx, "heat_rows", paths)
	if err != nil {
		return fmt.Errorf("heatmap: %w", err)
	}
	cursors := make([]*heatCursor, 0, len(paths))
	var counts heatCounts
	for i, id := range paths {
		blob := blobs[i]
		countHeat(blob, scope, &counts)
		c := &heatCursor{path: id, r: heatReader{b: blob}}
		if c.advance(scope) {
			cursors = append(cursors, c)
		}
		if err := c.damage(); err != nil {
			return err
		}
	}
	a.Reserve(counts.pageviews)
	a.ExpectClicks(counts.clicks)
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
		return err
	}
	for id, e := range elements {
		if e.Clicks > 0 {
			e.Selector = selectors[id]
			a.AddElement(e)
		}
	}
	return nil
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
