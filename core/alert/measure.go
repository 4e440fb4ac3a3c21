package alert

import (
	"context"
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Source measures a rule's metric over [from, to).
type Source interface {
	Measure(ctx context.Context, r Rule, from, to time.Time) (float64, error)
}

// WorkspaceSource measures metrics over a workspace's sessions, by the
// time they started.
type WorkspaceSource struct{ DB *workspace.DB }

var _ Source = WorkspaceSource{}

// Measure implements Source.
func (s WorkspaceSource) Measure(ctx context.Context, r Rule, from, to time.Time) (float64, error) {
	base, err := workspace.ParseSegment(r.Segment)
	if err != nil {
		return 0, fmt.Errorf("measure %s: %w", r.Name, err)
	}
	if r.Metric == Conversion {
		return s.conversion(ctx, r, base, from, to)
	}
	c, err := s.DB.CountAlertSessions(ctx, base, from, to)
	if err != nil {
		return 0, fmt.Errorf("measure %s: %w", r.Name, err)
	}
	switch r.Metric {
	case ErrorRate:
		return percent(c.WithErrors, c.Sessions), nil
	case RageRate:
		return percent(c.WithRage, c.Sessions), nil
	default:
		return float64(c.Sessions), nil
	}
}

// conversion is the share of sessions at the first step that reach every
// step. Steps are matched with the segment language's `reached`, which
// ignores their order: alerts watch a trend, and the same measure is used
// for both periods.
func (s WorkspaceSource) conversion(ctx context.Context, r Rule, base segment.Expr, from, to time.Time) (float64, error) {
	and := func(extra ...segment.Expr) segment.Expr {
		var out segment.And
		if base != nil {
			out = append(out, base)
		}
		return append(out, extra...)
	}
	reached := make([]segment.Expr, len(r.Funnel))
	for i, st := range r.Funnel {
		reached[i] = segment.Behaviour{Verb: segment.Reached, Pattern: st}
	}
	start, err := s.DB.CountAlertSessions(ctx, and(reached[0]), from, to)
	if err != nil {
		return 0, fmt.Errorf("measure %s: %w", r.Name, err)
	}
	done, err := s.DB.CountAlertSessions(ctx, and(reached...), from, to)
	if err != nil {
		return 0, fmt.Errorf("measure %s: %w", r.Name, err)
	}
	return percent(done.Sessions, start.Sessions), nil
}

func percent(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}
