package desktop

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/chart"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Dashboards is the home view: role templates of insight cards, each
// comparing a period with the one before it, saved in the workspace.
type Dashboards struct {
	scope
	db *workspace.DB
}

// NewDashboards binds dashboards to a workspace.
func NewDashboards(db *workspace.DB) *Dashboards {
	return &Dashboards{scope: unscoped(), db: db}
}

const dashboardKey = "workbench.dashboard"

// Card kinds the UI knows how to draw.
var cardKinds = map[string]string{
	"sessions":       "Sessions",
	"visitors":       "Visitors",
	"avg_duration":   "Average duration",
	"bounce_rate":    "Bounce rate",
	"error_rate":     "Sessions with errors",
	"rage_rate":      "Sessions with rage clicks",
	"sessions_chart": "Sessions per day",
	"top_pages":      "Top pages",
	"top_frustrated": "Top frustrated elements",
	"top_errors":     "Top errors",
	// The conversion of one saved funnel (Card.Funnel; the first saved
	// funnel when empty).
	"funnel_conversion": "Funnel conversion",
}

// Card is one insight card: what it shows and, optionally, the segment
// it is scoped to.
type Card struct {
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	Segment string `json:"segment,omitempty"`
	// Funnel names the saved funnel of a funnel_conversion card.
	Funnel string `json:"funnel,omitempty"`
}

// Dashboard is the saved layout: a template name and its ordered cards.
type Dashboard struct {
	Template string `json:"template"`
	Days     int    `json:"days"` // period length
	Cards    []Card `json:"cards"`
}

// Template is a role's starting set of cards.
type Template struct {
	Name  string   `json:"name"`
	About string   `json:"about"`
	Kinds []string `json:"kinds"`
}

var templates = []Template{
	{"Executive", "Traffic and engagement at a glance", []string{"sessions", "visitors", "avg_duration", "bounce_rate", "sessions_chart", "top_pages", "funnel_conversion"}},
	{"Growth", "Where visitors come in and where they leave", []string{"sessions", "visitors", "funnel_conversion", "bounce_rate", "sessions_chart", "top_pages", "avg_duration"}},
	{"Engineering", "Errors and broken interactions", []string{"error_rate", "rage_rate", "sessions", "top_errors", "top_frustrated", "sessions_chart"}},
	{"Product", "How people use the product and where they struggle", []string{"avg_duration", "funnel_conversion", "rage_rate", "bounce_rate", "top_frustrated", "top_pages", "sessions"}},
	{"Digital Ops", "Site health day to day", []string{"sessions", "error_rate", "rage_rate", "bounce_rate", "sessions_chart", "top_errors"}},
}

// Templates lists the role templates and the card kinds.
func (d *Dashboards) Templates() ([]Template, error) { return templates, nil }

// CardKinds maps each card kind to its default title.
func (d *Dashboards) CardKinds() (map[string]string, error) { return cardKinds, nil }

func fromTemplate(name string) (Dashboard, bool) {
	for _, t := range templates {
		if strings.EqualFold(t.Name, name) {
			db := Dashboard{Template: t.Name, Days: 7}
			for _, k := range t.Kinds {
				db.Cards = append(db.Cards, Card{Kind: k, Title: cardKinds[k]})
			}
			return db, true
		}
	}
	return Dashboard{}, false
}

// Get returns the saved dashboard, or the Executive template.
func (d *Dashboards) Get() (Dashboard, error) {
	var dash Dashboard
	ok, err := d.db.Setting(d.ctx, dashboardKey, &dash)
	if err != nil {
		return Dashboard{}, fail(err, "read dashboard")
	}
	if !ok || len(dash.Cards) == 0 {
		dash, _ = fromTemplate("Executive")
	}
	return dash, nil
}

// UseTemplate replaces the dashboard with a role template and saves it.
func (d *Dashboards) UseTemplate(name string) (Dashboard, error) {
	dash, ok := fromTemplate(name)
	if !ok {
		return Dashboard{}, fail(fmt.Errorf("template %q: %w", name, ErrNotFound), "use template")
	}
	return d.Save(dash)
}

// Save checks and stores a dashboard (cards added, removed, reordered or
// scoped by a segment).
func (d *Dashboards) Save(dash Dashboard) (Dashboard, error) {
	if dash.Days <= 0 || dash.Days > 366 {
		return Dashboard{}, fail(fmt.Errorf("a period of %d days: want 1 to 366: %w", dash.Days, ErrInvalid), "save dashboard")
	}
	for i, c := range dash.Cards {
		if _, ok := cardKinds[c.Kind]; !ok {
			return Dashboard{}, fail(fmt.Errorf("card %d: unknown kind %q: %w", i+1, c.Kind, ErrInvalid), "save dashboard")
		}
		if strings.TrimSpace(c.Segment) != "" {
			if _, err := segment.Parse(c.Segment); err != nil {
				return Dashboard{}, fail(fmt.Errorf("card %d: %w", i+1, err), "save dashboard")
			}
		}
		if strings.TrimSpace(c.Title) == "" {
			dash.Cards[i].Title = cardKinds[c.Kind]
		}
	}
	if err := d.db.SetSetting(d.ctx, dashboardKey, dash); err != nil {
		return Dashboard{}, fail(err, "save dashboard")
	}
	return dash, nil
}

// CardData is what one card draws: this period and the previous one, and
// for list and chart cards their rows.
type CardData struct {
	Current  workspace.PeriodStats `json:"current"`
	Previous workspace.PeriodStats `json:"previous"`
	Ranked   []workspace.Ranked    `json:"ranked,omitempty"`
	Days     []workspace.DayCount  `json:"days,omitempty"`
	// Funnel is a funnel_conversion card's numbers; nil when the
	// workspace has no saved funnel.
	Funnel *FunnelCard `json:"funnel,omitempty"`
	// Option is the echarts option of a chart card, built by core/chart.
	Option json.RawMessage `json:"option,omitempty"`
	// Empty is true when the workspace holds no sessions at all.
	Empty bool `json:"empty"`
}

// CardData computes one card over the last `days` days of data.
func (d *Dashboards) CardData(card Card, days int) (CardData, error) {
	if _, ok := cardKinds[card.Kind]; !ok {
		return CardData{}, fail(fmt.Errorf("unknown card kind %q: %w", card.Kind, ErrInvalid), "draw card")
	}
	if days <= 0 {
		days = 7
	}
	var q workspace.SessionQuery
	if strings.TrimSpace(card.Segment) != "" {
		e, err := segment.Parse(card.Segment)
		if err != nil {
			return CardData{}, fail(err, "draw card")
		}
		q = q.WithSegment(e)
	}
	latest, ok, err := d.db.LatestStart(d.ctx)
	if err != nil {
		return CardData{}, fail(err, "draw card")
	}
	if !ok {
		return CardData{Empty: true}, nil
	}
	// Periods end at the day after the newest session, in whole UTC days.
	to := latest.Truncate(24 * time.Hour).Add(24 * time.Hour)
	span := time.Duration(days) * 24 * time.Hour
	from, prevFrom := to.Add(-span), to.Add(-2*span)
	var out CardData
	if out.Current, err = d.db.PeriodStats(d.ctx, q, from, to); err != nil {
		return out, fail(err, "draw card")
	}
	if out.Previous, err = d.db.PeriodStats(d.ctx, q, prevFrom, from); err != nil {
		return out, fail(err, "draw card")
	}
	switch card.Kind {
	case "top_pages":
		out.Ranked, err = d.db.TopPages(d.ctx, q, from, to, 8)
	case "top_frustrated":
		out.Ranked, err = d.db.TopFrustrated(d.ctx, q, from, to, 8)
	case "top_errors":
		out.Ranked, err = d.db.TopErrors(d.ctx, q, from, to, 8)
	case "sessions_chart":
		if out.Days, err = d.db.SessionsPerDay(d.ctx, q, prevFrom, to); err == nil {
			out.Option, err = sessionsOption(out.Days, from, days)
		}
	case "funnel_conversion":
		out.Funnel, err = d.funnelCard(card, from, to, prevFrom)
	}
	return out, fail(err, "draw card")
}

// sessionsOption draws the period's sessions per day beside the same days
// one period earlier; days without sessions count zero.
func sessionsOption(counts []workspace.DayCount, from time.Time, days int) (json.RawMessage, error) {
	byDay := make(map[string]float64, len(counts))
	for _, c := range counts {
		byDay[c.Day] = float64(c.Sessions)
	}
	const day = 24 * time.Hour
	span := time.Duration(days) * day
	labels := make([]string, days)
	cur, prev := make([]float64, days), make([]float64, days)
	for i := 0; i < days; i++ {
		t := from.Add(time.Duration(i) * day)
		labels[i] = t.Format("2006-01-02")
		cur[i] = byDay[labels[i]]
		prev[i] = byDay[t.Add(-span).Format("2006-01-02")]
	}
	return chart.Compare(chart.Style{}, labels, cur, prev)
}

// FunnelCard is a saved funnel's conversion in a period and the one
// before it.
type FunnelCard struct {
	Name     string       `json:"name"`
	Steps    []string     `json:"steps"`
	Current  FunnelPeriod `json:"current"`
	Previous FunnelPeriod `json:"previous"`
}

// FunnelPeriod is a funnel's conversion over the sessions of one period.
type FunnelPeriod struct {
	Started    int     `json:"started"`   // sessions that reached the first step
	Converted  int     `json:"converted"` // sessions that reached the last
	Conversion float64 `json:"conversion"`
}

// funnelCard runs the card's saved funnel (the first one when it names
// none) over both periods, narrowed by the card's segment too.
func (d *Dashboards) funnelCard(card Card, from, to, prevFrom time.Time) (*FunnelCard, error) {
	saved, err := d.db.SavedFunnels(d.ctx)
	if err != nil {
		return nil, err
	}
	if len(saved) == 0 {
		return nil, nil
	}
	pick := saved[0]
	if name := strings.TrimSpace(card.Funnel); name != "" {
		found := false
		for _, f := range saved {
			if f.Name == name {
				pick, found = f, true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("saved funnel %q: %w", name, ErrNotFound)
		}
	}
	q := pick.Query
	q.Breakdown = "" // one number per period
	if strings.TrimSpace(card.Segment) != "" {
		e, err := segment.Parse(card.Segment)
		if err != nil {
			return nil, err
		}
		if q.Segment == nil {
			q.Segment = e
		} else {
			q.Segment = segment.And{q.Segment, e}
		}
	}
	out := &FunnelCard{Name: pick.Name, Steps: funnelQueryOf(pick.Name, pick.Query).Steps}
	for _, p := range []struct {
		into     *FunnelPeriod
		from, to time.Time
	}{{&out.Current, from, to}, {&out.Previous, prevFrom, from}} {
		q.From, q.To = p.from, p.to
		res, err := d.db.Funnel(d.ctx, q)
		if err != nil {
			return nil, fmt.Errorf("funnel %q: %w", pick.Name, err)
		}
		*p.into = FunnelPeriod{Converted: res.Converted, Conversion: res.Conversion}
		if len(res.Steps) > 0 {
			p.into.Started = res.Steps[0].Count
		}
	}
	return out, nil
}
