package tray

import (
	"context"
	"slices"

	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/sync/source"
)

// sourcesKey holds sources added to the tray before their first sync
// (`loupe tray --from ADDR`); a source synced once is also in the
// workspace's own list of sources.
const sourcesKey = "tray.sources"

// SavedSources lists the addresses a tray sync reads: every source the
// workspace has synced from, and those added to the tray, each once.
func SavedSources(ctx context.Context, db *workspace.DB) ([]string, error) {
	var added []string
	if _, err := db.Setting(ctx, sourcesKey, &added); err != nil {
		return nil, err
	}
	known, err := db.Sources(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(added)+len(known))
	for _, k := range known {
		out = append(out, k.Addr)
	}
	for _, a := range added {
		out = append(out, source.Name(a))
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// AddSource saves addr among the tray's sources. The address is stored by
// its source name, which carries no credentials.
func AddSource(ctx context.Context, db *workspace.DB, addr string) error {
	var added []string
	if _, err := db.Setting(ctx, sourcesKey, &added); err != nil {
		return err
	}
	name := source.Name(addr)
	if slices.Contains(added, name) {
		return nil
	}
	return db.SetSetting(ctx, sourcesKey, append(added, name))
}
