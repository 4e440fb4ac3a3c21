package workspace

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core/heatmap"
)

// BenchmarkHeatmap times a click heatmap of /products/* over 5000
// generated sessions.
func BenchmarkHeatmap(b *testing.B) {
	db, _ := generatedWorkspace(b, 1, 5000)
	ctx := context.Background()
	for b.Loop() {
		if _, err := db.Heatmap(ctx, heatmap.Query{Page: "/products/*"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHeatmapKinds times every kind of heatmap the workbench draws,
// of the busiest page pattern and of one page, over a workspace named by
// LOUPE_BENCH_WORKSPACE (e.g. one made by `loupe bench --sessions 100000
// --derive=false --out W`):
//
//	LOUPE_BENCH_WORKSPACE=W/bench-100000.db go test ./core/workspace -run '^$' -bench HeatmapKinds -benchtime 9x
func BenchmarkHeatmapKinds(b *testing.B) {
	path := os.Getenv("LOUPE_BENCH_WORKSPACE")
	if path == "" {
		b.Skip("set LOUPE_BENCH_WORKSPACE to a workspace to time the heatmaps over")
	}
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, page := range []string{"/products/*", "/checkout"} {
		for _, kind := range []heatmap.Kind{heatmap.Clicks, heatmap.Rage, heatmap.Moves, heatmap.Scroll} {
			b.Run(strings.TrimPrefix(page, "/")+"/"+string(kind), func(b *testing.B) {
				for b.Loop() {
					if _, err := db.Heatmap(ctx, heatmap.Query{Page: page, Kind: kind}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
