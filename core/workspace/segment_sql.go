package workspace

import (
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/segment"
)

// segmentWhere compiles a segment to an SQL condition over the sessions
// table (alias s) with its arguments. It has the
// same meaning as segment.Eval over the session's facts; randomized tests
// keep the two in step. Every piece is non-NULL, so NOT behaves as in Go.
func segmentWhere(e segment.Expr) (string, []any) {
	c := &segCompiler{}
	sql := c.expr(e)
	return sql, c.args
}

// WithSegment returns q narrowed to the sessions in segment e (nil: no change).
func (q SessionQuery) WithSegment(e segment.Expr) SessionQuery {
	switch {
	case e == nil:
	case q.Segment == nil:
		q.Segment = e
	default:
		q.Segment = segment.And{q.Segment, e}
	}
	return q
}

type segCompiler struct{ args []any }

func (c *segCompiler) arg(v any) string {
	c.args = append(c.args, v)
	return "?"
}

func (c *segCompiler) expr(e segment.Expr) string {
	switch e := e.(type) {
	case segment.And:
		if len(e) == 0 {
			return "1"
		}
		parts := make([]string, len(e))
		for i, t := range e {
			parts[i] = "(" + c.expr(t) + ")"
		}
		return strings.Join(parts, " AND ")
	case segment.Or:
		if len(e) == 0 {
			return "0"
		}
		parts := make([]string, len(e))
		for i, t := range e {
			parts[i] = "(" + c.expr(t) + ")"
		}
		return strings.Join(parts, " OR ")
	case segment.Not:
		return "NOT (" + c.expr(e.X) + ")"
	case segment.Cond:
		return c.cond(e)
	case segment.Behaviour:
		return c.behaviour(e)
	}
	return "0"
}

// numberColumns maps numeric segment fields to session columns.
var numberColumns = map[string]string{
	"duration": "s.duration_ms", "pageviews": "s.pageviews", "clicks": "s.clicks",
	"rage_clicks": "s.rage_clicks", "dead_clicks": "s.dead_clicks", "error_clicks": "s.error_clicks",
	"errors": "s.js_errors", "failed_requests": "s.failed_requests", "events": "s.events",
	"width": "s.viewport_w", "height": "s.viewport_h", "score": "s.score",
}

// textColumns maps text segment fields to non-NULL SQL expressions.
var textColumns = map[string]string{
	"site":    "coalesce((SELECT name FROM sites WHERE sites.id = s.site_id), '')",
	"visitor": "coalesce((SELECT visitor FROM visitors WHERE visitors.id = s.visitor_id), '')",
	"user":    "s.user_id",
	"device":  "s.device",
	"browser": "s.browser",
	"os":      "s.os",
	"country": "s.country",
	"entry":   "coalesce((SELECT path FROM paths WHERE paths.id = s.entry_path_id), '')",
	"exit":    "coalesce((SELECT path FROM paths WHERE paths.id = s.exit_path_id), '')",
}

func (c *segCompiler) cond(e segment.Cond) string {
	f, ok := segment.LookupField(e.Field)
	if !ok {
		return "0"
	}
	if segment.IsFeedbackScore(f.Name) {
		return c.lowestScore(f.Name, e.Op, e.Num)
	}
	switch f.Kind {
	case segment.Responses:
		return c.responses(e)
	case segment.Number, segment.Duration:
		col := numberColumns[f.Name]
		op := string(e.Op)
		if e.Op == segment.Ne {
			op = "<>"
		}
		return col + " " + op + " " + c.arg(e.Num)
	case segment.TagSet:
		q := "s.rid IN (SELECT t.sid FROM tags t WHERE t.tag = " + c.arg(e.Str) + " COLLATE NOCASE)"
		if e.Op == segment.Ne {
			return "NOT " + q
		}
		return q
	case segment.PathField:
		col := textColumns[f.Name]
		switch e.Op {
		case segment.Eq:
			return col + " GLOB " + c.arg(step.GlobSQL(e.Str))
		case segment.Ne:
			return "NOT (" + col + " GLOB " + c.arg(step.GlobSQL(e.Str)) + ")"
		}
		return "instr(" + col + ", " + c.arg(e.Str) + ") > 0"
	case segment.Trait:
		col := "coalesce((SELECT value FROM json_each(s.traits) WHERE key = " + c.arg(f.Name[len(segment.TraitPrefix):]) + "), '')"
		return textCompare(c, col, e.Op, e.Str)
	}
	return textCompare(c, textColumns[f.Name], e.Op, e.Str)
}

// lowestScore compares a session's lowest feedback score of one kind;
// sessions without a response of that kind are not in the subquery, so
// they match no comparison, as in segment.Eval.
func (c *segCompiler) lowestScore(kind string, op segment.Op, n float64) string {
	sqlOp := string(op)
	if op == segment.Ne {
		sqlOp = "<>"
	}
	return "s.rid IN (SELECT fb.sid FROM feedback fb WHERE fb.kind = " + c.arg(kind) +
		" GROUP BY fb.sid HAVING min(fb.score) " + sqlOp + " " + c.arg(n) + ")"
}

// responses compiles the feedback field: = and != test for a response
// (of a kind, or "any"), ~ for a comment containing the text. An empty
// search text matches every response, as strings.Contains does.
func (c *segCompiler) responses(e segment.Cond) string {
	var q string
	switch {
	case e.Op == segment.Contains && e.Str == "":
		q = "s.rid IN (SELECT fb.sid FROM feedback fb)"
	case e.Op == segment.Contains:
		return "s.rid IN (SELECT fb.sid FROM feedback fb WHERE instr(lower(coalesce(fb.comment, '')), lower(" + c.arg(e.Str) + ")) > 0)"
	case e.Str == "any":
		q = "s.rid IN (SELECT fb.sid FROM feedback fb)"
	default:
		q = "s.rid IN (SELECT fb.sid FROM feedback fb WHERE fb.kind = " + c.arg(e.Str) + ")"
	}
	if e.Op == segment.Ne {
		return "NOT " + q
	}
	return q
}

// textCompare matches segment.Eval's text rules: ASCII case folding, the
// same as SQLite's NOCASE and lower().
func textCompare(c *segCompiler, col string, op segment.Op, v string) string {
	switch op {
	case segment.Eq:
		return col + " = " + c.arg(v) + " COLLATE NOCASE"
	case segment.Ne:
		return "NOT (" + col + " = " + c.arg(v) + " COLLATE NOCASE)"
	}
	return "instr(lower(" + col + "), lower(" + c.arg(v) + ")) > 0"
}

func (c *segCompiler) behaviour(b segment.Behaviour) string {
	switch b.Verb {
	case segment.Visited:
		return c.stepExists(step.Step{Kind: step.Page, Pattern: b.Pattern})
	case segment.Clicked:
		return c.stepExists(step.Step{Kind: step.Click, Pattern: b.Pattern})
	case segment.Did:
		if b.Op == "" {
			return c.stepExists(step.Step{Kind: step.Event, Pattern: b.Pattern})
		}
		op := string(b.Op)
		if b.Op == segment.Ne {
			op = "<>"
		}
		return fmt.Sprintf("(SELECT count(*) FROM custom_events ce WHERE ce.sid = s.rid AND ce.name_id IN (%s)) %s %s",
			c.nameIDs(b.Pattern), op, c.arg(b.Count))
	case segment.Reached:
		st, err := step.Parse(b.Pattern)
		if err != nil {
			return "0"
		}
		return c.stepExists(st)
	}
	return "0"
}

// stepExists tests whether the session has a fact of the step's kind
// matching it. It is written as rid IN (subquery), not a correlated
// EXISTS: SQLite runs the subquery once, through the (value, sid) index,
// instead of once per session.
func (c *segCompiler) stepExists(st step.Step) string {
	switch st.Kind {
	case step.Page:
		return "s.rid IN (SELECT pv.sid FROM pageviews pv WHERE pv.path_id IN (" + c.pathIDs(st.Pattern) + "))"
	case step.Click:
		return "s.rid IN (SELECT ck.sid FROM clicks ck WHERE ck.selector_id IN (" + c.selectorIDs(st.Pattern) + "))"
	case step.Input:
		return "s.rid IN (SELECT ip.sid FROM inputs ip WHERE ip.selector_id IN (" + c.selectorIDs(st.Pattern) + "))"
	case step.Event:
		return "s.rid IN (SELECT ce.sid FROM custom_events ce WHERE ce.name_id IN (" + c.nameIDs(st.Pattern) + "))"
	}
	return "0"
}

// pathIDs selects the ids of paths matching a glob.
func (c *segCompiler) pathIDs(glob string) string {
	return "SELECT id FROM paths WHERE paths.path GLOB " + c.arg(step.GlobSQL(glob))
}

// nameIDs selects the ids of strings (event names) matching a glob.
func (c *segCompiler) nameIDs(glob string) string {
	return "SELECT id FROM strs WHERE strs.s GLOB " + c.arg(step.GlobSQL(glob))
}

// selectorIDs selects the ids of selectors matching a selector pattern
// with step.MatchSelector's rules: equal, or ending in " pattern" or
// ">pattern"; a pattern with wildcards is a glob over the whole selector.
func (c *segCompiler) selectorIDs(pattern string) string {
	if step.HasWildcard(pattern) {
		return "SELECT id FROM selectors WHERE selectors.selector GLOB " + c.arg(step.GlobSQL(pattern))
	}
	lit := globLiteral(pattern)
	return "SELECT id FROM selectors WHERE selectors.selector = " + c.arg(pattern) +
		" OR selectors.selector GLOB " + c.arg("* "+lit) + " OR selectors.selector GLOB " + c.arg("*>"+lit)
}

// globLiteral escapes every GLOB metacharacter so s matches only itself.
func globLiteral(s string) string {
	return strings.NewReplacer("[", "[[]", "*", "[*]", "?", "[?]").Replace(s)
}
