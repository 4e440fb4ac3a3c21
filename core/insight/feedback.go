package insight

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/loupe-dev/loupe/core"
)

// KindFeedback is a page whose feedback responses score lowest.
const KindFeedback Kind = "feedback"

// minResponses is how many responses a page needs before its score is
// described.
const minResponses = 5

// feedback describes, for each prompt kind (CSAT, NPS), the page whose
// responses score lowest, with the comments as moments to watch.
func (s *scanner) feedback() {
	type resp struct {
		f *core.Facts
		r core.Feedback
	}
	by := map[string]map[string][]resp{} // kind → page → responses
	for _, f := range s.all {
		for _, r := range f.Feedback {
			if r.Kind != "csat" && r.Kind != "nps" {
				continue
			}
			page := s.groups.of(r.Path)
			if by[r.Kind] == nil {
				by[r.Kind] = map[string][]resp{}
			}
			by[r.Kind][page] = append(by[r.Kind][page], resp{f, r})
		}
	}
	for _, kind := range sortedKeys(by) {
		worst, worstScore := "", 0.0
		for _, page := range sortedKeys(by[kind]) {
			rs := by[kind][page]
			if len(rs) < minResponses {
				continue
			}
			score := 0.0
			for _, r := range rs {
				score += float64(r.r.Score)
			}
			if kind == "nps" {
				score = nps(rs, func(x resp) int { return x.r.Score })
			} else {
				score /= float64(len(rs))
			}
			if worst == "" || score < worstScore {
				worst, worstScore = page, score
			}
		}
		if worst == "" {
			continue
		}
		rs := by[kind][worst]
		// Comments first, then the lowest scores: the responses worth reading.
		sort.SliceStable(rs, func(i, j int) bool {
			if (rs[i].r.Comment != "") != (rs[j].r.Comment != "") {
				return rs[i].r.Comment != ""
			}
			return rs[i].r.Score < rs[j].r.Score
		})
		var moments []Moment
		for _, r := range rs[:min(5, len(rs))] {
			note := "score " + strconv.Itoa(r.r.Score)
			if r.r.Comment != "" {
				note += ": " + clip(r.r.Comment, 140)
			}
			moments = append(moments, Moment{Session: r.f.Session.ID, OffsetMS: r.r.OffsetMS, Note: note})
		}
		label, unit, scale := "average CSAT", "", "out of 5"
		if kind == "nps" {
			label, scale = "NPS", "from -100 to 100"
		}
		s.add(candidate{Finding: withStrength(Finding{
			Key:   "feedback:" + kind + ":" + worst,
			Kind:  KindFeedback,
			Title: fmt.Sprintf("%s scores lowest in feedback: %s %s", worst, label, num(round1(worstScore))),
			Sentences: []string{
				fmt.Sprintf("%d responses to the %s prompt on %s give an %s of %s (%s).",
					len(rs), map[string]string{"csat": "satisfaction", "nps": "recommendation"}[kind], worst, label, num(round1(worstScore)), scale),
				"The responses with comments are listed first, each linked to the moment it was given.",
			},
			Evidence: Evidence{
				Figures: []Figure{
					{Label: label + " on " + worst, Value: round1(worstScore), Unit: unit},
					{Label: "responses", Value: float64(len(rs)), Unit: "sessions"},
				},
				Samples: moments,
				Page:    worst,
			},
			PValue: 1,
		}, 0.25)})
	}
}

// nps is the net promoter score: % of 9-10 minus % of 0-6.
func nps[T any](rs []T, score func(T) int) float64 {
	promoters, detractors := 0, 0
	for _, r := range rs {
		switch v := score(r); {
		case v >= 9:
			promoters++
		case v <= 6:
			detractors++
		}
	}
	return 100 * float64(promoters-detractors) / float64(len(rs))
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
