package workspace

import (
	"context"
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core/heatmap"
)

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
