package report

import (
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/metric"
)

// dashboardNumbers are the workbench dashboard's headline numbers, by
// core/metric's definitions.
func dashboardNumbers(fs []*core.Facts, fres *funnel.Result) []Number {
	c := metric.CountFacts(fs)
	out := []Number{
		{Label: "Sessions", Value: fmt.Sprint(c.Sessions)},
		{Label: "Visitors", Value: fmt.Sprint(c.Visitors)},
		{Label: "Average session", Value: duration(int64(c.AvgDurationMS()))},
		{Label: "Bounce rate", Value: percentText(c.Bounced, c.Sessions)},
		{Label: "Error rate", Value: percentText(c.Errored, c.Sessions), Note: "sessions with JS errors or failed requests"},
		{Label: "Rage-click rate", Value: percentText(c.Raged, c.Sessions)},
	}
	if fres != nil {
		out = append(out, Number{Label: "Funnel conversion", Value: fmt.Sprintf("%.1f%%", 100*fres.Conversion),
			Note: fmt.Sprintf("%d of %d", fres.Converted, fres.Steps[0].Count)})
	}
	return out
}

func (p *Page) dashboardCharts(fs []*core.Facts) error {
	days := map[string]float64{}
	devices := map[string]float64{}
	pages := map[string]float64{}
	for _, f := range fs {
		days[f.Session.StartedAt.UTC().Format("2006-01-02")]++
		devices[orUnknown(f.Session.Device)]++
		seen := map[string]bool{}
		for _, pv := range f.Pageviews {
			if !seen[pv.Path] {
				seen[pv.Path] = true
				pages[pv.Path]++
			}
		}
	}
	dl, dv := sortedSeries(days, false)
	c, err := lineChart("sessions-per-day", "Sessions per day", "sessions", dl, dv)
	if err != nil {
		return err
	}
	p.Charts = append(p.Charts, c)
	devl, devv := sortedSeries(devices, true)
	if c, err = barChart("devices", "Sessions by device", "sessions", devl, devv, false); err != nil {
		return err
	}
	p.Charts = append(p.Charts, c)
	pl, pv := sortedSeries(pages, true)
	if len(pl) > 8 {
		pl, pv = pl[:8], pv[:8]
	}
	if c, err = barChart("top-pages", "Sessions per page (top 8)", "sessions", pl, pv, true); err != nil {
		return err
	}
	p.Charts = append(p.Charts, c)
	return nil
}

func funnelView(r *funnel.Result) (*FunnelView, error) {
	fv := &FunnelView{Conversion: fmt.Sprintf("%.1f%%", 100*r.Conversion)}
	var labels []string
	var values []float64
	for _, s := range r.Steps {
		fv.Steps = append(fv.Steps, FunnelRow{Step: s.Step, Count: s.Count,
			Overall: fmt.Sprintf("%.1f%%", 100*s.ConversionOverall), FromPrevious: fmt.Sprintf("%.1f%%", 100*s.ConversionFromPrevious),
			DroppedOff: s.DroppedOff})
		labels = append(labels, strings.TrimPrefix(s.Step, "page:"))
		values = append(values, float64(s.Count))
	}
	c, err := barChart("funnel", "Sessions at each step", "sessions", labels, values, false)
	fv.Chart = c
	return fv, err
}
