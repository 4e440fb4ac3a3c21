package desktop

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/alert"
	"github.com/loupe-dev/loupe/core/workspace"
)

// longPeriod covers the fixtures' recording dates from today.
const longPeriod = alert.Duration(20 * 365 * 24 * time.Hour)

type heard struct {
	mu     sync.Mutex
	events []workspace.AlertEvent
}

func (h *heard) notify(e workspace.AlertEvent) {
	h.mu.Lock()
	h.events = append(h.events, e)
	h.mu.Unlock()
}
func (h *heard) count() int { h.mu.Lock(); defer h.mu.Unlock(); return len(h.events) }

func TestAlertsFireOnceAndAreSeen(t *testing.T) {
	db := newWorkspace(t) // 3 sessions
	var h heard
	a := NewAlerts(db, h.notify)
	rules, err := a.Save(alert.Rule{Name: " Busy ", Metric: alert.Sessions, Condition: alert.Above, Threshold: 2, Period: longPeriod, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 1 || rules[0].Name != "Busy" || rules[0].ID == 0 || rules[0].Firing {
		t.Fatalf("rules = %+v", rules)
	}
	id := rules[0].ID
	for i, want := range []int{1, 0, 0} {
		fired, err := a.Check()
		if err != nil {
			t.Fatalf("check %d: %v", i+1, err)
		}
		if len(fired) != want {
			t.Errorf("check %d fired %d, want %d (%+v)", i+1, len(fired), want, fired)
		}
	}
	if h.count() != 1 {
		t.Errorf("notifier heard %d alerts, want 1", h.count())
	}
	n, err := a.Notices()
	if err != nil || n.Unseen != 1 || len(n.Events) != 1 || n.Events[0].RuleName != "Busy" || n.Events[0].Kind != "fired" {
		t.Fatalf("notices = %+v, %v; want one unseen Busy", n, err)
	}
	if err := a.MarkSeen(n.Events[0].ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := a.Notices(); n.Unseen != 0 {
		t.Errorf("after MarkSeen: %d unseen, want 0", n.Unseen)
	}
	hist, err := a.History(0)
	if err != nil || len(hist) != 1 || !hist[0].Seen || hist[0].Value != 3 {
		t.Errorf("history = %+v, %v; want one seen entry of value 3", hist, err)
	}
	if rules, _ := a.Rules(); !rules[0].Firing {
		t.Error("rule not shown as firing")
	}

	// Editing the threshold above the data resolves it; switching it off
	// stops checks altogether.
	r := rules[0].Rule
	r.Threshold = 10
	if _, err := a.Save(r); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Check(); err != nil {
		t.Fatal(err)
	}
	if hist, _ := a.History(0); len(hist) != 2 || hist[0].Kind != "resolved" {
		t.Errorf("after raising the threshold: %+v, want a resolved entry on top", hist)
	}
	if rules, err := a.SetEnabled(id, false); err != nil || rules[0].Enabled {
		t.Fatalf("SetEnabled(false) = %+v, %v", rules, err)
	}
	if _, err := a.SetEnabled(999, true); codeOfErr(err) != CodeNotFound {
		t.Errorf("SetEnabled(unknown) = %v, want not_found", err)
	}
	if rules, err := a.Delete(id); err != nil || len(rules) != 0 {
		t.Errorf("Delete = %+v, %v", rules, err)
	}
	if _, err := a.Delete(id); codeOfErr(err) != CodeNotFound {
		t.Errorf("second Delete = %v, want not_found", err)
	}
}

func TestAlertsRejectBadRules(t *testing.T) {
	a := NewAlerts(newWorkspace(t), nil)
	for _, tc := range []struct {
		name string
		rule alert.Rule
	}{
		{"no name", alert.Rule{Metric: alert.Sessions, Condition: alert.Above}},
		{"unknown metric", alert.Rule{Name: "x", Metric: "weather", Condition: alert.Above}},
		{"conversion with one step", alert.Rule{Name: "x", Metric: alert.Conversion, Funnel: []string{"page:/a"}, Condition: alert.Below}},
		{"bad segment", alert.Rule{Name: "x", Metric: alert.SegmentCount, Segment: "device = = (", Condition: alert.Above}},
		{"change of zero", alert.Rule{Name: "x", Metric: alert.Sessions, Condition: alert.RisesBy}},
	} {
		if _, err := a.Save(tc.rule); codeOfErr(err) != CodeInvalid {
			t.Errorf("%s: Save = %v, want invalid", tc.name, err)
		}
	}
	if rules, _ := a.Rules(); len(rules) != 0 {
		t.Errorf("bad rules were stored: %+v", rules)
	}
}

// Dropping files on the window is a sync: a rule the new sessions make
// hold fires, once, and the window hears it.
func TestImportEvaluatesAlerts(t *testing.T) {
	db := newWorkspace(t) // 3 sessions
	var h heard
	if _, err := NewAlerts(db, nil).Save(alert.Rule{Name: "Four", Metric: alert.Sessions, Condition: alert.Above, Threshold: 3, Period: longPeriod, Enabled: true}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join("testdata", "scroll.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := NewSync(db, h.notify)
	for i, name := range []string{"again-1.json", "again-2.json"} {
		if _, err := s.ImportFiles([]DroppedFile{{Name: name, Base64: base64.StdEncoding.EncodeToString(raw)}}); err != nil {
			t.Fatalf("import %d: %v", i+1, err)
		}
	}
	if h.count() != 1 {
		t.Fatalf("heard %d alerts after two imports, want 1", h.count())
	}
	if got := h.events[0].Trigger; got != alert.TriggerSync {
		t.Errorf("trigger %q, want %q", got, alert.TriggerSync)
	}
}

// While the app runs, rules are checked on a schedule; a rule that holds
// is heard once however many rounds pass.
func TestWatchAlertsNotifiesOnce(t *testing.T) {
	db := newWorkspace(t)
	if _, err := NewAlerts(db, nil).Save(alert.Rule{Name: "Busy", Metric: alert.Sessions, Condition: alert.Above, Threshold: 1, Period: longPeriod, Enabled: true}); err != nil {
		t.Fatal(err)
	}
	var h heard
	life := NewLife(t.Context())
	defer life.Close()
	if err := WatchAlerts(life, db, 10*time.Millisecond, h.notify, func(err error) { t.Errorf("round failed: %v", err) }); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for h.count() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	// Let several more rounds pass.
	time.Sleep(100 * time.Millisecond)
	life.Close() // the round in progress ends before the history is read
	if h.count() != 1 {
		t.Errorf("heard %d alerts, want 1", h.count())
	}
	if hist, _ := db.AlertHistory(t.Context(), 0, 0); len(hist) != 1 || hist[0].Trigger != alert.TriggerSchedule {
		t.Errorf("history = %+v, want one scheduled entry", hist)
	}
}
