package desktop

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Feedback lists and summarises the responses to the in-page feedback
// prompt, each linked to its session and moment.
type Feedback struct {
	scope
	db *workspace.DB
}

// NewFeedback binds feedback responses to a workspace.
func NewFeedback(db *workspace.DB) *Feedback {
	return &Feedback{scope: unscoped(), db: db}
}

// FeedbackFilter is what the feedback view's filters send. Zero fields do
// not filter.
type FeedbackFilter struct {
	Kind     string `json:"kind"`      // "", "csat" or "nps"
	MaxScore *int   `json:"max_score"` // null: any score
	Text     string `json:"text"`      // comment contains
	FromMS   int64  `json:"from_ms"`   // unix ms, inclusive; 0 open
	ToMS     int64  `json:"to_ms"`     // unix ms, exclusive; 0 open
	Segment  string `json:"segment"`   // segment text syntax
	Offset   int    `json:"offset"`
	Limit    int    `json:"limit"`
}

// List returns the responses in the filter's window, newest first, and
// how many match in all.
func (f *Feedback) List(q FeedbackFilter) (workspace.FeedbackPage, error) {
	wq, err := q.workspaceQuery()
	if err != nil {
		return workspace.FeedbackPage{}, fail(err, "list feedback")
	}
	if wq.Limit == 0 || wq.Limit > maxPage {
		wq.Limit = maxPage
	}
	page, err := f.db.FeedbackResponses(f.ctx, wq)
	return page, fail(err, "list feedback")
}

// Summary aggregates the responses the filter selects: count, average
// CSAT, NPS and the score distribution.
func (f *Feedback) Summary(q FeedbackFilter) (workspace.FeedbackSummary, error) {
	wq, err := q.workspaceQuery()
	if err != nil {
		return workspace.FeedbackSummary{}, fail(err, "summarise feedback")
	}
	sum, err := f.db.FeedbackSummary(f.ctx, wq)
	return sum, fail(err, "summarise feedback")
}

func (q FeedbackFilter) workspaceQuery() (workspace.FeedbackQuery, error) {
	if q.Kind != "" && q.Kind != "csat" && q.Kind != "nps" {
		return workspace.FeedbackQuery{}, fmt.Errorf("kind %q is not csat or nps: %w", q.Kind, ErrInvalid)
	}
	if q.Offset < 0 || q.Limit < 0 {
		return workspace.FeedbackQuery{}, fmt.Errorf("offset %d and limit %d must not be negative: %w", q.Offset, q.Limit, ErrInvalid)
	}
	if q.FromMS < 0 || q.ToMS < 0 || (q.ToMS != 0 && q.ToMS < q.FromMS) {
		return workspace.FeedbackQuery{}, fmt.Errorf("period %d..%d is not a forward range: %w", q.FromMS, q.ToMS, ErrInvalid)
	}
	wq := workspace.FeedbackQuery{Kind: q.Kind, MaxScore: q.MaxScore, Text: strings.TrimSpace(q.Text),
		Limit: q.Limit, Offset: q.Offset}
	if q.FromMS > 0 {
		wq.From = time.UnixMilli(q.FromMS)
	}
	if q.ToMS > 0 {
		wq.To = time.UnixMilli(q.ToMS)
	}
	if strings.TrimSpace(q.Segment) != "" {
		e, err := segment.Parse(q.Segment)
		if err != nil {
			return wq, err
		}
		wq.Segment = e
	}
	return wq, nil
}

func init() {
	registerCodes(func(err error) string {
		if errors.Is(err, workspace.ErrInvalidFeedbackQuery) {
			return CodeInvalid
		}
		return ""
	})
}
