package insight

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/loupe-dev/loupe/core/insight/reword"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Service is the insights feature over one workspace, as the workbench
// and the CLI use it: scan and save drafts, list, edit, dismiss, export.
type Service struct {
	DB *workspace.DB
	// Reword is the optional local model; nil or disabled keeps the
	// deterministic text.
	Reword *reword.Client
}

// ScanRequest is what the analyst asks a scan for, in text form.
type ScanRequest struct {
	Segment string    `json:"segment"`
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Funnel  []string  `json:"funnel"`
}

// Scan scans the workspace, saves the findings as drafts and returns the
// drafts of this scan (edited words kept, dismissed ones left out),
// reworded by the model when one is configured.
func (s Service) Scan(ctx context.Context, req ScanRequest) (*Report, []Draft, error) {
	seg, err := workspace.ParseSegment(req.Segment)
	if err != nil {
		return nil, nil, fmt.Errorf("scan: segment: %w", err)
	}
	return s.ScanWith(ctx, Options{Segment: seg, From: req.From, To: req.To, Funnel: req.Funnel})
}

// ScanWith is Scan with every option.
func (s Service) ScanWith(ctx context.Context, opt Options) (*Report, []Draft, error) {
	rep, err := ScanWorkspace(ctx, s.DB, opt)
	if err != nil {
		return nil, nil, err
	}
	if err := SaveDrafts(ctx, s.DB, rep); err != nil {
		return nil, nil, err
	}
	all, err := Drafts(ctx, s.DB, true)
	if err != nil {
		return nil, nil, err
	}
	byKey := map[string]Draft{}
	for _, d := range all {
		byKey[d.Finding.Key] = d
	}
	out := []Draft{}
	for _, f := range rep.Findings {
		if d, ok := byKey[f.Key]; ok && !d.Dismissed {
			out = append(out, d)
		}
	}
	if s.Reword != nil {
		Reword(ctx, s.Reword, out)
	}
	return rep, out, nil
}

// Drafts lists the saved drafts, strongest first.
func (s Service) Drafts(ctx context.Context, withDismissed bool) ([]Draft, error) {
	return Drafts(ctx, s.DB, withDismissed)
}

// Edit replaces a draft's title and text; later scans keep them.
func (s Service) Edit(ctx context.Context, id int64, title, body string) error {
	return s.DB.EditInsightDraft(ctx, id, title, body)
}

// Dismiss hides a draft, or shows it again.
func (s Service) Dismiss(ctx context.Context, id int64, dismissed bool) error {
	return s.DB.DismissInsightDraft(ctx, id, dismissed)
}

// Markdown exports the saved drafts that are not dismissed.
func (s Service) Markdown(ctx context.Context) (string, error) {
	drafts, err := Drafts(ctx, s.DB, false)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, nil, drafts, ""); err != nil {
		return "", err
	}
	return b.String(), nil
}
