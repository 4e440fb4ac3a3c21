package insight

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/insight/reword"
	"github.com/loupe-dev/loupe/core/workspace"
)

// plantedWorkspace is a real workspace file holding generated sessions
// with mobile visitors dropping at /checkout three times as often.
func plantedWorkspace(t *testing.T, n int) (*workspace.DB, []generate.Session) {
	t.Helper()
	ctx := context.Background()
	db, err := workspace.Open(ctx, filepath.Join(t.TempDir(), "insights.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ss := generate.Sessions(generate.Options{Seed: 7, Sessions: n, NoEvents: true, Effects: generate.Effects{MobileCheckoutDrop: 3}})
	b, err := db.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		if _, err := b.Add(s.Header, s.Events, s.Facts, "", ""); err != nil {
			t.Fatalf("import %s: %v", s.Header.Session, err)
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	return db, ss
}

func TestWorkspaceScanDraftsAndMarkdown(t *testing.T) {
	ctx := context.Background()
	db, _ := plantedWorkspace(t, 2500)
	r, err := ScanWorkspace(ctx, db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Sessions != 2500 {
		t.Fatalf("scanned %d sessions, want 2500", r.Sessions)
	}
	if len(r.Findings) == 0 || r.Findings[0].Key != "drop_segment:page:/checkout:device=mobile" {
		t.Fatalf("top finding from the workspace = %+v, want the mobile drop at /checkout", r.Findings)
	}
	if err := SaveDrafts(ctx, db, r); err != nil {
		t.Fatal(err)
	}
	drafts, err := Drafts(ctx, db, false)
	if err != nil || len(drafts) != len(r.Findings) {
		t.Fatalf("Drafts = %d, %v; want %d", len(drafts), err, len(r.Findings))
	}
	top := drafts[0]
	if top.Finding.Key != r.Findings[0].Key || top.Title != r.Findings[0].Title {
		t.Fatalf("first draft %q, want %q", top.Title, r.Findings[0].Title)
	}
	// Edit, rescan, and the analyst's words stay while the evidence updates.
	if err := db.EditInsightDraft(ctx, top.ID, "Phones struggle at checkout", "Our own words."); err != nil {
		t.Fatal(err)
	}
	if err := SaveDrafts(ctx, db, r); err != nil {
		t.Fatal(err)
	}
	drafts, _ = Drafts(ctx, db, false)
	if drafts[0].Title != "Phones struggle at checkout" || drafts[0].Body != "Our own words." || !drafts[0].Edited {
		t.Errorf("edited draft after rescan = %+v", drafts[0])
	}
	if len(drafts) != len(r.Findings) {
		t.Errorf("rescan made %d drafts, want %d (no copies)", len(drafts), len(r.Findings))
	}
	if err := db.DismissInsightDraft(ctx, drafts[1].ID, true); err != nil {
		t.Fatal(err)
	}
	if after, _ := Drafts(ctx, db, false); len(after) != len(drafts)-1 {
		t.Errorf("after dismissing one: %d drafts, want %d", len(after), len(drafts)-1)
	}

	var md bytes.Buffer
	if err := WriteMarkdown(&md, r, drafts, ""); err != nil {
		t.Fatal(err)
	}
	out := md.String()
	for _, want := range []string{"# Insights", "## Phones struggle at checkout", "Our own words.",
		"](#/sessions/" + drafts[0].Finding.Evidence.Samples[0].Session + "?t=", "segment: `device = mobile`"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

func TestRewordSendsNoIdentities(t *testing.T) {
	fs := generate.Facts(generate.Options{Seed: 7, Sessions: 3000, Effects: generate.Effects{MobileCheckoutDrop: 3}})
	r := Scan(fs, Options{})
	drafts := DraftsOf(r)
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		raw, _ := io.ReadAll(req.Body)
		bodies = append(bodies, string(raw))
		var cr struct {
			Messages []struct{ Content string } `json:"messages"`
		}
		json.Unmarshal(raw, &cr)
		// Echo the brief's numbers back in a sentence, as a faithful model would.
		var b struct {
			Figures []struct{ Value float64 } `json:"figures"`
		}
		json.Unmarshal([]byte(cr.Messages[len(cr.Messages)-1].Content), &b)
		var nums []string
		for _, f := range b.Figures {
			nums = append(nums, reword.Number(f.Value))
		}
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{
			"message": map[string]string{"role": "assistant", "content": "Reworded: " + strings.Join(nums, ", ") + "."}}}})
	}))
	defer srv.Close()
	n := Reword(context.Background(), reword.New(reword.Config{URL: srv.URL}), drafts)
	if n == 0 || !strings.HasPrefix(drafts[0].Body, "Reworded: ") {
		t.Fatalf("reworded %d drafts; first body %q", n, drafts[0].Body)
	}
	for _, body := range bodies {
		for _, f := range fs {
			if strings.Contains(body, f.Session.ID) || strings.Contains(body, f.Session.Visitor) {
				t.Fatalf("the model was sent an identity (%s / %s)", f.Session.ID, f.Session.Visitor)
			}
		}
		if strings.Contains(body, "?") && strings.Contains(body, "=") && strings.Contains(body, "http") {
			t.Errorf("the model may have been sent a URL with a query: %s", body)
		}
	}
}

func TestService(t *testing.T) {
	ctx := context.Background()
	db, _ := plantedWorkspace(t, 2000)
	svc := Service{DB: db}
	if _, _, err := svc.Scan(ctx, ScanRequest{Segment: "device =="}); err == nil {
		t.Error("a bad segment was accepted")
	}
	rep, drafts, err := svc.Scan(ctx, ScanRequest{})
	if err != nil || len(drafts) == 0 || len(drafts) != len(rep.Findings) {
		t.Fatalf("Scan = %d drafts of %d findings, %v", len(drafts), len(rep.Findings), err)
	}
	if err := svc.Edit(ctx, drafts[0].ID, "Edited title", "Edited body."); err != nil {
		t.Fatal(err)
	}
	if err := svc.Dismiss(ctx, drafts[1].ID, true); err != nil {
		t.Fatal(err)
	}
	_, again, err := svc.Scan(ctx, ScanRequest{})
	if err != nil || len(again) != len(drafts)-1 || again[0].Title != "Edited title" {
		t.Fatalf("rescan: %d drafts (want %d), first %q, err %v", len(again), len(drafts)-1, again[0].Title, err)
	}
	md, err := svc.Markdown(ctx)
	if err != nil || !strings.Contains(md, "## Edited title") || strings.Contains(md, "## "+mdEscape(drafts[1].Title)+"\n") {
		t.Errorf("markdown export wrong (err %v):\n%s", err, md)
	}
	if err := svc.Edit(ctx, 99999, "x", "y"); !errors.Is(err, workspace.ErrNotFound) {
		t.Errorf("editing a missing draft: %v, want ErrNotFound", err)
	}
}
