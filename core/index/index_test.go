package index_test

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/funnel/step"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// generated imports sessions [from, from+n) of a seeded generator run into
// db and returns their facts in import order.
func generated(t testing.TB, db *workspace.DB, seed uint64, from, n int) []*core.Facts {
	t.Helper()
	return generatedWith(t, db, seed, from, n, nil)
}

// generatedWith is generated with each session first passed to change
// (when not nil) along with its number in the run.
func generatedWith(t testing.TB, db *workspace.DB, seed uint64, from, n int, change func(int, *generate.Session)) []*core.Facts {
	t.Helper()
	ctx := context.Background()
	b, err := db.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Rollback()
	var facts []*core.Facts
	err = generate.Each(generate.Options{Seed: seed, Sessions: from + n}, func(i int, s generate.Session) error {
		if i < from {
			return nil
		}
		if change != nil {
			change(i, &s)
		}
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
	return facts
}

func openWorkspace(t testing.TB) *workspace.DB {
	t.Helper()
	db, err := workspace.Open(context.Background(), filepath.Join(t.TempDir(), "ws.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func referenceIDs(e segment.Expr, facts []*core.Facts) []string {
	var ids []string
	for _, f := range facts {
		if e == nil || segment.Eval(e, f) {
			ids = append(ids, f.Session.ID)
		}
	}
	return ids
}

// checkSegments runs random segments through the index, segment.Eval over
// the facts and the workspace's SQL, and wants one answer from all three.
func checkSegments(t *testing.T, x *index.Index, db *workspace.DB, facts []*core.Facts, seed uint64, n int) {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, seed+1))
	covered, proper := 0, 0
	for i := 0; i < n; i++ {
		e := generate.RandomSegment(r, 3)
		got, ok := x.IDs(e)
		if !ok {
			continue
		}
		covered++
		want := referenceIDs(e, facts)
		sqlIDs, err := db.SessionIDs(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("segment %q: index %d sessions, Eval %d", e, len(got), len(want))
		}
		if !reflect.DeepEqual(sqlIDs, want) && !(len(sqlIDs) == 0 && len(want) == 0) {
			t.Fatalf("segment %q: SQL %d sessions, Eval %d", e, len(sqlIDs), len(want))
		}
		if c, _ := x.Count(e); c != len(want) {
			t.Fatalf("segment %q: Count %d, want %d", e, c, len(want))
		}
		page, total, err := db.SegmentPage(ctx, e, 7)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := x.Segment(e)
		if newest := x.Newest(b, 7); total != len(want) || !reflect.DeepEqual(newest, page) && len(page) > 0 {
			t.Fatalf("segment %q: newest %v, the workspace's page %v", e, newest, page)
		}
		if len(want) > 0 && len(want) < len(facts) {
			proper++
		}
	}
	if covered < n/2 || proper < n/4 {
		t.Errorf("%d of %d random segments covered, %d proper subsets: the test checks too little", covered, n, proper)
	}
}

func TestSegmentsAgreeWithEvalAndSQL(t *testing.T) {
	db := openWorkspace(t)
	facts := generated(t, db, 11, 0, 400)
	x, err := index.Build(context.Background(), db.DB())
	if err != nil {
		t.Fatal(err)
	}
	if x.Len() != 400 {
		t.Fatalf("index holds %d sessions, want 400", x.Len())
	}
	checkSegments(t, x, db, facts, 11, 600)
}

// randomFunnel is a funnel of every mode, window, segment, breakdown and
// date range the workspace's own test draws.
func randomFunnel(r *rand.Rand) funnel.Query {
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
		q.Breakdown = []string{"device", "country", "exit", "entry", "site", "trait.plan"}[r.IntN(6)]
	}
	if r.IntN(4) == 0 {
		q.From = time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)
		q.To = q.From.Add(5 * 24 * time.Hour)
	}
	return q
}

func sameFunnel(t *testing.T, q funnel.Query, got, want *funnel.Result, what string) {
	t.Helper()
	if got.Sessions != want.Sessions || !reflect.DeepEqual(got.Steps, want.Steps) || !reflect.DeepEqual(got.Breakdown, want.Breakdown) {
		t.Fatalf("funnel %v mode %s segment %v breakdown %q: index %d %+v\n%s %d %+v",
			q.Steps, q.Mode, q.Segment, q.Breakdown, got.Sessions, got.Steps, what, want.Sessions, want.Steps)
	}
	for k := range want.Steps {
		if !reflect.DeepEqual(got.DroppedAfter(k), want.DroppedAfter(k)) {
			t.Fatalf("funnel %v: dropped after step %d differ from %s", q.Steps, k, what)
		}
	}
}

// TestFunnelsAgreeWithReferenceAndWorkspace holds the index's funnels to
// funnel.Evaluate (exhaustive search over facts) and to the workspace's
// SQL path, over random funnels of every mode.
func TestFunnelsAgreeWithReferenceAndWorkspace(t *testing.T) {
	db := openWorkspace(t)
	facts := generated(t, db, 31, 0, 300)
	x, err := index.Build(context.Background(), db.DB())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(31, 32))
	covered, converting := 0, 0
	for i := 0; i < 200; i++ {
		q := randomFunnel(r)
		got, ok, err := x.Funnel(q)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			continue
		}
		covered++
		want, err := funnel.Evaluate(q, facts)
		if err != nil {
			t.Fatal(err)
		}
		sameFunnel(t, q, got, want, "reference")
		fromSQL, err := db.Funnel(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		sameFunnel(t, q, got, fromSQL, "workspace")
		if want.Converted > 0 {
			converting++
		}
	}
	if covered < 120 || converting < 30 {
		t.Errorf("%d funnels covered, %d converted anyone: the test checks too little", covered, converting)
	}
}

// TestUncoveredQueriesFallBack checks the index declines what it does not
// hold rather than answering wrongly.
func TestUncoveredQueriesFallBack(t *testing.T) {
	db := openWorkspace(t)
	generated(t, db, 5, 0, 20)
	x, err := index.Build(context.Background(), db.DB())
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{`trait.plan = pro`, `user = u1`, `csat <= 2`, `feedback = any`, `device = mobile and visitor = v`} {
		if _, ok := x.Segment(segment.MustParse(text)); ok {
			t.Errorf("index claims to answer %q", text)
		}
	}
	st, _ := funnel.ParseStep("page:/")
	if _, ok, _ := x.Funnel(funnel.Query{Steps: []funnel.Step{st}, Breakdown: "trait.plan"}); ok {
		t.Error("index claims to break a funnel down by a trait")
	}
}

// TestRefreshExtendsAndSaveRoundTrips imports in two steps: the refreshed
// index must equal a fresh build, and the compact file must read back to
// the same answers.
func TestRefreshExtendsAndSaveRoundTrips(t *testing.T) {
	ctx := context.Background()
	db := openWorkspace(t)
	facts := generated(t, db, 7, 0, 150)
	path := filepath.Join(t.TempDir(), "ws.index")
	x, err := index.Open(ctx, db.DB(), path)
	if err != nil {
		t.Fatal(err)
	}
	facts = append(facts, generated(t, db, 7, 150, 100)...)
	y, err := x.Refresh(ctx, db.DB())
	if err != nil {
		t.Fatal(err)
	}
	if y.Len() != 250 || x.Len() != 150 {
		t.Fatalf("refresh: %d sessions (old index %d), want 250 (150)", y.Len(), x.Len())
	}
	if y.Generation().Changed != x.Generation().Changed {
		t.Fatalf("an import counted as a change: %+v then %+v", x.Generation(), y.Generation())
	}
	checkSegments(t, y, db, facts, 3, 200)
	z, err := index.Open(ctx, db.DB(), path) // file holds 150: extended and saved again
	if err != nil {
		t.Fatal(err)
	}
	w, err := index.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if z.Len() != 250 || w.Len() != 250 {
		t.Fatalf("reopened index holds %d sessions, the file %d; want 250", z.Len(), w.Len())
	}
	checkSegments(t, w, db, facts, 4, 200)

	// A manual tag is a change: the next refresh rebuilds and sees it.
	if err := db.AddTag(ctx, facts[3].Session.ID, "reviewed"); err != nil {
		t.Fatal(err)
	}
	v, err := w.Refresh(ctx, db.DB())
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := v.IDs(segment.MustParse(`tag = reviewed`)); !reflect.DeepEqual(got, []string{facts[3].Session.ID}) {
		t.Fatalf("after tagging, tag = reviewed gives %v", got)
	}
}

// TestClicksOnAgreesWithFacts counts clicks per page glob from the
// workspace-built index, the facts-built one and the facts themselves.
func TestClicksOnAgreesWithFacts(t *testing.T) {
	db := openWorkspace(t)
	facts := generated(t, db, 13, 0, 200)
	x, err := index.Build(context.Background(), db.DB())
	if err != nil {
		t.Fatal(err)
	}
	y := fromFacts(t, facts)
	for _, glob := range []string{"/products/*", "/", "/c*", "/nowhere"} {
		clicks, sessions := 0, 0
		for _, f := range facts {
			before := clicks
			for _, c := range f.Clicks {
				if step.MatchGlob(glob, c.Path) {
					clicks++
				}
			}
			if clicks > before {
				sessions++
			}
		}
		gc, gs := x.ClicksOn(glob)
		fc, fs := y.ClicksOn(glob)
		if gc != clicks || gs != sessions || fc != clicks || fs != sessions {
			t.Errorf("%s: workspace index %d/%d, facts index %d/%d, facts %d/%d", glob, gc, gs, fc, fs, clicks, sessions)
		}
		if glob == "/products/*" && clicks == 0 {
			t.Error("no clicks on product pages: the test checks too little")
		}
	}
}
