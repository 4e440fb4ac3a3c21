package file_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/loupe-dev/loupe/core/archive/archivetest"
	"github.com/loupe-dev/loupe/sync/file"
)

// BenchmarkPut stores archives of 1,000 generated events (about 9 KB) under
// distinct keys, fsyncs included.
func BenchmarkPut(b *testing.B) {
	s, err := file.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	blob := archivetest.NewBlob(b, "s_bench0001", 1000)
	b.SetBytes(int64(len(blob.Data)))
	i := 0
	for b.Loop() {
		i++
		key := fmt.Sprintf("2026/11/26/%08d.loupe", i)
		if err := s.Put(context.Background(), key, bytes.NewReader(blob.Data), int64(len(blob.Data)), blob.SHA256); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "archives/s")
}
