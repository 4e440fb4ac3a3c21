package metric_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/alert"
	"github.com/loupe-dev/loupe/core/dashboard"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/metric"
	"github.com/loupe-dev/loupe/core/report"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// seeded imports generated sessions with planted errors into a fresh
// workspace file and returns it with the facts as generated.
func seeded(t *testing.T, n int) (*workspace.DB, []*core.Facts) {
	t.Helper()
	ctx := context.Background()
	db, err := workspace.Open(ctx, filepath.Join(t.TempDir(), "ws.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var facts []*core.Facts
	err = generate.Each(generate.Options{Seed: 11, Sessions: n, NoEvents: true, Effects: generate.Effects{CheckoutErrorRate: 0.3}},
		func(_ int, s generate.Session) error {
			facts = append(facts, s.Facts)
			_, err := db.Import(ctx, s.Header, nil, s.Facts, "", "")
			return err
		})
	if err != nil {
		t.Fatal(err)
	}
	return db, facts
}

// Every consumer of a metric — the dashboard's cards, the alerts' measure,
// the report built from facts loaded back, and the Go definition over the
// facts as generated — gets the same number on one workspace, for all
// sessions and for a segment.
func TestEveryConsumerCountsTheSameMetrics(t *testing.T) {
	ctx := context.Background()
	db, facts := seeded(t, 600)
	from, to := facts[0].Session.StartedAt, facts[0].Session.StartedAt
	for _, f := range facts {
		from, to = minTime(from, f.Session.StartedAt), maxTime(to, f.Session.StartedAt)
	}
	to = to.Add(time.Millisecond) // periods end exclusive

	for _, scope := range []string{"", "device = mobile"} {
		t.Run("segment "+scope, func(t *testing.T) {
			var e segment.Expr
			in := facts
			if scope != "" {
				e = segment.MustParse(scope)
				in = nil
				for _, f := range facts {
					if segment.Eval(e, f) {
						in = append(in, f)
					}
				}
			}
			want := metric.CountFacts(in)
			if want.Sessions == 0 || want.Errored == 0 || want.Bounced == 0 || want.Errored == want.Sessions {
				t.Fatalf("seed gives a degenerate scope: %+v", want)
			}

			got, err := db.Counts(ctx, workspace.SessionQuery{Segment: e}, from, to)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("workspace counts %+v, Go definitions %+v", got, want)
			}

			// The dashboard's cards, over a period that holds every session.
			card, err := dashboard.Data(ctx, db, dashboard.Card{Kind: "error_rate", Segment: scope}, 366)
			if err != nil {
				t.Fatal(err)
			}
			dash := card.Current
			if dash.Sessions != want.Sessions || dash.Visitors != want.Visitors {
				t.Errorf("dashboard sessions %d visitors %d, want %d %d", dash.Sessions, dash.Visitors, want.Sessions, want.Visitors)
			}
			if dash.ErrorRate != want.ErrorRate() || dash.BounceRate != want.BounceRate() || dash.RageRate != want.RageRate() {
				t.Errorf("dashboard rates error %v bounce %v rage %v, want %v %v %v",
					dash.ErrorRate, dash.BounceRate, dash.RageRate, want.ErrorRate(), want.BounceRate(), want.RageRate())
			}

			for m, rate := range map[alert.Metric]float64{alert.ErrorRate: want.ErrorRate(), alert.RageRate: want.RageRate()} {
				v, err := alert.WorkspaceSource{DB: db}.Measure(ctx, alert.Rule{Name: "x", Metric: m, Segment: scope}, from, to)
				if err != nil {
					t.Fatal(err)
				}
				if v != 100*rate {
					t.Errorf("alert %s = %v, want %v", m, v, 100*rate)
				}
			}

			page, err := report.Build(ctx, db, report.Options{Segment: e, Now: to})
			if err != nil {
				t.Fatal(err)
			}
			shown := map[string]string{}
			for _, n := range page.Numbers {
				shown[n.Label] = n.Value
			}
			for label, rate := range map[string]float64{"Error rate": want.ErrorRate(), "Bounce rate": want.BounceRate(), "Rage-click rate": want.RageRate()} {
				if w := fmt.Sprintf("%.1f%%", 100*rate); shown[label] != w {
					t.Errorf("report %s = %q, want %q", label, shown[label], w)
				}
			}
			if shown["Sessions"] != fmt.Sprint(want.Sessions) {
				t.Errorf("report sessions = %q, want %d", shown["Sessions"], want.Sessions)
			}
		})
	}
}

// A report of the last N days covers the sessions a dashboard of N days
// shows, and gives the same numbers.
func TestReportPeriodIsTheDashboardPeriod(t *testing.T) {
	ctx := context.Background()
	db, _ := seeded(t, 600)
	card, err := dashboard.Data(ctx, db, dashboard.Card{Kind: "error_rate"}, 7)
	if err != nil {
		t.Fatal(err)
	}
	cur := card.Current
	if cur.Sessions == 0 || cur.Sessions == 600 {
		t.Fatalf("a 7-day period holds %d of 600 sessions; the seed should spread them wider", cur.Sessions)
	}
	page, err := report.Build(ctx, db, report.Options{Days: 7, Now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]string{}
	for _, n := range page.Numbers {
		shown[n.Label] = n.Value
	}
	if shown["Sessions"] != fmt.Sprint(cur.Sessions) || shown["Error rate"] != fmt.Sprintf("%.1f%%", 100*cur.ErrorRate) {
		t.Errorf("report of 7 days shows %s sessions, error rate %s; the dashboard %d, %.1f%%",
			shown["Sessions"], shown["Error rate"], cur.Sessions, 100*cur.ErrorRate)
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
