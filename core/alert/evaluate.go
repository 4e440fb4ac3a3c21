package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/loupe-dev/loupe/core/workspace"
)

// Triggers say what started an evaluation; they are kept in the history.
const (
	TriggerSync     = "sync"
	TriggerSchedule = "schedule"
	TriggerManual   = "manual"
)

// Save stores a rule (new when ID is 0) after validating it, and returns
// its id.
func Save(ctx context.Context, db *workspace.DB, r Rule) (int64, error) {
	if err := r.Validate(); err != nil {
		return 0, err
	}
	id := r.ID
	r.ID = 0 // the row's id is the truth; keep it out of the spec
	spec, err := json.Marshal(r)
	if err != nil {
		return 0, fmt.Errorf("save alert rule: %w", err)
	}
	return db.SaveAlertRule(ctx, workspace.AlertRule{ID: id, Name: r.Name, Spec: string(spec), Enabled: r.Enabled})
}

// Rules loads every stored rule.
func Rules(ctx context.Context, db *workspace.DB) ([]Rule, error) {
	rows, err := db.AlertRules(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Rule, 0, len(rows))
	for _, row := range rows {
		var r Rule
		if err := json.Unmarshal([]byte(row.Spec), &r); err != nil {
			return nil, fmt.Errorf("alert rule %d: %w: %v", row.ID, ErrInvalidRule, err)
		}
		r.ID, r.Name, r.Enabled = row.ID, row.Name, row.Enabled
		out = append(out, r)
	}
	return out, nil
}

// Check is one rule's evaluation.
type Check struct {
	Rule     Rule
	Value    float64
	Previous *float64 // the period before, for change rules
	Holds    bool
	// Event is set when this check changed the rule's state.
	Event *workspace.AlertEvent
}

// Evaluate measures every enabled rule at now and records the outcome.
// A rule fires when its condition starts to hold and resolves when it
// stops; while it keeps holding, nothing new is recorded. One failing rule
// does not stop the others: their errors are joined.
func Evaluate(ctx context.Context, db *workspace.DB, src Source, now time.Time, trigger string) ([]Check, error) {
	rules, err := Rules(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("evaluate alerts: %w", err)
	}
	var checks []Check
	var errs []error
	for _, r := range rules {
		if !r.Enabled {
			continue
		}
		c, err := evaluateRule(ctx, db, src, r, now, trigger)
		if err != nil {
			errs = append(errs, fmt.Errorf("alert %q: %w", r.Name, err))
			continue
		}
		checks = append(checks, c)
	}
	return checks, errors.Join(errs...)
}

// Fired returns the events that fired among checks.
func Fired(checks []Check) []workspace.AlertEvent {
	var out []workspace.AlertEvent
	for _, c := range checks {
		if c.Event != nil && c.Event.Kind == "fired" {
			out = append(out, *c.Event)
		}
	}
	return out
}

// AfterSync evaluates every rule over the workspace; sync calls it once a
// sync has imported something.
func AfterSync(ctx context.Context, db *workspace.DB, now time.Time) ([]Check, error) {
	return Evaluate(ctx, db, WorkspaceSource{DB: db}, now, TriggerSync)
}

func evaluateRule(ctx context.Context, db *workspace.DB, src Source, r Rule, now time.Time, trigger string) (Check, error) {
	if err := r.Validate(); err != nil {
		return Check{}, err
	}
	p := r.period()
	v, err := src.Measure(ctx, r, now.Add(-p), now)
	if err != nil {
		return Check{}, err
	}
	c := Check{Rule: r, Value: v}
	switch r.Condition {
	case Above:
		c.Holds = v > r.Threshold
	case Below:
		c.Holds = v < r.Threshold
	case RisesBy, FallsBy:
		prev, err := src.Measure(ctx, r, now.Add(-2*p), now.Add(-p))
		if err != nil {
			return Check{}, err
		}
		c.Previous = &prev
		// With nothing in the previous period a change has no size; the
		// rule does not hold rather than fire on every first sync.
		if prev > 0 {
			change := 100 * (v - prev) / prev
			if r.Condition == RisesBy {
				c.Holds = change >= r.Threshold
			} else {
				c.Holds = -change >= r.Threshold
			}
		}
	}
	ev, err := db.RecordAlertCheck(ctx, workspace.AlertCheck{
		RuleID: r.ID, Holds: c.Holds, Value: v, Previous: c.Previous, At: now, Trigger: trigger,
		Message: message(r, c),
	})
	if err != nil {
		return Check{}, err
	}
	c.Event = ev
	return c, nil
}

// message says what happened in one sentence.
func message(r Rule, c Check) string {
	what := r.describe()
	val := format(r.Metric, c.Value)
	window := periodText(time.Duration(r.period()))
	if !c.Holds {
		return fmt.Sprintf("%s: %s is back to normal at %s over the last %s.", r.Name, what, val, window)
	}
	switch r.Condition {
	case Above:
		return fmt.Sprintf("%s: %s rose above %s to %s over the last %s.", r.Name, what, format(r.Metric, r.Threshold), val, window)
	case Below:
		return fmt.Sprintf("%s: %s fell below %s to %s over the last %s.", r.Name, what, format(r.Metric, r.Threshold), val, window)
	}
	prev := 0.0
	if c.Previous != nil {
		prev = *c.Previous
	}
	dir := "rose"
	if r.Condition == FallsBy {
		dir = "fell"
	}
	return fmt.Sprintf("%s: %s %s by %s%% to %s over the last %s (was %s).", r.Name, what, dir,
		strconv.FormatFloat(math.Abs(100*(c.Value-prev)/prev), 'f', 0, 64), val, window, format(r.Metric, prev))
}

func format(m Metric, v float64) string {
	if m.rate() {
		return strconv.FormatFloat(v, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
