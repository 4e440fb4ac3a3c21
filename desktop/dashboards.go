package desktop

import (
	"errors"
	"fmt"

	"github.com/loupe-dev/loupe/core/dashboard"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/period"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Dashboards is the home view: role templates of insight cards, each
// comparing a period with the one before it, saved in the workspace
// (core/dashboard).
type Dashboards struct {
	scope
	db *workspace.DB
	// indexed computes the cards from the analytics index (core/index)
	// once it is built, from SQL before and for the segments it does not
	// cover; the numbers are the same.
	indexed *index.Live
}

// NewDashboards binds dashboards to a workspace, with an analytics index
// of their own.
func NewDashboards(db *workspace.DB) *Dashboards {
	return newDashboards(db, index.NewLive(db, ""))
}

// newDashboards binds dashboards to a workspace and an index it may share
// with other bindings.
func newDashboards(db *workspace.DB, indexed *index.Live) *Dashboards {
	return &Dashboards{scope: unscoped(), db: db, indexed: indexed}
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

// CardDataIn computes one card over a picked period (dates, to inclusive,
// or RFC 3339 times) against the period of the same length before it.
func (d *Dashboards) CardDataIn(card Card, from, to string) (CardData, error) {
	f, t, err := period.Parse(from, to)
	if err == nil && (f.IsZero() || t.IsZero()) {
		err = errors.New("a dashboard period needs both ends")
	}
	if err != nil {
		return CardData{}, fail(fmt.Errorf("%w: %w", ErrInvalid, err), "draw card")
	}
	p, err := dashboard.PeriodsBetween(f, t)
	if err != nil {
		return CardData{}, fail(err, "draw card")
	}
	data, err := dashboard.DataIn(d.ctx, d.indexed, card, p)
	return data, fail(err, "draw card")
}

// CardData computes one card over the last `days` days of data.
func (d *Dashboards) CardData(card Card, days int) (CardData, error) {
	data, err := dashboard.Data(d.ctx, d.indexed, card, days)
	return data, fail(err, "draw card")
}
