package generate

import (
	"math"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/derive"
)

// TestStreamsDeriveToFacts checks that the rrweb streams say what the
// generated facts say, as far as the basics go: the deriver finds the same
// pages, the same number of clicks and inputs, and the same device,
// browser and OS.
func TestStreamsDeriveToFacts(t *testing.T) {
	for _, s := range Sessions(Options{Seed: 9, Sessions: 400}) {
		got := derive.Session(s.Header, s.Events, core.Default())
		want := s.Facts
		id := want.Session.ID
		if len(got.Pageviews) != len(want.Pageviews) {
			t.Fatalf("%s: derived %d pageviews, generated %d", id, len(got.Pageviews), len(want.Pageviews))
		}
		for i := range want.Pageviews {
			g, w := got.Pageviews[i], want.Pageviews[i]
			if g.Path != w.Path {
				t.Fatalf("%s: pageview %d path %q, generated %q", id, i, g.Path, w.Path)
			}
			if g.ExcessiveScroll != w.ExcessiveScroll || g.QuickBack != w.QuickBack {
				t.Fatalf("%s: pageview %d excessive scroll %v quick back %v, generated %v %v", id, i, g.ExcessiveScroll, g.QuickBack, w.ExcessiveScroll, w.QuickBack)
			}
			if math.Abs(g.ScrollPct-w.ScrollPct) > 0.5 || g.DocHeight != w.DocHeight {
				t.Fatalf("%s: pageview %d scrolled %.1f%% of %d px, generated %.1f%% of %d px", id, i, g.ScrollPct, g.DocHeight, w.ScrollPct, w.DocHeight)
			}
		}
		if len(got.Clicks) != len(want.Clicks) {
			t.Fatalf("%s: derived %d clicks, generated %d", id, len(got.Clicks), len(want.Clicks))
		}
		for i := range want.Clicks {
			g, w := got.Clicks[i], want.Clicks[i]
			if g.Selector != w.Selector {
				t.Fatalf("%s: click %d selector %q, generated %q", id, i, g.Selector, w.Selector)
			}
			if math.Abs(g.X-w.X) > 1 || math.Abs(g.Y-w.Y) > 1 {
				t.Fatalf("%s: click %d at %.1f,%.1f, generated %.1f,%.1f", id, i, g.X, g.Y, w.X, w.Y)
			}
			if math.Abs(g.RelX-w.RelX) > 0.01 || math.Abs(g.RelY-w.RelY) > 0.01 {
				t.Fatalf("%s: click %d inside its element at %.3f,%.3f, generated %.3f,%.3f", id, i, g.RelX, g.RelY, w.RelX, w.RelY)
			}
		}
		if len(got.CustomEvents) != len(want.CustomEvents) {
			t.Fatalf("%s: derived %d custom events, generated %d", id, len(got.CustomEvents), len(want.CustomEvents))
		}
		g, w := got.Session, want.Session
		type counts struct{ rage, dead, errc, js, failed int }
		gc := counts{g.RageClicks, g.DeadClicks, g.ErrorClicks, g.JSErrors, g.FailedReqs}
		wc := counts{w.RageClicks, w.DeadClicks, w.ErrorClicks, w.JSErrors, w.FailedReqs}
		if gc != wc {
			t.Errorf("%s: derived rage/dead/error clicks, errors, failed requests %+v, generated %+v", id, gc, wc)
		}
		if g.Device != w.Device || g.Browser != w.Browser || g.OS != w.OS {
			t.Fatalf("%s: derived %s/%s/%s, generated %s/%s/%s", id, g.Device, g.Browser, g.OS, w.Device, w.Browser, w.OS)
		}
	}
}
