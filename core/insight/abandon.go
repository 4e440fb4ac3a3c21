package insight

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/loupe-dev/loupe/core"
)

// problem is a JS error or a kind of failed request on one page group.
type problem struct {
	key, label, kind, page string
}

// problemsOf lists the distinct problems of a session with their first
// offsets. Request URLs lose their query string and host: the endpoint is
// the problem, not the call.
func (s *scanner) problemsOf(f *core.Facts) map[problem]int64 {
	out := map[problem]int64{}
	note := func(p problem, at int64) {
		if old, ok := out[p]; !ok || at < old {
			out[p] = at
		}
	}
	for _, e := range f.Errors {
		msg := strings.TrimSpace(e.Message)
		if len(msg) > 120 {
			msg = msg[:120] + "…"
		}
		page := s.groups.of(e.Path)
		note(problem{key: "error:" + msg + " on " + page, label: strconv.Quote(msg), kind: "JS error", page: page}, e.OffsetMS)
	}
	for _, r := range f.Requests {
		if !r.Failed {
			continue
		}
		path := r.URL
		if u, err := url.Parse(r.URL); err == nil {
			path = u.Path
		}
		status := "network error"
		if r.Status > 0 {
			status = strconv.Itoa(r.Status)
		}
		ep := strings.ToUpper(r.Method) + " " + path
		page := s.groups.of(r.Path)
		note(problem{key: "request:" + ep + ":" + status + " on " + page, label: ep + " (" + status + ")", kind: "failed request", page: page}, r.OffsetMS)
	}
	return out
}

// errorsAndAbandonment finds errors and failed requests after which
// sessions converted markedly less often than other sessions in the funnel
// that saw the same page without them.
func (s *scanner) errorsAndAbandonment() {
	n := len(s.steps)
	type counts struct {
		lost, converted int
		p               problem
	}
	by := map[string]*counts{}
	// per page group: sessions in the funnel that visited it, by outcome
	pageLost, pageConverted := map[string]int{}, map[string]int{}
	problems := make([]map[problem]int64, len(s.all))
	for i, f := range s.all {
		if s.depth[i] == 0 {
			continue
		}
		done := s.depth[i] == n
		seen := map[string]bool{}
		for _, pv := range f.Pageviews {
			g := s.groups.of(pv.Path)
			if seen[g] {
				continue
			}
			seen[g] = true
			if done {
				pageConverted[g]++
			} else {
				pageLost[g]++
			}
		}
		problems[i] = s.problemsOf(f)
		for p := range problems[i] {
			c := by[p.key]
			if c == nil {
				c = &counts{p: p}
				by[p.key] = c
			}
			if done {
				c.converted++
			} else {
				c.lost++
			}
		}
	}
	for _, key := range sortedKeys(by) {
		c := by[key]
		a, b := c.lost, c.converted
		cc, d := pageLost[c.p.page]-a, pageConverted[c.p.page]-b
		if a+b < s.opt.MinSample || cc+d < s.opt.MinSample {
			continue
		}
		s.test()
		rIn, rOut := float64(a)/float64(a+b), float64(cc)/float64(cc+d)
		if a < 5 || rIn <= rOut || (rOut > 0 && rIn/rOut < s.opt.MinLift) {
			continue
		}
		lift := rIn / maxf(rOut, 1.0/float64(cc+d+1))
		p, t := table2{a, b, cc, d}.pValue()
		var hit []*core.Facts
		at := map[string]int64{}
		for i, f := range s.all {
			if off, ok := problems[i][c.p]; ok && s.depth[i] > 0 && s.depth[i] < n {
				hit = append(hit, f)
				at[f.Session.ID] = off
			}
		}
		s.add(candidate{claim: true, effect: lift, Finding: Finding{
			Key:   "error_abandon:" + key,
			Kind:  KindErrorAbandon,
			Title: fmt.Sprintf("The %s %s on %s goes with abandonment", c.p.kind, c.p.label, c.p.page),
			Sentences: []string{
				fmt.Sprintf("%s%% of the %d sessions in the funnel that met it on %s did not convert, against %s%% of the %d that saw %s without it.",
					num(pct(a, a+b)), a+b, c.p.page, num(pct(cc, cc+d)), cc+d, c.p.page),
				fmt.Sprintf("That is %s× the usual rate of abandonment (%s).", num(round1(lift)), pText(p, t)),
			},
			Evidence: Evidence{
				Figures: []Figure{
					{Label: "sessions that met it", Value: float64(a + b), Unit: "sessions"},
					{Label: "abandonment with it", Value: pct(a, a+b), Unit: "%"},
					{Label: "abandonment without it", Value: pct(cc, cc+d), Unit: "%"},
					{Label: "lift", Value: round1(lift), Unit: "x"},
				},
				Samples: samples(hit, func(f *core.Facts) (int64, string) {
					return at[f.Session.ID], c.p.kind
				}),
				Chart: &Chart{Title: "Abandonment with and without it", Unit: "%",
					Labels: []string{"with", "without"}, Values: []float64{pct(a, a+b), pct(cc, cc+d)}},
				Page: c.p.page,
			},
			PValue: p,
			Test:   string(t),
		}})
	}
}
