//go:build darwin

package tray

import "errors"

// errNoAutostart: a LaunchAgent would do it on macOS; it is not written yet.
var errNoAutostart = errors.New("starting at login is not implemented on macOS yet")

// Enabled is always false on macOS.
func (a *Autostart) Enabled() bool { return false }

// Enable is not implemented on macOS.
func (a *Autostart) Enable() error { return errNoAutostart }

// Disable has nothing to remove on macOS.
func (a *Autostart) Disable() error { return nil }
