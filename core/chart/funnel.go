package chart

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Series names of a funnel chart.
const (
	WentOn     = "Went on"
	DroppedOff = "Dropped off"
)

// FunnelStep is one bar of a funnel chart.
type FunnelStep struct {
	Label   string
	Reached int // sessions that reached the step
	Dropped int // of those, sessions that went no further
	// Conversion is Reached over the first step's count, 0..1, written on
	// top of the bar.
	Conversion float64
}

// Funnel draws each step as a stacked bar: the sessions that went on and,
// on top, those that dropped off, so the whole bar is the step's count.
// The conversion label is baked into each bar's label, not computed by a
// formatter function, so the option is plain JSON.
func Funnel(s Style, steps []FunnelStep) (json.RawMessage, error) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(s.global(s.grid())...)
	bar.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Right: "0"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", AxisPointer: &opts.AxisPointer{Type: "shadow"}}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0"}}),
		charts.WithYAxisOpts(opts.YAxis{MinInterval: 1}),
	)
	labels := make([]string, len(steps))
	went := make([]opts.BarData, len(steps))
	dropped := make([]opts.BarData, len(steps))
	for i, st := range steps {
		if st.Dropped > st.Reached || st.Dropped < 0 {
			return nil, fmt.Errorf("funnel chart: step %d drops %d of %d: %w", i+1, st.Dropped, st.Reached, ErrShape)
		}
		labels[i] = fmt.Sprintf("%d. %s", i+1, st.Label)
		went[i] = opts.BarData{Value: st.Reached - st.Dropped}
		dropped[i] = opts.BarData{Value: st.Dropped, Label: &opts.Label{
			Show: opts.Bool(true), Position: "top",
			Formatter: fmt.Sprintf("%d%%", int(math.Round(st.Conversion*100))),
		}}
	}
	stack := opts.BarChart{Stack: "funnel", BarCategoryGap: "30%"}
	bar.SetXAxis(shortLabels(labels)).
		AddSeries(WentOn, went, charts.WithBarChartOpts(stack)).
		AddSeries(DroppedOff, dropped, charts.WithBarChartOpts(stack))
	return encode(s, bar)
}
