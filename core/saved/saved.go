// Package saved moves an analyst's saved work between workspaces: saved
// segments, funnels, tag rules, the dashboard, notes and bookmarks go to
// one JSON file and come back into another workspace. Importing is
// idempotent (an item already present is left alone) and never overwrites:
// an item whose name is taken by something different is kept under the
// name with a suffix, and the report says so.
package saved

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/loupe-dev/loupe/core/dashboard"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Format names the file; Version is its layout.
const (
	Format  = "loupe-saved"
	Version = 1
)

// ErrNotSaved is returned for a file that is not a saved-work export.
var ErrNotSaved = errors.New("not a loupe saved-work file")

// Bundle is the exported file.
type Bundle struct {
	Format    string               `json:"format"`
	Version   int                  `json:"version"`
	Segments  []Segment            `json:"segments"`
	Funnels   []Funnel             `json:"funnels"`
	TagRules  []TagRule            `json:"tag_rules"`
	Dashboard *dashboard.Dashboard `json:"dashboard,omitempty"`
	Notes     []workspace.Note     `json:"notes"`
}

// Segment is a saved segment by its expression text.
type Segment struct {
	Name    string `json:"name"`
	Segment string `json:"segment"`
}

// Funnel is a saved funnel.
type Funnel struct {
	Name  string       `json:"name"`
	Query funnel.Query `json:"query"`
}

// TagRule is a rule tagging the sessions of a segment.
type TagRule struct {
	Name    string `json:"name"`
	Tag     string `json:"tag"`
	Segment string `json:"segment"`
}

// Export gathers the workspace's saved work.
func Export(ctx context.Context, db *workspace.DB) (Bundle, error) {
	b := Bundle{Format: Format, Version: Version, Segments: []Segment{}, Funnels: []Funnel{}, TagRules: []TagRule{}}
	segs, err := db.SavedSegments(ctx)
	if err != nil {
		return b, err
	}
	for _, s := range segs {
		b.Segments = append(b.Segments, Segment{Name: s.Name, Segment: s.Text})
	}
	fns, err := db.SavedFunnels(ctx)
	if err != nil {
		return b, err
	}
	for _, f := range fns {
		b.Funnels = append(b.Funnels, Funnel{Name: f.Name, Query: f.Query})
	}
	rules, err := db.TagRules(ctx)
	if err != nil {
		return b, err
	}
	for _, r := range rules {
		b.TagRules = append(b.TagRules, TagRule{Name: r.Name, Tag: r.Tag, Segment: r.Text})
	}
	var d dashboard.Dashboard
	if ok, err := db.Setting(ctx, dashboardKey, &d); err != nil {
		return b, err
	} else if ok {
		b.Dashboard = &d
	}
	if b.Notes, err = db.AllNotes(ctx); err != nil {
		return b, err
	}
	return b, nil
}

// dashboardKey is where core/dashboard keeps the saved dashboard; only a
// dashboard someone saved is exported, not the default template.
const dashboardKey = "workbench.dashboard"

// Write encodes a bundle as indented JSON.
func Write(w io.Writer, b Bundle) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

// Read decodes and checks a bundle.
func Read(r io.Reader) (Bundle, error) {
	var b Bundle
	dec := json.NewDecoder(r)
	if err := dec.Decode(&b); err != nil {
		return b, fmt.Errorf("read saved work: %w: %v", ErrNotSaved, err)
	}
	if b.Format != Format {
		return b, fmt.Errorf("read saved work: %w: format %q", ErrNotSaved, b.Format)
	}
	if b.Version != Version {
		return b, fmt.Errorf("read saved work: version %d: %w (this loupe reads version %d)", b.Version, ErrNotSaved, Version)
	}
	return b, nil
}
