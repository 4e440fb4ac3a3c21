package insight

import (
	"testing"

	"github.com/loupe-dev/loupe/core/generate"
)

// BenchmarkScan scans 10,000 generated sessions (facts in memory, planted
// mobile drop at /checkout): every analysis, 14 days halved for changes.
func BenchmarkScan(b *testing.B) {
	fs := generate.Facts(generate.Options{Seed: 1, Sessions: 10000, Effects: generate.Effects{MobileCheckoutDrop: 3}})
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if r := Scan(fs, Options{}); len(r.Findings) == 0 {
			b.Fatal("no findings")
		}
	}
}
