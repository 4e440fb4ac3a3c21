package insight

import (
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/generate"
)

// TestPlantedPageChangesAreTop plants a change on one page in the later
// week and expects it to be the top finding of a scan of that week.
func TestPlantedPageChangesAreTop(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	from, to := start.AddDate(0, 0, 7), start.AddDate(0, 0, 14)
	tests := []struct {
		name, want string
		plant      func(f *core.Facts, pv *core.Pageview)
		plantFacts func(f *core.Facts)
	}{
		{"scroll depth halves on /cart", "scroll_change:/cart", func(f *core.Facts, pv *core.Pageview) {
			if pv.Path == "/cart" && pv.ScrollPct >= 0 {
				pv.ScrollPct /= 2
			}
		}, nil},
		{"dwell triples on /checkout", "dwell_change:/checkout", func(f *core.Facts, pv *core.Pageview) {
			if pv.Path == "/checkout" {
				pv.DwellMS *= 3
			}
		}, nil},
		{"quick backs from /cart", "quick_back_change:/cart", func(f *core.Facts, pv *core.Pageview) {
			if pv.Path == "/cart" && chance(f.Session.ID, "qb", 0.3) {
				pv.QuickBack = true
			}
		}, nil},
		{"rage clicks on the checkout button", "frustration_change:rage:button.checkout on /cart", nil, func(f *core.Facts) {
			for i := range f.Clicks {
				if c := &f.Clicks[i]; c.Selector == "button.checkout" && chance(f.Session.ID, "rage", 0.3) {
					c.Rage = true
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := generate.Facts(generate.Options{Seed: 21, Sessions: 4000, Start: start, Days: 14})
			for _, f := range fs {
				if f.Session.StartedAt.Before(from) {
					continue
				}
				if tt.plantFacts != nil {
					tt.plantFacts(f)
					continue
				}
				for i := range f.Pageviews {
					tt.plant(f, &f.Pageviews[i])
				}
			}
			r := Scan(fs, Options{From: from, To: to})
			checkTop(t, r, tt.want)
		})
	}
}
