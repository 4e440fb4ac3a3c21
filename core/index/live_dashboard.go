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

// answer asks the index (fromIndex) when it is ready and q filters by its
// segment alone, since the index knows none of SessionQuery's other
// filters, and the workspace (fromDB) when the index cannot answer.
func answer[T any](ctx context.Context, l *Live, q workspace.SessionQuery, fromIndex func(*Index, segment.Expr) (T, bool), fromDB func() (T, error)) (T, error) {
	if segmentOnly(q) {
		if x := l.Current(ctx); x != nil {
			if v, ok := fromIndex(x, q.Segment); ok {
				return v, nil
			}
		}
	}
	return fromDB()
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
	return answer(ctx, l, q, func(x *Index, e segment.Expr) (workspace.PeriodStats, bool) {
		c, ok := x.PeriodCounts(e, from, to)
		return workspace.StatsOf(from, to, c), ok
	}, func() (workspace.PeriodStats, error) { return l.db.PeriodStats(ctx, q, from, to) })
}

// TopPages is workspace.DB.TopPages.
func (l *Live) TopPages(ctx context.Context, q workspace.SessionQuery, from, to time.Time, limit int) ([]workspace.Ranked, error) {
	return answer(ctx, l, q, func(x *Index, e segment.Expr) ([]workspace.Ranked, bool) { return x.TopPages(e, from, to, limit) },
		func() ([]workspace.Ranked, error) { return l.db.TopPages(ctx, q, from, to, limit) })
}

// TopFrustrated is workspace.DB.TopFrustrated.
func (l *Live) TopFrustrated(ctx context.Context, q workspace.SessionQuery, from, to time.Time, limit int) ([]workspace.Ranked, error) {
	return answer(ctx, l, q, func(x *Index, e segment.Expr) ([]workspace.Ranked, bool) { return x.TopFrustrated(e, from, to, limit) },
		func() ([]workspace.Ranked, error) { return l.db.TopFrustrated(ctx, q, from, to, limit) })
}

// TopErrors is workspace.DB.TopErrors.
func (l *Live) TopErrors(ctx context.Context, q workspace.SessionQuery, from, to time.Time, limit int) ([]workspace.Ranked, error) {
	return answer(ctx, l, q, func(x *Index, e segment.Expr) ([]workspace.Ranked, bool) { return x.TopErrors(e, from, to, limit) },
		func() ([]workspace.Ranked, error) { return l.db.TopErrors(ctx, q, from, to, limit) })
}

// SessionsPerDay is workspace.DB.SessionsPerDay.
func (l *Live) SessionsPerDay(ctx context.Context, q workspace.SessionQuery, from, to time.Time) ([]workspace.DayCount, error) {
	return answer(ctx, l, q, func(x *Index, e segment.Expr) ([]workspace.DayCount, bool) { return x.SessionsPerDay(e, from, to) },
		func() ([]workspace.DayCount, error) { return l.db.SessionsPerDay(ctx, q, from, to) })
}

// SavedFunnels lists the workspace's saved funnels (the index holds none).
func (l *Live) SavedFunnels(ctx context.Context) ([]workspace.SavedFunnel, error) {
	return l.db.SavedFunnels(ctx)
}
