package workspace

import (
	"context"
	"reflect"
	"testing"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/segment"
)

func sessionIDs(ss []core.Session) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

// TestSessionWindowsFromAnchors reads windows far down the list (served
// from page anchors) and wants exactly the rows of the whole list at those
// positions, for several sorts and filters, and again after an import.
func TestSessionWindowsFromAnchors(t *testing.T) {
	ctx := context.Background()
	db, _ := generatedWorkspace(t, 41, 2600)
	queries := []SessionQuery{
		{},
		{Sort: "started_at"},
		{Sort: "-duration_ms"},
		{Sort: "frustration_score"},
		{Sort: "-id"},
		{Device: "desktop"},
		{Segment: segment.MustParse(`visited "/products*" and not device = mobile`), Sort: "-pageviews"},
	}
	check := func(round string) {
		for _, q := range queries {
			all, err := db.Sessions(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) < 1200 {
				t.Fatalf("%s %+v: only %d sessions, the test needs more than one anchor", round, q, len(all))
			}
			for _, off := range []int{1000, 1001, 1999, 2000, len(all) - 3, len(all), len(all) + 500} {
				w := q
				w.Offset, w.Limit = off, 50
				got, err := db.Sessions(ctx, w)
				if err != nil {
					t.Fatal(err)
				}
				want := []string{}
				if off < len(all) {
					want = sessionIDs(all[off:min(off+50, len(all))])
				}
				if g := sessionIDs(got); !reflect.DeepEqual(g, want) {
					t.Fatalf("%s %+v offset %d: got %d rows %v..., want %d %v...", round, q, off, len(g), g[:min(2, len(g))], len(want), want[:min(2, len(want))])
				}
			}
		}
	}
	check("first")
	b, err := db.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = generate.Each(generate.Options{Seed: 42, Sessions: 700}, func(_ int, s generate.Session) error {
		s.Header.Session += "-more"
		s.Facts.Session.ID = s.Header.Session
		_, err := b.Add(s.Header, s.Events, s.Facts, s.Header.Session, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	check("after an import")
}
