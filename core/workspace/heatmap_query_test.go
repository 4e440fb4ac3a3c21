package workspace

import (
	"context"
	"reflect"
	"testing"

	"github.com/loupe-dev/loupe/core/heatmap"
	"github.com/loupe-dev/loupe/core/segment"
)

// TestHeatmapAgreesWithReference compares the workspace's heatmaps with
// heatmap.FromFacts over the same generated sessions.
func TestHeatmapAgreesWithReference(t *testing.T) {
	db, facts := generatedWorkspace(t, 41, 250)
	ctx := context.Background()
	queries := []heatmap.Query{
		{Page: "/", Kind: heatmap.Clicks},
		{Page: "/products/*", Device: "mobile", Kind: heatmap.Clicks},
		{Page: "/checkout", Kind: heatmap.Rage},
		{Page: "/products*", Kind: heatmap.Moves, Device: "desktop"},
		{Page: "/cart", Kind: heatmap.Scroll},
		{Page: "*", Kind: heatmap.Clicks, Segment: segment.MustParse(`tag = dead_click and country != US`)},
		{Page: "/nowhere", Kind: heatmap.Clicks},
	}
	for _, q := range queries {
		want, err := heatmap.FromFacts(q, facts)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.Heatmap(ctx, q)
		if err != nil {
			t.Fatalf("Heatmap(%+v): %v", q, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("heatmap %s %s %s: workspace %d points %d pageviews %d elements %v, reference %d points %d pageviews %d elements %v",
				q.Page, q.Device, q.Kind, len(got.Points), got.Pageviews, len(got.Elements), got.Scroll[:3],
				len(want.Points), want.Pageviews, len(want.Elements), want.Scroll[:3])
		}
		if q.Page != "/nowhere" && got.Pageviews == 0 {
			t.Errorf("heatmap %s: no pageviews; the test checks nothing", q.Page)
		}
	}
}
