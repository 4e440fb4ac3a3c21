package desktop

import (
	"context"
	"fmt"
	"sync"

	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Settings keys where earlier workbench builds kept saved segments and
// funnels, before both moved into the workspace tables the CLI and alert
// rules share.
const (
	legacySegmentsKey = "workbench.segments"
	legacyFunnelsKey  = "workbench.funnels"
)

// migrationState remembers whether a binding's legacy saved items have
// moved. Bindings hold it by pointer so that the copies browser mode makes
// for each call (see during, in dispatch.go) share one state and one lock.
type migrationState struct {
	mu       sync.Mutex
	migrated bool
}

// migrateSavedSegments copies segments from the legacy settings key into
// the saved_segments table. A name already in the table keeps the table's
// version (it is the newer one); an entry that no longer parses stays in
// the settings key, so nothing is lost, and does not block the others.
func migrateSavedSegments(ctx context.Context, db *workspace.DB) error {
	var legacy []SavedSegment
	ok, err := db.Setting(ctx, legacySegmentsKey, &legacy)
	if err != nil || !ok || len(legacy) == 0 {
		return err
	}
	have, err := db.SavedSegments(ctx)
	if err != nil {
		return err
	}
	exists := map[string]bool{}
	for _, s := range have {
		exists[s.Name] = true
	}
	var kept []SavedSegment
	for _, s := range legacy {
		if exists[s.Name] {
			continue
		}
		e, err := segment.Parse(s.Text)
		if err == nil {
			err = db.SaveSegment(ctx, s.Name, e)
		}
		if err != nil {
			kept = append(kept, s)
		}
	}
	if kept == nil {
		kept = []SavedSegment{}
	}
	if err := db.SetSetting(ctx, legacySegmentsKey, kept); err != nil {
		return fmt.Errorf("move saved segments: %w", err)
	}
	return nil
}

// migrateSavedFunnels does for funnels what migrateSavedSegments does for
// segments.
func migrateSavedFunnels(ctx context.Context, db *workspace.DB) error {
	var legacy []FunnelQuery
	ok, err := db.Setting(ctx, legacyFunnelsKey, &legacy)
	if err != nil || !ok || len(legacy) == 0 {
		return err
	}
	have, err := db.SavedFunnels(ctx)
	if err != nil {
		return err
	}
	exists := map[string]bool{}
	for _, f := range have {
		exists[f.Name] = true
	}
	var kept []FunnelQuery
	for _, f := range legacy {
		if exists[f.Name] {
			continue
		}
		q, err := f.query()
		if err == nil {
			err = db.SaveFunnel(ctx, f.Name, q)
		}
		if err != nil {
			kept = append(kept, f)
		}
	}
	if kept == nil {
		kept = []FunnelQuery{}
	}
	if err := db.SetSetting(ctx, legacyFunnelsKey, kept); err != nil {
		return fmt.Errorf("move saved funnels: %w", err)
	}
	return nil
}
