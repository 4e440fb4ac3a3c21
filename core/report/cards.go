package report

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"strings"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/heatmap"
	"github.com/loupe-dev/loupe/core/insight"
)

// insightCards lays out the strongest findings with their evidence:
// figures, moments, chart and the page's heatmap.
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
				Note:  m.Note,
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
