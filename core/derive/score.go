package derive

import (
	"math"
	"time"

	"github.com/loupe-dev/loupe/core"
)

// Frustration score weights. A rage burst and an error click are the
// clearest signs a user is stuck; a dead click or a stray failed request
// is weaker evidence. Each signal's count is capped at scoreCap so one
// noisy page (a console logging the same error in a loop) cannot bury
// sessions with several different problems.
const (
	WeightRageClick       = 3.0
	WeightErrorClick      = 2.5
	WeightDeadClick       = 1.0
	WeightJSError         = 1.0
	WeightFailedRequest   = 1.0
	WeightQuickBack       = 1.5
	WeightExcessiveScroll = 1.0
	scoreCap              = 5
)

// Score is a session's frustration score: the weighted sum of its signals
// (rage bursts, error clicks, dead clicks, JS errors, failed requests,
// quick backs, pages with excessive scrolling), each count capped at 5.
// 0 means no frustration signal; sessions are ranked by it in the "worth
// watching" list.
func Score(f *core.Facts) float64 {
	s := f.Session
	quick, excessive := 0, 0
	for _, p := range f.Pageviews {
		if p.QuickBack {
			quick++
		}
		if p.ExcessiveScroll {
			excessive++
		}
	}
	c := func(n int) float64 { return float64(min(n, scoreCap)) }
	score := WeightRageClick*c(s.RageClicks) + WeightErrorClick*c(s.ErrorClicks) +
		WeightDeadClick*c(s.DeadClicks) + WeightJSError*c(s.JSErrors) +
		WeightFailedRequest*c(s.FailedReqs) + WeightQuickBack*c(quick) +
		WeightExcessiveScroll*c(excessive)
	return math.Round(score*10) / 10
}

func msDuration(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }
