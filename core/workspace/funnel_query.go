package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

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
// and an index from session rid to position. The rows come back as three
// JSON arrays in one row: reading 100k rows one by one through
// database/sql costs more than the query itself.
func (db *DB) funnelScope(ctx context.Context, q funnel.Query) ([]funnel.Timeline, ridIndex, error) {
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
	where, wargs := funnelScopeWhere(q.Segment, q.From, q.To)
	sqlText := "SELECT json_group_array(s.rid), json_group_array(s.id), json_group_array(" + group + ") FROM sessions s" + where
	var rids, ids, groups string
	if err := db.db.QueryRowContext(ctx, sqlText, append(args, wargs...)...).Scan(&rids, &ids, &groups); err != nil {
		return nil, nil, fmt.Errorf("funnel scope: %w", err)
	}
	var ridList []int64
	var idList, groupList []string
	if err := errors.Join(json.Unmarshal([]byte(rids), &ridList), json.Unmarshal([]byte(ids), &idList),
		json.Unmarshal([]byte(groups), &groupList)); err != nil || len(ridList) != len(idList) || len(idList) != len(groupList) {
		return nil, nil, fmt.Errorf("funnel scope: malformed rows: %w", err)
	}
	tls := make([]funnel.Timeline, len(ridList))
	var index ridIndex
	for i, rid := range ridList {
		tls[i] = funnel.Timeline{Session: idList[i], Group: groupList[i]}
		if err := index.set(rid, i); err != nil {
			return nil, nil, fmt.Errorf("funnel scope: %w", err)
		}
	}
	return tls, index, nil
}

// ridIndex maps a session rid to its position, -1 when out of scope.
// Rids are dense, so a slice beats a map on every fact row.
type ridIndex []int32

func (x *ridIndex) set(rid int64, pos int) error {
	if rid < 0 || rid > 1<<31 {
		return fmt.Errorf("session rid %d out of range", rid)
	}
	for int64(len(*x)) <= rid {
		*x = append(*x, -1)
	}
	(*x)[rid] = int32(pos)
	return nil
}

func (x ridIndex) get(rid int64) (int, bool) {
	if rid < 0 || rid >= int64(len(x)) || x[rid] < 0 {
		return 0, false
	}
	return int(x[rid]), true
}

// funnelScopeWhere is the WHERE clause (with a leading space, or empty) that
// narrows sessions s to a segment and a start-time range.
func funnelScopeWhere(e segment.Expr, from, to time.Time) (string, []any) {
	var conds []string
	var args []any
	if e != nil {
		w, a := segmentWhere(e)
		conds = append(conds, "("+w+")")
		args = append(args, a...)
	}
	if !from.IsZero() {
		conds = append(conds, "s.started_at >= ?")
		args = append(args, from.UnixMilli())
	}
	if !to.IsZero() {
		conds = append(conds, "s.started_at < ?")
		args = append(args, to.UnixMilli())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
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

// factColumns names each step kind's table and value column.
var factColumns = map[step.Kind][2]string{
	step.Page:  {"pageviews", "path_id"},
	step.Input: {"inputs", "selector_id"},
	step.Click: {"clicks", "selector_id"},
	step.Event: {"custom_events", "name_id"},
}

// loadEntries reads one kind's fact rows into the sessions' entries.
// Strict funnels need every row of the kind; the others only matching ones.
//
// The table is read in primary-key order (session, then recorded order),
// never through the value index: nearly every row of a popular page would
// cost a random lookup. Each row is packed as offset*2^32 + step mask, and
// all rows come back as one comma-separated string, because per-row reads
// through database/sql dominate otherwise.
func (db *DB) loadEntries(ctx context.Context, q funnel.Query, k step.Kind, masks map[int64]uint32, index ridIndex, entries [][]timelineEntry) error {
	cols := factColumns[k]
	table, value := cols[0], cols[1]
	var cases strings.Builder
	cases.WriteString("CASE " + value)
	for id, m := range masks {
		fmt.Fprintf(&cases, " WHEN %d THEN %d", id, m)
	}
	cases.WriteString(" ELSE 0 END")
	if len(masks) == 0 {
		cases.Reset()
		cases.WriteString("0")
	}
	sqlText := fmt.Sprintf("SELECT group_concat(sid || ':' || (max(min(offset_ms, %d), 0) * 4294967296 + %s), ',') FROM %s NOT INDEXED",
		maxOffsetMS, cases.String(), table)
	if q.Mode != funnel.Strict {
		if len(masks) == 0 {
			return nil
		}
		// A CASE, not IN (...): SQLite would probe an ephemeral index per row.
		sqlText += " WHERE " + cases.String() + " <> 0"
	}
	var packed sql.NullString
	if err := db.db.QueryRowContext(ctx, sqlText).Scan(&packed); err != nil {
		return fmt.Errorf("funnel %s rows: %w", k, err)
	}
	rank := k.Rank()
	var seq int64
	for rest := packed.String; rest != ""; seq++ {
		var item string
		item, rest, _ = strings.Cut(rest, ",")
		sidText, valText, ok := strings.Cut(item, ":")
		sid, err1 := strconv.ParseInt(sidText, 10, 64)
		v, err2 := strconv.ParseInt(valText, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			return fmt.Errorf("funnel %s rows: malformed entry %q", k, item)
		}
		i, in := index.get(sid)
		if !in {
			continue
		}
		entries[i] = append(entries[i], timelineEntry{at: v >> 32, rank: rank, seq: seq, mask: uint32(v)})
	}
	return nil
}

// maxOffsetMS bounds offsets so they pack into 31 bits (24.8 days, far
// past the 24 h session limit).
const maxOffsetMS = 1<<31 - 1
