// Package report writes a workspace as one self-contained HTML file for a
// client: the dashboard numbers, the funnel, the insights with their
// evidence and links to the moments in the replays, and heatmaps — with
// Apache ECharts and every image inlined, so it opens with no network.
// go-echarts builds the chart options; the page draws them.
package report

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/dashboard"
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
	// Days, when From and To are zero, bounds the period to the last Days
	// whole days of data, the period a dashboard of that length shows
	// (dashboard.PeriodsEndingAt); Build resolves it.
	Days int
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

// ErrInvalidOption is returned for report options that cannot be used.
var ErrInvalidOption = errors.New("invalid report option")

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// maxHeatmaps bounds the embedded images, which dominate the file size.
const maxHeatmaps = 6

// Build reads a workspace and lays out its report. Drafts saved in the
// workspace lend their edited words to the insight cards; dismissed ones
// are left out.
func Build(ctx context.Context, db *workspace.DB, opt Options) (*Page, error) {
	if opt.Days < 0 {
		return nil, fmt.Errorf("build report: %w: days %d must not be negative", ErrInvalidOption, opt.Days)
	}
	if opt.Days > 0 && opt.From.IsZero() && opt.To.IsZero() {
		latest, ok, err := db.LatestStart(ctx)
		if err != nil {
			return nil, fmt.Errorf("build report: %w", err)
		}
		if ok {
			p := dashboard.PeriodsEndingAt(latest, opt.Days)
			opt.From, opt.To = p.From, p.To
		}
	}
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
	// The links are marked safe for the template, so only known schemes
	// may start them (never javascript:).
	if !hasAnyPrefix(strings.ToLower(opt.LinkBase), "loupe://", "http://", "https://", "#") {
		return nil, fmt.Errorf("build report: %w: link base %q must start with loupe://, http://, https:// or #", ErrInvalidOption, opt.LinkBase)
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
