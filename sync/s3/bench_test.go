package s3_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/loupe-dev/loupe/core/archive/archivetest"
)

// BenchmarkPut uploads archives of 1,000 generated events (about 9 KB) to
// a local MinIO under distinct keys.
func BenchmarkPut(b *testing.B) {
	srv := minioServer(b)
	s := openStore(b, srv.StoreURL(newBucket(b, srv), "bench"), rootConfig)
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

// BenchmarkList lists 1,000 stored archives in pages of 100, digests
// included.
func BenchmarkList(b *testing.B) {
	srv := minioServer(b)
	s := openStore(b, srv.StoreURL(newBucket(b, srv), "bench"), rootConfig)
	blob := archivetest.NewBlob(b, "s_bench0002", 10)
	for i := 0; i < 1000; i++ {
		if err := s.Put(context.Background(), fmt.Sprintf("k/%04d.loupe", i), bytes.NewReader(blob.Data), int64(len(blob.Data)), blob.SHA256); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		n, cursor := 0, ""
		for {
			page, err := s.List(context.Background(), cursor, 100)
			if err != nil {
				b.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			n += len(page)
			cursor = page[len(page)-1].Key
		}
		if n != 1000 {
			b.Fatalf("listed %d, want 1000", n)
		}
	}
	b.ReportMetric(1000*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}
