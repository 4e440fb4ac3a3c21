package index_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/heatmap"
	"github.com/loupe-dev/loupe/core/index"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// TestHeatmapScopeAgreesWithSQL: a heatmap over the sessions the index
// picks for its device, segment and period is the workspace's heatmap of
// the same query, for every kind, over random narrowings (open and
// closed periods, bounds on a session's start, segments matching none).
func TestHeatmapScopeAgreesWithSQL(t *testing.T) {
	ctx := context.Background()
	db := openWorkspace(t)
	facts := generatedWith(t, db, 47, 0, 240, someAnonymous)
	x, err := index.Build(ctx, db.DB())
	if err != nil {
		t.Fatal(err)
	}
	starts := startsOf(facts)
	r := rand.New(rand.NewPCG(47, 74))
	pages := []string{"*", "/products*", "/checkout", "/"}
	kinds := []heatmap.Kind{heatmap.Clicks, heatmap.Rage, heatmap.Moves, heatmap.Scroll}
	devices := []string{"", "desktop", "Mobile", "tablet", "nosuchdevice"}
	covered, narrowed, some := 0, 0, 0
	for i := 0; i < 160; i++ {
		q := heatmap.Query{Page: pages[r.IntN(len(pages))], Kind: kinds[r.IntN(len(kinds))], Device: devices[r.IntN(len(devices))]}
		if r.IntN(3) > 0 {
			q.Segment = randomCardSegment(r)
		}
		switch r.IntN(4) {
		case 0:
			q.From, q.To = randomPeriod(r, starts)
		case 1:
			q.From, _ = randomPeriod(r, starts) // open end
		case 2:
			_, q.To = randomPeriod(r, starts) // open start
		}
		what := fmt.Sprintf("%s %s device %q segment %v [%s, %s)", q.Kind, q.Page, q.Device, q.Segment,
			q.From.Format(time.RFC3339Nano), q.To.Format(time.RFC3339Nano))
		want, err := db.Heatmap(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		scope, ok := x.HeatmapScope(q)
		if _, covers := x.Segment(q.Segment); q.Segment != nil && ok != covers {
			t.Fatalf("%s: HeatmapScope ok=%v, Segment ok=%v", what, ok, covers)
		}
		if !ok {
			continue
		}
		covered++
		got, err := db.HeatmapWithin(ctx, q, scope)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: from the index's scope %d sessions %d points %d moves, from SQL %d sessions %d points %d moves",
				what, got.Sessions, len(got.Points), got.Moves, want.Sessions, len(want.Points), want.Moves)
		}
		// The recorded page a heatmap is drawn on comes from the newest
		// sessions that viewed it; the workspace's session list (exact
		// device names, all lower case here) gives the same ones.
		newest, ok := x.NewestViewing(q, 5)
		if !ok {
			t.Fatalf("%s: NewestViewing declines a segment HeatmapScope covers", what)
		}
		wq := workspace.SessionQuery{Page: q.Page, Device: strings.ToLower(q.Device), From: q.From, To: q.To, Limit: 5}
		listed, err := db.Sessions(ctx, wq.WithSegment(q.Segment))
		if err != nil {
			t.Fatal(err)
		}
		wantIDs := []string{}
		for _, s := range listed {
			wantIDs = append(wantIDs, s.ID)
		}
		if !slices.Equal(newest, wantIDs) {
			t.Fatalf("%s: newest viewing from the index %v, from the session list %v", what, newest, wantIDs)
		}
		all, err := db.Heatmap(ctx, heatmap.Query{Page: q.Page, Kind: q.Kind})
		if err != nil {
			t.Fatal(err)
		}
		if want.Sessions < all.Sessions {
			narrowed++
		}
		if want.Sessions > 0 {
			some++
		}
	}
	if covered < 100 || narrowed < 40 || some < 40 {
		t.Fatalf("only %d covered queries, %d narrowed, %d with sessions: the test checks too little", covered, narrowed, some)
	}
}

// TestHeatmapScopeDeclinesUncoveredSegments: a segment the index does not
// hold gets ok=false, and Live answers from the workspace instead.
func TestHeatmapScopeDeclinesUncoveredSegments(t *testing.T) {
	ctx := context.Background()
	db := openWorkspace(t)
	generated(t, db, 5, 0, 30)
	x, err := index.Build(ctx, db.DB())
	if err != nil {
		t.Fatal(err)
	}
	q := heatmap.Query{Page: "*", Segment: segment.MustParse(`device = desktop and trait.plan = pro`)}
	if _, ok := x.HeatmapScope(q); ok {
		t.Fatal("HeatmapScope covers a segment on traits")
	}
	live := index.NewLive(db, "")
	for _, q := range []heatmap.Query{q, {Page: "*", Device: "desktop", Kind: heatmap.Moves}} {
		live.Current(ctx) // starts the build
		live.Wait()
		got, err := live.Heatmap(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want, err := db.Heatmap(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Live.Heatmap(%v) differs from the workspace's", q.Segment)
		}
	}
}
