package dashboard

import (
	"context"
	"time"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Source answers the questions a card asks. *workspace.DB answers them
// in SQL; *index.Live (core/index) answers them from the analytics index
// when it is ready and covers the card's segment, and from the workspace
// otherwise, with the same numbers.
type Source interface {
	LatestStart(ctx context.Context) (time.Time, bool, error)
	PeriodStats(ctx context.Context, q workspace.SessionQuery, from, to time.Time) (workspace.PeriodStats, error)
	TopPages(ctx context.Context, q workspace.SessionQuery, from, to time.Time, limit int) ([]workspace.Ranked, error)
	TopFrustrated(ctx context.Context, q workspace.SessionQuery, from, to time.Time, limit int) ([]workspace.Ranked, error)
	TopErrors(ctx context.Context, q workspace.SessionQuery, from, to time.Time, limit int) ([]workspace.Ranked, error)
	SessionsPerDay(ctx context.Context, q workspace.SessionQuery, from, to time.Time) ([]workspace.DayCount, error)
	SavedFunnels(ctx context.Context) ([]workspace.SavedFunnel, error)
	Funnel(ctx context.Context, q funnel.Query) (*funnel.Result, error)
}

var _ Source = (*workspace.DB)(nil)
