package report

import (
	"github.com/loupe-dev/loupe/core/chart"
)

// reportChart is one chart of the report: core/chart builds its option
// JSON with go-echarts, and the page hands it to the inlined echarts with
// setOption. go-echarts' own page renderer is not used because it loads
// echarts from a CDN.
type reportChart struct {
	ID     string
	Title  string
	Option string // JSON; json.Marshal escapes <, > and & so it is safe in a <script>
}

// palette keeps charts in the report's colours.
var palette = []string{"#3b6fd8", "#e0703b", "#3aa57a", "#b0486b", "#8a6bd1", "#c9a227"}

// reportStyle titles a chart and draws it at once in the report's colours:
// a static document is screenshotted and printed.
func reportStyle(title string) chart.Style {
	return chart.Style{Title: title, Colors: palette, Static: true}
}

// barChart draws labelled values as bars; horizontal suits long labels.
func barChart(id, title, unit string, labels []string, values []float64, horizontal bool) (reportChart, error) {
	o, err := chart.Bar(reportStyle(title), unit, labels, values, horizontal)
	return reportChart{ID: id, Title: title, Option: string(o)}, err
}

// lineChart draws one series over labelled points (days).
func lineChart(id, title, name string, labels []string, values []float64) (reportChart, error) {
	o, err := chart.Line(reportStyle(title), name, labels, values)
	return reportChart{ID: id, Title: title, Option: string(o)}, err
}
