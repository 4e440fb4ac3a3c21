package dashboard

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core/chart"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// rankedRows is how many rows a list card shows.
const rankedRows = 8

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

// Data computes one card over the last `days` days of data (DefaultDays
// when days <= 0), asking db: a workspace, or an index in front of one.
func Data(ctx context.Context, db Source, card Card, days int) (CardData, error) {
	latest, ok, err := db.LatestStart(ctx)
	if err != nil {
		return CardData{}, err
	}
	if !ok {
		if _, known := kinds[card.Kind]; !known {
			return CardData{}, fmt.Errorf("unknown card kind %q: %w", card.Kind, ErrInvalid)
		}
		return CardData{Empty: true}, nil
	}
	return DataIn(ctx, db, card, PeriodsEndingAt(latest, days))
}

// DataIn computes one card over the periods p: the analyst's own period
// (PeriodsBetween) rather than the last days of data.
func DataIn(ctx context.Context, db Source, card Card, p Periods) (CardData, error) {
	if _, ok := kinds[card.Kind]; !ok {
		return CardData{}, fmt.Errorf("unknown card kind %q: %w", card.Kind, ErrInvalid)
	}
	scope, err := cardSegment(card)
	if err != nil {
		return CardData{}, err
	}
	q := workspace.SessionQuery{Segment: scope}
	var out CardData
	if out.Current, err = db.PeriodStats(ctx, q, p.From, p.To); err != nil {
		return out, err
	}
	if out.Previous, err = db.PeriodStats(ctx, q, p.PrevFrom, p.From); err != nil {
		return out, err
	}
	switch card.Kind {
	case "top_pages":
		out.Ranked, err = db.TopPages(ctx, q, p.From, p.To, rankedRows)
	case "top_frustrated":
		out.Ranked, err = db.TopFrustrated(ctx, q, p.From, p.To, rankedRows)
	case "top_errors":
		out.Ranked, err = db.TopErrors(ctx, q, p.From, p.To, rankedRows)
	case "sessions_chart":
		if out.Days, err = db.SessionsPerDay(ctx, q, p.PrevFrom, p.To); err == nil {
			out.Option, err = sessionsOption(out.Days, p)
		}
	case "funnel_conversion":
		out.Funnel, err = funnelCard(ctx, db, card, scope, p)
	}
	return out, err
}

// cardSegment parses a card's segment (nil when it has none).
func cardSegment(card Card) (segment.Expr, error) {
	if strings.TrimSpace(card.Segment) == "" {
		return nil, nil
	}
	return segment.Parse(card.Segment)
}

// sessionsOption draws the period's sessions per day beside the same days
// one period earlier; days without sessions count zero.
func sessionsOption(counts []workspace.DayCount, p Periods) (json.RawMessage, error) {
	byDay := make(map[string]float64, len(counts))
	for _, c := range counts {
		byDay[c.Day] = float64(c.Sessions)
	}
	const day = 24 * time.Hour
	span := time.Duration(p.Days) * day
	labels := make([]string, p.Days)
	cur, prev := make([]float64, p.Days), make([]float64, p.Days)
	for i := 0; i < p.Days; i++ {
		t := p.From.Add(time.Duration(i) * day)
		labels[i] = t.Format("2006-01-02")
		cur[i] = byDay[labels[i]]
		prev[i] = byDay[t.Add(-span).Format("2006-01-02")]
	}
	return chart.Compare(chart.Style{}, labels, cur, prev)
}

// funnelCard runs the card's saved funnel (the first one when it names
// none) over both periods, narrowed by the card's segment too.
func funnelCard(ctx context.Context, db Source, card Card, scope segment.Expr, p Periods) (*FunnelCard, error) {
	saved, err := db.SavedFunnels(ctx)
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
			return nil, fmt.Errorf("saved funnel %q: %w", name, workspace.ErrNotFound)
		}
	}
	q := pick.Query
	q.Breakdown = "" // one number per period
	switch {
	case scope == nil:
	case q.Segment == nil:
		q.Segment = scope
	default:
		q.Segment = segment.And{q.Segment, scope}
	}
	out := &FunnelCard{Name: pick.Name, Steps: funnel.SpecOf(pick.Name, pick.Query).Steps}
	for _, period := range []struct {
		into     *FunnelPeriod
		from, to time.Time
	}{{&out.Current, p.From, p.To}, {&out.Previous, p.PrevFrom, p.From}} {
		q.From, q.To = period.from, period.to
		res, err := db.Funnel(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("funnel %q: %w", pick.Name, err)
		}
		*period.into = FunnelPeriod{Converted: res.Converted, Conversion: res.Conversion}
		if len(res.Steps) > 0 {
			period.into.Started = res.Steps[0].Count
		}
	}
	return out, nil
}
