// Package report writes a workspace as one self-contained HTML file for a
// client: the dashboard numbers, the funnel, the insights with their
// evidence and links to the moments in the replays, and heatmaps — with
// Apache ECharts and every image inlined, so it opens with no network.
// go-echarts builds the chart options; the page draws them.
package report

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"sort"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/heatmap"
	"github.com/loupe-dev/loupe/core/insight"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// Options choose what a report shows.
type Options struct {
	Title string
	// Segment narrows the sessions (nil: all).
	Segment segment.Expr
	// From and To bound the period (zero: all the data).
	From, To time.Time
	// Funnel steps; empty means the funnel the insight engine infers.
	Funnel []string
	// HeatmapPages are path globs to draw click heatmaps of; empty means
	// the funnel's pages.
	HeatmapPages []string
	// LinkBase goes before each moment's workbench address
	// (#/sessions/{id}?t={ms}); default "loupe://". A browser-mode address
	// (http://127.0.0.1:8790/) makes the links open the replays directly.
	LinkBase string
	// Now stamps the report (default time.Now).
	Now time.Time
	// Progress, if set, hears what the report is doing.
	Progress func(string)
	// MaxInsights bounds the insight cards (default 8).
	MaxInsights int
}

// maxHeatmaps bounds the embedded images, which dominate the file size.
const maxHeatmaps = 6

// Page is everything the HTML template shows.
type Page struct {
	Title     string
	Generated string
	Period    string
	Segment   string
	Numbers   []Number
	Charts    []chart
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
	Chart      chart
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
	Chart       *chart
	Heatmap     *HeatmapView
	Segment     string
}

// MomentView is a link to a moment in a replay.
type MomentView struct {
	Label string
	Href  template.URL
}

// HeatmapView is an embedded heatmap image.
type HeatmapView struct {
	Title     string
	Src       template.URL // data:image/png;base64,…
	Sessions  int
	Pageviews int
}

// Build reads a workspace and lays out its report. Drafts saved in the
// workspace lend their edited words to the insight cards; dismissed ones
// are left out.
func Build(ctx context.Context, db *workspace.DB, opt Options) (*Page, error) {
	say(opt, "reading sessions")
	facts, err := insight.LoadFacts(ctx, db, opt.Segment, func(done, total int) {
		say(opt, fmt.Sprintf("read %d of %d sessions", done, total))
	})
	if err != nil {
		return nil, fmt.Errorf("build report: %w", err)
	}
	drafts, err := insight.Drafts(ctx, db, true)
	if err != nil {
		return nil, fmt.Errorf("build report: %w", err)
	}
	opt.Segment = nil // applied by the query
	return FromFacts(facts, drafts, opt)
}

// FromFacts lays out a report from sessions' facts and saved drafts.
func FromFacts(facts []*core.Facts, drafts []insight.Draft, opt Options) (*Page, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.LinkBase == "" {
		opt.LinkBase = "loupe://"
	}
	if opt.MaxInsights <= 0 {
		opt.MaxInsights = 8
	}
	if opt.Title == "" {
		opt.Title = "Loupe report"
	}
	var in []*core.Facts
	for _, f := range facts {
		if opt.Segment != nil && !segment.Eval(opt.Segment, f) {
			continue
		}
		in = append(in, f)
	}
	scope := inPeriod(in, opt.From, opt.To)
	p := &Page{Title: opt.Title, Generated: opt.Now.UTC().Format("2006-01-02 15:04 UTC"), ECharts: template.JS(echartsJS), LinkBase: opt.LinkBase}
	if opt.Segment != nil {
		p.Segment = opt.Segment.String()
	}
	p.Period = periodText(scope, opt.From, opt.To)

	say(opt, "finding insights")
	rep := insight.Scan(in, insight.Options{From: opt.From, To: opt.To, Funnel: opt.Funnel})
	say(opt, "drawing charts")
	var fres *funnel.Result
	if len(rep.Funnel) >= 2 {
		var err error
		if fres, err = evaluateFunnel(rep.Funnel, scope); err != nil {
			return nil, fmt.Errorf("build report: %w", err)
		}
	}
	p.Numbers = dashboardNumbers(scope, fres)
	if err := p.dashboardCharts(scope); err != nil {
		return nil, fmt.Errorf("build report: %w", err)
	}
	if fres != nil {
		fv, err := funnelView(fres)
		if err != nil {
			return nil, fmt.Errorf("build report: %w", err)
		}
		p.Funnel = fv
	}
	say(opt, "drawing heatmaps")
	maps := heatmaps{facts: scope, cache: map[string]*HeatmapView{}}
	if err := p.insightCards(rep, drafts, opt, &maps); err != nil {
		return nil, fmt.Errorf("build report: %w", err)
	}
	pages := opt.HeatmapPages
	if len(pages) == 0 {
		for _, s := range rep.Funnel {
			if st, err := step.Parse(s); err == nil && st.Kind == step.Page {
				pages = append(pages, st.Pattern)
			}
		}
	}
	for _, pg := range pages {
		if hv := maps.get(pg, heatmap.Clicks); hv != nil {
			p.Heatmaps = append(p.Heatmaps, *hv)
		}
	}
	p.ChartsN = len(p.Charts)
	for _, in := range p.Insights {
		if in.Chart != nil {
			p.ChartsN++
		}
	}
	if p.Funnel != nil {
		p.ChartsN++
	}
	return p, nil
}

func say(opt Options, s string) {
	if opt.Progress != nil {
		opt.Progress(s)
	}
}

func inPeriod(fs []*core.Facts, from, to time.Time) []*core.Facts {
	if from.IsZero() || to.IsZero() {
		return fs
	}
	var out []*core.Facts
	for _, f := range fs {
		if t := f.Session.StartedAt; !t.Before(from) && t.Before(to) {
			out = append(out, f)
		}
	}
	return out
}

func periodText(fs []*core.Facts, from, to time.Time) string {
	if !from.IsZero() && !to.IsZero() {
		return from.Format("2006-01-02") + " to " + to.Add(-time.Nanosecond).Format("2006-01-02")
	}
	if len(fs) == 0 {
		return "no sessions"
	}
	lo, hi := fs[0].Session.StartedAt, fs[0].Session.StartedAt
	for _, f := range fs {
		if t := f.Session.StartedAt; t.Before(lo) {
			lo = t
		} else if t.After(hi) {
			hi = t
		}
	}
	return lo.UTC().Format("2006-01-02") + " to " + hi.UTC().Format("2006-01-02")
}

func evaluateFunnel(steps []string, fs []*core.Facts) (*funnel.Result, error) {
	q := funnel.Query{}
	for _, s := range steps {
		st, err := step.Parse(s)
		if err != nil {
			return nil, err
		}
		q.Steps = append(q.Steps, st)
	}
	q, err := q.Normalize()
	if err != nil {
		return nil, err
	}
	tls := make([]funnel.Timeline, len(fs))
	for i, f := range fs {
		tls[i] = funnel.TimelineOf(q, f)
	}
	return funnel.EvaluateTimelines(q, tls)
}

func dashboardNumbers(fs []*core.Facts, fres *funnel.Result) []Number {
	visitors := map[string]bool{}
	var durations []int64
	pageviews, withErrors, withRage := 0, 0, 0
	for _, f := range fs {
		s := f.Session
		visitors[s.Visitor] = true
		durations = append(durations, s.DurationMS)
		pageviews += s.Pageviews
		if s.JSErrors > 0 {
			withErrors++
		}
		if s.RageClicks > 0 {
			withRage++
		}
	}
	n := len(fs)
	out := []Number{
		{Label: "Sessions", Value: fmt.Sprint(n)},
		{Label: "Visitors", Value: fmt.Sprint(len(visitors))},
		{Label: "Median session", Value: duration(funnel.Percentile(durations, 0.5))},
		{Label: "Pages per session", Value: ratioText(pageviews, n)},
		{Label: "Sessions with JS errors", Value: percentText(withErrors, n)},
		{Label: "Sessions with rage clicks", Value: percentText(withRage, n)},
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

func (p *Page) insightCards(rep *insight.Report, drafts []insight.Draft, opt Options, maps *heatmaps) error {
	saved := map[string]insight.Draft{}
	for _, d := range drafts {
		saved[d.Finding.Key] = d
	}
	for i, f := range rep.Findings {
		if len(p.Insights) >= opt.MaxInsights {
			break
		}
		title, body := f.Title, strings.Join(f.Sentences, " ")
		if d, ok := saved[f.Key]; ok {
			if d.Dismissed {
				continue
			}
			// Edited words win; otherwise this scan's text is the fresher.
			if d.Edited {
				title, body = d.Title, d.Body
			}
		}
		iv := InsightView{Title: title, Body: body, Significant: f.Significant, Strength: fmt.Sprintf("%.2f", f.Strength),
			Test: f.Test, Segment: f.Segment}
		for _, fig := range f.Evidence.Figures {
			iv.Figures = append(iv.Figures, fmt.Sprintf("%s: %s%s", fig.Label, trimNumber(fig.Value), unit(fig.Unit)))
		}
		for _, m := range f.Evidence.Samples {
			iv.Moments = append(iv.Moments, MomentView{
				Label: fmt.Sprintf("%s at %s", m.Session, clock(m.OffsetMS)),
				Href:  template.URL(opt.LinkBase + m.Link()),
			})
		}
		if ch := f.Evidence.Chart; ch != nil && len(ch.Values) > 0 {
			c, err := barChart(fmt.Sprintf("insight-%d", i), ch.Title, ch.Unit, ch.Labels, ch.Values, len(ch.Labels) > 4)
			if err != nil {
				return err
			}
			iv.Chart = &c
		}
		if f.Evidence.Page != "" {
			kind := heatmap.Clicks
			if f.Kind == insight.KindFrustration || f.Kind == insight.KindConcentrated {
				kind = heatmap.Rage
			}
			iv.Heatmap = maps.get(f.Evidence.Page, kind)
		}
		p.Insights = append(p.Insights, iv)
	}
	return nil
}

// heatmaps renders each page and kind once, up to maxHeatmaps images.
type heatmaps struct {
	facts []*core.Facts
	cache map[string]*HeatmapView
	n     int
}

func (h *heatmaps) get(page string, kind heatmap.Kind) *HeatmapView {
	key := string(kind) + " " + page
	if v, ok := h.cache[key]; ok {
		return v
	}
	h.cache[key] = nil
	if h.n >= maxHeatmaps {
		return nil
	}
	d, err := heatmap.FromFacts(heatmap.Query{Page: page, Kind: kind}, h.facts)
	if err != nil || len(d.Points) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if err := heatmap.RenderPNG(&buf, d, heatmap.RenderOptions{Width: 480, MaxHeight: 1400}); err != nil {
		return nil
	}
	h.n++
	v := &HeatmapView{
		Title:    fmt.Sprintf("%s heatmap of %s", capitalise(string(kind)), page),
		Src:      template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())),
		Sessions: d.Sessions, Pageviews: d.Pageviews,
	}
	h.cache[key] = v
	return v
}

func sortedSeries(m map[string]float64, byValue bool) ([]string, []float64) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if byValue && m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	vals := make([]float64, len(keys))
	for i, k := range keys {
		vals[i] = m[k]
	}
	return keys, vals
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func duration(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
}

func clock(ms int64) string {
	s := ms / 1000
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

func ratioText(n, of int) string {
	if of == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f", float64(n)/float64(of))
}

func percentText(n, of int) string {
	if of == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}

func trimNumber(v float64) string {
	s := fmt.Sprintf("%.1f", v)
	return strings.TrimSuffix(s, ".0")
}

func unit(u string) string {
	switch u {
	case "%", "s", "ms", "pp":
		return u
	case "x":
		return "×"
	case "":
		return ""
	}
	return " " + u
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
