package workspace

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/segment"
)

// feedbackComments mixes case, markup, non-ASCII and empty comments, the
// cases where Go's and SQLite's text rules could part.
var feedbackComments = []string{"", "Too SLOW", "slow checkout", "love it", "<b>Ärger</b> at checkout", "ärger", "OK"}

// withRandomFeedback gives about two sessions in three a few responses.
func withRandomFeedback(r *rand.Rand, f *core.Facts) {
	if r.IntN(3) == 0 || len(f.Pageviews) == 0 {
		return
	}
	for n := 1 + r.IntN(3); n > 0; n-- {
		pv := f.Pageviews[r.IntN(len(f.Pageviews))]
		fb := core.Feedback{OffsetMS: pv.OffsetMS + 500, Pageview: pv.Index, Path: pv.Path, Kind: "csat", Score: 1 + r.IntN(5),
			Comment: feedbackComments[r.IntN(len(feedbackComments))]}
		if r.IntN(2) == 0 {
			fb.Kind, fb.Score = "nps", r.IntN(11)
		}
		f.Feedback = append(f.Feedback, fb)
	}
}

func randomFeedbackLeaf(r *rand.Rand) segment.Expr {
	ops := []segment.Op{segment.Eq, segment.Ne, segment.Gt, segment.Ge, segment.Lt, segment.Le}
	switch r.IntN(4) {
	case 0:
		return segment.Cond{Field: "csat", Op: ops[r.IntN(len(ops))], Num: float64(r.IntN(7))}
	case 1:
		return segment.Cond{Field: "nps", Op: ops[r.IntN(len(ops))], Num: float64(r.IntN(12))}
	case 2:
		return segment.Cond{Field: "feedback", Op: []segment.Op{segment.Eq, segment.Ne}[r.IntN(2)], Str: segment.FeedbackKinds[r.IntN(3)]}
	}
	words := []string{"", "slow", "SLOW", "ärger", "Ärger", "<b>", "refund"}
	return segment.Cond{Field: "feedback", Op: segment.Contains, Str: words[r.IntN(len(words))]}
}

// randomFeedbackSegment mixes feedback conditions with the generator's
// other leaves under and, or and not.
func randomFeedbackSegment(r *rand.Rand, depth int) segment.Expr {
	if depth > 0 && r.IntN(3) > 0 {
		switch r.IntN(3) {
		case 0:
			return segment.Not{X: randomFeedbackSegment(r, depth-1)}
		case 1:
			return segment.And{randomFeedbackSegment(r, depth-1), randomFeedbackSegment(r, depth-1)}
		default:
			return segment.Or{randomFeedbackSegment(r, depth-1), randomFeedbackSegment(r, depth-1)}
		}
	}
	if r.IntN(3) == 0 {
		return generate.RandomSegment(r, 0)
	}
	return randomFeedbackLeaf(r)
}

// TestFeedbackSegmentSQLAgreesWithEval holds the SQL compiler's csat, nps
// and feedback fields to segment.Eval over generated sessions given random
// responses.
func TestFeedbackSegmentSQLAgreesWithEval(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "ws.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b, err := db.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(21, 22))
	var facts []*core.Facts
	err = generate.Each(generate.Options{Seed: 21, Sessions: 300}, func(_ int, s generate.Session) error {
		withRandomFeedback(r, s.Facts)
		facts = append(facts, s.Facts)
		_, err := b.Add(s.Header, s.Events, s.Facts, s.Header.Session, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	proper := 0
	for i := 0; i < 500; i++ {
		e := randomFeedbackSegment(r, 3)
		e2, err := segment.Parse(e.String())
		if err != nil {
			t.Fatalf("random segment %q does not parse: %v", e.String(), err)
		}
		got, err := db.SessionIDs(ctx, e2)
		if err != nil {
			t.Fatalf("SessionIDs(%q): %v", e.String(), err)
		}
		want := referenceIDs(e, facts)
		if len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
			t.Fatalf("segment %q: SQL gives %d sessions, Eval %d\nSQL only: %v\nEval only: %v",
				e.String(), len(got), len(want), minus(got, want), minus(want, got))
		}
		if len(want) > 0 && len(want) < len(facts) {
			proper++
		}
	}
	if proper < 200 {
		t.Errorf("only %d of 500 random segments selected a proper subset: the test checks too little", proper)
	}
}
