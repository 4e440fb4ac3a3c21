package funnel

import (
	"math/bits"

	"github.com/loupe-dev/loupe/core"
)

// Timeline is one session reduced to what a funnel needs: its entries of
// the funnel's step kinds in time order (ties: pages, inputs, clicks,
// events, then recorded order), each with a bit mask of the steps it
// matches. Strict funnels need every entry of the step kinds, matching or
// not; the other modes only the matching ones.
type Timeline struct {
	Session string
	Group   string
	Entries []Entry
}

// Entry is one fact on a Timeline.
type Entry struct {
	At   int64  // ms since the session's start
	Mask uint32 // bit k set: the fact matches step k
}

// EvaluateTimelines is the fast evaluator: a greedy scan per session (from
// each occurrence of the first step, take the earliest next step in the
// window), which finds the same deepest, earliest chain as the reference's
// exhaustive search. Timelines must already be in scope.
func EvaluateTimelines(q Query, timelines []Timeline) (*Result, error) {
	q, err := q.Normalize()
	if err != nil {
		return nil, err
	}
	outcomes := make([]Outcome, len(timelines))
	for i, t := range timelines {
		o := timelineOutcome(q, t.Entries)
		o.Session, o.Group = t.Session, t.Group
		outcomes[i] = o
	}
	return Summarize(q, outcomes), nil
}

func timelineOutcome(q Query, es []Entry) Outcome {
	n := len(q.Steps)
	win := q.Window.Milliseconds()
	if q.Mode == AnyOrder {
		best := 0
		for i := range es {
			var seen uint32
			for j := i; j < len(es) && es[j].At-es[i].At <= win; j++ {
				seen |= es[j].Mask
			}
			best = max(best, bits.OnesCount32(seen&(1<<n-1)))
			if best == n {
				break
			}
		}
		return Outcome{Depth: best}
	}
	var best, cur [32]int
	bestDepth := 0
	for i := range es {
		if es[i].Mask&1 == 0 {
			continue
		}
		cur[0] = i
		depth := 1
		for j := i + 1; j < len(es) && depth < n && es[j].At-es[i].At <= win; j++ {
			if es[j].Mask&(1<<depth) != 0 {
				cur[depth] = j
				depth++
			} else if q.Mode == Strict {
				break
			}
		}
		if depth > bestDepth {
			bestDepth, best = depth, cur
		}
		if bestDepth == n {
			break
		}
	}
	o := Outcome{Depth: bestDepth}
	for k := 1; k < bestDepth; k++ {
		o.GapsMS = append(o.GapsMS, es[best[k]].At-es[best[k-1]].At)
	}
	return o
}

// TimelineOf builds a session's timeline from its facts: the bridge the
// workspace's loader mirrors row by row.
// q must be normalized.
func TimelineOf(q Query, f *core.Facts) Timeline {
	es := factEntries(q, f)
	t := Timeline{Session: f.Session.ID, Group: GroupOf(q.Breakdown, f), Entries: make([]Entry, 0, len(es))}
	for _, e := range es {
		var m uint32
		for k, s := range q.Steps {
			if s.MatchesFact(e) {
				m |= 1 << k
			}
		}
		if m != 0 || q.Mode == Strict {
			t.Entries = append(t.Entries, Entry{At: e.At, Mask: m})
		}
	}
	return t
}
