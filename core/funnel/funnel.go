// Package funnel measures how sessions move through ordered steps (docs/cli.md
// step syntax: page:/glob, click:selector, event:name, input:selector):
// per step the sessions that got there, conversion overall and from the
// previous step, median and p90 time from the previous step, the sessions
// that dropped off after each step, and a breakdown by one attribute.
//
// Evaluate is the reference over core.Facts; the workspace has a fast path
// over compact per-session timelines (EvaluateTimelines) that randomized
// tests hold to the same answers.
package funnel

import (
	"errors"
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/segment"
)

// Step is one funnel step (see package step).
type Step = step.Step

// ParseStep reads a step's text form: page:/glob, click:selector,
// event:name or input:selector.
func ParseStep(s string) (Step, error) { return step.Parse(s) }

// Mode says how steps must follow each other.
type Mode string

// Funnel modes.
const (
	// Sequential: steps in order, other events allowed between them.
	Sequential Mode = "sequential"
	// Strict: steps in order with no other event of the funnel's step kinds
	// between them (a page funnel allows no other pageview between steps).
	Strict Mode = "strict"
	// AnyOrder: the steps in any order within the window.
	AnyOrder Mode = "any"
)

// DefaultWindow is the conversion window when a query sets none.
const DefaultWindow = 30 * time.Minute

// ErrInvalidQuery marks a query that cannot be evaluated.
var ErrInvalidQuery = errors.New("invalid funnel query")

// Query is a funnel: its steps and how to count them. Its JSON form (see
// queryJSON) has steps as text and the window in milliseconds.
type Query struct {
	Steps []Step
	Mode  Mode
	// Window bounds the time from the first step to the last, within one
	// session; zero means DefaultWindow.
	Window time.Duration
	// Segment narrows the sessions counted (nil: all).
	Segment segment.Expr
	// From and To bound the sessions' start time (From inclusive, To
	// exclusive); zero means unbounded.
	From time.Time
	To   time.Time
	// Breakdown names one session attribute to split the funnel by:
	// site, device, browser, os, country, user, entry, exit or trait.NAME.
	Breakdown string
}

// Normalize checks q and fills in defaults.
func (q Query) Normalize() (Query, error) {
	if len(q.Steps) == 0 {
		return q, fmt.Errorf("%w: no steps", ErrInvalidQuery)
	}
	if len(q.Steps) > 32 {
		return q, fmt.Errorf("%w: %d steps, at most 32", ErrInvalidQuery, len(q.Steps))
	}
	for i, s := range q.Steps {
		if _, err := step.Parse(s.String()); err != nil {
			return q, fmt.Errorf("%w: step %d: %w", ErrInvalidQuery, i+1, err)
		}
	}
	switch q.Mode {
	case "":
		q.Mode = Sequential
	case Sequential, Strict, AnyOrder:
	default:
		return q, fmt.Errorf("%w: unknown mode %q (want sequential, strict or any)", ErrInvalidQuery, q.Mode)
	}
	if q.Window < 0 {
		return q, fmt.Errorf("%w: negative window", ErrInvalidQuery)
	}
	if q.Window == 0 {
		q.Window = DefaultWindow
	}
	if q.Breakdown != "" {
		f, ok := segment.LookupField(q.Breakdown)
		if !ok || !(f.Kind == segment.Text || f.Kind == segment.PathField || f.Kind == segment.Trait) {
			return q, fmt.Errorf("%w: cannot break down by %q (use site, device, browser, os, country, user, entry, exit or trait.NAME)", ErrInvalidQuery, q.Breakdown)
		}
		q.Breakdown = f.Name
	}
	return q, nil
}

// InRange reports whether a session start time is inside q's date range.
func (q Query) InRange(started time.Time) bool {
	if !q.From.IsZero() && started.Before(q.From) {
		return false
	}
	if !q.To.IsZero() && !started.Before(q.To) {
		return false
	}
	return true
}

// Outcome is one session's way through the funnel.
type Outcome struct {
	Session string
	// Depth is how many steps the session completed (0..len(steps)).
	Depth int
	// GapsMS[k] is the time from step k to step k+1 (ordered modes only).
	GapsMS []int64
	// Group is the session's breakdown value.
	Group string
}
