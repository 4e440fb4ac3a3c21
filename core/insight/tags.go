package insight

import (
	"fmt"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/segment"
)

// tagChanges finds tags that are new in the later period or on a much
// larger share of sessions than before.
func (s *scanner) tagChanges() {
	count := func(sessions []*core.Facts) map[string][]*core.Facts {
		out := map[string][]*core.Facts{}
		for _, f := range sessions {
			seen := map[string]bool{}
			for _, t := range f.Session.Tags {
				if !seen[t] {
					seen[t] = true
					out[t] = append(out[t], f)
				}
			}
		}
		return out
	}
	cur, prev := count(s.cur), count(s.prev)
	n1, n2 := len(s.cur), len(s.prev)
	if n1 < s.opt.MinSample || n2 < s.opt.MinSample {
		return
	}
	for _, tag := range sortedKeys(cur) {
		x1, x2 := len(cur[tag]), len(prev[tag])
		lift, p, t, ok := s.rose(x1, n1, x2, n2)
		if !ok {
			continue
		}
		title := fmt.Sprintf("The tag %q is spiking: %s%% of sessions, was %s%%", tag, num(pct(x1, n1)), num(pct(x2, n2)))
		if x2 == 0 {
			title = fmt.Sprintf("A new tag appeared: %q on %d sessions", tag, x1)
		}
		s.add(candidate{claim: true, effect: lift, Finding: Finding{
			Key:   "tag_spike:" + tag,
			Kind:  KindTag,
			Title: title,
			Sentences: []string{
				fmt.Sprintf("%d of %d sessions in the later period carry %q, against %d of %d before.", x1, n1, tag, x2, n2),
				fmt.Sprintf("The rise is very unlikely to be chance (%s).", pText(p, t)),
			},
			Evidence: Evidence{
				Figures: []Figure{
					{Label: "sessions with the tag now", Value: float64(x1), Unit: "sessions"},
					{Label: "share now", Value: pct(x1, n1), Unit: "%"},
					{Label: "share before", Value: pct(x2, n2), Unit: "%"},
				},
				Samples: samples(cur[tag], func(*core.Facts) (int64, string) { return 0, "tagged " + tag }),
				Chart: &Chart{Title: "Sessions tagged " + tag, Unit: "%", Labels: []string{"before", "now"},
					Values: []float64{pct(x2, n2), pct(x1, n1)}},
			},
			PValue: p, Test: string(t),
			Segment: segment.Cond{Field: "tag", Op: segment.Eq, Str: tag}.String(),
		}})
	}
}
