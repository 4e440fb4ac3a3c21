package cli

import (
	"context"

	"github.com/loupe-dev/loupe/core/workspace"
	"github.com/loupe-dev/loupe/desktop/tray"
)

// Host is what the main package adds to the commands: the parts that need
// build tags (Wails, cgo) and so cannot be compiled into every binary.
type Host struct {
	// Window opens the workbench window; nil when the binary has none
	// (then `loupe open` explains how to build it).
	Window Window
	// Tray shows the tray companion; nil when the binary has none (it
	// needs cgo and -tags tray).
	Tray TrayView
	// Version is the release this binary was built from ("dev" when unset).
	Version string
}

// TrayView shows the tray companion c with its actions until the analyst
// quits; it takes the calling goroutine (Fyne's event loop).
type TrayView func(ctx context.Context, c *tray.Companion, actions tray.Actions, showStatus bool) error

// Window opens the workbench window over db at the view address given
// (empty: the default view) and returns when the window closes.
type Window func(ctx context.Context, db *workspace.DB, view string) error

// window is the opener Main was given (Host.Window).
var window Window

func openWindow(ctx context.Context, db *workspace.DB, view string) error {
	if window == nil {
		return errNoWindow
	}
	return window(ctx, db, view)
}
