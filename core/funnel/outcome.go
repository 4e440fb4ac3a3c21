package funnel

// OutcomeOf is one session's way through the funnel from its timeline
// entries: the greedy scan EvaluateTimelines runs, for evaluators that
// hold sessions in their own layout. q must be normalized.
func OutcomeOf(q Query, es []Entry) Outcome { return timelineOutcome(q, es) }
