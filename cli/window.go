package cli

import (
	"context"

	"github.com/loupe-dev/loupe/core/workspace"
)

// Window opens the workbench window over db at the view address given
// (empty: the default view) and returns when the window closes.
type Window func(ctx context.Context, db *workspace.DB, view string) error

// window is the opener Main was given; nil when the binary has none.
var window Window

func openWindow(ctx context.Context, db *workspace.DB, view string) error {
	if window == nil {
		return errNoWindow
	}
	return window(ctx, db, view)
}
