package chart

import (
	"encoding/json"
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Line draws one series named name over labelled points (days), with a
// light area under it.
func Line(s Style, name string, labels []string, values []float64) (json.RawMessage, error) {
	if len(labels) != len(values) {
		return nil, fmt.Errorf("line chart: %d labels for %d values: %w", len(labels), len(values), ErrShape)
	}
	line := charts.NewLine()
	line.SetGlobalOptions(s.global(s.grid())...)
	line.SetGlobalOptions(charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
	data := make([]opts.LineData, len(values))
	for i, v := range values {
		data[i] = opts.LineData{Value: v}
	}
	line.SetXAxis(labels).AddSeries(name, data,
		charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.15)}),
		charts.WithLineChartOpts(opts.LineChart{Smooth: opts.Bool(false), ShowSymbol: opts.Bool(true)}))
	return encode(s, line)
}
