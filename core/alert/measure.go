package alert

import (
	"context"
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/metric"
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
	c, err := s.DB.Counts(ctx, workspace.SessionQuery{Segment: base}, from, to)
	if err != nil {
		return 0, fmt.Errorf("measure %s: %w", r.Name, err)
	}
	switch r.Metric {
	case ErrorRate:
		return 100 * c.ErrorRate(), nil
	case RageRate:
		return 100 * c.RageRate(), nil
	default:
		return float64(c.Sessions), nil
	}
}

// conversion is the share of sessions at the funnel's first step that
// complete it, in order and within the default window, as the funnel view
// counts it.
func (s WorkspaceSource) conversion(ctx context.Context, r Rule, base segment.Expr, from, to time.Time) (float64, error) {
	q := funnel.Query{Segment: base, From: from, To: to}
	for _, text := range r.Funnel {
		st, err := step.Parse(text)
		if err != nil {
			return 0, fmt.Errorf("measure %s: %w", r.Name, err)
		}
		q.Steps = append(q.Steps, st)
	}
	res, err := s.DB.Funnel(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("measure %s: %w", r.Name, err)
	}
	return 100 * metric.Share(res.Converted, res.Steps[0].Count), nil
}
