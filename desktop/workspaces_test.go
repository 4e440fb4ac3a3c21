package desktop

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestWorkspacesRecentAndOpen(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	db := newWorkspace(t)
	var asked []string
	w := NewWorkspaces(db, func(_ context.Context, path string) (string, error) {
		asked = append(asked, path)
		return "http://127.0.0.1:1/?key=k", nil
	})
	list, err := w.Recent()
	if err != nil || len(list) != 1 || !list[0].Current || list[0].Path != db.Path() {
		t.Fatalf("Recent on first use = %+v, %v", list, err)
	}
	if f, _ := recentFile(); fileExists(f) {
		t.Errorf("listing wrote %s", f)
	}
	other := filepath.Join(t.TempDir(), "other.db")
	got, err := w.Open(other)
	if err != nil || got.URL == "" || got.Path != other || len(asked) != 1 {
		t.Fatalf("Open = %+v, %v (asked %v)", got, err, asked)
	}
	list, _ = w.Recent()
	if len(list) != 2 || list[0].Path != db.Path() || list[1].Path != other || list[1].Current || !list[1].Missing {
		t.Errorf("Recent after opening another = %+v", list)
	}
	if _, err := w.Open(db.Path()); !hasCode(err, CodeConflict) {
		t.Errorf("opening the open workspace = %v, want conflict", err)
	}
	if _, err := NewWorkspaces(db, nil).Open(other); !hasCode(err, CodeInvalid) {
		t.Errorf("opening without an opener = %v, want invalid", err)
	}
}
