package funnel

import (
	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/segment"
)

// Evaluate runs the funnel over sessions' facts. It is the reference: it
// tries every chain of step occurrences (exhaustive search) rather than the
// greedy scan of EvaluateTimelines, so the two check each other.
func Evaluate(q Query, sessions []*core.Facts) (*Result, error) {
	q, err := q.Normalize()
	if err != nil {
		return nil, err
	}
	var outcomes []Outcome
	for _, f := range sessions {
		if !q.InRange(f.Session.StartedAt) || (q.Segment != nil && !segment.Eval(q.Segment, f)) {
			continue
		}
		o := referenceOutcome(q, factEntries(q, f))
		o.Session = f.Session.ID
		o.Group = GroupOf(q.Breakdown, f)
		outcomes = append(outcomes, o)
	}
	return Summarize(q, outcomes), nil
}

// GroupOf is a session's breakdown value for a canonical field name.
func GroupOf(field string, f *core.Facts) string {
	switch field {
	case "":
		return ""
	case "entry", "exit":
		return segment.PathOf(field, f)
	}
	return segment.TextOf(field, &f.Session)
}

// factEntries lists a session's facts of the funnel's step kinds in time
// order (ties: pages first, then inputs, clicks, events; then recorded order).
func factEntries(q Query, f *core.Facts) []step.Fact {
	kinds := make([]step.Kind, len(q.Steps))
	for i, s := range q.Steps {
		kinds[i] = s.Kind
	}
	es := step.FactsOf(f, kinds...)
	step.SortByTime(es)
	return es
}

// referenceOutcome searches every chain: positions p1 < p2 < ... where
// entry p_k matches step k and p_last - p1 fits the window; strict chains
// take the very next entry each time. The deepest chain wins, and among
// equals the one that is earliest position by position.
func referenceOutcome(q Query, es []step.Fact) Outcome {
	win := q.Window.Milliseconds()
	if q.Mode == AnyOrder {
		best := 0
		for i := range es {
			seen := 0
			for _, s := range q.Steps {
				for _, e := range es {
					if e.At >= es[i].At && e.At-es[i].At <= win && s.MatchesFact(e) {
						seen++
						break
					}
				}
			}
			best = max(best, seen)
		}
		return Outcome{Depth: best}
	}
	var best []int
	var chain []int
	var search func(from int)
	search = func(from int) {
		if len(chain) > len(best) {
			best = append(best[:0], chain...)
		}
		if len(chain) == len(q.Steps) {
			return
		}
		s := q.Steps[len(chain)]
		for p := from; p < len(es); p++ {
			if len(chain) > 0 && es[p].At-es[chain[0]].At > win {
				break
			}
			if s.MatchesFact(es[p]) {
				chain = append(chain, p)
				search(p + 1)
				chain = chain[:len(chain)-1]
				if len(best) == len(q.Steps) {
					return
				}
			}
			if q.Mode == Strict && len(chain) > 0 {
				break // only the very next entry may continue a strict chain
			}
		}
	}
	search(0)
	o := Outcome{Depth: len(best)}
	for k := 1; k < len(best); k++ {
		o.GapsMS = append(o.GapsMS, es[best[k]].At-es[best[k-1]].At)
	}
	return o
}
