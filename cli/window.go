package cli

import (
	"context"

	"github.com/loupe-dev/loupe/core/workspace"
)

// Host is what the main package adds to the commands: the parts that need
// build tags (Wails, cgo) and so cannot be compiled into every binary.
type Host struct {
	// Window opens the workbench window; nil when the binary has none
	// (then `loupe open` explains how to build it).
	Window Window
}

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
