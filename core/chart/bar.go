package chart

import (
	"encoding/json"
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Bar draws labelled values as one series of bars named name, each with
// its value on it. Horizontal suits long labels and lists the labels
// top-down in the order given.
func Bar(s Style, name string, labels []string, values []float64, horizontal bool) (json.RawMessage, error) {
	if len(labels) != len(values) {
		return nil, fmt.Errorf("bar chart: %d labels for %d values: %w", len(labels), len(values), ErrShape)
	}
	bar := charts.NewBar()
	grid := s.grid()
	if horizontal {
		grid.Right = "50" // room for the value labels
	}
	bar.SetGlobalOptions(s.global(grid)...)
	// Every chart here has one series: a legend would only repeat it.
	bar.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	if horizontal {
		// echarts draws the first category at the bottom.
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
	position := "top"
	if horizontal {
		position = "right"
	}
	bar.SetXAxis(shortLabels(labels)).AddSeries(name, data,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: position}),
		charts.WithBarChartOpts(opts.BarChart{BarCategoryGap: "40%"}))
	if horizontal {
		bar.XYReversal()
		// The bars carry their values; a few ticks keep the axis legible.
		bar.SetGlobalOptions(charts.WithXAxisOpts(opts.XAxis{SplitNumber: 2}))
	}
	return encode(s, bar)
}
