package pull

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRemoveStaleDownloadsAfterMinutes(t *testing.T) {
	root := t.TempDir()
	stale := filepath.Join(root, ".loupe-sync-111")
	live := filepath.Join(root, ".loupe-sync-222")
	for _, d := range []string{stale, live} {
		os.MkdirAll(d, 0o700)
		os.WriteFile(filepath.Join(d, "dl-1.loupe"), []byte("x"), 0o600)
	}
	past := time.Now().Add(-20 * time.Minute)
	for _, p := range []string{filepath.Join(stale, "dl-1.loupe"), stale, live} {
		os.Chtimes(p, past, past)
	}
	// live's folder is old but a file in it was written just now.
	removeStaleDownloads(root)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("folder of a sync killed 20 minutes ago still there")
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("folder of a live sync removed: %v", err)
	}
}
