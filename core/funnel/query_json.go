package funnel

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/core/segment"
)

// queryJSON is Query's wire form: steps as text, the window in
// milliseconds, the segment as its JSON tree (or text).
type queryJSON struct {
	Steps     []string        `json:"steps"`
	Mode      Mode            `json:"mode,omitempty"`
	WindowMS  int64           `json:"window_ms,omitempty"`
	Segment   segment.Segment `json:"segment"`
	From      time.Time       `json:"from,omitzero"`
	To        time.Time       `json:"to,omitzero"`
	Breakdown string          `json:"breakdown,omitempty"`
}

// MarshalJSON writes the query's wire form.
func (q Query) MarshalJSON() ([]byte, error) {
	j := queryJSON{Mode: q.Mode, WindowMS: q.Window.Milliseconds(), Segment: segment.Segment{Expr: q.Segment},
		From: q.From, To: q.To, Breakdown: q.Breakdown, Steps: []string{}}
	for _, s := range q.Steps {
		j.Steps = append(j.Steps, s.String())
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the query's wire form; steps are parsed.
func (q *Query) UnmarshalJSON(b []byte) error {
	var j queryJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidQuery, err)
	}
	out := Query{Mode: j.Mode, Window: time.Duration(j.WindowMS) * time.Millisecond, Segment: j.Segment.Expr,
		From: j.From, To: j.To, Breakdown: j.Breakdown}
	for i, s := range j.Steps {
		st, err := ParseStep(s)
		if err != nil {
			return fmt.Errorf("%w: step %d: %w", ErrInvalidQuery, i+1, err)
		}
		out.Steps = append(out.Steps, st)
	}
	*q = out
	return nil
}

// String is a one-line description of the query, for logs and tests.
func (q Query) String() string {
	b, _ := json.Marshal(q)
	return string(b)
}
