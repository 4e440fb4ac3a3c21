package index_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core/heatmap"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// BenchmarkHeatmapNarrowed times heatmaps narrowed by device, segment and
// period as the workbench draws them (index.Live: the sessions picked by
// the index, the heat rows read from the workspace), beside the
// workspace's own query, over a workspace named by LOUPE_BENCH_WORKSPACE:
//
//	LOUPE_BENCH_WORKSPACE=W/bench-100000.db go test ./core/index -run '^$' -bench HeatmapNarrowed -benchtime 9x
func BenchmarkHeatmapNarrowed(b *testing.B) {
	path := os.Getenv("LOUPE_BENCH_WORKSPACE")
	if path == "" {
		b.Skip("set LOUPE_BENCH_WORKSPACE to a workspace to time the heatmaps over")
	}
	ctx := context.Background()
	db, err := workspace.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	live := index.NewLive(db, "")
	live.Current(ctx)
	live.Wait()
	if live.Current(ctx) == nil {
		b.Fatal("no index")
	}
	if _, err := db.Heatmap(ctx, heatmap.Query{Page: "/"}); err != nil { // fills heat rows once if needed
		b.Fatal(err)
	}
	latest, _, err := db.LatestStart(ctx)
	if err != nil {
		b.Fatal(err)
	}
	narrowings := []struct {
		name string
		q    heatmap.Query
	}{
		{"desktop", heatmap.Query{Device: "desktop"}},
		{"segment", heatmap.Query{Segment: segment.MustParse(`pageviews >= 3 and not tag = rage_click`)}},
		{"last-7-days", heatmap.Query{From: latest.AddDate(0, 0, -7)}},
	}
	for _, n := range narrowings {
		for _, kind := range []heatmap.Kind{heatmap.Clicks, heatmap.Moves} {
			q := n.q
			q.Page, q.Kind = "/products/*", kind
			name := strings.TrimPrefix(q.Page, "/") + "/" + string(kind) + "/" + n.name
			b.Run(name+"/index", func(b *testing.B) {
				for b.Loop() {
					if _, err := live.Heatmap(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(name+"/sql", func(b *testing.B) {
				for b.Loop() {
					if _, err := db.Heatmap(ctx, q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
