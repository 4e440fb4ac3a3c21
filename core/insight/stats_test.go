package insight

import (
	"math"
	"testing"
)

func TestFisherExact(t *testing.T) {
	// Reference values from R's fisher.test (two-sided).
	tests := []struct {
		t    table2
		want float64
	}{
		{table2{3, 1, 1, 3}, 0.4857143},
		{table2{1, 9, 11, 3}, 0.002759456},
		{table2{10, 0, 0, 10}, 1.082509e-05},
		{table2{5, 5, 5, 5}, 1},
	}
	for _, tt := range tests {
		if got := fisherExact(tt.t); math.Abs(got-tt.want) > 1e-6*math.Max(1, tt.want*1e3) {
			t.Errorf("fisherExact(%v) = %.7g, want %.7g", tt.t, got, tt.want)
		}
	}
}

func TestTwoProportionZ(t *testing.T) {
	// 60/100 vs 40/100: z = 2.828, p = 0.004678 (pooled, no continuity correction).
	if got := twoProportionZ(60, 100, 40, 100); math.Abs(got-0.004678) > 1e-5 {
		t.Errorf("twoProportionZ = %.6f, want 0.004678", got)
	}
	if got := twoProportionZ(5, 10, 5, 10); got != 1 {
		t.Errorf("equal proportions: p = %v, want 1", got)
	}
	if got := twoProportionZ(0, 0, 5, 10); got != 1 {
		t.Errorf("empty group: p = %v, want 1", got)
	}
}

func TestPValueChoosesFisherForSmallCounts(t *testing.T) {
	if _, which := (table2{2, 3, 40, 60}).pValue(); which != fisherTest {
		t.Errorf("small group used %s, want Fisher", which)
	}
	if _, which := (table2{40, 60, 400, 600}).pValue(); which != zTest {
		t.Errorf("large groups used %s, want z", which)
	}
}

func TestWelch(t *testing.T) {
	a := summarize([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	if a.mean != 5.5 || math.Abs(a.variance-9.1666667) > 1e-6 {
		t.Fatalf("summarize = %+v", a)
	}
	if p := welch(a, a); p != 1 {
		t.Errorf("same sample: p = %v, want 1", p)
	}
	b := summarize([]float64{11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	if p := welch(a, b); p > 1e-10 {
		t.Errorf("clearly different samples: p = %v", p)
	}
}
