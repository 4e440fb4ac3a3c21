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
// It avoids joins and per-row reads: the sessions in scope, the matching
// path ids and the selector names are resolved first, then each fact table
// is scanned once in primary-key order and its matching rows come back
// packed in one string.
func (db *DB) Heatmap(ctx context.Context, q heatmap.Query) (*heatmap.Data, error) {
	q, err := q.Normalize()
	if err != nil {
		return nil, err
	}
	scope, err := db.heatmapSessions(ctx, q)
	if err != nil {
		return nil, err
	}
	pathCase, any, err := db.pathCase(ctx, q.Page)
	if err != nil {
		return nil, err
	}
	a := heatmap.NewAccumulator(q)
	if !any {
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
			Selector: selectors[rest>>3&(1<<30-1)]}
		flags := rest & 7
		a.AddClick(p, flags&clickRage != 0, flags&clickDead != 0, flags&clickError != 0)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("heatmap clicks: %w", err)
	}
	if q.Kind == heatmap.Moves {
		if err := db.heatmapMoves(ctx, a, scope, pathCase); err != nil {
			return nil, err
		}
	}
	return a.Data(), nil
}

// heatmapScope holds, by session rid, the viewport width of each session
// in scope, -1 for the others (rids are dense, so a slice beats a map).
type heatmapScope []int32

func (h heatmapScope) vw(rid int64) (int, bool) {
	if rid < 0 || rid >= int64(len(h)) || h[rid] < 0 {
		return 0, false
	}
	return int(h[rid]), true
}

// heatmapSessions maps the rid of each session in scope (device and
// segment) to its viewport width. Sessions are told apart by rid, which
// counts them as well as their ids would.
func (db *DB) heatmapSessions(ctx context.Context, q heatmap.Query) (heatmapScope, error) {
	var conds []string
	var args []any
	if q.Device != "" {
		conds = append(conds, "s.device = ? COLLATE NOCASE")
		args = append(args, q.Device)
	}
	if q.Segment != nil {
		w, a := SegmentWhere(q.Segment)
		conds = append(conds, "("+w+")")
		args = append(args, a...)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var out heatmapScope
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
// the glob (matched in Go, as the reference does) and 0 otherwise; any is
// false when no path matches.
func (db *DB) pathCase(ctx context.Context, glob string) (string, bool, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, path FROM paths`)
	if err != nil {
		return "", false, fmt.Errorf("heatmap paths: %w", err)
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteString("CASE path_id")
	n := 0
	for rows.Next() {
		var id int64
		var p string
		if err := rows.Scan(&id, &p); err != nil {
			return "", false, fmt.Errorf("heatmap paths: %w", err)
		}
		if step.MatchGlob(glob, p) {
			fmt.Fprintf(&b, " WHEN %d THEN 1", id)
			n++
		}
	}
	b.WriteString(" ELSE 0 END")
	return b.String(), n > 0, rows.Err()
}

func (db *DB) selectorNames(ctx context.Context) (map[int64]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, selector FROM selectors`)
	if err != nil {
		return nil, fmt.Errorf("heatmap selectors: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			return nil, fmt.Errorf("heatmap selectors: %w", err)
		}
		out[id] = s
	}
	return out, rows.Err()
}

// heatmapMoves adds the mouse positions of matching pageviews.
func (db *DB) heatmapMoves(ctx context.Context, a *heatmap.Accumulator, scope heatmapScope, pathCase string) error {
	rows, err := db.db.QueryContext(ctx, `SELECT sid, points FROM moves NOT INDEXED WHERE `+pathCase+` <> 0`)
	if err != nil {
		return fmt.Errorf("heatmap moves: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var sid int64
		var blob []byte
		if err := rows.Scan(&sid, &blob); err != nil {
			return fmt.Errorf("heatmap moves: %w", err)
		}
		vw, ok := scope.vw(sid)
		if !ok {
			continue
		}
		for _, xy := range DecodePoints(blob) {
			a.AddMove(heatmap.Point{X: xy[0], Y: xy[1], VW: vw, RelX: -1, RelY: -1})
		}
	}
	return rows.Err()
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
