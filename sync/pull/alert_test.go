package pull

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/alert"
	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/sync/source"
)

// A sync that brings new data evaluates the alert rules; a rule fires once
// when it starts to hold, not again on the next sync while it still holds.
func TestSyncEvaluatesAlerts(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	db := openWorkspace(t)
	if _, err := alert.Save(ctx, db, alert.Rule{Name: "busy day", Metric: alert.Sessions, Condition: alert.Above, Threshold: 2, Enabled: true}); err != nil {
		t.Fatal(err)
	}
	srv := fakeCollector(t, st, "tok")
	src, err := source.Open(ctx, srv.URL, "tok")
	if err != nil {
		t.Fatal(err)
	}
	put := func(i int) {
		sess := fmt.Sprintf("s_alert%03d", i)
		b, sum := makeArchive(t, sess, 0, 1, time.Now().Add(-time.Hour+time.Duration(i)*time.Minute))
		if err := st.Put(ctx, fmt.Sprintf("k/%05d-%s.loupe", i, sess), bytes.NewReader(b), int64(len(b)), sum); err != nil {
			t.Fatal(err)
		}
	}
	opts := Options{Source: source.Name(srv.URL)}
	for _, step := range []struct {
		add        []int
		wantAlerts int
	}{
		{add: []int{0, 1}, wantAlerts: 0}, // 2 sessions: not above 2
		{add: []int{2}, wantAlerts: 1},    // 3: crosses
		{add: []int{3, 4}, wantAlerts: 0}, // still above: no repeat
		{add: nil, wantAlerts: 0},         // nothing new: not evaluated
	} {
		for _, i := range step.add {
			put(i)
		}
		rep, err := Sync(ctx, src, db, opts)
		if err != nil {
			t.Fatalf("Sync: %v", err)
		}
		if rep.AlertError != "" {
			t.Fatalf("alert error: %s", rep.AlertError)
		}
		if len(rep.Alerts) != step.wantAlerts {
			t.Errorf("after adding %v: %d alerts fired (%+v), want %d", step.add, len(rep.Alerts), rep.Alerts, step.wantAlerts)
		}
	}
}

// Saved tag rules tag sessions that arrive after the rule was saved.
func TestSyncAppliesTagRules(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	db := openWorkspace(t)
	expr, err := workspace.ParseSegment("clicks >= 3")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveTagRule(ctx, "busy hands", "busy", expr); err != nil {
		t.Fatal(err)
	}
	fill(t, st, 6) // sessions with 1, 2, 3, 1, 2, 3 clicks
	srv := fakeCollector(t, st, "tok")
	src, err := source.Open(ctx, srv.URL, "tok")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Sync(ctx, src, db, Options{Source: source.Name(srv.URL)}); err != nil {
		t.Fatal(err)
	}
	tagged, err := db.Sessions(ctx, workspace.SessionQuery{Tag: "busy"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range tagged {
		got = append(got, s.ID)
	}
	sort.Strings(got)
	want := []string{"s_00000002", "s_00000005"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sessions tagged by the rule: %v, want %v", got, want)
	}
}
