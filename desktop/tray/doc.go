// Package tray is the logic of the tray companion, `loupe tray`: the sync
// schedule, what "Sync now" does, the status line and the menu model.
// It is plain Go; the system-tray view (package desktop/tray/view, built
// with -tags tray) only draws the Menu and calls back into the Companion,
// so everything here is tested without a display.
package tray
