package desktop

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/ask"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Ask reads a sentence ("mobile users from Germany who reached checkout
// but did not pay") into a segment, or routes a question ("why do people
// drop off at checkout?") to the view that answers it.
type Ask struct {
	scope
	db  *workspace.DB
	now func() time.Time
}

// NewAsk binds sentence reading to a workspace's own vocabulary.
func NewAsk(db *workspace.DB) *Ask {
	return &Ask{scope: unscoped(), db: db, now: time.Now}
}

// AskReading is what a sentence was read as.
type AskReading struct {
	// Segment is in the segment text syntax; "" means every session.
	Segment string `json:"segment"`
	// Reading is "I read this as: …".
	Reading string `json:"reading"`
	// Unknown lists the words not understood, in order.
	Unknown []string `json:"unknown"`
	// Range is the period the sentence named, if any.
	Range *ask.DateRange `json:"range,omitempty"`
	// Analysis is set when the sentence asked a question.
	Analysis *ask.Analysis `json:"analysis,omitempty"`
	// Route is the view address that answers the question, "" for a segment.
	Route string `json:"route,omitempty"`
	// Count and Total are the sessions in the segment and in the workspace.
	Count int `json:"count"`
	Total int `json:"total"`
}

// Read parses a sentence against the workspace's vocabulary.
func (a *Ask) Read(sentence string) (AskReading, error) {
	v, err := ask.VocabularyOf(a.ctx, a.db)
	if err != nil {
		return AskReading{}, fail(err, "read sentence")
	}
	res, err := ask.Parse(sentence, v, a.now())
	if errors.Is(err, ask.ErrEmpty) {
		return AskReading{}, fail(fmt.Errorf("describe the sessions in a few words: %w", ErrInvalid), "read sentence")
	}
	if err != nil {
		return AskReading{}, fail(err, "read sentence")
	}
	out := AskReading{Segment: res.Segment, Reading: res.Reading, Unknown: res.Unknown, Range: res.Range, Analysis: res.Analysis}
	if out.Unknown == nil {
		out.Unknown = []string{}
	}
	segs := NewSegments(a.db)
	view, err := segs.Parse(res.Segment)
	if err != nil {
		return AskReading{}, err
	}
	out.Count, out.Total = view.Count, view.Total
	if res.Range != nil {
		// The period the sentence named narrows the count as it will
		// narrow the list.
		e, err := workspace.ParseSegment(res.Segment)
		if err != nil {
			return AskReading{}, fail(err, "read sentence")
		}
		wq := workspace.SessionQuery{From: res.Range.From, To: res.Range.To}.WithSegment(e)
		if out.Count, err = a.db.Count(a.ctx, wq); err != nil {
			return AskReading{}, fail(err, "read sentence")
		}
	}
	if res.Analysis != nil {
		if out.Route, err = a.route(*res.Analysis, res.Segment, res.Range); err != nil {
			return AskReading{}, fail(err, "read sentence")
		}
	}
	return out, nil
}

// setRange writes a sentence's period into a view address as the period
// picker does: whole days, to inclusive.
func setRange(q url.Values, r *ask.DateRange) {
	if r == nil {
		return
	}
	q.Set("from", r.From.UTC().Format(time.DateOnly))
	q.Set("to", r.To.UTC().Add(-time.Nanosecond).Format(time.DateOnly))
}

// route turns an analysis into a view address with its parameters.
func (a *Ask) route(an ask.Analysis, seg string, r *ask.DateRange) (string, error) {
	q := url.Values{}
	if seg != "" {
		q.Set("segment", seg)
	}
	setRange(q, r)
	switch an.Kind {
	case ask.AnalysisHeatmap:
		if an.Page != "" {
			q.Set("page", an.Page)
		}
		return "#/heatmaps" + query(q), nil
	case ask.AnalysisFunnel:
		if len(an.Steps) > 0 {
			q["step"] = an.Steps
			return "#/funnels" + query(q), nil
		}
	case ask.AnalysisDropOff:
		if an.Step != "" {
			steps, err := a.funnelEndingAt(an.Step)
			if err != nil {
				return "", err
			}
			q["step"] = steps
			q.Set("drop", fmt.Sprint(len(steps)-2))
			return "#/funnels" + query(q), nil
		}
	case ask.AnalysisFrustration, ask.AnalysisErrors:
		if an.Page != "" {
			q.Set("page", an.Page)
			return "#/heatmaps" + query(q), nil
		}
	}
	return "#/insights" + query(q), nil
}

// funnelEndingAt finds the steps leading to step, so "drop off at
// checkout" shows who reached the step before it and went no further: a
// saved funnel that holds the step, cut there, or else the workspace's
// most visited page followed by the step.
func (a *Ask) funnelEndingAt(step string) ([]string, error) {
	saved, err := a.db.SavedFunnels(a.ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range saved {
		fq := funnel.SpecOf(f.Name, f.Query)
		if i := slices.Index(fq.Steps, step); i > 0 {
			return fq.Steps[:i+1], nil
		}
	}
	top, err := a.db.TopPaths(a.ctx, 5)
	if err != nil {
		return nil, err
	}
	for _, p := range top {
		if s := "page:" + p.Name; p.Name != "" && s != step {
			return []string{s, step}, nil
		}
	}
	return []string{"page:*", step}, nil
}

func query(q url.Values) string {
	if len(q) == 0 {
		return ""
	}
	return "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}
