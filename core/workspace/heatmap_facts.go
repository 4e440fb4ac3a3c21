package workspace

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/loupe-dev/loupe/core/heatmap"
)

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
	// The clicks are gathered first: a click heatmap samples them evenly
	// once it knows how many there are.
	type click struct {
		p     heatmap.Point
		flags int64
	}
	var clicks []click
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
		clicks = append(clicks, click{p: p, flags: rest & 7})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("heatmap clicks: %w", err)
	}
	a.ExpectClicks(len(clicks))
	for _, c := range clicks {
		a.AddClick(c.p, c.flags&clickRage != 0, c.flags&clickDead != 0, c.flags&clickError != 0)
	}
	if q.Kind == heatmap.Moves {
		if err := db.heatmapMovesFromFacts(ctx, a, scope, pathCase); err != nil {
			return nil, err
		}
	}
	return a.Data(), nil
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
