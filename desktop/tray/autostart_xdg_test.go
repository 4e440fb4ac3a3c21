//go:build !windows && !darwin

package tray

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAutostartXDG(t *testing.T) {
	dir := t.TempDir()
	a := &Autostart{Command: []string{"/opt/Loupe App/loupe", "tray", "--workspace", "/home/a/my work.db"}, Where: dir}
	if a.Enabled() {
		t.Fatal("enabled before Enable")
	}
	if err := a.Enable(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "loupe-tray.desktop"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `Exec="/opt/Loupe App/loupe" tray --workspace "/home/a/my work.db"`) {
		t.Errorf("entry:\n%s", b)
	}
	if !a.Enabled() {
		t.Error("not enabled after Enable")
	}
	if err := a.Disable(); err != nil || a.Enabled() {
		t.Errorf("Disable: %v, enabled %v", err, a.Enabled())
	}
}
