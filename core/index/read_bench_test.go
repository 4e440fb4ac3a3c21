package index_test

import (
	"os"
	"testing"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/segment"
)

// BenchmarkReadFile reads a compact file named by LOUPE_INDEX_FILE.
func BenchmarkReadFile(b *testing.B) {
	path := os.Getenv("LOUPE_INDEX_FILE")
	if path == "" {
		b.Skip("LOUPE_INDEX_FILE not set")
	}
	for b.Loop() {
		if _, err := index.ReadFile(path); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFunnelFile runs the bench's 4-step funnel over the compact file
// named by LOUPE_INDEX_FILE.
func BenchmarkFunnelFile(b *testing.B) {
	path := os.Getenv("LOUPE_INDEX_FILE")
	if path == "" {
		b.Skip("LOUPE_INDEX_FILE not set")
	}
	x, err := index.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var q funnel.Query
	for _, s := range []string{"page:/", "page:/products*", "page:/cart", "page:/checkout"} {
		st, _ := funnel.ParseStep(s)
		q.Steps = append(q.Steps, st)
	}
	for b.Loop() {
		if _, ok, err := x.Funnel(q); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkFilterFile counts `pageviews >= 3` over the compact file named
// by LOUPE_INDEX_FILE.
func BenchmarkFilterFile(b *testing.B) {
	path := os.Getenv("LOUPE_INDEX_FILE")
	if path == "" {
		b.Skip("LOUPE_INDEX_FILE not set")
	}
	x, err := index.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	e := segment.MustParse(`pageviews >= 3`)
	for b.Loop() {
		if _, ok := x.Count(e); !ok {
			b.Fatal("not covered")
		}
	}
}
