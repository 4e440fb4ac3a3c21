package file

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRemoveStaleTemp(t *testing.T) {
	s, err := New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(s.Dir(), "2026", "11", "27")
	os.MkdirAll(dir, 0o755)
	old := filepath.Join(dir, ".a.loupe.tmp-123")
	fresh := filepath.Join(dir, ".b.loupe.tmp-456")
	kept := filepath.Join(dir, "a.loupe")
	for _, p := range []string{old, fresh, kept} {
		os.WriteFile(p, []byte("x"), 0o644)
	}
	past := time.Now().Add(-time.Hour)
	os.Chtimes(old, past, past)
	os.Chtimes(kept, past, past)
	n, err := s.RemoveStaleTemp(StaleTempAge)
	if err != nil || n != 1 {
		t.Fatalf("removed %d (%v), want 1", n, err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("stale temp file still there")
	}
	for _, p := range []string{fresh, kept} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed: %v", p, err)
		}
	}
}
