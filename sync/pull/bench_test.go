package pull

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/sync/source"
)

// BenchmarkSyncFolder measures the whole pipeline on generated demo-shop
// sessions: copy and hash each archive, verify it, read it, derive its
// facts (in parallel workers) and import it (one writer, one transaction
// per archive). Run with a stated size, e.g.
//
//	go test ./sync/pull -run '^$' -bench SyncFolder -benchtime 2000x
func BenchmarkSyncFolder(b *testing.B) {
	dir := b.TempDir()
	events := 0
	err := generate.Each(generate.Options{Seed: 7, Sessions: b.N}, func(i int, s generate.Session) error {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%08d-%s.loupe", i, s.Header.Session)))
		if err != nil {
			return err
		}
		defer f.Close()
		w, err := archive.NewWriter(f, s.Header)
		if err != nil {
			return err
		}
		for _, e := range s.Events {
			raw, err := json.Marshal(e)
			if err != nil {
				return err
			}
			if err := w.Write(raw); err != nil {
				return err
			}
		}
		events += len(s.Events)
		return w.Close()
	})
	if err != nil {
		b.Fatal(err)
	}
	db := openWorkspace(b)
	src, err := source.Open(context.Background(), dir, "")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	rep, err := Sync(context.Background(), src, db, Options{Source: source.Name(dir), Workers: 2})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if rep.Imported != b.N {
		b.Fatalf("imported %d of %d", rep.Imported, b.N)
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "archives/s")
	b.ReportMetric(float64(events)/float64(b.N), "events/archive")
}
