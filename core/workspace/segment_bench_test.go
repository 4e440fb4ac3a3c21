package workspace

import (
	"context"
	"testing"

	"github.com/loupe-dev/loupe/core/segment"
)

// BenchmarkSegmentFilter times single-attribute and compound segments over
// 5000 generated sessions.
func BenchmarkSegmentFilter(b *testing.B) {
	db, _ := generatedWorkspace(b, 1, 5000)
	ctx := context.Background()
	for _, text := range []string{`device = mobile`, `tag = rage_click`, `visited "/checkout*"`,
		`device = mobile and visited "/checkout*" and not tag = rage_click`} {
		e := segment.MustParse(text)
		b.Run(text, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.SessionIDs(ctx, e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
