// Package chart builds echarts option JSON with go-echarts, for every chart
// Loupe draws: the workbench hands the JSON straight to echarts'
// setOption, and the offline report inlines it. Keeping the builders in
// one place keeps the pictures the same in both.
package chart

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Style is what differs between where a chart is shown.
type Style struct {
	// Title is drawn above the chart; empty draws none (a workbench card
	// already has a heading).
	Title string
	// Colors are the series colours; nil leaves them to the echarts theme
	// the viewer picks (the workbench's light or dark theme).
	Colors []string
	// Static turns animation off, so a screenshot or a print catches the
	// final picture.
	Static bool
}

// grid leaves room for a title only when there is one.
func (s Style) grid() opts.Grid {
	top := "16"
	if s.Title != "" {
		top = "50"
	}
	return opts.Grid{Left: "12", Right: "16", Top: top, Bottom: "8", ContainLabel: opts.Bool(true)}
}

func (s Style) global(grid opts.Grid) []charts.GlobalOpts {
	g := []charts.GlobalOpts{
		charts.WithGridOpts(grid),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
	}
	if s.Title != "" {
		g = append(g, charts.WithTitleOpts(opts.Title{Title: s.Title, TitleStyle: &opts.TextStyle{FontSize: 14}}))
	}
	if s.Static {
		g = append(g, charts.WithAnimation(false))
	}
	if len(s.Colors) > 0 {
		g = append(g, charts.WithColorsOpts(opts.Colors(s.Colors)))
	}
	return g
}

// validator is a go-echarts chart: Validate fills in what the option
// needs (axes, series types), JSON returns the option.
type validator interface {
	Validate()
	JSON() map[string]interface{}
}

// encode validates a chart and returns its option JSON. json.Marshal
// escapes <, > and &, so the result is also safe inside a <script>.
func encode(s Style, c validator) (json.RawMessage, error) {
	c.Validate()
	m := c.JSON()
	if len(s.Colors) == 0 {
		// go-echarts always writes its default palette, which would
		// override the viewer's theme.
		delete(m, "color")
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode chart: %w", err)
	}
	return dropEmpty(b)
}

// dropEmpty removes the top-level components go-echarts always writes
// even when unset ("title": {}, "toolbox": {}): a viewer that registers
// only the components it uses would otherwise be asked for them.
func dropEmpty(b []byte) (json.RawMessage, error) {
	var parts map[string]json.RawMessage
	if err := json.Unmarshal(b, &parts); err != nil {
		return nil, fmt.Errorf("encode chart: %w", err)
	}
	for k, v := range parts {
		if s := string(v); s == "{}" || s == "null" || s == "[]" {
			delete(parts, k)
		}
	}
	out, err := json.Marshal(parts)
	if err != nil {
		return nil, fmt.Errorf("encode chart: %w", err)
	}
	return out, nil
}

func reversed[T any](xs []T) []T {
	out := make([]T, len(xs))
	for i, x := range xs {
		out[len(xs)-1-i] = x
	}
	return out
}

// ErrShape is returned when a chart's series do not line up with its
// labels.
var ErrShape = errors.New("series and labels differ in length")

// labelRunes bounds an axis label. go-echarts' AxisLabel has no width or
// overflow setting, and a formatter function would not survive JSON, so
// long labels (selectors, globs) are shortened here.
const labelRunes = 28

func shortLabels(labels []string) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		r := []rune(l)
		if len(r) > labelRunes {
			l = string(r[:labelRunes-1]) + "…"
		}
		out[i] = l
	}
	return out
}
