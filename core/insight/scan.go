package insight

import (
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/segment"
)

// candidate is a finding before the multiple-testing correction. claim
// findings keep only when their p-value passes; descriptive ones always.
type candidate struct {
	Finding
	claim  bool
	effect float64 // size of the effect (lift, ratio) for ranking, ≥ 1
	// subject and members let finish drop a group that a stronger one on
	// the same subject explains (Android users among mobile visitors):
	// members are the sessions that show the effect in this group.
	subject string
	members map[string]bool
}

// explainedShare is how much of a group's affected sessions a stronger
// group on the same subject must hold to explain it.
const explainedShare = 0.8

// scanner holds one scan's data and bookkeeping.
type scanner struct {
	opt Options
	// all is every session in scope (the period, or all data when no
	// period is given); cur and prev are the two halves changes compare.
	all, cur, prev []*core.Facts
	groups         pathGroups
	// depth is how many funnel steps each of all completed.
	depth []int
	steps []step.Step
	tests int
	found []candidate
	// small is a scan below SmallStudy sessions: descriptions only.
	small bool
}

// Scan drafts findings from sessions' facts. The sessions may span more
// than the period: Scan picks the period and its comparison itself.
func Scan(sessions []*core.Facts, opt Options) *Report {
	opt = opt.withDefaults()
	var in []*core.Facts
	for _, f := range sessions {
		if opt.Segment == nil || segment.Eval(opt.Segment, f) {
			in = append(in, f)
		}
	}
	sort.Slice(in, func(i, j int) bool {
		a, b := in[i].Session, in[j].Session
		if !a.StartedAt.Equal(b.StartedAt) {
			return a.StartedAt.Before(b.StartedAt)
		}
		return a.ID < b.ID
	})
	s := &scanner{opt: opt}
	from, to := opt.From, opt.To
	if from.IsZero() || to.IsZero() {
		// No period: all the data, its halves compared.
		if len(in) > 0 {
			from = in[0].Session.StartedAt
			to = in[len(in)-1].Session.StartedAt.Add(time.Millisecond)
		}
		mid := from.Add(to.Sub(from) / 2)
		s.all = in
		for _, f := range in {
			if f.Session.StartedAt.Before(mid) {
				s.prev = append(s.prev, f)
			} else {
				s.cur = append(s.cur, f)
			}
		}
	} else {
		before := from.Add(-to.Sub(from))
		for _, f := range in {
			t := f.Session.StartedAt
			switch {
			case !t.Before(from) && t.Before(to):
				s.cur = append(s.cur, f)
			case !t.Before(before) && t.Before(from):
				s.prev = append(s.prev, f)
			}
		}
		s.all = s.cur
	}
	s.groups = newPathGroups(in)
	rep := &Report{Sessions: len(s.all), Previous: len(s.prev), From: from, To: to}
	if opt.From.IsZero() || opt.To.IsZero() {
		rep.Previous = 0 // the halves are part of Sessions
	}
	steps := opt.Funnel
	if len(steps) == 0 {
		steps = inferFunnel(s.all, s.groups, opt.MinSample)
	}
	rep.Funnel = steps
	if len(steps) >= 2 {
		if d, sts, err := depths(steps, s.all); err == nil {
			s.depth, s.steps = d, sts
			s.dropOff()
			s.errorsAndAbandonment()
		}
	}
	s.frustration()
	s.pageChanges()
	s.tagChanges()
	s.feedback()
	if need := max(opt.MinSample, SmallStudy); len(s.all) < need {
		// Too few sessions for any test: count what happened instead and
		// let no claim through, however its p-value came out.
		s.small = true
		rep.Note = smallNote(len(s.all), need)
		s.observe()
	}
	rep.Tests = s.tests
	rep.Findings = s.finish()
	return rep
}

// test records one significance test and returns whether p passes the
// corrected level. The level is only known once every test has run, so
// this counts; finish decides.
func (s *scanner) test() { s.tests++ }

func (s *scanner) add(c candidate) { s.found = append(s.found, c) }

// finish applies the Bonferroni correction, ranks and trims.
func (s *scanner) finish() []Finding {
	level := s.opt.Alpha / math.Max(1, float64(s.tests))
	var out []candidate
	for _, c := range s.found {
		if c.claim {
			if s.small || c.PValue >= level {
				continue
			}
			c.Significant = true
			// Effect size and certainty both count; a claim outranks any
			// description.
			certainty := math.Min(1, -math.Log10(math.Max(c.PValue, 1e-300)/level)/6)
			c.Strength = 0.5 + 0.5*math.Min(1, math.Log2(c.effect)/2)*(0.5+0.5*certainty)
		}
		c.Strength = math.Round(c.Strength*1000) / 1000
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Strength != out[j].Strength {
			return out[i].Strength > out[j].Strength
		}
		return out[i].Key < out[j].Key
	})
	out = dropExplained(out)
	if len(out) > s.opt.Max {
		out = out[:s.opt.Max]
	}
	fs := make([]Finding, len(out))
	for i, c := range out {
		fs[i] = c.Finding
	}
	return fs
}

// dropExplained removes a group whose affected sessions lie mostly inside
// a stronger group's on the same subject. cs is sorted strongest first.
func dropExplained(cs []candidate) []candidate {
	var kept []candidate
	for _, c := range cs {
		explained := false
		for _, k := range kept {
			if c.subject == "" || k.subject != c.subject || len(c.members) == 0 {
				continue
			}
			inside := 0
			for id := range c.members {
				if k.members[id] {
					inside++
				}
			}
			if float64(inside) >= explainedShare*float64(len(c.members)) {
				explained = true
				break
			}
		}
		if !explained {
			kept = append(kept, c)
		}
	}
	return kept
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// pct is a share as a rounded percentage.
func pct(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return math.Round(1000*float64(n)/float64(of)) / 10
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// num formats a figure for a sentence.
func num(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(round1(v), 'f', -1, 64)
}

// pText says how unlikely chance is, for a sentence.
func pText(p float64, t test) string {
	switch {
	case p < 0.0001:
		return "p < 0.0001, " + string(t)
	default:
		return "p = " + strconv.FormatFloat(p, 'g', 2, 64) + ", " + string(t)
	}
}
