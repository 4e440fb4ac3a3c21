package insight

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core/workspace"
)

// Draft is a saved finding as the analyst sees it: the engine's finding
// with the title and text possibly edited.
type Draft struct {
	ID        int64   `json:"id"`
	Title     string  `json:"title"`
	Body      string  `json:"body"`
	Edited    bool    `json:"edited"`
	Dismissed bool    `json:"dismissed"`
	Finding   Finding `json:"finding"`
}

// SaveDrafts stores a report's findings as drafts. Findings seen before
// get fresh evidence; drafts edited by hand keep their words.
func SaveDrafts(ctx context.Context, db *workspace.DB, r *Report) error {
	for _, f := range r.Findings {
		b, err := json.Marshal(f)
		if err != nil {
			return fmt.Errorf("save drafts: %w", err)
		}
		if _, err := db.UpsertInsightDraft(ctx, workspace.InsightDraft{
			Key: f.Key, Kind: string(f.Kind), Title: f.Title, Body: strings.Join(f.Sentences, " "),
			Finding: string(b), Strength: f.Strength,
		}); err != nil {
			return fmt.Errorf("save drafts: %w", err)
		}
	}
	return nil
}

// Drafts loads the saved drafts, strongest first.
func Drafts(ctx context.Context, db *workspace.DB, withDismissed bool) ([]Draft, error) {
	rows, err := db.InsightDrafts(ctx, withDismissed)
	if err != nil {
		return nil, err
	}
	out := make([]Draft, 0, len(rows))
	for _, r := range rows {
		d := Draft{ID: r.ID, Title: r.Title, Body: r.Body, Edited: r.Edited, Dismissed: r.Dismissed}
		if err := json.Unmarshal([]byte(r.Finding), &d.Finding); err != nil {
			return nil, fmt.Errorf("insight draft %d: %w", r.ID, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// DraftsOf presents a report's findings as unsaved drafts, for output
// that does not touch the workspace.
func DraftsOf(r *Report) []Draft {
	out := make([]Draft, len(r.Findings))
	for i, f := range r.Findings {
		out[i] = Draft{Title: f.Title, Body: strings.Join(f.Sentences, " "), Finding: f}
	}
	return out
}
