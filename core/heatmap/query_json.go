package heatmap

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/core/segment"
)

// queryJSON is Query's wire form, with the segment as its JSON tree (or
// its text form on input).
type queryJSON struct {
	Page    string          `json:"page"`
	Device  string          `json:"device,omitempty"`
	Kind    Kind            `json:"kind,omitempty"`
	Segment segment.Segment `json:"segment"`
	From    time.Time       `json:"from,omitzero"`
	To      time.Time       `json:"to,omitzero"`
}

// MarshalJSON writes the query's wire form.
func (q Query) MarshalJSON() ([]byte, error) {
	return json.Marshal(queryJSON{Page: q.Page, Device: q.Device, Kind: q.Kind, Segment: segment.Segment{Expr: q.Segment}, From: q.From, To: q.To})
}

// UnmarshalJSON reads the query's wire form.
func (q *Query) UnmarshalJSON(b []byte) error {
	var j queryJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidQuery, err)
	}
	*q = Query{Page: j.Page, Device: j.Device, Kind: j.Kind, Segment: j.Segment.Expr, From: j.From, To: j.To}
	return nil
}
