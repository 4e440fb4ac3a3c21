package desktop

import (
	"context"

	"github.com/loupe-dev/loupe/core/insight"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Insights drafts findings from the workspace (the step that loses most
// people, frustrated elements, errors that go with abandonment ...) and
// keeps the analyst's edits.
type Insights struct {
	ctx context.Context
	svc insight.Service
}

// NewInsights binds insights to a workspace.
func NewInsights(db *workspace.DB) *Insights {
	return &Insights{ctx: context.Background(), svc: insight.Service{DB: db}}
}

// ScanResult is a scan's report and its drafts.
type ScanResult struct {
	Report *insight.Report `json:"report"`
	Drafts []insight.Draft `json:"drafts"`
}

// Scan scans the workspace and saves the findings as drafts.
func (i *Insights) Scan(req insight.ScanRequest) (ScanResult, error) {
	rep, drafts, err := i.svc.Scan(i.ctx, req)
	if err != nil {
		return ScanResult{}, fail(err, "scan for insights")
	}
	if drafts == nil {
		drafts = []insight.Draft{}
	}
	return ScanResult{Report: rep, Drafts: drafts}, nil
}

// Drafts lists the saved drafts, strongest first.
func (i *Insights) Drafts(withDismissed bool) ([]insight.Draft, error) {
	d, err := i.svc.Drafts(i.ctx, withDismissed)
	if err != nil {
		return nil, fail(err, "list insights")
	}
	if d == nil {
		d = []insight.Draft{}
	}
	return d, nil
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
