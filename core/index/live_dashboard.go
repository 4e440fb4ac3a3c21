package index

import (
	"context"
	"time"

	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Live answers the dashboard's questions (core/dashboard.Source) from the
// index when it is ready and covers the question, else from the
// workspace; the answers are the same.

// covered returns the index to answer q from: the current one when q asks
// only for a segment (the index knows none of SessionQuery's other
// filters), nil otherwise.
func (l *Live) covered(ctx context.Context, q workspace.SessionQuery) (*Index, segment.Expr) {
	if !segmentOnly(q) {
		return nil, nil
	}
	return l.Current(ctx), q.Segment
}

// segmentOnly reports whether q filters by its segment alone (sorting and
// paging do not change a count).
func segmentOnly(q workspace.SessionQuery) bool {
	return len(q.IDs) == 0 && q.Site == "" && q.Page == "" && q.Device == "" && q.MinDurationMS == 0 &&
		q.MaxDurationMS == 0 && !q.HasErrors && q.Text == "" && q.Tag == "" && !q.Frustrated &&
		q.Visitor == "" && q.From.IsZero() && q.To.IsZero()
}

// LatestStart is the newest session's start, as workspace.DB.LatestStart.
func (l *Live) LatestStart(ctx context.Context) (time.Time, bool, error) {
	if x := l.Current(ctx); x != nil {
		t, ok := x.LatestStart()
		return t, ok, nil
	}
	return l.db.LatestStart(ctx)
}

// PeriodStats is workspace.DB.PeriodStats.
func (l *Live) PeriodStats(ctx context.Context, q workspace.SessionQuery, from, to time.Time) (workspace.PeriodStats, error) {
	if x, e := l.covered(ctx, q); x != nil {
		if c, ok := x.PeriodCounts(e, from, to); ok {
			return workspace.PeriodStats{From: from, To: to, Sessions: c.Sessions, Visitors: c.Visitors, AvgDurationMS: c.AvgDurationMS(),
				BounceRate: c.BounceRate(), ErrorRate: c.ErrorRate(), RageRate: c.RageRate()}, nil
		}
	}
	return l.db.PeriodStats(ctx, q, from, to)
}

// TopPages is workspace.DB.TopPages.
func (l *Live) TopPages(ctx context.Context, q workspace.SessionQuery, from, to time.Time, limit int) ([]workspace.Ranked, error) {
	if x, e := l.covered(ctx, q); x != nil {
		if r, ok := x.TopPages(e, from, to, limit); ok {
			return r, nil
		}
	}
	return l.db.TopPages(ctx, q, from, to, limit)
}

// TopFrustrated is workspace.DB.TopFrustrated.
func (l *Live) TopFrustrated(ctx context.Context, q workspace.SessionQuery, from, to time.Time, limit int) ([]workspace.Ranked, error) {
	if x, e := l.covered(ctx, q); x != nil {
		if r, ok := x.TopFrustrated(e, from, to, limit); ok {
			return r, nil
		}
	}
	return l.db.TopFrustrated(ctx, q, from, to, limit)
}

// TopErrors is workspace.DB.TopErrors.
func (l *Live) TopErrors(ctx context.Context, q workspace.SessionQuery, from, to time.Time, limit int) ([]workspace.Ranked, error) {
	if x, e := l.covered(ctx, q); x != nil {
		if r, ok := x.TopErrors(e, from, to, limit); ok {
			return r, nil
		}
	}
	return l.db.TopErrors(ctx, q, from, to, limit)
}

// SessionsPerDay is workspace.DB.SessionsPerDay.
func (l *Live) SessionsPerDay(ctx context.Context, q workspace.SessionQuery, from, to time.Time) ([]workspace.DayCount, error) {
	if x, e := l.covered(ctx, q); x != nil {
		if d, ok := x.SessionsPerDay(e, from, to); ok {
			return d, nil
		}
	}
	return l.db.SessionsPerDay(ctx, q, from, to)
}

// SavedFunnels lists the workspace's saved funnels (the index holds none).
func (l *Live) SavedFunnels(ctx context.Context) ([]workspace.SavedFunnel, error) {
	return l.db.SavedFunnels(ctx)
}
