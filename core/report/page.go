package report

import (
	"html/template"
)

// Page is everything the HTML template shows.
type Page struct {
	Title     string
	Generated string
	Period    string
	Segment   string
	Numbers   []Number
	Charts    []reportChart
	Funnel    *FunnelView
	Insights  []InsightView
	Heatmaps  []HeatmapView
	ECharts   template.JS
	ChartsN   int
	LinkBase  string
}

// Number is one dashboard figure.
type Number struct {
	Label, Value, Note string
}

// FunnelView is the funnel table and chart.
type FunnelView struct {
	Steps      []FunnelRow
	Conversion string
	Chart      reportChart
}

// FunnelRow is one funnel step.
type FunnelRow struct {
	Step                  string
	Count                 int
	Overall, FromPrevious string
	DroppedOff            int
}

// InsightView is one insight card.
type InsightView struct {
	Title       string
	Body        string
	Significant bool
	Strength    string
	Test        string
	Figures     []string
	Moments     []MomentView
	Chart       *reportChart
	Heatmap     *HeatmapView
	Segment     string
}

// MomentView is a link to a moment in a replay.
type MomentView struct {
	Label string
	Note  string
	Href  template.URL
}

// HeatmapView is an embedded heatmap image.
type HeatmapView struct {
	Title     string
	Src       template.URL // data:image/png;base64,…
	Sessions  int
	Pageviews int
}
