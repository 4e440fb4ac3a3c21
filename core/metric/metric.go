// Package metric defines, once, the session metrics that dashboards,
// alerts and reports show:
//
//   - a session bounced when it has at most one pageview;
//   - a session has errors when it has at least one JS error or one failed
//     network request;
//   - a session has rage when it has at least one rage click.
//
// Each rate is the share of the sessions in scope that satisfy its
// definition (0 when there are none). The Go definitions here count facts
// already in memory (reports); the workspace counts the same definitions
// in SQL (workspace.DB.Counts, behind the dashboard's cards and the alert
// rules) and the analytics index over its columns (index.PeriodCounts,
// behind the workbench's cards), and tests hold every consumer to the
// same numbers on one workspace.
package metric

import "github.com/loupe-dev/loupe/core"

// Bounced reports whether a session left after at most one pageview.
func Bounced(s *core.Session) bool { return s.Pageviews <= 1 }

// Errored reports whether a session had a JS error or a failed request.
func Errored(s *core.Session) bool { return s.JSErrors > 0 || s.FailedReqs > 0 }

// Raged reports whether a session had a rage click.
func Raged(s *core.Session) bool { return s.RageClicks > 0 }

// Counts are the session counts every rate is made of, over one scope.
type Counts struct {
	Sessions   int   `json:"sessions"`
	Visitors   int   `json:"visitors"`    // distinct visitor ids
	DurationMS int64 `json:"duration_ms"` // summed over the sessions
	Bounced    int   `json:"bounced"`
	Errored    int   `json:"errored"`
	Raged      int   `json:"raged"`
}

// Count tallies sessions by the definitions above.
func Count(sessions []*core.Session) Counts {
	var c Counts
	visitors := map[string]bool{}
	for _, s := range sessions {
		c.Sessions++
		visitors[s.Visitor] = true
		c.DurationMS += s.DurationMS
		if Bounced(s) {
			c.Bounced++
		}
		if Errored(s) {
			c.Errored++
		}
		if Raged(s) {
			c.Raged++
		}
	}
	c.Visitors = len(visitors)
	return c
}

// CountFacts tallies the sessions of facts.
func CountFacts(facts []*core.Facts) Counts {
	ss := make([]*core.Session, len(facts))
	for i, f := range facts {
		ss[i] = &f.Session
	}
	return Count(ss)
}

// BounceRate is the share of sessions that bounced (0–1).
func (c Counts) BounceRate() float64 { return Share(c.Bounced, c.Sessions) }

// ErrorRate is the share of sessions with errors (0–1).
func (c Counts) ErrorRate() float64 { return Share(c.Errored, c.Sessions) }

// RageRate is the share of sessions with rage (0–1).
func (c Counts) RageRate() float64 { return Share(c.Raged, c.Sessions) }

// AvgDurationMS is the mean session duration (0 without sessions).
func (c Counts) AvgDurationMS() float64 {
	if c.Sessions == 0 {
		return 0
	}
	return float64(c.DurationMS) / float64(c.Sessions)
}

// Share is n of `of` as a fraction, 0 when `of` is 0.
func Share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}
