package report

import (
	"encoding/json"
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// chart is one chart of the report: go-echarts builds it, and its option
// JSON is handed to the inlined echarts with setOption. go-echarts' own
// page renderer is not used because it loads echarts from a CDN.
type chart struct {
	ID     string
	Title  string
	Option string // JSON; json.Marshal escapes <, > and & so it is safe in a <script>
}

// palette keeps charts in the report's colours.
var palette = opts.Colors{"#3b6fd8", "#e0703b", "#3aa57a", "#b0486b", "#8a6bd1", "#c9a227"}

func common(title string, grid opts.Grid) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithTitleOpts(opts.Title{Title: title, TitleStyle: &opts.TextStyle{FontSize: 14}}),
		// A static document: draw at once, so a screenshot or a print
		// catches the final picture.
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		// Every chart has one series, named by its title: a legend would
		// only repeat it (and collide with the title).
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithColorsOpts(palette),
		charts.WithGridOpts(grid),
	}
}

var defaultGrid = opts.Grid{Left: "20", Right: "20", Top: "50", Bottom: "20", ContainLabel: opts.Bool(true)}

func optionJSON(m map[string]interface{}) (string, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("encode chart: %w", err)
	}
	return string(b), nil
}

// barChart draws labelled values as bars; horizontal suits long labels.
func barChart(id, title, unit string, labels []string, values []float64, horizontal bool) (chart, error) {
	bar := charts.NewBar()
	grid := defaultGrid
	if horizontal {
		grid.Right = "50" // room for the value labels
	}
	bar.SetGlobalOptions(common(title, grid)...)
	if horizontal {
		// echarts draws the first category at the bottom: reverse so the
		// list reads top-down in the order given.
		labels, values = reversed(labels), reversed(values)
	}
	data := make([]opts.BarData, len(values))
	for i, v := range values {
		data[i] = opts.BarData{Value: v}
	}
	if !horizontal {
		// Show every category label (echarts skips some when they crowd).
		bar.SetGlobalOptions(charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0"}}))
	}
	bar.SetXAxis(labels).AddSeries(unit, data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: labelPosition(horizontal)}))
	if horizontal {
		bar.XYReversal()
		// The bars carry their values; a few ticks keep the axis legible.
		bar.SetGlobalOptions(charts.WithXAxisOpts(opts.XAxis{SplitNumber: 2}))
	}
	bar.Validate()
	o, err := optionJSON(bar.JSON())
	return chart{ID: id, Title: title, Option: o}, err
}

func labelPosition(horizontal bool) string {
	if horizontal {
		return "right"
	}
	return "top"
}

// lineChart draws one series over labelled points (days).
func lineChart(id, title, name string, labels []string, values []float64) (chart, error) {
	line := charts.NewLine()
	line.SetGlobalOptions(common(title, defaultGrid)...)
	data := make([]opts.LineData, len(values))
	for i, v := range values {
		data[i] = opts.LineData{Value: v}
	}
	line.SetXAxis(labels).AddSeries(name, data,
		charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.15)}),
		charts.WithLineChartOpts(opts.LineChart{Smooth: opts.Bool(false), ShowSymbol: opts.Bool(true)}))
	line.Validate()
	o, err := optionJSON(line.JSON())
	return chart{ID: id, Title: title, Option: o}, err
}

func reversed[T any](xs []T) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[len(xs)-1-i] = x
	}
	return out
}
