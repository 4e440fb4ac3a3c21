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
	var link func(Asset) string = WorkbenchLink
	if linking == Inline {
		link = DataLinks(func(sha string) ([]byte, error) {
			a, err := db.OpenAsset(ctx, sha)
			return a.Data, err
		})
	}
	return ForSessionLinked(ctx, db, session, link)
}

// ForSessionLinked is ForSession with a link of the caller's choosing, for
// outputs that reference each stored asset in their own way (a one-file
// replay names each digest once and inlines its bytes beside the events).
func ForSessionLinked(ctx context.Context, db *workspace.DB, session string, link func(Asset) string) (*Resolver, workspace.AssetCompleteness, error) {
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

// SessionLinked is Session with a link of the caller's choosing.
func SessionLinked(ctx context.Context, db *workspace.DB, id string, link func(Asset) string) (events []rrweb.Event, c workspace.AssetCompleteness, err error) {
	raw, err := db.ReplayEvents(ctx, id)
	if err != nil {
		return nil, c, err
	}
	r, c, err := ForSessionLinked(ctx, db, id, link)
	if err != nil {
		return nil, c, fmt.Errorf("assets of %s: %w", id, err)
	}
	return Prepare(raw, r), c, nil
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
