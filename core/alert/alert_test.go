package alert

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/workspace"
)

var t0 = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

func openWorkspace(t *testing.T) *workspace.DB {
	t.Helper()
	db, err := workspace.Open(context.Background(), filepath.Join(t.TempDir(), "ws.db"))
	if err != nil {
		t.Fatalf("open workspace: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// sessionSpec is one synthetic session for a scripted sync.
type sessionSpec struct {
	at    time.Time
	err   bool
	rage  bool
	pages []string
}

var seq int

// sync imports sessions the way a sync does, then evaluates the rules as
// sync does, returning the events that fired.
func syncAndEvaluate(t *testing.T, db *workspace.DB, now time.Time, specs ...sessionSpec) []workspace.AlertEvent {
	t.Helper()
	ctx := context.Background()
	for _, s := range specs {
		seq++
		id := fmt.Sprintf("s_alert%04d", seq)
		f := &core.Facts{Session: core.Session{ID: id, Site: "demo", Visitor: "v_" + id, StartedAt: s.at,
			DurationMS: 60000, Device: core.DeviceDesktop, Browser: "Chrome", OS: "Linux", Country: "DE",
			Tags: []string{}, MaxScrollPct: map[string]float64{}}}
		if s.err {
			f.Session.JSErrors = 1
			f.Errors = []core.JSError{{OffsetMS: 100, Path: "/", Message: "boom"}}
		}
		if s.rage {
			f.Session.RageClicks = 1
		}
		for i, p := range s.pages {
			f.Pageviews = append(f.Pageviews, core.Pageview{Index: i, URL: "https://shop.test" + p, Path: p,
				At: s.at.Add(time.Duration(i) * time.Second), OffsetMS: int64(i) * 1000, ScrollPct: -1})
		}
		f.Session.Pages, f.Session.Pageviews = s.pages, len(s.pages)
		hdr := archive.Header{Format: archive.FormatName, Version: archive.Version, Site: "demo", Session: id,
			Visitor: f.Session.Visitor, StartedAt: s.at, EndedAt: s.at.Add(time.Minute), Pages: s.pages}
		if _, err := db.Import(ctx, hdr, nil, f, "", ""); err != nil {
			t.Fatalf("import %s: %v", id, err)
		}
	}
	checks, err := AfterSync(ctx, db, now)
	if err != nil {
		t.Fatalf("AfterSync: %v", err)
	}
	return Fired(checks)
}

func many(n int, s sessionSpec) []sessionSpec {
	out := make([]sessionSpec, n)
	for i := range out {
		out[i] = s
		out[i].at = s.at.Add(time.Duration(i) * time.Minute)
	}
	return out
}

func mustSave(t *testing.T, db *workspace.DB, r Rule) int64 {
	t.Helper()
	id, err := Save(context.Background(), db, r)
	if err != nil {
		t.Fatalf("Save(%+v): %v", r, err)
	}
	return id
}

// TestErrorRateFiresOncePerCrossing runs a scripted sequence of syncs and
// checks the rule fires on each upward crossing and never while it stays
// above its threshold.
func TestErrorRateFiresOncePerCrossing(t *testing.T) {
	db := openWorkspace(t)
	id := mustSave(t, db, Rule{Name: "errors", Metric: ErrorRate, Condition: Above, Threshold: 30, Period: Duration(24 * time.Hour), Enabled: true})
	day := t0.Add(12 * time.Hour)
	steps := []struct {
		name     string
		add      []sessionSpec
		now      time.Time
		wantFire int
	}{
		{"10% errors", append(many(9, sessionSpec{at: t0.Add(time.Hour)}), sessionSpec{at: t0.Add(2 * time.Hour), err: true}), day, 0},
		{"rises to 45%", many(10, sessionSpec{at: t0.Add(3 * time.Hour), err: true}), day, 1},
		{"same data, synced again", nil, day, 0},
		{"still above (56%)", many(5, sessionSpec{at: t0.Add(4 * time.Hour), err: true}), day, 0},
		{"falls to 18%", many(50, sessionSpec{at: t0.Add(5 * time.Hour)}), day, 0},
		{"rises again (43%)", many(40, sessionSpec{at: t0.Add(6 * time.Hour), err: true}), day, 1},
	}
	total := 0
	for _, s := range steps {
		fired := syncAndEvaluate(t, db, s.now, s.add...)
		if len(fired) != s.wantFire {
			t.Errorf("%s: fired %d, want %d (%+v)", s.name, len(fired), s.wantFire, fired)
		}
		total += len(fired)
	}
	hist, err := db.AlertHistory(context.Background(), id, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for i := len(hist) - 1; i >= 0; i-- {
		kinds = append(kinds, hist[i].Kind)
	}
	if got, want := fmt.Sprint(kinds), "[fired resolved fired]"; got != want {
		t.Errorf("history = %s, want %s", got, want)
	}
	if total != 2 {
		t.Errorf("fired %d times in all, want 2", total)
	}
}

// scripted returns the next value on each Measure call.
type scripted struct {
	mu     sync.Mutex
	values []float64
	prev   float64 // returned for the previous period of change rules
	i      int
}

func (s *scripted) Measure(_ context.Context, _ Rule, from, to time.Time) (float64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if to.Before(stepNow(s.i)) { // the period before
		return s.prev, nil
	}
	v := s.values[s.i]
	s.i++
	return v, nil
}

func stepNow(i int) time.Time { return t0.Add(time.Duration(i) * time.Hour) }

func TestThresholdSequence(t *testing.T) {
	tests := []struct {
		name   string
		rule   Rule
		values []float64
		prev   float64
		want   string // per step: F fired, R resolved, . nothing
	}{
		{"sessions below 100", Rule{Metric: Sessions, Condition: Below, Threshold: 100},
			[]float64{150, 120, 90, 80, 99, 100, 130, 40}, 0, "..F..R.F"},
		{"rage rate above 5 percent", Rule{Metric: RageRate, Condition: Above, Threshold: 5},
			[]float64{5, 5.1, 6, 4.9, 5, 5.01}, 0, ".F.R.F"},
		{"sessions fall by half vs the period before", Rule{Metric: Sessions, Condition: FallsBy, Threshold: 50},
			[]float64{100, 60, 50, 49, 20, 51}, 100, "..F..R"},
		{"sessions rise by a fifth", Rule{Metric: Sessions, Condition: RisesBy, Threshold: 20},
			[]float64{110, 120, 150, 119}, 100, ".F.R"},
		{"change with an empty previous period never fires", Rule{Metric: Sessions, Condition: RisesBy, Threshold: 20},
			[]float64{0, 50, 500}, 0, "..."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openWorkspace(t)
			tt.rule.Name, tt.rule.Enabled = tt.name, true
			tt.rule.Period = Duration(time.Hour)
			mustSave(t, db, tt.rule)
			src := &scripted{values: tt.values, prev: tt.prev}
			got := ""
			for i := range tt.values {
				checks, err := Evaluate(context.Background(), db, src, stepNow(i), TriggerSchedule)
				if err != nil || len(checks) != 1 {
					t.Fatalf("step %d: %d checks, err %v", i, len(checks), err)
				}
				switch ev := checks[0].Event; {
				case ev == nil:
					got += "."
				case ev.Kind == "fired":
					got += "F"
				default:
					got += "R"
				}
			}
			if got != tt.want {
				t.Errorf("events = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestConcurrentEvaluationsFireOnce(t *testing.T) {
	db := openWorkspace(t)
	mustSave(t, db, Rule{Name: "traffic", Metric: Sessions, Condition: Above, Threshold: 0, Enabled: true})
	syncAndEvaluate(t, db, t0, sessionSpec{at: t0.Add(-time.Hour)}) // fires once here
	hist, _ := db.AlertHistory(context.Background(), 0, 0)
	if len(hist) != 1 {
		t.Fatalf("history has %d entries after the first sync, want 1", len(hist))
	}
	// Clear the state by resolving, then race several evaluations.
	if _, err := AfterSync(context.Background(), db, t0.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	fired := 0
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			checks, err := AfterSync(context.Background(), db, t0)
			if err != nil {
				t.Errorf("AfterSync: %v", err)
			}
			mu.Lock()
			fired += len(Fired(checks))
			mu.Unlock()
		}()
	}
	wg.Wait()
	if fired != 1 {
		t.Errorf("4 racing evaluations fired %d times, want 1", fired)
	}
}

func TestConversionAndSegmentRules(t *testing.T) {
	db := openWorkspace(t)
	mustSave(t, db, Rule{Name: "checkout conversion", Metric: Conversion, Funnel: []string{"page:/cart", "page:/thanks"},
		Condition: Below, Threshold: 50, Enabled: true})
	mustSave(t, db, Rule{Name: "errors on checkout", Metric: SegmentCount, Segment: `visited "/checkout*" and errors > 0`,
		Condition: Above, Threshold: 2, Enabled: true})
	now := t0.Add(20 * time.Hour)
	fired := syncAndEvaluate(t, db, now, append(
		many(6, sessionSpec{at: t0.Add(time.Hour), pages: []string{"/", "/cart", "/checkout", "/thanks"}}),
		many(4, sessionSpec{at: t0.Add(2 * time.Hour), pages: []string{"/", "/cart"}})...)...)
	if len(fired) != 0 {
		t.Fatalf("60%% conversion and no errors fired %+v", fired)
	}
	fired = syncAndEvaluate(t, db, now, many(5, sessionSpec{at: t0.Add(3 * time.Hour), err: true, pages: []string{"/cart", "/checkout"}})...)
	// conversion 6/15 = 40% < 50, and 5 sessions with errors on /checkout > 2
	if len(fired) != 2 {
		t.Fatalf("fired %d rules, want 2: %+v", len(fired), fired)
	}
	for _, ev := range fired {
		if ev.Message == "" || ev.Trigger != TriggerSync {
			t.Errorf("event %+v lacks a message or the sync trigger", ev)
		}
	}
}

func TestSchedule(t *testing.T) {
	db := openWorkspace(t)
	mustSave(t, db, Rule{Name: "quiet", Metric: Sessions, Condition: Below, Threshold: 1, Enabled: true})
	ctx, cancel := context.WithCancel(context.Background())
	notified := make(chan Check, 10)
	done := make(chan struct{})
	go func() {
		Schedule(ctx, db, 5*time.Millisecond, func() time.Time { return t0 }, func(c Check) { notified <- c }, func(err error) { t.Errorf("round: %v", err) })
		close(done)
	}()
	select {
	case c := <-notified:
		if c.Rule.Name != "quiet" || c.Event.Trigger != TriggerSchedule {
			t.Errorf("notified %+v", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no notification from the schedule")
	}
	time.Sleep(30 * time.Millisecond) // several more rounds: none may notify again
	cancel()
	<-done
	if n := len(notified); n != 0 {
		t.Errorf("%d more notifications while the rule kept holding, want 0", n)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		ok   bool
	}{
		{"sessions above", Rule{Name: "a", Metric: Sessions, Condition: Above, Threshold: 10}, true},
		{"no name", Rule{Metric: Sessions, Condition: Above}, false},
		{"unknown metric", Rule{Name: "a", Metric: "bounce", Condition: Above}, false},
		{"unknown condition", Rule{Name: "a", Metric: Sessions, Condition: "equals"}, false},
		{"segment count without segment", Rule{Name: "a", Metric: SegmentCount, Condition: Above}, false},
		{"bad segment", Rule{Name: "a", Metric: SegmentCount, Segment: "device ==", Condition: Above}, false},
		{"conversion with one step", Rule{Name: "a", Metric: Conversion, Funnel: []string{"page:/a"}, Condition: Below}, false},
		{"conversion with a bad step", Rule{Name: "a", Metric: Conversion, Funnel: []string{"page:/a", "hover:x"}, Condition: Below}, false},
		{"change of 0%", Rule{Name: "a", Metric: Sessions, Condition: FallsBy, Threshold: 0}, false},
	}
	for _, tt := range tests {
		err := tt.rule.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("%s: Validate() = %v, want ok %v", tt.name, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidRule) {
			t.Errorf("%s: error %v is not ErrInvalidRule", tt.name, err)
		}
	}
}

func TestRulesRoundTrip(t *testing.T) {
	db := openWorkspace(t)
	in := Rule{Name: "conv", Metric: Conversion, Funnel: []string{"page:/cart", "page:/thanks"}, Condition: FallsBy,
		Threshold: 25, Period: Duration(7 * 24 * time.Hour), Enabled: true, Segment: "device = mobile"}
	id := mustSave(t, db, in)
	rules, err := Rules(context.Background(), db)
	if err != nil || len(rules) != 1 {
		t.Fatalf("Rules = %v, %v", rules, err)
	}
	in.ID = id
	if got := rules[0]; fmt.Sprint(got) != fmt.Sprint(in) {
		t.Errorf("round trip\n got  %+v\n want %+v", got, in)
	}
}
