package ask

import (
	"strconv"
	"strings"
)

// renderSegment writes conditions in core/segment's text syntax.
// Segments have no date field: the range stays beside the segment
// (Result.Range) and filters the session list the segment runs over.
func renderSegment(groups []group) string {
	var parts []string
	for _, g := range groups {
		alts := make([]string, len(g))
		for i, c := range g {
			alts[i] = c.segment()
		}
		s := strings.Join(alts, " or ")
		if len(alts) > 1 {
			s = "(" + s + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " and ")
}

func (c cond) segment() string {
	var s string
	switch c.kind {
	case condAttr:
		s = c.field + " = " + segValue(c.value)
	case condVisited:
		s = "visited " + strconv.Quote(c.value)
	case condEvent:
		s = "did " + strconv.Quote(c.value)
	case condClicked:
		s = "clicked " + strconv.Quote(c.value)
	case condSignal:
		if f := signalField[c.value]; f != "" {
			// Counted signals compare their count, so "not" reads as "= 0".
			if c.not {
				return f + " = 0"
			}
			return f + " > 0"
		}
		s = "tag = " + c.value
	case condTag:
		s = "tag = " + segValue(c.value)
	}
	if c.not {
		return "not " + s
	}
	return s
}

// segValue quotes a value unless it is a plain word.
func segValue(v string) string {
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return strconv.Quote(v)
		}
	}
	if v == "" || v == "and" || v == "or" || v == "not" {
		return strconv.Quote(v)
	}
	return v
}

// reading says in words what the conditions mean.
func reading(groups []group, r *DateRange, a *Analysis) string {
	var who, did []string
	for _, g := range groups {
		var alts []string
		behaviour := false
		for _, c := range g {
			alts = append(alts, c.read())
			behaviour = behaviour || c.kind != condAttr
		}
		s := strings.Join(alts, " or ")
		if behaviour {
			did = append(did, s)
		} else {
			who = append(who, s)
		}
	}
	subject := "all sessions"
	if len(who)+len(did) > 0 {
		subject = "sessions"
		if len(who) > 0 {
			subject += " " + strings.Join(who, ", ")
		}
		if len(did) > 0 {
			subject += " that " + strings.Join(did, " and ")
		}
	}
	if r != nil {
		subject += ", " + r.String()
	}
	if a == nil {
		return "I read this as: " + subject + "."
	}
	return "I read this as: " + a.read() + ", over " + subject + "."
}

func (c cond) read() string {
	switch c.kind {
	case condAttr:
		if c.not {
			return "not " + c.label
		}
		return c.label
	case condVisited:
		return neg(c.not, "visited ", "did not visit ") + c.label
	case condEvent:
		return neg(c.not, "did ", "did not do ") + c.label
	case condClicked:
		return neg(c.not, "clicked ", "did not click ") + c.label
	case condSignal:
		if c.not {
			return "had no " + strings.TrimPrefix(strings.TrimPrefix(c.label, "a "), "an ")
		}
		return "had " + c.label
	default:
		return neg(c.not, "are tagged ", "are not tagged ") + c.label
	}
}

func neg(not bool, yes, no string) string {
	if not {
		return no
	}
	return yes
}

func (a *Analysis) read() string {
	switch a.Kind {
	case AnalysisDropOff:
		if a.Step == "" {
			return "where the funnel loses most people and why"
		}
		return "why people drop off at " + a.Step
	case AnalysisFunnel:
		if len(a.Steps) == 0 {
			return "the conversion funnel"
		}
		return "the funnel " + strings.Join(a.Steps, " → ")
	case AnalysisHeatmap:
		if a.Page == "" {
			return "a click heatmap"
		}
		return "a click heatmap of " + a.Page
	case AnalysisErrors:
		return "the JS errors and failed requests that matter most" + onPage(a.Page)
	default:
		return "the elements with the most rage, dead and error clicks" + onPage(a.Page)
	}
}

func onPage(p string) string {
	if p == "" {
		return ""
	}
	return " on " + p
}
