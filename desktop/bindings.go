package desktop

import (
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Bindings returns every binding struct over one workspace, in the order
// the window binds them and browser mode serves them, so the two can never
// offer different methods.
func Bindings(db *workspace.DB) []any { return BindingsWith(db, Options{}) }

// BindingsWith is Bindings with the options the window and browser mode
// set.
func BindingsWith(db *workspace.DB, opt Options) []any {
	// One analytics index, built once, serves the dashboard, funnels and
	// heatmaps.
	indexed := index.NewLive(db, "")
	bindings := []any{
		NewSessions(db),
		NewPlayer(db),
		NewNotes(db),
		NewSegments(db),
		NewSettings(db),
		newDashboards(db, indexed),
		newFunnels(db, indexed),
		newHeatmaps(db, indexed),
		NewInsights(db),
		NewSync(db, opt.Notify),
		NewAlerts(db, opt.Notify),
		NewAsk(db),
		NewReports(db),
		NewShares(db),
		NewPlaylists(db),
		NewFeedback(db),
		NewTidy(db),
		NewWorkspaces(db, opt.OpenWorkspace),
	}
	if opt.Life != nil {
		for _, b := range bindings {
			b.(scoped).live(opt.Life)
		}
	}
	return bindings
}
