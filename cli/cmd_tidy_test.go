package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loupe-dev/loupe/core/generate"
	"github.com/loupe-dev/loupe/core/workspace"
)

// tidyWorkspace writes a workspace file of generated sessions and returns
// its path and the sessions' ids.
func tidyWorkspace(t *testing.T, n int) (string, []string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "w.db")
	db, err := workspace.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids []string
	err = generate.Each(generate.Options{Seed: 9, Sessions: n}, func(i int, s generate.Session) error {
		ids = append(ids, s.Header.Session)
		_, err := db.Import(context.Background(), s.Header, s.Events, s.Facts, "", "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return path, ids
}

func countSessions(t *testing.T, path string) int {
	t.Helper()
	db, err := workspace.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.Sessions(context.Background(), workspace.SessionQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return len(s)
}

func TestDeleteCommand(t *testing.T) {
	ws, ids := tidyWorkspace(t, 6)
	out, _, err := runCLI(t, "delete", "--workspace", ws, "--session", ids[2], "--dry-run")
	if err != nil || !strings.Contains(out, "would delete session "+ids[2]) || countSessions(t, ws) != 6 {
		t.Fatalf("dry run: %q, %v", out, err)
	}
	out, _, err = runCLI(t, "delete", "--workspace", ws, "--session", ids[2])
	if err != nil || !strings.Contains(out, "deleted session "+ids[2]) || !strings.Contains(out, "vacuumed") {
		t.Fatalf("delete: %q, %v", out, err)
	}
	if n := countSessions(t, ws); n != 5 {
		t.Errorf("%d sessions left, want 5", n)
	}
	if _, _, err := runCLI(t, "delete", "--workspace", ws, "--session", ids[0], "--visitor", "v"); err == nil {
		t.Error("delete naming two things succeeded")
	}
	if _, _, err := runCLI(t, "delete", "--workspace", ws, "--before", "yesterday"); err == nil {
		t.Error("delete --before yesterday succeeded")
	}
	out, _, err = runCLI(t, "delete", "--workspace", ws, "--before", "2100-01-01")
	if err != nil || countSessions(t, ws) != 0 || !strings.Contains(out, "deleted 5 sessions") {
		t.Errorf("delete --before 2100: %q, %v", out, err)
	}
}

func TestCopyRederiveTagsSavedCommands(t *testing.T) {
	ws, _ := tidyWorkspace(t, 12)
	cp := filepath.Join(t.TempDir(), "copy.db")
	if out, _, err := runCLI(t, "copy", "--workspace", ws, "--out", cp); err != nil || !strings.Contains(out, "copied") {
		t.Fatalf("copy: %q, %v", out, err)
	}
	if n := countSessions(t, cp); n != 12 {
		t.Errorf("the copy holds %d sessions, want 12", n)
	}
	if out, _, err := runCLI(t, "rederive", "--workspace", ws); err != nil || !strings.Contains(out, "re-derived 12 sessions") {
		t.Errorf("rederive: %q, %v", out, err)
	}

	out, _, err := runCLI(t, "tags", "rule", "add", "--workspace", ws, "--name", "long", "--segment", "duration > 0s")
	if err != nil || !strings.Contains(out, `tags 12 sessions "long"`) {
		t.Fatalf("tags rule add: %q, %v", out, err)
	}
	if _, errOut, err := runCLI(t, "tags", "rule", "add", "--workspace", ws, "--name", "bad", "--segment", "duration >"); err == nil {
		t.Errorf("a broken segment was accepted: %q", errOut)
	}
	out, _, err = runCLI(t, "tags", "rule", "list", "--workspace", ws)
	if err != nil || !strings.Contains(out, "long") || strings.Contains(out, "bad") {
		t.Errorf("tags rule list: %q, %v", out, err)
	}

	file := filepath.Join(t.TempDir(), "saved.json")
	if out, _, err := runCLI(t, "saved", "export", "--workspace", ws, "--out", file); err != nil || !strings.Contains(out, "1 tag rules") {
		t.Fatalf("saved export: %q, %v", out, err)
	}
	if out, _, err := runCLI(t, "saved", "import", "--workspace", cp, file); err != nil || !strings.Contains(out, "imported 1 items") {
		t.Fatalf("saved import: %q, %v", out, err)
	}
	if out, _, err := runCLI(t, "saved", "import", "--workspace", cp, file); err != nil || !strings.Contains(out, "imported 0 items, 1 already here") {
		t.Fatalf("saved import again: %q, %v", out, err)
	}

	if out, _, err := runCLI(t, "tags", "rule", "rm", "--workspace", ws, "long"); err != nil || !strings.Contains(out, "removed") {
		t.Errorf("tags rule rm: %q, %v", out, err)
	}
	if out, _, _ := runCLI(t, "tags", "rule", "list", "--workspace", ws); !strings.Contains(out, "no tag rules") {
		t.Errorf("after rm: %q", out)
	}
}
