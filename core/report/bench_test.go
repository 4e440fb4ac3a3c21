package report

import (
	"io"
	"testing"
)

// BenchmarkReport lays out and writes the report of 10,000 generated
// sessions (facts in memory): insights, charts, heatmaps, HTML.
func BenchmarkReport(b *testing.B) {
	facts := plantedFacts(10000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p, err := FromFacts(facts, nil, Options{Now: reportNow})
		if err != nil {
			b.Fatal(err)
		}
		if err := Write(io.Discard, p); err != nil {
			b.Fatal(err)
		}
	}
}
