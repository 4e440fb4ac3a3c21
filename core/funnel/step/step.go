// Package step is one funnel step or behaviour pattern: a kind (page, click,
// event, input) and a pattern, in the text form of docs/cli.md
// (`page:/checkout*`, `click:button.buy`, `event:signup`, `input:#email`).
// Segments and funnels both match recorded facts against steps, so the
// matching rules live here once.
package step

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is what a step matches: a pageview, a click, a custom event or an input.
type Kind string

// Step kinds, in the order they sort when recorded at the same millisecond.
const (
	Page  Kind = "page"
	Input Kind = "input"
	Click Kind = "click"
	Event Kind = "event"
)

// Rank orders kinds recorded at the same millisecond: a page loads before
// anything happens on it.
func (k Kind) Rank() int {
	switch k {
	case Page:
		return 0
	case Input:
		return 1
	case Click:
		return 2
	}
	return 3
}

// ErrInvalid marks a step text that cannot be parsed.
var ErrInvalid = errors.New("invalid step")

// Step is one kind and pattern. Page patterns are path globs, click and
// input patterns are CSS selectors (see MatchSelector), event patterns are
// custom event names (globs allowed).
type Step struct {
	Kind    Kind   `json:"kind"`
	Pattern string `json:"pattern"`
}

// Parse reads `kind:pattern`. A bare pattern starting with "/" is a page.
func Parse(s string) (Step, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "/") {
		return Step{Kind: Page, Pattern: s}, nil
	}
	kind, pattern, ok := strings.Cut(s, ":")
	if !ok {
		return Step{}, fmt.Errorf("%w %q: want kind:pattern, kind one of page, click, event, input", ErrInvalid, s)
	}
	k := Kind(strings.ToLower(strings.TrimSpace(kind)))
	switch k {
	case Page, Click, Event, Input:
	default:
		return Step{}, fmt.Errorf("%w %q: unknown kind %q (want page, click, event or input)", ErrInvalid, s, kind)
	}
	pattern = strings.TrimSpace(pattern)
	if pattern == "" {
		return Step{}, fmt.Errorf("%w %q: empty pattern", ErrInvalid, s)
	}
	return Step{Kind: k, Pattern: pattern}, nil
}

// String is the canonical text form, which Parse reads back.
func (s Step) String() string { return string(s.Kind) + ":" + s.Pattern }

// Matches reports whether a recorded value of the step's kind (a path, a
// selector or an event name) satisfies the step.
func (s Step) Matches(value string) bool {
	switch s.Kind {
	case Click, Input:
		return MatchSelector(s.Pattern, value)
	}
	return MatchGlob(s.Pattern, value)
}
