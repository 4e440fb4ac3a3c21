package saved

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/loupe-dev/loupe/core/dashboard"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// ImportReport says what an import did, item by item kind.
type ImportReport struct {
	Added   int `json:"added"`
	Present int `json:"present"` // already in the workspace, left alone
	// Renamed lists "old → new" for items kept beside a different item
	// of the same name.
	Renamed []string `json:"renamed"`
	// NotesSkipped counts notes on sessions this workspace does not hold.
	NotesSkipped int  `json:"notes_skipped"`
	Dashboard    bool `json:"dashboard"` // the dashboard was set or gained cards
}

// Import adds a bundle's items to the workspace. Everything is checked
// before anything is written, so a bad file changes nothing.
func Import(ctx context.Context, db *workspace.DB, b Bundle) (ImportReport, error) {
	rep := ImportReport{Renamed: []string{}}
	segs := map[string]segment.Expr{}
	for _, s := range append(append([]Segment{}, b.Segments...), rulesAsSegments(b.TagRules)...) {
		e, err := workspace.ParseSegment(s.Segment)
		if err == nil && e == nil {
			err = segment.ErrSyntax
		}
		if err != nil {
			return rep, fmt.Errorf("import saved work: segment of %q: %w", s.Name, err)
		}
		segs[s.Segment] = e
	}
	for _, f := range b.Funnels {
		if _, err := f.Query.Normalize(); err != nil {
			return rep, fmt.Errorf("import saved work: funnel %q: %w", f.Name, err)
		}
	}
	if b.Dashboard != nil {
		if _, err := dashboard.Check(*b.Dashboard); err != nil {
			return rep, fmt.Errorf("import saved work: dashboard: %w", err)
		}
	}

	haveSegs, err := db.SavedSegments(ctx)
	if err != nil {
		return rep, err
	}
	segText := map[string]string{}
	for _, s := range haveSegs {
		segText[s.Name] = s.Text
	}
	for _, s := range b.Segments {
		e := segs[s.Segment]
		name, isNew := place(s.Name, e.String(), segText, &rep)
		if isNew {
			if err := db.SaveSegment(ctx, name, e); err != nil {
				return rep, err
			}
			segText[name] = e.String()
		}
	}

	haveFns, err := db.SavedFunnels(ctx)
	if err != nil {
		return rep, err
	}
	fnText := map[string]string{}
	for _, f := range haveFns {
		fnText[f.Name] = jsonText(f.Query)
	}
	for _, f := range b.Funnels {
		name, isNew := place(f.Name, jsonText(f.Query), fnText, &rep)
		if isNew {
			if err := db.SaveFunnel(ctx, name, f.Query); err != nil {
				return rep, err
			}
			fnText[name] = jsonText(f.Query)
		}
	}

	haveRules, err := db.TagRules(ctx)
	if err != nil {
		return rep, err
	}
	ruleText := map[string]string{}
	for _, r := range haveRules {
		ruleText[r.Name] = r.Tag + "\x00" + r.Text
	}
	for _, r := range b.TagRules {
		e := segs[r.Segment]
		name, isNew := place(r.Name, r.Tag+"\x00"+e.String(), ruleText, &rep)
		if isNew {
			if _, err := db.SaveTagRule(ctx, name, r.Tag, e); err != nil {
				return rep, err
			}
			ruleText[name] = r.Tag + "\x00" + e.String()
		}
	}

	if b.Dashboard != nil {
		if rep.Dashboard, err = mergeDashboard(ctx, db, *b.Dashboard); err != nil {
			return rep, err
		}
	}
	if err := importNotes(ctx, db, b.Notes, &rep); err != nil {
		return rep, err
	}
	return rep, nil
}

// place decides where an item called name with content text goes, given
// the names taken: the name itself when free, nothing when the name (or
// one of its suffixed names) already holds the same content, else the
// first free "name (imported N)".
func place(name, text string, taken map[string]string, rep *ImportReport) (string, bool) {
	candidate := name
	for n := 1; ; n++ {
		have, ok := taken[candidate]
		if !ok {
			if candidate != name {
				rep.Renamed = append(rep.Renamed, fmt.Sprintf("%s → %s", name, candidate))
			}
			rep.Added++
			return candidate, true
		}
		if have == text {
			rep.Present++
			return candidate, false
		}
		candidate = name + " (imported)"
		if n > 1 {
			candidate = fmt.Sprintf("%s (imported %d)", name, n)
		}
	}
}

// mergeDashboard sets the dashboard when the workspace has none saved and
// otherwise appends the imported cards it does not show yet.
func mergeDashboard(ctx context.Context, db *workspace.DB, in dashboard.Dashboard) (bool, error) {
	var have dashboard.Dashboard
	ok, err := db.Setting(ctx, dashboardKey, &have)
	if err != nil {
		return false, err
	}
	if !ok || len(have.Cards) == 0 {
		_, err := dashboard.Save(ctx, db, in)
		return err == nil, err
	}
	changed := false
	for _, c := range in.Cards {
		if !slices.Contains(have.Cards, c) {
			have.Cards = append(have.Cards, c)
			changed = true
		}
	}
	if !changed {
		return false, nil
	}
	_, err = dashboard.Save(ctx, db, have)
	return err == nil, err
}

// importNotes adds the notes not yet on their sessions; notes on sessions
// the workspace does not hold are counted and left out.
func importNotes(ctx context.Context, db *workspace.DB, notes []workspace.Note, rep *ImportReport) error {
	have, err := db.AllNotes(ctx)
	if err != nil {
		return err
	}
	type key struct {
		session, text string
		offset        int64
		bookmark      bool
	}
	seen := map[key]bool{}
	for _, n := range have {
		seen[key{n.Session, n.Text, n.OffsetMS, n.Bookmark}] = true
	}
	for _, n := range notes {
		k := key{n.Session, n.Text, n.OffsetMS, n.Bookmark}
		if seen[k] {
			rep.Present++
			continue
		}
		if _, err := db.AddNote(ctx, workspace.Note{Session: n.Session, OffsetMS: n.OffsetMS, Text: n.Text, Bookmark: n.Bookmark}); err != nil {
			if errors.Is(err, workspace.ErrNotFound) {
				rep.NotesSkipped++
				continue
			}
			return err
		}
		seen[k] = true
		rep.Added++
	}
	return nil
}

func rulesAsSegments(rules []TagRule) []Segment {
	out := make([]Segment, len(rules))
	for i, r := range rules {
		out[i] = Segment{Name: r.Name, Segment: r.Segment}
	}
	return out
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
