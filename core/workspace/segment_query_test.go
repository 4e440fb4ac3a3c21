package workspace

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/segment"
)

// generatedWorkspace imports n generated sessions (with their facts) into a
// fresh workspace file and returns it with the facts, in import order.
func generatedWorkspace(t testing.TB, seed uint64, n int) (*DB, []*core.Facts) {
	t.Helper()
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
	var facts []*core.Facts
	err = generate.Each(generate.Options{Seed: seed, Sessions: n}, func(_ int, s generate.Session) error {
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
	return db, facts
}

func referenceIDs(e segment.Expr, facts []*core.Facts) []string {
	var ids []string
	for _, f := range facts {
		if segment.Eval(e, f) {
			ids = append(ids, f.Session.ID)
		}
	}
	return ids
}

// TestSegmentSQLAgreesWithEval runs many random segments through the SQL
// compiler and through segment.Eval over the same generated sessions.
func TestSegmentSQLAgreesWithEval(t *testing.T) {
	db, facts := generatedWorkspace(t, 11, 400)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(11, 12))
	nonEmpty := 0
	for i := 0; i < 600; i++ {
		e := generate.RandomSegment(r, 3)
		// The text form must survive the trip too.
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
			nonEmpty++
		}
	}
	if nonEmpty < 200 {
		t.Errorf("only %d of 600 random segments selected a proper subset: the test checks too little", nonEmpty)
	}
}

func minus(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
			if len(out) == 5 {
				break
			}
		}
	}
	return out
}

func TestSessionsWithSegment(t *testing.T) {
	db, facts := generatedWorkspace(t, 5, 120)
	ctx := context.Background()
	e := segment.MustParse(`device = mobile and visited "/products/*" and not tag = rage_click`)
	got, err := db.Sessions(ctx, SessionQuery{Limit: 1000}.WithSegment(e))
	if err != nil {
		t.Fatal(err)
	}
	want := referenceIDs(e, facts)
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("Sessions with segment: %d sessions, want %d (> 0)", len(got), len(want))
	}
	n, err := db.CountSegment(ctx, e)
	if err != nil || n != len(want) {
		t.Errorf("CountSegment = %d, %v; want %d", n, err, len(want))
	}
	ids, total, err := db.SegmentPage(ctx, e, 5)
	if err != nil || total != len(want) || len(ids) != min(5, len(want)) {
		t.Fatalf("SegmentPage = %d ids, total %d, %v; want %d ids, total %d", len(ids), total, err, min(5, len(want)), len(want))
	}
	newest := map[string]time.Time{}
	for _, f := range facts {
		newest[f.Session.ID] = f.Session.StartedAt
	}
	for i := 1; i < len(ids); i++ {
		if newest[ids[i]].After(newest[ids[i-1]]) {
			t.Errorf("SegmentPage ids not newest first: %s after %s", ids[i], ids[i-1])
		}
	}
	if e, err := ParseSegment("  "); err != nil || e != nil {
		t.Errorf("ParseSegment(blank) = %v, %v; want nil, nil", e, err)
	}
}
