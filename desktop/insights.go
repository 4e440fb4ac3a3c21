package desktop

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/loupe-dev/loupe/core/chart"
	"github.com/loupe-dev/loupe/core/insight"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Insights drafts findings from the workspace (the step that loses most
// people, frustrated elements, errors that go with abandonment ...) and
// keeps the analyst's edits.
type Insights struct {
	scope
	svc insight.Service
}

// NewInsights binds insights to a workspace.
func NewInsights(db *workspace.DB) *Insights {
	return &Insights{scope: unscoped(), svc: insight.Service{DB: db}}
}

// ScanResult is a scan's report and its drafts.
type ScanResult struct {
	Report *insight.Report `json:"report"`
	Drafts []DraftView     `json:"drafts"`
}

// DraftView is a draft with its evidence chart as an echarts option.
type DraftView struct {
	insight.Draft
	// Option is the evidence chart built by core/chart; absent when the
	// finding has no chart.
	Option json.RawMessage `json:"option,omitempty"`
}

// Evidence bars lie down when there are more than evidenceViewBars of
// them or a label is longer than evidenceLabelRunes, so long labels
// (steps, selectors) stay readable instead of overlapping.
const (
	evidenceViewBars   = 4
	evidenceLabelRunes = 16
)

func lyingBars(labels []string) bool {
	if len(labels) > evidenceViewBars {
		return true
	}
	for _, l := range labels {
		if utf8.RuneCountInString(l) > evidenceLabelRunes {
			return true
		}
	}
	return false
}

func draftViews(ds []insight.Draft) ([]DraftView, error) {
	out := make([]DraftView, len(ds))
	for k, d := range ds {
		out[k].Draft = d
		c := d.Finding.Evidence.Chart
		if c == nil || len(c.Labels) == 0 {
			continue
		}
		name := c.Unit
		if name == "" || name == "%" {
			name = c.Title
		}
		o, err := chart.Bar(chart.Style{}, name, c.Labels, c.Values, lyingBars(c.Labels))
		if err != nil {
			return nil, fmt.Errorf("draft %d: %w", d.ID, err)
		}
		out[k].Option = o
	}
	return out, nil
}

// Scan scans the workspace and saves the findings as drafts.
func (i *Insights) Scan(req insight.ScanRequest) (ScanResult, error) {
	rep, drafts, err := i.svc.Scan(i.ctx, req)
	if err != nil {
		return ScanResult{}, fail(err, "scan for insights")
	}
	views, err := draftViews(drafts)
	if err != nil {
		return ScanResult{}, fail(err, "scan for insights")
	}
	return ScanResult{Report: rep, Drafts: views}, nil
}

// Drafts lists the saved drafts, strongest first.
func (i *Insights) Drafts(withDismissed bool) ([]DraftView, error) {
	d, err := i.svc.Drafts(i.ctx, withDismissed)
	if err != nil {
		return nil, fail(err, "list insights")
	}
	views, err := draftViews(d)
	return views, fail(err, "list insights")
}

// Edit replaces a draft's title and text.
func (i *Insights) Edit(id int64, title, body string) error {
	return fail(i.svc.Edit(i.ctx, id, title, body), "edit insight")
}

// Dismiss hides a draft, or shows it again.
func (i *Insights) Dismiss(id int64, dismissed bool) error {
	return fail(i.svc.Dismiss(i.ctx, id, dismissed), "dismiss insight")
}

// Markdown exports the kept drafts as Markdown.
func (i *Insights) Markdown() (string, error) {
	s, err := i.svc.Markdown(i.ctx)
	return s, fail(err, "export insights")
}
