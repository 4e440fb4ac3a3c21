package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/workspace"
)

// plantedWorkspaceFile writes a workspace of generated sessions where
// mobile visitors drop off at /checkout three times as often.
func plantedWorkspaceFile(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ws.db")
	db, err := workspace.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	b, err := db.BeginBatch(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range generate.Sessions(generate.Options{Seed: 7, Sessions: 2000, NoEvents: true, Effects: generate.Effects{MobileCheckoutDrop: 3}}) {
		if _, err := b.Add(s.Header, s.Events, s.Facts, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestInsightsCommand(t *testing.T) {
	ws := plantedWorkspaceFile(t)
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"insights", "--workspace", ws, "--json"}, &out, &errOut); err != nil {
		t.Fatalf("insights --json: %v\n%s", err, errOut.String())
	}
	var got struct {
		Sessions int      `json:"sessions"`
		Funnel   []string `json:"funnel"`
		Findings []struct {
			Key         string `json:"key"`
			Significant bool   `json:"significant"`
		} `json:"findings"`
		Drafts []struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"drafts"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("--json output is not JSON: %v", err)
	}
	if got.Sessions != 2000 || len(got.Findings) == 0 || got.Findings[0].Key != "drop_segment:page:/checkout:device=mobile" {
		t.Fatalf("--json: %d sessions, findings %+v", got.Sessions, got.Findings)
	}
	if len(got.Drafts) != len(got.Findings) || got.Drafts[0].ID == 0 {
		t.Errorf("drafts not saved: %+v", got.Drafts)
	}

	out.Reset()
	if err := run(ctx, []string{"insights", "--workspace", ws, "--md", "--ask", "mobile visitors"}, &out, &errOut); err != nil {
		t.Fatalf("insights --md: %v", err)
	}
	if !strings.HasPrefix(out.String(), "# Insights") || !strings.Contains(errOut.String(), "I read this as: sessions on mobile") {
		t.Errorf("--md --ask output:\n%s\nstderr:\n%s", out.String(), errOut.String())
	}

	err := run(ctx, []string{"insights", "--workspace", ws, "--json", "--md"}, &out, &errOut)
	if !errors.Is(err, errUsage) {
		t.Errorf("--json with --md: err %v, want a usage error", err)
	}
	err = run(ctx, []string{"insights", "--workspace", ws, "--segment", "device =="}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "segment") {
		t.Errorf("bad segment: err %v", err)
	}
}

func TestReportCommand(t *testing.T) {
	ws := plantedWorkspaceFile(t)
	out := filepath.Join(t.TempDir(), "report.html")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"report", "--workspace", ws, "--out", out, "--title", "Client review"}, &stdout, &stderr); err != nil {
		t.Fatalf("report: %v\n%s", err, stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{"<title>Client review</title>", "Mobile visitors drop off at /checkout", "data:image/png;base64,", "loupe://#/sessions/"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if !strings.Contains(stderr.String(), "reading sessions") {
		t.Errorf("no progress on stderr: %s", stderr.String())
	}
	if err := run(context.Background(), []string{"report", "--workspace", ws}, &stdout, &stderr); !errors.Is(err, errUsage) {
		t.Errorf("report without --out: err %v, want a usage error", err)
	}
}
