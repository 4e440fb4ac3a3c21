package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A binary built without the tray says how to get one, and touches no
// workspace; --version prints the stamped version.
func TestTrayWithoutFyne(t *testing.T) {
	ws := filepath.Join(t.TempDir(), "never.db")
	_, _, err := runCLI(t, "tray", "--workspace", ws)
	if !errors.Is(err, errNoTray) || !strings.Contains(err.Error(), "build with -tags tray") {
		t.Fatalf("loupe tray without the tray: %v", err)
	}
	if _, err := os.Stat(ws); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the workspace was created: %v", err)
	}
	out, _, err := runCLI(t, "--version")
	if err != nil || strings.TrimSpace(out) != "loupe "+version {
		t.Errorf("--version: %q %v", out, err)
	}
}
