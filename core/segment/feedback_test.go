package segment

import (
	"errors"
	"strings"
	"testing"
)

func TestFeedbackCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{`csat <= 2`, `csat <= 2`},
		{`NPS >= 9`, `nps >= 9`},
		{`feedback = ANY`, `feedback = any`},
		{`feedback != Csat`, `feedback != csat`},
		{`comment ~ "too slow"`, `feedback ~ "too slow"`},
		{`feedback = "nps" and csat < 3`, `feedback = nps and csat < 3`},
	}
	for _, tt := range tests {
		e, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := e.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
		back, err := FromNode(ToNode(e))
		if err != nil {
			t.Errorf("FromNode(ToNode(%q)): %v", tt.in, err)
			continue
		}
		if got := back.String(); got != tt.want {
			t.Errorf("JSON round trip of %q = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFeedbackParseErrors(t *testing.T) {
	tests := []struct {
		in  string
		col int
		msg string
	}{
		{`feedback = maybe`, 12, "feedback = takes any, csat, nps"},
		{`feedback != 3`, 13, "feedback != takes any, csat, nps"},
		{`feedback > 3`, 10, "operator '>' does not apply to feedback"},
		{`csat ~ 3`, 6, "operator '~' does not apply to csat"},
		{`nps >= great`, 8, "nps takes a number"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) error = %v, want *ParseError", tt.in, err)
			continue
		}
		if pe.Column != tt.col || !strings.Contains(pe.Msg, tt.msg) {
			t.Errorf("Parse(%q) = column %d %q, want column %d containing %q", tt.in, pe.Column, pe.Msg, tt.col, tt.msg)
		}
	}
}

func TestFeedbackFromNodeRejects(t *testing.T) {
	tests := []Node{
		{Op: "cond", Field: "feedback", Cmp: "=", Value: "sometimes"},
		{Op: "cond", Field: "csat", Cmp: "<=", Value: "two"},
		{Op: "cond", Field: "nps", Cmp: "~", Value: 3.0},
	}
	for _, n := range tests {
		if _, err := FromNode(n); !errors.Is(err, ErrInvalidJSON) {
			t.Errorf("FromNode(%+v) error = %v, want ErrInvalidJSON", n, err)
		}
	}
}
