package workspace

import (
	"context"
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/heatmap"
)

// Heatmap builds a heatmap over the workspace for a page glob, device and
// kind. It reads only the matching pages' rows (through the path indexes)
// and gives the same Data as heatmap.FromFacts over the sessions' facts.
func (db *DB) Heatmap(ctx context.Context, q heatmap.Query) (*heatmap.Data, error) {
	q, err := q.Normalize()
	if err != nil {
		return nil, err
	}
	scope, args := heatmapScope(q)
	a := heatmap.NewAccumulator(q)

	pv, err := db.db.QueryContext(ctx, `SELECT s.id, s.viewport_w, p.doc_height, p.scroll_pct
		FROM pageviews p JOIN sessions s ON s.rid = p.sid
		WHERE `+scope+` ORDER BY p.sid, p.idx`, args...)
	if err != nil {
		return nil, fmt.Errorf("heatmap pageviews: %w", err)
	}
	for pv.Next() {
		var id string
		var vw, dh int
		var pct float64
		if err := pv.Scan(&id, &vw, &dh, &pct); err != nil {
			pv.Close()
			return nil, fmt.Errorf("heatmap pageviews: %w", err)
		}
		a.AddPageview(id, vw, dh, pct)
	}
	pv.Close()
	if err := pv.Err(); err != nil {
		return nil, fmt.Errorf("heatmap pageviews: %w", err)
	}

	ck, err := db.db.QueryContext(ctx, `SELECT c.x, c.y, s.viewport_w, sel.selector, c.rel_x, c.rel_y, c.flags
		FROM clicks c JOIN sessions s ON s.rid = c.sid JOIN selectors sel ON sel.id = c.selector_id
		WHERE `+strings.ReplaceAll(scope, "p.", "c.")+` ORDER BY c.sid, c.seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("heatmap clicks: %w", err)
	}
	for ck.Next() {
		var p heatmap.Point
		var flags int
		if err := ck.Scan(&p.X, &p.Y, &p.VW, &p.Selector, &p.RelX, &p.RelY, &flags); err != nil {
			ck.Close()
			return nil, fmt.Errorf("heatmap clicks: %w", err)
		}
		a.AddClick(p, flags&clickRage != 0, flags&clickDead != 0, flags&clickError != 0)
	}
	ck.Close()
	if err := ck.Err(); err != nil {
		return nil, fmt.Errorf("heatmap clicks: %w", err)
	}

	if q.Kind == heatmap.Moves {
		mv, err := db.db.QueryContext(ctx, `SELECT s.viewport_w, m.points FROM moves m JOIN sessions s ON s.rid = m.sid
			WHERE `+strings.ReplaceAll(scope, "p.", "m.")+` ORDER BY m.sid, m.pageview`, args...)
		if err != nil {
			return nil, fmt.Errorf("heatmap moves: %w", err)
		}
		defer mv.Close()
		for mv.Next() {
			var vw int
			var blob []byte
			if err := mv.Scan(&vw, &blob); err != nil {
				return nil, fmt.Errorf("heatmap moves: %w", err)
			}
			for _, xy := range DecodePoints(blob) {
				a.AddMove(heatmap.Point{X: xy[0], Y: xy[1], VW: vw, RelX: -1, RelY: -1})
			}
		}
		if err := mv.Err(); err != nil {
			return nil, fmt.Errorf("heatmap moves: %w", err)
		}
	}
	return a.Data(), nil
}

// heatmapScope is the WHERE condition over a fact table (alias p) joined
// to sessions (alias s): the page glob, the device and the segment.
func heatmapScope(q heatmap.Query) (string, []any) {
	conds := []string{"p.path_id IN (SELECT id FROM paths WHERE paths.path GLOB ?)"}
	args := []any{step.GlobSQL(q.Page)}
	if q.Device != "" {
		conds = append(conds, "s.device = ? COLLATE NOCASE")
		args = append(args, q.Device)
	}
	if q.Segment != nil {
		w, a := SegmentWhere(q.Segment)
		conds = append(conds, "("+w+")")
		args = append(args, a...)
	}
	return strings.Join(conds, " AND "), args
}
