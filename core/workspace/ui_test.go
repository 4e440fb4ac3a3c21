package workspace

import (
	"errors"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/generate"
)

func TestUIQueriesOnEmptyWorkspace(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	if _, ok, err := db.LatestStart(ctx); err != nil || ok {
		t.Errorf("LatestStart on empty = ok %v, err %v; want false, nil", ok, err)
	}
	st, err := db.PeriodStats(ctx, SessionQuery{}, time.Unix(0, 0), time.Now())
	if err != nil || st.Sessions != 0 || st.BounceRate != 0 {
		t.Errorf("PeriodStats on empty = %+v, %v", st, err)
	}
	f, err := db.ListFacets(ctx)
	if err != nil || f.Total != 0 || f.Pages == nil {
		t.Errorf("ListFacets on empty = %+v, %v; want zero and empty lists", f, err)
	}
	if _, err := db.AddNote(ctx, Note{Session: "nope", Text: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("AddNote on a missing session = %v, want ErrNotFound", err)
	}
	if err := db.DeleteNote(ctx, 42); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteNote(42) = %v, want ErrNotFound", err)
	}
}

func TestUIQueriesAgreeWithFacts(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	b, err := db.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var sessions, bounced, withRage int
	pageviews := map[string]int{}
	err = generate.Each(generate.Options{Seed: 3, Sessions: 120}, func(i int, s generate.Session) error {
		sessions++
		if s.Facts.Session.Pageviews <= 1 {
			bounced++
		}
		if s.Facts.Session.RageClicks > 0 {
			withRage++
		}
		for _, p := range s.Facts.Pageviews {
			pageviews[p.Path]++
		}
		_, err := b.Add(s.Header, s.Events, s.Facts, "", "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	st, err := db.PeriodStats(ctx, SessionQuery{}, time.Unix(0, 0), time.Now().Add(10*365*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want float64
	}{
		{"sessions", float64(st.Sessions), float64(sessions)},
		{"bounce rate", st.BounceRate, float64(bounced) / float64(sessions)},
		{"rage rate", st.RageRate, float64(withRage) / float64(sessions)},
	}
	for _, tt := range tests {
		if d := tt.got - tt.want; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	top, err := db.TopPaths(ctx, 3)
	if err != nil || len(top) == 0 {
		t.Fatalf("TopPaths = %v, %v", top, err)
	}
	if top[0].Count != pageviews[top[0].Name] {
		t.Errorf("top page %s counted %d, facts say %d", top[0].Name, top[0].Count, pageviews[top[0].Name])
	}
	for _, r := range top {
		if r.Count > top[0].Count {
			t.Errorf("TopPaths not ordered: %v", top)
		}
	}
	days, err := db.SessionsPerDay(ctx, SessionQuery{}, time.Unix(0, 0), time.Now().Add(10*365*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range days {
		n += d.Sessions
	}
	if n != sessions {
		t.Errorf("sessions per day sum to %d, want %d", n, sessions)
	}
}
