// Package segment is a condition tree over sessions: AND / OR / NOT over
// session and visitor attributes (device, browser, duration, tags, identify
// traits ...) and behaviours (visited a page, clicked an element, did a
// custom event, reached a funnel step).
//
// Segments have a text form for the CLI and the UI
//
//	device = mobile and visited "/checkout*" and not tag = rage_click
//	(browser = firefox or browser = safari) and duration > 2m and clicks >= 5
//
// a JSON form for the UI's builder, a reference evaluator over core.Facts
// (Eval) and an SQL compiler in core/workspace. Both must agree; randomized
// tests hold them to it.
package segment

// Expr is a node of a segment's condition tree: And, Or, Not, Cond or
// Behaviour. String gives the canonical text, which Parse reads back.
type Expr interface {
	String() string
	isExpr()
}

// And holds when every term holds (an empty And always holds).
type And []Expr

// Or holds when any term holds.
type Or []Expr

// Not negates its term.
type Not struct{ X Expr }

// Cond compares a session attribute with a value. Str holds the value of
// text attributes, Num the value of numeric ones (milliseconds for
// durations).
type Cond struct {
	Field string
	Op    Op
	Str   string
	Num   float64
}

// Behaviour is something the session did. Count comparisons apply to Did
// only; a Did with no Op means "at least once".
type Behaviour struct {
	Verb    Verb
	Pattern string
	Op      Op
	Count   int
}

func (And) isExpr()       {}
func (Or) isExpr()        {}
func (Not) isExpr()       {}
func (Cond) isExpr()      {}
func (Behaviour) isExpr() {}

// Op is a comparison operator.
type Op string

// Comparison operators. Contains (~) applies to text, the ordering ones to
// numbers.
const (
	Eq       Op = "="
	Ne       Op = "!="
	Gt       Op = ">"
	Ge       Op = ">="
	Lt       Op = "<"
	Le       Op = "<="
	Contains Op = "~"
)

// Verb names a behaviour.
type Verb string

// Behaviours a segment can ask about.
const (
	Visited Verb = "visited" // a pageview whose path matches a glob
	Clicked Verb = "clicked" // a click whose element matches a selector
	Did     Verb = "did"     // a custom event by name (glob), optionally counted
	Reached Verb = "reached" // any event matching a funnel step (page:/x, click:sel ...)
)

// CompareInt applies an ordering or equality operator to two numbers.
func (o Op) CompareInt(a, b float64) bool {
	switch o {
	case Eq:
		return a == b
	case Ne:
		return a != b
	case Gt:
		return a > b
	case Ge:
		return a >= b
	case Lt:
		return a < b
	case Le:
		return a <= b
	}
	return false
}
