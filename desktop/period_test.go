package desktop

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/insight"
	"github.com/loupe-dev/loupe/core/workspace"
)

func TestViewsTakeAPeriodAndASegment(t *testing.T) {
	db := generatedWorkspace(t, 120)
	ctx := t.Context()
	from, to := time.Date(2026, 11, 4, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 8, 0, 0, 0, 0, time.UTC)
	want, err := db.Count(ctx, workspace.SessionQuery{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	all, err := db.Count(ctx, workspace.SessionQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if want == 0 || want == all {
		t.Fatalf("%d of %d sessions in the period; the test needs some in and some out", want, all)
	}

	s := NewSessions(db)
	page, err := s.List(SessionQuery{From: "2026-11-04", To: "2026-11-07"})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != want {
		t.Errorf("sessions 2026-11-04 to 2026-11-07: %d, want %d", page.Total, want)
	}
	for _, x := range page.Sessions {
		if x.StartedAt.Before(from) || !x.StartedAt.Before(to) {
			t.Errorf("%s started %v, outside the period", x.ID, x.StartedAt)
		}
	}
	if _, err := s.List(SessionQuery{From: "last tuesday"}); codeOfErr(err) != CodeInvalid {
		t.Errorf("a bad period: err %v, want invalid", err)
	}

	h := NewHeatmaps(db)
	whole, err := h.Get(HeatmapQuery{Page: "/*"})
	if err != nil {
		t.Fatal(err)
	}
	scoped, err := h.Get(HeatmapQuery{Page: "/*", Segment: "device = mobile", From: "2026-11-04", To: "2026-11-07"})
	if err != nil {
		t.Fatal(err)
	}
	mobile, err := db.Count(ctx, workspace.SessionQuery{From: from, To: to, Device: "mobile"})
	if err != nil {
		t.Fatal(err)
	}
	if scoped.Data.Sessions == 0 || scoped.Data.Sessions > mobile || scoped.Data.Sessions >= whole.Data.Sessions {
		t.Errorf("heatmap sessions: %d for mobile in the period (%d such sessions), %d in all", scoped.Data.Sessions, mobile, whole.Data.Sessions)
	}
}

// "Last week" narrows the count and travels in the address the sentence
// opens, as the period picker writes it.
func TestAskAppliesTheSentencesPeriod(t *testing.T) {
	db := generatedWorkspace(t, 120)
	a := NewAsk(db)
	a.now = func() time.Time { return time.Date(2026, 11, 12, 15, 0, 0, 0, time.UTC) } // a Thursday
	r, err := a.Read("mobile visitors last week")
	if err != nil {
		t.Fatal(err)
	}
	if r.Range == nil {
		t.Fatalf("no period read from %q: %+v", "last week", r)
	}
	mobile, err := a.Read("mobile visitors")
	if err != nil {
		t.Fatal(err)
	}
	if r.Count <= 0 || r.Count >= mobile.Count {
		t.Errorf("mobile visitors last week: %d, all mobile visitors %d; want fewer, not none", r.Count, mobile.Count)
	}
	q, err := a.Read("heatmap of the cart page last week")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(strings.TrimPrefix(q.Route, "#"))
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Query(); got.Get("from") != "2026-11-02" || got.Get("to") != "2026-11-08" {
		t.Errorf("route %q: want from=2026-11-02 and to=2026-11-08", q.Route)
	}
}

// "Explain this funnel" on a saved funnel: the scan explains its steps in
// the segment and period asked for.
func TestInsightsExplainASavedFunnel(t *testing.T) {
	db := generatedWorkspace(t, 800)
	steps := []string{"page:/products*", "page:/cart*", "page:/checkout*"}
	saved, err := NewFunnels(db).Save(FunnelQuery{Name: "Cart", Steps: steps})
	if err != nil || len(saved) != 1 {
		t.Fatalf("save: %v %v", saved, err)
	}
	from, to := time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	res, err := NewInsights(db).Scan(insightScan(saved[0].Steps, "device = desktop", from, to))
	if err != nil {
		t.Fatal(err)
	}
	want, err := db.Count(t.Context(), workspace.SessionQuery{From: from, To: to, Device: "desktop"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Report.Funnel, " ") != strings.Join(steps, " ") || res.Report.Sessions != want {
		t.Errorf("scan explained %v over %d sessions; want %v over the %d desktop sessions of the period", res.Report.Funnel, res.Report.Sessions, steps, want)
	}
	explained := false
	for _, d := range res.Drafts {
		if strings.HasPrefix(d.Finding.Key, "funnel_step:") {
			explained = true
		}
	}
	if !explained {
		t.Errorf("no finding on the funnel's steps among %d drafts: %+v %+v", len(res.Drafts), res.Report, res.Drafts)
	}
}

func insightScan(steps []string, seg string, from, to time.Time) insight.ScanRequest {
	return insight.ScanRequest{Segment: seg, From: from, To: to, Funnel: steps}
}
