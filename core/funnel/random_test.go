package funnel_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/segment"
)

func segmentEval(q funnel.Query, f *core.Facts) bool { return segment.Eval(q.Segment, f) }

// TestRandomFunnelsAgree checks the greedy timeline evaluator against the
// exhaustive reference on random funnels over generated sessions.
func TestRandomFunnelsAgree(t *testing.T) {
	facts := generate.Facts(generate.Options{Seed: 21, Sessions: 300})
	r := rand.New(rand.NewPCG(21, 22))
	converting := 0
	for i := 0; i < 300; i++ {
		q := randomQuery(r)
		ref, err := funnel.Evaluate(q, facts)
		if err != nil {
			t.Fatal(err)
		}
		fast := fastPath(t, q, facts)
		if !sameResult(ref, fast) {
			t.Fatalf("funnel %v: reference %s\nfast %s", q.Steps, describe(ref), describe(fast))
		}
		if len(q.Steps) > 1 && ref.Converted > 0 {
			converting++
		}
	}
	if converting < 60 {
		t.Errorf("only %d of 300 random funnels converted anyone: the test checks too little", converting)
	}
}

func randomQuery(r *rand.Rand) funnel.Query {
	var q funnel.Query
	for _, s := range generate.RandomSteps(r, 2+r.IntN(3)) {
		st, err := funnel.ParseStep(s)
		if err != nil {
			panic(err)
		}
		q.Steps = append(q.Steps, st)
	}
	q.Mode = []funnel.Mode{funnel.Sequential, funnel.Sequential, funnel.Strict, funnel.AnyOrder}[r.IntN(4)]
	q.Window = []time.Duration{0, 30 * time.Second, 2 * time.Minute}[r.IntN(3)]
	if r.IntN(3) == 0 {
		q.Segment = generate.RandomSegment(r, 1)
	}
	if r.IntN(3) == 0 {
		q.Breakdown = []string{"device", "browser", "entry", "trait.plan"}[r.IntN(4)]
	}
	return q
}

func sameResult(a, b *funnel.Result) bool {
	if !reflect.DeepEqual(a.Steps, b.Steps) || a.Sessions != b.Sessions || !reflect.DeepEqual(a.Breakdown, b.Breakdown) {
		return false
	}
	for k := range a.Steps {
		if !reflect.DeepEqual(a.DroppedAfter(k), b.DroppedAfter(k)) {
			return false
		}
	}
	return true
}

func describe(r *funnel.Result) string {
	return fmt.Sprintf("sessions %d steps %+v", r.Sessions, r.Steps)
}
