package step

import (
	"slices"
	"sort"

	"github.com/loupe-dev/loupe/core"
)

// Fact is one recorded fact a step can match: a pageview's path, a
// click's or an input's selector, or a custom event's name.
type Fact struct {
	Kind  Kind
	Value string
	At    int64 // ms since the session's start
	// Seq is the fact's place among the session's facts of its kind.
	Seq int
	// Pageview is the index of the pageview the fact happened on.
	Pageview int
}

// FactsOf lists a session's facts of the given kinds, kind by kind in the
// order Page, Input, Click, Event, each in recorded order. It is the one
// place that says which recorded value a step of each kind is matched
// against; segments, funnels and insights all read facts through it.
func FactsOf(f *core.Facts, kinds ...Kind) []Fact {
	var out []Fact
	for _, k := range []Kind{Page, Input, Click, Event} {
		if slices.Contains(kinds, k) {
			eachFact(f, k, func(x Fact) bool { out = append(out, x); return true })
		}
	}
	return out
}

// eachFact calls fn with a session's facts of one kind in recorded order
// until it returns false.
func eachFact(f *core.Facts, k Kind, fn func(Fact) bool) {
	switch k {
	case Page:
		for i, p := range f.Pageviews {
			if !fn(Fact{Page, p.Path, p.OffsetMS, p.Index, i}) {
				return
			}
		}
	case Input:
		for i, in := range f.Inputs {
			if !fn(Fact{Input, in.Selector, in.OffsetMS, i, in.Pageview}) {
				return
			}
		}
	case Click:
		for i, c := range f.Clicks {
			if !fn(Fact{Click, c.Selector, c.OffsetMS, i, c.Pageview}) {
				return
			}
		}
	case Event:
		for i, e := range f.CustomEvents {
			if !fn(Fact{Event, e.Name, e.OffsetMS, i, e.Pageview}) {
				return
			}
		}
	}
}

// SortByTime orders facts in time; facts recorded at the same millisecond
// keep the kinds' Rank, then their recorded order.
func SortByTime(fs []Fact) {
	sort.Slice(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.At != b.At {
			return a.At < b.At
		}
		if ra, rb := a.Kind.Rank(), b.Kind.Rank(); ra != rb {
			return ra < rb
		}
		return a.Seq < b.Seq
	})
}

// MatchesFact reports whether a fact is of the step's kind and matches it.
func (s Step) MatchesFact(x Fact) bool { return x.Kind == s.Kind && s.Matches(x.Value) }

// Find lists a session's facts that match the step, in recorded order.
func (s Step) Find(f *core.Facts) []Fact {
	var out []Fact
	eachFact(f, s.Kind, func(x Fact) bool {
		if s.Matches(x.Value) {
			out = append(out, x)
		}
		return true
	})
	return out
}

// Reached reports whether any of a session's facts matches the step.
func (s Step) Reached(f *core.Facts) bool {
	found := false
	eachFact(f, s.Kind, func(x Fact) bool {
		found = s.Matches(x.Value)
		return !found
	})
	return found
}
