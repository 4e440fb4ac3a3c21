package insight

import "math"

// The tests here are written out rather than taken from a statistics
// library: the module has none, and the three we need (two-proportion z,
// Fisher's exact for 2×2, Welch's t with a normal tail for n ≥ 30) are a
// few lines each over math.Erfc and math.Lgamma.

// table2 is a 2×2 contingency table: a, b in the group; c, d outside it.
// a and c count the outcome (dropped off, had the error, ...).
type table2 struct{ a, b, c, d int }

// test says which test produced a p-value, for the evidence text.
type test string

const (
	zTest      test = "two-proportion z-test"
	fisherTest test = "Fisher's exact test"
	welchTest  test = "Welch's t-test"
)

// pValue tests whether the outcome rate differs between the group and the
// rest, two-sided. Small expected counts use Fisher's exact test.
func (t table2) pValue() (float64, test) {
	n := float64(t.a + t.b + t.c + t.d)
	if n == 0 {
		return 1, zTest
	}
	row1, row2 := float64(t.a+t.b), float64(t.c+t.d)
	col1, col2 := float64(t.a+t.c), float64(t.b+t.d)
	minExpected := math.Min(math.Min(row1*col1, row1*col2), math.Min(row2*col1, row2*col2)) / n
	if minExpected < 5 {
		return fisherExact(t), fisherTest
	}
	return twoProportionZ(t.a, t.a+t.b, t.c, t.c+t.d), zTest
}

// twoProportionZ is the two-sided p-value of x1/n1 against x2/n2 with a
// pooled standard error.
func twoProportionZ(x1, n1, x2, n2 int) float64 {
	if n1 == 0 || n2 == 0 {
		return 1
	}
	p1, p2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	p := float64(x1+x2) / float64(n1+n2)
	se := math.Sqrt(p * (1 - p) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		return 1
	}
	return normalTail(math.Abs(p1-p2) / se)
}

// normalTail is P(|Z| ≥ z) for a standard normal Z.
func normalTail(z float64) float64 { return math.Erfc(z / math.Sqrt2) }

// fisherExact is the two-sided p-value of Fisher's exact test: the total
// probability of every table with the same margins that is no more likely
// than the one observed.
func fisherExact(t table2) float64 {
	r1, r2, c1 := t.a+t.b, t.c+t.d, t.a+t.c
	n := r1 + r2
	logP := func(a int) float64 {
		return lchoose(r1, a) + lchoose(r2, c1-a) - lchoose(n, c1)
	}
	observed := logP(t.a)
	lo, hi := max(0, c1-r2), min(r1, c1)
	sum := 0.0
	for a := lo; a <= hi; a++ {
		if lp := logP(a); lp <= observed+1e-7 {
			sum += math.Exp(lp)
		}
	}
	return math.Min(1, sum)
}

func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// sample summarises a list of numbers.
type sample struct {
	n        int
	mean     float64
	variance float64 // unbiased
}

func summarize(xs []float64) sample {
	s := sample{n: len(xs)}
	if s.n == 0 {
		return s
	}
	for _, x := range xs {
		s.mean += x
	}
	s.mean /= float64(s.n)
	if s.n > 1 {
		for _, x := range xs {
			s.variance += (x - s.mean) * (x - s.mean)
		}
		s.variance /= float64(s.n - 1)
	}
	return s
}

// welch is the two-sided p-value of Welch's t-test on two samples, with
// the normal distribution standing in for Student's t: callers require at
// least minSample values on each side, where the two agree closely.
func welch(x, y sample) float64 {
	if x.n < 2 || y.n < 2 {
		return 1
	}
	se := math.Sqrt(x.variance/float64(x.n) + y.variance/float64(y.n))
	if se == 0 {
		if x.mean == y.mean {
			return 1
		}
		return 0
	}
	return normalTail(math.Abs(x.mean-y.mean) / se)
}

// rose counts one test and says whether x1 of n1 now is a rise worth
// claiming over x2 of n2 before: at least 5 now, a higher rate, and a lift
// of at least MinLift. Callers check the sample sizes first. It returns
// the lift (with an empty "before" taken as one below its smallest
// nonzero rate) and the test's p-value.
func (s *scanner) rose(x1, n1, x2, n2 int) (lift, p float64, t test, ok bool) {
	s.test()
	r1, r2 := float64(x1)/float64(n1), float64(x2)/float64(n2)
	if x1 < 5 || r1 <= r2 || (r2 > 0 && r1/r2 < s.opt.MinLift) {
		return 0, 1, "", false
	}
	lift = r1 / maxf(r2, 1.0/float64(n2+1))
	p, t = table2{x1, n1 - x1, x2, n2 - x2}.pValue()
	return lift, p, t, true
}
