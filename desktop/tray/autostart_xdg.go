//go:build !windows && !darwin

package tray

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// entryName is the autostart file's name.
const entryName = "loupe-tray.desktop"

// path is $XDG_CONFIG_HOME/autostart/loupe-tray.desktop (~/.config by
// default), where desktop sessions look for programs to start at login.
func (a *Autostart) path() (string, error) {
	if a.Where != "" {
		return filepath.Join(a.Where, entryName), nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("start at login: %w", err)
	}
	return filepath.Join(dir, "autostart", entryName), nil
}

// Enabled reports whether the autostart entry exists.
func (a *Autostart) Enabled() bool {
	p, err := a.path()
	if err != nil {
		return false
	}
	_, err = os.Stat(p)
	return err == nil
}

// Enable writes the autostart entry (atomically: a half-written entry
// would be ignored or, worse, run half a command).
func (a *Autostart) Enable() error {
	p, err := a.path()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	quoted := make([]string, len(a.Command))
	for i, arg := range a.Command {
		quoted[i] = execQuote(arg)
	}
	entry := "[Desktop Entry]\nType=Application\nName=Loupe tray\n" +
		"Comment=Syncs Loupe sessions in the background and shows alerts\n" +
		"Exec=" + strings.Join(quoted, " ") + "\nIcon=loupe\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
	return writeAtomic(p, []byte(entry))
}

// Disable removes the autostart entry.
func (a *Autostart) Disable() error {
	p, err := a.path()
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("stop starting at login: %w", err)
	}
	return nil
}

// execQuote quotes one argument of an Exec= line as the Desktop Entry
// specification asks: in double quotes, with ", `, $ and \ escaped, when
// it holds anything but plain characters.
func execQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n\"'\\><~|&;$*?#()`%") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\\\`, `"`, `\\"`, "`", "\\\\`", `$`, `\\$`, `%`, `%%`)
	return `"` + r.Replace(s) + `"`
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".loupe-tray-*")
	if err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("start at login: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("start at login: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("start at login: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
