package pull

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/loupe-dev/loupe/core/generate"
)

// BenchmarkImportExports measures `loupe import` of a folder of plain
// rrweb JSON exports (one generated demo-shop session per file): read,
// hash, decode, derive on workers, write. Profile it with
//
//	go test ./sync/pull -run '^$' -bench ImportExports -benchtime 2000x -cpuprofile cpu.out
func BenchmarkImportExports(b *testing.B) {
	dir := b.TempDir()
	events := 0
	err := generate.Each(generate.Options{Seed: 9, Sessions: b.N}, func(i int, s generate.Session) error {
		data, err := json.Marshal(s.Events)
		if err != nil {
			return err
		}
		events += len(s.Events)
		return os.WriteFile(filepath.Join(dir, fmt.Sprintf("%08d-%s.json", i, s.Header.Session)), data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
	db := openWorkspace(b)
	b.ResetTimer()
	results, err := ImportFiles(context.Background(), db, []string{dir}, nil)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	imported := 0
	for _, r := range results {
		if r.Status == "imported" {
			imported++
		}
	}
	if imported != b.N {
		b.Fatalf("imported %d of %d", imported, b.N)
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sessions/s")
	b.ReportMetric(float64(events)/float64(b.N), "events/session")
}
