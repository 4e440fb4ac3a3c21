package desktop

import (
	"github.com/loupe-dev/loupe/core/dashboard"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Dashboards is the home view: role templates of insight cards, each
// comparing a period with the one before it, saved in the workspace
// (core/dashboard).
type Dashboards struct {
	scope
	db *workspace.DB
}

// NewDashboards binds dashboards to a workspace.
func NewDashboards(db *workspace.DB) *Dashboards {
	return &Dashboards{scope: unscoped(), db: db}
}

// The dashboard's shapes, as core/dashboard defines them.
type (
	Card         = dashboard.Card
	Dashboard    = dashboard.Dashboard
	Template     = dashboard.Template
	CardData     = dashboard.CardData
	FunnelCard   = dashboard.FunnelCard
	FunnelPeriod = dashboard.FunnelPeriod
)

// Templates lists the role templates.
func (d *Dashboards) Templates() ([]Template, error) { return dashboard.Templates(), nil }

// CardKinds maps each card kind to its default title.
func (d *Dashboards) CardKinds() (map[string]string, error) { return dashboard.CardKinds(), nil }

// Get returns the saved dashboard, or the default template.
func (d *Dashboards) Get() (Dashboard, error) {
	dash, err := dashboard.Load(d.ctx, d.db)
	return dash, fail(err, "read dashboard")
}

// UseTemplate replaces the dashboard with a role template and saves it.
func (d *Dashboards) UseTemplate(name string) (Dashboard, error) {
	dash, err := dashboard.UseTemplate(d.ctx, d.db, name)
	return dash, fail(err, "use template")
}

// Save checks and stores a dashboard.
func (d *Dashboards) Save(dash Dashboard) (Dashboard, error) {
	dash, err := dashboard.Save(d.ctx, d.db, dash)
	return dash, fail(err, "save dashboard")
}

// CardData computes one card over the last `days` days of data.
func (d *Dashboards) CardData(card Card, days int) (CardData, error) {
	data, err := dashboard.Data(d.ctx, d.db, card, days)
	return data, fail(err, "draw card")
}
