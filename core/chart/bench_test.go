package chart

import (
	"fmt"
	"testing"
)

// BenchmarkCompare builds a year's sessions-per-day comparison (365 days,
// the dashboard's longest period).
func BenchmarkCompare(b *testing.B) {
	labels := make([]string, 365)
	cur, prev := make([]float64, 365), make([]float64, 365)
	for i := range labels {
		labels[i] = fmt.Sprintf("2026-%03d", i)
		cur[i], prev[i] = float64(i%40), float64((i+7)%40)
	}
	for b.Loop() {
		if _, err := Compare(Style{}, labels, cur, prev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFunnel builds the largest funnel chart (32 steps).
func BenchmarkFunnel(b *testing.B) {
	steps := make([]FunnelStep, 32)
	for i := range steps {
		steps[i] = FunnelStep{Label: fmt.Sprintf("page:/step/%d", i), Reached: 1000 - 30*i, Dropped: 30, Conversion: float64(1000-30*i) / 1000}
	}
	for b.Loop() {
		if _, err := Funnel(Style{}, steps); err != nil {
			b.Fatal(err)
		}
	}
}
