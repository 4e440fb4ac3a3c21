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
// of the busiest page pattern and of one page, for every device and for
// one (which reads the sessions in scope first), over a workspace named by
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
	// A workspace from before heat rows (or heat moves) fills them on its
	// first heatmap; that is not what is timed.
	if _, err := db.Heatmap(ctx, heatmap.Query{Page: "/"}); err != nil {
		b.Fatal(err)
	}
	for _, page := range []string{"/products/*", "/checkout"} {
		for _, kind := range []heatmap.Kind{heatmap.Clicks, heatmap.Rage, heatmap.Moves, heatmap.Scroll} {
			for _, device := range []string{"", "desktop"} {
				name := strings.TrimPrefix(page, "/") + "/" + string(kind)
				if device != "" {
					name += "/" + device
				}
				b.Run(name, func(b *testing.B) {
					for b.Loop() {
						if _, err := db.Heatmap(ctx, heatmap.Query{Page: page, Kind: kind, Device: device}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
