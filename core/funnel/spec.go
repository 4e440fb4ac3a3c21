package funnel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/segment"
)

// Spec is a funnel's one wire form: what the workbench sends and gets
// back, what `loupe funnel --json` prints as its query, and what a saved
// funnel is stored as. Steps are text (page:/glob, click:selector,
// event:name, input:selector), the window is in milliseconds and the
// segment is in its text syntax.
type Spec struct {
	Name      string    `json:"name,omitempty"`
	Steps     []string  `json:"steps"`
	Mode      Mode      `json:"mode,omitempty"`
	WindowMS  int64     `json:"window_ms,omitempty"`
	Breakdown string    `json:"breakdown,omitempty"`
	Segment   string    `json:"segment,omitempty"`
	From      time.Time `json:"from,omitzero"`
	To        time.Time `json:"to,omitzero"`
}

// SpecOf writes a query in its wire form, under a name ("" for none). A
// zero window is written as the window it means, DefaultWindow.
func SpecOf(name string, q Query) Spec {
	window := q.Window
	if window <= 0 {
		window = DefaultWindow
	}
	s := Spec{Name: name, Steps: make([]string, 0, len(q.Steps)), Mode: q.Mode, WindowMS: window.Milliseconds(),
		Breakdown: q.Breakdown, From: q.From, To: q.To}
	for _, st := range q.Steps {
		s.Steps = append(s.Steps, st.String())
	}
	if q.Segment != nil {
		s.Segment = q.Segment.String()
	}
	return s
}

// Query reads the spec's steps and segment and checks the result with
// Normalize, filling in its defaults.
func (s Spec) Query() (Query, error) {
	q, err := s.parse()
	if err != nil {
		return q, err
	}
	return q.Normalize()
}

// parse reads the spec's text parts without checking the whole query.
func (s Spec) parse() (Query, error) {
	q := Query{Mode: s.Mode, Window: time.Duration(s.WindowMS) * time.Millisecond, Breakdown: s.Breakdown, From: s.From, To: s.To}
	for i, text := range s.Steps {
		st, err := ParseStep(text)
		if err != nil {
			return q, fmt.Errorf("%w: step %d: %w", ErrInvalidQuery, i+1, err)
		}
		q.Steps = append(q.Steps, st)
	}
	if strings.TrimSpace(s.Segment) != "" {
		e, err := segment.Parse(s.Segment)
		if err != nil {
			return q, fmt.Errorf("%w: segment: %w", ErrInvalidQuery, err)
		}
		q.Segment = e
	}
	return q, nil
}

// UnmarshalJSON reads the wire form. A segment may also come as the
// segment builder's JSON tree, which is how earlier saved funnels were
// stored; it is read into the text syntax.
func (s *Spec) UnmarshalJSON(b []byte) error {
	type plain Spec
	var j struct {
		plain
		Segment json.RawMessage `json:"segment"`
	}
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidQuery, err)
	}
	out := Spec(j.plain)
	out.Segment = ""
	if raw := bytes.TrimSpace(j.Segment); len(raw) > 0 && raw[0] != '"' {
		var seg segment.Segment
		if err := json.Unmarshal(raw, &seg); err != nil {
			return fmt.Errorf("%w: segment: %w", ErrInvalidQuery, err)
		}
		if seg.Expr != nil {
			out.Segment = seg.Expr.String()
		}
	} else if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out.Segment); err != nil {
			return fmt.Errorf("%w: segment: %w", ErrInvalidQuery, err)
		}
	}
	*s = out
	return nil
}

// MarshalJSON writes the query's wire form (Spec).
func (q Query) MarshalJSON() ([]byte, error) { return json.Marshal(SpecOf("", q)) }

// UnmarshalJSON reads the query's wire form (Spec); steps and segment are
// parsed, the rest is checked by Normalize when the query runs.
func (q *Query) UnmarshalJSON(b []byte) error {
	var s Spec
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	out, err := s.parse()
	if err != nil {
		return err
	}
	*q = out
	return nil
}

// String is a one-line description of the query, for logs and tests.
func (q Query) String() string {
	b, _ := json.Marshal(q)
	return string(b)
}
