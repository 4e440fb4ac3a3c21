package report

import (
	"fmt"
	"strings"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel"
)

// dashboardNumbers are the workbench dashboard's headline numbers, with
// its definitions: error rate counts sessions with a JS error or a failed
// request, bounce rate sessions with at most one pageview.
func dashboardNumbers(fs []*core.Facts, fres *funnel.Result) []Number {
	visitors := map[string]bool{}
	var total int64
	bounced, errored, raged := 0, 0, 0
	for _, f := range fs {
		s := f.Session
		visitors[s.Visitor] = true
		total += s.DurationMS
		if s.Pageviews <= 1 {
			bounced++
		}
		if s.JSErrors > 0 || s.FailedReqs > 0 {
			errored++
		}
		if s.RageClicks > 0 {
			raged++
		}
	}
	n := len(fs)
	avg := int64(0)
	if n > 0 {
		avg = total / int64(n)
	}
	out := []Number{
		{Label: "Sessions", Value: fmt.Sprint(n)},
		{Label: "Visitors", Value: fmt.Sprint(len(visitors))},
		{Label: "Average session", Value: duration(avg)},
		{Label: "Bounce rate", Value: percentText(bounced, n)},
		{Label: "Error rate", Value: percentText(errored, n), Note: "sessions with JS errors or failed requests"},
		{Label: "Rage-click rate", Value: percentText(raged, n)},
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
