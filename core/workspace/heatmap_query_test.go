package workspace

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/rrweb"

	"github.com/loupe-dev/loupe/core/heatmap"
	"github.com/loupe-dev/loupe/core/segment"
)

// TestHeatmapAgreesWithReference compares the workspace's heatmaps with
// heatmap.FromFacts over the same generated sessions.
func TestHeatmapAgreesWithReference(t *testing.T) {
	db, facts := generatedWorkspace(t, 41, 250)
	queries := []heatmap.Query{
		{Page: "/", Kind: heatmap.Clicks},
		{Page: "/products/*", Device: "mobile", Kind: heatmap.Clicks},
		{Page: "/checkout", Kind: heatmap.Rage},
		{Page: "/products*", Kind: heatmap.Moves, Device: "desktop"},
		{Page: "*", Kind: heatmap.Moves},
		{Page: "/products/*", Kind: heatmap.Moves, Segment: segment.MustParse(`country != US`)},
		{Page: "/cart", Kind: heatmap.Scroll},
		{Page: "*", Kind: heatmap.Clicks, Segment: segment.MustParse(`tag = dead_click and country != US`)},
		{Page: "/nowhere", Kind: heatmap.Clicks},
		{Page: "*", Kind: heatmap.Clicks, Device: "watch"}, // no session: none, not every one
	}
	for _, q := range queries {
		checkHeatmap(t, db, q, facts, "heat rows")
	}
	// The fact tables, which answer when heat rows cannot be rebuilt.
	fromFacts := func(q heatmap.Query) (*heatmap.Data, error) {
		q, err := q.Normalize()
		if err != nil {
			return nil, err
		}
		return db.heatmapFromFacts(context.Background(), q, nil)
	}
	for _, q := range queries {
		checkHeatmapWith(t, fromFacts, q, facts, "fact tables")
	}
	// Past heatmap.MaxClickPoints both keep the same even sample of
	// clicks, with every click counted by element.
	clickLimit := heatmap.MaxClickPoints
	heatmap.MaxClickPoints = 50
	for _, q := range []heatmap.Query{{Page: "*"}, {Page: "/products*", Device: "desktop"}} {
		checkHeatmap(t, db, q, facts, "sampled clicks")
		checkHeatmapWith(t, fromFacts, q, facts, "sampled clicks from fact tables")
		sampled, err := db.Heatmap(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, e := range sampled.Elements {
			total += e.Clicks
		}
		if n := len(sampled.Points); n == 0 || n > 50 || sampled.Clicks <= 2*n || sampled.Clicks != total {
			t.Errorf("sampled clicks of %s: %d points kept of %d (elements count %d), want at most 50 of many more, all counted",
				q.Page, n, sampled.Clicks, total)
		}
	}
	heatmap.MaxClickPoints = clickLimit
	// Past heatmap.MaxMovePoints both keep the same even sample of moves.
	limit := heatmap.MaxMovePoints
	heatmap.MaxMovePoints = 40
	moves := heatmap.Query{Page: "/products*", Kind: heatmap.Moves}
	checkHeatmap(t, db, moves, facts, "sampled moves")
	checkHeatmapWith(t, fromFacts, moves, facts, "sampled moves from fact tables")
	sampled, err := db.Heatmap(context.Background(), moves)
	heatmap.MaxMovePoints = limit
	if err != nil {
		t.Fatal(err)
	}
	if n := len(sampled.Points); n == 0 || n > 40 || sampled.Moves <= 2*n {
		t.Errorf("sampled moves: %d points kept of %d, want at most 40 of many more", n, sampled.Moves)
	}
	// A workspace from before heat rows: the first heatmap rebuilds them.
	if _, err := db.DB().Exec(`DELETE FROM heat_rows; DELETE FROM heat_moves; UPDATE heat_state SET complete = 0`); err != nil {
		t.Fatal(err)
	}
	for _, q := range queries {
		checkHeatmap(t, db, q, facts, "rebuilt heat rows")
	}
	// A workspace from before heat moves: click heatmaps leave them be,
	// the first move heatmap fills them in.
	if _, err := db.DB().Exec(`DELETE FROM heat_moves; UPDATE heat_state SET moves = 0`); err != nil {
		t.Fatal(err)
	}
	checkHeatmap(t, db, heatmap.Query{Page: "*", Kind: heatmap.Clicks}, facts, "before heat moves")
	var moveRows int
	if db.DB().QueryRow(`SELECT count(*) FROM heat_moves`).Scan(&moveRows); moveRows != 0 {
		t.Errorf("a click heatmap filled %d heat-moves rows", moveRows)
	}
	checkHeatmap(t, db, heatmap.Query{Page: "*", Kind: heatmap.Moves}, facts, "rebuilt heat moves")
	var complete, rows int
	db.DB().QueryRow(`SELECT complete, (SELECT count(*) FROM heat_rows), (SELECT count(*) FROM heat_moves) FROM heat_state`).Scan(&complete, &rows, &moveRows)
	if complete != 1 || rows == 0 || moveRows == 0 {
		t.Errorf("after the rebuild: complete = %d with %d heat rows and %d heat-moves rows, want 1 and some", complete, rows, moveRows)
	}
}

func checkHeatmap(t *testing.T, db *DB, q heatmap.Query, facts []*core.Facts, how string) {
	t.Helper()
	checkHeatmapWith(t, func(q heatmap.Query) (*heatmap.Data, error) { return db.Heatmap(context.Background(), q) }, q, facts, how)
}

func checkHeatmapWith(t *testing.T, heat func(heatmap.Query) (*heatmap.Data, error), q heatmap.Query, facts []*core.Facts, how string) {
	t.Helper()
	want, err := heatmap.FromFacts(q, facts)
	if err != nil {
		t.Fatal(err)
	}
	got, err := heat(q)
	if err != nil {
		t.Fatalf("Heatmap(%+v): %v", q, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: heatmap %s %s %s: workspace %d points %d pageviews %d elements %v, reference %d points %d pageviews %d elements %v",
			how, q.Page, q.Device, q.Kind, len(got.Points), got.Pageviews, len(got.Elements), got.Scroll[:3],
			len(want.Points), want.Pageviews, len(want.Elements), want.Scroll[:3])
	}
	if q.Page != "/nowhere" && q.Device != "watch" && got.Pageviews == 0 {
		t.Errorf("heatmap %s: no pageviews; the test checks nothing", q.Page)
	}
}

// TestHeatRowsFollowReDerive merges later parts into sessions (which
// re-derives their facts and heat rows) and checks the heatmaps still
// agree with the reference over the facts read back.
func TestHeatRowsFollowReDerive(t *testing.T) {
	ctx := context.Background()
	db, facts := generatedWorkspace(t, 43, 60)
	for i := 0; i < len(facts); i += 7 {
		id := facts[i].Session.ID
		hdr, events, err := db.Replay(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		// The session's first page again, a minute after it ended: a new
		// pageview (and so new heat rows) after the re-derive.
		late := hdr
		late.Part = 1
		late.StartedAt = hdr.EndedAt.Add(time.Minute)
		late.EndedAt = late.StartedAt.Add(time.Second)
		meta := events[0]
		meta.Timestamp = late.StartedAt.UnixMilli()
		res, err := db.Import(ctx, late, []rrweb.Event{meta}, nil, id+"-late", "sha-late-"+id)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Merged {
			t.Fatalf("late part of %s did not merge", id)
		}
	}
	var reread []*core.Facts
	for _, f := range facts {
		got, err := db.Facts(ctx, f.Session.ID)
		if err != nil {
			t.Fatal(err)
		}
		reread = append(reread, got)
	}
	for _, q := range []heatmap.Query{{Page: "*", Kind: heatmap.Clicks}, {Page: "/products*", Kind: heatmap.Scroll, Device: "desktop"},
		{Page: "*", Kind: heatmap.Moves}} {
		checkHeatmap(t, db, q, reread, "after re-derive")
	}
}
