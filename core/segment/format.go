package segment

import (
	"math"
	"strconv"
	"strings"
)

// String gives the canonical text: lower-case keywords, single spaces,
// parentheses only where precedence needs them.
func (a And) String() string {
	if len(a) == 0 {
		return "()"
	}
	parts := make([]string, len(a))
	for i, t := range a {
		parts[i] = wrap(t, func(e Expr) bool { _, ok := e.(Or); return ok || isAnd(e) })
	}
	return strings.Join(parts, " and ")
}

func (o Or) String() string {
	if len(o) == 0 {
		return "()"
	}
	parts := make([]string, len(o))
	for i, t := range o {
		parts[i] = wrap(t, func(e Expr) bool { _, ok := e.(Or); return ok })
	}
	return strings.Join(parts, " or ")
}

func (n Not) String() string {
	return "not " + wrap(n.X, func(e Expr) bool {
		switch e.(type) {
		case And, Or:
			return true
		}
		return false
	})
}

func isAnd(e Expr) bool { _, ok := e.(And); return ok }

func wrap(e Expr, needs func(Expr) bool) string {
	if e == nil {
		return "()"
	}
	if needs(e) {
		return "(" + e.String() + ")"
	}
	return e.String()
}

func (c Cond) String() string {
	f, _ := LookupField(c.Field)
	var v string
	switch f.Kind {
	case Number:
		v = strconv.FormatFloat(c.Num, 'f', -1, 64)
	case Duration:
		v = formatDuration(c.Num)
	default:
		v = quoteValue(c.Str)
	}
	return c.Field + " " + string(c.Op) + " " + v
}

func (b Behaviour) String() string {
	// Patterns are always quoted: globs and selectors read better that way.
	s := string(b.Verb) + " " + strconv.Quote(b.Pattern)
	if b.Verb == Did && b.Op != "" {
		s += " " + string(b.Op) + " " + strconv.Itoa(b.Count)
	}
	return s
}

// quoteValue leaves plain words bare and quotes everything else.
func quoteValue(s string) string {
	if s == "" || reserved(s) {
		return strconv.Quote(s)
	}
	for _, r := range s {
		if !isWordRune(r) {
			return strconv.Quote(s)
		}
	}
	return s
}

// formatDuration writes whole milliseconds in the largest unit that
// divides them evenly.
func formatDuration(ms float64) string {
	n := int64(math.Round(ms))
	for _, u := range []struct {
		name string
		ms   int64
	}{{"h", 3600000}, {"m", 60000}, {"s", 1000}} {
		if n != 0 && n%u.ms == 0 {
			return strconv.FormatInt(n/u.ms, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10) + "ms"
}
