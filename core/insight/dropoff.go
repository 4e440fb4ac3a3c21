package insight

import (
	"fmt"
	"sort"
	"strings"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/segment"
)

// groupAttributes are the session attributes whose groups are compared
// among those who drop off.
var groupAttributes = []string{"device", "browser", "os", "country"}

// dropOff finds the step that loses most sessions, then, at every step,
// the groups that drop off there more often than everyone else.
func (s *scanner) dropOff() {
	d, sts := s.depth, s.steps
	n := len(sts)
	reached := make([]int, n)
	for _, depth := range d {
		for k := 0; k < depth; k++ {
			reached[k]++
		}
	}
	worst := -1
	for k := 0; k < n-1; k++ {
		lost := reached[k] - reached[k+1]
		if reached[k] >= s.opt.MinSample && (worst < 0 || lost > reached[worst]-reached[worst+1]) {
			worst = k
		}
	}
	if worst >= 0 {
		s.worstStep(d, sts, reached, worst)
	}
	for k := 0; k < n-1; k++ {
		if reached[k] < 2*s.opt.MinSample {
			continue
		}
		for _, attr := range groupAttributes {
			s.dropSegments(d, sts, k, attr)
		}
	}
}

func (s *scanner) worstStep(d []int, sts []step.Step, reached []int, k int) {
	lost := reached[k] - reached[k+1]
	rate := pct(lost, reached[k])
	var dropped []*core.Facts
	for i, f := range s.all {
		if d[i] == k+1 {
			dropped = append(dropped, f)
		}
	}
	chart := &Chart{Title: "Sessions at each funnel step", Unit: "sessions"}
	for i, st := range sts {
		chart.Labels = append(chart.Labels, stepLabel(st))
		chart.Values = append(chart.Values, float64(reached[i]))
	}
	here, next := stepLabel(sts[k]), stepLabel(sts[k+1])
	f := Finding{
		Key:   "funnel_step:" + sts[k].String(),
		Kind:  KindFunnelStep,
		Title: fmt.Sprintf("%s loses the most people: %s%% stop there", capitalise(here), num(rate)),
		Sentences: []string{
			fmt.Sprintf("%d of the %d sessions that reached %s did not go on to %s.", lost, reached[k], here, next),
			fmt.Sprintf("Of the %d sessions that entered the funnel, %d (%s%%) completed it.",
				reached[0], reached[len(reached)-1], num(pct(reached[len(reached)-1], reached[0]))),
		},
		Evidence: Evidence{
			Figures: []Figure{
				{Label: "sessions that reached " + here, Value: float64(reached[k]), Unit: "sessions"},
				{Label: "dropped off at " + here, Value: float64(lost), Unit: "sessions"},
				{Label: "drop-off rate at " + here, Value: rate, Unit: "%"},
			},
			Samples: samples(dropped, func(f *core.Facts) (int64, string) {
				return stepOffset(f, sts[k]), "last seen at " + here
			}),
			Chart: chart,
		},
		PValue: 1,
	}
	if sts[k].Kind == step.Page {
		f.Evidence.Page = sts[k].Pattern
	}
	// A description: it ranks below every claim that passed a test.
	s.add(candidate{Finding: withStrength(f, 0.2+0.2*rate/100)})
}

func (s *scanner) dropSegments(d []int, sts []step.Step, k int, attr string) {
	type counts struct{ dropped, went int }
	by := map[string]*counts{}
	total := counts{}
	for i, f := range s.all {
		if d[i] < k+1 {
			continue
		}
		v := segment.TextOf(attr, &f.Session)
		if v == "" {
			continue
		}
		if by[v] == nil {
			by[v] = &counts{}
		}
		if d[i] == k+1 {
			by[v].dropped++
			total.dropped++
		} else {
			by[v].went++
			total.went++
		}
	}
	here := stepLabel(sts[k])
	chart := &Chart{Title: "Drop-off at " + here + " by " + attr, Unit: "%"}
	for _, v := range sortedKeys(by) {
		c := by[v]
		if c.dropped+c.went >= s.opt.MinSample {
			chart.Labels = append(chart.Labels, v)
			chart.Values = append(chart.Values, pct(c.dropped, c.dropped+c.went))
		}
	}
	for _, v := range sortedKeys(by) {
		in := by[v]
		a, b := in.dropped, in.went
		c, dd := total.dropped-a, total.went-b
		if a+b < s.opt.MinSample || c+dd < s.opt.MinSample {
			continue
		}
		s.test()
		rIn, rOut := float64(a)/float64(a+b), float64(c)/float64(c+dd)
		if a < 5 || rIn <= rOut || (rOut > 0 && rIn/rOut < s.opt.MinLift) {
			continue
		}
		lift := rIn / maxf(rOut, 1.0/float64(c+dd+1))
		p, t := table2{a, b, c, dd}.pValue()
		who := groupLabel(attr, v)
		var dropped []*core.Facts
		for i, f := range s.all {
			if d[i] == k+1 && segment.FoldEqual(segment.TextOf(attr, &f.Session), v) {
				dropped = append(dropped, f)
			}
		}
		shareDropped, shareWent := pct(a, total.dropped), pct(b, total.went)
		s.add(candidate{claim: true, effect: lift, subject: "drop:" + sts[k].String(), members: idSet(dropped), Finding: Finding{
			Key:   "drop_segment:" + sts[k].String() + ":" + attr + "=" + v,
			Kind:  KindDropSegment,
			Title: fmt.Sprintf("%s drop off at %s %s× as often", capitalise(who), here, num(round1(lift))),
			Sentences: []string{
				fmt.Sprintf("Of the %d sessions of %s that reached %s, %s%% went no further, against %s%% of the other %d.",
					a+b, who, here, num(pct(a, a+b)), num(pct(c, c+dd)), c+dd),
				fmt.Sprintf("They make up %s%% of those who dropped off there but only %s%% of those who went on.", num(shareDropped), num(shareWent)),
				fmt.Sprintf("A gap this large is very unlikely to be chance (%s).", pText(p, t)),
			},
			Evidence: Evidence{
				Figures: []Figure{
					{Label: who + " at " + here, Value: float64(a + b), Unit: "sessions"},
					{Label: "drop-off rate of " + who, Value: pct(a, a+b), Unit: "%"},
					{Label: "drop-off rate of everyone else", Value: pct(c, c+dd), Unit: "%"},
					{Label: "lift", Value: round1(lift), Unit: "x"},
					{Label: "share among those who dropped off", Value: shareDropped, Unit: "%"},
					{Label: "share among those who went on", Value: shareWent, Unit: "%"},
				},
				Samples: samples(dropped, func(f *core.Facts) (int64, string) {
					return stepOffset(f, sts[k]), "dropped off at " + here
				}),
				Chart: chart,
				Page:  pageOf(sts[k]),
			},
			PValue:  p,
			Test:    string(t),
			Segment: segment.Cond{Field: attr, Op: segment.Eq, Str: v}.String(),
		}})
	}
}

// groupLabel names a group of sessions: "mobile visitors", "Safari users".
func groupLabel(attr, v string) string {
	switch attr {
	case "device":
		return v + " visitors"
	case "country":
		return "visitors from " + v
	}
	return v + " users"
}

func pageOf(st step.Step) string {
	if st.Kind == step.Page {
		return st.Pattern
	}
	return ""
}

func withStrength(f Finding, v float64) Finding {
	f.Strength = v
	return f
}

// capitalise starts a sentence with a capital, unless the first word
// already has one inside it (iOS, macOS) or is a path.
func capitalise(s string) string {
	if s == "" || s[0] == '/' {
		return s
	}
	first, _, _ := strings.Cut(s, " ")
	if strings.ToLower(first) != first {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func idSet(fs []*core.Facts) map[string]bool {
	out := make(map[string]bool, len(fs))
	for _, f := range fs {
		out[f.Session.ID] = true
	}
	return out
}

func maxf(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

// samples picks up to five sessions to watch: the most frustrated first,
// then by id, each at the moment at gives.
func samples(fs []*core.Facts, at func(*core.Facts) (int64, string)) []Moment {
	sorted := append([]*core.Facts(nil), fs...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i].Session, sorted[j].Session
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.ID < b.ID
	})
	if len(sorted) > 5 {
		sorted = sorted[:5]
	}
	out := make([]Moment, 0, len(sorted))
	for _, f := range sorted {
		off, note := at(f)
		out = append(out, Moment{Session: f.Session.ID, OffsetMS: off, Note: note})
	}
	return out
}
