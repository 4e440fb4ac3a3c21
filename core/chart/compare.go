package chart

import (
	"encoding/json"
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Series names of a period comparison, shown in its legend and tooltip.
const (
	ThisPeriod     = "This period"
	PreviousPeriod = "Previous period"
)

// Compare draws a period day by day as bars, with the period before it
// as a dashed line over the same day positions: labels are the days of
// the current period, previous[i] is the matching day one period earlier.
func Compare(s Style, labels []string, current, previous []float64) (json.RawMessage, error) {
	if len(labels) != len(current) || len(labels) != len(previous) {
		return nil, fmt.Errorf("comparison chart: %d labels, %d and %d values: %w", len(labels), len(current), len(previous), ErrShape)
	}
	bar := charts.NewBar()
	grid := s.grid()
	grid.Top = "36" // room for the legend
	bar.SetGlobalOptions(s.global(grid)...)
	bar.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Right: "0"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithYAxisOpts(opts.YAxis{MinInterval: 1}),
	)
	cur := make([]opts.BarData, len(current))
	for i, v := range current {
		cur[i] = opts.BarData{Value: v}
	}
	bar.SetXAxis(labels).AddSeries(ThisPeriod, cur, charts.WithBarChartOpts(opts.BarChart{BarCategoryGap: "35%"}))
	prev := make([]opts.LineData, len(previous))
	for i, v := range previous {
		prev[i] = opts.LineData{Value: v}
	}
	line := charts.NewLine()
	line.SetXAxis(labels).AddSeries(PreviousPeriod, prev,
		charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed", Width: 2}),
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}))
	bar.Overlap(line)
	return encode(s, bar)
}
