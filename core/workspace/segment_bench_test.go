package workspace

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/loupe-dev/loupe/core/generate"
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

// BenchmarkImportGenerated times the bulk import of generated sessions
// with their facts given (no deriving): events per second is the metric.
func BenchmarkImportGenerated(b *testing.B) {
	sessions := generate.Sessions(generate.Options{Seed: 2, Sessions: 500})
	events := 0
	for _, s := range sessions {
		events += len(s.Events)
	}
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		db, err := Open(ctx, filepath.Join(b.TempDir(), "ws.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		batch, err := db.BeginBatch(ctx)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range sessions {
			if _, err := batch.Add(s.Header, s.Events, s.Facts, s.Header.Session, ""); err != nil {
				b.Fatal(err)
			}
		}
		if err := batch.Commit(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(events*b.N)/b.Elapsed().Seconds(), "events/s")
}
