package desktop

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/loupe-dev/loupe/core/alert"
	"github.com/loupe-dev/loupe/core/archive"
	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/segment"
	"github.com/loupe-dev/loupe/core/workspace"
)

// generatedWorkspace holds n generated demo-shop sessions (plus the
// fixtures), for features that need volume (funnels, heatmaps, dashboards).
func generatedWorkspace(t *testing.T, n int) *workspace.DB {
	t.Helper()
	return fillGenerated(t, newWorkspace(t), n)
}

func generatedWorkspaceB(b *testing.B, n int) *workspace.DB {
	b.Helper()
	db, err := workspace.Open(b.Context(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return fillGenerated(b, db, n)
}

func fillGenerated(t testing.TB, db *workspace.DB, n int) *workspace.DB {
	t.Helper()
	b, err := db.BeginBatch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	err = generate.Each(generate.Options{Seed: 7, Sessions: n}, func(i int, s generate.Session) error {
		_, err := b.Add(s.Header, s.Events, s.Facts, "", "")
		return err
	})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	return db
}

func codeOfErr(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestFunnelsRunAndDropOffs(t *testing.T) {
	f := NewFunnels(generatedWorkspace(t, 150))
	q := FunnelQuery{Steps: []string{"page:/", "page:/cart", "page:/checkout"}}
	res, err := f.Run(q)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(res.Steps) != 3 || res.Steps[0].Count == 0 {
		t.Fatalf("steps = %+v, want 3 with people at step 1", res.Steps)
	}
	for i := 1; i < 3; i++ {
		if res.Steps[i].Count > res.Steps[i-1].Count {
			t.Errorf("step %d count %d > step %d count %d", i+1, res.Steps[i].Count, i, res.Steps[i-1].Count)
		}
	}
	if got := len(res.Dropped[0]); got != min(res.Steps[0].DroppedOff, droppedShown) {
		t.Errorf("dropped ids after step 1: %d, want %d", got, min(res.Steps[0].DroppedOff, droppedShown))
	}
	list, err := f.DroppedSessions(q, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != res.Steps[0].DroppedOff {
		t.Errorf("DroppedSessions = %d sessions, want %d", len(list), res.Steps[0].DroppedOff)
	}
	for _, bad := range []FunnelQuery{{}, {Steps: []string{"nonsense"}}, {Steps: []string{"page:/"}, Mode: "sideways"}} {
		if _, err := f.Run(bad); codeOfErr(err) != CodeInvalid {
			t.Errorf("Run(%+v) = %v, want code invalid", bad, err)
		}
	}
	if _, err := f.DroppedSessions(q, 7); codeOfErr(err) != CodeInvalid {
		t.Errorf("DroppedSessions(step 8) = %v, want invalid", err)
	}
}

func TestFunnelsSuggestAndSave(t *testing.T) {
	f := NewFunnels(generatedWorkspace(t, 60))
	sug, err := f.Suggestions()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, s := range sug {
		kinds[s.Kind] = true
	}
	if !kinds["page"] || !kinds["click"] || !kinds["event"] {
		t.Errorf("suggestion kinds %v, want page, click and event", kinds)
	}
	list, err := f.Save(FunnelQuery{Name: " Checkout ", Steps: []string{"page:/cart", "page:/checkout"}})
	if err != nil || len(list) != 1 || list[0].Name != "Checkout" {
		t.Fatalf("Save = %+v, %v", list, err)
	}
	if _, err := f.Save(FunnelQuery{Name: "", Steps: []string{"page:/"}}); codeOfErr(err) != CodeInvalid {
		t.Errorf("Save without a name = %v, want invalid", err)
	}
	if _, err := f.Delete("nope"); codeOfErr(err) != CodeNotFound {
		t.Errorf("Delete(nope) = %v, want not_found", err)
	}
	if list, err := f.Delete("Checkout"); err != nil || len(list) != 0 {
		t.Errorf("Delete = %+v, %v", list, err)
	}
}

func TestHeatmapsCarryASnapshot(t *testing.T) {
	h := NewHeatmaps(generatedWorkspace(t, 80))
	v, err := h.Get(HeatmapQuery{Page: "/products/*", Kind: "click"})
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if v.Data.Pageviews == 0 || len(v.Data.Points) == 0 {
		t.Fatalf("heatmap with %d pageviews, %d points; want some", v.Data.Pageviews, len(v.Data.Points))
	}
	if len(v.Snapshot) < 2 || v.Snapshot[0].Type != 4 || v.Snapshot[1].Type != 2 {
		t.Fatalf("snapshot starts %v, want Meta then FullSnapshot", v.Snapshot[:min(2, len(v.Snapshot))])
	}
	if v.Session == "" {
		t.Error("no session named for the snapshot")
	}
	if _, err := h.Get(HeatmapQuery{Page: "/", Kind: "sparkles"}); codeOfErr(err) != CodeInvalid {
		t.Errorf("unknown kind = %v, want invalid", err)
	}
	// The hostile page's snapshot arrives sanitized.
	hv, err := NewHeatmaps(newWorkspace(t)).Get(HeatmapQuery{Page: "/hostile"})
	if err != nil {
		t.Fatal(err)
	}
	raw := ""
	for _, e := range hv.Snapshot {
		raw += string(e.Data)
	}
	if bad := containsAny(raw, hostileMarker, "javascript:", "evil.example"); bad != "" || !strings.Contains(raw, "Hostile recording") {
		t.Errorf("hostile snapshot carries %q or lost its text", bad)
	}
}

func TestDashboardsCardsCompare(t *testing.T) {
	d := NewDashboards(generatedWorkspace(t, 120))
	dash, err := d.Get()
	if err != nil || dash.Template != "Executive" || len(dash.Cards) == 0 {
		t.Fatalf("Get = %+v, %v; want the Executive template", dash, err)
	}
	data, err := d.CardData(Card{Kind: "sessions"}, 7)
	if err != nil {
		t.Fatal(err)
	}
	if data.Current.Sessions == 0 || data.Current.Sessions+data.Previous.Sessions > 120 {
		t.Errorf("sessions %d now, %d before; want some, at most 120 in all", data.Current.Sessions, data.Previous.Sessions)
	}
	top, err := d.CardData(Card{Kind: "top_pages", Segment: "device = mobile"}, 30)
	if err != nil || len(top.Ranked) == 0 {
		t.Fatalf("top pages = %+v, %v", top.Ranked, err)
	}
	eng, err := d.UseTemplate("engineering")
	if err != nil || eng.Template != "Engineering" {
		t.Fatalf("UseTemplate = %+v, %v", eng, err)
	}
	if again, _ := d.Get(); again.Template != "Engineering" {
		t.Errorf("saved template %q, want Engineering", again.Template)
	}
	for _, bad := range []Dashboard{{Days: 0, Cards: []Card{{Kind: "sessions"}}}, {Days: 7, Cards: []Card{{Kind: "horoscope"}}}, {Days: 7, Cards: []Card{{Kind: "sessions", Segment: "(("}}}} {
		if _, err := d.Save(bad); codeOfErr(err) != CodeInvalid {
			t.Errorf("Save(%+v) = %v, want invalid", bad, err)
		}
	}
}

func TestSegmentsBothFormsAgree(t *testing.T) {
	s := NewSegments(newWorkspace(t))
	v, err := s.Parse(`visited "/hostile*"`)
	if err != nil {
		t.Fatal(err)
	}
	if v.Count != 1 || v.Total != 3 {
		t.Errorf("count %d of %d, want 1 of 3", v.Count, v.Total)
	}
	back, err := s.FromTree(v.Tree)
	if err != nil || back.Text != v.Text || back.Count != v.Count {
		t.Errorf("FromTree(Parse(x)) = %+v, %v; want %q with %d", back, err, v.Text, v.Count)
	}
	tree := segment.Node{Op: "and", Terms: []segment.Node{{Op: "cond", Field: "duration", Cmp: ">", Value: 3000.0}}}
	if v, err := s.FromTree(tree); err != nil || v.Count != 1 || !strings.Contains(v.Text, "duration") {
		t.Errorf("FromTree(duration > 3s) = %+v, %v", v, err)
	}
	if _, err := s.Parse("device = = ("); codeOfErr(err) != CodeInvalid {
		t.Errorf("bad text = %v, want invalid", err)
	}
	all, err := s.Parse("")
	if err != nil || all.Count != 3 {
		t.Errorf("empty segment = %+v, %v; want all 3", all, err)
	}
	if _, err := s.Save("Hostile", `visited "/hostile*"`); err != nil {
		t.Fatal(err)
	}
	if saved, _ := s.Saved(); len(saved) != 1 || saved[0].Name != "Hostile" {
		t.Errorf("saved = %+v", saved)
	}
}

func TestSettingsRoundTrip(t *testing.T) {
	s := NewSettings(newWorkspace(t))
	v, err := s.Get()
	if err != nil || v.Definitions.RageClicks != 3 || v.Workspace == "" {
		t.Fatalf("Get = %+v, %v", v, err)
	}
	d := v.Definitions
	d.RageClicks, d.DeadClickWindowMS = 4, 1500
	if _, err := s.SetDefinitions(d); err != nil {
		t.Fatal(err)
	}
	if err := s.SetTheme("dark"); err != nil {
		t.Fatal(err)
	}
	v, _ = s.Get()
	if v.Definitions.RageClicks != 4 || v.Definitions.DeadClickWindowMS != 1500 || v.Theme != "dark" {
		t.Errorf("after save: %+v theme %q", v.Definitions, v.Theme)
	}
	d.RageClicks = 0
	if _, err := s.SetDefinitions(d); codeOfErr(err) != CodeInvalid {
		t.Errorf("rage clicks 0 = %v, want invalid", err)
	}
	if err := s.SetTheme("neon"); codeOfErr(err) != CodeInvalid {
		t.Errorf("theme neon = %v, want invalid", err)
	}
}

func TestSyncImportsDroppedFiles(t *testing.T) {
	db := newWorkspace(t)
	s := NewSync(db, nil)
	raw, err := os.ReadFile(filepath.Join("..", "..", "shared", "corpus", "rrweb-fixtures", "hover.json"))
	if err != nil {
		raw, _ = os.ReadFile(filepath.Join("testdata", "scroll.json"))
	}
	res, err := s.ImportFiles([]DroppedFile{
		{Name: "../../etc/dropped-hover.json", Base64: base64.StdEncoding.EncodeToString(raw)},
		{Name: "junk.json", Base64: base64.StdEncoding.EncodeToString([]byte("{not json"))},
	})
	if err != nil {
		t.Fatalf("ImportFiles: %v", err)
	}
	if len(res) != 2 || res[0].Status != "imported" || res[0].Session != "dropped-hover" || res[1].Status != "failed" {
		t.Fatalf("results = %+v; want the export imported as dropped-hover and the junk failed", res)
	}
	if _, err := db.Session(t.Context(), "dropped-hover"); err != nil {
		t.Errorf("imported session missing: %v", err)
	}
	if _, err := s.ImportFiles([]DroppedFile{{Name: "x.json", Base64: "***"}}); codeOfErr(err) != CodeInvalid {
		t.Errorf("bad base64 = %v, want invalid", err)
	}
	if _, err := s.Start("", ""); codeOfErr(err) != CodeInvalid {
		t.Errorf("Start without address = %v, want invalid", err)
	}
}

func TestSyncFromFolderReportsProgress(t *testing.T) {
	db := newWorkspace(t) // 3 sessions
	// The fourth session, synced, makes this rule fire; the window hears it.
	if _, err := alert.Save(t.Context(), db, alert.Rule{Name: "Four", Metric: alert.Sessions, Condition: alert.Above,
		Threshold: 3, Period: alert.Duration(20 * 365 * 24 * time.Hour), Enabled: true}); err != nil {
		t.Fatal(err)
	}
	var h heard
	s := NewSync(db, h.notify)
	dir := t.TempDir()
	events := readFixture(t, "scroll")
	f, err := os.Create(filepath.Join(dir, "copied.loupe"))
	if err != nil {
		t.Fatal(err)
	}
	w, err := archive.NewWriter(f, archive.Header{Format: archive.FormatName, Version: archive.Version, Site: "usb",
		Session: "from-folder", Visitor: "v_usb", StartedAt: time.UnixMilli(events[0].Timestamp).UTC(),
		EndedAt: time.UnixMilli(events[len(events)-1].Timestamp).UTC()})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		b, _ := json.Marshal(e)
		if err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := s.Start(dir, ""); err != nil {
		t.Fatalf("Start: %v", err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, _ := s.Status()
		if !st.Running {
			if st.Error != nil || st.Report == nil || st.Report.Imported != 1 || st.Progress.Done != 1 {
				t.Fatalf("sync of a folder with one archive: %+v", st)
			}
			if len(st.Report.Alerts) != 1 || !strings.HasPrefix(st.Report.Alerts[0].Message, "Four: sessions rose above 3 to 4 over the last 7300 days") {
				t.Errorf("sync report alerts = %+v, want Four firing in plain words", st.Report.Alerts)
			}
			if h.count() != 1 {
				t.Errorf("notifier heard %d alerts, want 1", h.count())
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("sync did not finish")
		}
		time.Sleep(20 * time.Millisecond)
	}
	v, err := s.Sources()
	if err != nil || len(v.History) != 1 || v.History[0].Imported != 1 || v.History[0].Source == "" {
		t.Errorf("history = %+v, %v; want the folder sync with one import", v.History, err)
	}
	if _, err := db.Session(t.Context(), "from-folder"); err != nil {
		t.Errorf("synced session missing: %v", err)
	}
}

func TestStartupView(t *testing.T) {
	for _, tt := range []struct{ in, want string }{{"#/sessions/x?t=5", "#/sessions/x?t=5"}, {"javascript:alert(1)", ""}, {"", ""}} {
		if got, _ := NewStartup(tt.in).View(); got != tt.want {
			t.Errorf("NewStartup(%q).View() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSessionsTags(t *testing.T) {
	s := NewSessions(newWorkspace(t))
	got, err := s.Tag("scroll", " Flagged ")
	if err != nil || !slicesContains(got.Tags, FlagTag) {
		t.Fatalf("Tag = %+v, %v; want the flagged tag", got.Tags, err)
	}
	page, err := s.List(SessionQuery{Tag: FlagTag})
	if err != nil || page.Total != 1 || page.Sessions[0].ID != "scroll" {
		t.Errorf("List(tag flagged) = %+v, %v", page, err)
	}
	f, _ := s.Facets()
	if !slicesContains(f.Tags, FlagTag) {
		t.Errorf("facet tags %v lack flagged", f.Tags)
	}
	for _, bad := range []string{"", "<script>", strings.Repeat("x", 41)} {
		if _, err := s.Tag("scroll", bad); codeOfErr(err) != CodeInvalid {
			t.Errorf("Tag(%q) = %v, want invalid", bad, err)
		}
	}
	if _, err := s.Tag("nope", "x"); codeOfErr(err) != CodeNotFound {
		t.Errorf("Tag on a missing session = %v, want not_found", err)
	}
	got, err = s.Untag("scroll", FlagTag)
	if err != nil || slicesContains(got.Tags, FlagTag) {
		t.Errorf("Untag = %+v, %v", got.Tags, err)
	}
}

func slicesContains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
