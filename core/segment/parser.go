package segment

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/loupe-dev/loupe/core/funnel/step"
)

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 64

// Parse reads a segment's text form. Keywords (and, or, not, visited,
// clicked, did, reached) and field names are case-insensitive; `not` binds
// tighter than `and`, which binds tighter than `or`. Errors are *ParseError
// and point at the offending token.
func Parse(src string) (Expr, error) {
	p := &parser{src: src, toks: lex(src)}
	e, err := p.parseOr(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		if t.kind == tokRParen {
			return nil, p.errAt(t, "unmatched ')'")
		}
		return nil, p.errAt(t, fmt.Sprintf("expected 'and', 'or' or end of input, found %s", t.describe()))
	}
	return e, nil
}

// MustParse is Parse for literals in code and tests; it panics on error.
func MustParse(src string) Expr {
	e, err := Parse(src)
	if err != nil {
		panic(err)
	}
	return e
}

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) errAt(t token, msg string) error {
	if t.kind == tokBad {
		msg = t.text
	}
	before := p.src[:t.pos]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
	return &ParseError{Line: line, Column: col, Offset: t.pos, Msg: msg, Multiline: strings.Contains(p.src, "\n")}
}

func isKeyword(t token, kw string) bool {
	return t.kind == tokWord && strings.EqualFold(t.text, kw)
}

func (p *parser) parseOr(depth int) (Expr, error) {
	first, err := p.parseAnd(depth)
	if err != nil {
		return nil, err
	}
	terms := Or{first}
	for isKeyword(p.peek(), "or") {
		p.next()
		e, err := p.parseAnd(depth)
		if err != nil {
			return nil, err
		}
		terms = append(terms, e)
	}
	if len(terms) == 1 {
		return first, nil
	}
	return flattenOr(terms), nil
}

func (p *parser) parseAnd(depth int) (Expr, error) {
	first, err := p.parseUnary(depth)
	if err != nil {
		return nil, err
	}
	terms := And{first}
	for isKeyword(p.peek(), "and") {
		p.next()
		e, err := p.parseUnary(depth)
		if err != nil {
			return nil, err
		}
		terms = append(terms, e)
	}
	if len(terms) == 1 {
		return first, nil
	}
	return flattenAnd(terms), nil
}

// flattenAnd lifts nested Ands so `(a and b) and c` is one three-term And,
// which keeps String a fixed point of Parse.
func flattenAnd(terms And) And {
	var out And
	for _, t := range terms {
		if a, ok := t.(And); ok && len(a) > 0 {
			out = append(out, flattenAnd(a)...)
		} else {
			out = append(out, t)
		}
	}
	return out
}

func flattenOr(terms Or) Or {
	var out Or
	for _, t := range terms {
		if o, ok := t.(Or); ok && len(o) > 0 {
			out = append(out, flattenOr(o)...)
		} else {
			out = append(out, t)
		}
	}
	return out
}

func (p *parser) parseUnary(depth int) (Expr, error) {
	if depth > maxDepth {
		return nil, p.errAt(p.peek(), fmt.Sprintf("nested more than %d levels deep", maxDepth))
	}
	t := p.peek()
	switch {
	case isKeyword(t, "not"):
		p.next()
		x, err := p.parseUnary(depth + 1)
		if err != nil {
			return nil, err
		}
		return Not{X: x}, nil
	case t.kind == tokLParen:
		p.next()
		e, err := p.parseOr(depth + 1)
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != tokRParen {
			return nil, p.errAt(c, fmt.Sprintf("expected ')' to close the '(' at column %d, found %s", p.column(t), c.describe()))
		}
		p.next()
		return e, nil
	case t.kind == tokWord:
		for _, v := range []Verb{Visited, Clicked, Did, Reached} {
			if isKeyword(t, string(v)) {
				return p.parseBehaviour(v)
			}
		}
		return p.parseCond()
	}
	return nil, p.errAt(t, fmt.Sprintf("expected a condition, found %s", t.describe()))
}

func (p *parser) column(t token) int {
	before := p.src[:t.pos]
	return utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
}

// value reads a word or string after `after`, which names the preceding
// token in the error message.
func (p *parser) value(after token) (token, error) {
	t := p.peek()
	if t.kind == tokString || (t.kind == tokWord && !reserved(t.text)) {
		p.next()
		return t, nil
	}
	if t.kind == tokWord {
		return t, p.errAt(t, fmt.Sprintf("expected a value after '%s', found keyword %s (quote it to use it as a value)", after.text, t.describe()))
	}
	return t, p.errAt(t, fmt.Sprintf("expected a value after '%s'", after.text))
}

func (p *parser) parseBehaviour(v Verb) (Expr, error) {
	kw := p.next()
	val, err := p.value(kw)
	if err != nil {
		return nil, err
	}
	if val.text == "" {
		return nil, p.errAt(val, fmt.Sprintf("empty pattern after '%s'", kw.text))
	}
	b := Behaviour{Verb: v, Pattern: val.text}
	if v == Reached {
		if _, err := step.Parse(val.text); err != nil {
			return nil, p.errAt(val, err.Error())
		}
	}
	if v == Did && p.peek().kind == tokOp {
		opTok := p.next()
		op := Op(opTok.text)
		if op == Contains {
			return nil, p.errAt(opTok, "'~' does not apply to an event count")
		}
		n, err := p.value(opTok)
		if err != nil {
			return nil, err
		}
		count, perr := strconv.Atoi(n.text)
		if perr != nil || count < 0 || n.kind != tokWord {
			return nil, p.errAt(n, fmt.Sprintf("expected a whole number of events after '%s', found %s", opTok.text, n.describe()))
		}
		b.Op, b.Count = op, count
	}
	return b, nil
}

func (p *parser) parseCond() (Expr, error) {
	name := p.next()
	f, ok := LookupField(name.text)
	if !ok {
		return nil, p.errAt(name, fmt.Sprintf("unknown field %s (known: %s, trait.NAME, or visited/clicked/did/reached)", name.describe(), fieldNames()))
	}
	if f.Kind == Trait && !validTraitName(f.Name[len(TraitPrefix):]) {
		return nil, p.errAt(name, fmt.Sprintf("invalid trait name %s", name.describe()))
	}
	opTok := p.peek()
	if opTok.kind != tokOp {
		return nil, p.errAt(opTok, fmt.Sprintf("expected an operator (= != > >= < <= ~) after '%s', found %s", name.text, opTok.describe()))
	}
	p.next()
	op := Op(opTok.text)
	if !opAllowed(f.Kind, op) {
		return nil, p.errAt(opTok, fmt.Sprintf("operator '%s' does not apply to %s (use %s)", op, f.Name, opList(f.Kind)))
	}
	val, err := p.value(opTok)
	if err != nil {
		return nil, err
	}
	c := Cond{Field: f.Name, Op: op}
	switch f.Kind {
	case Number:
		if val.kind != tokWord {
			return nil, p.errAt(val, fmt.Sprintf("%s takes a number, found %s", f.Name, val.describe()))
		}
		n, err := strconv.ParseFloat(val.text, 64)
		if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
			return nil, p.errAt(val, fmt.Sprintf("%s takes a number, found %s", f.Name, val.describe()))
		}
		c.Num = n
	case Duration:
		ms, err := parseDuration(val.text)
		if err != nil || val.kind != tokWord {
			return nil, p.errAt(val, fmt.Sprintf("%s takes a duration such as 90s, 2m or 1h, found %s", f.Name, val.describe()))
		}
		c.Num = ms
	case Responses:
		c.Str = val.text
		if op != Contains {
			k, ok := feedbackKind(val.text)
			if !ok {
				return nil, p.errAt(val, fmt.Sprintf("feedback %s takes %s, found %s (use ~ to search comments)", op, strings.Join(FeedbackKinds, ", "), val.describe()))
			}
			c.Str = k
		}
	default:
		c.Str = val.text
	}
	return c, nil
}

// reserved words must be quoted to be used as values.
func reserved(w string) bool {
	switch strings.ToLower(w) {
	case "and", "or", "not", "visited", "clicked", "did", "reached":
		return true
	}
	return false
}

func validTraitName(n string) bool {
	if n == "" {
		return false
	}
	for _, r := range n {
		if !isWordRune(r) {
			return false
		}
	}
	return true
}

func fieldNames() string {
	names := make([]string, len(Fields))
	for i, f := range Fields {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

func opList(k FieldKind) string {
	ops := opsFor(k)
	s := make([]string, len(ops))
	for i, o := range ops {
		s[i] = string(o)
	}
	return strings.Join(s, " ")
}

// durationUnits are the units a duration value may carry, in ms.
var durationUnits = map[string]float64{"ms": 1, "s": 1000, "sec": 1000, "m": 60000, "min": 60000, "h": 3600000, "d": 86400000}

// parseDuration reads 90s, 2m, 1.5h, 500ms; a bare number is seconds.
// The result is whole milliseconds.
func parseDuration(s string) (float64, error) {
	i := len(s)
	for i > 0 && (s[i-1] >= 'a' && s[i-1] <= 'z' || s[i-1] >= 'A' && s[i-1] <= 'Z') {
		i--
	}
	num, unit := s[:i], strings.ToLower(s[i:])
	mult := 1000.0
	if unit != "" {
		m, ok := durationUnits[unit]
		if !ok {
			return 0, fmt.Errorf("unknown unit %q", unit)
		}
		mult = m
	}
	n, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, err
	}
	ms := math.Round(n * mult)
	if math.IsInf(ms, 0) || math.IsNaN(ms) || math.Abs(ms) > 1e15 {
		return 0, fmt.Errorf("duration out of range")
	}
	return ms, nil
}
