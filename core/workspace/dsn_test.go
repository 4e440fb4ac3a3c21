package workspace

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// A workspace path with URI metacharacters opens the file it names.
func TestOpenOddPaths(t *testing.T) {
	for _, name := range []string{"50% off", "what?", "no#1", "plain"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			path := filepath.Join(dir, "ws.db")
			db, err := Open(context.Background(), path)
			if err != nil {
				t.Fatalf("Open(%q): %v", path, err)
			}
			db.Close()
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("workspace file not at %q: %v", path, err)
			}
		})
	}
}
