package segment

import (
	"strings"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel/step"
)

// Eval reports whether a session's facts satisfy the expression. It is the
// reference the workspace's SQL compiler is checked against, so it favours
// plainness over speed.
func Eval(e Expr, f *core.Facts) bool {
	switch e := e.(type) {
	case And:
		for _, t := range e {
			if !Eval(t, f) {
				return false
			}
		}
		return true
	case Or:
		for _, t := range e {
			if Eval(t, f) {
				return true
			}
		}
		return false
	case Not:
		return !Eval(e.X, f)
	case Cond:
		return evalCond(e, f)
	case Behaviour:
		return evalBehaviour(e, f)
	}
	return false
}

func evalCond(c Cond, f *core.Facts) bool {
	fd, ok := LookupField(c.Field)
	if !ok {
		return false
	}
	s := &f.Session
	if IsFeedbackScore(c.Field) {
		score, ok := LowestScore(c.Field, f)
		return ok && c.Op.CompareInt(float64(score), c.Num)
	}
	switch fd.Kind {
	case Responses:
		return evalResponses(c, f)
	case Number, Duration:
		return c.Op.CompareInt(NumberOf(c.Field, s), c.Num)
	case TagSet:
		has := false
		for _, t := range s.Tags {
			if FoldEqual(t, c.Str) {
				has = true
			}
		}
		return has == (c.Op == Eq)
	case PathField:
		v := PathOf(c.Field, f)
		switch c.Op {
		case Eq:
			return step.MatchGlob(c.Str, v)
		case Ne:
			return !step.MatchGlob(c.Str, v)
		}
		return strings.Contains(v, c.Str)
	}
	return compareText(c.Op, TextOf(c.Field, s), c.Str)
}

// LowestScore is a session's lowest feedback score of a kind (csat, nps);
// ok is false when it has no response of that kind.
func LowestScore(kind string, f *core.Facts) (score int, ok bool) {
	for _, fb := range f.Feedback {
		if fb.Kind == kind && (!ok || fb.Score < score) {
			score, ok = fb.Score, true
		}
	}
	return score, ok
}

// evalResponses tests the feedback field: = and != ask whether the session
// has a response (of a kind), ~ whether any comment contains the text.
func evalResponses(c Cond, f *core.Facts) bool {
	if c.Op == Contains {
		want := FoldLower(c.Str)
		for _, fb := range f.Feedback {
			if strings.Contains(FoldLower(fb.Comment), want) {
				return true
			}
		}
		return false
	}
	has := false
	for _, fb := range f.Feedback {
		if c.Str == "any" || fb.Kind == c.Str {
			has = true
		}
	}
	return has == (c.Op == Eq)
}

func compareText(op Op, v, want string) bool {
	switch op {
	case Eq:
		return FoldEqual(v, want)
	case Ne:
		return !FoldEqual(v, want)
	case Contains:
		return strings.Contains(FoldLower(v), FoldLower(want))
	}
	return false
}

// TextOf is a text attribute of a session ("" when absent), by canonical
// field name, including trait.NAME; entry and exit pages are PathOf.
func TextOf(field string, s *core.Session) string {
	if strings.HasPrefix(field, TraitPrefix) {
		return s.Traits[field[len(TraitPrefix):]]
	}
	switch field {
	case "site":
		return s.Site
	case "visitor":
		return s.Visitor
	case "user":
		return s.UserID
	case "device":
		return s.Device
	case "browser":
		return s.Browser
	case "os":
		return s.OS
	case "country":
		return s.Country
	}
	return ""
}

// PathOf is the entry or exit page of a session: the path of its first or
// last pageview ("" when it has none).
func PathOf(field string, f *core.Facts) string {
	n := len(f.Pageviews)
	if n == 0 {
		return ""
	}
	if field == "exit" {
		return f.Pageviews[n-1].Path
	}
	return f.Pageviews[0].Path
}

// NumberOf is a numeric attribute of a session, by canonical field name.
func NumberOf(field string, s *core.Session) float64 {
	switch field {
	case "duration":
		return float64(s.DurationMS)
	case "pageviews":
		return float64(s.Pageviews)
	case "clicks":
		return float64(s.Clicks)
	case "rage_clicks":
		return float64(s.RageClicks)
	case "dead_clicks":
		return float64(s.DeadClicks)
	case "error_clicks":
		return float64(s.ErrorClicks)
	case "errors":
		return float64(s.JSErrors)
	case "failed_requests":
		return float64(s.FailedReqs)
	case "events":
		return float64(s.Events)
	case "width":
		return float64(s.Viewport.W)
	case "height":
		return float64(s.Viewport.H)
	case "score":
		return s.Score
	}
	return 0
}

func evalBehaviour(b Behaviour, f *core.Facts) bool {
	switch b.Verb {
	case Visited:
		return step.Step{Kind: step.Page, Pattern: b.Pattern}.Reached(f)
	case Clicked:
		return step.Step{Kind: step.Click, Pattern: b.Pattern}.Reached(f)
	case Did:
		n := len(step.Step{Kind: step.Event, Pattern: b.Pattern}.Find(f))
		if b.Op == "" {
			return n > 0
		}
		return b.Op.CompareInt(float64(n), float64(b.Count))
	case Reached:
		st, err := step.Parse(b.Pattern)
		return err == nil && st.Reached(f)
	}
	return false
}

// FoldLower lower-cases ASCII letters only, exactly as SQLite's lower()
// and NOCASE do, so Go and SQL comparisons agree on every input.
func FoldLower(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// FoldEqual compares ignoring ASCII case only (SQLite's NOCASE).
func FoldEqual(a, b string) bool { return len(a) == len(b) && FoldLower(a) == FoldLower(b) }
