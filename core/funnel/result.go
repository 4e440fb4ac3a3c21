package funnel

import (
	"math"
	"slices"
	"sort"
)

// Result is a funnel's answer.
type Result struct {
	Steps []StepResult `json:"steps"`
	// Sessions is the number of sessions in scope (segment and date range).
	Sessions int `json:"sessions"`
	// Converted is the number of sessions that completed every step.
	Converted int `json:"converted"`
	// Conversion is Converted over the sessions that entered the funnel.
	Conversion float64 `json:"conversion"`
	// Breakdown splits the counts by the query's breakdown attribute,
	// largest group first.
	Breakdown []Group `json:"breakdown,omitempty"`
	dropped   [][]string
	converted []string
}

// StepResult is one step's numbers.
type StepResult struct {
	Step  string `json:"step"`
	Count int    `json:"count"`
	// ConversionOverall is Count over the first step's count.
	ConversionOverall float64 `json:"conversion_overall"`
	// ConversionFromPrevious is Count over the previous step's count.
	ConversionFromPrevious float64 `json:"conversion_from_previous"`
	// MedianMS and P90MS are the time from the previous step (ordered
	// modes; zero for the first step and in any-order funnels).
	MedianMS int64 `json:"median_ms_from_previous"`
	P90MS    int64 `json:"p90_ms_from_previous"`
	// DroppedOff is how many sessions reached this step and not the next.
	DroppedOff int `json:"dropped_off"`
}

// Group is the funnel for one breakdown value.
type Group struct {
	Value      string  `json:"value"`
	Sessions   int     `json:"sessions"`
	Counts     []int   `json:"counts"`
	Conversion float64 `json:"conversion"`
}

// DroppedAfter returns the ids (sorted) of the sessions that completed
// step i (0-based) but not step i+1; for the last step, none.
func (r *Result) DroppedAfter(i int) []string {
	if i < 0 || i >= len(r.dropped) {
		return nil
	}
	return append([]string(nil), r.dropped[i]...)
}

// ConvertedSessions returns the ids (sorted) of the sessions that
// completed every step.
func (r *Result) ConvertedSessions() []string {
	return append([]string(nil), r.converted...)
}

// Summarize turns per-session outcomes into a Result. Both evaluators end
// here, so they differ only in how they find each session's outcome.
func Summarize(q Query, outcomes []Outcome) *Result {
	n := len(q.Steps)
	res := &Result{Sessions: len(outcomes), Steps: make([]StepResult, n), dropped: make([][]string, n)}
	gaps := make([][]int64, n)
	groups := map[string]*Group{}
	for _, o := range outcomes {
		for k := 0; k < o.Depth; k++ {
			res.Steps[k].Count++
			if k > 0 && k-1 < len(o.GapsMS) {
				gaps[k] = append(gaps[k], o.GapsMS[k-1])
			}
		}
		if o.Depth > 0 && o.Depth < n {
			res.dropped[o.Depth-1] = append(res.dropped[o.Depth-1], o.Session)
		}
		if n > 0 && o.Depth == n {
			res.converted = append(res.converted, o.Session)
		}
		if q.Breakdown != "" {
			g := groups[o.Group]
			if g == nil {
				g = &Group{Value: o.Group, Counts: make([]int, n)}
				groups[o.Group] = g
			}
			g.Sessions++
			for k := 0; k < o.Depth; k++ {
				g.Counts[k]++
			}
		}
	}
	for k := range res.Steps {
		s := &res.Steps[k]
		s.Step = q.Steps[k].String()
		first := res.Steps[0].Count
		s.ConversionOverall = ratio(s.Count, first)
		if k == 0 {
			s.ConversionFromPrevious = ratio(s.Count, res.Sessions)
		} else {
			s.ConversionFromPrevious = ratio(s.Count, res.Steps[k-1].Count)
		}
		s.MedianMS = Percentile(gaps[k], 0.5)
		s.P90MS = Percentile(gaps[k], 0.9)
		slices.Sort(res.dropped[k])
		s.DroppedOff = len(res.dropped[k])
	}
	sort.Strings(res.converted)
	res.Converted = res.Steps[n-1].Count
	res.Conversion = ratio(res.Converted, res.Steps[0].Count)
	for _, g := range groups {
		g.Conversion = ratio(g.Counts[n-1], g.Counts[0])
		res.Breakdown = append(res.Breakdown, *g)
	}
	sort.Slice(res.Breakdown, func(i, j int) bool {
		a, b := res.Breakdown[i], res.Breakdown[j]
		if a.Sessions != b.Sessions {
			return a.Sessions > b.Sessions
		}
		return a.Value < b.Value
	})
	return res
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(float64(a)/float64(b)*10000) / 10000
}

// Percentile is the nearest-rank percentile (p in 0..1) of xs, 0 for none.
// It sorts xs in place.
func Percentile(xs []int64, p float64) int64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs) // pdqsort without a closure call per comparison: several times sort.Slice's speed at 100k

	k := int(math.Ceil(p*float64(len(xs)))) - 1
	return xs[max(0, min(k, len(xs)-1))]
}
