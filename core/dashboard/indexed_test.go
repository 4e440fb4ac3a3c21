package dashboard

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/funnel"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/workspace"
)

// importGenerated imports sessions [from, from+n) of a seeded generator
// run and returns their start times.
func importGenerated(t *testing.T, db *workspace.DB, from, n int) []time.Time {
	t.Helper()
	ctx := context.Background()
	b, err := db.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Rollback()
	var starts []time.Time
	err = generate.Each(generate.Options{Seed: 17, Sessions: from + n, NoEvents: true}, func(i int, s generate.Session) error {
		if i < from {
			return nil
		}
		starts = append(starts, s.Facts.Session.StartedAt.UTC())
		_, err := b.Add(s.Header, nil, s.Facts, s.Header.Session, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	return starts
}

// sameCards computes cards of every kind over random segments (covered
// by the index or not) and periods from both sources and wants the same
// JSON. It returns how many cards had sessions in their period.
func sameCards(t *testing.T, indexed, db Source, starts []time.Time, seed uint64, n int) int {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, seed+1))
	segments := []string{"", "device = mobile", `visited "/products*" and not country = DE`, "pageviews >= 3 or tag = rage_click",
		"device = nosuchdevice", "trait.plan = pro", `clicked "#pay" and duration > 30s`}
	names := make([]string, 0, len(kinds))
	for kind := range kinds {
		names = append(names, kind)
	}
	slices.Sort(names)
	withSessions := 0
	for i := 0; i < n; i++ {
		card := Card{Kind: names[r.IntN(len(names))], Segment: segments[r.IntN(len(segments))]}
		var p Periods
		if r.IntN(3) == 0 {
			p = PeriodsEndingAt(starts[r.IntN(len(starts))], 1+r.IntN(10))
		} else {
			a, b := starts[r.IntN(len(starts))], starts[r.IntN(len(starts))]
			if b.Before(a) {
				a, b = b, a
			}
			var err error
			if p, err = PeriodsBetween(a, b.Add(time.Duration(r.IntN(2))*time.Millisecond)); err != nil {
				continue // an empty period is refused before any source is asked
			}
		}
		got, err := DataIn(ctx, indexed, card, p)
		if err != nil {
			t.Fatal(err)
		}
		want, err := DataIn(ctx, db, card, p)
		if err != nil {
			t.Fatal(err)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Fatalf("card %+v over %+v:\nindexed   %s\nworkspace %s", card, p, g, w)
		}
		if want.Current.Sessions > 0 {
			withSessions++
		}
	}
	return withSessions
}

// TestCardsFromTheIndexEqualSQL: every card kind computed through a Live
// index equals the workspace's SQL answer, before the index is built (it
// answers from SQL then), once it is, after an import extends it, and
// from its compact file in a new process.
func TestCardsFromTheIndexEqualSQL(t *testing.T) {
	ctx := context.Background()
	db, err := workspace.Open(ctx, filepath.Join(t.TempDir(), "ws.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	starts := importGenerated(t, db, 0, 250)
	var q funnel.Query
	for _, s := range []string{"page:/", "page:/products*", "page:/cart*", "page:/checkout*"} {
		st, _ := funnel.ParseStep(s)
		q.Steps = append(q.Steps, st)
	}
	if err := db.SaveFunnel(ctx, "Shop", q); err != nil {
		t.Fatal(err)
	}

	file := filepath.Join(t.TempDir(), "ws.index")
	live := index.NewLive(db, file)
	defer live.Wait()
	if live.Current(ctx) != nil {
		t.Fatal("an index was ready before any was built")
	}
	sameCards(t, live, db, starts, 1, 30) // from SQL while it builds
	live.Wait()
	x := live.Current(ctx)
	if x == nil || x.Len() != 250 {
		t.Fatalf("the index is not ready after its build: %v", x)
	}
	if n := sameCards(t, live, db, starts, 2, 300); n < 100 {
		t.Errorf("only %d of 300 cards had sessions: the test checks too little", n)
	}
	latest, _, _ := db.LatestStart(ctx)
	if got, ok, err := live.LatestStart(ctx); err != nil || !ok || !got.Equal(latest) {
		t.Errorf("LatestStart from the index %v %v %v, the workspace's %v", got, ok, err, latest)
	}

	starts = append(starts, importGenerated(t, db, 250, 80)...)
	if y := live.Current(ctx); y == nil || y.Len() != 330 {
		t.Fatalf("after an import the index was not extended: %v", y)
	}
	sameCards(t, live, db, starts, 3, 200)
	live.Wait() // the extended index is saved

	reopened := index.NewLive(db, file)
	defer reopened.Wait()
	reopened.Current(ctx)
	reopened.Wait()
	if y := reopened.Current(ctx); y == nil || y.Len() != 330 {
		t.Fatalf("the saved index did not open: %v", y)
	}
	sameCards(t, reopened, db, starts, 4, 200)
}
