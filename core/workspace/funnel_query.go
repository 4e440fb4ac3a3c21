package workspace

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/segment"
)

// Funnel evaluates a funnel over the workspace: the sessions in scope come
// from SQL (segment and date range), their step facts are read as compact
// timelines, and funnel.EvaluateTimelines does the rest. It gives the same
// answer as funnel.Evaluate over the sessions' facts.
func (db *DB) Funnel(ctx context.Context, q funnel.Query) (*funnel.Result, error) {
	q, err := q.Normalize()
	if err != nil {
		return nil, err
	}
	tls, err := db.FunnelTimelines(ctx, q)
	if err != nil {
		return nil, err
	}
	return funnel.EvaluateTimelines(q, tls)
}

// timelineEntry is an entry before sorting.
type timelineEntry struct {
	at   int64
	rank int
	seq  int64
	mask uint32
}

// FunnelTimelines loads the timelines of the sessions in q's scope, in
// import order. q must be normalized.
func (db *DB) FunnelTimelines(ctx context.Context, q funnel.Query) ([]funnel.Timeline, error) {
	tls, index, err := db.funnelScope(ctx, q)
	if err != nil {
		return nil, err
	}
	entries := make([][]timelineEntry, len(tls))
	kinds := map[step.Kind]bool{}
	for _, s := range q.Steps {
		kinds[s.Kind] = true
	}
	for _, k := range []step.Kind{step.Page, step.Input, step.Click, step.Event} {
		if !kinds[k] {
			continue
		}
		masks, err := db.stepMasks(ctx, q, k)
		if err != nil {
			return nil, err
		}
		if err := db.loadEntries(ctx, q, k, masks, index, entries); err != nil {
			return nil, err
		}
	}
	for i, es := range entries {
		sort.Slice(es, func(a, b int) bool {
			x, y := es[a], es[b]
			if x.at != y.at {
				return x.at < y.at
			}
			if x.rank != y.rank {
				return x.rank < y.rank
			}
			return x.seq < y.seq
		})
		out := make([]funnel.Entry, len(es))
		for j, e := range es {
			out[j] = funnel.Entry{At: e.at, Mask: e.mask}
		}
		tls[i].Entries = out
	}
	return tls, nil
}

// funnelScope lists the sessions in scope with their breakdown values,
// and an index from session rid to position.
func (db *DB) funnelScope(ctx context.Context, q funnel.Query) ([]funnel.Timeline, map[int64]int, error) {
	group := "''"
	var args []any
	if q.Breakdown != "" {
		if strings.HasPrefix(q.Breakdown, segment.TraitPrefix) {
			group = "coalesce((SELECT value FROM json_each(s.traits) WHERE key = ?), '')"
			args = append(args, q.Breakdown[len(segment.TraitPrefix):])
		} else if col, ok := textColumns[q.Breakdown]; ok {
			group = col
		} else {
			return nil, nil, fmt.Errorf("%w: cannot break down by %q", funnel.ErrInvalidQuery, q.Breakdown)
		}
	}
	var conds []string
	if q.Segment != nil {
		w, a := SegmentWhere(q.Segment)
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
	sqlText := "SELECT s.rid, s.id, " + group + " FROM sessions s"
	if len(conds) > 0 {
		sqlText += " WHERE " + strings.Join(conds, " AND ")
	}
	rows, err := db.db.QueryContext(ctx, sqlText+" ORDER BY s.rid", args...)
	if err != nil {
		return nil, nil, fmt.Errorf("funnel scope: %w", err)
	}
	defer rows.Close()
	var tls []funnel.Timeline
	index := map[int64]int{}
	for rows.Next() {
		var rid int64
		var t funnel.Timeline
		if err := rows.Scan(&rid, &t.Session, &t.Group); err != nil {
			return nil, nil, fmt.Errorf("funnel scope: %w", err)
		}
		index[rid] = len(tls)
		tls = append(tls, t)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("funnel scope: %w", err)
	}
	return tls, index, nil
}

// stepMasks matches every dictionary value of a kind (paths, selectors or
// event names) against the funnel's steps of that kind, in Go with the
// same matchers the reference uses; the result maps value id to step mask.
func (db *DB) stepMasks(ctx context.Context, q funnel.Query, k step.Kind) (map[int64]uint32, error) {
	var sqlText string
	switch k {
	case step.Page:
		sqlText = "SELECT id, path FROM paths"
	case step.Click, step.Input:
		sqlText = "SELECT id, selector FROM selectors"
	case step.Event:
		sqlText = "SELECT id, s FROM strs WHERE id IN (SELECT DISTINCT name_id FROM custom_events)"
	}
	rows, err := db.db.QueryContext(ctx, sqlText)
	if err != nil {
		return nil, fmt.Errorf("funnel step values: %w", err)
	}
	defer rows.Close()
	masks := map[int64]uint32{}
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("funnel step values: %w", err)
		}
		var m uint32
		for i, s := range q.Steps {
			if s.Kind == k && s.Matches(v) {
				m |= 1 << i
			}
		}
		if m != 0 {
			masks[id] = m
		}
	}
	return masks, rows.Err()
}

// factColumns names each step kind's table, order column and value column.
var factColumns = map[step.Kind][3]string{
	step.Page:  {"pageviews", "idx", "path_id"},
	step.Input: {"inputs", "seq", "selector_id"},
	step.Click: {"clicks", "seq", "selector_id"},
	step.Event: {"custom_events", "seq", "name_id"},
}

// loadEntries reads one kind's fact rows into the sessions' entries.
// Strict funnels need every row of the kind; the others only matching ones.
func (db *DB) loadEntries(ctx context.Context, q funnel.Query, k step.Kind, masks map[int64]uint32, index map[int64]int, entries [][]timelineEntry) error {
	cols := factColumns[k]
	table, seq, value := cols[0], cols[1], cols[2]
	sqlText := fmt.Sprintf("SELECT sid, %s, offset_ms, %s FROM %s", seq, value, table)
	if q.Mode != funnel.Strict {
		if len(masks) == 0 {
			return nil
		}
		ids := make([]string, 0, len(masks))
		for id := range masks {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		sqlText += fmt.Sprintf(" WHERE %s IN (%s)", value, strings.Join(ids, ","))
	}
	rows, err := db.db.QueryContext(ctx, sqlText)
	if err != nil {
		return fmt.Errorf("funnel %s rows: %w", k, err)
	}
	defer rows.Close()
	rank := k.Rank()
	for rows.Next() {
		var sid, sq, at, vid int64
		if err := rows.Scan(&sid, &sq, &at, &vid); err != nil {
			return fmt.Errorf("funnel %s rows: %w", k, err)
		}
		i, ok := index[sid]
		if !ok {
			continue
		}
		m := masks[vid]
		if m == 0 && q.Mode != funnel.Strict {
			continue
		}
		entries[i] = append(entries[i], timelineEntry{at: at, rank: rank, seq: sq, mask: m})
	}
	return rows.Err()
}
