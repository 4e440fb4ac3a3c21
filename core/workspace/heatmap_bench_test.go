package workspace

import (
	"context"
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
