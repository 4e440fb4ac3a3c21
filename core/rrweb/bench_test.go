package rrweb

import (
	"path/filepath"
	"testing"
)

// BenchmarkSanitize measures sanitizing the largest corpus recording (272
// events, 461 KiB), the work a replay does before handing events over.
func BenchmarkSanitize(b *testing.B) {
	events := decodeFile(b, filepath.Join(corpusDir(b), "rrweb-player-public-events.json"))
	size := 0
	for _, e := range events {
		size += len(e.Data)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if out := Sanitize(events); len(out) != len(events) {
			b.Fatal("events lost")
		}
	}
	b.ReportMetric(float64(len(events))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
