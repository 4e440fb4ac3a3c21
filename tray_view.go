//go:build tray

package main

import (
	"context"

	"github.com/loupe-dev/loupe/cli"
	"github.com/loupe-dev/loupe/desktop"
	"github.com/loupe-dev/loupe/desktop/tray"
	"github.com/loupe-dev/loupe/desktop/tray/view"
)

// trayView shows the Fyne tray; Fyne takes the calling goroutine.
var trayView cli.TrayView = runTrayView

func runTrayView(ctx context.Context, c *tray.Companion, actions tray.Actions, showStatus bool) error {
	// Alerts fired after the view is gone (while quitting) still reach
	// the desktop through the plain D-Bus notifier.
	fallback := &desktop.DesktopNotifier{}
	defer fallback.Close()
	return view.Run(ctx, view.Options{Companion: c, Actions: actions, Icon: appIcon, ShowStatus: showStatus,
		Fallback: fallback.Notifier()})
}
