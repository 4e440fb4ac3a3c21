package workspace

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/generate"
)

// TestFunnelAgreesWithReference runs random funnels through the workspace
// (SQL scope and timelines) and through funnel.Evaluate over the facts.
func TestFunnelAgreesWithReference(t *testing.T) {
	db, facts := generatedWorkspace(t, 31, 300)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(31, 32))
	converting := 0
	for i := 0; i < 150; i++ {
		var q funnel.Query
		for _, s := range generate.RandomSteps(r, 2+r.IntN(3)) {
			st, _ := funnel.ParseStep(s)
			q.Steps = append(q.Steps, st)
		}
		q.Mode = []funnel.Mode{funnel.Sequential, funnel.Strict, funnel.AnyOrder}[r.IntN(3)]
		q.Window = []time.Duration{0, 45 * time.Second}[r.IntN(2)]
		if r.IntN(2) == 0 {
			q.Segment = generate.RandomSegment(r, 1)
		}
		if r.IntN(3) == 0 {
			q.Breakdown = []string{"device", "country", "exit", "trait.plan"}[r.IntN(4)]
		}
		if r.IntN(4) == 0 {
			q.From = time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
			q.To = q.From.Add(5 * 24 * time.Hour)
		}
		want, err := funnel.Evaluate(q, facts)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.Funnel(ctx, q)
		if err != nil {
			t.Fatalf("Funnel(%v): %v", q.Steps, err)
		}
		if got.Sessions != want.Sessions || !reflect.DeepEqual(got.Steps, want.Steps) || !reflect.DeepEqual(got.Breakdown, want.Breakdown) {
			t.Fatalf("funnel %v mode %s segment %v:\nworkspace %d %+v\nreference %d %+v", q.Steps, q.Mode, q.Segment, got.Sessions, got.Steps, want.Sessions, want.Steps)
		}
		for k := range want.Steps {
			if !reflect.DeepEqual(got.DroppedAfter(k), want.DroppedAfter(k)) {
				t.Fatalf("funnel %v: dropped after step %d differ", q.Steps, k)
			}
		}
		if want.Converted > 0 {
			converting++
		}
	}
	if converting < 30 {
		t.Errorf("only %d of 150 funnels converted anyone: the test checks too little", converting)
	}
}
