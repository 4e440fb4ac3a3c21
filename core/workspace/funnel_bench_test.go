package workspace

import (
	"context"
	"testing"

	"github.com/loupe-dev/loupe/core/funnel"
)

// BenchmarkFunnel times a 4-step page funnel over 5000 generated sessions.
func BenchmarkFunnel(b *testing.B) {
	db, _ := generatedWorkspace(b, 1, 5000)
	var q funnel.Query
	for _, s := range []string{"page:/", "page:/products*", "page:/cart", "page:/checkout"} {
		st, _ := funnel.ParseStep(s)
		q.Steps = append(q.Steps, st)
	}
	ctx := context.Background()
	for b.Loop() {
		if _, err := db.Funnel(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}
