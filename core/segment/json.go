package segment

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/loupe-dev/loupe/core/funnel/step"
)

// Node is the JSON form of an expression, for the UI's segment builder:
//
//	{"op":"and","terms":[...]}   {"op":"or","terms":[...]}   {"op":"not","terms":[x]}
//	{"op":"cond","field":"device","cmp":"=","value":"mobile"}
//	{"op":"cond","field":"duration","cmp":">","value":120000}   (ms)
//	{"op":"visited","pattern":"/checkout*"}
//	{"op":"did","pattern":"add_to_cart","cmp":">=","count":2}
type Node struct {
	Op      string `json:"op"`
	Terms   []Node `json:"terms,omitempty"`
	Field   string `json:"field,omitempty"`
	Cmp     string `json:"cmp,omitempty"`
	Value   any    `json:"value"`
	Pattern string `json:"pattern,omitempty"`
	Count   *int   `json:"count,omitempty"`
	// Text is the canonical text of the node, for display; ignored on input.
	Text string `json:"text,omitempty"`
}

// ErrInvalidJSON marks a JSON tree that does not describe a valid segment.
var ErrInvalidJSON = errors.New("invalid segment JSON")

// ToNode converts an expression to its JSON tree.
func ToNode(e Expr) Node {
	switch e := e.(type) {
	case And:
		n := Node{Op: "and", Terms: []Node{}}
		for _, t := range e {
			n.Terms = append(n.Terms, ToNode(t))
		}
		return n
	case Or:
		n := Node{Op: "or", Terms: []Node{}}
		for _, t := range e {
			n.Terms = append(n.Terms, ToNode(t))
		}
		return n
	case Not:
		return Node{Op: "not", Terms: []Node{ToNode(e.X)}}
	case Cond:
		f, _ := LookupField(e.Field)
		n := Node{Op: "cond", Field: e.Field, Cmp: string(e.Op), Text: e.String()}
		if f.Kind == Number || f.Kind == Duration {
			n.Value = e.Num
		} else {
			n.Value = e.Str
		}
		return n
	case Behaviour:
		n := Node{Op: string(e.Verb), Pattern: e.Pattern, Text: e.String()}
		if e.Op != "" {
			n.Cmp = string(e.Op)
			c := e.Count
			n.Count = &c
		}
		return n
	}
	return Node{}
}

// FromNode converts a JSON tree back to an expression, checking it as
// strictly as Parse checks text.
func FromNode(n Node) (Expr, error) {
	return fromNode(n, 0)
}

func fromNode(n Node, depth int) (Expr, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%w: nested more than %d levels deep", ErrInvalidJSON, maxDepth)
	}
	switch n.Op {
	case "and", "or":
		if len(n.Terms) == 0 {
			return nil, fmt.Errorf("%w: %q needs at least one term", ErrInvalidJSON, n.Op)
		}
		terms := make([]Expr, len(n.Terms))
		for i, t := range n.Terms {
			e, err := fromNode(t, depth+1)
			if err != nil {
				return nil, err
			}
			terms[i] = e
		}
		if len(terms) == 1 {
			return terms[0], nil
		}
		if n.Op == "and" {
			return flattenAnd(And(terms)), nil
		}
		return flattenOr(Or(terms)), nil
	case "not":
		if len(n.Terms) != 1 {
			return nil, fmt.Errorf("%w: \"not\" needs exactly one term", ErrInvalidJSON)
		}
		x, err := fromNode(n.Terms[0], depth+1)
		if err != nil {
			return nil, err
		}
		return Not{X: x}, nil
	case "cond":
		return condFromNode(n)
	case string(Visited), string(Clicked), string(Did), string(Reached):
		return behaviourFromNode(n)
	}
	return nil, fmt.Errorf("%w: unknown op %q", ErrInvalidJSON, n.Op)
}

func condFromNode(n Node) (Expr, error) {
	f, ok := LookupField(n.Field)
	if !ok || (f.Kind == Trait && !validTraitName(f.Name[len(TraitPrefix):])) {
		return nil, fmt.Errorf("%w: unknown field %q", ErrInvalidJSON, n.Field)
	}
	op := Op(n.Cmp)
	if !opAllowed(f.Kind, op) {
		return nil, fmt.Errorf("%w: operator %q does not apply to %s", ErrInvalidJSON, n.Cmp, f.Name)
	}
	c := Cond{Field: f.Name, Op: op}
	switch f.Kind {
	case Number, Duration:
		v, ok := n.Value.(float64)
		if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: %s takes a number", ErrInvalidJSON, f.Name)
		}
		if f.Kind == Duration {
			if math.Abs(v) > 1e15 {
				return nil, fmt.Errorf("%w: %s out of range", ErrInvalidJSON, f.Name)
			}
			v = math.Round(v)
		}
		c.Num = v
	default:
		v, ok := n.Value.(string)
		if !ok && n.Value != nil {
			return nil, fmt.Errorf("%w: %s takes a string", ErrInvalidJSON, f.Name)
		}
		c.Str = v
		if f.Kind == Responses && op != Contains {
			k, ok := feedbackKind(v)
			if !ok {
				return nil, fmt.Errorf("%w: feedback %s takes one of %s", ErrInvalidJSON, op, strings.Join(FeedbackKinds, ", "))
			}
			c.Str = k
		}
	}
	return c, nil
}

func behaviourFromNode(n Node) (Expr, error) {
	b := Behaviour{Verb: Verb(n.Op), Pattern: n.Pattern}
	if b.Pattern == "" {
		return nil, fmt.Errorf("%w: %q needs a pattern", ErrInvalidJSON, n.Op)
	}
	if b.Verb == Reached {
		if _, err := step.Parse(b.Pattern); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidJSON, err)
		}
	}
	if n.Cmp != "" || n.Count != nil {
		if b.Verb != Did || n.Count == nil || *n.Count < 0 || !opAllowed(Number, Op(n.Cmp)) {
			return nil, fmt.Errorf("%w: a count needs \"did\", an operator and a non-negative count", ErrInvalidJSON)
		}
		b.Op, b.Count = Op(n.Cmp), *n.Count
	}
	return b, nil
}

// Segment wraps an Expr so it can travel as JSON inside other structs
// (saved segments, funnel queries). A nil Expr means every session.
type Segment struct{ Expr Expr }

// MarshalJSON writes the JSON tree, or null for no segment.
func (s Segment) MarshalJSON() ([]byte, error) {
	if s.Expr == nil {
		return []byte("null"), nil
	}
	return json.Marshal(ToNode(s.Expr))
}

// UnmarshalJSON reads a JSON tree, or a string holding the text form.
func (s *Segment) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		s.Expr = nil
		return nil
	}
	var text string
	if json.Unmarshal(b, &text) == nil {
		e, err := Parse(text)
		if err != nil {
			return err
		}
		s.Expr = e
		return nil
	}
	var n Node
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidJSON, err)
	}
	e, err := FromNode(n)
	if err != nil {
		return err
	}
	s.Expr = e
	return nil
}

// MarshalJSON writes the JSON tree (see Node).
func (a And) MarshalJSON() ([]byte, error) { return json.Marshal(ToNode(a)) }

// MarshalJSON writes the JSON tree (see Node).
func (o Or) MarshalJSON() ([]byte, error) { return json.Marshal(ToNode(o)) }

// MarshalJSON writes the JSON tree (see Node).
func (n Not) MarshalJSON() ([]byte, error) { return json.Marshal(ToNode(n)) }

// MarshalJSON writes the JSON tree (see Node).
func (c Cond) MarshalJSON() ([]byte, error) { return json.Marshal(ToNode(c)) }

// MarshalJSON writes the JSON tree (see Node).
func (b Behaviour) MarshalJSON() ([]byte, error) { return json.Marshal(ToNode(b)) }

// UnmarshalJSON reads an expression from its JSON tree or its text form
// (a JSON string).
func UnmarshalJSON(b []byte) (Expr, error) {
	var s Segment
	if err := s.UnmarshalJSON(b); err != nil {
		return nil, err
	}
	if s.Expr == nil {
		return nil, fmt.Errorf("%w: null", ErrInvalidJSON)
	}
	return s.Expr, nil
}
