package replay

import (
	"context"
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core/rrweb"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Linking says how a session's stored assets are referenced.
type Linking int

const (
	// Workbench links stored assets as /asset/<sha256>, which the window
	// and browser mode serve.
	Workbench Linking = iota
	// Inline carries stored assets as data: URIs, for one-file outputs.
	Inline
)

// ForSession builds the resolver of a session from its manifest in the
// workspace, and says how complete that manifest is.
func ForSession(ctx context.Context, db *workspace.DB, session string, linking Linking) (*Resolver, workspace.AssetCompleteness, error) {
	refs, err := db.SessionAssets(ctx, session)
	if err != nil {
		return nil, workspace.AssetCompleteness{}, err
	}
	manifest := make([]Asset, len(refs))
	for i, r := range refs {
		manifest[i] = Asset{URL: r.URL, SHA256: r.SHA256, Type: r.Type, Stored: r.Stored}
	}
	open := func(sha string) ([]byte, error) {
		a, err := db.OpenAsset(ctx, sha)
		return a.Data, err
	}
	link := WorkbenchLink
	if linking == Inline {
		link = DataLinks(open)
	}
	text := func(a Asset) (string, bool) {
		if !strings.HasPrefix(strings.ToLower(a.Type), "text/css") {
			return "", false
		}
		b, err := open(a.SHA256)
		if err != nil {
			return "", false
		}
		return string(b), true
	}
	return NewResolver(manifest, link, text), workspace.Completeness(refs), nil
}

// Session loads a session's events from the workspace, ready to replay:
// sanitized and with its assets linked as linking says.
func Session(ctx context.Context, db *workspace.DB, id string, linking Linking) (events []rrweb.Event, c workspace.AssetCompleteness, err error) {
	raw, err := db.ReplayEvents(ctx, id)
	if err != nil {
		return nil, c, err
	}
	r, c, err := ForSession(ctx, db, id, linking)
	if err != nil {
		return nil, c, fmt.Errorf("assets of %s: %w", id, err)
	}
	return Prepare(raw, r), c, nil
}
