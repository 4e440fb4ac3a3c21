package index_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// dashboardTally is how much a run of dashboard checks exercised, so a
// test can refuse to pass on answers that were all trivial.
type dashboardTally struct {
	covered, empty, nothing, partial, ties, errors, frustrated, boundary int
}

// randomPeriod draws [from, to) over the sessions' days: whole UTC days,
// bounds exactly at a session's start (in at from, out at to), periods
// before or after every session, and empty or backwards ones.
func randomPeriod(r *rand.Rand, starts []time.Time) (from, to time.Time) {
	pick := func() time.Time { return starts[r.IntN(len(starts))] }
	day := 24 * time.Hour
	switch r.IntN(6) {
	case 0: // whole days
		from = pick().Truncate(day)
		return from, from.Add(time.Duration(1+r.IntN(7)) * day)
	case 1: // both ends on a session's start
		from, to = pick(), pick()
		if to.Before(from) {
			from, to = to, from
		}
		return from, to
	case 2: // before or after every session
		if r.IntN(2) == 0 {
			return starts[0].Add(-10 * day), starts[0].Add(-time.Millisecond)
		}
		last := slices.MaxFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
		return last.Add(time.Millisecond), last.Add(10 * day)
	case 3: // empty, or ending before it starts
		from = pick()
		return from, from.Add(-time.Duration(r.IntN(2)) * time.Hour)
	case 4: // everything
		return starts[0].Add(-100 * day), starts[0].Add(100 * day)
	}
	from = pick()
	return from, from.Add(time.Duration(r.IntN(72)) * time.Hour)
}

// randomCardSegment is a covered segment most of the time, sometimes none
// and sometimes one that matches no session.
func randomCardSegment(r *rand.Rand) segment.Expr {
	switch r.IntN(8) {
	case 0:
		return nil
	case 1:
		return segment.MustParse(`device = nosuchdevice`)
	}
	return generate.RandomSegment(r, 2)
}

// checkDashboard asks x and the workspace every dashboard question over
// random segments and periods, and wants the same answers. Segments the
// index does not cover must come back ok=false.
func checkDashboard(t *testing.T, x *index.Index, db *workspace.DB, starts []time.Time, seed uint64, n int) dashboardTally {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	var tally dashboardTally
	for i := 0; i < n; i++ {
		e := randomCardSegment(r)
		from, to := randomPeriod(r, starts)
		limit := []int{1, 3, 8, 50}[r.IntN(4)]
		q := workspace.SessionQuery{Segment: e}
		what := fmt.Sprintf("segment %v, [%s, %s), limit %d", e, from.Format(time.RFC3339Nano), to.Format(time.RFC3339Nano), limit)
		_, covers := x.Segment(e)

		wantStats, err := db.PeriodStats(ctx, q, from, to)
		if err != nil {
			t.Fatal(err)
		}
		c, ok := x.PeriodCounts(e, from, to)
		if ok != covers {
			t.Fatalf("%s: PeriodCounts ok=%v, Segment ok=%v", what, ok, covers)
		}
		if !ok {
			continue
		}
		tally.covered++
		gotStats := workspace.PeriodStats{From: from, To: to, Sessions: c.Sessions, Visitors: c.Visitors, AvgDurationMS: c.AvgDurationMS(),
			BounceRate: c.BounceRate(), ErrorRate: c.ErrorRate(), RageRate: c.RageRate()}
		if gotStats != wantStats {
			t.Fatalf("%s: index stats %+v, workspace %+v", what, gotStats, wantStats)
		}
		switch {
		case wantStats.Sessions == 0 && e != nil && from.Before(to):
			tally.nothing++
		case wantStats.Sessions == 0:
			tally.empty++
		case wantStats.Sessions < len(starts):
			tally.partial++
		}
		for _, s := range starts {
			if s.Equal(from) || s.Equal(to) {
				tally.boundary++
				break
			}
		}

		for _, kind := range []struct {
			name  string
			index func(segment.Expr, time.Time, time.Time, int) ([]workspace.Ranked, bool)
			sql   func(context.Context, workspace.SessionQuery, time.Time, time.Time, int) ([]workspace.Ranked, error)
		}{
			{"top pages", x.TopPages, db.TopPages},
			{"top frustrated", x.TopFrustrated, db.TopFrustrated},
			{"top errors", x.TopErrors, db.TopErrors},
		} {
			want, err := kind.sql(ctx, q, from, to, limit)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := kind.index(e, from, to, limit)
			if !ok || !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: %s from the index (ok %v)\n%+v\nfrom the workspace\n%+v", what, kind.name, ok, got, want)
			}
			// A tie cut by the limit: the next row counts as much as the last shown.
			if all, _ := kind.index(e, from, to, -1); len(all) > limit && limit > 0 && all[limit].Count == all[limit-1].Count {
				tally.ties++
			}
			if len(want) > 0 && kind.name == "top errors" {
				tally.errors++
			}
			if len(want) > 0 && kind.name == "top frustrated" {
				tally.frustrated++
			}
		}

		wantDays, err := db.SessionsPerDay(ctx, q, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if gotDays, ok := x.SessionsPerDay(e, from, to); !ok || !reflect.DeepEqual(gotDays, wantDays) {
			t.Fatalf("%s: sessions per day from the index (ok %v) %+v, from the workspace %+v", what, ok, gotDays, wantDays)
		}
	}
	return tally
}

// enough fails the test when the random cases missed a kind of case the
// dashboard questions must get right.
func (d dashboardTally) enough(t *testing.T, n int) {
	t.Helper()
	t.Logf("dashboard cases: %+v of %d", d, n)
	if d.covered < n/2 || d.empty == 0 || d.nothing == 0 || d.partial < n/4 || d.ties == 0 || d.errors == 0 || d.frustrated == 0 || d.boundary == 0 {
		t.Errorf("the random cases check too little: %+v of %d", d, n)
	}
}

// someAnonymous leaves every fifth session without a visitor, which the
// workspace stores as NULL and distinct visitor counts leave out.
func someAnonymous(i int, s *generate.Session) {
	if i%5 == 0 {
		s.Header.Visitor = ""
		s.Facts.Session.Visitor = ""
	}
}

func startsOf(facts []*core.Facts) []time.Time {
	out := make([]time.Time, len(facts))
	for i, f := range facts {
		out[i] = f.Session.StartedAt.UTC()
	}
	return out
}

// TestDashboardAgreesWithSQL holds the index's dashboard answers to the
// workspace's SQL over random covered segments and periods: a
// workspace-built index, one built from the facts as generated, and one
// extended by Refresh after a second import, saved and read back.
func TestDashboardAgreesWithSQL(t *testing.T) {
	ctx := context.Background()
	db := openWorkspace(t)
	facts := generatedWith(t, db, 41, 0, 300, someAnonymous)
	x, err := index.Build(ctx, db.DB())
	if err != nil {
		t.Fatal(err)
	}
	checkDashboard(t, x, db, startsOf(facts), 41, 300).enough(t, 300)

	t.Run("built from facts", func(t *testing.T) {
		checkDashboard(t, fromFacts(t, facts), db, startsOf(facts), 42, 150).enough(t, 150)
	})

	t.Run("refreshed, saved and read back", func(t *testing.T) {
		facts := append(facts, generatedWith(t, db, 41, 300, 120, someAnonymous)...)
		y, err := x.Refresh(ctx, db.DB())
		if err != nil {
			t.Fatal(err)
		}
		if y.Len() != 420 {
			t.Fatalf("refreshed index holds %d sessions, want 420", y.Len())
		}
		fresh, err := index.Build(ctx, db.DB())
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "ws.index")
		if err := y.Save(path); err != nil {
			t.Fatal(err)
		}
		read, err := index.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for name, z := range map[string]*index.Index{"refreshed": y, "fresh": fresh, "read back": read} {
			t.Run(name, func(t *testing.T) {
				checkDashboard(t, z, db, startsOf(facts), 43, 150).enough(t, 150)
			})
		}
		if got, _ := y.LatestStart(); !got.Equal(slices.MaxFunc(startsOf(facts), func(a, b time.Time) int { return a.Compare(b) })) {
			t.Errorf("LatestStart %v is not the newest session's start", got)
		}
	})
}

// TestDashboardDeclinesUncoveredSegments: a segment on what the index
// does not hold gets ok=false from every question, not a wrong answer.
func TestDashboardDeclinesUncoveredSegments(t *testing.T) {
	db := openWorkspace(t)
	generated(t, db, 5, 0, 20)
	x, err := index.Build(context.Background(), db.DB())
	if err != nil {
		t.Fatal(err)
	}
	e := segment.MustParse(`device = mobile and trait.plan = pro`)
	from, to := time.Unix(0, 0), time.Now()
	_, ok1 := x.PeriodCounts(e, from, to)
	_, ok2 := x.TopPages(e, from, to, 8)
	_, ok3 := x.TopFrustrated(e, from, to, 8)
	_, ok4 := x.TopErrors(e, from, to, 8)
	_, ok5 := x.SessionsPerDay(e, from, to)
	if ok1 || ok2 || ok3 || ok4 || ok5 {
		t.Errorf("the index answers a segment on traits: %v %v %v %v %v", ok1, ok2, ok3, ok4, ok5)
	}
}

// TestSessionsPerDayFarApart: starts centuries apart (counted in a map,
// not a slice of days) and just before 1970 (SQLite truncates the
// seconds toward zero before taking the date) give the workspace's days.
func TestSessionsPerDayFarApart(t *testing.T) {
	ctx := context.Background()
	db := openWorkspace(t)
	odd := []time.Time{
		time.Date(1500, 3, 1, 12, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 59, 500_000_000, time.UTC),
		time.Date(1969, 12, 31, 23, 59, 58, 0, time.UTC),
		time.Date(9000, 7, 4, 1, 2, 3, 0, time.UTC),
	}
	generatedWith(t, db, 9, 0, 60, func(i int, s *generate.Session) {
		if i < len(odd) {
			s.Header.StartedAt, s.Facts.Session.StartedAt = odd[i], odd[i]
		}
	})
	x, err := index.Build(ctx, db.DB())
	if err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, e := range []segment.Expr{nil, segment.MustParse("pageviews >= 2")} {
		want, err := db.SessionsPerDay(ctx, workspace.SessionQuery{Segment: e}, from, to)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := x.SessionsPerDay(e, from, to)
		if !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("segment %v: index (ok %v) %+v\nworkspace %+v", e, ok, got, want)
		}
		if e == nil && (len(want) < 4 || want[0].Day != "1500-03-01" || want[1].Day != "1969-12-31" || want[2].Day != "1970-01-01") {
			t.Errorf("the odd starts did not land on their days: %+v", want[:min(3, len(want))])
		}
	}
}
