package cli

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/loupe-dev/loupe/core/workspace"
)

func TestOpenWithoutWindow(t *testing.T) {
	window = nil
	ws := filepath.Join(t.TempDir(), "w.db")
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"open", "--workspace", ws}, &out, &errOut)
	if !errors.Is(err, errNoWindow) {
		t.Fatalf("open without a window: err = %v, want errNoWindow", err)
	}
	if got := exitCode(err); got != 1 {
		t.Errorf("exit code = %d, want 1", got)
	}
}

func TestOpenPassesTheViewToTheWindow(t *testing.T) {
	var gotView, gotPath string
	window = func(ctx context.Context, db *workspace.DB, view string) error {
		gotView, gotPath = view, db.Path()
		return nil
	}
	t.Cleanup(func() { window = nil })
	ws := filepath.Join(t.TempDir(), "w.db")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"open", "--workspace", ws, "--view", "#/funnels"}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if gotView != "#/funnels" {
		t.Errorf("view = %q, want %q", gotView, "#/funnels")
	}
	if gotPath != ws {
		t.Errorf("workspace = %q, want %q", gotPath, ws)
	}
}
