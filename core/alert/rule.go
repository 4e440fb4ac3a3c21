// Package alert watches metrics of a workspace: rules with a threshold or
// a change versus the previous period, evaluated after every sync and on a
// schedule, firing once each time a rule's condition starts to hold. State
// and history live in the workspace, so a restart neither repeats nor
// loses an alert.
package alert

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/segment"
)

// ErrInvalidRule is returned for a rule that cannot be evaluated.
var ErrInvalidRule = errors.New("invalid alert rule")

// Metric is what a rule measures over its period.
type Metric string

// Metrics. Rates and conversion are percentages (0–100).
const (
	Sessions     Metric = "sessions"      // sessions started in the period
	Conversion   Metric = "conversion"    // % of sessions at the first funnel step that reach the last
	ErrorRate    Metric = "error_rate"    // % of sessions with errors (metric.Errored)
	RageRate     Metric = "rage_rate"     // % of sessions with rage (metric.Raged)
	SegmentCount Metric = "segment_count" // sessions in the rule's segment
)

// Condition says when a rule holds.
type Condition string

// Conditions. RisesBy and FallsBy compare with the period before, in
// percent of the previous value.
const (
	Above   Condition = "above"
	Below   Condition = "below"
	RisesBy Condition = "rises_by"
	FallsBy Condition = "falls_by"
)

// DefaultPeriod is the window a rule measures when it names none.
const DefaultPeriod = 24 * time.Hour

// Rule is one alert rule. Its JSON form is what the workspace stores.
type Rule struct {
	ID      int64  `json:"id,omitempty"`
	Name    string `json:"name"`
	Metric  Metric `json:"metric"`
	Segment string `json:"segment,omitempty"` // narrows the sessions; required for segment_count
	// Funnel holds the steps of a conversion rule (page:/x, click:sel ...).
	Funnel    []string  `json:"funnel,omitempty"`
	Condition Condition `json:"condition"`
	Threshold float64   `json:"threshold"`
	Period    Duration  `json:"period,omitempty"`
	Enabled   bool      `json:"enabled"`
}

// Duration is a time.Duration written as "24h" in JSON.
type Duration time.Duration

// MarshalJSON writes the duration as text.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// UnmarshalJSON reads "24h" (or a number of nanoseconds).
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n int64
		if err2 := json.Unmarshal(b, &n); err2 != nil {
			return fmt.Errorf("duration: %w", err)
		}
		*d = Duration(n)
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration: %w", err)
	}
	*d = Duration(v)
	return nil
}

// period returns the rule's window.
func (r Rule) period() time.Duration {
	if r.Period <= 0 {
		return DefaultPeriod
	}
	return time.Duration(r.Period)
}

// Validate checks that the rule can be evaluated.
func (r Rule) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidRule, fmt.Sprintf(format, a...))
	}
	if strings.TrimSpace(r.Name) == "" {
		return bad("a rule needs a name")
	}
	switch r.Metric {
	case Sessions, ErrorRate, RageRate:
	case SegmentCount:
		if strings.TrimSpace(r.Segment) == "" {
			return bad("a segment_count rule needs a segment")
		}
	case Conversion:
		if len(r.Funnel) < 2 {
			return bad("a conversion rule needs at least two funnel steps")
		}
		for _, s := range r.Funnel {
			if _, err := step.Parse(s); err != nil {
				return bad("funnel step %q: %v", s, err)
			}
		}
	default:
		return bad("unknown metric %q", r.Metric)
	}
	switch r.Condition {
	case Above, Below, RisesBy, FallsBy:
	default:
		return bad("unknown condition %q", r.Condition)
	}
	if math.IsNaN(r.Threshold) || math.IsInf(r.Threshold, 0) {
		return bad("threshold must be a number")
	}
	if (r.Condition == RisesBy || r.Condition == FallsBy) && r.Threshold <= 0 {
		return bad("a change threshold is a positive percentage")
	}
	if r.Period < 0 {
		return bad("period must be positive")
	}
	if strings.TrimSpace(r.Segment) != "" {
		if _, err := segment.Parse(r.Segment); err != nil {
			return bad("segment: %v", err)
		}
	}
	return nil
}

// rate says whether the metric is a percentage.
func (m Metric) rate() bool { return m == Conversion || m == ErrorRate || m == RageRate }

// describe names the metric in a sentence.
func (r Rule) describe() string {
	switch r.Metric {
	case Sessions:
		return "sessions"
	case Conversion:
		return "conversion " + strings.Join(r.Funnel, " → ")
	case ErrorRate:
		return "error rate"
	case RageRate:
		return "rage-click rate"
	default:
		return "sessions in " + r.Segment
	}
}
