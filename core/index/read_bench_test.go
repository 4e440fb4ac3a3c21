package index_test

import (
	"os"
	"testing"

	"github.com/loupe-dev/loupe/core/index"
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
